// Lesson 04: the handler layer. node:http parses the bytes; we build a Request,
// hand it to a view, write the view's Response back, and log one line per
// request on the way out, as Django's runserver does.
import http, { type IncomingMessage } from 'node:http';
import { buildRequest, type Request } from './request.ts';
import { Response, writeResponse } from './response.ts';
import { refusal, refuseTunnels } from '#provided/http-app.ts';

// TODO: Answer with the request as JSON: method, path, query, headers, cookies, clientAddress.
// GET /inspect?tag=a&tag=b -> { "method": "GET", "path": "/inspect", "query": { "tag": ["a", "b"] }, … }
export function inspect(request: Request): Response {
  throw new Error('TODO: answer with the request as JSON');
}

// TODO: Format the log line for a finished request: the local time, the request
// line as it arrived, the status, and the size of the body in bytes.
// -> '[24/Nov/2026 22:31:05] "GET /inspect?a=1 HTTP/1.1" 200 312'
export function logLine(message: IncomingMessage, response: Response, when: Date): string {
  throw new Error('TODO: format the log line');
}

// Don't change anything below this line: it connects your code to node:http.
function app(request: Request): Response {
  if (request.path === '/inspect' || request.path.startsWith('/inspect/')) return inspect(request);
  return Response.text('Not Found\n', 404);
}

let logLineFailed = false;

const fromEnv = (name: string, fallback: number) => Number(process.env[name]) || fallback;
// A client that stalls (a head or a body that never ends) gets 408 and is closed,
// instead of holding a connection open for Node's defaults of one and five minutes.
const headTimeoutMs = fromEnv('ROUNDTRIP_HEAD_TIMEOUT_MS', 10_000);
const bodyTimeoutMs = fromEnv('ROUNDTRIP_BODY_TIMEOUT_MS', 10_000);
const options: http.ServerOptions = {
  headersTimeout: headTimeoutMs,
  requestTimeout: headTimeoutMs + bodyTimeoutMs,
  // How often Node looks for expired requests (30 s by default, longer than our limits).
  connectionsCheckingInterval: Math.max(50, Math.min(headTimeoutMs, bodyTimeoutMs) / 4),
};

const server = http.createServer(options, (message, out) => {
  let response: Response;
  // What Node's parser lets through and lesson 02 refuses: another major version (505), two Host
  // lines or one that names no host (400, RFC 9112, section 3.2: which site would be meant?).
  const refused = refusal(message);
  try {
    response = refused
      ? new Response(`${refused.message}\n`, refused.status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' })
      : app(buildRequest(message));
  } catch (error) {
    console.error(error);
    response = new Response('Internal Server Error\n', 500, { 'content-type': 'text/plain; charset=utf-8' });
  }
  // On the way out: once the whole response has been handed to the operating system.
  out.on('finish', () => {
    try {
      console.log(logLine(message, response, new Date()));
    } catch (error) {
      // Printed once, not after every request, so that it does not bury other errors.
      if (!logLineFailed) console.error(error);
      logLineFailed = true;
    }
  });
  writeResponse(response, out);
});

const port = Number(process.env.PORT ?? 3000);
refuseTunnels(server);
server.listen(port, () => console.log(`Listening on http://localhost:${port}`));
