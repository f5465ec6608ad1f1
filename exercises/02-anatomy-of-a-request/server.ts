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

// TODO: Split the head (the text before the empty line) into the request line and the
// header fields. Store field names in lower case, keep every value of a repeated field,
// and strip the spaces and tabs around each value. Throw ParseError(400) when the request
// line is not METHOD SP target SP HTTP/x.y; when a field line has no colon, or has
// whitespace before its colon; when a value holds CR, LF or NUL; when an HTTP/1.1 request
// has no Host; and when any request has more than one Host line.
// "GET /a HTTP/1.1\r\nHost: x\r\nAccept: a\r\nACCEPT: b"
//   -> { method: 'GET', target: '/a', version: 'HTTP/1.1', headers: Map { host => ['x'], accept => ['a', 'b'] } }
export function parseHead(head: string): RequestHead {
  throw new Error('TODO: parse the request line and the header fields');
}

// TODO: Return how many bytes of body follow the head: Content-Length, or 0 without it.
// Throw ParseError(400) when Content-Length is not digits only, is given more than once
// (even with the same value), or comes with Transfer-Encoding; throw ParseError(501) for
// Transfer-Encoding alone.
// Map { 'content-length' => ['5'] } -> 5
export function bodyLength(headers: HeaderFields): number {
  throw new Error('TODO: work out the body length');
}

export class RequestParser {
  private buffered = Buffer.alloc(0);

  // Don't change this method: the server calls it with every chunk the socket reads.
  push(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
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
