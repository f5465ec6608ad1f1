// Lesson 03: the response serializer. Every check reads the raw bytes, because
// a lenient client would hide exactly the mistakes this lesson is about:
// reason phrases, byte counts, bodies where none may be, split headers.
import { type Check, clockAt, gradeLesson, header, headerValues, labelledUtf8, limits, type RawResponse, type Received } from '../engine/harness.ts';

const lesson = gradeLesson(import.meta.url);
const { random } = lesson;

const hex = () => random.hex(4);
/** Text that a hard-coded answer cannot fake, with characters of 2, 3 and 4 bytes. */
const randomSaying = () => `café ${hex()} — ✓ 🚀`;
const request = (method: string, target: string, extra: string[] = [], body = '') =>
  `${method} ${target} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: roundtrip-grader\r\n` +
  extra.map((field) => `${field}\r\n`).join('') +
  (body ? `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : '') +
  `\r\n${body}`;
const get = (target: string, extra: string[] = []) => request('GET', target, extra);
const textBody = (saying: string) => `You said: ${saying}\n`;
const headOf = (bytes: Buffer) => {
  const text = bytes.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  return end === -1 ? text : text.slice(0, end + 2);
};

/** Fails unless the status line is `line` (or one of the phrases `also` allows for the same code). */
function expectStatusLine(t: Check, label: string, statusLine: string | undefined, line: string, also: string[] = []): void {
  t.check(statusLine === line || also.includes(statusLine ?? ''), {
    summary: `${label} was answered with the wrong status line.`,
    expected: [line, ...also].join('\n or '),
    received: statusLine === undefined ? '(no status line)' : JSON.stringify(statusLine),
    hint: 'A status line is "HTTP/1.1", a space, the code, a space and the reason phrase RFC 9110 gives that code; reasonPhrase needs every code the server sends, the reader\'s refusals included.',
  });
}

/** The value of a header the next request needs; `summary` says what its absence means. */
function requireHeader(t: Check, response: Pick<Received, 'headers'>, name: string, shape: string, summary: string): string {
  const value = header(response, name);
  t.check(value !== undefined, {
    summary,
    expected: `${name}: ${shape}`,
    received: `(no ${name} header)`,
    hint: 'Write every header the handler put in response.headers.',
  });
  return value!;
}

lesson.behaviour('starts each answer with the status line for its code', async (t) => {
  const cases = [
    { label: 'GET /text', bytes: get('/text'), line: 'HTTP/1.1 200 OK' },
    { label: 'POST /notes', bytes: request('POST', '/notes', [], `note ${hex()}`), line: 'HTTP/1.1 201 Created' },
    { label: 'GET /old-text', bytes: get('/old-text'), line: 'HTTP/1.1 301 Moved Permanently' },
    { label: 'GET /no-such-page', bytes: get(`/no-such-page-${hex()}`), line: 'HTTP/1.1 404 Not Found' },
    { label: 'GET /broken', bytes: get('/broken'), line: 'HTTP/1.1 500 Internal Server Error' },
    // The provided reader refuses these requests; your serializer writes its answers.
    { label: 'a request with two Host lines', bytes: get('/text', [`Host: ${hex()}.example`]), line: 'HTTP/1.1 400 Bad Request' },
    {
      label: 'a request whose Content-Length is over 1 MiB',
      bytes: `POST /notes HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${1024 * 1024 + 1}\r\n\r\n`,
      line: 'HTTP/1.1 413 Content Too Large',
      // RFC 7231 called 413 "Payload Too Large", and node:http's STATUS_CODES still does.
      also: ['HTTP/1.1 413 Payload Too Large'],
    },
    { label: 'a request head over 8 KB', bytes: get('/text', [`X-Padding: ${'p'.repeat(8 * 1024)}`]), line: 'HTTP/1.1 431 Request Header Fields Too Large' },
    { label: 'a chunked request body', bytes: request('POST', '/notes', ['Transfer-Encoding: chunked']) + '0\r\n\r\n', line: 'HTTP/1.1 501 Not Implemented' },
  ];
  for (const { label, bytes, line, also } of cases) {
    const { response } = await t.raw(bytes);
    expectStatusLine(t, label, response?.statusLine, line, also);
  }
});

lesson.behaviour('counts Content-Length in bytes for a UTF-8 body', async (t) => {
  const saying = randomSaying();
  const { response } = await t.raw(get(`/text?say=${encodeURIComponent(saying)}`), { lingerMs: 100 });
  t.expectStatus(response!, 200);
  const body = textBody(saying);
  const length = header(response!, 'Content-Length');
  t.check(length === String(Buffer.byteLength(body)), {
    summary: 'Content-Length does not match the size of the body in bytes.',
    expected: `Content-Length: ${Buffer.byteLength(body)} (the body has ${[...body].length} characters, but é, — , ✓ and 🚀 take 2, 3, 3 and 4 bytes in UTF-8)`,
    received: length === undefined ? '(no Content-Length header)' : `Content-Length: ${length}`,
    hint: 'Encode the body first (Buffer.from(text)), then count the bytes of the Buffer.',
  });
  t.check(response!.text === body && response!.extra.length === 0, {
    summary: 'The body is not the text the handler returned.',
    expected: JSON.stringify(body),
    received: JSON.stringify(response!.text + response!.extra.toString('utf8')),
    hint: 'Write the body as UTF-8 bytes, right after the empty line that ends the head.',
  });
  // Every method but HEAD gets its body: the 201 to a POST too, not only answers to GET.
  const { response: created } = await t.raw(request('POST', '/notes', [], `note ${saying}`));
  t.expectStatus(created!, 201);
  const saved = created!.text;
  t.check(created!.complete && /^Saved note \d+\.\n$/.test(saved) && header(created!, 'Content-Length') === String(Buffer.byteLength(saved)), {
    summary: 'The 201 answer to POST /notes does not carry its body, "Saved note <id>.\\n", as Content-Length announces.',
    expected: 'Saved note <id>.\\n, after Content-Length: 14 (or 15, 16… for longer ids)',
    received: describeBody(created!),
    hint: 'Leave the body out only for HEAD (and for 204 and 304): a POST, a DELETE or any other method gets it like GET.',
  });
  // A DELETE is answered with 204 when the note exists, but the method does not decide: a DELETE of no note gets a 404, with its body.
  const missing = `/notes/${random.int(100_000, 999_999)}`;
  const { response: notFound } = await t.raw(request('DELETE', missing));
  t.expectStatus(notFound!, 404);
  t.check(notFound!.complete && notFound!.text === 'Not Found\n' && header(notFound!, 'Content-Length') === '10', {
    summary: `The 404 answer to DELETE ${missing} (there is no such note) does not carry its body, "Not Found\\n", as Content-Length announces.`,
    expected: 'Content-Length: 10, then Not Found\\n',
    received: describeBody(notFound!),
    hint: 'Whether a body is sent depends on the status (204, 304) and on HEAD, never on other methods: a DELETE answered with 404 gets its body like a GET.',
  });
  await expectEveryOtherBody(t);
});

/** The body arrived whole, not empty, exactly as long as Content-Length announces, and nothing after it. */
const carriesItsBody = (response: RawResponse) => {
  const announced = header(response, 'Content-Length');
  return announced !== undefined && response.complete && response.text !== '' && announced === String(response.body.length) && response.extra.length === 0;
};
const describeBody = (response: RawResponse) => {
  const announced = header(response, 'Content-Length');
  return `${response.statusLine}, ${response.complete ? '' : '(the connection closed before the announced body arrived) '}${announced === undefined ? '(no Content-Length header)' : `Content-Length: ${announced}`}, body ${JSON.stringify(response.text + response.extra.toString('utf8'))}`;
};

/** Bodies a serializer must not leave out: the answer to "head" (not HEAD), the error path's 500 and the reader's refusals. */
async function expectEveryOtherBody(t: Check): Promise<void> {
  // Methods are case-sensitive (RFC 9110, section 9.1): "head" is another method, not HEAD, and its answer gets its body.
  // The routes answer it 404; a server that answers a method it does not know with 501 (as RFC 9110, section 9.1
  // recommends) or 405 is right too: whatever the status, that answer has a body.
  const { response: lower } = await t.raw(request('head', `/no-such-page-${hex()}`));
  t.check([404, 405, 501].includes(lower!.status) && carriesItsBody(lower!), {
    summary: 'The answer to the method "head" (in lower case, so not HEAD) does not carry its body as Content-Length announces.',
    expected: 'HTTP/1.1 404 Not Found (or 501, 405), a Content-Length, then exactly that many bytes of body (Not Found\\n)',
    received: describeBody(lower!),
    hint: 'Method names are case-sensitive (RFC 9110, section 9.1): leave the body out when the method is exactly "HEAD", without changing its case first.',
  });
  // The error path too: the 500 of a route that throws, and the reader's refusals, go through the same serializer.
  const refusals = [
    ['GET /broken (a route that throws: 500)', get('/broken'), 500],
    ['a request with two Host lines (the reader refuses it: 400)', get('/text', [`Host: ${hex()}.example`]), 400],
    ['a chunked request body (the reader refuses it: 501)', request('POST', '/notes', ['Transfer-Encoding: chunked']) + '0\r\n\r\n', 501],
  ] as const;
  for (const [label, bytes, status] of refusals) {
    const { response: refused } = await t.raw(bytes);
    t.check(refused!.status === status && carriesItsBody(refused!), {
      summary: `The ${status} answer to ${label} does not carry its body as Content-Length announces.`,
      expected: `HTTP/1.1 ${status}, a Content-Length, then exactly that many bytes of body (its message)`,
      received: describeBody(refused!),
      hint: 'Errors are responses too: a 4xx or 5xx gets its Content-Length and its body like a 200. Only 204, 304 (and 1xx) go without, and only HEAD leaves the body out.',
    });
  }
}

lesson.behaviour('sends Content-Length: 0 with an empty body that is allowed one', async (t) => {
  const { response } = await t.raw(get('/old-text'), { lingerMs: 100 });
  t.expectStatus(response!, 301);
  const length = header(response!, 'Content-Length');
  t.check(length === '0', {
    summary: 'The 301 response, whose body is empty, has no Content-Length: 0.',
    expected: 'Content-Length: 0',
    received: length === undefined ? '(no Content-Length header)' : `Content-Length: ${length}`,
    hint: 'Only 204 and 304 (and 1xx) leave Content-Length out. Decide by the status, not by whether the body is empty.',
  });
});

lesson.behaviour('labels text with its charset and JSON as application/json', async (t) => {
  const { response: text } = await t.raw(get('/text'));
  t.expectStatus(text!, 200);
  expectLabel(t, text!, 'text/plain', 'required', 'text/plain; charset=utf-8',
    'Text needs its charset: "Content-Type: text/plain; charset=utf-8", or a client may decode "é" as "Ã©".');
  const saying = randomSaying();
  const { response: json } = await t.raw(get(`/json?say=${encodeURIComponent(saying)}`));
  t.expectStatus(json!, 200);
  expectLabel(t, json!, 'application/json', 'optional', 'application/json',
    'JSON has its own media type, "application/json". It is always UTF-8 (RFC 8259), so it needs no charset.');
});

function expectLabel(t: Check, response: Received, type: string, charset: 'required' | 'optional', shown: string, hint: string): void {
  const value = header(response, 'Content-Type');
  t.check(labelledUtf8(value, type, charset), {
    summary: value === undefined ? 'The response has no Content-Type header.' : 'The Content-Type header is not right.',
    expected: `Content-Type: ${shown}`,
    received: value === undefined ? '(no such header)' : `Content-Type: ${value}`,
    hint,
  });
}

lesson.behaviour('answers HEAD with the same headers as GET and no body', async (t) => {
  // Whatever the status: a page that exists, one that does not (404, with a body for GET), and an error (500).
  for (const [target, status] of [[`/text?say=${encodeURIComponent(randomSaying())}`, 200], [`/no-such-page-${hex()}`, 404], ['/broken', 500]] as const) {
    await expectHeadLikeGet(t, target, status);
  }
});

/** GET and HEAD `target`: the same status and header fields (Date aside), and no body after the HEAD answer. */
async function expectHeadLikeGet(t: Check, target: string, status: number): Promise<void> {
  const { response: getResponse } = await t.raw(get(target));
  t.expectStatus(getResponse!, status);
  const { response: head } = await t.raw(request('HEAD', target), { noBody: true, lingerMs: 200 });
  t.expectStatus(head!, status, 'HEAD is answered like GET: same status, same headers.');
  const getLength = header(getResponse!, 'Content-Length');
  const headLength = header(head!, 'Content-Length');
  t.check(headLength === getLength, {
    summary: 'HEAD announced a different Content-Length than GET.',
    expected: `Content-Length: ${getLength} (the length the GET body has)`,
    received: headLength === undefined ? '(no Content-Length header)' : `Content-Length: ${headLength}`,
    hint: 'Count the body as for GET; only leave the bytes out. A HEAD answer describes the body it does not send.',
  });
  // The fields the handler and the plumbing set (Content-Type, Connection), and the framing, must match
  // value for value. A field of the serializer's own may change from one answer to the next: Date ticks
  // over, and an X-Request-Id, or an X-Served-By naming workers in turn, differs between two answers to
  // the same GET as much as between GET and HEAD. Those are compared by name only.
  const byValue = new Set(['content-type', 'content-length', 'transfer-encoding', 'connection']);
  const fields = (r: typeof head) =>
    r!.headers
      .map(([name, value]) => (byValue.has(name.toLowerCase()) ? `${name.toLowerCase()}: ${value}` : `${name.toLowerCase()}: (any value)`))
      .sort();
  t.check(JSON.stringify(fields(head)) === JSON.stringify(fields(getResponse)), {
    summary: 'HEAD was answered with other header fields than GET.',
    expected: fields(getResponse).join('\n'),
    received: fields(head).join('\n'),
    hint: 'RFC 9110, section 9.3.2: HEAD is GET without the body. Build the same response, then leave out only the body.',
  });
  t.check(head!.extra.length === 0, {
    summary: `${head!.extra.length} bytes of body came after the head, in answer to HEAD ${target} (status ${status}).`,
    expected: 'nothing after the empty line that ends the head',
    received: JSON.stringify(head!.extra.toString('utf8')),
    hint: 'A client never reads a body after a HEAD answer, whatever the status; stray bytes would be taken as the start of the next response.',
  });
}

lesson.behaviour('sends no body and no Content-Length with 204 No Content', async (t) => {
  const { response: created } = await t.raw(request('POST', '/notes', [], `note ${hex()}`));
  t.expectStatus(created!, 201);
  const location = requireHeader(t, created!, 'Location', '/notes/<id>', 'POST /notes was answered without its Location header, so there is no note to delete.');
  const { response } = await t.raw(request('DELETE', location), { lingerMs: 200 });
  expectStatusLine(t, `DELETE ${location}`, response!.statusLine, 'HTTP/1.1 204 No Content');
  const length = header(response!, 'Content-Length');
  t.check(length === undefined, {
    summary: 'The 204 response carries a Content-Length header.',
    expected: 'no Content-Length header at all',
    received: `Content-Length: ${length}`,
    hint: 'RFC 9110, section 8.6: a server must not send Content-Length with 1xx or 204, not even "0".',
  });
  t.check(headerValues(response!, 'Transfer-Encoding').length === 0 && response!.extra.length === 0, {
    summary: 'The 204 response has a body.',
    expected: 'nothing after the empty line that ends the head',
    received: JSON.stringify(response!.extra.toString('utf8')),
    hint: 'A 204 ends at the empty line after the headers (RFC 9110, section 15.3.5).',
  });
});

lesson.behaviour('answers a matching If-None-Match with 304 Not Modified and no body', async (t) => {
  const { response: page } = await t.raw(get('/cached'));
  t.expectStatus(page!, 200);
  const etag = requireHeader(t, page!, 'ETag', '"<tag>"', 'GET /cached was answered without its ETag header.');
  const { response } = await t.raw(get('/cached', [`If-None-Match: ${etag}`]), { lingerMs: 200 });
  expectStatusLine(t, 'A request with a matching If-None-Match', response!.statusLine, 'HTTP/1.1 304 Not Modified');
  // A 304 leaves out the body, not the handler's fields: the client updates its cached copy with them (RFC 9110, section 15.4.5).
  const tag = header(response!, 'ETag');
  t.check(tag === etag, {
    summary: 'The 304 response does not carry the ETag the handler set.',
    expected: `ETag: ${etag}`,
    received: tag === undefined ? '(no ETag header)' : `ETag: ${tag}`,
    hint: 'A 304 has no body, but it keeps every header field the handler set (ETag, Date): drop only the body and Content-Length.',
  });
  const length = header(response!, 'Content-Length');
  const fullLength = header(page!, 'Content-Length');
  t.check(length === undefined || length === fullLength, {
    summary: `The 304 response should not send Content-Length: ${length}.`,
    expected: `no Content-Length (or Content-Length: ${fullLength}, the length of the page)`,
    received: `Content-Length: ${length}`,
    hint: 'Leave Content-Length out of a 304, as for 204 (or send the length of the page). RFC 9110, section 8.6.',
  });
  t.check(response!.extra.length === 0, {
    summary: 'The 304 response has a body.',
    expected: 'nothing after the empty line that ends the head',
    received: JSON.stringify(response!.extra.toString('utf8')),
    hint: 'A 304 ends at the empty line after the headers (RFC 9110, section 15.4.5).',
  });
});

lesson.behaviour('never lets CR or LF in a header value split the response', async (t) => {
  const safe = `roundtrip-${hex()}`;
  const { response: plain } = await t.raw(get(`/echo-header?value=${safe}`));
  t.expectStatus(plain!, 200);
  t.expectHeader(plain!, 'X-Echo', safe, 'The /echo-header route puts the query value into X-Echo; write that header as it is.');
  const breakers = [
    ['CR LF', '%0D%0A'],
    ['a bare LF', '%0A'],
    ['a bare CR', '%0D'],
    // U+010D U+010A: written as latin1, each keeps only its low byte, 0x0D 0x0A.
    ['"čĊ" (characters above U+00FF, which latin1 would write as CR LF)', '%C4%8D%C4%8A'],
  ] as const;
  for (const [label, breaker] of breakers) {
    const marker = `X-Injected-${hex()}`;
    // At the very start too: a check of the first bad character's position that wants it above 0 (search(…) > 0) misses it there.
    for (const [where, target] of [
      ['value', `/echo-header?value=${safe}${breaker}${marker}:%20yes`],
      ['name', `/echo-header?name=X-Echo-${hex()}${breaker}${marker}&value=yes`],
      ['value, at its very start,', `/echo-header?value=${breaker}${marker}:%20yes`],
      ['name, at its very start,', `/echo-header?name=${breaker}${marker}&value=yes`],
    ] as const) {
      const { bytes } = await t.raw(get(target), { lingerMs: 100 });
      // Anywhere in the bytes: a CR LF at the start of a name ends the head early, and the injected line follows the empty one.
      const text = bytes.toString('latin1');
      const split = new RegExp(`[\\r\\n]${marker}`, 'i').test(text);
      t.check(!split, {
        summary: `A header ${where} containing ${label} started a new line: the response was split.`,
        expected: `no "${marker}" line (a 500 is fine: your serializer refused the ${where.split(',')[0]})`,
        received: JSON.stringify(text.slice(0, 400)),
        hint:
          where.startsWith('name')
            ? 'A header name must be a token (RFC 9110, section 5.6.2): letters, digits and !#$%&\'*+-.^_`|~ only. Throw on anything else.'
            : 'Throw when a header value holds any character outside tab, space, visible ASCII and 0x80–0xFF, wherever it is, the first position included. Many clients end a line at a bare \\n, and latin1 writes "Ċ" (U+010A) as a \\n byte.',
      });
    }
  }
});

