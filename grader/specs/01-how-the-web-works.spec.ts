// Lesson 01: the server answers one request over raw TCP with a well-framed
// HTTP/1.1 response. Paths are random, so only a real answer passes.
import { helloBody } from '../../provided/fixtures/01-how-the-web-works.ts';
import { gradeLesson, header, labelledUtf8, limits } from '../engine/harness.ts';

const lesson = gradeLesson(import.meta.url);
const { random } = lesson;

const randomPath = () => `/page-${random.hex(4)}`;
const get = (path: string, method = 'GET') => `${method} ${path} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: roundtrip-grader\r\n\r\n`;
const hex = () => random.hex(4);

lesson.behaviour('starts its answer with the status line HTTP/1.1 200 OK', async (t) => {
  const { response } = await t.raw(get('/'));
  t.check(response!.statusLine === 'HTTP/1.1 200 OK', {
    summary: 'The first line of the response is not a valid status line.',
    expected: 'HTTP/1.1 200 OK',
    received: JSON.stringify(response!.statusLine),
    hint: 'A status line is the protocol version, a space, the three-digit code, a space and the reason phrase, then CRLF.',
  });
  // The status line names the version the server speaks, not the request's: an HTTP/1.0 request
  // gets "HTTP/1.1 200 OK" too (RFC 9110, section 2.5).
  const { response: old } = await t.raw(`GET ${randomPath()} HTTP/1.0\r\nHost: localhost\r\n\r\n`);
  t.check(old!.statusLine === 'HTTP/1.1 200 OK', {
    summary: 'An HTTP/1.0 request was not answered with the status line HTTP/1.1 200 OK.',
    expected: 'HTTP/1.1 200 OK',
    received: JSON.stringify(old!.statusLine),
    hint: 'The status line names the version your server speaks, HTTP/1.1, whatever version the request names (RFC 9110, section 2.5): write "HTTP/1.1 200 OK" as it is, not line.version.',
  });
});

lesson.behaviour('ends every head line with CRLF and the head with an empty line', async (t) => {
  const { bytes } = await t.raw(get('/'));
  const head = bytes.toString('latin1').split('\r\n\r\n')[0]!;
  t.check(!/(^|[^\r])\n/.test(head), {
    summary: 'A line of the head ends with a bare LF (\\n) instead of CRLF (\\r\\n).',
    expected: 'every line ending in \\r\\n, and \\r\\n\\r\\n before the body',
    received: 'a bare \\n (see the raw bytes below)',
    hint: 'HTTP/1.1 (RFC 9112, section 2.1) ends each line of the head with CRLF: "\\r\\n".',
  });
});

lesson.behaviour('labels the body as UTF-8 plain text', async (t) => {
  const { response } = await t.raw(get('/'));
  const type = header(response!, 'Content-Type');
  t.check(labelledUtf8(type, 'text/plain', 'required'), {
    summary: type === undefined ? 'The response has no Content-Type header.' : 'The Content-Type header is not right.',
    expected: 'Content-Type: text/plain; charset=utf-8',
    received: type === undefined ? '(no such header)' : `Content-Type: ${type}`,
    hint: 'Send "Content-Type: text/plain; charset=utf-8", so the client decodes "—" correctly.',
  });
});

lesson.behaviour('counts Content-Length in bytes, not characters', async (t) => {
  // The second path holds byte E9, which the plumbing decodes as "é" (Latin-1): 2 bytes in UTF-8,
  // so a count that adds 2 for the dash is caught too.
  for (const path of [randomPath(), `/caf\xe9-${hex()}`]) {
    const { response } = await t.raw([Buffer.from(get(path), 'latin1')], { lingerMs: 100 });
    const length = header(response!, 'Content-Length');
    const body = helloBody('GET', path);
    t.check(length === String(Buffer.byteLength(body)), {
      summary: 'Content-Length does not match the size of the body in bytes.',
      expected: `Content-Length: ${Buffer.byteLength(body)} (the body is ${body.length} characters, but ${path.includes('é') ? '"—" takes 3 bytes and "é" 2' : '"—" takes 3 bytes'} in UTF-8)`,
      received: length === undefined ? '(no Content-Length header)' : `Content-Length: ${length}`,
      hint: 'Buffer.byteLength(text) counts the bytes a string becomes in UTF-8, whatever characters it holds.',
    });
  }
});

lesson.behaviour('answers with the method and path it was asked for', async (t) => {
  // Method and target stay exactly as sent: the method's case kept (methods are case-sensitive, RFC 9110
  // section 9.1: "get" is not "GET"), percent-escapes not decoded, "/./" and a final "/" kept (neither
  // trimmed nor normalised), and the root "/" is a path like any other. A method is whatever comes before the
  // first space: not only the common ones, and not only letters (a method is a token, RFC 9110 section 9.1,
  // which may hold digits and "-").
  const targets = [
    ['GET', randomPath()], ['DELETE', randomPath()], [`M-${hex().toUpperCase()}`, randomPath()], ['GET', `${randomPath()}?q=${hex()}&n=1`],
    ['GET', `${randomPath()}/caf%C3%A9%20${hex()}?q=a%26b`], ['GET', `${randomPath()}/./${hex()}/`], ['GET', '/'], ['get', randomPath()],
  ] as const;
  for (const [method, path] of targets) {
    const { response } = await t.raw(get(path, method));
    t.expectBody(
      response!,
      helloBody(method, path),
      'Build the body from the method and target your parseRequestLine found, not from fixed text: the method is everything before the first space, as sent (any method, its case kept), the target is everything between the two spaces, query included, exactly as sent (%-escapes not decoded, a final "/" and any "/./" kept).',
    );
  }
});

lesson.behaviour('sends nothing after the body and closes the connection', async (t) => {
  const path = randomPath();
  // Wait for the close as long as for an answer: the plumbing closes right after the response, so a right
  // server ends the wait at once, and a busy machine that stalls the grader cannot turn a close into "open".
  const { response, closed } = await t.raw(get(path), { lingerMs: limits.requestMs });
  t.expectHeader(response!, 'Connection', /^close$/i, 'Tell the client you will close: "Connection: close".');
  t.check(response!.complete && response!.extra.length === 0, {
    summary: response!.complete
      ? `${response!.extra.length} bytes arrived after the body that Content-Length announced.`
      : 'The body is shorter than Content-Length announced.',
    expected: `exactly ${header(response!, 'Content-Length')} bytes of body`,
    received: JSON.stringify(response!.text + response!.extra.toString('utf8')),
    hint: 'Content-Length must be the exact byte length of what follows the empty line.',
  });
  t.check(closed, {
    summary: 'The connection stayed open after the response.',
    hint: 'The provided code calls socket.end() after writing your response; did you change it?',
  });
});

lesson.behaviour('can be read by a real HTTP client', async (t) => {
  const path = randomPath();
  const response = await t.request({ path });
  t.expectStatus(response, 200);
  t.expectBody(response, helloBody('GET', path));
});

lesson.behaviour('reads the request line only up to its first CRLF, even one without a version', async (t) => {
  // "GET /path\r\n" (the HTTP/0.9 form) has one space: splitting the whole request at spaces, not
  // just its first line, would take "/path\r\nHost:" for the target.
  const path = `/page-${t.hex()}`;
  const { response } = await t.raw(`GET ${path}\r\nHost: localhost\r\n\r\n`, { lingerMs: 100 });
  t.expectBody(
    response!,
    helloBody('GET', path),
    'Cut the first line off at the first "\\r\\n" before you split it at spaces: the header fields are not part of the request line.',
  );
});
