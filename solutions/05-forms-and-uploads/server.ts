// Lesson 05: reading what the client sent.
// A request body is bytes, and its Content-Type says how to read them. We read the
// bytes (never more than a limit), then parse them as a form, as JSON or as multipart.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HtmlPage, HttpError, serve } from '#provided/http-app.ts';

// Don't change these lines: the grader sends bodies, forms and JSON just over these limits.
export const BODY_LIMIT = 1024 * 1024;
export const FIELD_LIMIT = 1000;
export const JSON_DEPTH_LIMIT = 100;

/** Each field name with every value sent for it, in order: a form may repeat a name. */
export type Fields = Record<string, string[]>;
export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}
export interface Form {
  fields: Fields;
  files: UploadedFile[];
}
export type Body = Form | { json: unknown };

// "application/json; charset=utf-8" + '{"a":1}' -> { json: { a: 1 } }
// "Multipart/Form-Data; boundary=xyz" + its body -> what parseMultipart(body, 'xyz') returns
export async function parseBody(req: IncomingMessage): Promise<Body> {
  const contentType = req.headers['content-type'] ?? '';
  // The media type is what comes before ";", and it is case-insensitive (RFC 9110, section 8.3.1).
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  switch (mediaType) {
    case 'application/x-www-form-urlencoded':
      return { fields: parseUrlencoded(await readBody(req, BODY_LIMIT)), files: [] };
    case 'application/json':
      return { json: parseJson(await readBody(req, BODY_LIMIT)) };
    case 'multipart/form-data': {
      const boundary = parameters(contentType).get('boundary');
      // Without a boundary there is no telling where one part ends: the client's mistake.
      if (!boundary) throw new HttpError(400, 'A multipart/form-data body needs a boundary parameter.');
      return parseMultipart(await readBody(req, BODY_LIMIT), boundary);
    }
    default:
      // Refused before reading: there is no point in reading what we cannot parse.
      throw new HttpError(415, `Cannot read a body of type "${mediaType}".`);
  }
}

// POST with 'a=1&b=2' -> <Buffer 61 3d 31 26 62 3d 32>
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // A client that announces too much is refused before we read a byte of it.
    if (Number(req.headers['content-length']) > limit) {
      return reject(new HttpError(413, `The body is larger than ${limit} bytes.`));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      // A chunked body announces no length: count what arrives.
      if (size > limit) {
        // Stop reading: the rest of the body will never be looked at.
        req.off('data', onData).pause();
        return reject(new HttpError(413, `The body is larger than ${limit} bytes.`));
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    // The client went away in the middle of the body.
    req.on('error', reject);
  });
}

// 'tag=a&tag=b&q=caf%C3%A9+au+lait' -> { tag: ['a', 'b'], q: ['café au lait'] }
export function parseUrlencoded(body: Buffer): Fields {
  const pairs = body.toString('utf8').split('&').filter((pair) => pair !== '');
  // A small body can hold many fields ("a&a&a…"), and each costs memory: count them first.
  if (pairs.length > FIELD_LIMIT) throw new HttpError(400, `A form may have at most ${FIELD_LIMIT} fields.`);
  // No prototype: a field called "constructor" or "__proto__" is just a field.
  const fields: Fields = Object.create(null);
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    const [name, value] = equals === -1 ? [pair, ''] : [pair.slice(0, equals), pair.slice(equals + 1)];
    (fields[decode(name)] ??= []).push(decode(value));
  }
  return fields;
}

function decode(text: string): string {
  try {
    // In a form, "+" is a space; a real plus arrives as "%2B", so swap before decoding.
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new HttpError(400, `Malformed percent-escape in "${text}".`);
  }
}

// '{"a":[1,2]}' -> { a: [1, 2] }
export function parseJson(body: Buffer): unknown {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    // Bad JSON is the client's mistake, not a server error.
    throw new HttpError(400, 'The body is not valid JSON.');
  }
  // 10 KB of brackets, [[[…]]], is an array 5,000 levels deep, and code that walks it recursively
  // (JSON.stringify, when we echo it) runs out of stack: refuse it here.
  if (deeperThan(json, JSON_DEPTH_LIMIT)) throw new HttpError(400, `The JSON is nested deeper than ${JSON_DEPTH_LIMIT} levels.`);
  return json;
}

