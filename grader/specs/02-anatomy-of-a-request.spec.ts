// Lesson 02: the server parses requests that arrive whole, in pieces or several
// at once, and refuses the malformed ones. The provided plumbing answers each
// parsed request with a JSON echo of what the parser found, so the checks read
// that echo. Paths, names and values are random, so only a real parser passes.
import { type Check, GradeFailure, gradeLesson, limits, parseResponse, type RawOptions, type RawResponse, type Received } from '../engine/harness.ts';

const lesson = gradeLesson(import.meta.url);
const { random } = lesson;

interface Echo {
  method: string;
  target: string;
  version: string;
  headers: Record<string, string[]>;
  body: string;
}

const hex = () => random.hex(4);
const get = (path: string, fields = 'Host: localhost\r\n') => `GET ${path} HTTP/1.1\r\n${fields}\r\n`;
const post = (path: string, body: string, method = 'POST') =>
  `${method} ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/**
 * Sends bytes as they are and returns the response. When none comes in time, the
 * parser is usually still waiting for bytes that will never arrive: `waiting` says which.
 * The echo server keeps its connections open, and nothing here looks past the first
 * answer unless it says so (pipelining): no lingering after it by default.
 */
async function send(t: Check, chunks: string | (string | Uint8Array)[], options: RawOptions & { waiting?: string; separately?: boolean } = {}): Promise<RawResponse> {
  try {
    return (await t.raw(chunks, { lingerMs: 0, ...options })).response!;
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

/**
 * The echoed fields with their names sorted: fields with different names may come in any
 * order (RFC 9110, section 5.3), so a parser that stores Host last is as right as one that
 * keeps the order of the lines. The values of each name keep their order.
 */
const byName = (headers: Record<string, string[]> | undefined) =>
  Object.fromEntries(Object.entries(headers ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Compares one part of the echo with what was sent. */
function expectParsed(t: Check, what: string, received: unknown, expected: unknown, hint: string): void {
  t.check(JSON.stringify(received) === JSON.stringify(expected), {
    summary: `The parser found the wrong ${what}.`,
    expected: JSON.stringify(expected),
    received: JSON.stringify(received),
    hint,
  });
}

/**
 * The request time-out the 408 behaviour gives a server of its own (10 s by default). A second:
 * a 408 is "too early" before half of it, and on a busy machine either side's clock can slip by
 * a good part of it (at 250 ms, a server that gave up after 25 ms passed under load).
 */
const timeoutMs = 1000;

/**
 * Sends each request on its own connection and expects the server to refuse it with
 * `status`. Each request comes with the rule it breaks, which the failure names.
 */
async function expectRefused(t: Check, requests: [request: string | Uint8Array, rule: string][], status: number, hint: string, waiting?: string): Promise<void> {
  for (const [request, rule] of requests) {
    const response = await send(t, [request], { lingerMs: 50, waiting });
    t.check(response.status === status, {
      summary: `${rule}: expected status ${status}, got ${Number.isNaN(response.status) ? 'no valid status line' : response.status}.`,
      expected: String(status),
      received: response.statusLine,
      hint,
    });
  }
}

lesson.behaviour('parses the request line into method, target and version', async (t) => {
  // Methods are case-sensitive tokens: a method in lower case is another method, kept as sent.
  for (const method of ['GET', 'DELETE', `m-${hex()}`]) {
    // Percent-escapes stay as sent: the parser splits the line, it decodes nothing.
    const target = `/echo-${hex()}%20caf%C3%A9?q=${hex()}%26`;
    const response = await send(t, `${method} ${target} HTTP/1.1\r\nHost: localhost\r\n\r\n`, {
      waiting: 'Is your parser still waiting? A head ends at the first empty line: "\\r\\n\\r\\n".',
    });
    const echo = readEcho(t, response);
    expectParsed(t, 'request line', [echo.method, echo.target, echo.version], [method, target, 'HTTP/1.1'],
      'The request line is the text before the first CRLF: method, space, target, space, version, each kept as sent (%-escapes too, and the case of the method: "get" is not "GET").');
  }
});

lesson.behaviour('stores header names in lower case and trims the spaces around values', async (t) => {
  const name = `X-Roundtrip-${hex()}`;
  // Spaces and tabs inside a value are part of it (only CR, LF and NUL are refused), and so are a
  // comma (a parser keeps each line's value whole, it does not split lists) and the case of letters.
  const value = `${hex().toUpperCase()}, \t${hex()}`;
  // Whitespace after the colon is optional, and a value may hold colons itself (or be empty).
  const tight = `X-Tight-${hex()}`;
  const tightValue = `http://${hex()}:${random.int(1, 9)}0/`;
  const empty = `X-Empty-${hex()}`;
  const response = await send(t, get('/', `hOsT: localhost\r\n${name}: \t ${value} \t\r\n${tight}:${tightValue}\r\n${empty}: \t\r\n`));
  const echo = readEcho(t, response, 'Field names are case-insensitive: "hOsT" is a Host header too. "Name:value" (no space) and "Name:" (an empty value) are valid field lines, and a value may contain ":", ",", spaces and tabs: only CR, LF and NUL are refused.');
  expectParsed(t, 'header fields', byName(echo.headers),
    byName({ host: ['localhost'], [name.toLowerCase()]: [value], [tight.toLowerCase()]: [tightValue], [empty.toLowerCase()]: [''] }),
    'Lower-case each name, not the value; the value is everything after the first colon, with spaces and tabs stripped at both ends (none need be there), but not inside it, where a tab is as valid as a space. Do not split it at commas: one line is one value.');
});

