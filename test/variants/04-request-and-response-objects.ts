import type { Variant } from '../support/mutants.ts';

export default [
  {
    name: 'parses the query with URLSearchParams and writes JSON on one line',
    edits: [
      {
        file: 'request.ts',
        find: /  for \(const pair of query\.split\('&'\)\) \{[\s\S]*?\n  \}\n  return dict;/,
        replace: '  // URLSearchParams follows the URL Standard: "&", the first "=", "+" and escape-by-escape decoding.\n  for (const [name, value] of new URLSearchParams(query)) dict.append(name, value);\n  return dict;',
      },
      {
        file: 'response.ts',
        find: 'return new Response(`${JSON.stringify(data, null, 2)}\\n`, status,',
        replace: 'return new Response(JSON.stringify(data), status,',
      },
    ],
  },
  {
    name: 'reads headers from headersDistinct, splits cookies with a pattern, and formats the time with Intl',
    edits: [
      {
        file: 'request.ts',
        find: 'for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!.toLowerCase(), raw[i + 1]!);',
        replace: 'void raw;\n  for (const [name, values] of Object.entries(message.headersDistinct)) for (const value of values ?? []) headers.append(name, value);',
      },
      {
        file: 'request.ts',
        find: "for (const piece of (header ?? '').split(';')) {",
        replace: "for (const piece of (header ?? '').split(/\\s*;\\s*/)) {",
      },
      {
        find: /  const date = `[^\n]*\n  const time = `[^\n]*\n/,
        replace:
          "  const part = (type: string) => new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(when).find((p) => p.type === type)!.value;\n  const date = `${part('day')}/${months[when.getMonth()]}/${part('year')}`;\n  const time = `${part('hour')}:${part('minute')}:${part('second')}`;\n",
      },
    ],
  },
  {
    // RFC 9110, section 8.3.1: the same media type, with the charset quoted and in capitals.
    name: 'labels text with a quoted, upper-case charset and JSON with a charset',
    edits: [
      {
        file: 'response.ts',
        find: "return new Response(body, status, { 'content-type': 'text/plain; charset=utf-8' });",
        replace: "return new Response(body, status, { 'content-type': 'text/plain;charset=\"UTF-8\"' });",
      },
      {
        file: 'response.ts',
        find: "{ 'content-type': 'application/json' }",
        replace: "{ 'content-type': 'application/json; charset=utf-8' }",
      },
    ],
  },
  {
    name: 'decodes the path segment by segment, parses cookies with one pattern, and reports the address without "::ffff:"',
    edits: [
      { file: 'request.ts', find: '    path: decode(rawPath),', replace: "    path: rawPath.split('/').map(decode).join('/')," },
      {
        file: 'request.ts',
        find: /  for \(const piece of \(header \?\? ''\)\.split\(';'\)\) \{[\s\S]*?\n  \}\n  return cookies;/,
        replace: "  for (const [, name = '', value = ''] of (header ?? '').matchAll(/\\s*([^=;]*?)\\s*=\\s*([^;]*?)\\s*(?:;|$)/g)) cookies[name] = value;\n  return cookies;",
      },
      // The same address: ::ffff:127.0.0.1 is 127.0.0.1 written in IPv6.
      { file: 'request.ts', find: "clientAddress: message.socket.remoteAddress ?? '',", replace: "clientAddress: (message.socket.remoteAddress ?? '').replace(/^::ffff:/, '')," },
    ],
  },
  {
    name: 'formats the log time with toLocaleTimeString("en-GB"), and walks rawHeaders two at a time with splice',
    edits: [
      {
        find: 'const time = `${pad(when.getHours())}:${pad(when.getMinutes())}:${pad(when.getSeconds())}`;',
        replace: "const time = when.toLocaleTimeString('en-GB', { hour12: false });",
      },
      {
        file: 'request.ts',
        find: 'for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!.toLowerCase(), raw[i + 1]!);',
        replace: 'const pairs = [...raw];\n  while (pairs.length >= 2) {\n    const [name, value] = pairs.splice(0, 2) as [string, string];\n    headers.append(name.toLowerCase(), value);\n  }',
      },
    ],
  },
  {
    name: "decodes escape by escape into a byte array, read with TextDecoder",
    edits: [
      {
        file: 'request.ts',
        find: "  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replaceAll('%', ''), 'hex').toString('utf8'));",
        replace: "  const bytes: number[] = [];\n  for (let i = 0; i < text.length; i++) {\n    const hex = text.slice(i + 1, i + 3);\n    if (text[i] === '%' && /^[0-9a-f]{2}$/i.test(hex)) {\n      bytes.push(parseInt(hex, 16));\n      i += 2;\n    } else bytes.push(...new TextEncoder().encode(text[i]!));\n  }\n  return new TextDecoder().decode(new Uint8Array(bytes));",
      },
    ],
  },
  {
    name: "parses cookies with one matchAll pattern, and writes the log time with toTimeString()",
    edits: [
      {
        file: 'request.ts',
        find: "  for (const piece of (header ?? '').split(';')) {\n    const eq = piece.indexOf('=');\n    if (eq === -1) continue;\n    // A value may itself contain \"=\" (base64 does): split at the first one only.\n    cookies[piece.slice(0, eq).trim()] = piece.slice(eq + 1).trim();\n  }",
        replace: "  for (const m of (header ?? '').matchAll(/\\s*([^=;]*?)\\s*=\\s*([^;]*?)\\s*(?:;|$)/g)) if (m[0].trim()) cookies[m[1]!] = m[2]!;",
      },
      {
        find: "  const time = `${pad(when.getHours())}:${pad(when.getMinutes())}:${pad(when.getSeconds())}`;",
        replace: "  const time = when.toTimeString().slice(0, 8);",
      },
    ],
  },
  {
    // querystring.parse splits at "&" and the first "=", turns "+" into a space, and keeps a broken escape as it is.
    name: 'parses the query with node:querystring and copies its object into the MultiDict',
    edits: [
      { file: 'request.ts', find: "import type { IncomingMessage } from 'node:http';", replace: "import type { IncomingMessage } from 'node:http';\nimport querystring from 'node:querystring';" },
      {
        file: 'request.ts',
        find: /  for \(const pair of query\.split\('&'\)\) \{[\s\S]*?\n  \}\n  return dict;/,
        replace: [
          '  for (const [name, value] of Object.entries(querystring.parse(query, \'&\', \'=\', { maxKeys: 0 }))) {',
          "    for (const one of Array.isArray(value) ? value : [value ?? '']) dict.append(name, one);",
          '  }',
          '  return dict;',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'keeps the parsed cookies in a cache keyed by the whole Cookie header, a frozen object for each',
    edits: [
      {
        file: 'request.ts',
        find: 'export function parseCookies(header: string | undefined): Record<string, string> {',
        replace:
          "const cookieCache = new Map<string, Record<string, string>>();\nexport function parseCookies(header: string | undefined): Record<string, string> {\n  const key = header ?? '';\n  let found = cookieCache.get(key);\n  if (!found) {\n    if (cookieCache.size >= 100) cookieCache.clear();\n    found = Object.freeze(parseCookiesOnce(header));\n    cookieCache.set(key, found);\n  }\n  return found;\n}\nfunction parseCookiesOnce(header: string | undefined): Record<string, string> {",
      },
    ],
  },
  {
    name: "formats the whole log time with Intl's en-US formatToParts, hourCycle h23, its short month included",
    edits: [
      {
        find: /  const date = `[^\n]*\n  const time = `[^\n]*\n/,
        replace:
          "  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { day: '2-digit', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(when).map((p) => [p.type, p.value]));\n  const date = `${parts.day}/${parts.month}/${parts.year}`;\n  const time = `${parts.hour}:${parts.minute}:${parts.second}`;\n",
      },
    ],
  },
  {
    // Review round 18: the log time from Date's own strings, no array of month names, no padding.
    name: "takes the log time from when.toString() (Wed Sep 09 2026 00:07:03 GMT+0545), split on spaces",
    edits: [
      {
        find: /  const date = `[^\n]*\n  const time = `[^\n]*\n/,
        replace: "  const [, month, day, year, time] = when.toString().split(' ');\n  const date = `${day}/${month}/${year}`;\n",
      },
    ],
  },
  {
    // Review round 18: locales whose 24-hour clock says 00 after midnight (en-GB) and whose short month has three letters (en-US).
    name: "writes the log time with toLocaleTimeString('en-GB') and each part of the date with toLocaleString('en-US', …)",
    edits: [
      {
        find: /  const date = `[^\n]*\n  const time = `[^\n]*\n/,
        replace:
          "  const date = `${when.toLocaleString('en-US', { day: '2-digit' })}/${when.toLocaleString('en-US', { month: 'short' })}/${when.toLocaleString('en-US', { year: 'numeric' })}`;\n  const time = when.toLocaleTimeString('en-GB');\n",
      },
    ],
  },
] satisfies Variant[];
