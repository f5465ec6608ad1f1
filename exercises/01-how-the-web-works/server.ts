// Lesson 01: a web server with nothing but TCP.
// node:net hands us raw bytes. We read the request line and write an HTTP/1.1
// response by hand: a status line, header fields, an empty line, the body.
import net from 'node:net';

export interface RequestLine {
  method: string;
  target: string;
  version: string;
}

// TODO: Split the request line (the text before the first CRLF) into its three parts.
// "GET /hello HTTP/1.1\r\nHost: …" -> { method: 'GET', target: '/hello', version: 'HTTP/1.1' }
export function parseRequestLine(request: string): RequestLine {
  throw new Error('TODO: split the request line into method, target and version');
}

// TODO: Build the whole response: the status line "HTTP/1.1 200 OK", the header
// fields "Content-Type: text/plain; charset=utf-8", "Content-Length" (in bytes)
// and "Connection: close", an empty line, then the body
// `Hello from Roundtrip — you asked for ${method} ${target}\n`.
// { method: 'GET', target: '/hello', version: 'HTTP/1.1' } -> "HTTP/1.1 200 OK\r\n…\r\n\r\nHello from Roundtrip — you asked for GET /hello\n"
export function buildResponse(line: RequestLine): string {
  throw new Error('TODO: build the response text');
}

// Don't change anything below this line: it connects your functions to the socket.
const server = net.createServer((socket) => {
  // A client that sends nothing for 10 s is disconnected (the grader sets a shorter time).
  socket.setTimeout(Number(process.env.ROUNDTRIP_SOCKET_TIMEOUT_MS) || 10_000, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.once('data', (bytes) => {
    try {
      const line = parseRequestLine(bytes.toString('latin1'));
      console.log(`${line.method} ${line.target}`);
      socket.end(buildResponse(line), 'utf8');
    } catch (error) {
      console.error(error);
      socket.destroy();
    }
  });
});

const port = Number(process.env.PORT ?? 3000);
server.listen(port, () => console.log(`Listening on http://localhost:${port}`));
