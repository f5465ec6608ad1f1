import type { Mutant } from '../support/mutants.ts';

export default [
  {
    name: 'keeps header names as sent',
    find: 'const key = name.toLowerCase();',
    replace: 'const key = name;',
    caughtBy: 'stores header names in lower case and trims the spaces around values',
  },
  {
    name: 'keeps only the last value of a repeated field',
    find: 'headers.set(key, [...(headers.get(key) ?? []), value]);',
    replace: 'headers.set(key, [value]);',
    caughtBy: 'keeps every value of a repeated header field, in order',
  },
  {
    name: 'counts the body in characters, not bytes',
    find: 'if (this.buffered.length < bodyEnd) return undefined;',
    replace: "if (this.buffered.toString('utf8').length < bodyEnd) return undefined;",
    caughtBy: 'reads a body of Content-Length bytes, not characters',
  },
  {
    name: 'assumes the whole head arrives in one packet',
    find: 'if (headEnd === -1) return undefined;',
    replace: "if (headEnd === -1) throw new ParseError(400, 'No empty line after the head');",
    caughtBy: 'waits for a head that arrives in several packets',
  },
  {
    name: 'answers before the whole body has arrived',
    find: 'if (this.buffered.length < bodyEnd) return undefined;',
    replace: '',
    caughtBy: 'waits for a body that arrives in several packets',
  },
  {
    name: 'drops the bytes that follow a body',
    find: 'this.buffered = this.buffered.subarray(bodyEnd);',
    replace: 'this.buffered = Buffer.alloc(0);',
    caughtBy: 'answers pipelined requests in order, reading each body to its end',
  },
  {
    name: 'accepts any third word as the version',
    find: "!/^HTTP\\/\\d\\.\\d$/.test(version)",
    replace: "version === ''",
    caughtBy: 'rejects garbage with 400 Bad Request',
  },
  {
    name: 'lets a line break through inside a value',
    find: 'if (/[\\r\\n\\0]/.test(value)) ',
    replace: 'if (false) ',
    caughtBy: 'rejects garbage with 400 Bad Request',
  },
  {
    name: 'ignores a missing Host',
    find: "if (version === 'HTTP/1.1' && hosts.length === 0)",
    replace: 'if (false)',
    caughtBy: 'rejects an HTTP/1.1 request without Host, and any request with two, with 400',
  },
  {
    name: 'requires Host in HTTP/1.0 too',
    find: "if (version === 'HTTP/1.1' && hosts.length === 0)",
    replace: 'if (hosts.length === 0)',
    caughtBy: 'rejects an HTTP/1.1 request without Host, and any request with two, with 400',
  },
  {
    name: 'counts Host lines only in HTTP/1.1',
    find: 'if (hosts.length > 1)',
    replace: "if (version === 'HTTP/1.1' && hosts.length > 1)",
    caughtBy: 'rejects an HTTP/1.1 request without Host, and any request with two, with 400',
  },
  {
    name: 'trims the space before the colon',
    find: 'const name = line.slice(0, colon);',
    replace: 'const name = line.slice(0, colon).trimEnd();',
    caughtBy: 'rejects whitespace between a field name and its colon with 400',
  },
  {
    name: 'uses Content-Length and ignores Transfer-Encoding',
    find: "if (headers.has('transfer-encoding')) {",
    replace: 'if (false) {',
    caughtBy: 'rejects a request with both Content-Length and Transfer-Encoding with 400',
  },
  {
    name: 'reads Content-Length with Number()',
    find: '!/^\\d+$/.test(length)',
    replace: 'Number.isNaN(Number(length))',
    caughtBy: 'rejects an invalid Content-Length with 400',
  },
  {
    name: 'reads Content-Length with parseInt()',
    find: "if (lengths.length > 1 || !/^\\d+$/.test(length)) {",
    replace: 'if (Number.isNaN(parseInt(length, 10))) {',
    caughtBy: 'rejects an invalid Content-Length with 400',
  },
  {
    name: 'has no limit on the size of the head',
    find: 'if (headSize > maxHeadBytes) ',
    replace: 'if (false) ',
    caughtBy: 'rejects a head over 8 KB with 431 Request Header Fields Too Large',
  },
  {
    name: 'checks the size only once the head is complete',
    find: 'const headSize = headEnd === -1 ? this.buffered.length : headEnd + 4;',
    replace: 'const headSize = headEnd === -1 ? 0 : headEnd + 4;',
    caughtBy: 'rejects a head over 8 KB with 431 Request Header Fields Too Large',
  },
] satisfies Mutant[];