// Arrays and objects are one level each: deeperThan({ a: [1] }, 1) -> true, deeperThan({ a: [1] }, 2) -> false
function deeperThan(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  // Going down at most `levels` + 1 deep, whatever the document's depth.
  return levels === 0 || Object.values(value).some((child) => deeperThan(child, levels - 1));
}

// '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz--\r\n' -> { fields: { a: ['1'] }, files: [] }
export function parseMultipart(body: Buffer, boundary: string): Form {
  const form: Form = { fields: Object.create(null), files: [] };
  // Parts are separated by CRLF "--" boundary. We search Buffers, never strings:
  // a file's bytes need not be valid UTF-8, and decoding them would change them.
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first delimiter starts the body, with no CRLF before it: add one, so it looks like the others.
  const bytes = Buffer.concat([Buffer.from('\r\n'), body]);
  let at = bytes.indexOf(delimiter);
  let parts = 0;
  while (at !== -1) {
    const after = at + delimiter.length;
    // "--" right after a delimiter closes the body; what follows it (an epilogue) is ignored.
    if (bytes.toString('latin1', after, after + 2) === '--') return form;
    const next = bytes.indexOf(delimiter, after);
    if (next === -1) break;
    // Every part is a field, a file or not (RFC 7578): the same limit as a urlencoded form.
    if (++parts > FIELD_LIMIT) throw new HttpError(400, `A form may have at most ${FIELD_LIMIT} fields.`);
    addPart(form, bytes.subarray(after, next));
    at = next;
  }
  throw new HttpError(400, 'The multipart body does not end with its closing boundary.');
}

// '\r\nContent-Disposition: form-data; name="a"\r\n\r\n1' adds the field a = '1'.
function addPart(form: Form, part: Buffer): void {
  // The first empty line ends the headers; everything after it is the part's content.
  const headEnd = part.indexOf('\r\n\r\n');
  if (headEnd === -1) throw new HttpError(400, 'A multipart part has no empty line after its headers.');
  const headers = new Map<string, string>();
  for (const line of part.toString('utf8', 0, headEnd).split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const disposition = parameters(headers.get('content-disposition') ?? '');
  const name = disposition.get('name');
  if (name === undefined) throw new HttpError(400, 'A multipart part has no Content-Disposition with a name.');
  const data = part.subarray(headEnd + 4);
  const filename = disposition.get('filename');
  if (filename === undefined) {
    (form.fields[name] ??= []).push(data.toString('utf8'));
  } else {
    // RFC 7578, section 4.4: a part without a Content-Type is text/plain.
    form.files.push({ field: name, filename: baseName(filename), contentType: headers.get('content-type') ?? 'text/plain', data });
  }
}

// 'C:\\Users\\zoe\\dot.gif' -> 'dot.gif', '../../.ssh/authorized_keys' -> 'authorized_keys', '..' -> ''
function baseName(filename: string): string {
  // The client chose this name. A server that saved the file under it as sent would write
  // wherever the client says: keep what follows the last "/" or "\" (RFC 7578, section 4.2).
  const name = filename.slice(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
  return name === '.' || name === '..' ? '' : name;
}

// 'form-data; name="a"; filename="b.txt"' -> Map { 'name' => 'a', 'filename' => 'b.txt' }
function parameters(headerValue: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const [, name = '', quoted, token] of headerValue.matchAll(/;\s*([^\s=;]+)\s*=\s*(?:"([^"]*)"|([^\s;]*))/g)) {
    found.set(name.toLowerCase(), quoted ?? token ?? '');
  }
  return found;
}

// Don't change anything below this line: POST /echo answers with what your parser found.
serve({
  'GET /': () => new HtmlPage(uploadForm),
  'POST /echo': async (req) => describe(await parseBody(req)),
});

// Files are summed up by size and SHA-256, so the grader can check that every byte arrived.
function describe(body: Body) {
  if ('json' in body) return body;
  const files = body.files.map(({ data, ...file }) => ({ ...file, size: data.length, sha256: createHash('sha256').update(data).digest('hex') }));
  return { fields: body.fields, files };
}

const uploadForm = `<!doctype html><meta charset="utf-8"><title>Roundtrip 05</title>
<form method="post" action="/echo" enctype="multipart/form-data">
  <input name="title" value="Holiday"> <input type="file" name="photo" multiple> <button>Send</button>
</form>`;
