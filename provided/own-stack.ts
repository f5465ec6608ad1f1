// Provided: lesson 13 on your own stack. With ROUNDTRIP_OWN_STACK set (the
// grader's --own-stack sets it), serve() hands the socket to this transport
// instead of node:http. The bytes go through your own pieces:
//   02 RequestParser reads the request     03 serializeResponse writes the answer
//   04 buildRequest makes the request object   05 parseBody reads a form or JSON body
// ROUNDTRIP_OWN_STACK names the lessons whose pieces to use ("02,03,05"); for the
// others the kit's version stands in (provided/request-reader.ts, and the small
// serializer and request builder below). The adapters here are the only glue.
// What this stack does not do (keep-alive, chunked bodies, HTTP/2, TLS): lesson
// 13, "Going further".
import { EventEmitter } from 'node:events';
import http, { type IncomingMessage } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { errorResponse } from './errors.ts';
import { HeaderFields } from './header-fields.ts';
import { HttpError, Request, Response, type Handler } from './http.ts';
import { readRequest, RequestError } from './request-reader.ts';
import { traceHeader, traceStep, withTrace } from './trace.ts';

/** The lessons whose pieces can carry lesson 13's requests. */
export const ownStackLessons = ['02', '03', '04', '05'] as const;
export type OwnStackLesson = (typeof ownStackLessons)[number];

/** Where each piece lives, in its lesson's folder. */
export const pieceFiles: Record<OwnStackLesson, string> = {
  '02': '02-anatomy-of-a-request/server.ts',
  '03': '03-responses-and-headers/response.ts',
  '04': '04-request-and-response-objects/request.ts',
  '05': '05-forms-and-uploads/server.ts',
};

const roles: Record<OwnStackLesson, string> = { '02': 'parser', '03': 'serializer', '04': 'request object', '05': 'body parser' };

/** "your 02 parser" or "the kit's parser": who handled a stage, for the trace. */
export function whose(lesson: OwnStackLesson, own: boolean): string {
  return own ? `your ${lesson} ${roles[lesson]}` : `the kit's ${roles[lesson]}`;
}

/** The lessons named in ROUNDTRIP_OWN_STACK ("02,03" → ['02', '03']); undefined when the mode is off. */
export function ownStackChoice(value = process.env.ROUNDTRIP_OWN_STACK): Set<OwnStackLesson> | undefined {
  if (value === undefined) return undefined;
  const named = value.split(/[\s,]+/).filter(Boolean).map((n) => n.padStart(2, '0'));
  const unknown = named.filter((n) => !(ownStackLessons as readonly string[]).includes(n));
  if (unknown.length) console.error(`ROUNDTRIP_OWN_STACK names ${unknown.join(', ')}: only lessons 02, 03, 04 and 05 have pieces for it; ignored.`);
  return new Set(named.filter((n): n is OwnStackLesson => (ownStackLessons as readonly string[]).includes(n)));
}

// ---- the pieces' shapes, as their lessons export them ----------------------------

interface ParsedByYou {
  method: string;
  target: string;
  version: string;
  headers: Map<string, string[]>;
  body: Buffer;
}
interface Pieces {
  parser?: { RequestParser: new () => { push(chunk: Buffer): void; next(): ParsedByYou | undefined }; ParseError: new (...args: never[]) => Error };
  serializer?: { serializeResponse(response: { status: number; headers: Record<string, string>; body: string | Buffer }, method: string): Buffer };
  objects?: { buildRequest(message: IncomingMessage): OwnRequest };
  body?: { parseBody(req: IncomingMessage): Promise<unknown> };
}
interface MultiDictLike {
  toJSON(): Record<string, string[]>;
}
interface OwnRequest {
  method: string;
  path: string;
  query: MultiDictLike;
  headers: MultiDictLike;
  cookies: Record<string, string>;
  clientAddress: string;
}