lesson.behaviour('refuses NUL, other control characters and bad names in header fields with 500', async (t) => {
  // What is allowed must still pass: every token character in a name; a tab inside a value, and bytes
  // 0x80–0xFF (obs-text, RFC 9110, section 5.5), 0x85 among them, though Unicode calls it a control character.
  // The first and last character of each allowed range too (0-9, A-Z, a-z; space and "~"; 0x80 and 0xFF), where a check off by one fails.
  const name = `X-Roundtrip-${hex()}-09AZaz!#$%&'*+.^_\`|~`;
  const value = `yes\t${hex()} ~\u0080\u0085\u00ff${hex()}`;
  const { response: plain } = await t.raw(get(`/echo-header?name=${encodeURIComponent(name)}&value=${encodeURIComponent(value)}`));
  t.check(plain!.status === 200, {
    summary: 'A valid header field was refused.',
    expected: `HTTP/1.1 200 OK, with the header ${JSON.stringify(`${name}: ${value}`)}`,
    received: plain!.statusLine,
    hint: 'A name may be any token (letters, digits and !#$%&\'*+-.^_`|~), and a value may hold tabs, spaces, visible ASCII and 0x80–0xFF: refuse only what is outside those.',
  });
  t.expectHeader(plain!, name, value, 'The /echo-header route sets the header named by ?name= to ?value=; write it as it is.');
  // Every control character, each time: a serializer that forgets one (DEL, 0x7F, is the usual one) must fail every run.
  // CR and LF too: refused, not quietly removed or replaced, so the handler's mistake shows as a 500.
  const controls = ['%00', '%01', '%07', '%08', '%0B', '%1B', '%1F', '%7F', '%0D', '%0A'];
  // A name is a token: every delimiter, a control character, DEL and a character over 0x7F are outside it.
  // "Ł" (U+0141) too: a check of the bytes latin1 writes would see only its low byte, 0x41, "A".
  const outsiders = [...'"(),/;<=>?@[\\]{}', '\x01', '\x7f', '\u00e9', '\u0141'];
  const cases = [
    ...controls.map((control) => [`a value containing the control character ${control}`, `/echo-header?value=${hex()}${control}${hex()}`] as const),
    ['a name containing a space', `/echo-header?name=X%20Echo-${hex()}&value=yes`],
    ['a name containing a colon', `/echo-header?name=X-Echo-${hex()}:%20x&value=yes`],
    // At the end of a value too: trim() would remove them, and write the value the handler got wrong.
    ['a value ending in CR LF', `/echo-header?value=${hex()}%0D%0A`],
    // Above U+00FF a character is no byte at all: latin1 would write "€" (U+20AC) as its low byte, 0xAC ("¬").
    ['a value containing "€" (U+20AC, a character above U+00FF)', `/echo-header?value=${hex()}%E2%82%AC${hex()}`],
    ['an empty name', `/echo-header?name=&value=${hex()}`],
    ...outsiders.map((ch) => [`a name containing ${JSON.stringify(ch)}`, `/echo-header?name=${encodeURIComponent(`X-Echo${ch}${hex()}`)}&value=yes`] as const),
  ] as const;
  for (const [label, target] of cases) {
    const { response } = await t.raw(get(target));
    t.check(response!.status === 500, {
      summary: `A header field with ${label} was written instead of refused.`,
      expected: 'HTTP/1.1 500 Internal Server Error (your serializer throws; the plumbing answers 500)',
      received: `${response!.statusLine}\n${response!.headers.map(([n, v]) => `${n}: ${JSON.stringify(v)}`).join('\n')}`,
      hint: 'A value may hold tab, space, visible ASCII and bytes 0x80–0xFF, nothing else (throw, do not strip); a name must be a non-empty token: letters, digits and !#$%&\'*+-.^_`|~ only. Check the characters of the strings, before latin1 encoding keeps only the low byte of those above U+00FF, with patterns of what is allowed: /^[\\t\\x20-\\x7e\\x80-\\xff]*$/ for values.',
    });
  }
  // A refusal is for that one response: the next text answer is written as usual, with no field of the refused ones.
  await expectCleanText(t, 'after the refused header fields');
});

