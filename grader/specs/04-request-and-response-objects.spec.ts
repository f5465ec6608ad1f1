// Lesson 04: the handler layer turns node's IncomingMessage into a Request and
// a Response back into bytes. GET /inspect answers with the Request as JSON, so
// each behaviour sends a request and reads back what the server understood.
// Values are random, so only a real parser passes.
import { isDeepStrictEqual } from 'node:util';
import { type Check, clockAt, escapeRegExp, excerpt, gradeLesson, type Received } from '../engine/harness.ts';

// node:http reads the requests: a behaviour's requests share connections (see LessonOptions.keepAlive).
const lesson = gradeLesson(import.meta.url, { keepAlive: true });
const { random } = lesson;

const word = () => random.hex(3);
const show = (value: unknown) => (value === undefined ? '(missing)' : JSON.stringify(value));

/** A request as raw bytes: a header field sent twice, which a Record of headers cannot hold. */
const rawGet = (target: string, headers: string[] = []) =>
  [`GET ${target} HTTP/1.1`, 'Host: localhost', ...headers, 'Connection: close', '', ''].join('\r\n');

const fields = ['method', 'path', 'query', 'headers', 'cookies', 'clientAddress'];

/** The /inspect answer as a JSON object, or a failure that says why not. */
function inspected(t: Check, response: Received): Record<string, unknown> {
  t.expectStatus(response, 200, 'Paths that start with /inspect go to your inspect() view. Your server output below shows what went wrong.');
  const data = t.expectJson(response, {
    summary: 'The body of /inspect is not valid JSON, such as {"method":"GET","path":"/inspect",…}.',
    hint: 'Build the body with JSON.stringify, in Response.json.',
  });
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    t.fail({
      summary: 'The body of /inspect is JSON, but not an object.',
      expected: `an object with ${fields.join(', ')}`,
      received: JSON.stringify(excerpt(response.text, 200)),
      hint: 'inspect() passes one object to Response.json.',
    });
  }
  return data as Record<string, unknown>;
}

/** GET `target` (sent exactly as written, header names in the case given) and read the JSON. */
async function inspect(t: Check, target: string, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  return inspected(t, await t.request({ path: target, headers }));
}

/** Fails unless `actual` equals `expected` (object key order aside). */
function expectSame(t: Check, what: string, actual: unknown, expected: unknown, hint: string): void {
  t.check(isDeepStrictEqual(actual, expected), {
    summary: `${what} is not what was sent.`,
    expected: show(expected),
    received: show(actual),
    hint,
  });
}

/** The query or the headers as /inspect reports them: { key: [values] }. */
function dictOf(data: Record<string, unknown>, field: 'query' | 'headers'): Record<string, unknown> {
  const dict = data[field];
  return typeof dict === 'object' && dict !== null ? (dict as Record<string, unknown>) : {};
}

lesson.behaviour('answers GET /inspect with the request as JSON', async (t) => {
  const response = await t.request({ path: '/inspect' });
  const data = inspected(t, response);
  t.expectHeader(response, 'Content-Type', /^application\/json\s*(;|$)/i, 'Label JSON "application/json" in Response.json.');
  const missing = fields.filter((name) => !(name in data));
  t.check(missing.length === 0, {
    summary: `The JSON has no ${missing.join(', ')}.`,
    expected: `an object with ${fields.join(', ')}`,
    received: JSON.stringify(excerpt(response.text, 300)),
    hint: 'inspect() reports every field of the Request, under these names.',
  });
});

lesson.behaviour('reports the method and the path, without the query', async (t) => {
  // Never GET here: a server that always reports GET must not pass by luck (the second request is a GET).
  const method = t.random.pick(['DELETE', 'PUT', 'PATCH']);
  // Paths are case-sensitive: the upper-case letters stay.
  const path = `/inspect/${word()}/Ab-${word()}`;
  const response = await t.request({ method, path: `${path}?${word()}=1` });
  const data = inspected(t, response);
  expectSame(t, 'The method', data.method, method, 'Take the method from message.method.');
  expectSame(t, 'The path', data.path, path, 'message.url holds the path and the query: the path is the part before the first "?".');
  // Without a "?", the whole target is the path and the query is empty.
  const bare = `/inspect/${word()}`;
  const plain = inspected(t, await t.request({ path: bare }));
  expectSame(t, 'The path', plain.path, bare, 'Without a "?" in message.url, all of it is the path.');
  expectSame(t, `The query of ${bare}`, plain.query, {}, 'Without a "?" in message.url, the query is empty: {}.');
  // The path is the target up to the "?", as sent: "." and ".." segments, "//" and a final "/" stay (new URL() would resolve them).
  const dotted = `/inspect/${word()}/./a/../${word()}//b/`;
  const { response: raw } = await t.raw(rawGet(`${dotted}?${word()}=1`));
  expectSame(t, 'The path', inspected(t, raw!).path, dotted,
    'Cut message.url at its first "?" and decode it; change nothing else: new URL(message.url, base).pathname resolves "." and "..", and a target that starts with "//" would lose its first segment as a host.');
});

