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

// TODO: Split the head (the text before the empty line) into the request line and the
// header fields. Store field names in lower case, keep every value of a repeated field,
// and strip the spaces and tabs around each value. Throw ParseError(400) when the request
// line is not METHOD SP target SP HTTP/x.y or its method is not a token; when a field line
// has no colon, or a name that is not a token (such as "X-Tag " or ""); when a value holds
// CR, LF or NUL; when an HTTP/1.1 request has no Host; and when any request has more than
// one Host line. Throw ParseError(505) when the major version is not 1 (HTTP/2.0).
// "GET /a HTTP/1.1\r\nHost: x\r\nAccept: a\r\nACCEPT: b"
//   -> { method: 'GET', target: '/a', version: 'HTTP/1.1', headers: Map { host => ['x'], accept => ['a', 'b'] } }
export function parseHead(head: string): RequestHead {
  throw new Error('TODO: parse the request line and the header fields');
}

// TODO: Return how many bytes of body follow the head: Content-Length, or 0 without it.
// Throw ParseError(400) when Content-Length is not digits only, is given more than once
// (even with the same value), or comes with Transfer-Encoding; throw ParseError(501) for
// Transfer-Encoding alone; throw ParseError(413) when it is larger than maxBodyBytes.
// Map { 'content-length' => ['5'] } -> 5
export function bodyLength(headers: HeaderFields): number {
  throw new Error('TODO: work out the body length');
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

  // TODO: Take the next complete request (head, empty line, body) off the front of
  // `buffered` and return it; return undefined while part of it has yet to arrive.
  // Throw ParseError(431) once the head takes more than maxHeadBytes.
  // buffered "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /b HT" -> the request for /, leaving "GET /b HT"
  next(): ParsedRequest | undefined {
    throw new Error('TODO: take the next complete request out of the bytes received so far');
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