/** Something in a learner's piece went wrong (a TODO, a bug): the message names the lesson. */
class PieceFailure extends Error {
  constructor(
    readonly lesson: OwnStackLesson,
    failure: unknown,
  ) {
    const text = failure instanceof Error ? failure.message : String(failure);
    // "TODO: lesson 02 …" keeps the grader's "not implemented yet" and says where.
    const todo = /^TODO:\s*/.test(text);
    super(
      todo
        ? `TODO: lesson ${lesson} (${whose(lesson, true)}, ${pieceFiles[lesson]}): ${text.replace(/^TODO:\s*/, '')}`
        : `Lesson ${lesson}: ${whose(lesson, true)} (${pieceFiles[lesson]}) failed: ${text}`,
    );
  }
}

const sourceDir = () => path.resolve(process.env.ROUNDTRIP_OWN_STACK_DIR ?? path.dirname(process.cwd()));

/**
 * Imports a lesson's file for its exports. Those files also start their own
 * server when loaded: listen() does nothing meanwhile, so only lesson 13 listens.
 */
async function importPiece(lesson: OwnStackLesson): Promise<Record<string, unknown>> {
  const file = path.join(sourceDir(), pieceFiles[lesson]);
  const url = pathToFileURL(file).href;
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (this: net.Server) {
    return this;
  } as typeof listen;
  try {
    try {
      return (await import(url)) as Record<string, unknown>;
    } catch (error) {
      // Run as bundled JavaScript, Node cannot load TypeScript by itself: tsx can.
      if ((error as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
      const { register } = await import('tsx/esm/api');
      register();
      // A new URL: Node remembers the failed import of the first.
      return (await import(`${url}?own-stack`)) as Record<string, unknown>;
    }
  } catch (error) {
    throw new Error(`Lesson ${lesson}: ${whose(lesson, true)} could not be loaded from ${file}: ${(error as Error).message}`);
  } finally {
    net.Server.prototype.listen = listen;
  }
}

function need(lesson: OwnStackLesson, module: Record<string, unknown>, names: string[]): void {
  const missing = names.filter((name) => typeof module[name] !== 'function');
  if (missing.length) throw new Error(`Lesson ${lesson}: ${pieceFiles[lesson]} does not export ${missing.join(' and ')}, which lesson 13 needs.`);
}

async function loadPieces(choice: Set<OwnStackLesson>): Promise<Pieces> {
  const pieces: Pieces = {};
  if (choice.has('02')) {
    const m = await importPiece('02');
    need('02', m, ['RequestParser', 'ParseError']);
    pieces.parser = m as unknown as Pieces['parser'];
  }
  if (choice.has('03')) {
    const m = await importPiece('03');
    need('03', m, ['serializeResponse']);
    pieces.serializer = m as unknown as Pieces['serializer'];
  }
  if (choice.has('04')) {
    const m = await importPiece('04');
    need('04', m, ['buildRequest']);
    pieces.objects = m as unknown as Pieces['objects'];
  }
  if (choice.has('05')) {
    const m = await importPiece('05');
    need('05', m, ['parseBody']);
    pieces.body = m as unknown as Pieces['body'];
  }
  return pieces;
}

// ---- reading a request: your 02 parser, or the kit's reader ------------------------

/** One request as the transport needs it, whoever parsed it. */
interface Parsed {
  method: string;
  target: string;
  version: string;
  /** [name, value] per field line (names as the parser kept them). */
  fields: [string, string][];
  body: Buffer;
}

/** A request the parser refused: answered with `status`, and the connection closed. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const fromEnv = (name: string, fallback: number) => Number(process.env[name]) || fallback;
const headTimeoutMs = () => fromEnv('ROUNDTRIP_HEAD_TIMEOUT_MS', 10_000);
const bodyTimeoutMs = () => fromEnv('ROUNDTRIP_BODY_TIMEOUT_MS', 10_000);

/** Feeds the socket's chunks to your RequestParser until it hands back a request. */
function readWithYourParser(parser: NonNullable<Pieces['parser']>, source: EventEmitter): Promise<Parsed> {
  return new Promise((resolve, reject) => {
    let received = 0;
    let instance: InstanceType<typeof parser.RequestParser>;
    try {
      instance = new parser.RequestParser();
    } catch (error) {
      return reject(new PieceFailure('02', error));
    }
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('close', onEnd);
      outcome();
    };
    // One clock for the whole request, as node:http's requestTimeout.
    const timer = setTimeout(() => {
      if (received === 0) finish(() => reject(new Error('The client sent nothing in time.')));
      else finish(() => reject(new Refusal(408, 'The request did not arrive in time.')));
    }, headTimeoutMs() + bodyTimeoutMs());
    const onEnd = () => finish(() => reject(new Error('The client closed the connection before the request was complete.')));
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      try {
        instance.push(chunk);
        const request = instance.next();
        if (!request) return;
        const fields: [string, string][] = [];
        for (const [name, values] of request.headers) for (const value of values) fields.push([name, value]);
        finish(() => resolve({ method: request.method, target: request.target, version: request.version, fields, body: request.body }));
      } catch (error) {
        const status = (error as { status?: unknown }).status;
        if (error instanceof parser.ParseError && typeof status === 'number') finish(() => reject(new Refusal(status, error.message)));
        else finish(() => reject(new PieceFailure('02', error)));
      }
    };
    source.on('data', onData);
    source.on('end', onEnd);
    source.on('close', onEnd);
  });
}

