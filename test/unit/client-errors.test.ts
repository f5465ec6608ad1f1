// undici's real errors, provoked by small servers that answer wrongly on
// purpose, and what the grader tells the learner about each.
import net from 'node:net';
import { afterAll, describe, expect, test } from 'vitest';
import { Client } from 'undici';
import { describeClientError } from '../../grader/engine/client-errors.ts';
import { TimeoutError } from '../../grader/engine/deadline.ts';

const servers: net.Server[] = [];
afterAll(() => servers.forEach((server) => server.close()));

/** What undici throws when a server answers a GET with `answer`. */
async function errorFor(answer: (socket: net.Socket) => void): Promise<unknown> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => answer(socket));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const client = new Client(`http://127.0.0.1:${port}`);
  try {
    const response = await client.request({ method: 'GET', path: '/' });
    await response.body.text();
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await client.destroy().catch(() => {});
  }
}

const cases: [string, (socket: net.Socket) => void, { kind: string; problem: RegExp; hint?: RegExp }][] = [
  ['a head with bare LF', (s) => s.end('HTTP/1.1 200 OK\nContent-Length: 0\n\n'), { kind: 'mismatch', problem: /bare \\n/, hint: /\\r\\n/ }],
  ['bytes that are not HTTP', (s) => s.end('hello there\r\n\r\n'), { kind: 'mismatch', problem: /does not start with "HTTP\/1\.1"/ }],
  ['a status line without a code', (s) => s.end('HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n'), { kind: 'mismatch', problem: /three-digit code/ }],
  ['a header name with a space', (s) => s.end('HTTP/1.1 200 OK\r\nBad Header: x\r\nContent-Length: 0\r\n\r\n'), { kind: 'mismatch', problem: /header line is not "Name: value"/ }],
  ['a Content-Length that is not a number', (s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n'), { kind: 'mismatch', problem: /not a number of bytes/ }],
  ['a broken chunk size', (s) => s.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n'), { kind: 'mismatch', problem: /chunked body/ }],
  ['two different Content-Lengths', (s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello'), { kind: 'mismatch', problem: /Content-Length/, hint: /Buffer\.byteLength/ }],
  ['a body cut short by a close', (s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello'), { kind: 'connection', problem: /closed before a complete response/ }],
  ['a close without a byte', (s) => s.end(), { kind: 'connection', problem: /without sending anything/ }],
  ['a reset', (s) => s.resetAndDestroy(), { kind: 'connection', problem: /reset the connection/ }],
];

describe('describeClientError', () => {
  test.each(cases)('%s', async (_name, answer, expected) => {
    const error = await errorFor(answer);
    expect(error, 'undici accepted the response').toBeDefined();
    const report = describeClientError(error, true);
    expect(report.kind).toBe(expected.kind);
    expect(report.problem).toMatch(expected.problem);
    if (expected.hint) expect(report.hint).toMatch(expected.hint);
    else expect(report.hint).toBeTruthy();
  });

  test("our own deadline (ROUNDTRIP_TIMEOUT) is a time-out", () => {
    expect(describeClientError(new TimeoutError('No complete response within 3000 ms'), true)).toMatchObject({ kind: 'timeout' });
  });

  test('a time-out waiting for the head and one waiting for the body say which', () => {
    expect(describeClientError({ code: 'UND_ERR_HEADERS_TIMEOUT' }, true).problem).toMatch(/No response head/);
    expect(describeClientError({ code: 'UND_ERR_BODY_TIMEOUT' }, true).problem).toMatch(/body stopped/);
  });

  test('an HPE_ code, when undici gives one, decides over the reason', () => {
    const error = Object.assign(new Error('Response does not match the HTTP/1.1 protocol (Something new)'), { name: 'HTTPParserError', code: 'HPE_CR_EXPECTED' });
    expect(describeClientError(error, true).problem).toMatch(/bare \\n/);
  });

  test('an AbortError (a DOMException, whose code is a number) is a time-out', () => {
    expect(describeClientError(new DOMException('This operation was aborted', 'AbortError'), true)).toMatchObject({ kind: 'timeout' });
  });

  test('whatever the error, a server that stopped has crashed', () => {
    expect(describeClientError({ code: 'ECONNRESET' }, false)).toMatchObject({ kind: 'crash' });
  });
});