lesson.behaviour('decodes %XX escapes in the path, but leaves + alone', async (t) => {
  const w = word();
  const data = await inspect(t, `/inspect/caf%C3%A9+${w}%20bar`);
  const path = `/inspect/café+${w} bar`;
  expectSame(
    t,
    'The path',
    data.path,
    path,
    typeof data.path === 'string' && data.path.includes('%')
      ? 'Percent-decode the path, as you decode the query but without the "+" rule: %C3%A9 is "é" in UTF-8, %20 a space.'
      : typeof data.path === 'string' && data.path.includes('Ã')
        ? 'Read the decoded bytes as UTF-8: %C3%A9 is two bytes that together make one "é".'
        : '"+" means a space only in a query string; in a path it is a plain "+".',
  );
  // %2F is a "/" like any other escape; a stray "%" stays as it is, and must not stop the rest.
  // %2541 is decoded once, to "%41": decoding twice would make it "A".
  // %3F is a "?" inside the path: cut message.url at its first real "?" before decoding.
  const n = random.int(10, 99);
  const response = await t.raw(rawGet(`/inspect/${w}%2F${n}%25%2f%C3%A9%zz%3F${n}/${n}%2541/${n}%`));
  const odd = inspected(t, response.response!);
  expectSame(
    t,
    'The path',
    odd.path,
    `/inspect/${w}/${n}%/é%zz?${n}/${n}%41/${n}%`,
    typeof odd.path === 'string' && /%2f/i.test(odd.path)
      ? 'Decode every escape in the path, %2F ("/") and %3F ("?") included: decodeURI leaves those encoded.'
      : typeof odd.path === 'string' && odd.path.includes(`/${n}A/`)
        ? 'Decode the path once: %2541 is "%41", and decoding the result again turns it into "A" (a classic way past path checks).'
        : typeof odd.path === 'string' && !odd.path.includes('?')
          ? 'Cut message.url at its first "?" first, then decode the path: %3F is a "?" that belongs to the path, not the start of the query.'
          : 'Decode the path with the same escape-by-escape decoder as the query (without the "+" rule): a "%" without two hex digits stays, the rest is decoded.',
  );
  // Bytes that are not UTF-8 become U+FFFD in the path as in the query: the same decoder, not one that keeps them encoded.
  const notUtf8 = await inspect(t, `/inspect/${w}%FF${n}/%C3${w}`);
  expectSame(t, 'The path', notUtf8.path, `/inspect/${w}\uFFFD${n}/\uFFFD${w}`,
    'Decode the path with the same decoder as the query: a valid escape whose bytes are not UTF-8 (%FF, or %C3 without its second byte) becomes U+FFFD, "\uFFFD", as Buffer\'s toString() makes it; it is not kept encoded.');
});

lesson.behaviour('keeps every value of a repeated query key, in order', async (t) => {
  const [a, b, c, other] = [word(), word(), word(), word()];
  // The same value twice is two values: a checkbox list may repeat one.
  const data = await inspect(t, `/inspect?tag=${a}&tag=${b}&${other}=x&tag=${c}&tag=${a}`);
  const query = dictOf(data, 'query');
  expectSame(
    t,
    'query.tag',
    query.tag,
    [a, b, c, a],
    'A repeated key adds a value to its list: MultiDict.append must keep the values already there.',
  );
  expectSame(t, `query.${other}`, query[other], ['x'], 'Every key maps to a list of its values, even a key that comes once.');
});