/**
 * GET /text after other requests: a 200 with only its own header fields. A header object
 * shared by every textResponse would carry X-Echo (or a refused field, and a 500) from before.
 */
async function expectCleanText(t: Check, after: string): Promise<void> {
  const saying = randomSaying();
  const { response } = await t.raw(get(`/text?say=${encodeURIComponent(saying)}`));
  // Fields the routes set on other responses, by the names this spec gives them; a serializer may add
  // fields of its own (Server, X-Roundtrip-Lesson, say, or an ETag made from each body): an ETag is a
  // leak only when it is the one GET /cached sets.
  let leaked = response!.headers.filter(([name]) => /^(x-echo(-[0-9a-f]{8})?|x-roundtrip-[0-9a-f]{8}-09azaz.*|x-injected-[0-9a-f]{8}|location)$/i.test(name));
  const etag = header(response!, 'ETag');
  if (response!.status === 200 && etag !== undefined) {
    // Aside, so the failure still shows the GET /text exchange.
    const cached = await t.aside(get('/cached'));
    if (cached !== undefined && header(cached, 'ETag') === etag) leaked = [...leaked, ['ETag', etag]];
  }
  t.check(response!.status === 200 && leaked.length === 0, {
    summary: response!.status === 200
      ? `GET /text, ${after}, carried header fields its handler never set.`
      : `GET /text, ${after}, was answered with status ${response!.status}.`,
    expected: 'HTTP/1.1 200 OK, without X-Echo, ETag, Location or any other field the routes set on other responses',
    received: `${response!.statusLine}\n${response!.headers.map(([n, v]) => `${n}: ${JSON.stringify(v)}`).join('\n')}`,
    hint: 'Each call of textResponse (and jsonResponse) must return a new headers object: a module-level object handed to every response collects the fields each route adds (X-Echo, ETag, Location), and one refused field then breaks every later answer. Build the object inside the function, or copy it ({ ...defaults }).',
  });
}

