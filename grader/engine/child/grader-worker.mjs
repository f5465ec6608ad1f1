// The grader's worker thread (see warm-workers.ts): Vitest's own threads worker,
// which then, while it waits for its first spec, gets ready for what every spec
// does: it loads the HTTP client and the harness, and sends one request to
// itself (undici compiles its WebAssembly parser on its first connection).
// This is time that would otherwise fall inside the grading.
import { createRequire } from 'node:module';
import net from 'node:net';
import { workerData } from 'node:worker_threads';

await import(workerData.vitestWorker);
const require = createRequire(import.meta.url);
const Client = require(workerData.httpClient.Client);
const request = require(workerData.httpClient.request);
if (workerData.harness) await import(workerData.harness);
await warmUp().catch(() => {});

async function warmUp() {
  const server = net.createServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n')));
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const client = new Client(`http://127.0.0.1:${server.address().port}`);
  try {
    const response = await request.call(client, { method: 'GET', path: '/', signal: AbortSignal.timeout(2000) });
    await response.body.text();
  } finally {
    await client.destroy();
    server.close();
  }
}
