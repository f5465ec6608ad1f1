// Provided: a small JSON app on node:http, so a lesson can focus on one step.
// Routes map "METHOD /path" to a handler. What a handler returns is sent as JSON
// (or as HTML, for an HtmlPage); an HttpError is answered with its status; any
// other error is logged and answered 500 Internal Server Error.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { HttpError } from './http.ts';
import { namesAHost } from './request-reader.ts';

// The same HttpError that lessons 06 and later use: throw it for an answer such as
// `throw new HttpError(415, 'Send JSON.')`.
export { HttpError };

/** Return one of these from a handler to answer with a web page instead of JSON. */
export class HtmlPage {
  constructor(readonly html: string) {}
}

export type Handler = (req: IncomingMessage) => unknown;

const fromEnv = (name: string, fallback: number) => Number(process.env[name]) || fallback;
/** How long a request's head may take to arrive: 10 s, or ROUNDTRIP_HEAD_TIMEOUT_MS. */
const headTimeoutMs = fromEnv('ROUNDTRIP_HEAD_TIMEOUT_MS', 10_000);
/** How much longer its body may take: 10 s, or ROUNDTRIP_BODY_TIMEOUT_MS. */
const bodyTimeoutMs = fromEnv('ROUNDTRIP_BODY_TIMEOUT_MS', 10_000);

export function serve(routes: Record<string, Handler>, port = Number(process.env.PORT ?? 3000)): http.Server {
  const options: http.ServerOptions = {
    // A client that stalls (a head or a body that never ends) gets 408 and is closed,
    // instead of holding a connection open for Node's defaults of one and five minutes.
    headersTimeout: headTimeoutMs,
    requestTimeout: headTimeoutMs + bodyTimeoutMs,
    // Node looks for expired requests this often (30 s by default, longer than our limits).
    connectionsCheckingInterval: Math.max(50, Math.min(headTimeoutMs, bodyTimeoutMs) / 4),
  };
  const server = http.createServer(options, async (req, res) => {
    try {
      // Node lets through what RFC 9112 refuses: a request line of HTTP/2.0 or HTTP/0.9 (505),
      // several Host lines or one that names no host (section 3.2: 400).
      const refused = refusal(req);
      if (refused) {
        res.setHeader('Connection', 'close');
        throw new HttpError(refused.status, refused.message);
      }
      const result = await route(routes, req, res)(req);
      if (result instanceof HtmlPage) send(req, res, 200, 'text/html; charset=utf-8', result.html);
      else send(req, res, 200, 'application/json', JSON.stringify(result));
    } catch (error) {
      if (error instanceof HttpError) return send(req, res, error.status, 'application/json', JSON.stringify({ error: error.message }));
      console.error(error);
      send(req, res, 500, 'application/json', JSON.stringify({ error: 'Internal Server Error' }));
    }
  });
  refuseTunnels(server);
  server.listen(port, () => console.log(`Listening on http://localhost:${port}`));
  return server;
}

/**
 * CONNECT asks a proxy for a tunnel (RFC 9110, section 9.3.6), and Node hands it
 * to 'connect' listeners, not to the request handler: without one it closes the
 * connection without a word. This server is no proxy: it says so, with 501.
 */
export function refuseTunnels(server: http.Server): void {
  server.on('connect', (_request: IncomingMessage, socket: Duplex) => {
    const body = 'Not Implemented: this server is not a proxy, and opens no tunnels.\n';
    socket.on('error', () => {});
    socket.end(`HTTP/1.1 501 Not Implemented\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}

/** Why a request that Node parsed must still be refused, or undefined when it need not be. */
export function refusal(incoming: http.IncomingMessage): { status: 400 | 505; message: string } | undefined {
  if (incoming.httpVersionMajor !== 1) return { status: 505, message: `HTTP Version Not Supported: this server speaks HTTP/1.1, not HTTP/${incoming.httpVersion}.` };
  const hosts = incoming.rawHeaders.filter((_, i) => i % 2 === 1 && incoming.rawHeaders[i - 1]!.toLowerCase() === 'host');
  if (hosts.length > 1) return { status: 400, message: 'Bad Request: a request has one Host header, not several.' };
  if (hosts.length === 1 && !namesAHost(hosts[0]!)) return { status: 400, message: 'Bad Request: the Host header names no host.' };
  return undefined;
}

/** The handler for "METHOD /path", or one that answers 404 (no such path) or 405 (other methods only). */
function route(routes: Record<string, Handler>, req: IncomingMessage, res: ServerResponse): Handler {
  const path = (req.url ?? '/').split('?')[0]!;
  const found = routes[`${req.method} ${path}`];
  if (found) return found;
  const methods = Object.keys(routes).filter((key) => key.endsWith(` ${path}`)).map((key) => key.split(' ')[0]);
  return async () => {
    if (!methods.length) throw new HttpError(404, `Nothing here: ${path}.`);
    res.setHeader('Allow', methods.join(', '));
    throw new HttpError(405, `Use ${methods.join(' or ')} for ${path}.`);
  };
}

function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string): void {
  // The client may have gone away, or the handler may have answered already.
  if (res.headersSent || res.destroyed) return;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  // Answering before the whole request body arrived (413, say) leaves the rest of
  // it on the connection, where it cannot be told apart from a next request: close.
  if (!req.complete) res.setHeader('Connection', 'close');
  // RFC 9110 renamed 413; Node still sends its older name, "Payload Too Large".
  if (status === 413) res.statusMessage = 'Content Too Large';
  res.writeHead(status).end(body);
}