lesson.behaviour('decodes the query: %XX as UTF-8, and + as a space', async (t) => {
  const w = word();
  const [x, y] = [random.int(10, 99), random.int(10, 99)];
  // Spaces at either end of a value are part of it: "+" and %20 alike. Hex digits may be in either case (RFC 3986, section 2.1): %c3%a9 is %C3%A9.
  const data = await inspect(t, `/inspect?q=caf%c3%a9+au+lait+${w}&sum=${x}%2B${y}&amp=a%26b%3d${w}&pct=%2541${w}&pad=+${w}%20`);
  const query = dictOf(data, 'query');
  const q = query.q;
  expectSame(
    t,
    'query.q',
    q,
    [`café au lait ${w}`],
    Array.isArray(q) && String(q[0]).includes('+')
      ? 'Turn every "+" into a space, not just the first: replaceAll, or a regular expression with the g flag.'
      : 'Percent-decode each name and value, reading the bytes as UTF-8: %C3%A9 (or %c3%a9: hex digits in either case) is "é".',
  );
  expectSame(t, 'query.sum', query.sum, [`${x}+${y}`], 'Replace "+" with a space before you decode, so that %2B becomes a real "+".');
  expectSame(t, 'query.amp', query.amp, [`a&b=${w}`], 'Split on "&" and "=" first, then decode each name and value: %26 is a "&" inside a value.');
  expectSame(t, 'query.pct', query.pct, [`%41${w}`], 'Decode each name and value once: %25 is a "%", and the "%41" it makes is not decoded again.');
  expectSame(t, 'query.pad', query.pad, [` ${w} `], 'A space at either end of a value is part of it: replace "+", decode, and change nothing more (no trim()).');
});

lesson.behaviour('decodes query names like values', async (t) => {
  const [w, v] = [word(), word()];
  // Names are case-sensitive: "Café" and "café" are two keys.
  // %3D is an "=" inside the name: split each pair at its first real "=", then decode.
  const data = await inspect(t, `/inspect?caf%C3%A9+${w}=${v}&Caf%C3%A9+${w}=${w}&k%3D${v}=${w}`);
  expectSame(
    t,
    'The query',
    data.query,
    { [`café ${w}`]: [v], [`Café ${w}`]: [w], [`k=${v}`]: [w] },
    'The name of a pair follows the same rules as its value: "+" becomes a space, then %XX escapes are decoded; its case stays as sent. Split the pair at its first "=" before you decode it: %3D is an "=" inside the name.',
  );
});

lesson.behaviour('splits the query at the first "?" and each pair at its first "="', async (t) => {
  const [w, x] = [word(), word()];
  const n = random.int(2, 9);
  // Only "&" separates pairs (";" is part of a value), and "=v" is a pair whose name is "".
  const data = await inspect(t, `/inspect?next=/${w}?page=${n}&sig=${x}==&x=&semi=${w};${x}=1&=${n}`);
  expectSame(
    t,
    'The query',
    data.query,
    { next: [`/${w}?page=${n}`], sig: [`${x}==`], x: [''], semi: [`${w};${x}=1`], '': [String(n)] },
    'The query is everything after the first "?", later "?"s included; pairs are split on "&" only, and each pair at its first "=" only (indexOf and slice, not split("=")), even when the name before it is empty.',
  );
});

lesson.behaviour('keeps a key without a value, as an empty string', async (t) => {
  const [flag, empty, key, value] = [word(), word(), word(), word()];
  const data = await inspect(t, `/inspect?${flag}&${empty}=&&${key}=${value}`);
  expectSame(
    t,
    'The query',
    data.query,
    { [flag]: [''], [empty]: [''], [key]: [value] },
    'A pair without "=" is a name with the value "". An empty pair (between "&&") is skipped.',
  );
});

