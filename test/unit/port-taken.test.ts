// The grader picks a free port and passes it in PORT; another process may take
// it before the learner's server listens. Such a start is tried again on a new
// port, a few times; a server that fails for its own reasons is not.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { stateDir } from '../../grader/engine/paths.ts';
import { LearnerServer, ServerStartError } from '../../grader/engine/server-process.ts';

const root = path.join(stateDir, 'scratch', `port-taken-${process.pid}`);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A server that fails its first `failures` starts as Node does when its port is taken, printing `busyPort` (its PORT by default). */
function server(name: string, failures: number, busyPort = 'process.env.PORT'): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'server.ts'),
    `import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
const tries = path.join(import.meta.dirname, 'tries');
const tried = fs.existsSync(tries) ? fs.readFileSync(tries, 'utf8').length : 0;
fs.appendFileSync(tries, 'x');
if (tried < ${failures}) {
  console.error(\`Error: listen EADDRINUSE: address already in use :::\${${busyPort}}\`);
  process.exit(1);
}
net.createServer((socket) => socket.end()).listen(Number(process.env.PORT));
`,
  );
  return dir;
}

const tries = (dir: string) => fs.readFileSync(path.join(dir, 'tries'), 'utf8').length;

test('a start whose port was taken meanwhile is tried again on another port', async () => {
  const dir = server('taken-once', 1);
  const started = await LearnerServer.start({ dir });
  await started.stop();
  expect(tries(dir)).toBe(2);
});

test('a port taken again and again ends as the exit it is, after three tries', async () => {
  const dir = server('taken-always', 99);
  const failure = await LearnerServer.start({ dir }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(ServerStartError);
  expect((failure as ServerStartError).reason).toBe('exited');
  expect(tries(dir)).toBe(3);
});

test('a server whose own fixed port is busy is not tried again', async () => {
  const dir = server('own-port', 99, '3000');
  const failure = await LearnerServer.start({ dir }).catch((error: unknown) => error);
  expect((failure as ServerStartError).reason).toBe('exited');
  expect(tries(dir)).toBe(1);
});
