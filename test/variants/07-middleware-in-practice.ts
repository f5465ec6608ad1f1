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
    name: 'reads the host name with the URL parser, Basic credentials without a pattern, and times with hrtime',
    edits: [
      {
        file: 'middleware.ts',
        find: /  if \(!host\) return false;\n[\s\S]*?\n  \}\);\n/,
        replace: [
          '  if (host === null || host === \'\') return false;',
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
] satisfies Variant[];
