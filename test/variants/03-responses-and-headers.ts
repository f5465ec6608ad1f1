import type { Variant } from '../support/mutants.ts';

export default [
  {
    name: 'writes Date and Content-Length first, with lower-case names',
    edits: [
      {
        file: 'response.ts',
        find: "    ...Object.entries(response.headers).filter(([name]) => !framingFields.includes(name.toLowerCase())),\n    // A server with a clock must send Date (RFC 9110, section 6.6.1); toUTCString() writes IMF-fixdate.\n    ['Date', new Date().toUTCString()],\n  ];",
        replace: "    ['date', new Date().toUTCString()],\n    ...(bodiless ? [] : [['content-length', String(body.length)] as [string, string]]),\n    ...Object.entries(response.headers).filter(([name]) => !framingFields.includes(name.toLowerCase())),\n  ];",
      },
      { file: 'response.ts', find: "  if (!bodiless) fields.push(['Content-Length', String(body.length)]);\n", replace: '' },
    ],
  },
  {
    name: 'uses a switch for the phrases, a pattern of forbidden characters, and adds a Server header',
    edits: [
      {
        file: 'response.ts',
        find: "  return reasonPhrases[status] ?? '';",
        replace:
          "  switch (status) {\n    case 200: return 'OK';\n    case 201: return 'Created';\n    case 204: return 'No Content';\n    case 301: return 'Moved Permanently';\n    case 304: return 'Not Modified';\n    case 400: return 'Bad Request';\n    case 404: return 'Not Found';\n    case 408: return 'Request Timeout';\n    case 413: return 'Payload Too Large';\n    case 431: return 'Request Header Fields Too Large';\n    case 500: return 'Internal Server Error';\n    case 501: return 'Not Implemented';\n    default: return '';\n  }",
      },
      { file: 'response.ts', find: "    ['Date', new Date().toUTCString()],\n", replace: "    ['Date', new Date().toUTCString()],\n    ['Server', 'roundtrip-variant/1.0'],\n" },
      {
        file: 'response.ts',
        find: 'if (!fieldName.test(name) || !fieldValue.test(value)) {',
        replace: "if (name.length === 0 || /[^!#$%&'*+\\-.^_`|~0-9A-Za-z]/.test(name) || /[^\\t\\x20-\\x7e\\x80-\\xff]/.test(value)) {",
      },
      {
        file: 'response.ts',
        find: "  return Buffer.concat([Buffer.from(head, 'latin1'), sendBody ? body : Buffer.alloc(0)]);",
        replace: "  const headBytes = Buffer.alloc(head.length);\n  headBytes.write(head, 'latin1');\n  return sendBody ? Buffer.concat([headBytes, body]) : headBytes;",
      },
    ],
  },
  {
    // RFC 9110, section 8.3.1: the same media types, spelt another way.
    name: 'writes the Content-Types with a space before the ";" and a quoted charset',
    edits: [
      { file: 'response.ts', find: "headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: text", replace: "headers: { 'Content-Type': 'text/plain ; charset=\"UTF-8\"' }, body: text" },
      { file: 'response.ts', find: "headers: { 'Content-Type': 'application/json' }, body: JSON", replace: "headers: { 'Content-Type': 'application/json; charset=\"utf-8\"' }, body: JSON" },
    ],
  },
  {
    name: 'builds the Date by hand from the UTC getters, and the head from an array of lines',
    edits: [
      {
        file: 'response.ts',
        find: "    ['Date', new Date().toUTCString()],",
        replace: "    ['Date', imfFixdate(new Date())],",
      },
      {
        file: 'response.ts',
        find: 'export function serializeResponse(',
        replace: [
          "const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];",
          "const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];",
          "const two = (n: number) => String(n).padStart(2, '0');",
          'const imfFixdate = (d: Date) =>',
          '  `${days[d.getUTCDay()]}, ${two(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} GMT`;',
          '',
          'export function serializeResponse(',
        ].join('\n'),
      },
      {
        file: 'response.ts',
        find: /  let head = `HTTP\/1\.1 [\s\S]*?  head \+= '\\r\\n';\n/,
        replace: [
          '  const lines = [`HTTP/1.1 ${response.status} ${reasonPhrase(response.status)}`];',
          '  for (const [name, value] of fields) {',
          "    if (!fieldName.test(name) || !fieldValue.test(value)) throw new Error(`Invalid header field ${JSON.stringify(name)}`);",
          '    lines.push(`${name}: ${value}`);',
          '  }',
          "  const head = lines.join('\\r\\n') + '\\r\\n\\r\\n';",
          '',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'returns the head alone when there is no body to send',
    edits: [
      {
        file: 'response.ts',
        find: "  return Buffer.concat([Buffer.from(head, 'latin1'), sendBody ? body : Buffer.alloc(0)]);",
        replace: "  const headBytes = Buffer.from(head, 'latin1');\n  return sendBody ? Buffer.concat([headBytes, body]) : headBytes;",
      },
    ],
  },
  {
    name: 'keeps the Date of the current second, and makes a new one when the second changes',
    edits: [
      { file: 'response.ts', find: "    ['Date', new Date().toUTCString()],", replace: "    ['Date', currentDate()]," },
      {
        file: 'response.ts',
        find: 'export function serializeResponse(',
        replace: [
          "let dateCache = { second: NaN, text: '' };",
          'function currentDate(): string {',
          '  const second = Math.floor(Date.now() / 1000);',
          '  if (second !== dateCache.second) dateCache = { second, text: new Date(second * 1000).toUTCString() };',
          '  return dateCache.text;',
          '}',
          '',
          'export function serializeResponse(',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'pretty-prints JSON with a final newline, labelled application/json; charset=utf-8',
    edits: [
      {
        file: 'response.ts',
        find: "return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(data) };",
        replace: "return { status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(data, null, 2) + '\\n' };",
      },
    ],
  },
  {
    name: 'checks names and values character by character, by their codes',
    edits: [
      {
        file: 'response.ts',
        find: '    if (!fieldName.test(name) || !fieldValue.test(value)) {',
        replace: [
          "    const badName = name === '' || [...name].some((ch) => !fieldName.test(ch));",
          '    const badValue = [...value].some((ch) => {',
          '      const code = ch.charCodeAt(0);',
          '      return code > 0xff || code === 0x7f || (code < 0x20 && code !== 0x09);',
          '    });',
          '    if (badName || badValue) {',
        ].join('\n'),
      },
    ],
  },
  {
    // RFC 9110, section 8.6: a 304 may carry the Content-Length a 200 would have had (the lesson's table allows it).
    name: 'sends a 304 with the Content-Length of the page it leaves out, and encodes the head line by line',
    edits: [
      {
        file: 'response.ts',
        find: "  if (!bodiless) fields.push(['Content-Length', String(body.length)]);",
        replace: "  if (response.status !== 204 && response.status >= 200) fields.push(['Content-Length', String(body.length)]);",
      },
      {
        file: 'response.ts',
        find: "  return Buffer.concat([Buffer.from(head, 'latin1'), sendBody ? body : Buffer.alloc(0)]);",
        replace: "  const parts = head.split(/(?<=\\r\\n)/).map((line) => Buffer.from(line, 'latin1'));\n  if (sendBody) parts.push(Buffer.from(body));\n  return Buffer.concat(parts);",
      },
    ],
  },
  {
    name: 'copies module-level default headers into each new response, and answers after a refused field as usual',
    edits: [
      {
        file: 'response.ts',
        find: "  return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: text };\n}",
        replace: "  return { status, headers: { ...textDefaults }, body: text };\n}\nconst textDefaults = Object.freeze({ 'Content-Type': 'text/plain; charset=utf-8' });",
      },
    ],
  },
  {
    // Extra fields of the serializer's own: one that changes with every response, and an ETag made from each 200's body.
    name: 'adds an X-Request-Id to every response and an ETag made from the body to every 200 without one',
    edits: [
      { file: 'response.ts', find: '// Lesson 03: the response serializer.', replace: "import { createHash, randomUUID } from 'node:crypto';\n// Lesson 03: the response serializer." },
      {
        file: 'response.ts',
        find: "    ['Date', new Date().toUTCString()],\n  ];",
        replace: "    ['Date', new Date().toUTCString()],\n    ['X-Request-Id', randomUUID()],\n  ];\n  if (response.status === 200 && !Object.keys(response.headers).some((n) => n.toLowerCase() === 'etag')) {\n    fields.push(['ETag', `\"${createHash('sha1').update(body).digest('hex').slice(0, 12)}\"`]);\n  }",
      },
    ],
  },
  {
    // node:http does the same: the Date text is made once a second and renewed by a timer, which a busy machine delays.
    name: 'makes the Date text once a second, and forgets it from a timer at the end of that second',
    edits: [
      { file: 'response.ts', find: "    ['Date', new Date().toUTCString()],", replace: "    ['Date', httpDate()]," },
      {
        file: 'response.ts',
        find: 'export function serializeResponse(',
        replace: [
          'let cachedDate: string | undefined;',
          'function httpDate(): string {',
          '  if (cachedDate === undefined) {',
          '    const now = new Date();',
          '    cachedDate = now.toUTCString();',
          '    setTimeout(() => {',
          '      cachedDate = undefined;',
          '    }, 1000 - now.getMilliseconds()).unref();',
          '  }',
          '  return cachedDate;',
          '}',
          '',
          'export function serializeResponse(',
        ].join('\n'),
      },
    ],
  },
  {
    // RFC 9110, section 9.1: method names are case-sensitive, so only "HEAD" itself loses its body.
    name: 'decides with two sets, the bodiless statuses and the bodiless methods, and counts every other body, errors included',
    edits: [
      {
        file: 'response.ts',
        find: '  const bodiless = response.status < 200 || response.status === 204 || response.status === 304;',
        replace: "  const bodiless = response.status < 200 || new Set([204, 304]).has(response.status);\n  const bodilessMethods = new Set(['HEAD']);",
      },
      {
        file: 'response.ts',
        find: "  const sendBody = !bodiless && requestMethod !== 'HEAD';",
        replace: '  const sendBody = !bodiless && !bodilessMethods.has(requestMethod);',
      },
      {
        file: 'response.ts',
        find: "  if (!bodiless) fields.push(['Content-Length', String(body.length)]);",
        replace: "  if (!bodiless) fields.push(['Content-Length', String(Buffer.byteLength(typeof response.body === 'string' ? response.body : body))]);",
      },
    ],
  },
  {
    // RFC 9110, section 9.1: a method the origin server does not recognise SHOULD get 501, and that answer has a body.
    name: 'answers 501 Not Implemented, with a body, to a method the routes do not know (such as "head" in lower case)',
    edits: [
      {
        file: 'server.ts',
        find: "  const key = `${method} ${url.pathname}`;\n",
        replace: "  const key = `${method} ${url.pathname}`;\n  if (!['GET', 'POST', 'DELETE'].includes(method)) return textResponse(`${request.method} is not implemented here.\\n`, 501);\n",
      },
    ],
  },
  {
    // The lesson allows either: leave the handler's framing fields out, or refuse them (the plumbing answers 500).
    name: 'throws when the handler set a Content-Length or Transfer-Encoding, instead of leaving it out',
    edits: [
      {
        file: 'response.ts',
        find: '...Object.entries(response.headers).filter(([name]) => !framingFields.includes(name.toLowerCase())),',
        replace: [
          '...Object.entries(response.headers).map(([name, value]): [string, string] => {',
          '      if (framingFields.includes(name.toLowerCase())) throw new Error(`Refusing the handler\'s ${name}: the serializer frames the body.`);',
          '      return [name, value];',
          '    }),',
        ].join('\n'),
      },
    ],
  },
  {
    // Leaving the handler's field out may mean replacing it: a map by lower-case name, where the serializer's own
    // Content-Length takes the place of the handler's. One framing goes out, the serializer's.
    name: "keeps the fields in a map by lower-case name, where its own Content-Length replaces the handler's in place",
    edits: [
      {
        file: 'response.ts',
        find: [
          '  const fields: [string, string][] = [',
          '    // The framing is ours alone: a Content-Length or Transfer-Encoding the handler set would stand beside',
          '    // the one we write, and two framings let a client and a proxy disagree on where the body ends.',
          '    ...Object.entries(response.headers).filter(([name]) => !framingFields.includes(name.toLowerCase())),',
          '    // A server with a clock must send Date (RFC 9110, section 6.6.1); toUTCString() writes IMF-fixdate.',
          "    ['Date', new Date().toUTCString()],",
          '  ];',
        ].join('\n'),
        replace: [
          '  const byName = new Map<string, [string, string]>();',
          '  for (const [name, value] of Object.entries(response.headers)) byName.set(name.toLowerCase(), [name, value]);',
          "  byName.set('date', ['Date', new Date().toUTCString()]);",
          "  byName.delete('transfer-encoding');",
          "  if (bodiless) byName.delete('content-length');",
          "  else byName.set('content-length', ['content-length', String(body.length)]);",
          '  const fields = [...byName.values()];',
        ].join('\n'),
      },
      { file: 'response.ts', find: "  if (!bodiless) fields.push(['Content-Length', String(body.length)]);\n", replace: '' },
      { file: 'response.ts', find: "const framingFields = ['content-length', 'transfer-encoding'];\n", replace: '' },
    ],
  },
  {
    // Review round 21: one Content-Length of the body's size is all the check asks. A serializer that keeps the
    // handler's field when it already says the body's size, and then writes none of its own, sends one framing.
    name: "keeps the handler's first Content-Length when it gives the body's size, and then writes none of its own",
    edits: [
      {
        file: 'response.ts',
        find: '...Object.entries(response.headers).filter(([name]) => !framingFields.includes(name.toLowerCase())),',
        replace: [
          '...Object.entries(response.headers).filter(([name, value], index, all) => {',
          '      const key = name.toLowerCase();',
          '      if (key !== \'content-length\') return !framingFields.includes(key);',
          '      // Only the first Content-Length the handler set, and only when it is right: one framing goes out.',
          "      return !bodiless && value === String(body.length) && all.findIndex(([other]) => other.toLowerCase() === key) === index;",
          '    }),',
        ].join('\n'),
      },
      {
        file: 'response.ts',
        find: "if (!bodiless) fields.push(['Content-Length', String(body.length)]);",
        replace: "if (!bodiless && !fields.some(([name]) => name.toLowerCase() === 'content-length')) fields.push(['Content-Length', String(body.length)]);",
      },
    ],
  },
  {
    // Review round 23: node:http's table of phrases, names in lower case without a space after the colon
    // (RFC 9112, section 5: OWS, optional), and a field of the serializer's own whose name starts like the spec's.
    name: "takes the phrases from node:http's STATUS_CODES, writes every name in lower case with no space after the colon, and adds X-Roundtrip-Lesson",
    edits: [
      { file: 'response.ts', find: "// 404 -> 'Not Found'\n", replace: "import { STATUS_CODES } from 'node:http';\n\n// 404 -> 'Not Found'\n" },
      { file: 'response.ts', find: "  return reasonPhrases[status] ?? '';", replace: "  return STATUS_CODES[status] ?? '';" },
      { file: 'response.ts', find: '    head += `${name}: ${value}\\r\\n`;', replace: '    head += `${name.toLowerCase()}:${value}\\r\\n`;' },
      { file: 'response.ts', find: "    ['Date', new Date().toUTCString()],\n  ];", replace: "    ['Date', new Date().toUTCString()],\n    ['X-Roundtrip-Lesson', '03'],\n  ];" },
    ],
  },
  {
    // Review round 23: the nearest second is as good an approximation of "now" as the second begun (RFC 9110,
    // section 6.6.1), so the Date may name the second after the one the answer goes out in.
    name: 'rounds the Date to the nearest second instead of cutting off the milliseconds',
    edits: [
      { file: 'response.ts', find: "    ['Date', new Date().toUTCString()],", replace: "    ['Date', new Date(Math.round(Date.now() / 1000) * 1000).toUTCString()]," },
    ],
  },
  {
    // Review round 23: a field of the serializer's own whose value differs between GET and HEAD, but not between
    // two GETs two answers apart. HEAD is still answered with the same fields as GET, by name.
    name: 'adds X-Served-By, naming two workers in turn',
    edits: [
      { file: 'response.ts', find: 'export function serializeResponse(', replace: 'let served = 0;\nexport function serializeResponse(' },
      { file: 'response.ts', find: "    ['Date', new Date().toUTCString()],\n  ];", replace: "    ['Date', new Date().toUTCString()],\n    ['X-Served-By', `worker-${served++ % 2}`],\n  ];" },
    ],
  },
  {
    // Review round 23: RFC 9110, section 5.6.6: an empty parameter (a ";" at the end) and another parameter
    // beside the charset (format=fixed, RFC 3676, the default for text/plain) leave the same media type.
    name: 'labels text "text/plain;charset=utf-8; format=fixed;" and JSON "application/json;"',
    edits: [
      { file: 'response.ts', find: "headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: text", replace: "headers: { 'Content-Type': 'text/plain;charset=utf-8; format=fixed;' }, body: text" },
      { file: 'response.ts', find: "headers: { 'Content-Type': 'application/json' }, body: JSON", replace: "headers: { 'Content-Type': 'application/json;' }, body: JSON" },
    ],
  },
] satisfies Variant[];
