// Loaded into the learner's server before their code (node --import).
// 1. Tells the grader, over IPC, where the server really listens, so a server
//    that ignores PORT gets a precise message instead of a timeout.
// 2. Exits if the grader disappears, so no server outlives a check.
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

const grader = process.ppid;
setInterval(() => {
  if (process.ppid !== grader) process.exit(1);
}, 500).unref();