// The handler's own framing fields, in several cases: field names are case-insensitive (RFC 9110, section 5.1).
const framingByHandler: [name: string, value: string][] = [
  ['Content-Length', '0'],
  ['content-length', '999'],
  ['TRANSFER-encoding', 'chunked'],
  ['Transfer-Encoding', 'gzip, chunked'],
];

lesson.behaviour('frames the body itself, whatever framing headers the handler set', async (t) => {
  const plain = await t.raw(get('/echo-header?value=plain'));
  t.expectStatus(plain.response!, 200);
  const length = String(plain.response!.body.length);
  // The right length too: kept beside yours, it makes two Content-Length lines, which a client may refuse
  // as invalid even when they agree (RFC 9110, section 8.6). The handler's field is left out whatever its value.
  for (const [name, value] of [...framingByHandler, ['Content-length', length]] as const) {
    const { response, bytes } = await t.raw(get(`/echo-header?name=${encodeURIComponent(name)}&value=${encodeURIComponent(value)}`), { lingerMs: 100 });
    // Refusing the handler's field is right too: the plumbing answers 500.
    if (response?.status === 500) continue;
    const lengths = headerValues(response!, 'Content-Length');
    const codings = headerValues(response!, 'Transfer-Encoding');
    t.check(lengths.length === 1 && lengths[0] === length && codings.length === 0, {
      summary: `The handler set "${name}: ${value}", and it went out: the response now says in two ways where its body ends, or says it wrongly.`,
      expected: `one Content-Length: ${length} (yours, the body's size) and no Transfer-Encoding; or a 500, if your serializer refuses the handler's field`,
      received: headOf(bytes).split('\r\n').filter((line) => /^(content-length|transfer-encoding)\s*:/i.test(line)).join('\n') || '(no framing field at all)',
      hint: 'Where the body ends is the serializer\'s to say: leave out a Content-Length or Transfer-Encoding among response.headers, in any case of its name and whatever its value (the right length too: two Content-Length lines may be refused even when they agree, RFC 9110, section 8.6), and write your own Content-Length. Two framings are how responses are smuggled past proxies (RFC 9112, section 6.3).',
    });
  }
});

