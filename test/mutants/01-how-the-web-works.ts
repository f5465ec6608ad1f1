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
] satisfies Mutant[];