/** The kit's reader (provided/request-reader.ts), for a learner who has not passed lesson 02. */
async function readWithKit(source: EventEmitter): Promise<Parsed> {
  try {
    const request = await readRequest(source as net.Socket);
    return { method: request.method, target: request.target, version: request.version, fields: [...request.headers], body: request.body };
  } catch (error) {
    if (error instanceof RequestError) throw new Refusal(error.status, error.message);
    throw error;
  }
}

/**
 * The head of a request refused as too large (413) from its Content-Length alone,
 * parsed again without that field, so the request can still go through the
 * middleware (which add their headers to the 413) as with node:http.
 */
async function headOfTooLarge(read: (source: EventEmitter) => Promise<Parsed>, headBytes: Buffer): Promise<Parsed | undefined> {
  const end = headBytes.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const lines = headBytes.subarray(0, end).toString('latin1').split('\r\n');
  const length = lines.find((line) => /^content-length:/i.test(line));
  const head = `${lines.filter((line) => line !== length).join('\r\n')}\r\n\r\n`;
  const source = new EventEmitter();
  const parsing = read(source);
  source.emit('data', Buffer.from(head, 'latin1'));
  try {
    const parsed = await parsing;
    if (length) parsed.fields.push(['content-length', length.slice(length.indexOf(':') + 1).trim()]);
    return parsed;
  } catch {
    return undefined;
  } finally {
    source.emit('close');
  }
}

// ---- the request object: your 04 buildRequest, or the kit's -------------------------

function kitRequest(parsed: Parsed, clientAddress: string): Request {
  const url = new URL(parsed.target.startsWith('/') ? `http://localhost${parsed.target}` : parsed.target);
  const headers = new HeaderFields();
  for (const [name, value] of parsed.fields) headers.append(name, value);
  let path = url.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // Kept as sent, as provided/serve.ts does.
  }
  return new Request(parsed.method, path, url.searchParams, headers, parsed.body, clientAddress);
}