lesson.behaviour('writes each header the handler sets as one "Name: value" line', async (t) => {
  const value = `roundtrip ${hex()}`;
  const { response, bytes } = await t.raw(get(`/echo-header?value=${encodeURIComponent(value)}`));
  t.expectStatus(response!, 200);
  const line = new RegExp(`\\r\\nX-Echo:[ \\t]*${value}[ \\t]*\\r\\n`, 'i');
  t.check(line.test(headOf(bytes)), {
    summary: 'The header the handler set is missing or malformed.',
    expected: `X-Echo: ${value}\\r\\n`,
    received: response!.headers.map(([n, v]) => `${n}: ${v}`).join('\n') || '(no header fields)',
    hint: 'For each entry of response.headers write the name, a colon, a space, the value and \\r\\n.',
  });
  // An empty value is a value too (RFC 9110, section 5.5): the line is written, with nothing after the colon.
  const { response: blank, bytes: blankBytes } = await t.raw(get('/echo-header?value='));
  t.expectStatus(blank!, 200);
  t.check(/\r\nX-Echo:[ \t]*\r\n/i.test(headOf(blankBytes)), {
    summary: 'The header the handler set with an empty value is missing.',
    expected: 'X-Echo: \\r\\n (the name, a colon, and an empty value)',
    received: blank!.headers.map(([n, v]) => `${n}: ${v}`).join('\n') || '(no header fields)',
    hint: 'Write one line for every entry of response.headers, even when its value is "": skip none.',
  });
  // "é" is U+00E9: latin1 writes it as the one byte 0xE9, UTF-8 as the two bytes C3 A9.
  const accented = `caf\u00e9-${hex()}`;
  // The plumbing closes each connection after its answer: waiting for the close shows any byte after the body.
  const { response: latin, bytes: latinBytes } = await t.raw(get(`/echo-header?value=${encodeURIComponent(accented)}`), { lingerMs: limits.requestMs });
  t.expectStatus(latin!, 200);
  const sent = headOf(latinBytes).match(/\r\nX-Echo:[ \t]*([^\r\n]*?)[ \t]*\r\n/i)?.[1];
  t.check(sent === accented, {
    summary: 'The head was not written as latin1, one byte per character.',
    expected: `X-Echo: ${accented}, with "é" as the single byte 0xE9`,
    received: sent === undefined ? '(no X-Echo header)' : `the bytes ${JSON.stringify(sent)} (read one byte per character)`,
    hint: "Encode the head with Buffer.from(head, 'latin1'); only the body is encoded as UTF-8.",
  });
  // The body follows the head at once: a buffer sized by the head's UTF-8 length (two bytes for "é") but
  // written as latin1 leaves zero bytes between head and body, or after the body.
  const echoBody = 'See the X-Echo header.\n';
  t.check(latin!.complete && latin!.text === echoBody && latin!.extra.length === 0, {
    summary: 'With "é" in a header value, the bytes after the head are not the body, exactly as Content-Length announces it.',
    expected: `${JSON.stringify(echoBody)}, right after the empty line, and nothing after it`,
    received: JSON.stringify(latinBytes.subarray(latinBytes.indexOf('\r\n\r\n') + 4).toString('latin1')),
    hint: "Measure the head in the encoding you write it in: Buffer.from(head, 'latin1') has one byte per character, while Buffer.byteLength(head) counts UTF-8 bytes, two for \"é\". Buffer.concat([Buffer.from(head, 'latin1'), body]) needs no sizes at all.",
  });
  const { response: moved } = await t.raw(get('/old-text'));
  t.expectStatus(moved!, 301);
  t.expectHeader(moved!, 'Location', '/text', 'A redirect is only useful with its Location header.');  // The fields belong to the responses their handlers set them on, not to the next one.
  await expectCleanText(t, 'after the /echo-header requests');
});

