// Loaded into the learner's server before their code (node --require).
// 1. Tells the grader, over IPC, where the server really listens, so a server
//    that ignores PORT gets a precise message instead of a timeout.
// 2. Answers a barrier: on request it writes a marker line to stdout and
//    stderr. Writes to pipes are synchronous on Linux and macOS, so once the
//    grader has read both markers it has everything the server printed before
//    (ordered evidence, not a guess at how long output takes to arrive).
//    A barrier may also wait until the server has read a number of bytes on
//    one connection (named by the client's port): then the next bytes the
//    grader sends can only come in a read of their own (Check.raw's
//    `separately`). Barriers are answered in the order they were asked.
// 3. Exits if the grader disappears, and takes whatever it started with it
//    (its process group), so no server outlives a check.
// 4. With ROUNDTRIP_CLOCK_OFFSET_MS, runs the server's clock that far ahead (or
//    behind): a behaviour that checks a time chooses one a wrong getter cannot
//    hit by chance (lesson 04's log line: a day of the month under 10 that is
//    not the weekday's number, an afternoon hour).
// Plain CommonJS on purpose: it must load before TypeScript support does, and a
// server bundled as CommonJS (see compile.ts) then starts without the ES module loader.
const net = require('node:net');

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  this.once('listening', () => {
    const address = this.address();
    if (address && typeof address === 'object') {
      process.send?.({ type: 'listening', port: address.port, address: address.address });
    }
  });
  if (this.listenerCount('connection', countReads) === 0) this.prependListener('connection', countReads);
  return listen.apply(this, args);
};

/** Bytes read so far on each connection, by the client's port. */
const bytesRead = new Map();

// Every read of a socket is pushed into its stream, whatever the server does with it
// (an HTTP server's parser reads the socket directly, and is not counted).
function countReads(socket) {
  const port = socket.remotePort;
  bytesRead.set(port, 0);
  const push = socket.push;
  socket.push = function (chunk, encoding) {
    const pushed = push.call(this, chunk, encoding);
    if (chunk) {
      bytesRead.set(port, bytesRead.get(port) + chunk.length);
      answerBarriers();
    }
    return pushed;
  };
  // Nothing more will be read: a barrier waiting for it need not wait.
  socket.once('close', () => {
    bytesRead.set(port, Infinity);
    answerBarriers();
  });
}

// Keep the original writes: a server that patches console or process.stdout must not swallow the marker.
const writeOut = process.stdout.write.bind(process.stdout);
const writeErr = process.stderr.write.bind(process.stderr);
const barriers = [];
process.on('message', (message) => {
  if (message?.type !== 'barrier') return;
  barriers.push(message);
  // A read that never comes holds the barriers behind it only a little longer
  // than the grader waits for it (so the grader has given up on it first).
  if (message.read) setTimeout(() => ((message.read = undefined), answerBarriers()), message.ms + 100).unref();
  answerBarriers();
});

function answerBarriers() {
  while (barriers.length && !(barriers[0].read && (bytesRead.get(barriers[0].read.port) ?? 0) < barriers[0].read.bytes)) {
    const marker = `\u0000roundtrip-barrier:${barriers.shift().id}\n`;
    writeOut(marker);
    writeErr(marker);
  }
}
// The listener must not keep a server alive that has nothing left to do.
process.channel?.unref();

const grader = process.ppid;
setInterval(() => {
  if (process.ppid !== grader) exitWithGroup();
}, 500).unref();

/** Ends this server and whatever it started: the grader spawns it as the leader of a process group. */
function exitWithGroup() {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    // Not a group leader (Windows, or started by hand): only this process.
  }
  process.exit(1);
}

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
