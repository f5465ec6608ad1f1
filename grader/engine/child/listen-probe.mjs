// Loaded into the learner's server before their code (node --import).
// 1. Tells the grader, over IPC, where the server really listens, so a server
//    that ignores PORT gets a precise message instead of a timeout.
// 2. Answers a barrier: on request it writes a marker line to stdout and
//    stderr. Writes to pipes are synchronous on Linux and macOS, so once the
//    grader has read both markers it has everything the server printed before
//    (ordered evidence, not a guess at how long output takes to arrive).
// 3. Exits if the grader disappears, so no server outlives a check.
// 4. With ROUNDTRIP_CLOCK_OFFSET_MS, runs the server's clock that far ahead (or
//    behind): a behaviour that checks a time chooses one a wrong getter cannot
//    hit by chance (lesson 04's log line: a day of the month under 10 that is
//    not the weekday's number, an afternoon hour).
// Plain JavaScript on purpose: it must load before TypeScript support does.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  this.once('listening', () => {
    const address = this.address();
    if (address && typeof address === 'object') {
      process.send?.({ type: 'listening', port: address.port, address: address.address });
    }
  });
  return listen.apply(this, args);
};

// Keep the original writes: a server that patches console or process.stdout must not swallow the marker.
const writeOut = process.stdout.write.bind(process.stdout);
const writeErr = process.stderr.write.bind(process.stderr);
process.on('message', (message) => {
  if (message?.type !== 'barrier') return;
  const marker = `\u0000roundtrip-barrier:${message.id}\n`;
  writeOut(marker);
  writeErr(marker);
});
// The listener must not keep a server alive that has nothing left to do.
process.channel?.unref();

const grader = process.ppid;
setInterval(() => {
  if (process.ppid !== grader) process.exit(1);
}, 500).unref();

const clockOffset = Number(process.env.ROUNDTRIP_CLOCK_OFFSET_MS);
if (clockOffset) {
  const RealDate = Date;
  const now = () => RealDate.now() + clockOffset;
  // Only "now" moves: new Date(x), Date.parse and Date.UTC are as they were, and instanceof Date still holds.
  globalThis.Date = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length ? args : [now()], newTarget),
    apply: () => new RealDate(now()).toString(),
    get: (target, key, receiver) => (key === 'now' ? now : Reflect.get(target, key, receiver)),
  });
}
