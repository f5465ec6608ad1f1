// Lesson 03: the response serializer. A handler describes its answer as data
// (status, headers, body); serializeResponse turns that data into the exact
// bytes that go on the wire. server.ts calls these functions for every request.

export interface HttpResponse {
  status: number;
  /** The fields the handler chose. serializeResponse adds Date and Content-Length itself. */
  headers: Record<string, string>;
  body: string | Buffer;
}

// Reason phrases from RFC 9110, section 15, for every code this server sends:
// the routes' and the request reader's refusals. (node:http has a full table in STATUS_CODES.)
const reasonPhrases: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  304: 'Not Modified',
  400: 'Bad Request',
  404: 'Not Found',
  408: 'Request Timeout',
  413: 'Content Too Large',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
};

// 404 -> 'Not Found'
export function reasonPhrase(status: number): string {
  // The phrase is for humans; clients act on the code. RFC 9112 allows an empty phrase,
  // so an unknown code still makes a valid status line: "HTTP/1.1 299 ".
  return reasonPhrases[status] ?? '';
}

// textResponse('Hi — there\n') -> { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'Hi — there\n' }
export function textResponse(text: string, status = 200): HttpResponse {
  // Without a charset a client has to guess how to decode the bytes, and may guess wrong.
  return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: text };
}

// jsonResponse({ youSaid: 'hi' }) -> { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"youSaid":"hi"}' }
export function jsonResponse(data: unknown, status = 200): HttpResponse {
  // JSON is always UTF-8 (RFC 8259, section 8.1), so application/json has no charset parameter.
  return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(data) };
}

// A field name is a token; a field value is tabs, spaces, visible ASCII and
// bytes 0x80–0xFF (RFC 9110, section 5.5). Never CR, LF or NUL.
const fieldName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const fieldValue = /^[\t\x20-\x7e\x80-\xff]*$/;
// How a message says where its body ends (RFC 9112, section 6): the serializer's to write, nobody else's.
const framingFields = ['content-length', 'transfer-encoding'];

// { status: 404, headers: { 'Content-Type': … }, body: 'Not Found\n' }, 'GET'
//   -> "HTTP/1.1 404 Not Found\r\nContent-Type: …\r\nDate: …\r\nContent-Length: 10\r\n\r\nNot Found\n"
export function serializeResponse(response: HttpResponse, requestMethod: string): Buffer {
  const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
  // 1xx, 204 and 304 responses end at the empty line, whatever the headers say (RFC 9112, section 6.3).
  const bodiless = response.status < 200 || response.status === 204 || response.status === 304;
  const fields: [string, string][] = [
    // The framing is ours alone: a Content-Length or Transfer-Encoding the handler set would stand beside
    // the one we write, and two framings let a client and a proxy disagree on where the body ends.
    ...Object.entries(response.headers).filter(([name]) => !framingFields.includes(name.toLowerCase())),
    // A server with a clock must send Date (RFC 9110, section 6.6.1); toUTCString() writes IMF-fixdate.
    ['Date', new Date().toUTCString()],
  ];
  // Content-Length counts bytes, not characters. It is forbidden with 1xx and 204 (RFC 9110,
  // section 8.6); with 304 it may only repeat the 200's length, which we don't know, so we leave it out.
  // HEAD may leave it out, but if sent it must be the GET body's length: so count it for HEAD too.
  if (!bodiless) fields.push(['Content-Length', String(body.length)]);

  let head = `HTTP/1.1 ${response.status} ${reasonPhrase(response.status)}\r\n`;
  for (const [name, value] of fields) {
    // A CR or LF would end the line early and smuggle in a header of the client's choosing.
    if (!fieldName.test(name) || !fieldValue.test(value)) {
      throw new Error(`Refusing to send the header field ${JSON.stringify(`${name}: ${value}`)}: it contains an invalid character.`);
    }
    head += `${name}: ${value}\r\n`;
  }
  head += '\r\n';
  // HEAD gets exactly the head a GET would get, and never a body (RFC 9110, section 9.3.2).
  const sendBody = !bodiless && requestMethod !== 'HEAD';
  // latin1 writes each character below 256 as one byte; the check above let nothing else through.
  return Buffer.concat([Buffer.from(head, 'latin1'), sendBody ? body : Buffer.alloc(0)]);
}
