// The hostile requests of test/hostile-input.test.ts, and what each kind of
// reference server must answer. The kinds differ by who reads the bytes:
//   tcp    lesson 01: reads one packet's request line and always answers 200;
//          it parses nothing more, on purpose (lesson 02 is the parser);
//   parser lesson 02: the learner's parser, strict per RFC 9112;
//   reader lesson 03: the kit's reader (provided/request-reader.ts), the same rules;
//   node   lessons 04 and later: Node's own parser (llhttp) under the kit or the solution.
import type { Lesson } from '../../grader/engine/lessons.ts';

export type Family = 'tcp' | 'parser' | 'reader' | 'node';

export interface Expected {
  /** The status, one of several, 'any' (the server's own choice), or 'none' (closed without an answer). */
  status: number | number[] | 'any' | 'none';
  /** After the answer: closed by the server, or still usable for another request. */
  connection: 'closed' | 'usable' | 'either';
  /** For stalled input: the server must close within this many ms of connecting. */
  closedWithinMs?: number;
}

export interface HostileCase {
  name: string;
  send: (string | Buffer)[] | (() => (string | Buffer)[]);
  pauseMs?: number;
  noBody?: boolean;
  applies?: (lesson: Lesson) => boolean;
  expect: Partial<Record<Family, Expected>>;
}

export function familyOf(lesson: Lesson): Family {
  if (lesson.number === 1) return 'tcp';
  if (lesson.number === 2) return 'parser';
  if (lesson.number === 3) return 'reader';
  return 'node';
}

const refused = (status: number | number[]): Expected => ({ status, connection: 'closed' });
const answered = (status: Expected['status']): Expected => ({ status, connection: 'either' });
const tcpAnswers: Expected = { status: 200, connection: 'closed' };
/** The same rule for every reader of the bytes but lesson 01's. */
const allRefuse = (status: number | number[]) => ({ tcp: tcpAnswers, parser: refused(status), reader: refused(status), node: refused(status) });

const head = (fields: string, line = 'GET / HTTP/1.1') => `${line}\r\nHost: localhost\r\n${fields}\r\n`;
const big = (kb: number) => 'a'.repeat(kb * 1024);
/** The server-side time-out the suite sets (0.6 s), plus a generous margin for a busy machine. */
const stalledWithin = 6_000;
const closesStalled: Expected = { status: [408, 400], connection: 'closed', closedWithinMs: stalledWithin };
/** A stalled body may also be refused at once (no such path: 404, 405), as long as the connection does not stay open. */
const refusesStalledBody: Expected = { status: [400, 404, 405, 408, 413], connection: 'closed', closedWithinMs: stalledWithin };

export const cases: HostileCase[] = [
  // Framing.
  // RFC 9112 §2.2 lets a server refuse bare LF (400) or, reading strictly, never see the end of the head (408).
  { name: 'bare LF line endings', send: ['GET / HTTP/1.1\nHost: localhost\n\n'], expect: { ...allRefuse([400, 408]), tcp: tcpAnswers } },
  { name: 'an obsolete folded header line', send: [head('X-Folded: a\r\n b\r\n')], expect: allRefuse(400) },
  { name: 'NUL in a header value', send: [head('X-Nul: a\0b\r\n')], expect: allRefuse(400) },
  { name: 'a bare CR in a header value', send: [head('X-Cr: a\rb\r\n')], expect: allRefuse(400) },
  { name: 'a field name that is not a token', send: [head('X@Tag: v\r\n')], expect: allRefuse(400) },
  { name: 'an empty field name', send: [head(': v\r\n')], expect: allRefuse(400) },
  { name: 'Content-Length with Transfer-Encoding', send: [head('Content-Length: 5\r\nTransfer-Encoding: chunked\r\n', 'POST / HTTP/1.1') + '0\r\n\r\n'], expect: allRefuse(400) },
  { name: 'two different Content-Length values', send: [head('Content-Length: 3\r\nContent-Length: 4\r\n', 'POST / HTTP/1.1') + 'abcd'], expect: allRefuse(400) },
  { name: 'a signed Content-Length', send: [head('Content-Length: +3\r\n', 'POST / HTTP/1.1') + 'abc'], expect: allRefuse(400) },
  { name: 'a Content-Length with letters', send: [head('Content-Length: 3abc\r\n', 'POST / HTTP/1.1') + 'abc'], expect: allRefuse(400) },
  // Refused by the parser (which closes) or by a host-checking middleware (which may keep the connection).
  { name: 'two Host fields', send: ['GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n'], expect: { tcp: tcpAnswers, parser: refused(400), reader: refused(400), node: answered(400) } },
  { name: 'a 64 KB head', send: [head(`X-Big: ${big(64)}\r\n`)], expect: allRefuse(431) },
  { name: 'a 20 KB request line', send: [`GET /${big(20)} HTTP/1.1\r\nHost: localhost\r\n\r\n`], expect: allRefuse([414, 431]) },
  { name: 'an unknown HTTP version', send: ['GET / HTTP/9.9\r\nHost: localhost\r\n\r\n'], expect: allRefuse([505, 400]) },
  { name: 'the HTTP/2 connection preface', send: ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'], expect: allRefuse([505, 400]) },
  // Stalled and slow input: answered or closed within the time-out, never held open.
  { name: 'a head that never ends', send: ['GET / HTTP/1.1\r\nHost: local'], expect: { tcp: tcpAnswers, parser: closesStalled, reader: closesStalled, node: closesStalled } },
  {
    name: 'a head sent a byte at a time (slowloris)',
    send: () => [...'GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: abcdefghijklmnopqrstuvwxyz\r\n\r\n'],
    pauseMs: 150,
    expect: { parser: closesStalled, reader: closesStalled, node: closesStalled },
  },
  {
    name: 'a body shorter than its Content-Length',
    send: [head('Content-Length: 100\r\nContent-Type: application/x-www-form-urlencoded\r\n', 'POST / HTTP/1.1') + 'a=b'],
    expect: { tcp: tcpAnswers, parser: closesStalled, reader: refusesStalledBody, node: refusesStalledBody },
  },
  // Paths: whatever the lesson answers, never a file from outside its folder (the judge checks the body).
  ...['/../../../../etc/passwd', '/static/..%2f..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/static/....//....//secret.txt', '/static/%252e%252e/secret.txt', '/static/..\\..\\secret.txt', '/static/%00../secret.txt'].map(
    (path): HostileCase => ({
      name: `a way out of the folder: ${path}`,
      send: [`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`],
      expect: { tcp: tcpAnswers, parser: answered(200), reader: answered([400, 404]), node: answered('any') },
    }),
  ),
  { name: 'an 8 KB path', send: [`GET /${big(7)} HTTP/1.1\r\nHost: localhost\r\n\r\n`], expect: { tcp: tcpAnswers, parser: answered(200), reader: answered([404, 414]), node: answered('any') } },
  { name: 'an encoded slash in the path', send: ['GET /a%2Fb HTTP/1.1\r\nHost: localhost\r\n\r\n'], expect: { tcp: tcpAnswers, parser: answered(200), reader: answered(404), node: answered('any') } },
];
