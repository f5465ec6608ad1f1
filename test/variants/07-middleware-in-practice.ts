import type { Variant } from '../support/mutants.ts';

export default [
  {
    name: 'writes header names in lower case, the challenge parameters in another order, another metric name and log format, reworded bodies',
    edits: [
      {
        file: 'middleware.ts',
        find: "  'X-Content-Type-Options': 'nosniff',",
        replace: "  'x-content-type-options': 'nosniff',",
      },
      { file: 'middleware.ts', find: "  'Referrer-Policy': 'same-origin',", replace: "  'referrer-policy': 'same-origin'," },
      { file: 'middleware.ts', find: "  'X-Frame-Options': 'DENY',", replace: "  'x-frame-options': 'deny'," },
      {
        file: 'middleware.ts',
        find: "  const ms = (performance.now() - started).toFixed(1);\n  // Append, not set: a view may report metrics of its own (db;dur=12).\n  response.headers.append('Server-Timing', `app;dur=${ms}`);\n  console.log(`${request.method} ${request.path} ${response.status} ${ms}ms`);",
        replace:
          "  const ms = (performance.now() - started).toFixed(2);\n  response.headers.append('server-timing', `total;desc=\"Everything inside\";dur=${ms}`);\n  console.log(`[timing] ${request.method} ${request.path} -> ${response.status} (${ms} ms)`);",
      },
      {
        file: 'middleware.ts',
        find: "response.headers.set('WWW-Authenticate', 'Basic realm=\"Roundtrip\", charset=\"UTF-8\"');",
        replace: "response.headers.set('www-authenticate', 'Basic charset=\"UTF-8\", realm=\"Roundtrip\"');",
      },
      {
        file: 'middleware.ts',
        find: "Response.text('Unauthorized: sign in with your username and password.\\n', 401)",
        replace: "Response.json({ error: 'Please sign in.' }, 401)",
      },
      {
        file: 'middleware.ts',
        find: 'return Response.text(`Bad Request: this server does not serve the host ${JSON.stringify(host)}.\\n`, 400);',
        replace: "return Response.text('Bad Request: unknown host.\\n', 400);",
      },
    ],
  },
  {
    name: 'reads the host name with the URL parser (after refusing an "@", which it would read as user information), Basic credentials without a pattern, and times with hrtime',
    edits: [
      {
        file: 'middleware.ts',
        find: /  if \(!host\) return false;\n[\s\S]*?\n  \}\);\n/,
        replace: [
          '  if (host === null || host === \'\') return false;',
          '  // No Host holds an "@" (RFC 9110, section 7.2); the URL parser would drop what stands before it.',
          "  if (host.includes('@')) return false;",
          '  let name: string;',
          '  try {',
          '    // The URL parser lowers the case, drops the port and keeps the brackets of an IPv6 address.',
          '    name = new URL(`http://${host}`).hostname;',
          '  } catch {',
          '    return false;',
          '  }',
          '  for (const entry of allowedHosts.map((e) => e.toLowerCase())) {',
          "    if (entry.startsWith('.') ? name === entry.slice(1) || name.endsWith(entry) : name === entry) return true;",
          '  }',
          '  return false;',
          '',
        ].join('\n'),
      },
      {
        file: 'middleware.ts',
        find: /  \/\/ The scheme name is case-insensitive[\s\S]*?const decoded = [^\n]*\n/,
        replace: [
          "  const space = (header ?? '').indexOf(' ');",
          "  if (space === -1 || header!.slice(0, space).toLowerCase() !== 'basic') return undefined;",
          '  const token = header!.slice(space + 1).trim();',
          "  if (!/^[A-Za-z0-9+/]+=*$/.test(token)) return undefined;",
          "  const decoded = new TextDecoder('utf-8').decode(Buffer.from(token, 'base64'));",
          '',
        ].join('\n'),
      },
      {
        file: 'middleware.ts',
        find: 'const started = performance.now();',
        replace: 'const started = process.hrtime.bigint();',
      },
      {
        file: 'middleware.ts',
        find: 'const ms = (performance.now() - started).toFixed(1);',
        replace: 'const ms = (Number(process.hrtime.bigint() - started) / 1e6).toFixed(3);',
      },
    ],
  },
  {
    name: 'refuses an empty user-id in parseBasicAuth, looks the user up with has(), and strips the port after the last "]"',
    edits: [
      {
        file: 'middleware.ts',
        find: "  if (colon === -1) return undefined;",
        replace: '  // RFC 7617 allows an empty user-id, but no user here has one: treat it as no credentials.\n  if (colon < 1) return undefined;',
      },
      {
        file: 'middleware.ts',
        find: 'const expected = credentials && users.get(credentials.username);\n    if (credentials && expected !== undefined && samePassword(credentials.password, expected)) {',
        replace: 'const known = credentials !== undefined && users.has(credentials.username);\n    if (known && samePassword(credentials!.password, users.get(credentials!.username)!)) {',
      },
      {
        file: 'middleware.ts',
        find: 'const user: User = { username: credentials.username };',
        replace: 'const user: User = { username: credentials!.username };',
      },
      {
        file: 'middleware.ts',
        find: "const name = host.toLowerCase().replace(/:\\d+$/, '');",
        replace: [
          "const lower = host.toLowerCase();",
          "  // The port starts at the last colon after the name, which for [::1] is after the ']'.",
          "  const colon = lower.lastIndexOf(':');",
          "  const name = colon > lower.lastIndexOf(']') && /^\\d+$/.test(lower.slice(colon + 1)) ? lower.slice(0, colon) : lower;",
        ].join('\n'),
      },
    ],
  },
  {
    name: 'logs each request as "GET /me: 401 (0.4 ms)", with a colon after the path',
    edits: [
      {
        file: 'middleware.ts',
        find: 'console.log(`${request.method} ${request.path} ${response.status} ${ms}ms`);',
        replace: 'console.log(`${request.method} ${request.path}: ${response.status} (${ms} ms)`);',
      },
    ],
  },
  {
    name: 'logs each request as one line of JSON, its duration under "durationMs"',
    edits: [
      {
        file: 'middleware.ts',
        find: 'console.log(`${request.method} ${request.path} ${response.status} ${ms}ms`);',
        replace: 'console.log(JSON.stringify({ method: request.method, path: request.path, status: response.status, durationMs: Number(ms) }));',
      },
    ],
  },
  {
    name: "joins the view's Server-Timing and its own metric into one value, with set",
    edits: [
      {
        file: 'middleware.ts',
        find: "response.headers.append('Server-Timing', `app;dur=${ms}`);",
        replace: "const earlier = response.headers.get('Server-Timing');\n  response.headers.set('Server-Timing', earlier ? `${earlier}, app;dur=${ms}` : `app;dur=${ms}`);",
      },
    ],
  },
  {
    name: 'reads the Host with a pattern like Django\'s, and adds the security headers from a list when get() finds none',
    edits: [
      {
        file: 'middleware.ts',
        find: "  const name = host.toLowerCase().replace(/:\\d+$/, '');",
        replace: "  // A name or a bracketed IPv6 address, then maybe \":\" and digits: nothing else is a Host we read.\n  const parts = /^([a-z0-9.-]+|\\[[a-f0-9:.]+\\])(?::\\d+)?$/.exec(host.toLowerCase());\n  if (!parts) return false;\n  const name = parts[1]!;",
      },
      {
        file: 'middleware.ts',
        find: '  for (const [name, value] of Object.entries(securityDefaults)) {\n    // A view that chose its own value (a page meant to be framed) knows better: keep it.\n    if (!response.headers.has(name)) response.headers.set(name, value);\n  }',
        replace: "  const defaults: [string, string][] = [['x-frame-options', 'DENY'], ['referrer-policy', 'same-origin'], ['x-content-type-options', 'nosniff']];\n  for (const [name, value] of defaults) if (response.headers.get(name) === null) response.headers.set(name, value);",
      },
    ],
  },
  {
    name: 'splits the Authorization header at its space, decodes with atob inside try/catch, and writes the log line to stdout itself',
    edits: [
      {
        file: 'middleware.ts',
        find: /  \/\/ The scheme name is case-insensitive[\s\S]*?const decoded = [^\n]*\n/,
        replace: [
          "  const [scheme, token, ...rest] = (header ?? '').split(' ');",
          "  if (scheme?.toLowerCase() !== 'basic' || !token || rest.length > 0) return undefined;",
          '  let decoded: string;',
          '  try {',
          '    // atob throws on what is not base64; its result is one character per byte, which TextDecoder reads as UTF-8.',
          '    decoded = new TextDecoder().decode(Uint8Array.from(atob(token), (c) => c.charCodeAt(0)));',
          '  } catch {',
          '    return undefined;',
          '  }',
          '',
        ].join('\n'),
      },
      {
        file: 'middleware.ts',
        find: 'console.log(`${request.method} ${request.path} ${response.status} ${ms}ms`);',
        replace: 'process.stdout.write(`${response.status} ${request.method} ${request.path} in ${ms} ms\\n`);',
      },
    ],
  },
  {
    name: 'matches a leading-dot entry by putting a dot before the name: `.${name}`.endsWith(entry)',
    edits: [
      {
        file: 'middleware.ts',
        find: "if (pattern.startsWith('.')) return name === pattern.slice(1) || name.endsWith(pattern);",
        replace: "if (pattern.startsWith('.')) return `.${name}`.endsWith(pattern);",
      },
    ],
  },
  {
    name: 'sets the security headers in lower case with DENY as deny, rounds dur up to whole milliseconds, logs JSON with the duration in seconds, and challenges with "basic charset=utf-8, realm=…"',
    edits: [
      {
        file: 'middleware.ts',
        find: "  'X-Content-Type-Options': 'nosniff',",
        replace: "  'x-content-type-options': 'nosniff',",
      },
      {
        file: 'middleware.ts',
        find: "  'X-Frame-Options': 'DENY',",
        replace: "  'x-frame-options': 'deny',",
      },
      {
        file: 'middleware.ts',
        find: "  const ms = (performance.now() - started).toFixed(1);",
        replace: "  const elapsed = performance.now() - started;\n  const ms = Math.ceil(elapsed);",
      },
      {
        file: 'middleware.ts',
        find: "response.headers.append('Server-Timing', `app;dur=${ms}`);",
        replace: "response.headers.append('server-timing', `app;desc=\"application\";dur=${ms}`);",
      },
      {
        file: 'middleware.ts',
        find: 'console.log(`${request.method} ${request.path} ${response.status} ${ms}ms`);',
        replace: 'console.log(JSON.stringify({ method: request.method, path: request.path, status: response.status, took: `${(elapsed / 1000).toFixed(4)}s` }));',
      },
      {
        file: 'middleware.ts',
        find: "response.headers.set('WWW-Authenticate', 'Basic realm=\"Roundtrip\", charset=\"UTF-8\"');",
        replace: "response.headers.set('www-authenticate', 'basic charset=utf-8, realm=\"Roundtrip\"');",
      },
    ],
  },
  {
    name: 'throws an HttpError for the host check\'s 400, and copies the response into a new one to add the security headers',
    edits: [
      { file: 'middleware.ts', find: "import { Response, type Middleware } from '#provided/http.ts';", replace: "import { HttpError, Response, type Middleware } from '#provided/http.ts';" },
      {
        file: 'middleware.ts',
        find: 'if (!isAllowedHost(host, hosts)) return Response.text(`Bad Request: this server does not serve the host ${JSON.stringify(host)}.\\n`, 400);',
        replace: "if (!isAllowedHost(host, hosts)) throw new HttpError(400, 'Bad Request: unknown host.');",
      },
      {
        file: 'middleware.ts',
        find: "  const response = await next(request);\n  for (const [name, value] of Object.entries(securityDefaults)) {",
        replace: [
          '  const inner = await next(request);',
          '  const response = new Response(inner.body, { status: inner.status });',
          '  inner.headers.forEach((value, name) => response.headers.append(name, value));',
          '  for (const [name, value] of Object.entries(securityDefaults)) {',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'strips a trailing dot from the name as Django does, compares with localeCompare ignoring case only, and keeps the signed-in user in a variable inside the handler',
    edits: [
      {
        file: 'middleware.ts',
        find: "  const name = host.toLowerCase().replace(/:\\d+$/, '');",
        replace: "  // \"localhost.\" is localhost, written as a fully qualified name (Django strips that dot too).\n  const name = host.toLowerCase().replace(/:\\d+$/, '').replace(/\\.$/, '');",
      },
      {
        file: 'middleware.ts',
        find: '    return name === pattern;',
        replace: "    return name.length === pattern.length && name.localeCompare(pattern, 'en', { sensitivity: 'accent' }) === 0;",
      },
      {
        file: 'middleware.ts',
        find: [
          "    if (credentials && expected !== undefined && samePassword(credentials.password, expected)) {",
          "      const user: User = { username: credentials.username };",
          "      request.state.set('user', user);",
          "    } else if (isProtected(request.path, protectedPaths)) {",
        ].join('\n'),
        replace: [
          '    let user: User | undefined;',
          "    if (credentials && expected !== undefined && samePassword(credentials.password, expected)) user = { username: credentials.username };",
          "    if (user) request.state.set('user', user);",
          '    if (!user && isProtected(request.path, protectedPaths)) {',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'strips an empty port too ("localhost:", RFC 3986: port = *DIGIT), lower-cases the host with toLocaleLowerCase, and takes the scheme as the first word before any run of spaces',
    edits: [
      {
        file: 'middleware.ts',
        find: "  const name = host.toLowerCase().replace(/:\\d+$/, '');",
        replace: "  const name = host.toLocaleLowerCase('en-US').replace(/:\\d*$/, '');",
      },
      {
        file: 'middleware.ts',
        find: "  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header ?? '');\n  if (!match) return undefined;",
        replace: [
          "  const words = (header ?? '').trim().split(/ +/);",
          "  if (words.length !== 2 || words[0]!.toLowerCase() !== 'basic' || !/^[A-Za-z0-9+/]+={0,2}$/.test(words[1]!)) return undefined;",
          '  const match = words;',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'never lower-cases the Host but matches each entry with a case-insensitive pattern, and cuts the Authorization header at its first space',
    edits: [
      {
        file: 'middleware.ts',
        find: /  const name = host\.toLowerCase\(\)\.replace\(\/:\\d\+\$\/, ''\);\n  return allowedHosts\.some\(\(entry\) => \{[\s\S]*?\n  \}\);\n/,
        replace: [
          "  const name = host.replace(/:\\d+$/, '');",
          "  const escape = (text: string) => text.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&');",
          '  return allowedHosts.some((entry) => {',
          "    if (entry === '*') return true;",
          "    const source = entry.startsWith('.') ? `^(?:[^]+\\\\.)?${escape(entry.slice(1))}$` : `^${escape(entry)}$`;",
          "    return new RegExp(source, 'i').test(name);",
          '  });',
          '',
        ].join('\n'),
      },
      {
        file: 'middleware.ts',
        find: "  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header ?? '');\n  if (!match) return undefined;",
        replace: [
          "  const space = (header ?? '').indexOf(' ');",
          '  if (header === null || space === -1) return undefined;',
          "  const match = [header, header.slice(space + 1).trim()];",
          "  if (header.slice(0, space).toLowerCase() !== 'basic' || !/^[A-Za-z0-9+/]+={0,2}$/.test(match[1]!)) return undefined;",
        ].join('\n'),
      },
    ],
  },
  {
    // Another way to keep out "evil.example@localhost": parse it, then refuse whatever a Host cannot hold (RFC 9110, section 7.2).
    name: 'reads the Host with the URL parser and refuses one that parses with user information, a path, a query or a fragment; matches entries with escaped patterns',
    edits: [
      {
        file: 'middleware.ts',
        find: /  if \(!host\) return false;\n[\s\S]*?\n  \}\);\n/,
        replace: [
          "  if (host === null || host === '') return false;",
          '  let url: URL;',
          '  try {',
          '    url = new URL(`http://${host}/`);',
          '  } catch {',
          '    return false;',
          '  }',
          "  if (url.username !== '' || url.password !== '' || url.pathname !== '/' || url.search !== '' || url.hash !== '') return false;",
          '  const name = url.hostname;',
          '  return allowedHosts.some((entry) => {',
          '    const lower = entry.toLowerCase();',
          "    if (lower === '*') return true;",
          "    const escaped = lower.replaceAll('.', '\\\\.').replaceAll('[', '\\\\[').replaceAll(']', '\\\\]');",
          '    const pattern = lower.startsWith(\'.\') ? new RegExp(`^(?:.+)?${escaped}$|^${escaped.slice(2)}$`) : new RegExp(`^${escaped}$`);',
          '    return pattern.test(name);',
          '  });',
          '',
        ].join('\n'),
      },
    ],
  },
  {
    // W3C Server Timing, section 3: a parameter value is a token or a quoted-string, so a desc may hold "," and ";", and dur may be quoted.
    name: 'describes its metric with a quoted desc that holds a comma and a ";", and quotes the dur value',
    edits: [
      {
        file: 'middleware.ts',
        find: "response.headers.append('Server-Timing', `app;dur=${ms}`);",
        replace: "response.headers.append('Server-Timing', `app;desc=\"middleware, view; all\";dur=\"${ms}\"`);",
      },
    ],
  },
  {
    name: 'logs in colour, as morgan\'s "dev" format does, with the duration in microseconds written with a Greek mu',
    edits: [
      {
        file: 'middleware.ts',
        find: 'console.log(`${request.method} ${request.path} ${response.status} ${ms}ms`);',
        replace: 'console.log(`${request.method} ${request.path} \\x1b[${response.status < 400 ? 32 : 33}m${response.status}\\x1b[0m ${Math.round(Number(ms) * 1000)} \u03bcs`);',
      },
    ],
  },
  {
    name: 'logs the duration as "0.4 msec"',
    edits: [
      {
        file: 'middleware.ts',
        find: 'console.log(`${request.method} ${request.path} ${response.status} ${ms}ms`);',
        replace: 'console.log(`${request.method} ${request.path} ${response.status} ${ms} msec`);',
      },
    ],
  },
] satisfies Variant[];
