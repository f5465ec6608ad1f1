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

type Client = InstanceType<UndiciClient>;

/**
 * The connections one behaviour's requests share, as a browser shares them: a
 * connection that carried a whole response, and that the server did not ask to
 * close, serves the behaviour's next request instead of a new one (a connection
 * costs the grader and the server about as much as the request itself).
 * Requests sent at once each get a connection of their own, and no behaviour
 * inherits another's: `close()` ends them when it is over.
 */
export class KeptConnections {
  private readonly idle = new Map<string, Client[]>();
  private closed = false;

  take(origin: string): Client | undefined {
    return this.idle.get(origin)?.pop();
  }

  keep(origin: string, client: Client): void {
    if (this.closed) return void destroy(client);
    const list = this.idle.get(origin) ?? [];
    list.push(client);
    this.idle.set(origin, list);
  }

  async close(): Promise<void> {
    this.closed = true;
    const clients = [...this.idle.values()].flat();
    this.idle.clear();
    await Promise.all(clients.map(destroy));
  }
}

/**
 * Sends an ordinary request through undici. Without `connections`, on a
 * connection of its own; with them, on a kept one when there is one, and the
 * connection is kept afterwards when it can serve another request.
 */
export async function sendHttp(host: string, port: number, request: HttpRequest, connections?: KeptConnections): Promise<Received> {
  const origin = host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
  const kept = connections?.take(origin);
  if (!kept) return sendOn(newClient(origin, request), origin, request, connections);
  const progress = { answered: false };
  try {
    return await sendOn(kept, origin, request, connections, progress);
  } catch (error) {
    // A kept connection may be gone by the time it is used (the server closed it
    // just as the request came): a request that got no answer at all on it is
    // sent again on a new connection, as a browser does (RFC 9112, section 9.3.1).
    // Not after a time-out: the server had the request, and took too long.
    if (progress.answered || error instanceof TimeoutError) throw error;
    return sendOn(newClient(origin, request), origin, request, connections);
  }
}

/** The request on `client`, which is kept afterwards when it can serve another request, and ended otherwise. */
async function sendOn(client: Client, origin: string, request: HttpRequest, connections: KeptConnections | undefined, progress = { answered: false }): Promise<Received> {
  try {
    const { received, reusable } = await exchange(client, request, progress);
    if (connections && reusable) connections.keep(origin, client);
    else await destroy(client);
    return received;
  } catch (error) {
    await destroy(client);
    throw error;
  }
}

// undici's own limits are only a backstop: our deadline lets data that arrived
// during a stall of this process be read before it counts as late.
function newClient(origin: string, request: HttpRequest): Client {
  const { Client } = undiciClient();
  const timeout = timeoutOf(request);
  return new Client(origin, { connectTimeout: timeout * 2, headersTimeout: timeout * 2, bodyTimeout: timeout * 2 });
}

function timeoutOf(request: HttpRequest): number {
  return request.timeoutMs ?? 3000;
}

function destroy(client: Client): Promise<void> {
  return client.destroy().catch(() => {});
}

/** One request and its whole response on `client`; `progress.answered` once the response's head arrived. */
async function exchange(client: Client, request: HttpRequest, progress: { answered: boolean }): Promise<{ received: Received; reusable: boolean }> {
  const { request: send } = undiciClient();
  const timeout = timeoutOf(request);
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
    progress.answered = true;
    const body = await readAtMost(response.body, responseLimitBytes);
    const headers: [string, string][] = [];
    for (const [name, value] of Object.entries(response.headers)) {
      for (const one of Array.isArray(value) ? value : [value ?? '']) headers.push([name, one]);
    }
    const received = { status: response.statusCode, statusLine: `HTTP/1.1 ${response.statusCode}`, headers, body, text: body.toString('utf8') };
    // A server that asked to close has closed, or will: that connection serves no other request.
    const closing = headers.some(([name, value]) => name === 'connection' && /(^|,)\s*close\s*(,|$)/i.test(value));
    return { received, reusable: !closing };
  } finally {
    clearTimeout(timer);
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
