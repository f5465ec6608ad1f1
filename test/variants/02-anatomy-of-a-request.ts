import type { Variant } from '../support/mutants.ts';

export default [
  {
    name: 'matches the request line with one regular expression',
    edits: [
      {
        find: /  const parts = requestLine\.split\(' '\);\n[\s\S]*?speaks HTTP\/1\.1, not \$\{version\}`\);\n/,
        replace: [
          "  const match = /^([!#$%&'*+\\-.^_`|~0-9A-Za-z]+) ([^ ]+) HTTP\\/(\\d)\\.(\\d)$/.exec(requestLine);",
          '  if (!match) throw new ParseError(400, `Malformed request line: ${JSON.stringify(requestLine)}`);',
          "  const [, method = '', target = '', major, minor] = match;",
          "  if (major !== '1') throw new ParseError(505, `Unsupported version HTTP/${major}.${minor}`);",
          '  const version = `HTTP/${major}.${minor}`;',
          '',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'refuses a bare LF at once, and an unfinished head as soon as it cannot fit',
    edits: [
      {
        find: 'const headSize = headEnd === -1 ? this.buffered.length : headEnd + 4;',
        // An unfinished head of n bytes needs at least one more: at 8192 it can no longer fit.
        replace: [
          'const headSize = headEnd === -1 ? this.buffered.length + 1 : headEnd + 4;',
          "    const seen = this.buffered.subarray(0, headEnd === -1 ? this.buffered.length : headEnd).toString('latin1');",
          "    if (/(^|[^\\r])\\n/.test(seen)) throw new ParseError(400, 'A line ends in a bare LF');",
        ].join('\n'),
      },
    ],
  },
  {
    name: 'keeps fields in a plain object before making the map, and trims with one pattern',
    edits: [
      {
        find: '  const headers: HeaderFields = new Map();',
        replace: '  const fields: Record<string, string[]> = Object.create(null);',
      },
      {
        find: "    const value = line.slice(colon + 1).replace(/^[ \\t]+|[ \\t]+$/g, '');",
        replace: "    const value = /^[ \\t]*(.*?)[ \\t]*$/s.exec(line.slice(colon + 1))![1]!;",
      },
      {
        find: '    headers.set(key, [...(headers.get(key) ?? []), value]);\n  }\n',
        replace: '    (fields[key] ??= []).push(value);\n  }\n  const headers: HeaderFields = new Map(Object.entries(fields));\n',
      },
    ],
  },
  {
    name: 'reads each field line with one regular expression',
    edits: [
      {
        find: /    const colon = line\.indexOf\(':'\);\n[\s\S]*?    const value = line\.slice\(colon \+ 1\)\.replace\(\/\^\[ \\t\]\+\|\[ \\t\]\+\$\/g, ''\);\n/,
        replace: [
          '    const match = /^([^:]*):[ \\t]*(.*?)[ \\t]*$/s.exec(line);',
          "    const [, name = '', value = ''] = match ?? [];",
          '    if (!match || !token.test(name)) {',
          '      throw new ParseError(400, `Malformed header field: ${JSON.stringify(line)}`);',
          '    }',
          '    const key = name.toLowerCase();',
          '',
        ].join('\n'),
      },
    ],
  },
  {
    // RFC 9110, section 5.3: fields with different names may be kept in any order.
    name: 'collects the Host lines apart and stores host after the other fields',
    edits: [
      {
        find: '  const headers: HeaderFields = new Map();\n',
        replace: '  const headers: HeaderFields = new Map();\n  const hostLines: string[] = [];\n',
      },
      {
        find: '    headers.set(key, [...(headers.get(key) ?? []), value]);\n  }\n',
        replace: [
          "    if (key === 'host') hostLines.push(value);",
          '    else headers.set(key, [...(headers.get(key) ?? []), value]);',
          '  }',
          "  if (hostLines.length > 0) headers.set('host', hostLines);",
          '',
        ].join('\n'),
      },
    ],
  },
  {
    // RFC 9112, section 3.2: the four forms of request-target, "*" for OPTIONS only. Such a
    // parser answers the HTTP/2 preface, "PRI * HTTP/2.0", with 400 rather than 505.
    name: 'also checks the target against the four request-target forms, in the same test as the rest of the line',
    edits: [
      {
        find: "target === '' ||",
        replace: "!(target.startsWith('/') || /^https?:\\/\\//i.test(target) || (target === '*' && method === 'OPTIONS') || (method === 'CONNECT' && /^[^/?#]+:\\d+$/.test(target))) ||",
      },
    ],
  },
  {
    // RFC 9112, section 2.2: a server should ignore at least one empty line before the request line.
    name: 'skips empty lines before the request line',
    edits: [
      {
        find: "    const headEnd = this.buffered.indexOf('\\r\\n\\r\\n');",
        replace: "    while (this.buffered[0] === 13 && this.buffered[1] === 10) this.buffered = this.buffered.subarray(2);\n    const headEnd = this.buffered.indexOf('\\r\\n\\r\\n');",
      },
    ],
  },
  {
    name: 'checks tokens character by character, and adds up Content-Length digit by digit',
    edits: [
      {
        find: "const token = /^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$/;",
        replace: "const tokenChars = new Set(\"!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\");\nconst token = { test: (text: string) => text.length > 0 && [...text].every((ch) => tokenChars.has(ch)) };",
      },
      {
        find: '  if (Number(length) > maxBodyBytes) throw new ParseError(413, `The body is larger than ${maxBodyBytes} bytes`);\n  return Number(length);',
        replace: [
          '  let bytes = 0;',
          '  for (const digit of length) {',
          '    bytes = bytes * 10 + Number(digit);',
          '    if (bytes > maxBodyBytes) throw new ParseError(413, `The body is larger than ${maxBodyBytes} bytes`);',
          '  }',
          '  return bytes;',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'reads the whole buffer as Latin-1 text, and cuts the body from the text',
    edits: [
      {
        find: "    const headEnd = this.buffered.indexOf('\\r\\n\\r\\n');",
        replace: "    const text = this.buffered.toString('latin1');\n    const headEnd = text.indexOf('\\r\\n\\r\\n');",
      },
      { find: "    const head = parseHead(this.buffered.subarray(0, headEnd).toString('latin1'));", replace: '    const head = parseHead(text.slice(0, headEnd));' },
      { find: '    const body = this.buffered.subarray(bodyStart, bodyEnd);', replace: "    const body = Buffer.from(text.slice(bodyStart, bodyEnd), 'latin1');" },
    ],
  },
  {
    name: 'refuses every control character but tab in a value, as RFC 9110 (section 5.5) allows',
    edits: [{ find: 'if (/[\\r\\n\\0]/.test(value))', replace: 'if (/[\\x00-\\x08\\x0a-\\x1f\\x7f]/.test(value))' }],
  },
  {
    name: 'reads a later HTTP/1.x as HTTP/1.1, and says so in the request',
    edits: [{ find: '  return { method, target, version, headers };', replace: "  return { method, target, version: version === 'HTTP/1.0' ? version : 'HTTP/1.1', headers };" }],
  },
  {
    name: 'copies each body out of the buffer',
    edits: [{ find: '    const body = this.buffered.subarray(bodyStart, bodyEnd);', replace: '    const body = Buffer.from(this.buffered.subarray(bodyStart, bodyEnd));' }],
  },
  {
    name: 'looks for the end of the head in the first maxHeadBytes bytes only',
    edits: [
      {
        find: "    const headEnd = this.buffered.indexOf('\\r\\n\\r\\n');",
        replace: "    // A head we accept ends within the first maxHeadBytes bytes; what follows may be a long body.\n    const headEnd = this.buffered.subarray(0, maxHeadBytes).indexOf('\\r\\n\\r\\n');",
      },
    ],
  },
  {
    name: 'parses each head once and keeps it on the parser while its body arrives, its bytes still buffered',
    edits: [
      {
        find: /  next\(\): ParsedRequest \| undefined \{[\s\S]*?\n  \}\n/,
        replace: [
          '  private parsed: { head: RequestHead; start: number; length: number } | undefined;',
          '',
          '  next(): ParsedRequest | undefined {',
          '    if (!this.parsed) {',
          "      const end = this.buffered.indexOf('\\r\\n\\r\\n');",
          "      if ((end === -1 ? this.buffered.length : end + 4) > maxHeadBytes) throw new ParseError(431, 'Request head too large');",
          '      if (end === -1) return undefined;',
          "      const head = parseHead(this.buffered.toString('latin1', 0, end));",
          '      this.parsed = { head, start: end + 4, length: bodyLength(head.headers) };',
          '    }',
          '    const { head, start, length } = this.parsed;',
          '    if (this.buffered.length < start + length) return undefined;',
          '    this.parsed = undefined;',
          '    const body = Buffer.from(this.buffered.subarray(start, start + length));',
          '    this.buffered = this.buffered.subarray(start + length);',
          '    return { ...head, body };',
          '  }',
          '',
        ].join('\n'),
      },
    ],
  },
  {
    // RFC 9112, section 6.3: when chunked is not the last coding, the body's length cannot be known, and the server answers 400.
    name: 'answers 400 to a Transfer-Encoding whose last coding is not chunked, and 501 to the others',
    edits: [
      {
        find: "    throw new ParseError(501, 'Transfer-Encoding is not supported by this server');",
        replace: "    const codings = headers.get('transfer-encoding')!.join(',').split(',').map((c) => c.trim().toLowerCase());\n    if (codings.at(-1) !== 'chunked') throw new ParseError(400, 'The last transfer coding must be chunked');\n    throw new ParseError(501, 'Transfer-Encoding is not supported by this server');",
      },
    ],
  },
  {
    // The right twin of the mutant that never resets the position: a saved search is fine when it starts again with each request.
    name: 'remembers how far it searched for the empty line, and starts again from 0 with each request it returns',
    edits: [
      {
        find: "  next(): ParsedRequest | undefined {\n    const headEnd = this.buffered.indexOf('\\r\\n\\r\\n');",
        replace: [
          '  private searched = 0;',
          '',
          '  next(): ParsedRequest | undefined {',
          "    // Bytes searched once need no second look (3 back: the empty line may straddle two packets).",
          "    const headEnd = this.buffered.indexOf('\\r\\n\\r\\n', Math.max(0, this.searched - 3));",
          '    if (headEnd === -1) this.searched = this.buffered.length;',
        ].join('\n'),
      },
      {
        find: '    this.buffered = this.buffered.subarray(bodyEnd);\n    return { ...head, body };',
        replace: '    this.buffered = this.buffered.subarray(bodyEnd);\n    this.searched = 0; // what is left was never searched from its start\n    return { ...head, body };',
      },
    ],
  },
  {
    // The order of the framing checks is free: a valid Content-Length, then a Transfer-Encoding beside it, is a 400 all the same.
    name: 'measures the head as Latin-1 text (one character per byte), and checks Content-Length before it looks for Transfer-Encoding',
    edits: [
      {
        find: "    const headSize = headEnd === -1 ? this.buffered.length : headEnd + 4;\n    if (headSize > maxHeadBytes)",
        replace: "    const text = this.buffered.toString('latin1');\n    if ((headEnd === -1 ? text : text.slice(0, headEnd + 4)).length > maxHeadBytes)",
      },
      {
        find: /export function bodyLength\(headers: HeaderFields\): number \{\n[\s\S]*?\n\}\n/,
        replace: [
          'export function bodyLength(headers: HeaderFields): number {',
          "  const lengths = headers.get('content-length');",
          '  let length = 0;',
          '  if (lengths !== undefined) {',
          "    if (lengths.length !== 1 || !/^\\d+$/.test(lengths[0]!)) throw new ParseError(400, 'Invalid Content-Length');",
          '    length = Number(lengths[0]);',
          '  }',
          "  if (headers.has('transfer-encoding')) throw new ParseError(lengths === undefined ? 501 : 400, 'Transfer-Encoding, alone or beside Content-Length');",
          "  if (length > maxBodyBytes) throw new ParseError(413, 'The body is too large');",
          '  return length;',
          '}',
          '',
        ].join('\n'),
      },
    ],
  },
  {
    // The right twin of the mutant that moves the lines it has read out of this.buffered: a cursor leaves them there.
    name: 'reads the head line by line with a cursor, keeping every byte in this.buffered until it returns the request',
    edits: [
      {
        find: /  next\(\): ParsedRequest \| undefined \{[\s\S]*?\n  \}\n/,
        replace: [
          '  private scanned = 0;',
          '  private lines: string[] = [];',
          '  private head: RequestHead | undefined;',
          '  private length = 0;',
          '',
          '  next(): ParsedRequest | undefined {',
          '    while (this.head === undefined) {',
          "      const eol = this.buffered.indexOf('\\r\\n', this.scanned);",
          '      // The head ends with the CRLF of its empty line: unfinished, it is at least as long as what is buffered.',
          '      if ((eol === -1 ? this.buffered.length : eol + 2) > maxHeadBytes) throw new ParseError(431, `The head is larger than ${maxHeadBytes} bytes`);',
          '      if (eol === -1) return undefined;',
          "      const line = this.buffered.toString('latin1', this.scanned, eol);",
          '      this.scanned = eol + 2;',
          '      if (line !== \'\') {',
          '        this.lines.push(line);',
          '        continue;',
          '      }',
          "      this.head = parseHead(this.lines.join('\\r\\n'));",
          '      this.length = bodyLength(this.head.headers);',
          '    }',
          '    if (this.buffered.length < this.scanned + this.length) return undefined;',
          '    const request = { ...this.head, body: this.buffered.subarray(this.scanned, this.scanned + this.length) };',
          '    this.buffered = this.buffered.subarray(this.scanned + this.length);',
          '    this.scanned = 0;',
          '    this.lines = [];',
          '    this.head = undefined;',
          '    return request;',
          '  }',
          '',
        ].join('\n'),
      },
    ],
  },
  {
    // RFC 9110, section 4.2.1: an http URI has a non-empty host, so an empty Host names no site. nginx refuses it
    // with 400; the lesson's rule ("no Host") leaves it open, so both readings pass.
    name: 'also refuses a Host line with an empty value, as nginx does',
    edits: [{ find: "  if (hosts.length > 1) throw", replace: "  if (hosts[0] === '') throw new ParseError(400, 'The Host header is empty');\n  if (hosts.length > 1) throw" }],
  },
  {
    // Review round 23: RFC 9112, section 3.2, has a server answer 400 to "a Host header field with an invalid field
    // value" too: uri-host [ ":" port ] (RFC 9110, section 7.2), a reg-name or an IP literal in brackets.
    name: 'also refuses a Host value that is not uri-host[:port]',
    edits: [
      {
        find: '  if (hosts.length > 1) throw',
        replace: "  const hostValue = /^([A-Za-z0-9._~!$&'()*+,;=%-]*|\\[[0-9A-Fa-f:.]+\\])(:\\d*)?$/;\n  if (hosts.some((host) => !hostValue.test(host))) throw new ParseError(400, 'Invalid Host header');\n  if (hosts.length > 1) throw",
      },
    ],
  },
] satisfies Variant[];
