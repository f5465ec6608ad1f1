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

// TODO: Pick the parser by the media type in Content-Type, compared case-insensitively and
// without parameters such as charset, and read the body with readBody(req, BODY_LIMIT).
// multipart/form-data needs its boundary parameter (400 without it); any other type is a 415.
// "application/json; charset=utf-8" + '{"a":1}' -> { json: { a: 1 } }
// "Multipart/Form-Data; boundary=xyz" + its body -> what parseMultipart(body, 'xyz') returns
export async function parseBody(req: IncomingMessage): Promise<Body> {
  throw new Error('TODO: choose the parser from the Content-Type, and read the body with it');
}

// TODO: Collect the body into one Buffer. Throw new HttpError(413, …) and stop reading as soon
// as it is larger than `limit`: check Content-Length first, then count the bytes as they arrive.
// POST with 'a=1&b=2' -> <Buffer 61 3d 31 26 62 3d 32>
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  throw new Error('TODO: read the body into one Buffer, refusing more than `limit` bytes with a 413');
}

// TODO: Split at "&" and at the first "=", turn "+" into a space, then decode the %XX escapes.
// More than FIELD_LIMIT name=value pairs is a 400.
// 'tag=a&tag=b&q=caf%C3%A9+au+lait' -> { tag: ['a', 'b'], q: ['café au lait'] }
export function parseUrlencoded(body: Buffer): Fields {
  throw new Error('TODO: parse the urlencoded form into fields');
}

// TODO: Parse the body as JSON. Malformed JSON is the client's mistake: a 400, not a 500.
// So is JSON nested deeper than JSON_DEPTH_LIMIT arrays and objects.
// '{"a":[1,2]}' -> { a: [1, 2] }
export function parseJson(body: Buffer): unknown {
  throw new Error('TODO: parse the body as JSON, answering 400 when it is malformed or too deep');
}

// TODO: Split the body at CRLF "--" boundary, up to the closing "--" boundary "--". Each part has
// header lines (Content-Disposition with a name, and a filename for files; maybe a Content-Type),
// an empty line, then its bytes. Keep a file's bytes in a Buffer. Any other shape is a 400, and
// so are more than FIELD_LIMIT parts. Keep only a filename's last part, after any "/" or "\".
// '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz--\r\n' -> { fields: { a: ['1'] }, files: [] }
export function parseMultipart(body: Buffer, boundary: string): Form {
  throw new Error('TODO: split the multipart body into fields and files');
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
