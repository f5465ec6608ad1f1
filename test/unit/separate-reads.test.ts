// Check.raw's `separately` sends each chunk only once the server has read the
// ones before it: a barrier that names a connection and a byte count (see
// listen-probe.cjs). So each chunk arrives in a read of its own, on an idle
// machine as on a busy one; two plain barriers in a row did not promise it
// (the server could answer the second before it read the socket in the same
// turn of its event loop).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { stateDir } from '../../grader/engine/paths.ts';
import { sendRaw } from '../../grader/engine/raw-client.ts';
import { LearnerServer } from '../../grader/engine/server-process.ts';

const root = path.join(stateDir, 'scratch', `separate-reads-${process.pid}`);
let server: LearnerServer;

// Answers with the sizes of the reads it saw, once as many bytes as the first
// five digits say have arrived; a connection that starts with "close" is closed unread.
const source = `import net from 'node:net';
net.createServer((socket) => {
  const reads: number[] = [];
  let expected = 0;
  socket.on('data', (chunk) => {
    if (!reads.length && chunk.toString().startsWith('close')) return void socket.destroy();
    if (!reads.length) expected = Number(chunk.toString('latin1', 0, 5));
    reads.push(chunk.length);
    if (reads.reduce((a, b) => a + b, 0) < expected) return;
    const text = JSON.stringify(reads);
    socket.end('HTTP/1.1 200 OK\\r\\nContent-Length: ' + text.length + '\\r\\n\\r\\n' + text);
  });
}).listen(Number(process.env.PORT));
`;

beforeAll(async () => {
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'server.ts'), source);
  server = await LearnerServer.start({ dir: root, startTimeoutMs: 30_000 });
});
afterAll(async () => {
  await server?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const readsOf = async (chunks: string[]) => {
  const result = await sendRaw(server.host, server.port, chunks, { between: (sent) => server.barrier(10_000, sent), lingerMs: 0 });
  return JSON.parse(result.response?.text ?? 'null') as number[] | null;
};

test('each chunk arrives in a read of its own, its last byte too', async () => {
  const head = `08192${'x'.repeat(8186)}`;
  // Many connections at once, as copies of a lesson are graded side by side.
  const seen = await Promise.all(Array.from({ length: 120 }, () => readsOf([head, 'y'])));
  expect(seen).toEqual(Array.from({ length: 120 }, () => [8191, 1]));
});

test('several chunks, each in its own read', async () => {
  expect(await readsOf(['00008', 'a', 'b', 'c'])).toEqual([5, 1, 1, 1]);
});

test('a barrier waits no longer than its time for bytes that never come', async () => {
  const started = Date.now();
  expect(await server.barrier(300, { port: 1, bytes: 1 })).toBe(false);
  expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  // The barriers asked after it are answered again.
  expect(await server.barrier(10_000)).toBe(true);
});

test('a barrier for a connection the server closed is answered at once', async () => {
  let answer: Promise<boolean> | undefined;
  await sendRaw(server.host, server.port, ['close', 'more'], {
    between: (sent) => (answer = server.barrier(5_000, { ...sent, bytes: sent.bytes + 1000 })),
    timeoutMs: 5_000,
  });
  const started = Date.now();
  expect(await answer).toBe(true);
  expect(Date.now() - started).toBeLessThan(4_000);
});
