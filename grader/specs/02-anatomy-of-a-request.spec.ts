// Lesson 02: the server parses requests that arrive whole, in pieces or several
// at once, and refuses the malformed ones. The provided plumbing answers each
// parsed request with a JSON echo of what the parser found, so the checks read
// that echo. Paths, names and values are random, so only a real parser passes.
import { randomBytes } from 'node:crypto';
import { GradeFailure } from '../engine/failure.ts';
import { type Check, gradeLesson } from '../engine/harness.ts';
import { parseResponse, type RawOptions, type RawResponse } from '../engine/raw-client.ts';
import type { Received } from '../engine/response.ts';

const lesson = gradeLesson(import.meta.url);

interface Echo {
  method: string;
  target: string;
  version: string;
  headers: Record<string, string[]>;
  body: string;
}

const hex = () => randomBytes(4).toString('hex');
const get = (path: string, fields = 'Host: localhost\r\n') => `GET ${path} HTTP/1.1\r\n${fields}\r\n`;
const post = (path: string, body: string) =>
  `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/**
 * Sends bytes as they are and returns the response. When none comes in time, the
 * parser is usually still waiting for bytes that will never arrive: `waiting` says which.
 */
async function send(t: Check, chunks: string | (string | Uint8Array)[], options: RawOptions & { waiting?: string } = {}): Promise<RawResponse> {
  try {
    return (await t.raw(chunks, options)).response!;
  } catch (error) {
    if (error instanceof GradeFailure && error.roundtrip.kind === 'timeout' && options.waiting) error.roundtrip.hint = options.waiting;
    throw error;
  }
}

/** The parser's view of a request, from the JSON the provided code answers with. */
function readEcho(t: Check, response: Received, hint = 'Your parser refused a valid request: the body of the answer and your server output say why.'): Echo {
  t.expectStatus(response, 200, hint);
  return t.expectJson<Echo>(response, {
    summary: 'The answer is not the JSON echo the provided code writes.',
    hint: 'Restore the code below "Don\'t change anything below this line" (`npm run reset` keeps a copy of your work).',
  });
}

/** Compares one part of the echo with what was sent. */
function expectParsed(t: Check, what: string, received: unknown, expected: unknown, hint: string): void {
  t.check(JSON.stringify(received) === JSON.stringify(expected), {
    summary: `The parser found the wrong ${what}.`,
    expected: JSON.stringify(expected),
    received: JSON.stringify(received),
    hint,
  });
}

/** Sends each request on its own connection and expects the server to refuse it. */
async function expectRefused(t: Check, requests: string[], status: number, hint: string, waiting?: string): Promise<void> {
  for (const request of requests) {
    const response = await send(t, request, { lingerMs: 50, waiting });
    t.expectStatus(response, status, hint);
  }
}

lesson.behaviour('parses the request line into method, target and version', async (t) => {
  for (const method of ['GET', 'DELETE']) {
    const target = `/echo-${hex()}?q=${hex()}`;
    const response = await send(t, `${method} ${target} HTTP/1.1\r\nHost: localhost\r\n\r\n`, {
      waiting: 'Is your parser still waiting? A head ends at the first empty line: "\\r\\n\\r\\n".',
    });
    const echo = readEcho(t, response);
    expectParsed(t, 'request line', [echo.method, echo.target, echo.version], [method, target, 'HTTP/1.1'],
      'The request line is the text before the first CRLF: method, space, target, space, version.');
  }
});

lesson.behaviour('stores header names in lower case and trims the spaces around values', async (t) => {
  const name = `X-Roundtrip-${hex()}`;
  const value = `${hex()} ${hex()}`;
  const response = await send(t, get('/', `hOsT: localhost\r\n${name}: \t ${value}  \r\n`));
  const echo = readEcho(t, response, 'Field names are case-insensitive: "hOsT" is a Host header too.');
  expectParsed(t, 'header fields', echo.headers, { host: ['localhost'], [name.toLowerCase()]: [value] },
    'Lower-case each name; strip spaces and tabs at both ends of each value, but not inside it.');
});

lesson.behaviour('keeps every value of a repeated header field, in order', async (t) => {
  const values = [hex(), hex(), hex()];
  const response = await send(t, get('/', `Host: localhost\r\nX-Tag: ${values[0]}\r\nx-tag: ${values[1]}\r\nX-TAG: ${values[2]}\r\n`));
  const echo = readEcho(t, response);
  expectParsed(t, 'values of X-Tag', echo.headers['x-tag'], values,
    'Three X-Tag lines (in three spellings) are one field with three values: append each to the list for its name.');
});

lesson.behaviour('reads a body of Content-Length bytes, not characters', async (t) => {
  const body = `café ☕ ${hex()}`;
  const response = await send(t, post('/notes', body), {
    waiting: `Your parser is still waiting for more body. All ${Buffer.byteLength(body)} bytes were sent (${body.length} characters): count bytes in the Buffer, not characters in a string.`,
  });
  const echo = readEcho(t, response, 'Content-Length counts bytes: "é" takes 2 bytes in UTF-8 and "☕" takes 3.');
  expectParsed(t, 'body', echo.body, body,
    'Content-Length counts bytes: "é" takes 2 bytes in UTF-8 and "☕" takes 3. Measure the Buffer, not a string.');
});

lesson.behaviour('waits for a head that arrives in several packets', async (t) => {
  const target = `/pieces-${hex()}`;
  const value = hex();
  // Split inside the request line, inside a name, inside a value and inside the final CRLF CRLF.
  const chunks = [`GET /pie`, `${target.slice(4)} HTTP/1.1\r\nHo`, `st: localhost\r\nX-Part: ${value.slice(0, 4)}`, `${value.slice(4)}\r\n\r`, `\n`];
  const response = await send(t, chunks, {
    pauseMs: 40,
    waiting: 'Your parser is still waiting, though the empty line has arrived: do you look for it in all the bytes received so far, not only in the last packet?',
  });
  const echo = readEcho(t, response, 'A packet can end anywhere, even in the middle of a word: keep what arrived and wait for the empty line.');
  expectParsed(t, 'request', [echo.target, echo.headers['x-part']], [target, [value]],
    'A packet can end anywhere, even in the middle of a word: keep what arrived and wait for the empty line.');
});

lesson.behaviour('waits for a body that arrives in several packets', async (t) => {
  const body = `${hex()} ☕ ${hex()}`;
  const bytes = Buffer.from(post('/upload', body));
  const bodyStart = bytes.length - Buffer.byteLength(body);
  const cup = bytes.indexOf('☕', bodyStart);
  // The first packet ends two bytes into the body; the second ends inside the three bytes of "☕".
  const chunks = [bytes.subarray(0, bodyStart + 2), bytes.subarray(bodyStart + 2, cup + 1), bytes.subarray(cup + 1)];
  const response = await send(t, chunks, {
    pauseMs: 40,
    waiting: 'Your parser is still waiting, though the whole body has arrived: compare the bytes buffered after the head with Content-Length.',
  });
  const echo = readEcho(t, response);
  expectParsed(t, 'body', echo.body, body,
    'Answer only once all Content-Length bytes have arrived; until then, next() returns undefined.');
});

lesson.behaviour('answers pipelined requests in order, reading each body to its end', async (t) => {
  const first = `/first-${hex()}`;
  const second = `/second-${hex()}`;
  // The first body looks like a request itself: it must still be read as a body.
  const body = `GET /smuggled-${hex()} HTTP/1.1\r\nHost: localhost\r\n\r\n`;
  const response = await send(t, post(first, body) + get(second), { lingerMs: 150 });
  const one = readEcho(t, response);
  expectParsed(t, 'first request', [one.target, one.body], [first, body],
    'Read exactly Content-Length bytes of body, even when they look like a request.');
  const next = parseResponse(response.extra, false, false);
  t.check(next !== undefined, {
    summary: 'Two requests arrived in one packet, but only the first was answered.',
    expected: `a second response, for GET ${second}`,
    received: JSON.stringify(response.extra.toString('utf8')),
    hint: 'After a request, keep the bytes that follow its body: they are the start of the next request.',
  });
  const two = readEcho(t, next!);
  expectParsed(t, 'second request', [two.method, two.target], ['GET', second],
    'After a request, keep the bytes that follow its body: they are the start of the next request.');
});

lesson.behaviour('rejects garbage with 400 Bad Request', async (t) => {
  const requests = [
    `${hex()}${hex()}\r\n\r\n`, // one word, not a request line
    `${hex()} ${hex()} ${hex()}\r\nHost: localhost\r\n\r\n`, // three words, but no HTTP version
    `GET /${hex()}\r\nHost: localhost\r\n\r\n`, // no version at all
    '\x00\x01\x02\xff\r\n\r\n', // bytes that are not text
    get('/', `Host: localhost\r\n${hex()}\r\n`), // a field line without a colon
    get('/', `Host: localhost\r\nX-Note: ${hex()}\nX-Sneaky: yes\r\n`), // a bare LF inside a value
  ];
  await expectRefused(t, requests, 400,
    'Throw new ParseError(400, …) when the request line is not METHOD SP target SP HTTP/x.y, or a field line is broken.');
});

lesson.behaviour('rejects an HTTP/1.1 request without Host, and any request with two, with 400', async (t) => {
  await expectRefused(
    t,
    [get(`/${hex()}`, ''), get('/', 'Host: localhost\r\nHost: example.com\r\n'), `GET /${hex()} HTTP/1.0\r\nHost: a.test\r\nHost: b.test\r\n\r\n`],
    400,
    'RFC 9112, section 3.2: an HTTP/1.1 request must carry a Host field, and no request may carry two.',
  );
  const target = `/old-${hex()}`;
  const response = await send(t, `GET ${target} HTTP/1.0\r\n\r\n`);
  const echo = readEcho(t, response, 'Only HTTP/1.1 requires Host: an HTTP/1.0 request without one is fine.');
  expectParsed(t, 'request line', [echo.target, echo.version], [target, 'HTTP/1.0'], 'Keep the version as sent.');
});

lesson.behaviour('rejects whitespace between a field name and its colon with 400', async (t) => {
  const name = `X-Spaced-${hex()}`;
  await expectRefused(t, [get('/', `Host: localhost\r\n${name} : ${hex()}\r\n`), get('/', `Host: localhost\r\n${name}\t: ${hex()}\r\n`)], 400,
    'RFC 9112, section 5.1: "Name : value" must be refused, not trimmed. A name is a token: letters, digits and a few symbols, no spaces.');
});

lesson.behaviour('rejects a request with both Content-Length and Transfer-Encoding with 400', async (t) => {
  const request = `POST /${hex()} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`;
  await expectRefused(t, [request], 400,
    'Two framings for one body is how requests are smuggled past proxies. Check for Transfer-Encoding before you trust Content-Length.');
});

lesson.behaviour('rejects an invalid Content-Length with 400', async (t) => {
  const requests = ['abc', '-3', '+3', '3abc'].map(
    (length) => `POST /${hex()} HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${length}\r\n\r\nabc`,
  );
  requests.push(`POST /${hex()} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd`);
  await expectRefused(t, requests, 400,
    'Content-Length is one or more digits and nothing else, given once. Number("+3") and parseInt("3abc") are too forgiving.');
});

lesson.behaviour(`rejects a head over 8 KB with 431 Request Header Fields Too Large`, async (t) => {
  const fine = 'a'.repeat(4 * 1024);
  const response = await send(t, get('/', `Host: localhost\r\nX-Fine: ${fine}\r\n`));
  const echo = readEcho(t, response, 'A 4 KB head is within the limit of 8 KB (maxHeadBytes): accept it.');
  expectParsed(t, 'length of X-Fine', echo.headers['x-fine']?.[0]?.length, fine.length, 'Keep long values whole.');
  const big = 'b'.repeat(20 * 1024);
  await expectRefused(t, [get('/', `Host: localhost\r\nX-Big: ${big}\r\n`)], 431,
    'Once the head is longer than maxHeadBytes, throw new ParseError(431, …).');
  // A head that never ends must be refused too, without waiting for its end.
  const endless = `GET / HTTP/1.1\r\nHost: localhost\r\nX-Endless: ${big}`;
  await expectRefused(t, [endless], 431, 'Check the size before you find the empty line: a client may never send it.',
    'Your server is still waiting for the end of a head that never ends. Check the size of what you buffered even when there is no empty line yet.');
});

lesson.behaviour('reads a POST from a real HTTP client', async (t) => {
  const path = `/client-${hex()}`;
  const body = JSON.stringify({ note: `héllo ${hex()}` });
  const response = await t.request({ method: 'POST', path, headers: { 'Content-Type': 'application/json' }, body });
  const echo = readEcho(t, response);
  expectParsed(t, 'request', [echo.method, echo.target, echo.headers['content-type'], echo.body], ['POST', path, ['application/json'], body],
    'A real client sends what the RFC says; compare its echo with the request shown above.');
});