lesson.behaviour('keeps a malformed %-escape as it is and decodes the rest', async (t) => {
  const n = random.int(10, 99);
  const w = word();
  // One hex digit is not an escape either: "%4g" and a final "%A" stay (parseInt("4g", 16) is 4).
  const digit = random.pick([...'0123456789abcdefABCDEF']);
  const data = await inspect(t, `/inspect?q=${n}%&r=${w}%zz&s=caf%C3%A9+${n}%&t=${w}%${digit}g&u=${n}%${digit}`);
  const query = dictOf(data, 'query');
  expectSame(
    t,
    'The query',
    { q: query.q, r: query.r, t: query.t, u: query.u },
    { q: [`${n}%`], r: [`${w}%zz`], t: [`${w}%${digit}g`], u: [`${n}%${digit}`] },
    'Keep a "%" that is not followed by two hex digits as it is, like URLSearchParams does: decodeURIComponent("50%") throws. Check both characters after the "%" (/^[0-9A-Fa-f]{2}$/): parseInt("4g", 16) is 4, and a pattern with {1,2} takes one digit.',
  );
  expectSame(
    t,
    'query.s',
    query.s,
    [`café ${n}%`],
    'A bad "%" spoils only itself: still decode the good escapes around it, as URLSearchParams does. Decode escape by escape (or run by run), not the whole value at once.',
  );
  const bad = await inspect(t, `/inspect?u=${w}%FF${n}&v=%C3${w}`);
  const badQuery = dictOf(bad, 'query');
  expectSame(
    t,
    'The query',
    { u: badQuery.u, v: badQuery.v },
    { u: [`${w}\uFFFD${n}`], v: [`\uFFFD${w}`] },
    'A valid escape whose bytes are not UTF-8 (%FF, or %C3 without its second byte) becomes U+FFFD, "\uFFFD", as in URLSearchParams: Buffer\'s toString() does that for you.',
  );
});

lesson.behaviour('reads header names case-insensitively, in lower case', async (t) => {
  // Values keep their case: only names are case-insensitive.
  const value = `Value-${word().toUpperCase()}-${word()}`;
  // Mixed case, never all lower case: "X-rOUndtRip-TeSt".
  const name = `X${[...'-roundtrip-test'].map((ch) => (random.int(0, 1) ? ch.toUpperCase() : ch)).join('')}`;
  const data = await inspect(t, '/inspect', { [name]: value });
  expectSame(
    t,
    'headers["x-roundtrip-test"]',
    dictOf(data, 'headers')['x-roundtrip-test'],
    [value],
    'Header names are case-insensitive (RFC 9110, section 5.1): store each name in lower case, and each value as it was sent.',
  );
});

lesson.behaviour('keeps every value of a repeated header, in order', async (t) => {
  // Twice, with other values: each request has the headers of its own lines, none of the request before.
  for (const round of [1, 2]) {
    const [a, b, c] = [word(), word(), word()];
    // One line whose value holds ", " is one value: splitting the joined message.headers would make it two.
    const list = `${word()}, ${word()}`;
    // A field with an empty value is still a line that was sent (RFC 9110, section 5.5 allows an empty value): it is kept, as "".
    const { response } = await t.raw(rawGet('/inspect', [`X-Roundtrip-Tag: ${a}`, `X-Roundtrip-List: ${list}`, 'X-Roundtrip-Empty:', `X-Roundtrip-Tag: ${b}, ${c}`]));
    const data = inspected(t, response!);
    const hint = 'message.headers joins repeated fields into one string; message.rawHeaders has every line, as [name, value, name, value, …]: one value per line, as sent.';
    expectSame(t, 'headers["x-roundtrip-tag"]', dictOf(data, 'headers')['x-roundtrip-tag'], [a, `${b}, ${c}`], round === 1 ? hint
      : 'The second request reported values of the first: make a new MultiDict in buildRequest for every request, not one at the top of the module that every request appends to.');
    expectSame(t, 'headers["x-roundtrip-list"]', dictOf(data, 'headers')['x-roundtrip-list'], [list], hint);
    // Exactly the lines sent, no more: a walk one item at a time would make values into names.
    expectSame(t, 'The headers', data.headers,
      { host: ['localhost'], 'x-roundtrip-tag': [a, `${b}, ${c}`], 'x-roundtrip-list': [list], 'x-roundtrip-empty': [''], connection: ['close'] },
      round === 1 ? 'rawHeaders alternates name, value, name, value: step through it two at a time (i += 2), each name in lower case with the value after it, even an empty value ("X-Roundtrip-Empty:" has the value "").'
        : 'The second request reported lines of the first: make a new MultiDict in buildRequest for every request.');
  }
});

