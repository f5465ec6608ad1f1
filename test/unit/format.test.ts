// How bytes and requests are shown to a learner: quoted so that CR, LF and
// other invisible bytes show, and as commands they can paste.
import { describe, expect, test } from 'vitest';
import { curlCommand, excerpt, netcatCommand, quoteBytes, shellQuote } from '../../grader/engine/format.ts';

describe('quoteBytes', () => {
  test('shows CR and LF, and breaks the line after each LF', () => {
    expect(quoteBytes('GET / HTTP/1.1\r\nHost: x\r\n\r\n')).toBe('GET / HTTP/1.1\\r\\n\nHost: x\\r\\n\n\\r\\n');
  });

  test('shows control bytes as \\xNN, tabs as \\t and a backslash doubled', () => {
    expect(quoteBytes(Buffer.from([0x48, 0x69, 0x00, 0x7f, 0x09, 0x5c]))).toBe('Hi\\x00\\x7f\\t\\\\');
  });

  test('shows valid UTF-8 as text', () => {
    expect(quoteBytes(Buffer.from('héllo ✓'))).toBe('héllo ✓');
  });

  test('shows bytes that are not UTF-8 (latin1 é) as \\xNN', () => {
    expect(quoteBytes(Buffer.from([0x68, 0xe9, 0x6c]))).toBe('h\\xe9l');
    expect(quoteBytes(Buffer.concat([Buffer.from('ab'), Buffer.from('é').subarray(0, 1)]))).toBe('ab\\xc3');
  });

  test('cuts long input and counts the bytes left out', () => {
    expect(quoteBytes('x'.repeat(10), 4)).toBe('xxxx… (6 more bytes)');
  });

  test('a cut through a UTF-8 character is still UTF-8', () => {
    expect(quoteBytes(Buffer.from('ééééé'), 2)).toBe('éé… (6 more bytes)');
  });
});

describe('commands to paste', () => {
  test('netcat: printf escapes CR, LF, %, quotes, backslashes and bytes outside ASCII', () => {
    expect(netcatCommand('GET / HTTP/1.1\r\n\r\n')).toBe("printf 'GET / HTTP/1.1\\r\\n\\r\\n' | nc localhost 3000");
    expect(netcatCommand("it's 100%\\\x01é")).toBe("printf 'it'\\''s 100%%\\\\\\001\\351' | nc localhost 3000");
    expect(netcatCommand('abcdef', 3)).toBe("printf 'abc' | nc localhost 3000 # … and 3 more bytes, not shown");
  });

  test('curl: --head for HEAD, -X for other methods, quoted headers and body', () => {
    expect(curlCommand({ method: 'HEAD', path: '/a b' })).toBe("curl -v --head 'http://localhost:3000/a b'");
    expect(curlCommand({ method: 'GET', path: '/' })).toBe('curl -v http://localhost:3000/');
    // An empty value is sent empty ("Name;"): curl leaves out a header written "Name:".
    expect(curlCommand({ method: 'GET', path: '/', headers: { 'X-Empty': '' } })).toBe("curl -v -H 'X-Empty;' http://localhost:3000/");
    expect(curlCommand({ method: 'POST', path: '/f', headers: { 'Content-Type': 'text/plain' }, body: "it's" })).toBe(
      "curl -v -X POST -H 'Content-Type: text/plain' --data-binary 'it'\\''s' http://localhost:3000/f",
    );
    expect(curlCommand({ method: 'POST', path: '/', body: 'x'.repeat(301) })).toContain('@body.txt  # 301 bytes, not shown');
  });

  test('shellQuote leaves plain words alone', () => {
    expect(shellQuote('/a/b.txt')).toBe('/a/b.txt');
    expect(shellQuote("a'b")).toBe("'a'\\''b'");
  });

  test('excerpt marks what it cut', () => {
    expect(excerpt('abcdef', 3)).toBe('abc… (3 more characters)');
    expect(excerpt('abc', 3)).toBe('abc');
  });
});
