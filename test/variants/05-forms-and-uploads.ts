import type { Variant } from '../support/mutants.ts';

export default [
  {
    name: 'parses the form with URLSearchParams, collects fields in a Map and words its refusals differently',
    edits: [
      {
        find: /  const pairs = body\.toString\('utf8'\)[\s\S]*?\n  return fields;\n/,
        replace: [
          "  const params = [...new URLSearchParams(body.toString('utf8'))];",
          "  if (params.length > FIELD_LIMIT) throw new HttpError(400, 'Too many fields.');",
          '  const fields = new Map<string, string[]>();',
          '  for (const [name, value] of params) fields.set(name, [...(fields.get(name) ?? []), value]);',
          '  return Object.fromEntries(fields);',
          '',
        ].join('\n'),
      },
      { find: "throw new HttpError(400, 'The body is not valid JSON.');", replace: "throw new HttpError(400, 'Malformed JSON, sorry.');" },
      { find: 'throw new HttpError(415, `Cannot read a body of type "${mediaType}".`);', replace: "throw new HttpError(415, 'Send a form or JSON.');" },
    ],
  },
  {
    name: 'measures the JSON depth by scanning the text, and cuts file names with path.win32.basename',
    edits: [
      {
        find: 'if (deeperThan(json, JSON_DEPTH_LIMIT)) throw',
        replace: "if (deepestNesting(body.toString('utf8')) > JSON_DEPTH_LIMIT) throw",
      },
      {
        find: '// Arrays and objects are one level each:',
        replace: [
          '// The deepest nesting of brackets outside strings: \'[{"a":"[["}]\' -> 2',
          'function deepestNesting(text: string): number {',
          '  let depth = 0;',
          '  let deepest = 0;',
          '  let inString = false;',
          '  for (let i = 0; i < text.length; i++) {',
          '    const c = text[i];',
          "    if (inString) {",
          "      if (c === '\\\\') i++;",
          "      else if (c === '\"') inString = false;",
          "    } else if (c === '\"') inString = true;",
          "    else if (c === '[' || c === '{') deepest = Math.max(deepest, ++depth);",
          "    else if (c === ']' || c === '}') depth--;",
          '  }',
          '  return deepest;',
          '}',
          '',
          '// Arrays and objects are one level each:',
        ].join('\n'),
      },
      {
        find: "const name = filename.slice(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\\\')) + 1);",
        replace: 'const name = win32.basename(filename);',
      },
      { find: "import { createHash } from 'node:crypto';", replace: "import { createHash } from 'node:crypto';\nimport { win32 } from 'node:path';" },
    ],
  },
  {
    name: 'finds part headers with a case-insensitive pattern, cuts file names with split, and measures the whole JSON depth without recursion',
    edits: [
      {
        find: /  const headers = new Map<string, string>\(\);\n[\s\S]*?\n  \}\n  const disposition = parameters\(headers\.get\('content-disposition'\) \?\? ''\);/,
        replace: [
          "  const head = part.toString('utf8', 0, headEnd);",
          "  // Header names are case-insensitive: the i flag; m lets ^ and $ match at each line.",
          "  const header = (name: string) => new RegExp(`^${name}[ \\t]*:[ \\t]*(.*?)[ \\t]*$`, 'im').exec(head)?.[1];",
          "  const disposition = parameters(header('content-disposition') ?? '');",
        ].join('\n'),
      },
      { find: "contentType: headers.get('content-type') ?? 'text/plain'", replace: "contentType: header('content-type') ?? 'text/plain'" },
      {
        find: "  const name = filename.slice(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\\\')) + 1);",
        replace: "  const name = filename.split(/[\\\\/]/).pop() ?? '';",
      },
      {
        find: /  if \(typeof value !== 'object' \|\| value === null\) return false;\n[\s\S]*?\n\}/,
        replace: [
          '  // A stack of [value, depth] instead of recursion: any depth fits in memory, none overflows the call stack.',
          '  const stack: [unknown, number][] = [[value, 0]];',
          '  let deepest = 0;',
          '  while (stack.length > 0) {',
          '    const [item, depth] = stack.pop()!;',
          "    if (typeof item !== 'object' || item === null) continue;",
          '    deepest = Math.max(deepest, depth + 1);',
          '    for (const child of Object.values(item)) stack.push([child, depth + 1]);',
          '  }',
          '  return deepest > levels;',
          '}',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'walks multipart byte by byte: no preamble allowed, padding after a delimiter, form-data required, parameters read as RFC 9110 tokens',
    edits: [
      {
        find: /export function parseMultipart\(body: Buffer, boundary: string\): Form \{[\s\S]*?(?=\/\/ Don't change anything below this line)/,
        replace: "export function parseMultipart(body: Buffer, boundary: string): Form {\n  const fields: Fields = Object.create(null);\n  const files: UploadedFile[] = [];\n  const dash = Buffer.from(`--${boundary}`);\n  const delimiter = Buffer.from(`\\r\\n--${boundary}`);\n  // Stricter than needed: no preamble; the body starts with its first delimiter.\n  if (!body.subarray(0, dash.length).equals(dash)) throw new HttpError(400, 'no opening boundary');\n  let pos = dash.length;\n  let count = 0;\n  for (;;) {\n    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // \"--\": the end\n    // transport padding: spaces or tabs before the CRLF\n    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;\n    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) throw new HttpError(400, 'bad delimiter line');\n    pos += 2;\n    const close = body.indexOf(delimiter, pos);\n    if (close === -1) throw new HttpError(400, 'unterminated');\n    count++;\n    if (count > FIELD_LIMIT) throw new HttpError(400, 'too many parts');\n    const part = body.subarray(pos, close);\n    const blank = part.indexOf('\\r\\n\\r\\n');\n    let headText: string, data: Buffer;\n    if (part.subarray(0, 2).toString('latin1') === '\\r\\n') { headText = ''; data = part.subarray(2); }\n    else if (blank === -1) throw new HttpError(400, 'no blank line');\n    else { headText = part.toString('utf8', 0, blank); data = part.subarray(blank + 4); }\n    let disposition: string | undefined, type: string | undefined;\n    for (const line of headText.split('\\r\\n')) {\n      const m = /^([^:]+):\\s*(.*?)\\s*$/.exec(line);\n      if (!m) continue;\n      if (/^content-disposition$/i.test(m[1]!.trim())) disposition = m[2];\n      if (/^content-type$/i.test(m[1]!.trim())) type = m[2];\n    }\n    if (!disposition || !/^form-data\\s*(;|$)/i.test(disposition)) throw new HttpError(400, 'not form-data');\n    const params = parameters(disposition);\n    const name = params.get('name');\n    if (name === undefined) throw new HttpError(400, 'no name');\n    const filename = params.get('filename');\n    if (filename === undefined) (fields[name] ??= []).push(data.toString('utf8'));\n    else {\n      const base = filename.split(/[\\\\/]/).pop()!;\n      files.push({ field: name, filename: base === '.' || base === '..' ? '' : base, contentType: type ?? 'text/plain', data });\n    }\n    pos = close + delimiter.length;\n  }\n  return { fields, files };\n}\n\nfunction parameters(headerValue: string): Map<string, string> {\n  const found = new Map<string, string>();\n  const re = /;[ \\t]*([!#$%&'*+.^_`|~0-9A-Za-z-]+)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([!#$%&'*+.^_`|~0-9A-Za-z-]*))/g;\n  for (const m of headerValue.matchAll(re)) {\n    const name = m[1]!.toLowerCase();\n    if (!found.has(name)) found.set(name, m[2] !== undefined ? m[2] : m[3]!);\n  }\n  return found;\n}\n\n",
      },
    ],
  },
  {
    name: 'cuts multipart on a latin1 string, which keeps every byte as one character',
    edits: [
      {
        find: "  const delimiter = Buffer.from(`\\r\\n--${boundary}`);\n  // The first delimiter starts the body, with no CRLF before it: add one, so it looks like the others.\n  const bytes = Buffer.concat([Buffer.from('\\r\\n'), body]);",
        replace: "  const delimiter = `\\r\\n--${boundary}`;\n  // latin1 maps each byte to one character and back, so no byte is lost in the string.\n  const bytes = `\\r\\n${body.toString('latin1')}`;",
      },
      { find: "    if (bytes.toString('latin1', after, after + 2) === '--') return form;", replace: "    if (bytes.startsWith('--', after)) return form;" },
      { find: '    addPart(form, bytes.subarray(after, next));', replace: "    addPart(form, Buffer.from(bytes.slice(after, next), 'latin1'));" },
    ],
  },
  {
    name: 'finds the media type with a pattern, and checks the size of each chunk before adding it',
    edits: [
      {
        find: "  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();",
        replace: "  const mediaType = (/^\\s*([^;\\s]*)/.exec(contentType)?.[1] ?? '').toLowerCase();",
      },
      {
        find: "    if (Number(req.headers['content-length']) > limit) {",
        replace: "    const announced = req.headers['content-length'];\n    if (announced !== undefined && parseInt(announced, 10) > limit) {",
      },
      { find: '      size += chunk.length;\n      // A chunked body announces no length: count what arrives.\n      if (size > limit) {', replace: '      if (size + chunk.byteLength > limit) {' },
      { find: '      chunks.push(chunk);\n    };', replace: '      size += chunk.byteLength;\n      chunks.push(chunk);\n    };' },
    ],
  },
  {
    name: 'counts the urlencoded fields while it reads them, and keeps the file name after the last separator with a pattern',
    edits: [
      {
        find: "  if (pairs.length > FIELD_LIMIT) throw new HttpError(400, `A form may have at most ${FIELD_LIMIT} fields.`);\n",
        replace: '  let count = 0;\n',
      },
      {
        find: '  for (const pair of pairs) {\n    const equals',
        replace: "  for (const pair of pairs) {\n    if (++count > FIELD_LIMIT) throw new HttpError(400, 'Too many fields.');\n    const equals",
      },
      {
        find: "  const name = filename.slice(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\\\')) + 1);",
        replace: "  const name = /[^/\\\\]*$/.exec(filename)![0];",
      },
    ],
  },
  {
    name: "reads the boundary with one case-insensitive pattern",
    edits: [
      {
        find: "      const boundary = parameters(contentType).get('boundary');",
        replace: "      const m = /;\\s*boundary=(?:\"([^\"]*)\"|([^;\\s]*))/i.exec(contentType);\n      const boundary = m?.[1] ?? m?.[2];",
      },
    ],
  },
  {
    name: "keeps broken escapes in a form as they are, decoding run by run",
    edits: [
      {
        find: "    return decodeURIComponent(text.replace(/\\+/g, ' '));",
        replace: "    return text.replace(/\\+/g, ' ').replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => Buffer.from(run.replaceAll('%', ''), 'hex').toString());",
      },
    ],
  },
  {
    name: "tells a file by the type of its filename parameter",
    edits: [
      {
        find: "  if (filename === undefined) {",
        replace: "  if (typeof filename !== 'string') {",
      },
    ],
  },
  {
    name: 'reads the body with for await, throwing from inside the loop once it is over the limit',
    edits: [
      {
        find: /export function readBody\(req: IncomingMessage, limit: number\): Promise<Buffer> \{[\s\S]*?\n\}\n/,
        replace: [
          'export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {',
          "  const announced = req.headers['content-length'];",
          "  if (announced !== undefined && Number(announced) > limit) throw new HttpError(413, 'Too large.');",
          '  const chunks: Buffer[] = [];',
          '  let size = 0;',
          '  for await (const chunk of req) {',
          '    size += (chunk as Buffer).length;',
          "    if (size > limit) throw new HttpError(413, 'Too large.');",
          '    chunks.push(chunk as Buffer);',
          '  }',
          '  return Buffer.concat(chunks);',
          '}',
          '',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'parses the form with node:querystring, and measures the JSON depth breadth-first, one level at a time',
    edits: [
      { find: "import type { IncomingMessage } from 'node:http';", replace: "import type { IncomingMessage } from 'node:http';\nimport querystring from 'node:querystring';" },
      {
        find: /  const pairs = body\.toString\('utf8'\)[\s\S]*?\n  return fields;\n/,
        replace: [
          "  const text = body.toString('utf8');",
          "  if (text.split('&').filter(Boolean).length > FIELD_LIMIT) throw new HttpError(400, 'Too many fields.');",
          '  // Its object has no prototype; maxKeys: 0 lifts its own limit of 1000 keys.',
          "  const parsed = querystring.parse(text, '&', '=', { maxKeys: 0 });",
          '  const fields: Fields = Object.create(null);',
          "  for (const name of Object.keys(parsed)) fields[name] = ([] as string[]).concat(parsed[name] ?? '');",
          '  return fields;',
          '',
        ].join('\n'),
      },
      {
        find: /function deeperThan\(value: unknown, levels: number\): boolean \{\n[\s\S]*?\n\}\n/,
        replace: [
          'function deeperThan(value: unknown, levels: number): boolean {',
          "  const isNode = (v: unknown): v is object => typeof v === 'object' && v !== null;",
          '  let level = isNode(value) ? [value] : [];',
          '  for (let depth = 1; level.length > 0; depth++) {',
          '    if (depth > levels) return true;',
          '    level = level.flatMap((node) => Object.values(node).filter(isNode));',
          '  }',
          '  return false;',
          '}',
          '',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'starts reading after an await, and grows one Buffer of its own as chunks arrive',
    edits: [
      { find: "  const contentType = req.headers['content-type'] ?? '';", replace: "  await new Promise((resolve) => setImmediate(resolve));\n  const contentType = req.headers['content-type'] ?? '';" },
      { find: '    const chunks: Buffer[] = [];\n', replace: '    let collected = Buffer.alloc(0);\n' },
      { find: '      chunks.push(chunk);', replace: '      collected = Buffer.concat([collected, chunk]);' },
      { find: "    req.on('end', () => resolve(Buffer.concat(chunks)));", replace: "    req.on('end', () => resolve(collected));" },
    ],
  },
  {
    name: 'percent-decodes a filename (RFC 7578, section 4.2), then keeps what follows its last separator',
    edits: [
      {
        find: '  const name = filename.slice(Math.max(filename.lastIndexOf(\'/\'), filename.lastIndexOf(\'\\\\\')) + 1);',
        replace: [
          '  let decoded = filename;',
          '  try {',
          '    decoded = decodeURIComponent(filename);',
          '  } catch {',
          '    // A broken escape: keep the name as sent.',
          '  }',
          "  const name = decoded.slice(Math.max(decoded.lastIndexOf('/'), decoded.lastIndexOf('\\\\')) + 1);",
        ].join('\n'),
      },
    ],
  },
  {
    name: 'keeps what follows the last separator, percent-decodes that, and cuts again what the decoding brought back',
    edits: [
      {
        find: '  const name = filename.slice(Math.max(filename.lastIndexOf(\'/\'), filename.lastIndexOf(\'\\\\\')) + 1);',
        replace: [
          "  const cut = (text: string) => text.slice(Math.max(text.lastIndexOf('/'), text.lastIndexOf('\\\\')) + 1);",
          '  // A browser may percent-encode a name (RFC 7578, section 4.2): decode the last part, then cut again.',
          '  let name = cut(filename);',
          '  try {',
          '    name = cut(decodeURIComponent(name));',
          '  } catch {',
          '    // A broken escape: keep the name as sent.',
          '  }',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'refuses an announced length over the limit in parseBody, once for every media type it reads, and counts in readBody with >= on the next byte',
    edits: [
      {
        find: "  switch (mediaType) {\n    case 'application/x-www-form-urlencoded':",
        replace: [
          "  const readable = ['application/x-www-form-urlencoded', 'application/json', 'multipart/form-data'];",
          "  if (readable.includes(mediaType) && Number(req.headers['content-length'] ?? 0) > BODY_LIMIT) {",
          "    throw new HttpError(413, `Content Too Large: at most ${BODY_LIMIT} bytes.`);",
          '  }',
          '  switch (mediaType) {',
          "    case 'application/x-www-form-urlencoded':",
        ].join('\n'),
      },
      { find: '      if (size > limit) {', replace: '      if (size >= limit + 1) {' },
    ],
  },
  {
    name: 'reads the body once, before the switch, for the three media types it can parse, and reads Content-Length with parseInt',
    alone: 'declares readable in parseBody, as "refuses an announced length over the limit in parseBody" does',
    edits: [
      {
        find: /  switch \(mediaType\) \{\n    case 'application\/x-www-form-urlencoded':[\s\S]*?return parseMultipart\(await readBody\(req, BODY_LIMIT\), boundary\);\n    \}/,
        replace: [
          "  const readable = ['application/x-www-form-urlencoded', 'application/json', 'multipart/form-data'];",
          '  if (!readable.includes(mediaType)) throw new HttpError(415, `Cannot read a body of type "${mediaType}".`);',
          "  const boundary = parameters(contentType).get('boundary');",
          "  if (mediaType === 'multipart/form-data' && !boundary) throw new HttpError(400, 'A multipart/form-data body needs a boundary parameter.');",
          '  // One read for every media type: the same limit for all of them.',
          '  const body = await readBody(req, BODY_LIMIT);',
          '  switch (mediaType) {',
          "    case 'application/x-www-form-urlencoded':",
          '      return { fields: parseUrlencoded(body), files: [] };',
          "    case 'application/json':",
          '      return { json: parseJson(body) };',
          "    case 'multipart/form-data':",
          '      return parseMultipart(body, boundary!);',
        ].join('\n'),
      },
      {
        find: "    if (Number(req.headers['content-length']) > limit) {",
        replace: "    if (Number.parseInt(req.headers['content-length'] ?? '', 10) > limit) {",
      },
    ],
  },
  {
    name: 'answers 400 when a delimiter is followed by anything but CRLF or "--"',
    edits: [
      {
        find: '    const next = bytes.indexOf(delimiter, after);',
        replace: [
          "    if (bytes.toString('latin1', after, after + 2) !== '\\r\\n') throw new HttpError(400, 'A delimiter must be followed by CRLF or \"--\".');",
          '    const next = bytes.indexOf(delimiter, after);',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'takes "--" + boundary followed by anything but CRLF or "--" as text, not as a delimiter',
    edits: [
      {
        find: '    const next = bytes.indexOf(delimiter, after);',
        replace: [
          '    let next = bytes.indexOf(delimiter, after);',
          "    const isDelimiter = (i: number) => ['\\r\\n', '--'].includes(bytes.toString('latin1', i + delimiter.length, i + delimiter.length + 2));",
          '    while (next !== -1 && !isDelimiter(next)) next = bytes.indexOf(delimiter, next + 1);',
        ].join('\n'),
      },
    ],
  },
] satisfies Variant[];
