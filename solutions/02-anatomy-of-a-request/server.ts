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
    readonly status: 400 | 431 | 501,
    message: string,
  ) {
    super(message);
  }
}

/** The most bytes a head may take, its final empty line included. */
export const maxHeadBytes = 8 * 1024;

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
  if (version === 'HTTP/1.1' && hosts.length === 0) throw new ParseError(400, 'An HTTP/1.1 request needs a Host header');
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
  return Number(length);
}

export class RequestParser {
  private buffered = Buffer.alloc(0);

  // Don't change this method: the server calls it with every chunk the socket reads.
  push(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
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
const reasons: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
};

function answer(socket: net.Socket, status: number, type: string, text: string, close: boolean): void {
  const body = Buffer.from(text, 'utf8');
  const connection = close ? 'Connection: close\r\n' : '';
  socket.write(`HTTP/1.1 ${status} ${reasons[status]}\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\n${connection}\r\n`);
  socket.write(body);
  if (close) socket.end();
}

const server = net.createServer((socket) => {
  const parser = new RequestParser();
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk) => {
    if (socket.writableEnded) return; // We refused this connection already.
    try {
      parser.push(chunk);
      for (let request = parser.next(); request; request = parser.next()) {
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