/** Your 04 buildRequest, given what it reads of an IncomingMessage, turned into the Request lessons 06 and later use. */
function yourRequest(objects: NonNullable<Pieces['objects']>, parsed: Parsed, clientAddress: string): Request {
  const message = {
    method: parsed.method,
    url: parsed.target,
    httpVersion: parsed.version.replace(/^HTTP\//, ''),
    rawHeaders: parsed.fields.flat(),
    headers: Object.fromEntries(parsed.fields.map(([name, value]) => [name.toLowerCase(), value])),
    socket: { remoteAddress: clientAddress },
  } as unknown as IncomingMessage;
  try {
    const own = objects.buildRequest(message);
    const query = new URLSearchParams();
    for (const [key, values] of Object.entries(own.query.toJSON())) for (const value of values) query.append(key, value);
    const headers = new HeaderFields();
    for (const [name, values] of Object.entries(own.headers.toJSON())) for (const value of values) headers.append(name, value);
    const request = new Request(own.method, own.path, query, headers, parsed.body, own.clientAddress);
    // Your parseCookies, not the kit's getter.
    Object.defineProperty(request, 'cookies', { value: { ...own.cookies }, enumerable: true });
    return request;
  } catch (error) {
    throw new PieceFailure('04', error);
  }
}

// ---- the body: your 05 parseBody -----------------------------------------------

const parsedTypes = ['application/x-www-form-urlencoded', 'application/json', 'multipart/form-data'];

/**
 * Runs your 05 parseBody on a form, JSON or multipart body and keeps what it
 * found in request.state ('body'), as Django fills request.POST. A body it
 * refuses (bad JSON, too many fields) refuses the request where the body is
 * read, as the kit's 413 does: the error passes back out through the middleware.
 */
async function parseWithYours(body: NonNullable<Pieces['body']>, request: Request): Promise<string> {
  const type = request.headers.get('content-type') ?? '';
  if (request.body.length === 0 || !parsedTypes.includes(type.split(';')[0]!.trim().toLowerCase())) return 'not parsed (no form or JSON body)';
  const stream = Object.assign(Readable.from([request.body]), {
    method: request.method,
    headers: { 'content-type': type, 'content-length': String(request.body.length) },
  }) as unknown as IncomingMessage;
  let found: unknown;
  try {
    found = await body.parseBody(stream);
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    const refused = typeof status === 'number' && status >= 400 && status < 500 ? new HttpError(status, (error as Error).message) : new PieceFailure('05', error);
    if (refused instanceof PieceFailure) console.error(refused.message);
    Object.defineProperty(request, 'body', {
      get: () => {
        throw refused;
      },
    });
    return `refused: ${refused.message}`;
  }
  request.state.set('body', found);
  if (found && typeof found === 'object' && 'fields' in found) return `${Object.keys((found as { fields: object }).fields).length} fields`;
  return 'JSON';
}

// ---- writing the answer: your 03 serializeResponse, or the kit's ---------------------

/** RFC 9110's reason phrases (node:http still has a few older names). */
function reasonFor(status: number): string {
  return ({ 413: 'Content Too Large', 422: 'Unprocessable Content' } as Record<number, string>)[status] ?? http.STATUS_CODES[status] ?? '';
}

/**
 * "set-cookie", "Set-Cookie", "SET-COOKIE", …: 03's headers are a Record, one
 * value per name, and a response may set several cookies. Field names are
 * case-insensitive, so each extra Set-Cookie gets a name in another case.
 */
function setCookieName(index: number): string {
  let bit = 0;
  return [...'set-cookie'].map((c) => (c === '-' ? c : (index >> bit++) & 1 ? c.toUpperCase() : c)).join('');
}

function kitSerialize(response: Response, method: string, body: Buffer): Buffer {
  const bodiless = response.status === 204 || response.status === 304;
  const fields: [string, string][] = [];
  response.headers.forEach((value, name) => {
    if (!['set-cookie', 'content-length', 'date', 'connection'].includes(name)) fields.push([name, value]);
  });
  for (const cookie of response.headers.getSetCookie()) fields.push(['set-cookie', cookie]);
  fields.push(['date', new Date().toUTCString()]);
  if (!bodiless) fields.push(['content-length', String(body.length)]);
  fields.push(['connection', 'close']);
  // Headers has refused CR, LF and NUL already; like Node's writer, the kit refuses what is not Latin-1 (an emoji).
  const bad = fields.find(([, value]) => /[^\t\x20-\xff]/.test(value));
  if (bad) throw new TypeError(`Refusing to send the header field ${bad[0]}: its value has a character that is not Latin-1.`);
  const head = `HTTP/1.1 ${response.status} ${reasonFor(response.status)}\r\n${fields.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), bodiless || method === 'HEAD' ? Buffer.alloc(0) : body]);
}

function yourSerialize(serializer: NonNullable<Pieces['serializer']>, response: Response, method: string, body: Buffer): Buffer {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    // Your serializer adds Date and Content-Length itself; one request per connection.
    if (!['set-cookie', 'content-length', 'date', 'connection'].includes(name)) headers[name] = value;
  });
  response.headers.getSetCookie().forEach((cookie, i) => (headers[setCookieName(i)] = cookie));
  headers['Connection'] = 'close';
  let bytes: Buffer;
  try {
    bytes = serializer.serializeResponse({ status: response.status, headers, body }, method);
  } catch (error) {
    throw new PieceFailure('03', error);
  }
  if (!Buffer.isBuffer(bytes)) throw new PieceFailure('03', new TypeError(`serializeResponse returned ${typeof bytes}, not a Buffer.`));
  // Lesson 03's table has the reasons of the codes it used; for others the phrase may
  // be empty (RFC 9112, section 4, allows it): the kit fills in RFC 9110's.
  const lineEnd = bytes.indexOf('\r\n');
  const line = bytes.subarray(0, lineEnd).toString('latin1');
  if (lineEnd !== -1 && /^HTTP\/1\.1 \d{3} ?$/.test(line) && reasonFor(response.status)) {
    return Buffer.concat([Buffer.from(`HTTP/1.1 ${response.status} ${reasonFor(response.status)}`, 'latin1'), bytes.subarray(lineEnd)]);
  }
  return bytes;
}

// ---- the transport ---------------------------------------------------------------

/** Like serve() in provided/serve.ts, on your pieces: one request per connection. */
export function serveOwnStack(handler: Handler, port: number, choice: Set<OwnStackLesson>): http.Server {
  // An http.Server, as serve() promises, whose connections go to this transport instead of Node's parser.
  const server = http.createServer();
  server.removeAllListeners('connection');
  void loadPieces(choice).then(
    (pieces) => {
      const stages = ownStackLessons.map((lesson) => whose(lesson, choice.has(lesson)));
      console.log(`Own stack: ${stages.join(', ')}.`);
      server.on('connection', (socket: net.Socket) => void connection(socket, pieces, handler));
      server.listen(port, () => console.log(`Listening on http://localhost:${port}`));
    },
    (error: Error) => {
      console.error(error.message);
      console.error('Finish that lesson (npm run check -- <lesson>), or check lesson 13 without --own-stack.');
      process.exit(1);
    },
  );
  return server;
}

