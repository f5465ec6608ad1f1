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
] satisfies Variant[];
