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
  { name: 'a list of two Content-Length values on one line', send: [head('Content-Length: 3, 4\r\n', 'POST / HTTP/1.1') + 'abcd'], expect: allRefuse(400) },
  // RFC 9112, section 6.3: chunked must be the last coding, or the body's length is unknown (400). A reader that
  // knows no transfer coding at all may answer 501 instead; either way the connection closes.
  { name: 'Transfer-Encoding: chunked, identity', send: [head('Transfer-Encoding: chunked, identity\r\n', 'POST / HTTP/1.1') + '0\r\n\r\n'], expect: { ...allRefuse([400, 501]), node: refused(400) } },
  // A malformed chunk: refused, or (a server that answers before it reads the body) answered, and then closed.
  { name: 'a chunk size written 0x3', send: [head('Transfer-Encoding: chunked\r\n', 'POST / HTTP/1.1') + '0x3\r\nabc\r\n0\r\n\r\n'], expect: { ...allRefuse([400, 501]), node: refused([400, 404, 405]) } },
  { name: 'a chunk extension ending in a bare LF', send: [head('Transfer-Encoding: chunked\r\n', 'POST / HTTP/1.1') + '3;a=b\nabc\r\n0\r\n\r\n'], expect: { ...allRefuse([400, 501]), node: refused([400, 404, 405]) } },
  // RFC 9112, section 3: single spaces; a server may read any run of whitespace as one, or refuse it.
  { name: 'tabs between the parts of the request line', send: ['GET\t/\tHTTP/1.1\r\nHost: localhost\r\n\r\n'], expect: allRefuse(400) },
  { name: 'two spaces between method and target', send: ['GET  / HTTP/1.1\r\nHost: localhost\r\n\r\n'], expect: { tcp: tcpAnswers, parser: refused(400), reader: refused(400), node: answered([200, 400, 404]) } },
  // RFC 9112, section 5.1: no whitespace between a field name and its colon, ever (400).
  { name: 'a space between a field name and its colon', send: [head('X-Name : v\r\n')], expect: allRefuse(400) },
  // RFC 9112, section 3.2: a Host whose value is no host is a 400.
  { name: 'a Host that names no host', send: ['GET / HTTP/1.1\r\nHost: a b/c@d\r\n\r\n'], expect: { tcp: tcpAnswers, reader: refused(400), node: refused(400) } },
  { name: 'an IPv6 Host with a port', send: ['GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n'], expect: { tcp: tcpAnswers, parser: answered(200), reader: answered(404), node: answered([200, 404]) } },
  // RFC 9110, section 15.6.6: another major version is a 505 (or a 400 from a reader that knows only 1.0 and 1.1).
  { name: 'a request line of HTTP/2.0', send: ['GET / HTTP/2.0\r\nHost: localhost\r\n\r\n'], expect: allRefuse([505, 400]) },
  { name: 'an HTTP/0.9 request line', send: ['GET /\r\n\r\n'], expect: allRefuse([505, 400]) },
  // RFC 9112, section 3.2: a target is a path, a URL, host:port (CONNECT) or * (OPTIONS). None may cost a 500.
  { name: 'a request target that no URL parser can read', send: ['GET http://[::1/ HTTP/1.1\r\nHost: localhost\r\n\r\n'], expect: { tcp: tcpAnswers, parser: answered(200), reader: refused(400), node: answered([400, 404]) } },
  { name: 'GET * (the asterisk is for OPTIONS only)', send: ['GET * HTTP/1.1\r\nHost: localhost\r\n\r\n'], expect: { tcp: tcpAnswers, parser: answered(200), reader: answered([400, 404]), node: answered([400, 404]) } },
  { name: 'OPTIONS *', send: ['OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n'], expect: { tcp: tcpAnswers, parser: answered(200), reader: answered([200, 204, 404, 405, 501]), node: answered([200, 204, 404, 405, 501]) } },
  { name: 'invalid percent-escapes in the path', send: ['GET /%zz/%/%c0%ae HTTP/1.1\r\nHost: localhost\r\n\r\n'], expect: { tcp: tcpAnswers, parser: answered(200), reader: answered([400, 404]), node: answered([200, 400, 404]) } },
  // Connections: Connection: close is honoured; pipelined requests are answered in turn; many small fields are no attack.
  { name: 'Connection: close', send: [head('Connection: close\r\n')], expect: { tcp: tcpAnswers, parser: { status: 200, connection: 'closed' }, reader: { status: 404, connection: 'closed' }, node: { status: [200, 404], connection: 'closed' } } },
  {
    name: '100 pipelined requests in one packet',
    send: () => ['GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'.repeat(100)],
    expect: { tcp: tcpAnswers, parser: { status: 200, connection: 'usable' }, reader: { status: 404, connection: 'closed' }, node: { status: [200, 404], connection: 'usable' } },
  },
  {
    name: '800 empty header fields within the 8 KB limit',
    send: () => [head(Array.from({ length: 800 }, (_, i) => `f${i}:\r\n`).join(''))],
    expect: { tcp: tcpAnswers, parser: { status: 200, connection: 'usable' }, reader: { status: 404, connection: 'closed' }, node: { status: [200, 404], connection: 'usable' } },
  },
  // RFC 9110, section 10.1.1: a client may send the body without waiting for 100 Continue; the server answers
  // the request either way (Node sends the interim 100 first, which the conversation reads past).
  {
    name: 'Expect: 100-continue, the body sent at once',
    send: [head('Content-Length: 3\r\nExpect: 100-continue\r\n', 'POST / HTTP/1.1') + 'abc'],
    expect: { tcp: tcpAnswers, parser: answered(200), reader: { status: 404, connection: 'closed' }, node: answered([200, 403, 404, 405]) },
  },
  // RFC 9110, section 9.3.6: CONNECT asks a proxy for a tunnel. No lesson's server is one: it says so (the kit: 501).
  { name: 'CONNECT to another host', send: ['CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n'], expect: { tcp: tcpAnswers, parser: answered('any'), reader: answered('any'), node: refused(501) } },
  // Lessons 07 and 12 read a header a client may fill with anything: no 500.
  { name: 'a malformed Authorization header', applies: (l) => l.number === 7, send: [head('Authorization: Basic !!!not-base64\r\n', 'GET /me HTTP/1.1')], expect: { node: answered(401) } },
  {
    name: 'a Cookie header of 7 KB of garbage',
    applies: (l) => l.number === 12,
    send: [Buffer.from(head(`Cookie: ;;=;a;=b;__proto__=1;%zz=%; sessionid=${'x'.repeat(7000)}\xff"\r\n`, 'GET /account HTTP/1.1'), 'latin1')],
    expect: { node: answered(302) },
  },
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
  // A reader without chunked refuses at once (501); Node waits for the chunk, then answers 408 or closes.
  { name: 'a chunked body that never ends', send: [head('Transfer-Encoding: chunked\r\n', 'POST / HTTP/1.1') + '3\r\nabc\r\n'], expect: { ...allRefuse([400, 501]), node: refusesStalledBody } },
  { name: 'a chunk size of 2^64 - 1', send: [head('Transfer-Encoding: chunked\r\n', 'POST / HTTP/1.1') + 'ffffffffffffffff\r\nabc'], expect: { ...allRefuse([400, 501]), node: refusesStalledBody } },
  // Paths: whatever the lesson answers, never a file from outside its folder (the judge checks the body).
  ...['/../../../../etc/passwd', '/static/..%2f..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/static/....//....//secret.txt', '/static/%252e%252e/secret.txt', '/static/..\\..\\secret.txt', '/static/%00../secret.txt', '/static/%c0%ae%c0%ae/secret.txt', '/static/.%2e/static-private/secret.txt'].map(
    (path): HostileCase => ({
      name: `a way out of the folder: ${path}`,
      send: [`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`],
      expect: { tcp: tcpAnswers, parser: answered(200), reader: answered([400, 404]), node: answered('any') },
    }),
  ),
  { name: 'an 8 KB path', send: [`GET /${big(7)} HTTP/1.1\r\nHost: localhost\r\n\r\n`], expect: { tcp: tcpAnswers, parser: answered(200), reader: answered([404, 414]), node: answered('any') } },
  { name: 'an encoded slash in the path', send: ['GET /a%2Fb HTTP/1.1\r\nHost: localhost\r\n\r\n'], expect: { tcp: tcpAnswers, parser: answered(200), reader: answered(404), node: answered('any') } },
];