lesson.behaviour('keeps every value of a repeated header field, in order', async (t) => {
  // The third value repeats the first: each line is a value of its own, even one seen before.
  const first = hex();
  const values = [first, hex(), first];
  // A name of its own, not the lesson's X-Tag or Accept: any field may come more than once, not only those.
  const name = `X-Tag-${hex()}`;
  const response = await send(t, get('/', `Host: localhost\r\n${name}: ${values[0]}\r\n${name.toLowerCase()}: ${values[1]}\r\n${name.toUpperCase()}: ${values[2]}\r\n`));
  const echo = readEcho(t, response);
  expectParsed(t, `values of ${name}`, echo.headers[name.toLowerCase()], values,
    `Three ${name} lines (in three spellings) are one field with three values, even when two are the same: append each to the list for its name, whatever the name (any field may be repeated, not only the ones the lesson shows).`);
});

lesson.behaviour('decodes the head as Latin-1, keeping every byte of a value', async (t) => {
  // "café" in UTF-8, then a space and a UTF-8 no-break space (C2 A0): bytes above 0x7F are allowed in values.
  const value = Buffer.concat([Buffer.from(`${hex()} caf`), Buffer.from([0xc3, 0xa9, 0x20, 0xc2, 0xa0])]);
  const response = await send(t, [Buffer.concat([Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\nX-Word: '), value, Buffer.from('\r\n\r\n')])]);
  const echo = readEcho(t, response);
  expectParsed(t, 'value of X-Word (as Latin-1 text)', echo.headers['x-word'], [value.toString('latin1')],
    'Decode the head with toString(\'latin1\'), one character per byte, and strip only spaces and tabs around a value: trim() also removes byte 0xA0 (a no-break space in Latin-1).');
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
  // The last packet also holds a whole second request, with a head shorter than the first: a parser that
  // saves how far it has searched (to skip bytes already searched) must search the bytes left from their start.
  const after = `/${hex()}`;
  const chunks = [`GET /pie`, `${target.slice(4)} HTTP/1.1\r\nHo`, `st: localhost\r\nX-Part: ${value.slice(0, 4)}`, `${value.slice(4)}\r\n\r`, `\nGET ${after} HTTP/1.1\r\nHost: x\r\n\r\n`];
  const response = await send(t, chunks, {
    separately: true,
    lingerMs: limits.requestMs,
    until: answered(2),
    waiting: 'Your parser is still waiting, though the empty line has arrived: do you look for it in all the bytes received so far, not only in the last packet?',
  });
  const echo = readEcho(t, response, 'A packet can end anywhere, even in the middle of a word: keep what arrived and wait for the empty line.');
  expectParsed(t, 'request', [echo.target, echo.headers['x-part']], [target, [value]],
    'A packet can end anywhere, even in the middle of a word: keep what arrived and wait for the empty line.');
  const next = parseResponse(response.extra, false, false);
  const nextHint = 'After a request, look for the next empty line from the start of what is left in this.buffered: a position saved from an earlier search (to skip bytes already searched) counted bytes that are gone, so reset it with each request you return.';
  t.check(next?.complete === true, {
    summary: `A second request (GET ${after}), sent whole in the packet that ended the first request's head, was not answered.`,
    expected: `a second response, for GET ${after}`,
    received: JSON.stringify(response.extra.toString('utf8')) + ' (nothing more arrived)',
    hint: nextHint,
  });
  const two = readEcho(t, next!);
  expectParsed(t, 'second request on the connection', [two.method, two.target], ['GET', after], nextHint);
});

lesson.behaviour('waits for a body that arrives in several packets', async (t) => {
  const body = `${hex()} ☕ ${hex()}`;
  const bytes = Buffer.from(post('/upload', body));
  const bodyStart = bytes.length - Buffer.byteLength(body);
  const cup = bytes.indexOf('☕', bodyStart);
  // The first packet ends two bytes into the body; the second ends inside the three bytes of "☕".
  const chunks = [bytes.subarray(0, bodyStart + 2), bytes.subarray(bodyStart + 2, cup + 1), bytes.subarray(cup + 1)];
  // While this body waits for its second packet, a whole request arrives on another connection: each
  // connection has a parser of its own, and nothing of one may show in the other.
  const other = { target: `/meanwhile-${hex()}`, body: `${hex()}${hex()}-${hex()}` };
  const stateHint = 'Keep what a request has parsed so far (a head waiting for its body, say) in its own RequestParser (this.…), never in a variable of the module or a static field, which every connection shares.';
  const otherRequest = post(other.target, other.body);
  let meanwhile: Promise<RawResponse | undefined> | undefined;
  const response = await send(t, chunks, {
    between: async (sent) => {
      await t.server.barrier(limits.barrierMs, sent);
      await (meanwhile ??= t.aside(otherRequest));
    },
    waiting: 'Your parser is still waiting, though the whole body has arrived: compare the bytes buffered after the head with Content-Length.',
  });
  // Not begun when the server answered before the second packet (the check of the body below says so).
  if (meanwhile) {
    const answer = await meanwhile;
    const shown = JSON.stringify(otherRequest);
    t.check(answer !== undefined && answer.status === 200, {
      summary: `A request that arrived whole on a second connection, while the first waited for the rest of its body, got ${answer ? `status ${answer.status}` : 'no answer'}.`,
      expected: `200, the echo of ${shown}`,
      received: answer ? `${answer.statusLine}\n${answer.text.slice(0, 300)}` : '(no answer)',
      hint: stateHint,
    });
    let echo: Partial<Echo> = {};
    try {
      echo = JSON.parse(answer!.text) as Echo;
    } catch {
      // Compared below, as a wrong echo.
    }
    t.check(echo.target === other.target && echo.body === other.body, {
      summary: 'The parser found the wrong request on the second connection, sent while the first waited for the rest of its body.',
      expected: JSON.stringify([other.target, other.body]),
      received: JSON.stringify([echo.target, echo.body]),
      hint: `Another connection's request got mixed up with this one. ${stateHint}`,
    });
  }
  const echo = readEcho(t, response);
  expectParsed(t, 'body', echo.body, body,
    'Answer only once all Content-Length bytes have arrived; until then, next() returns undefined.');
});

/** Whether `count` complete answers have arrived, one after the other. */
function answered(count: number): (bytes: Buffer) => boolean {
  return (bytes) => {
    let rest = bytes;
    for (let index = 0; index < count; index++) {
      const answer = parseResponse(rest, false, false);
      if (answer?.complete !== true) return false;
      rest = answer.extra;
    }
    return true;
  };
}
const answeredThrice = answered(3);

/** The answers to a request with a body and the GETs `second` and `third` behind it, sent in one packet. */
function expectPipelined(t: Check, response: RawResponse, [method, first, body]: string[], second: string, third: string): void {
  const one = readEcho(t, response);
  expectParsed(t, 'first request', [one.method, one.target, one.body], [method, first, body],
    `Read exactly Content-Length bytes of body, even when they look like a request${method === 'GET' ? ', and even in a GET: the method does not decide whether there is a body, Content-Length does' : ''}.`);
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
  // The second request has no Content-Length, so no body: the third follows its head at once.
  expectParsed(t, 'body of the second request (it has no Content-Length)', two.body, '',
    'A request without Content-Length (or Transfer-Encoding) has an empty body (RFC 9112, section 6.3): bodyLength returns 0, and the bytes after its head are the next request, not its body.');
  const last = parseResponse(next!.extra, false, false);
  t.check(last !== undefined, {
    summary: 'Three requests arrived in one packet, but the third was not answered.',
    expected: `a third response, for GET ${third}`,
    received: JSON.stringify(next!.extra.toString('utf8')),
    hint: 'A request without Content-Length (or Transfer-Encoding) has an empty body (RFC 9112, section 6.3): the bytes after its head are the next request, not its body.',
  });
  const three = readEcho(t, last!);
  expectParsed(t, 'third request', [three.method, three.target], ['GET', third],
    'A request without Content-Length has an empty body: the bytes after its head are the next request.');
}

lesson.behaviour('answers pipelined requests in order, reading each body to its end', async (t) => {
  // A GET with a body too: Content-Length frames the body whatever the method (RFC 9112, section 6.3),
  // and a parser that skips it for GET reads the body as a second, smuggled request.
  for (const method of ['POST', 'GET']) {
    const first = `/first-${hex()}`;
    const second = `/second-${hex()}`;
    const third = `/third-${hex()}`;
    // The first body looks like a request itself: it must still be read as a body.
    const body = `GET /smuggled-${hex()} HTTP/1.1\r\nHost: localhost\r\n\r\n`;
    // The third answer ends the wait; a server that never sends one is given a second to.
    const response = await send(t, post(first, body, method) + get(second) + get(third), { lingerMs: 1000, until: answeredThrice });
    expectPipelined(t, response, [method, first, body], second, third);
  }
});

lesson.behaviour('rejects garbage with 400 Bad Request', async (t) => {
  const path = `/${hex()}`;
  const notDot = '-,x_'[random.int(0, 3)]!;
  await expectRefused(t, [
    [`${hex()}${hex()}\r\n\r\n`, 'A request line of one word'],
    [`${hex()} ${hex()} ${hex()}\r\nHost: localhost\r\n\r\n`, 'A request line whose third part is not HTTP/x.y'],
    [`GET ${path}\r\nHost: localhost\r\n\r\n`, 'A request line without a version'],
    [`GET  ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`, 'Two spaces between the method and the target'],
    [`GET  HTTP/1.1\r\nHost: localhost\r\n\r\n`, 'A request line with an empty target'],
    [`GET\t${path}\tHTTP/1.1\r\nHost: localhost\r\n\r\n`, 'Tabs instead of single spaces in the request line'],
    [`GET ${path} HTTP/1.1 \r\nHost: localhost\r\n\r\n`, 'A space after the version'],
    [` GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`, 'A space before the method'],
    [`GET ${path} x${t.hex(1)}HTTP/1.1\r\nHost: localhost\r\n\r\n`, 'Text before "HTTP/" in the version'],
    // Text after the version always starts with a letter: two random hex digits could read as HTTP/1.142.
    [`GET ${path} HTTP/1.1x${t.hex(1)}\r\nHost: localhost\r\n\r\n`, 'More after the version\'s "x.y" (HTTP/1.1 followed by text)'],
    [`GET ${path} HTTP/1.10\r\nHost: localhost\r\n\r\n`, 'Two digits after the version\'s dot (HTTP/1.10: a digit, a dot, a digit)'],
    [`GET ${path} HTTP/1\r\nHost: localhost\r\n\r\n`, 'A version without its dot and minor digit (HTTP/1: a digit, a dot, a digit)'],
    // A pattern with an unescaped dot (/^HTTP\/\d.\d$/) takes any character for it.
    [`GET ${path} HTTP/1${notDot}1\r\nHost: localhost\r\n\r\n`, `Another character where the version's dot goes (HTTP/1${notDot}1: a digit, a dot, a digit)`],
    // "HTTP" is case-sensitive (RFC 9112, section 2.3): a pattern with the i flag lets these through.
    [`GET ${path} http/1.1\r\nHost: localhost\r\n\r\n`, 'A version in lower case (http/1.1: the word is HTTP, in capitals)'],
    [`GET ${path} ${hex()} HTTP/1.1\r\nHost: localhost\r\n\r\n`, 'A space inside the target (four parts, not three)'],
    // An old-style folded line (RFC 9112, section 5.2): it has no colon, and unfolding it is how a field hides from another parser.
    [get('/', `Host: localhost\r\nX-Folded: ${hex()}\r\n ${hex()}\r\n`), 'A field line that starts with a space and has no colon (an old-style folded line)'],
    [get('/', `Host: localhost\r\nX-Folded: ${hex()}\r\n\t${hex()}\r\n`), 'A field line that starts with a tab and has no colon (an old-style folded line)'],
    [Buffer.from('\x00\x01\x02\xff\r\n\r\n', 'latin1'), 'Bytes that are not text'],
    [get('/', `Host: localhost\r\n${hex()}\r\n`), 'A field line without a colon'],
  ], 400, 'Throw new ParseError(400, …) when the request line is not exactly METHOD SP target SP HTTP/x.y (single spaces, "HTTP" in capitals, nothing around them), or a field line has no colon (a line that starts with a space is no continuation of the one before).');
});

lesson.behaviour('rejects a method or field name that is not a token with 400', async (t) => {
  // Every token character is allowed in a name: a pattern of letters, digits and "-" is too strict,
  // and a range that stops one short (A to Y, 0 to 8) is caught by the first and last of each range.
  const symbols = `X-${hex()}-09AZaz!#$%&'*+.^_\`|~`;
  const echo = readEcho(t, await send(t, get('/', `Host: localhost\r\n${symbols}: ${hex()}\r\n`)),
    `"${symbols}" is a token, so a valid field name: accept it. Tokens are letters, digits and !#$%&'*+-.^_\`|~.`);
  expectParsed(t, 'field names', Object.keys(echo.headers ?? {}).sort(), ['host', symbols.toLowerCase()].sort(),
    'Accept every token character in a field name, and store the name in lower case.');
  // A method is a token too, in any case: not only capital letters.
  const method = `m-${hex()}-09AZaz!#$%&'*+.^_\`|~`;
  const methodEcho = readEcho(t, await send(t, `${method} /${hex()} HTTP/1.1\r\nHost: localhost\r\n\r\n`),
    `"${method}" is a token, so a valid method: accept it, as sent. Methods are case-sensitive tokens, like field names.`);
  expectParsed(t, 'method', methodEcho.method, method, 'A method is any token, kept as sent: do not change its case.');
  const name = `X-Tag-${hex()}`;
  // Every delimiter, a control byte, DEL and a byte over 127: a pattern of what is forbidden forgets one of them.
  const outsiders: [string, string][] = [...'"(),/;<=>?[\\]{}'].map((ch) => [ch, `"${ch}"`]);
  outsiders.push(['\x01', 'the control byte 0x01'], ['\x7f', 'DEL (0x7F)'], ['\xe9', 'the byte 0xE9 (é in Latin-1)']);
  await expectRefused(t, [
    [`G@T /${hex()} HTTP/1.1\r\nHost: localhost\r\n\r\n`, 'A method with "@" in it'],
    [Buffer.from(`G\xe9T /${hex()} HTTP/1.1\r\nHost: localhost\r\n\r\n`, 'latin1'), 'A method with the byte 0xE9 (é in Latin-1) in it'],
    ...outsiders.map(([ch, what]): [Uint8Array, string] => [Buffer.from(get('/', `Host: localhost\r\nX${ch}${name}: ${hex()}\r\n`), 'latin1'), `A field name with ${what} in it`]),
    [get('/', `Host: localhost\r\nX@${name}: ${hex()}\r\n`), 'A field name with "@" in it'],
    [get('/', `Host: localhost\r\n: ${hex()}\r\n`), 'A field line with an empty name'],
    // Three parts, the first empty: a token is one or more characters, so an empty method is none.
    [` /${hex()} HTTP/1.1\r\nHost: localhost\r\n\r\n`, 'An empty method (the request line starts with its single space)'],
    [get('/', `Host: localhost\r\nX ${name}: ${hex()}\r\n`), 'A field name with a space inside'],
    [get('/', `Host: localhost\r\n ${name}: ${hex()}\r\n`), 'A field name with a space before it'],
  ], 400, 'Methods and field names are tokens (RFC 9110, section 5.6.2): one or more letters, digits and !#$%&\'*+-.^_`|~. Test the whole name with a regular expression such as /^[!#$%&\'*+\\-.^_`|~0-9A-Za-z]+$/.');
});

lesson.behaviour('rejects CR, LF or NUL in a field value with 400', async (t) => {
  await expectRefused(t, [
    [get('/', `Host: localhost\r\nX-Note: ${hex()}\nX-Sneaky: yes\r\n`), 'A bare LF inside a value'],
    [get('/', `Host: localhost\r\nX-Note: ${hex()}\rX-Sneaky: yes\r\n`), 'A bare CR inside a value'],
    [get('/', `Host: localhost\r\nX-Note: ${hex()}\0${hex()}\r\n`), 'A NUL byte inside a value'],
    // At the edges of a value too: a parser that strips CR and LF with the spaces around it, then checks, lets these through.
    [get('/', `Host: localhost\r\nX-Note: ${hex()}\n\r\n`), 'A bare LF at the end of a value, before its CRLF'],
    [get('/', `Host: localhost\r\nX-Note:\r${hex()}\r\n`), 'A bare CR right after the colon, at the start of a value'],
  ], 400, 'RFC 9110, section 5.5: a value may not hold CR, LF or NUL, at its ends as much as inside it. Strip only spaces and tabs around a value, then test it for all three, e.g. /[\\r\\n\\0]/.');
});

lesson.behaviour('rejects an HTTP/1.1 request without Host, and any request with two, with 400', async (t) => {
  const hostSpelling = random.pick(['HOST', 'hOST', 'hoSt', 'HosT', 'hOsT']);
  await expectRefused(t, [
    [get(`/${hex()}`, ''), 'An HTTP/1.1 request without Host'],
    // A higher minor version is read as HTTP/1.1 (RFC 9110, section 2.5): it needs Host too.
    [`GET /${hex()} HTTP/1.${2 + Math.floor(random.next() * 8)}\r\n\r\n`, 'An HTTP/1.x request (x above 1, read as HTTP/1.1) without Host'],
    [get('/', 'Host: localhost\r\nHost: example.com\r\n'), 'An HTTP/1.1 request with two Host lines'],
    // The second in a spelling of its own each run: "however spelt" is any case, not only "Host" and "host".
    [get('/', `Host: localhost\r\n${hostSpelling}: example.com\r\n`), `Two Host lines spelt "Host" and "${hostSpelling}"`],
    // Two lines are two lines even when they agree: RFC 9112 refuses "more than one Host header field line".
    [get('/', 'Host: localhost\r\nHost: localhost\r\n'), 'Two Host lines with the same value'],
    [`GET /${hex()} HTTP/1.0\r\nHost: a.test\r\nHost: b.test\r\n\r\n`, 'An HTTP/1.0 request with two Host lines'],
  ], 400, 'RFC 9112, section 3.2: an HTTP/1.1 request (or a later HTTP/1.x, read as 1.1) must carry a Host field, and no request may carry two, even two that agree. Only HTTP/1.0 may leave it out.');
  const target = `/old-${hex()}`;
  const response = await send(t, `GET ${target} HTTP/1.0\r\n\r\n`);
  const echo = readEcho(t, response, 'Only HTTP/1.1 requires Host: an HTTP/1.0 request without one is fine.');
  expectParsed(t, 'request line', [echo.target, echo.version], [target, 'HTTP/1.0'], 'Keep the version as sent.');
});

lesson.behaviour('answers a major version other than HTTP/1 with 505 HTTP Version Not Supported', async (t) => {
  const major = 2 + Math.floor(random.next() * 8);
  // Another minor version of HTTP/1 is HTTP/1 (RFC 9110, section 2.5): parse it, do not answer 505.
  const minor = 2 + Math.floor(random.next() * 8);
  const target = `/minor-${hex()}`;
  const echo = readEcho(t, await send(t, `GET ${target} HTTP/1.${minor}\r\nHost: localhost\r\n\r\n`),
    `HTTP/1.${minor} is HTTP/1 with a higher minor version: read it as HTTP/1.1 (RFC 9110, section 2.5). Only another major version gets 505.`);
  // Kept as sent, or read as HTTP/1.1 as the RFC puts it: either is right.
  const version = echo.version === 'HTTP/1.1' ? 'HTTP/1.1' : `HTTP/1.${minor}`;
  expectParsed(t, 'request line', [echo.target, echo.version], [target, version], 'Keep the version as sent.');
  // Never "HTTP/2.0" here (the minor is 1 to 9), whatever the major: a parser that knows only the lesson's examples,
  // HTTP/2.0 and HTTP/0.9, fails this one every time, not only when the other cases draw a major other than 2.
  const refusedMinor = random.int(1, 9);
  await expectRefused(t, [
    [`GET /${hex()} HTTP/${major}.${refusedMinor}\r\nHost: localhost\r\n\r\n`, `A request in HTTP/${major}.${refusedMinor}`],
    // The version is judged with the request line, before any field line is read.
    [`GET /${hex()} HTTP/${major}.0\r\nHost: localhost\r\n${hex()}\r\n\r\n`, `A request in HTTP/${major} with a field line without a colon`],
    // No Host: a parser that asks for Host before it judges the version answers 400.
    [`GET /${hex()} HTTP/${major}.0\r\n\r\n`, `A request in HTTP/${major} without Host`],
    [`GET /${hex()} HTTP/0.9\r\nHost: localhost\r\n\r\n`, 'A request in HTTP/0.9'],
  ], 505, 'RFC 9110, section 15.6.6: 505 is for a major version the server does not speak. Check the version right after the request line, before the header fields.');
  // The HTTP/2 preface is refused either way: 505 for its version, or 400 from a parser that
  // also checks the target's form ("*" is for OPTIONS only, RFC 9112, section 3.2.4).
  const preface = await send(t, ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'], { lingerMs: 50 });
  t.check(preface.status === 505 || preface.status === 400, {
    summary: `The HTTP/2 connection preface (PRI * HTTP/2.0): expected status 505 (or 400), got ${Number.isNaN(preface.status) ? 'no valid status line' : preface.status}.`,
    expected: '505',
    received: preface.statusLine,
    hint: 'RFC 9110, section 15.6.6: 505 is for a major version the server does not speak. Check the version right after the request line, before the header fields.',
  });
});

lesson.behaviour('rejects whitespace between a field name and its colon with 400', async (t) => {
  const name = `X-Spaced-${hex()}`;
  await expectRefused(t, [
    [get('/', `Host: localhost\r\n${name} : ${hex()}\r\n`), 'A space before the colon'],
    [get('/', `Host: localhost\r\n${name}\t: ${hex()}\r\n`), 'A tab before the colon'],
  ], 400, 'RFC 9112, section 5.1: "Name : value" must be refused, not trimmed. A name is a token: letters, digits and a few symbols, no spaces.');
});

lesson.behaviour('rejects a request with both Content-Length and Transfer-Encoding with 400', async (t) => {
  // Transfer-coding names are case-insensitive (RFC 9112, section 7): "Chunked" is chunked too.
  const request = (coding: string) => `POST /${hex()} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: ${coding}\r\n\r\n0\r\n\r\n`;
  await expectRefused(t, [
    [request('chunked'), 'Content-Length and Transfer-Encoding in one request'],
    [request('Chunked'), 'Content-Length and "Transfer-Encoding: Chunked" in one request'],
    [request('gzip'), 'Content-Length and "Transfer-Encoding: gzip" in one request (any coding, not only chunked)'],
    // An empty value is a field all the same: a check of the value's truth (if (te)) lets this one through.
    [request(''), 'Content-Length and a Transfer-Encoding line with an empty value in one request'],
    // In the other order too: a check made as each line is read (a Transfer-Encoding line after a Content-Length one) misses this.
    [`POST /${hex()} HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`, 'Transfer-Encoding, then Content-Length, in one request (the other order)'],
  ], 400,
    'Two framings for one body is how requests are smuggled past proxies. Check whether a Transfer-Encoding line is there (headers.has), whatever its value, even an empty one and in whichever order the two lines came, before you trust Content-Length.');
});

lesson.behaviour('answers Transfer-Encoding without Content-Length with 501 Not Implemented', async (t) => {
  // Whatever the coding says, in any case: this parser decodes none of them.
  const request = (coding: string) => `POST /${hex()} HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: ${coding}\r\n\r\n3\r\n${hex().slice(0, 3)}\r\n0\r\n\r\n`;
  await expectRefused(t, [
    [request('chunked'), 'A chunked body (Transfer-Encoding without Content-Length)'],
    [request('Chunked'), 'A body sent with "Transfer-Encoding: Chunked" (names of codings are case-insensitive)'],
    [request('gzip, chunked'), 'A body sent with "Transfer-Encoding: gzip, chunked"'],
  ], 501,
    'This parser decodes no transfer coding: throw new ParseError(501, …) for any Transfer-Encoding without Content-Length, whatever its value or case, rather than reading the body as empty.');
  // Without "chunked" as the last coding, RFC 9112 (section 6.3) has the server answer 400, as the
  // length of the body cannot be known; the lesson's 501 for every Transfer-Encoding is right too.
  // An empty value too: the field is there, so the body is not framed by Content-Length either.
  for (const [coding, what] of [['gzip', '"Transfer-Encoding: gzip" (no "chunked" in it)'], ['', 'a Transfer-Encoding line with an empty value']] as const) {
    const unframed = await send(t, [request(coding)], { lingerMs: 50 });
    t.check(unframed.status === 501 || unframed.status === 400, {
      summary: `A body sent with ${what}: expected status 501 (or 400), got ${Number.isNaN(unframed.status) ? 'no valid status line' : unframed.status}.`,
      expected: '501',
      received: unframed.statusLine,
      hint: 'A Transfer-Encoding without "chunked", even an empty one, still means the body is not framed by Content-Length: throw new ParseError(501, …) (or 400, as RFC 9112, section 6.3 puts it) whenever the field is there, rather than reading the body as empty.',
    });
  }
});

lesson.behaviour('rejects an invalid Content-Length with 400', async (t) => {
  // Digits and nothing else: leading zeros are digits too, so "007" is a valid length of 7.
  const seven = hex().slice(0, 7);
  const zeros = readEcho(t, await send(t, `POST /${hex()} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 007\r\n\r\n${seven}`, {
    waiting: 'Your parser is still waiting, though all 7 bytes of "Content-Length: 007" were sent.',
  }), '"Content-Length: 007" is one or more digits, so a valid length (7): accept it.');
  expectParsed(t, 'body', zeros.body, seven, '"007" is the number 7: read 7 bytes of body.');
  // Zero is a length like any other: real clients send "Content-Length: 0" with an empty POST.
  const zero = readEcho(t, await send(t, `POST /${hex()} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n`, {
    waiting: 'Your parser is still waiting, though "Content-Length: 0" announces no body at all: the request is complete at its empty line.',
  }), '"Content-Length: 0" is one digit, so a valid length: an empty body. Accept it; real clients send it with an empty POST.');
  expectParsed(t, 'body', zero.body, '', '"Content-Length: 0" announces an empty body.');
  const requests = ['abc', '-3', '+3', '3abc', '0x3', '3.0', '', '3, 3'].map(
    (length): [string, string] => [`POST /${hex()} HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${length}\r\n\r\nabc`, `Content-Length: ${JSON.stringify(length)}`],
  );
  // Whitespace between digits is no part of a number: a parser that removes it first reads "1 0" as 10, and ten bytes follow.
  requests.push([`POST /${hex()} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1 0\r\n\r\n${hex().slice(0, 8)}ab`, 'Content-Length: "1 0" (a space between two digits)']);
  requests.push([`POST /${hex()} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd`, 'Two Content-Length lines, 3 and 4']);
  requests.push([`POST /${hex()} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\ncontent-length: 3\r\n\r\nabc`, 'Two Content-Length lines with the same value']);
  await expectRefused(t, requests, 400,
    'Content-Length is one or more digits and nothing else (no space between them either), given once (your parser refuses a repeat even with the same value). Number("+3"), Number("") and parseInt("3abc") are too forgiving, and so is removing whitespace before the test.');
});

lesson.behaviour('rejects a Content-Length over maxBodyBytes with 413 Content Too Large', async (t) => {
  const max = 1024 * 1024;
  const body = 'b'.repeat(max);
  const response = await send(t, [`POST /max HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${max}\r\n\r\n`, body], {
    waiting: `Your parser is still waiting, though all ${max} bytes of body were sent.`,
  });
  const echo = readEcho(t, response, `A body of exactly maxBodyBytes (${max} bytes) is within the limit: accept it.`);
  expectParsed(t, 'length of the body', echo.body.length, max, 'Keep the whole body.');
  // No body follows: the answer must come from the head alone.
  // However many digits: 2^32 + 3 must not wrap around to 3 (| 0, >>> 0), nor be refused as malformed.
  await expectRefused(t, [
    [`POST /over HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${max + 1}\r\n\r\n`, `Content-Length: ${max + 1}, one byte over maxBodyBytes`],
    [`POST /huge HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${2 ** 32 + 3}\r\n\r\nabc`, `Content-Length: ${2 ** 32 + 3} (2^32 + 3), a valid length far over maxBodyBytes`],
    [`POST /huger HTTP/1.1\r\nHost: localhost\r\nContent-Length: 98765432109876543210\r\n\r\n`, 'Content-Length: 98765432109876543210, twenty digits'],
  ], 413,
    'Throw new ParseError(413, …) as soon as the head announces more than maxBodyBytes, before waiting for a body you will not keep: compare Number(value), however many digits it has, with maxBodyBytes.');
});

lesson.behaviour(`rejects a head over 8 KB with 431 Request Header Fields Too Large`, async (t) => {
  // A head of exactly n bytes, its final CRLF CRLF included.
  const start = 'GET / HTTP/1.1\r\nHost: localhost\r\nX-Fill: ';
  const headOf = (n: number) => `${start}${'f'.repeat(n - start.length - 4)}\r\n\r\n`;
  // In two packets, the last byte apart: 8191 bytes without their empty line can still make a head of 8192.
  const whole = headOf(8192);
  const response = await send(t, [whole.slice(0, -1), whole.slice(-1)], { separately: true });
  const echo = readEcho(t, response, 'A head of exactly 8192 bytes (maxHeadBytes), its empty line included, is within the limit: accept it, also when its last byte comes in a packet of its own (before it, 8191 bytes can still end within the limit).');
  expectParsed(t, 'length of X-Fill', echo.headers['x-fill']?.[0]?.length, headOf(8192).length - start.length - 4, 'Keep long values whole.');
  // The limit is on the head: a small head with a body of more than 8192 bytes (in the same packet) is fine.
  const body = `${hex()}${'b'.repeat(9000)}`;
  const bodyEcho = readEcho(t, await send(t, [post(`/long-${hex()}`, body)], {
    waiting: `Your parser is still waiting, though all ${body.length} bytes of body were sent.`,
  }), 'maxHeadBytes limits the head only, up to its empty line: a small head followed by a body of 9008 bytes is within the limit. Measure the head, not everything buffered.');
  expectParsed(t, 'length of the body', bodyEcho.body.length, body.length, 'Keep the whole body.');
  // Bytes, not characters: 8193 bytes of which most are "é" in UTF-8 (two bytes each) make about 4100 characters.
  const fill = 8193 - start.length - 4;
  const wide = Buffer.from(`${start}${'f'.repeat(fill % 2)}${'é'.repeat(Math.floor(fill / 2))}\r\n\r\n`);
  await expectRefused(t, [
    [headOf(8193), 'A head of 8193 bytes, its empty line included'],
    [wide, `A head of ${wide.length} bytes, its empty line included, most of them "é" in UTF-8 (2 bytes each, so about 4100 characters)`],
  ], 431,
    'Once the head is longer than maxHeadBytes (8192 bytes, the final \\r\\n\\r\\n included), throw new ParseError(431, …). Count bytes of the Buffer (or of its Latin-1 text, one character per byte), never characters of UTF-8 text.');
  // A head that never ends must be refused too, without waiting for its end.
  const endless = `GET / HTTP/1.1\r\nHost: localhost\r\nX-Endless: ${'e'.repeat(8193)}`.slice(0, 8193);
  await expectRefused(t, [[endless, '8193 bytes of a head whose empty line has not arrived']], 431, 'Check the size before you find the empty line: a client may never send it.',
    'Your server is still waiting for the end of a head that never ends. Check the size of what you buffered even when there is no empty line yet.');
});

lesson.behaviour('answers 408 Request Timeout to a request that stops arriving, and closes', async (t) => {
  const started = Date.now();
  const stalled: [string, (string | Uint8Array)[], RawOptions][] = [
    ['A head that stops arriving', [`GET /${t.hex()} HTTP/1.1\r\nHost: local`], {}],
    // Stopped right after a whole line: a parser that moves each complete line out of this.buffered (into
    // a list of lines, or parsed fields) leaves nothing there, so pending says no request has begun.
    ['A head that stops right after its request line', [`GET /${t.hex()} HTTP/1.1\r\n`], {}],
    ['A body that stops arriving (3 of 10 bytes)', [`POST /${t.hex()} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nabc`], {}],
    // The head is whole, but no byte of its body has come: part of a request has arrived all the same.
    ['A head whose body never begins (Content-Length: 10, no byte of it)', [`POST /${t.hex()} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\n`], {}],
    // Slowloris: a byte every 100 ms keeps the connection busy but never finishes in time.
    ['A head sent a few bytes at a time', `GET /${t.hex()} HTTP/1.1\r\nHost: localhost\r\nX-Slow: ${'s'.repeat(40)}\r\n\r\n`.match(/.{1,3}/gs)!, { pauseMs: 100 }],
  ];
  const waitMs = Math.max(timeoutMs * 4, 3000);
  // A connection on which nothing arrives gets no 408: the provided code just closes it.
  const silent = t.raw([], { timeoutMs: waitMs, lingerMs: waitMs, allowNoResponse: true });
  const results = await Promise.all(stalled.map(([, chunks, options]) =>
    t.raw(chunks, { timeoutMs: waitMs, lingerMs: waitMs, allowNoResponse: true, ...options }).then((result) => ({ result, ms: Date.now() - started }))));
  const quiet = await silent;
  t.check(quiet.closed && quiet.bytes.length === 0, {
    summary: quiet.bytes.length
      ? `A connection that sent nothing: expected a close without an answer, got ${JSON.stringify(quiet.bytes.toString('latin1').split('\r\n')[0])}.`
      : `A connection that sent nothing: expected it closed after ${timeoutMs} ms, and it stayed open for ${waitMs} ms.`,
    expected: '(the connection closed, no bytes)',
    received: quiet.bytes.length ? quiet.bytes.toString('latin1') : '(still open)',
    hint: 'The provided code answers 408 only when part of a request has arrived (pending), and otherwise just closes. Restore the code below "Don\'t change anything below this line" and `pending` in the class (`npm run reset` keeps a copy of your work).',
  });
  for (const [index, { result, ms }] of results.entries()) {
    const [what] = stalled[index]!;
    const hint = what.startsWith('A head whose body never begins')
      ? 'The provided code answers 408 only while `pending` is true, that is while this.buffered holds part of a request: leave the head in this.buffered until its whole body has arrived, and remove head and body together, as you return the request.'
      : what.startsWith('A head that stops right after')
      ? 'The provided code answers 408 only while `pending` is true, that is while this.buffered holds part of a request: leave every line of an unfinished head in this.buffered, even the lines you have parsed already, and remove head and body together, as you return the request.'
      : `The provided code gives each request ${timeoutMs} ms here (requestTimeoutMs, 10 s by default), then answers 408 and closes. Restore the code below "Don't change anything below this line" (\`npm run reset\` keeps a copy of your work).`;
    t.check(result.response?.status === 408, {
      summary: `${what}: expected 408 Request Timeout within ${waitMs} ms, got ${result.response ? result.response.statusLine : 'no answer'}.`,
      expected: 'HTTP/1.1 408 Request Timeout',
      received: result.response?.statusLine ?? `(no answer${result.closed ? ', connection closed' : ''})`,
      hint,
    });
    t.check(result.closed, { summary: `${what}: the server answered 408 but kept the connection open.`, hint });
    // Half the limit: a 408 sent at once is caught, and a server whose timer started from a
    // clock reading its event loop took a while before (a busy machine) is not.
    t.check(ms >= timeoutMs * 0.5, {
      summary: `${what}: answered 408 after ${ms} ms, before the time limit of ${timeoutMs} ms.`,
      hint,
    });
  }
}, { timeoutMs: Math.max(timeoutMs * 4, 3000) + 10_000, serverEnv: { ROUNDTRIP_SOCKET_TIMEOUT_MS: String(timeoutMs) } });

lesson.behaviour('reads a POST from a real HTTP client', async (t) => {
  const path = `/client-${hex()}`;
  const body = JSON.stringify({ note: `héllo ${hex()}` });
  const response = await t.request({ method: 'POST', path, headers: { 'Content-Type': 'application/json' }, body });
  const echo = readEcho(t, response);
  expectParsed(t, 'request', [echo.method, echo.target, echo.headers['content-type'], echo.body], ['POST', path, ['application/json'], body],
    'A real client sends what the RFC says; compare its echo with the request shown above.');
});