lesson.behaviour('parses the Cookie header into names and values', async (t) => {
  const none = await inspect(t, '/inspect');
  expectSame(t, 'The cookies of a request without a Cookie header', none.cookies, {}, 'Without a Cookie header (undefined), parseCookies returns {}.');
  const [session, theme, one, lang] = [word(), word(), word(), word()];
  const letter = 'abcdefghijklmnopqrstuvwxyz'[random.int(0, 25)]!;
  // A one-letter name, a stray space before a ";", a ";" without the space after it, and an empty value:
  // split on ";", trim each name and value, and keep what follows the first "=", even "". Names keep their case.
  const data = await inspect(t, '/inspect', { Cookie: `${letter}=${one}; session=${session} ; empty=; theme=${theme};Lang=${lang}` });
  expectSame(
    t,
    'The cookies',
    data.cookies,
    { [letter]: one, session, empty: '', theme, Lang: lang },
    'Pairs are separated by "; " (RFC 6265, section 5.4), but not every client writes the space: split on ";" (not "; ") and trim the spaces around each name and value. "empty=" is a cookie whose value is "", and "Lang" keeps its capital: only header names are lower-cased.',
  );  // The cookies are the request's own: the next request, with one other cookie, has that one and no other.
  const later = word();
  const next = await inspect(t, '/inspect', { Cookie: `theme=${later}` });
  expectSame(t, 'The cookies of the next request (only "Cookie: theme=…")', next.cookies, { theme: later },
    'parseCookies must return a new object for each call ({} inside the function): an object made once, at the top of the module, keeps the cookies of every earlier request, so one visitor\'s session would show up in the next one\'s request.');
});

lesson.behaviour('keeps "=" inside a cookie value', async (t) => {
  // Always a "+" and a "/", as base64 has: in a cookie, "+" is a plus, not a space.
  const token = `${random.bytes(6).toString('base64')}+/${word()}==`;
  const next = `/${word()}?page=${random.int(2, 8)}`;
  const data = await inspect(t, '/inspect', { Cookie: `token=${token}; next=${next}` });
  const cookies = data.cookies as Record<string, unknown> | undefined;
  expectSame(t, 'The cookies', data.cookies, { token, next },
    typeof cookies?.token === 'string' && cookies.token.includes(' ')
      ? 'A cookie value is not a query: "+" stays a plus sign. Split on ";" and at the first "=", and trim; nothing more.'
      : 'Split each pair at the first "=" only: the rest, "=" included, is the value.');
});

lesson.behaviour('reports the client address from the socket, not from X-Forwarded-For', async (t) => {
  const forwarded = `203.0.113.${random.int(1, 254)}`;
  // Every header that claims an address is text the client wrote: X-Real-IP and Forwarded too.
  const data = await inspect(t, '/inspect', { 'X-Forwarded-For': forwarded, 'X-Real-IP': forwarded, Forwarded: `for=${forwarded};proto=http` });
  const address = data.clientAddress;
  const loopback = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;
  t.check(typeof address === 'string' && loopback.test(address), {
    summary: address === forwarded ? 'The client address was taken from a header (X-Forwarded-For, X-Real-IP or Forwarded), which any client can send.' : 'The client address is not the loopback address the grader connected from.',
    expected: '127.0.0.1, ::1 or ::ffff:127.0.0.1 (the grader runs on this machine)',
    received: show(address),
    hint: 'Take it from message.socket.remoteAddress, the other end of the TCP connection, and from no header.',
  });
});

