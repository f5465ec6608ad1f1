// Lesson 03: a small server whose routes exercise your serializer in response.ts.
// You don't need to change this file: read the routes to see what each returns.
import { createHash } from 'node:crypto';
import net from 'node:net';
import { readRequest, RequestError, type IncomingRequest } from '#provided/request-reader.ts';
import { jsonResponse, serializeResponse, textResponse, type HttpResponse } from './response.ts';

const notes = new Map<string, string>();
let lastNoteId = 0;
const cachedPage = 'This page rarely changes, so clients may keep a copy.\n';
const cachedPageTag = `"${createHash('sha256').update(cachedPage).digest('base64url').slice(0, 16)}"`;

function route(request: IncomingRequest): HttpResponse {
  const url = new URL(request.target, 'http://localhost');
  // HEAD is routed like GET; the serializer leaves out the body.
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  const key = `${method} ${url.pathname}`;

  // GET /text?say=héllo -> 200 "You said: héllo\n" as text/plain
  if (key === 'GET /text') return textResponse(`You said: ${url.searchParams.get('say') ?? 'hello'}\n`);
  // GET /json?say=héllo -> 200 {"youSaid":"héllo"} as application/json
  if (key === 'GET /json') return jsonResponse({ youSaid: url.searchParams.get('say') ?? 'hello' });
  // GET /old-text -> 301, Location: /text
  if (key === 'GET /old-text') return { status: 301, headers: { Location: '/text' }, body: '' };
  // GET /cached -> 200 with an ETag; with If-None-Match naming that ETag -> 304, no body
  if (key === 'GET /cached') {
    const known = request.headers.get('if-none-match')?.split(',').map((tag) => tag.trim()) ?? [];
    // The handler may leave the page in the body: a 304 never carries one, so the serializer drops it.
    if (known.includes(cachedPageTag) || known.includes('*')) return { status: 304, headers: { ETag: cachedPageTag }, body: cachedPage };
    const page = textResponse(cachedPage);
    page.headers['ETag'] = cachedPageTag;
    return page;
  }
  // POST /notes with a text body -> 201, Location: /notes/1
  if (key === 'POST /notes') {
    const id = String(++lastNoteId);
    notes.set(id, request.body.toString('utf8'));
    const created = textResponse(`Saved note ${id}.\n`, 201);
    created.headers['Location'] = `/notes/${id}`;
    return created;
  }
  // GET /notes/1 -> 200 with the note; DELETE /notes/1 -> 204, nothing else to say
  const id = url.pathname.match(/^\/notes\/(\d+)$/)?.[1];
  if (id !== undefined && notes.has(id)) {
    if (method === 'GET') return textResponse(notes.get(id)!);
    if (method === 'DELETE') {
      notes.delete(id);
      // A 204 never carries a body, whatever the handler says: the serializer drops this one.
      return { status: 204, headers: {}, body: `Deleted note ${id}.\n` };
    }
  }
  // GET /echo-header?value=abc -> 200 with the header "X-Echo: abc"
  // GET /echo-header?name=X-Tag&value=abc -> 200 with the header "X-Tag: abc"
  if (key === 'GET /echo-header') {
    const echo = textResponse('See the X-Echo header.\n');
    echo.headers[url.searchParams.get('name') ?? 'X-Echo'] = url.searchParams.get('value') ?? '';
    return echo;
  }
  // GET /broken -> 500: this route fails on purpose
  if (key === 'GET /broken') throw new Error('This route fails on purpose.');
  return textResponse('Not Found\n', 404);
}

// Don't change anything below this line: it connects your functions to the socket.
const lastResort = Buffer.from(
  'HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\n' +
    'Content-Length: 22\r\nConnection: close\r\n\r\nInternal Server Error\n',
);

function respond(method: string, handle: () => HttpResponse): Buffer {
  try {
    return serialize(handle(), method);
  } catch (error) {
    console.error(error);
    try {
      return serialize(textResponse('Internal Server Error\n', 500), method);
    } catch (again) {
      // Your code failed again while answering the error: send fixed bytes so the client hears back.
      if (String(again) !== String(error)) console.error(again);
      return lastResort;
    }
  }
}

function serialize(response: HttpResponse, method: string): Buffer {
  // One request per connection: say so, then close.
  response.headers['Connection'] = 'close';
  return serializeResponse(response, method);
}

const server = net.createServer((socket) => {
  socket.on('error', () => socket.destroy());
  readRequest(socket).then(
    (request) => {
      console.log(`${request.method} ${request.target}`);
      socket.end(respond(request.method, () => route(request)));
    },
    (error: unknown) => {
      if (!(error instanceof RequestError)) return socket.destroy();
      socket.end(respond('GET', () => textResponse(`${error.message}\n`, error.status)));
    },
  );
});

const port = Number(process.env.PORT ?? 3000);
server.listen(port, () => console.log(`Listening on http://localhost:${port}`));
