// Lesson 04: the response object. A view returns a Response; the plumbing at
// the bottom writes it to node's ServerResponse, as Django's WSGIHandler hands
// an HttpResponse's status and headers to start_response and returns its content.
import type { ServerResponse } from 'node:http';

export class Response {
  constructor(
    public body = '',
    public status = 200,
    /** Header names in lower case: { 'content-type': 'text/plain; charset=utf-8' }. */
    public headers: Record<string, string> = {},
  ) {}

  // TODO: Make a plain-text response labelled "text/plain; charset=utf-8".
  // Response.text('Not Found\n', 404) -> 404, content-type text/plain; charset=utf-8, body "Not Found\n"
  static text(body: string, status = 200): Response {
    throw new Error('TODO: make a text/plain response');
  }

  // TODO: Make a JSON response: the data as JSON text, labelled "application/json".
  // Response.json({ a: [1] }) -> 200, content-type application/json, body {"a":[1]} (indented, if you like)
  static json(data: unknown, status = 200): Response {
    throw new Error('TODO: make an application/json response');
  }
}

// Don't change anything below this line: it writes your Response to node's ServerResponse.
export function writeResponse(response: Response, out: ServerResponse): void {
  out.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) out.setHeader(name, value);
  out.setHeader('content-length', Buffer.byteLength(response.body));
  out.end(response.body);
}
