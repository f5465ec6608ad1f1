import type { Mutant } from '../support/mutants.ts';

export default [
  {
    name: 'ends head lines with a bare LF',
    find: "head.map((field) => `${field}\\r\\n`).join('') + '\\r\\n'",
    replace: "head.map((field) => `${field}\\n`).join('') + '\\n'",
    caughtBy: 'ends every head line with CRLF and the head with an empty line',
  },
  {
    name: 'counts characters, not bytes',
    find: "Buffer.byteLength(body, 'utf8')",
    replace: 'body.length',
    caughtBy: 'counts Content-Length in bytes, not characters',
  },
  {
    name: 'answers every path with the same text',
    find: '${line.method} ${line.target}\\n`',
    replace: 'GET /\\n`',
    caughtBy: 'answers with the method and path it was asked for',
  },
  {
    name: 'writes HTTP/1.0 in the status line',
    find: "'HTTP/1.1 200 OK'",
    replace: "'HTTP/1.0 200 OK'",
    caughtBy: 'starts its answer with the status line HTTP/1.1 200 OK',
  },
  {
    name: 'leaves out the charset',
    find: "'Content-Type: text/plain; charset=utf-8'",
    replace: "'Content-Type: text/plain'",
    caughtBy: 'labels the body as UTF-8 plain text',
  },
  {
    name: 'forgets the empty line after the head',
    find: "join('') + '\\r\\n' + body",
    replace: "join('') + body",
    caughtBy: 'sends nothing after the body and closes the connection',
  },
  {
    name: 'does not announce Connection: close',
    find: "    'Connection: close',\n",
    replace: '',
    caughtBy: 'sends nothing after the body and closes the connection',
  },
  {
    name: 'adds 2 to the character count for the dash',
    find: "Buffer.byteLength(body, 'utf8')",
    replace: 'body.length + 2',
    caughtBy: 'counts Content-Length in bytes, not characters',
  },
  {
    name: 'answers with the path but not the query',
    find: 'return { method, target, version };',
    replace: "return { method, target: target.split('?')[0] ?? '', version };",
    caughtBy: 'answers with the method and path it was asked for',
  },
  {
    name: 'writes a hyphen instead of the em dash',
    find: '`Hello from Roundtrip — you asked for ${',
    replace: '`Hello from Roundtrip - you asked for ${',
    caughtBy: 'answers with the method and path it was asked for',
  },
  {
    name: 'leaves out the newline at the end of the body',
    find: '${line.method} ${line.target}\\n`',
    replace: '${line.method} ${line.target}`',
    caughtBy: 'answers with the method and path it was asked for',
  },
  {
    name: 'labels the body as HTML',
    find: "'Content-Type: text/plain; charset=utf-8'",
    replace: "'Content-Type: text/html; charset=utf-8'",
    caughtBy: 'labels the body as UTF-8 plain text',
  },
  {
    name: 'writes another reason phrase',
    find: "'HTTP/1.1 200 OK'",
    replace: "'HTTP/1.1 200 Okay'",
    caughtBy: 'starts its answer with the status line HTTP/1.1 200 OK',
  },
  {
    name: 'splits the whole request at spaces, not just its first line',
    find: "= firstLine.split(' ');",
    replace: "= request.split(' ');",
    caughtBy: 'reads the request line only up to its first CRLF, even one without a version',
  },
  {
    name: 'decodes the %-escapes in the target',
    find: 'return { method, target, version };',
    replace: 'return { method, target: decodeURIComponent(target), version };',
    caughtBy: 'answers with the method and path it was asked for',
  },
  {
    name: 'trims the slash at the end of the path',
    find: 'return { method, target, version };',
    replace: "return { method, target: target.length > 1 ? target.replace(/\\/+$/, '') : target, version };",
    caughtBy: 'answers with the method and path it was asked for',
  },
  {
    name: 'turns the root path "/" into an empty target',
    find: 'return { method, target, version };',
    replace: "return { method, target: target.replace(/\\/$/, ''), version };",
    caughtBy: 'answers with the method and path it was asked for',
  },
  {
    name: 'cleans up the target with new URL()',
    find: 'return { method, target, version };',
    replace: "const url = new URL(target, 'http://localhost');\n  return { method, target: url.pathname + url.search, version };",
    caughtBy: 'answers with the method and path it was asked for',
  },
  {
    name: 'writes the method in capitals whatever was sent',
    find: 'return { method, target, version };',
    replace: 'return { method: method.toUpperCase(), target, version };',
    caughtBy: 'answers with the method and path it was asked for',
  },
  {
    name: 'writes the request\'s version in the status line',
    find: "'HTTP/1.1 200 OK'",
    replace: "`${line.version || 'HTTP/1.1'} 200 OK`",
    caughtBy: 'starts its answer with the status line HTTP/1.1 200 OK',
  },
] satisfies Mutant[];
