// Provided: the server under lessons 06 and later. node:http parses the bytes (lessons
// 01–03); serve() builds a Request (lesson 04), reads the body (lesson 05),
// calls your handler, and writes the Response back. An error that escapes the
// handler is logged and answered with a plain 500: never a stack trace.
import http from 'node:http';
import { errorResponse } from './errors.ts';
import { HeaderFields } from './header-fields.ts';
import { refusal, refuseTunnels } from './http-app.ts';
import { HttpError, Request, Response, type Handler } from './http.ts';
import { ownStackChoice, serveOwnStack } from './own-stack.ts';
import { traceHeader, traceStep, withTrace } from './trace.ts';

const maxBodyBytes = 1024 * 1024;
const fromEnv = (name: string, fallback: number) => Number(process.env[name]) || fallback;
/** How long a request's head may take to arrive: 10 s, or ROUNDTRIP_HEAD_TIMEOUT_MS. */
const headTimeoutMs = fromEnv('ROUNDTRIP_HEAD_TIMEOUT_MS', 10_000);
/** How much longer its body may take: 10 s, or ROUNDTRIP_BODY_TIMEOUT_MS. */
const bodyTimeoutMs = fromEnv('ROUNDTRIP_BODY_TIMEOUT_MS', 10_000);

/** RFC 9110's reason phrases where Node still sends older names ("Payload Too Large", "Unprocessable Entity"). */
const reasonPhrases: Record<number, string> = { 413: 'Content Too Large', 422: 'Unprocessable Content' };

export function serve(handler: Handler, port = Number(process.env.PORT ?? 3000)): http.Server {
  // Lesson 13 on your own pieces of lessons 02–05 (npm run check -- 13 --own-stack): see own-stack.ts.
  const ownStack = ownStackChoice();
  if (ownStack) return serveOwnStack(handler, port, ownStack);
  const options: http.ServerOptions = {
    // A client that stalls (a head or a body that never ends) gets Node's 408 and is
    // closed, instead of holding a connection open for Node's defaults of one and five minutes.
    headersTimeout: headTimeoutMs,
    requestTimeout: headTimeoutMs + bodyTimeoutMs,
    // Node looks for expired requests this often (30 s by default, longer than our limits).
    connectionsCheckingInterval: Math.max(50, Math.min(headTimeoutMs, bodyTimeoutMs) / 4),
  };
  const server = http.createServer(options, (incoming, outgoing) => {
    void withTrace(incoming.headers[traceHeader] as string | undefined, async () => {
      traceStep('request', `${incoming.method} ${incoming.url}`);
      const response = await respond(incoming, handler);
      traceStep('response', String(response.status), `${bodyLength(response)} bytes`);
      // Timed out or gone while the body was arriving: Node has answered (408) or there is no one to answer.
      if (outgoing.destroyed || outgoing.headersSent) return;
      try {
        write(incoming, outgoing, response);
      } catch (error) {
        // A header Node refuses to write (a line break or an emoji in a value, say).
        console.error(error);
        if (!outgoing.headersSent) {
          for (const name of outgoing.getHeaderNames()) outgoing.removeHeader(name);
          write(incoming, outgoing, Response.text('Internal Server Error', 500));
        }
        else outgoing.destroy();
      }
    });
  });
  refuseTunnels(server);
  server.listen(port, () => console.log(`Listening on http://localhost:${port}`));
  return server;
}

async function respond(incoming: http.IncomingMessage, handler: Handler): Promise<Response> {
  try {
    // Node lets through what RFC 9112 refuses: a request line of HTTP/2.0 or HTTP/0.9 (505),
    // several Host lines or one that names no host (section 3.2: 400).
    const refused = refusal(incoming);
    if (refused) {
      return new Response(`${refused.message}\n`, {
        status: refused.status,
        headers: { 'content-type': 'text/plain; charset=utf-8', connection: 'close' },
      });
    }
    // "*" (asterisk-form) is for OPTIONS only, and asks about the server in general: nothing to say.
    if (incoming.url === '*' && incoming.method === 'OPTIONS') return new Response('', { status: 204 });
    // Read before the body: a body that is too large ends the stream, and its socket with it.
    const clientAddress = incoming.socket.remoteAddress ?? '';
    const body = await readBody(incoming);
    if (body === 'cut off') return Response.text('Request Timeout', 408);
    // Prefixed, not resolved against a base: "//etc/passwd" is a path here, not a host.
    const target = incoming.url ?? '/';
    const absolute = target.startsWith('/') ? `http://localhost${target}` : target;
    // Neither a path nor a URL ("*" with GET, "http://[::1/"): the client's mistake, not the server's.
    if (!URL.canParse(absolute)) return Response.text('Bad Request: the request target is neither a path nor a URL.\n', 400);
    const url = new URL(absolute);
    const headers = new HeaderFields();
    for (let i = 0; i < incoming.rawHeaders.length; i += 2) headers.append(incoming.rawHeaders[i]!, incoming.rawHeaders[i + 1]!);
    const request = new Request(
      incoming.method ?? 'GET',
      safeDecode(url.pathname),
      url.searchParams,
      headers,
      body ?? Buffer.alloc(0),
      clientAddress,
    );
    // Too large: whoever reads the body gets an HttpError(413), inside the handler,
    // so the 413 passes back out through the middleware (security headers, log
    // line, trace) like any other answer. Django raises RequestDataTooBig the same
    // way, when request.body is read; a view that never reads the body is not refused.
    if (body === undefined) {
      Object.defineProperty(request, 'body', {
        get: () => {
          throw new HttpError(413, `Content Too Large: this server reads request bodies of up to ${maxBodyBytes} bytes.\n`);
        },
      });
    }
    const response = await handler(request);
    if (!(response instanceof Response)) throw new TypeError(`The handler returned ${String(response)} instead of a Response.`);
    return response;
  } catch (error) {
    return errorResponse(error);
  }
}

/** The whole body; undefined when it is larger than the limit; 'cut off' when the connection ended first (a time-out, say). */
async function readBody(incoming: http.IncomingMessage): Promise<Buffer | undefined | 'cut off'> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of incoming as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBodyBytes) return undefined;
      chunks.push(chunk);
    }
  } catch {
    return 'cut off';
  }
  return Buffer.concat(chunks);
}

function write(incoming: http.IncomingMessage, outgoing: http.ServerResponse, response: Response): void {
  const body = typeof response.body === 'string' ? Buffer.from(response.body) : response.body;
  const cookies = response.headers.getSetCookie();
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') outgoing.setHeader(name, value);
  });
  if (cookies.length) outgoing.setHeader('set-cookie', cookies);
  const bodiless = incoming.method === 'HEAD' || response.status === 204 || response.status === 304;
  if (response.status !== 204 && response.status !== 304) outgoing.setHeader('content-length', body.length);
  // Answering before the whole body arrived (413) leaves the rest on the connection: close it.
  if (!incoming.complete) outgoing.setHeader('connection', 'close');
  const reason = reasonPhrases[response.status];
  if (reason) outgoing.writeHead(response.status, reason);
  else outgoing.writeHead(response.status);
  outgoing.end(bodiless ? undefined : body);
}

function bodyLength(response: Response): number {
  return typeof response.body === 'string' ? Buffer.byteLength(response.body) : response.body.length;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