/**
 * The head time-out the 408 behaviour gives a server of its own (10 s by default).
 * That behaviour begins with the lesson's first (see beginEarly in harness.ts), and
 * comes late in the list, so that its wait is over by the time its turn comes.
 */
const headTimeoutMs = 250;

lesson.behaviour('answers a request that stops arriving with 408 Request Timeout', async (t) => {
  // Half a head, then nothing: the provided reader gives up after its time limit and answers 408.
  const waitMs = Math.max(headTimeoutMs * 4, 3000);
  const { response } = await t.raw(`GET /text?say=${t.hex()} HTTP/1.1\r\nHost: local`, { timeoutMs: waitMs, allowNoResponse: true });
  expectStatusLine(t, `A head that stopped arriving (the reader's limit is ${headTimeoutMs} ms here)`, response?.statusLine, 'HTTP/1.1 408 Request Timeout');
}, { timeoutMs: Math.max(headTimeoutMs * 4, 3000) + 10_000, serverEnv: { ROUNDTRIP_HEAD_TIMEOUT_MS: String(headTimeoutMs) } });

/**
 * The Date behaviour's server has its clock set to Sunday 1 March 2026,
 * 01:05:06 GMT as it starts (see listen-probe.cjs), whatever the date of the
 * check: every field then needs its leading zero, a weekday or a month
 * counted one off shows on any day, and so does the local time. Its time zone
 * (America/St_Johns, 3 h 30 min behind GMT that day) puts the local clock on
 * Saturday 28 February, 21:35:06: the local day, date or month (getDay(),
 * getDate(), getMonth()) is wrong too, not only the local hour. It starts
 * 0.6 s into that second, so the next one, which a Date made once at start
 * cannot show, comes soon.
 */