async function connection(socket: net.Socket, pieces: Pieces, handler: Handler): Promise<void> {
  socket.on('error', () => socket.destroy());
  // The head's bytes as they came, for a request refused as too large (see headOfTooLarge).
  let headBytes = Buffer.alloc(0);
  const keepHead = (chunk: Buffer) => {
    headBytes = Buffer.concat([headBytes, chunk]);
    if (headBytes.includes('\r\n\r\n') || headBytes.length > 64 * 1024) socket.off('data', keepHead);
  };
  socket.on('data', keepHead);
  const read = (source: EventEmitter) => (pieces.parser ? readWithYourParser(pieces.parser, source) : readWithKit(source));
  const clientAddress = socket.remoteAddress ?? '';

  let parsed: Parsed;
  let tooLarge: Refusal | undefined;
  try {
    parsed = await read(socket);
  } catch (error) {
    socket.off('data', keepHead);
    if (error instanceof Refusal && error.status === 413) {
      const head = await headOfTooLarge(read, headBytes);
      if (!head) return refuse(socket, pieces, error);
      parsed = head;
      tooLarge = error;
    } else if (error instanceof Refusal) {
      return refuse(socket, pieces, error);
    } else if (error instanceof PieceFailure) {
      console.error(error.message);
      return refuse(socket, pieces, new Refusal(500, `Internal Server Error: ${error.message}`));
    } else {
      // Nothing (or half a request) came and the client left: nobody to answer.
      return void socket.destroy();
    }
  }
  socket.off('data', keepHead);
  socket.pause();

  const trace = parsed.fields.find(([name]) => name.toLowerCase() === traceHeader)?.[1];
  await withTrace(trace, async () => {
    traceStep('request', `${parsed.method} ${parsed.target}`);
    traceStep('parse', whose('02', !!pieces.parser), `${parsed.version}, ${parsed.fields.length} header fields, ${tooLarge ? 'body refused (413)' : `${parsed.body.length} bytes of body`}`);
    const response = await respond(parsed, clientAddress, pieces, handler, tooLarge);
    const body = typeof response.body === 'string' ? Buffer.from(response.body) : response.body;
    // Serialized before the response is traced: the response event ends a trace.
    const bytes = serialize(pieces, response, parsed.method, body);
    traceStep('response', String(response.status), `${body.length} bytes`);
    if (socket.destroyed) return;
    socket.end(bytes);
    // A body refused unread is still on its way: read and drop it, so the answer is not lost to a reset.
    if (tooLarge) drain(socket);
  });
}

