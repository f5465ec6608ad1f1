// Lesson 02: reading a request off the wire.
// A socket delivers bytes in chunks of any size. RequestParser collects them and
// hands back each request once its head and its whole body have arrived.
import net from 'node:net';

/** Field names in lower case, each with its values in the order they arrived. */
export type HeaderFields = Map<string, string[]>;

export interface RequestHead {
  method: string;
  target: string;
  version: string;
  headers: HeaderFields;
}

export interface ParsedRequest extends RequestHead {
  body: Buffer;
}

/** A request we refuse: the server answers with `status` and closes the connection. */
export class ParseError extends Error {
  constructor(
    readonly status: 400 | 413 | 431 | 501 | 505,
    message: string,
  ) {
    super(message);
  }
}

/** The most bytes a head may take, its final empty line included. */
export const maxHeadBytes = 8 * 1024;

/** The most bytes a body may take. */
export const maxBodyBytes = 1024 * 1024;

// A token is what methods and field names are made of (RFC 9110, section 5.6.2).
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

// "GET /a HTTP/1.1\r\nHost: x\r\nAccept: a\r\nACCEPT: b"
//   -> { method: 'GET', target: '/a', version: 'HTTP/1.1', headers: Map { host => ['x'], accept => ['a', 'b'] } }
export function parseHead(head: string): RequestHead {
  const [requestLine = '', ...fieldLines] = head.split('\r\n');
  const parts = requestLine.split(' ');
  const [method = '', target = '', version = ''] = parts;
  if (parts.length !== 3 || !token.test(method) || target === '' || !/^HTTP\/\d\.\d$/.test(version)) {
    throw new ParseError(400, `Malformed request line: ${JSON.stringify(requestLine)}`);
  }
  // We speak HTTP/1: another major version (HTTP/2.0, HTTP/9.9) gets 505 (RFC 9110, section 15.6.6).
  if (!version.startsWith('HTTP/1.')) throw new ParseError(505, `This server speaks HTTP/1.1, not ${version}`);

  const headers: HeaderFields = new Map();
  for (const line of fieldLines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    // A name must be a token, so "Host : x" is refused (RFC 9112, section 5.1), and so is
    // an old-style folded line, which starts with a space.
    if (colon === -1 || !token.test(name)) {
      throw new ParseError(400, `Malformed header field: ${JSON.stringify(line)}`);
    }
    // Names are case-insensitive, so we keep them in one case. Around a value, only
    // spaces and tabs are optional whitespace; trim() would eat more (such as byte 0xA0).
    const key = name.toLowerCase();
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    // A stray line break or NUL in a value could end the field early for some other
    // parser on the way; RFC 9110 (section 5.5) says reject it or replace it.
    if (/[\r\n\0]/.test(value)) throw new ParseError(400, `Line break or NUL in the value of ${name}`);
    headers.set(key, [...(headers.get(key) ?? []), value]);
  }

  // Without Host, a server shared by several sites cannot tell which one is meant; with two,
  // it cannot tell which to believe (RFC 9112, section 3.2).
  const hosts = headers.get('host') ?? [];
  if (hosts.length > 1) throw new ParseError(400, 'A request may carry only one Host header');
  // A later HTTP/1.x counts as HTTP/1.1 (RFC 9110, section 2.5): only HTTP/1.0 may leave Host out.
  if (version !== 'HTTP/1.0' && hosts.length === 0) throw new ParseError(400, 'An HTTP/1.1 request needs a Host header');
  return { method, target, version, headers };
}

// Map { 'content-length' => ['5'] } -> 5
export function bodyLength(headers: HeaderFields): number {
  const lengths = headers.get('content-length') ?? [];
  if (headers.has('transfer-encoding')) {
    // Two framings in one request: if a proxy in front of us trusted the other one, the
    // bytes it thinks are a body would be a second, smuggled request to us. Refuse.
    if (lengths.length > 0) throw new ParseError(400, 'Content-Length and Transfer-Encoding together');
    throw new ParseError(501, 'Transfer-Encoding is not supported by this server');
  }
  if (lengths.length === 0) return 0;
  const [length = ''] = lengths;
  // Only digits: Number() would accept "-1", "+3" and "0x10"; parseInt() would accept "3abc".
  if (lengths.length > 1 || !/^\d+$/.test(length)) {
    throw new ParseError(400, `Invalid Content-Length: ${JSON.stringify(lengths.join(', '))}`);
  }
  // Refuse from the head alone, before a single byte of a body too large to keep.
  if (Number(length) > maxBodyBytes) throw new ParseError(413, `The body is larger than ${maxBodyBytes} bytes`);
  return Number(length);
}

export class RequestParser {
  private buffered: Buffer = Buffer.alloc(0);

  // Don't change push or pending: the server calls push with every chunk the socket reads,
  // and asks pending whether part of a request has arrived.
  push(chunk: Buffer): void {
    this.buffered = append(this.buffered, chunk);
  }

  get pending(): boolean {
    return this.buffered.length > 0;
  }