lesson.behaviour('answers any other path with 404 Not Found as plain text', async (t) => {
  const response = await t.request({ path: `/nowhere-${word()}` });
  t.expectStatus(response, 404, 'The provided app() answers other paths with Response.text(…, 404): does Response.text use its status?');
  // RFC 9110, section 8.3.1: spaces may surround the ";", and a quoted "utf-8" is the same value.
  t.expectHeader(response, 'Content-Type', /^text\/plain[ \t]*;[ \t]*charset=("?)utf-8\1$/i, 'Response.text labels its body "text/plain; charset=utf-8".');
  t.expectBody(response, 'Not Found\n');
});

const months = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';

/** The server's log lines that mention `requestLine`, printed since `mark`. */
const logLinesSince = (t: Check, mark: number, requestLine: string) =>
  t.server.output.slice(mark).filter((l) => l.stream === 'stdout' && l.text.includes(requestLine)).map((l) => l.text);

/** Waits for the server's log lines that mention `requestLine`, printed since `mark`. */
async function logLinesFor(t: Check, mark: number, requestLine: string): Promise<string[]> {
  await t.waitForOutput(mark, () => logLinesSince(t, mark, requestLine).length > 0);
  return logLinesSince(t, mark, requestLine);
}

function expectOneLine(t: Check, requestLine: string, lines: string[]): void {
  t.check(lines.length === 1, {
    summary: `Your server logged ${requestLine} ${lines.length} times.`,
    expected: 'exactly one line per request',
    received: lines.join('\n'),
    hint: 'The provided code prints one line when the response has finished; print nothing more for it.',
  });
}

const monthNames = months.split('|');
const pad2 = (n: number) => String(n).padStart(2, '0');
/**
 * The log-line behaviour runs the server in Asia/Kathmandu (UTC+05:45, no
 * daylight saving) with its clock set to a chosen afternoon, whatever the
 * date and time of the check: Sunday 8 March 2026, from 14:07:03 there. A
 * line in UTC is off by 5 h 45 min, a 12-hour clock says 02, getDay() says 00
 * (Sunday) where getDate() says 08, getMonth() alone says Feb, and a number
 * written without its leading zero shows.
 */
const serverTimeZone = { name: 'Asia/Kathmandu', offsetMs: (5 * 60 + 45) * 60_000 };
const chosenInstant = Date.UTC(2026, 2, 8, 14, 7, 3) - serverTimeZone.offsetMs;

/** +05:45, -03:00: the offset as the expected line explains it. */
function offsetText(ms: number): string {
  const minutes = Math.abs(ms) / 60_000;
  return `${ms < 0 ? '-' : '+'}${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}
/** The server's local time at `ms` (by the server's own clock) as the log line writes it: 08/Mar/2026 14:07:03. */
function stamp(ms: number): string {
  const d = new Date(ms + serverTimeZone.offsetMs);
  return `${pad2(d.getUTCDate())}/${monthNames[d.getUTCMonth()]}/${d.getUTCFullYear()} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

lesson.behaviour('logs one line per request: time, request line, status and size', async (t) => {
  const requests = [
    // "é" is 2 bytes in UTF-8, so the size in bytes differs from the length in characters.
    { method: 'GET', target: `/inspect?q=caf%C3%A9-${word()}`, status: 200, version: '1.1' },
    // The method is the one the client sent, not always GET.
    { method: t.random.pick(['DELETE', 'PUT', 'PATCH']), target: `/nowhere-${word()}?x=1`, status: 404, version: '1.1' },
    // The version is the one the client sent, not always 1.1.
    { method: 'GET', target: `/inspect?v=${word()}`, status: 200, version: '1.0' },
  ];
  const logged: { mark: number; requestLine: string; key: string }[] = [];
  for (const { method, target, status, version } of requests) {
    const mark = t.server.output.length;
    const before = Date.now();
    const response =
      version === '1.1'
        ? await t.request({ method, path: target })
        : (await t.raw(`${method} ${target} HTTP/${version}\r\nHost: localhost\r\n\r\n`)).response!;
    const requestLine = `"${method} ${target} HTTP/${version}"`;
    const key = `"${method} ${target} `;
    const lines = await logLinesFor(t, mark, key);
    const after = Date.now();
    // The provided plumbing prints a failing logLine()'s error only once, at the
    // first request: look for a TODO in all the output, so that an unwritten
    // logLine() reads as "not implemented yet".
    const todo = t.server.output.find((l) => /\bTODO:/.test(l.text))?.text.trim();
    t.check(lines.length > 0, {
      summary: `Nothing your server printed mentions ${requestLine}.`,
      expected: `a line like [24/Nov/2026 22:31:05] ${requestLine} ${response.status} ${response.body.length}`,
      received: todo ?? '(no such line: see your server output below)',
      hint: 'logLine() quotes the request line as it arrived: message.method, message.url (still percent-encoded) and HTTP/ + message.httpVersion.',
    });
    expectOneLine(t, requestLine, lines);
    logged.push({ mark, requestLine, key });
    const pattern = new RegExp(`^\\[\\d{2}/(${months})/\\d{4} \\d{2}:\\d{2}:\\d{2}\\] ${escapeRegExp(requestLine)} ${status} ${response.body.length}$`);
    t.check(pattern.test(lines[0]!), {
      summary: 'The log line is not in the expected format.',
      expected: `[DD/Mon/YYYY hh:mm:ss] ${requestLine} ${status} ${response.body.length}`,
      received: lines[0]!,
      hint: `The size is the body in bytes (Buffer.byteLength), the same number as Content-Length; the date is two-digit day, three-letter month, four-digit year; the version is HTTP/ + message.httpVersion.`,
    });
    // The time is `when`, in local time: any second from just before the request to just after the line arrived.
    const allowed: string[] = [];
    for (let ms = before - 1000; ms < after + 2000; ms += 1000) allowed.push(stamp(ms + t.server.clockOffsetMs));
    const time = lines[0]!.match(/^\[([^\]]*)\]/)?.[1] ?? '';
    t.check(allowed.includes(time), {
      summary: 'The time in the log line is not the local time of the request.',
      expected: `[${stamp(after + t.server.clockOffsetMs)}] (the server's local time, 24-hour clock: the grader starts it with TZ=${serverTimeZone.name}, UTC${offsetText(serverTimeZone.offsetMs)}, and its clock set to that day)`,
      received: `[${time}]`,
      hint: 'Format `when` with its local getters: getDate() (not getDay()), months[getMonth()], getFullYear(), getHours() (0 to 23, as it is), getMinutes(), getSeconds(), not the getUTC… ones.',
    });
  }
  // A moment more, once for all three, to notice a line logged twice (a second log on the connection's close, say).
  await new Promise((r) => setTimeout(r, 50));
  for (const { mark, requestLine, key } of logged) expectOneLine(t, requestLine, logLinesSince(t, mark, key));
}, {
  // Set as the server starts, so that its clock reads the chosen instant then (see listen-probe.cjs).
  serverEnv: clockAt(chosenInstant, serverTimeZone.name),
});

/**
 * Just after midnight on Thursday 9 September 2027 in Kathmandu: a 24-hour clock reads 00, where
 * toLocaleTimeString('en-US', { hour12: false }) and Intl's hourCycle h24 say 24, and September is
 * "Sep", where the en-GB locale's short month says "Sept". Another year than the first server's
 * (and the lesson's examples'): a year written as 2026 cannot pass.
 */
const midnightInstant = Date.UTC(2027, 8, 9, 0, 7, 3) - serverTimeZone.offsetMs;

lesson.behaviour('logs the hour after midnight as 00 and every month in three letters', async (t) => {
  const target = `/inspect?night=${word()}`;
  const mark = t.server.output.length;
  const before = Date.now();
  const response = await t.request({ path: target });
  const requestLine = `"GET ${target} HTTP/1.1"`;
  const lines = await logLinesFor(t, mark, `"GET ${target} `);
  const after = Date.now();
  t.check(lines.length > 0, {
    summary: `Nothing your server printed mentions ${requestLine}.`,
    expected: `a line like [09/Sep/2027 00:07:03] ${requestLine} ${response.status} ${response.body.length}`,
    received: t.server.output.find((l) => /\bTODO:/.test(l.text))?.text.trim() ?? '(no such line: see your server output below)',
    hint: 'logLine() quotes the request line as it arrived: message.method, message.url (still percent-encoded) and HTTP/ + message.httpVersion.',
  });
  const allowed: string[] = [];
  for (let ms = before - 1000; ms < after + 2000; ms += 1000) allowed.push(stamp(ms + t.server.clockOffsetMs));
  const time = lines[0]!.match(/^\[([^\]]*)\]/)?.[1] ?? '';
  t.check(allowed.includes(time), {
    summary: 'The time in the log line is not the local time of the request, written as Django writes it.',
    expected: `[${stamp(after + t.server.clockOffsetMs)}] ${requestLine} ${response.status} ${response.body.length} (the server's clock reads just after midnight on 9 September 2027, TZ=${serverTimeZone.name}: the hour is 00 to 23, the month three letters)`,
    received: lines[0]!,
    hint: 'Write the hour as getHours() gives it, 00 just after midnight (hour12: false can say 24), the month from your own array of three-letter names (the en-GB locale writes September "Sept"), and the year from getFullYear(), not the year of an example.',
  });
}, {
  serverEnv: clockAt(midnightInstant, serverTimeZone.name),
});