async function respond(parsed: Parsed, clientAddress: string, pieces: Pieces, handler: Handler, tooLarge?: Refusal): Promise<Response> {
  try {
    const request = pieces.objects ? yourRequest(pieces.objects, parsed, clientAddress) : kitRequest(parsed, clientAddress);
    traceStep('objects', whose('04', !!pieces.objects), `${request.method} ${request.path}`);
    if (tooLarge) {
      // As provided/serve.ts: whoever reads the body gets the 413, inside the middleware.
      Object.defineProperty(request, 'body', {
        get: () => {
          throw new HttpError(413, `Content Too Large: ${tooLarge.message}\n`);
        },
      });
    } else if (pieces.body) {
      traceStep('body', whose('05', true), await parseWithYours(pieces.body, request));
    } else if (parsed.body.length) {
      traceStep('body', whose('05', false), `${parsed.body.length} bytes, left as bytes`);
    }
    const response = await handler(request);
    if (!(response instanceof Response)) throw new TypeError(`The handler returned ${String(response)} instead of a Response.`);
    return response;
  } catch (error) {
    if (error instanceof PieceFailure) console.error(error.message);
    return errorResponse(error);
  }
}

/** The answer's bytes, by your 03 serializer (or the kit's); a failure there becomes a plain 500. */
function serialize(pieces: Pieces, response: Response, method: string, body: Buffer): Buffer {
  try {
    const bytes = pieces.serializer ? yourSerialize(pieces.serializer, response, method, body) : kitSerialize(response, method, body);
    traceStep('serialize', whose('03', !!pieces.serializer), `${bytes.length} bytes on the wire`);
    return bytes;
  } catch (error) {
    console.error(error instanceof PieceFailure ? error.message : error);
    const message = `Internal Server Error${error instanceof PieceFailure ? `: ${error.message}` : ''}\n`;
    traceStep('serialize', "the kit's serializer", 'a plain 500, after your serializer failed');
    return kitSerialize(Response.text(message, 500), method, Buffer.from(message));
  }
}

/** A request refused before it became a Request: answered by the serializer, then closed. */
function refuse(socket: net.Socket, pieces: Pieces, refusal: Refusal): void {
  if (socket.destroyed) return;
  console.log(`Refused with ${refusal.status}: ${refusal.message}`);
  const response = Response.text(`${refusal.message}\n`, refusal.status);
  socket.end(serialize(pieces, response, 'GET', Buffer.from(response.body)));
  drain(socket);
}

function drain(socket: net.Socket): void {
  socket.on('data', () => {});
  socket.resume();
  // Not forever: a client that keeps sending is cut off.
  setTimeout(() => socket.destroy(), bodyTimeoutMs()).unref();
}