  next(): ParsedRequest | undefined {
    const headEnd = this.buffered.indexOf('\r\n\r\n');
    // Without a limit, a client could keep us buffering a head that never ends.
    const headSize = headEnd === -1 ? this.buffered.length : headEnd + 4;
    if (headSize > maxHeadBytes) throw new ParseError(431, `The head is larger than ${maxHeadBytes} bytes`);
    if (headEnd === -1) return undefined;

    // latin1 turns each byte into one character, so string offsets stay byte offsets.
    const head = parseHead(this.buffered.subarray(0, headEnd).toString('latin1'));
    const bodyStart = headEnd + 4;
    const bodyEnd = bodyStart + bodyLength(head.headers);
    // Content-Length counts bytes, and they may still be on their way.
    if (this.buffered.length < bodyEnd) return undefined;

    const body = this.buffered.subarray(bodyStart, bodyEnd);
    // Whatever follows the body is the start of the next request on this connection.
    this.buffered = this.buffered.subarray(bodyEnd);
    return { ...head, body };
  }
}

// Don't change anything below this line: it feeds the socket to your parser and answers.

/**
 * Each request must arrive whole within this time, counted from the connection's start or
 * the end of the request before it: 10 s, or ROUNDTRIP_SOCKET_TIMEOUT_MS (the grader's).
 */
const requestTimeoutMs = Number(process.env.ROUNDTRIP_SOCKET_TIMEOUT_MS) || 10_000;

const reasons: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Content Too Large',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  505: 'HTTP Version Not Supported',
};

/** How many bytes of each block `append` has filled. */
const filled = new WeakMap<ArrayBufferLike, number>();

/**
 * `buffered` followed by `chunk`. The bytes live in a block with room to spare, so a chunk
 * is usually copied once, after the others; a full block is replaced by one twice the size.
 * Buffer.concat per chunk would copy everything buffered each time: seconds for 16 MB.
 */
function append(buffered: Buffer, chunk: Buffer): Buffer {
  const start = buffered.byteOffset;
  const end = start + buffered.length;
  const block = buffered.buffer;
  if (filled.get(block) === end && end + chunk.length <= block.byteLength) {
    chunk.copy(Buffer.from(block), end);
    filled.set(block, end + chunk.length);
    return Buffer.from(block, start, buffered.length + chunk.length);
  }
  const grown = Buffer.alloc(Math.max(16 * 1024, 2 * (buffered.length + chunk.length)));
  buffered.copy(grown);
  chunk.copy(grown, buffered.length);
  filled.set(grown.buffer, buffered.length + chunk.length);
  return grown.subarray(0, buffered.length + chunk.length);
}

function answer(socket: net.Socket, status: number, type: string, text: string, close: boolean): void {
  const body = Buffer.from(text, 'utf8');
  const connection = close ? 'Connection: close\r\n' : '';
  socket.write(`HTTP/1.1 ${status} ${reasons[status]}\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\n${connection}\r\n`);
  socket.write(body);
  if (close) socket.end();
}

const server = net.createServer((socket) => {
  const parser = new RequestParser();
  let timer: NodeJS.Timeout | undefined;
  const startClock = () => {
    clearTimeout(timer);
    // setImmediate: bytes that arrived while this process was busy are read before we judge.
    timer = setTimeout(() => setImmediate(timeUp, timer), requestTimeoutMs);
  };
  const timeUp = (fired: NodeJS.Timeout | undefined) => {
    if (fired !== timer || socket.destroyed) return; // A request completed meanwhile.
    if (socket.writableEnded || !parser.pending) {
      socket.destroy(); // Nothing started (or we refused already): close without a word.
    } else {
      console.log(`Refused with 408: the request did not arrive within ${requestTimeoutMs} ms`);
      answer(socket, 408, 'text/plain; charset=utf-8', 'The request did not arrive in time\n', true);
      startClock(); // If the client never closes its side, destroy the socket next time.
    }
  };
  startClock();
  socket.on('close', () => clearTimeout(timer));
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk) => {
    if (socket.writableEnded) return; // We refused this connection already.
    try {
      parser.push(chunk);
      for (let request = parser.next(); request; request = parser.next()) {
        startClock(); // The next request's time starts now.
        console.log(`${request.method} ${request.target} (${request.body.length} bytes of body)`);
        const { method, target, version, headers, body } = request;
        const echo = { method, target, version, headers: Object.fromEntries(headers), body: body.toString('utf8') };
        // HTTP/1.1 keeps the connection open for more requests, unless the client asks to close it.
        const options = (headers.get('connection') ?? []).join(',').toLowerCase().split(',');
        const close = version !== 'HTTP/1.1' || options.some((option) => option.trim() === 'close');
        answer(socket, 200, 'application/json', JSON.stringify(echo, null, 2) + '\n', close);
        if (close) return;
      }
    } catch (error) {
      if (error instanceof ParseError) {
        console.log(`Refused with ${error.status}: ${error.message}`);
        answer(socket, error.status, 'text/plain; charset=utf-8', `${error.message}\n`, true);
      } else {
        console.error(error);
        answer(socket, 500, 'text/plain; charset=utf-8', 'Internal Server Error\n', true);
      }
    }
  });
});

const port = Number(process.env.PORT ?? 3000);
server.listen(port, () => console.log(`Listening on http://localhost:${port}`));
