// Ordinary requests go through undici, a real and strict HTTP client: if it
// cannot read the learner's response, neither could a browser.
import { createRequire } from 'node:module';
import { afterDeadline, TimeoutError } from './deadline.ts';
import { ResponseTooLargeError, responseLimitBytes } from './limits.ts';
import type { Received } from './response.ts';

export interface HttpRequest {
  method?: string;
  /** Path and query, e.g. "/search?q=a". */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  /** Ask the provided tracer to record this request's way through the cycle. */
  trace?: boolean;
  /**
   * A Host field of the grader's choosing, or null for none. undici always
   * sends its own, so such a request goes over a raw socket; the command
   * shown is still the curl line that sends the same request.
   */
  host?: string | null;
  /** 'HTTP/1.0' (curl --http1.0): over a raw socket too. */
  version?: '1.0' | '1.1';
  /** Send the path exactly as written (curl --path-as-is), dot segments and all: raw too. */
  pathAsIs?: boolean;
  /**
   * How to show the request when the curl line the engine would write is not
   * the clearest (a multipart form as `curl -F`, a huge body as a pipeline).
   */
  show?: string;
}

/** Whether a request needs the raw socket: undici would change what is sent. */
export function needsRawSocket(request: HttpRequest): boolean {
  return request.host !== undefined || request.version === '1.0' || request.pathAsIs === true;
}

/**
 * The parts of undici the grader uses: its HTTP/1.1 Client and request().
 * undici's index would also load fetch, WebSocket, caches and mocks, about
 * 50 ms of CPU in every worker; warm-workers.ts loads these early.
 */
export const undiciModules = { Client: 'undici/lib/dispatcher/client.js', request: 'undici/lib/api/api-request.js' };

type UndiciClient = typeof import('undici').Client;
type UndiciRequest = (this: InstanceType<UndiciClient>, options: Parameters<InstanceType<UndiciClient>['request']>[0]) => ReturnType<InstanceType<UndiciClient>['request']>;

const require = createRequire(import.meta.url);

/** undici's Client and request(), loaded on first use (lessons that only send raw bytes never pay for them). */
export function undiciClient(): { Client: UndiciClient; request: UndiciRequest } {
  return { Client: require(undiciModules.Client) as UndiciClient, request: require(undiciModules.request) as UndiciRequest };
}

export async function sendHttp(host: string, port: number, request: HttpRequest): Promise<Received> {
  const timeout = request.timeoutMs ?? 3000;
  const origin = host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
  const { Client, request: send } = undiciClient();
  // A fresh connection per request: one test's leftovers never leak into the next.
  // undici's own limits are only a backstop: our deadline lets data that arrived
  // during a stall of this process be read before it counts as late.
  const client = new Client(origin, { connectTimeout: timeout * 2, headersTimeout: timeout * 2, bodyTimeout: timeout * 2 });
  const deadline = new AbortController();
  const timer = afterDeadline(timeout, () => deadline.abort(new TimeoutError(`No complete response within ${timeout} ms`)));
  try {
    const response = await send.call(client, {
      method: (request.method ?? 'GET') as 'GET',
      path: request.path,
      headers: request.headers,
      body: request.body,
      signal: deadline.signal,
    });
    const body = await readAtMost(response.body, responseLimitBytes);
    const headers: [string, string][] = [];
    for (const [name, value] of Object.entries(response.headers)) {
      for (const one of Array.isArray(value) ? value : [value ?? '']) headers.push([name, one]);
    }
    return {
      status: response.statusCode,
      statusLine: `HTTP/1.1 ${response.statusCode}`,
      headers,
      body,
      text: body.toString('utf8'),
    };
  } finally {
    clearTimeout(timer);
    await client.destroy().catch(() => {});
  }
}

/** A response body, read to its end unless it goes past `limit` bytes (then ResponseTooLargeError). */
async function readAtMost(body: AsyncIterable<Uint8Array>, limit: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > limit) throw new ResponseTooLargeError(`More than ${limit} bytes of body`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
