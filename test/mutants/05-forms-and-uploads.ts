import type { Mutant } from '../support/mutants.ts';

export default [
  {
    name: 'keeps only the last value of a repeated name',
    find: '(fields[decode(name)] ??= []).push(decode(value));',
    replace: 'fields[decode(name)] = [decode(value)];',
    caughtBy: 'keeps every value of a repeated name in a urlencoded form',
  },
  {
    name: 'leaves "+" as a plus sign',
    find: "decodeURIComponent(text.replace(/\\+/g, ' '))",
    replace: 'decodeURIComponent(text)',
    caughtBy: 'decodes "+" as a space and %XX escapes as UTF-8 in a urlencoded form',
  },
  {
    name: 'decodes JSON as Latin-1, which garbles "ë"',
    find: "JSON.parse(body.toString('utf8'))",
    replace: "JSON.parse(body.toString('latin1'))",
    caughtBy: 'echoes a JSON object it was sent',
  },
  {
    name: 'compares the media type case-sensitively',
    find: "contentType.split(';')[0]!.trim().toLowerCase()",
    replace: "contentType.split(';')[0]!.trim()",
    caughtBy: 'reads the media type case-insensitively and ignores parameters like charset',
  },
  {
    name: 'compares the whole Content-Type, charset included',
    find: "contentType.split(';')[0]!.trim().toLowerCase()",
    replace: "(contentType.startsWith('multipart/') ? contentType.split(';')[0]! : contentType).trim().toLowerCase()",
    caughtBy: 'reads the media type case-insensitively and ignores parameters like charset',
  },
  {
    name: 'splits multipart at "--" + boundary, keeping the CRLF in every value',
    find: 'const delimiter = Buffer.from(`\\r\\n--${boundary}`);',
    replace: 'const delimiter = Buffer.from(`--${boundary}`);',
    caughtBy: 'parses the text fields of a multipart form',
  },
  {
    name: 'decodes the multipart body as a string (corrupts binary files)',
    find: "const bytes = Buffer.concat([Buffer.from('\\r\\n'), body]);",
    replace: "const bytes = Buffer.from('\\r\\n' + body.toString('utf8'));",
    caughtBy: 'receives uploaded files byte for byte',
  },
  {
    name: 'refuses a body of exactly the limit',
    find: 'if (size > limit) {',
    replace: 'if (size >= limit) {',
    caughtBy: 'accepts a body of exactly the limit (1 MiB)',
  },
  {
    name: 'counts only while streaming, never looks at Content-Length',
    find: "if (Number(req.headers['content-length']) > limit) {",
    replace: 'if (false) {',
    caughtBy: 'answers 413 when Content-Length is over the limit, before the body arrives',
  },
  {
    name: 'checks only Content-Length, not the bytes that arrive',
    find: 'if (size > limit) {',
    replace: 'if (false) {',
    caughtBy: 'answers 413 when a chunked body grows over the limit',
  },
  {
    name: 'treats any other media type as a form',
    find: 'throw new HttpError(415, `Cannot read a body of type "${mediaType}".`);',
    replace: 'return { fields: parseUrlencoded(await readBody(req, BODY_LIMIT)), files: [] };',
    caughtBy: 'answers 415 for a Content-Type it cannot read',
  },
  {
    name: 'lets JSON.parse errors become 500',
    find: "throw new HttpError(400, 'The body is not valid JSON.');",
    replace: "throw new Error('The body is not valid JSON.');",
    caughtBy: 'answers 400 for malformed JSON',
  },
  {
    name: 'throws a plain Error for a missing boundary (500)',
    find: "throw new HttpError(400, 'A multipart/form-data body needs a boundary parameter.');",
    replace: "throw new Error('A multipart/form-data body needs a boundary parameter.');",
    caughtBy: 'answers 400 for multipart/form-data without a boundary',
  },
  {
    name: 'trusts every part to have a Content-Disposition (TypeError, 500)',
    find: "parameters(headers.get('content-disposition') ?? '')",
    replace: "parameters(headers.get('content-disposition')!)",
    caughtBy: 'answers other malformed bodies with 400 and keeps running',
  },
] satisfies Mutant[];
