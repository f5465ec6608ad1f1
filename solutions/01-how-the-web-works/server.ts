// Lesson 01: a web server with nothing but TCP.
// node:net hands us raw bytes. We read the request line and write an HTTP/1.1
// response by hand: a status line, header fields, an empty line, the body.
import net from 'node:net';

export interface RequestLine {
  method: string;
  target: string;
  version: string;
}

// "GET /hello HTTP/1.1\r\nHost: …" -> { method: 'GET', target: '/hello', version: 'HTTP/1.1' }
export function parseRequestLine(request: string): RequestLine {
  // The request line ends at the first CRLF; its three parts are separated by single spaces.
  const end = request.indexOf('\r\n');
  const firstLine = end === -1 ? request : request.slice(0, end);
  const [method = '', target = '', version = ''] = firstLine.split(' ');
  return { method, target, version };
}

// { method: 'GET', target: '/hello', version: 'HTTP/1.1' } -> "HTTP/1.1 200 OK\r\n…\r\n\r\nHello from Roundtrip — you asked for GET /hello\n"
export function buildResponse(line: RequestLine): string {
  const body = `Hello from Roundtrip — you asked for ${line.method} ${line.target}\n`;
  const head = [
    'HTTP/1.1 200 OK',
    // Without a charset, a client may guess the wrong encoding for "—".
    'Content-Type: text/plain; charset=utf-8',
    // Content-Length counts bytes: "—" is one character but three bytes in UTF-8.
    `Content-Length: ${Buffer.byteLength(body, 'utf8')}`,
    // We close the socket after one response, and say so.
    'Connection: close',
  ];
  // Every line of the head ends with CRLF, and an empty line ends the head.
  return head.map((field) => `${field}\r\n`).join('') + '\r\n' + body;
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
