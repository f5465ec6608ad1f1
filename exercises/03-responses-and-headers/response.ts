// Lesson 03: the response serializer. A handler describes its answer as data
// (status, headers, body); serializeResponse turns that data into the exact
// bytes that go on the wire. server.ts calls these functions for every request.

export interface HttpResponse {
  status: number;
  /** The fields the handler chose. serializeResponse adds Date and Content-Length itself. */
  headers: Record<string, string>;
  body: string | Buffer;
}

// TODO: Return the reason phrase for each code this server sends: 200, 201, 204,
// 301, 304, 400, 404, 408, 413, 431, 500 and 501. Return an empty string for any other code.
// 404 -> 'Not Found'
export function reasonPhrase(status: number): string {
  throw new Error('TODO: return the reason phrase for a status code (reasonPhrase in response.ts)');
}

// TODO: Build a plain-text response whose Content-Type says which charset the text is in.
// textResponse('Hi — there\n') -> { status: 200, headers: { 'Content-Type': '…' }, body: 'Hi — there\n' }
export function textResponse(text: string, status = 200): HttpResponse {
  throw new Error('TODO: build a text/plain response with a charset (textResponse in response.ts)');
}

// TODO: Build a JSON response: serialize `data` and label the body as JSON.
// jsonResponse({ youSaid: 'hi' }) -> { status: 200, headers: { 'Content-Type': '…' }, body: '{"youSaid":"hi"}' }
export function jsonResponse(data: unknown, status = 200): HttpResponse {
  throw new Error('TODO: build an application/json response (jsonResponse in response.ts)');
}

// TODO: Turn the response into bytes: the status line with its reason phrase, one
// "Name: value" line per header, plus Date and Content-Length (in bytes), an empty
// line, then the body. Send no body to HEAD (but the same headers as GET), and
// neither a body nor Content-Length with 204 or 304. Write no Content-Length or
// Transfer-Encoding of the handler's (the framing is yours). Throw if a header
// name or value contains CR, LF or another character a header may not contain.
// { status: 404, headers: { 'Content-Type': … }, body: 'Not Found\n' }, 'GET'
//   -> "HTTP/1.1 404 Not Found\r\nContent-Type: …\r\nDate: …\r\nContent-Length: 10\r\n\r\nNot Found\n"
export function serializeResponse(response: HttpResponse, requestMethod: string): Buffer {
  throw new Error('TODO: turn the response into bytes for the wire (serializeResponse in response.ts)');
}
