import type { Variant } from '../support/mutants.ts';

export default [
  {
    name: 'writes the header fields in another order and case, with an extra harmless one',
    edits: [
      {
        find: /  const head = \[\n[\s\S]*?\n  \];\n/,
        replace: [
          '  const head = [',
          "    'HTTP/1.1 200 OK',",
          "    'connection: close',",
          "    'x-powered-by: Roundtrip',",
          '    `content-length: ${Buffer.byteLength(body)}`,',
          "    'content-type: text/plain;charset=UTF-8',",
          '  ];',
          '',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'parses with a regular expression (the version optional) and builds the response as one template',
    edits: [
      {
        find: /  const end = request\.indexOf\('\\r\\n'\);\n[\s\S]*?  return \{ method, target, version \};\n/,
        replace: [
          "  const [, method = '', target = '', version = ''] = /^([^ \\r\\n]*) ([^ \\r\\n]*)(?: ([^ \\r\\n]*))?/.exec(request) ?? [];",
          '  return { method, target, version };',
          '',
        ].join('\n'),
      },
      {
        find: /  const head = \[\n[\s\S]*?join\(''\) \+ '\\r\\n' \+ body;\n/,
        replace: [
          '  const bytes = Buffer.from(body);',
          '  return `HTTP/1.1 200 OK\\r\\nContent-Length: ${bytes.length}\\r\\nContent-Type: text/plain; charset=utf-8\\r\\nConnection: close\\r\\n\\r\\n${body}`;',
          '',
        ].join('\n'),
      },
    ],
  },
  {
    // RFC 9110, section 8.3.1: the same media type, spelt another way.
    name: 'writes the Content-Type with a quoted charset and a space before the ";"',
    edits: [{ find: "'Content-Type: text/plain; charset=utf-8'", replace: "'Content-Type: Text/Plain ; charset=\"UTF-8\"'" }],
  },
  {
    name: 'writes the head and the body in separate writes, the body on a later tick',
    edits: [
      {
        find: "      socket.end(buildResponse(line), 'utf8');",
        replace: [
          "      const response = Buffer.from(buildResponse(line), 'utf8');",
          "      const bodyStart = response.indexOf('\\r\\n\\r\\n') + 4;",
          '      socket.write(response.subarray(0, bodyStart));',
          '      setImmediate(() => socket.end(response.subarray(bodyStart)));',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'counts bytes with TextEncoder, writes lower-case names without a space after the colon, adds Date and Server',
    edits: [
      { find: "`Content-Length: ${Buffer.byteLength(body, 'utf8')}`", replace: '`content-length:${new TextEncoder().encode(body).length}`' },
      { find: "'Content-Type: text/plain; charset=utf-8'", replace: "'content-type:text/plain; charset=utf-8'" },
      { find: "'Connection: close',", replace: "'Connection: Close',\n    `Date: ${new Date().toUTCString()}`,\n    'Server: my-first-server'," },
    ],
  },
  {
    name: 'splits the request into lines first and waits for the end of the request line across chunks',
    edits: [
      { find: "  const end = request.indexOf('\\r\\n');\n  const firstLine = end === -1 ? request : request.slice(0, end);\n", replace: "  const firstLine = request.split('\\r\\n')[0] ?? '';\n" },
      {
        find: "  socket.once('data', (bytes) => {\n    try {\n      const line = parseRequestLine(bytes.toString('latin1'));",
        replace: [
          "  let received = '';",
          "  socket.on('data', (bytes) => {",
          "    received += bytes.toString('latin1');",
          "    if (!received.includes('\\r\\n')) return;",
          "    socket.removeAllListeners('data');",
          '    try {',
          '      const line = parseRequestLine(received);',
        ].join('\n'),
      },
    ],
  },
  {
    // The HTTP/0.9 form "GET /hello" has one space: the target runs to the end of the line.
    name: 'finds the two spaces with indexOf and slices, and joins the head, the empty line and the body in one join',
    edits: [
      {
        find: "  const [method = '', target = '', version = ''] = firstLine.split(' ');",
        replace: [
          "  const first = firstLine.indexOf(' ');",
          "  const second = firstLine.indexOf(' ', first + 1);",
          '  const method = firstLine.slice(0, first);',
          '  const target = second === -1 ? firstLine.slice(first + 1) : firstLine.slice(first + 1, second);',
          "  const version = second === -1 ? '' : firstLine.slice(second + 1);",
        ].join('\n'),
      },
      { find: "  return head.map((field) => `${field}\\r\\n`).join('') + '\\r\\n' + body;", replace: "  return [...head, '', body].join('\\r\\n');" },
    ],
  },
  {
    // Review round 23: the response is whole by its Content-Length; the close may follow a little later.
    name: 'writes the response, then closes the connection 350 ms after the write is done',
    edits: [
      {
        find: "      socket.end(buildResponse(line), 'utf8');",
        replace: "      socket.write(buildResponse(line), 'utf8', () => setTimeout(() => socket.end(), 350));",
      },
    ],
  },
  {
    // Review round 23: RFC 9110, section 5.6.6 allows an empty parameter, so a ";" at the end changes nothing.
    name: 'ends the Content-Type with a ";"',
    edits: [{ find: "'Content-Type: text/plain; charset=utf-8'", replace: "'Content-Type: text/plain; charset=utf-8;'" }],
  },
] satisfies Variant[];