const chosenInstant = Date.UTC(2026, 2, 1, 1, 5, 6, 600);

/**
 * How far behind the clock a right Date may be. A server may make the Date text once a second and
 * renew it from a timer, as node:http does; a timer fires late on a busy machine, and until it
 * fires the Date is the second before. A Date made once at start is caught otherwise (below).
 */
const dateLagMs = 1000;

/**
 * The value of the Date header, or a failure unless it is the server's time (sent between `before`
 * and `after` by the real clock, at most dateLagMs behind) in IMF-fixdate; not before `earliest`
 * (server time) when given.
 */
function expectDate(t: Check, label: string, response: Received, realBefore: number, realAfter: number, earliest = -Infinity): string {
  const [before, after] = [realBefore + t.server.clockOffsetMs, realAfter + t.server.clockOffsetMs];
  const date = header(response, 'Date');
  const imfFixdate = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
  const ms = date === undefined ? NaN : Date.parse(date);
  // IMF-fixdate counts whole seconds: the second the request was sent in (or one a little before it,
  // for a Date renewed by a late timer), up to the second its answer came in.
  const from = Math.max(earliest, Math.floor((before - dateLagMs) / 1000) * 1000);
  // A server may round to the nearest second instead of truncating (the best approximation, RFC 9110,
  // section 6.6.1): then the Date may name the second after the one the answer came in.
  const until = Math.floor(after / 1000) * 1000 + 1000;
  const now = date !== undefined && imfFixdate.test(date) && ms >= from && ms <= until;
  t.check(now && new Date(ms).toUTCString() === date, {
    summary: date === undefined
      ? `${label} was answered without a Date header.`
      : !now ? `The Date header of ${label} is not the time it was answered, in IMF-fixdate format.` : `The Date header of ${label} names the wrong day of the week.`,
    expected: `Date: ${new Date(after).toUTCString()} (the time of the answer, in GMT: the grader set the server's clock to that day)`,
    received: date === undefined ? '(no Date header)' : `Date: ${date}`,
    hint: 'RFC 9110, section 6.6.1: a server with a clock sends Date, the time of each answer in GMT (not the time the server started, nor local time). new Date().toUTCString(), called for each response, writes the IMF-fixdate format.',
  });
  return date!;
}

lesson.behaviour('sends a Date header in IMF-fixdate format', async (t) => {
  // Every response, the bodiless 204 and 304 and the 500 included ("in every response").
  const { response: created } = await t.raw(request('POST', '/notes', [], `note ${hex()}`));
  t.expectStatus(created!, 201);
  const location = requireHeader(t, created!, 'Location', '/notes/<id>', 'POST /notes was answered without its Location header, so there is no note to delete.');
  const { response: page } = await t.raw(get('/cached'));
  t.expectStatus(page!, 200);
  const etag = requireHeader(t, page!, 'ETag', '"<tag>"', 'GET /cached was answered without its ETag header.');
  const cases = [['GET', '/text', [], 200], ['GET', '/old-text', [], 301], ['GET', `/no-such-page-${hex()}`, [], 404], ['DELETE', location, [], 204], ['GET', '/cached', [`If-None-Match: ${etag}`], 304], ['GET', '/broken', [], 500]] as const;
  const dates: string[] = [];
  for (const [method, target, extra, status] of cases) {
    const before = Date.now();
    const { response } = await t.raw(request(method, target, [...extra]));
    t.check(response!.status === status, {
      summary: `${method} ${target} was answered with status ${response!.status}.`,
      expected: String(status),
      received: response!.statusLine,
    });
    dates.push(expectDate(t, `${method} ${target}`, response!, before, Date.now()));
  }
  // A Date made once, when the server started, looks right at first: it is no later than the first
  // answer's. Wait until the second after that one, and ask again until the Date moves on: a Date
  // renewed by a timer moves on once the timer fires, late on a busy machine; one made at start never.
  // A timer counts from the event loop's last reading of the clock, which lags on a busy machine and
  // can end it a few milliseconds early: wait until the clock itself says so.
  const serverNow = () => Date.now() + t.server.clockOffsetMs;
  const nextSecond = Date.parse(dates[0]!) + 1000;
  while (serverNow() < nextSecond) await new Promise((r) => setTimeout(r, nextSecond - serverNow() + 1));
  for (;;) {
    const before = Date.now();
    const { response: later } = await t.raw(get('/text'));
    const date = header(later!, 'Date');
    const movedOn = date !== undefined && Date.parse(date) >= nextSecond;
    if (movedOn || serverNow() >= nextSecond + dateLagMs) {
      expectDate(t, 'GET /text, a second after the others', later!, before, Date.now(), nextSecond);
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}, {
  // Not UTC, and not a whole number of hours from it: a time written from the local clock and labelled GMT is 3 h 30 min off,
  // and a day early (see chosenInstant).
  serverEnv: clockAt(chosenInstant, 'America/St_Johns'),
});

lesson.behaviour('can be read by a real HTTP client', async (t) => {
  const saying = randomSaying();
  const response = await t.request({ path: `/json?say=${encodeURIComponent(saying)}` });
  t.expectStatus(response, 200);
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.text);
  } catch {
    parsed = undefined;
  }
  t.check((parsed as { youSaid?: unknown } | undefined)?.youSaid === saying, {
    summary: 'The /json body is not the JSON the handler returned.',
    expected: JSON.stringify({ youSaid: saying }),
    received: JSON.stringify(response.text),
    hint: 'JSON.stringify(data) turns the value into JSON text.',
  });
  const missing = await t.request({ path: `/no-such-page-${hex()}` });
  t.expectStatus(missing, 404);
  t.expectBody(missing, 'Not Found\n');
});
