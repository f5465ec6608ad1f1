// Lesson 07: four middleware around a tiny site (the host check, security
// headers, timing and logging, HTTP Basic authentication) and the order they
// run in. Users, hosts and paths are random where a fixed answer could pass.
import { basicChallenge, basicRealm, greeting, securityHeaderValues as securityHeaders, users } from '../../provided/fixtures/07-middleware-in-practice.ts';
import { type Check, gradeLesson, handPort, header, quotedTextPattern, type Received, shellQuote, tokenPattern, type TraceEvent, wrongCredentials } from '../engine/harness.ts';

// node:http reads the requests: a behaviour's requests share connections (see LessonOptions.keepAlive).
const lesson = gradeLesson(import.meta.url, { keepAlive: true });
const { random } = lesson;

const hex = (bytes = 4) => random.hex(bytes);
const pick = <T>(items: readonly T[]): T => items[random.int(0, items.length - 1)]!;
const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
const curlUser = (username: string, password: string) => `curl -v -u ${shellQuote(`${username}:${password}`)} http://localhost:${handPort}/me`;

// ---- requests with a Host of our choosing ----------------------------------

interface HostOptions {
  path?: string;
  /** HTTP/1.0 may leave Host out; HTTP/1.1 may not (Node itself answers 400). */
  version?: '1.0' | '1.1';
  /** More request headers. */
  headers?: Record<string, string>;
  /** How to show the request, when the curl line the engine writes would send something else. */
  show?: string;
}

/** GET with any Host (or none: HTTP/1.0 only), traced. The engine sends it over a raw socket: undici always sends its own Host. */
async function getWithHost(t: Check, host: string | undefined, options: HostOptions = {}): Promise<{ response: Received; trace: TraceEvent[] }> {
  const { path = '/', version = '1.1', headers = {}, show } = options;
  const response = await t.request({ path, host: host ?? null, version, headers: { 'User-Agent': 'roundtrip-grader', ...headers }, trace: true, ...(show ? { show } : {}) });
  return { response, trace: t.lastTrace };
}

// ---- what the answers must carry -------------------------------------------

function expectSecurityHeaders(t: Check, response: Received, what: string, hint: string): void {
  const wrong = securityHeaders.filter(([name, value]) => header(response, name)?.toLowerCase() !== value.toLowerCase());
  t.check(wrong.length === 0, {
    summary: `The ${what} lacks ${wrong.map(([name]) => name).join(', ')} (or has the wrong value).`,
    expected: securityHeaders.map(([name, value]) => `${name}: ${value}`).join('\n'),
    received: securityHeaders.map(([name]) => `${name}: ${header(response, name) ?? '(missing)'}`).join('\n'),
    hint,
  });
}

const challenge = `WWW-Authenticate: ${basicChallenge}`;

/**
 * What is wrong with a WWW-Authenticate value, or undefined (RFC 9110, section 11;
 * RFC 7617). The scheme and the parameter names are case-insensitive, the parameters
 * may come in any order, and charset's value is compared in any case; the realm's
 * value is compared exactly and must be a quoted string.
 */
function challengeProblem(value: string | undefined): string | undefined {
  if (value === undefined) return 'The 401 has no WWW-Authenticate header, so a client cannot know how to sign in.';
  const scheme = new RegExp(`^\\s*(${tokenPattern})(?:\\s+|$)`).exec(value);
  if (!scheme || scheme[1]!.toLowerCase() !== 'basic') return 'The challenge does not name the Basic scheme first.';
  const param = new RegExp(`\\s*(${tokenPattern})\\s*=\\s*(?:(${tokenPattern})|"(${quotedTextPattern})")\\s*(?:,|$)`, 'y');
  const params = new Map<string, { value: string; quoted: boolean }>();
  param.lastIndex = scheme[0].length;
  while (param.lastIndex < value.length) {
    const at = param.lastIndex;
    const m = param.exec(value);
    if (!m) return `The challenge's parameters are not name=value pairs separated by commas, from "${value.slice(at)}" on.`;
    const name = m[1]!.toLowerCase();
    if (params.has(name)) return `The challenge names ${name} twice.`;
    params.set(name, { value: m[3] === undefined ? m[2]! : m[3].replace(/\\(.)/g, '$1'), quoted: m[3] !== undefined });
  }
  const realm = params.get('realm');
  if (!realm) return 'The challenge has no realm.';
  if (!realm.quoted) return 'The realm is not in quotes: RFC 9110 (section 11.5) asks for realm="…".';
  if (realm.value !== basicRealm) return `The realm is "${realm.value}", not "${basicRealm}": a realm is compared exactly, letter case included.`;
  const charset = params.get('charset');
  if (!charset) return 'The challenge has no charset="UTF-8", which tells the client to send non-ASCII names and passwords as UTF-8 (RFC 7617, section 2.1).';
  if (charset.value.toLowerCase() !== 'utf-8') return `The charset is "${charset.value}"; the only one RFC 7617 allows is "UTF-8".`;
  return undefined;
}

function expectChallenge(t: Check, response: Received, hint: string): void {
  t.expectStatus(response, 401, hint);
  const value = header(response, 'WWW-Authenticate');
  const problem = challengeProblem(value);
  t.check(problem === undefined, {
    summary: problem ?? '',
    expected: challenge,
    received: value === undefined ? '(no such header)' : `WWW-Authenticate: ${value}`,
    hint: `Every 401 must carry a challenge (RFC 9110, section 11.6.1): ${challenge}.`,
  });
}

function jsonBody(t: Check, response: Received): Record<string, unknown> {
  return t.expectJson<Record<string, unknown>>(response, {
    hint: 'The views answer with Response.json(…); did a middleware replace the response?',
  });
}

interface Metric {
  name: string;
  /** The parameters, names in lower case and values as sent (a quoted-string unquoted). */
  params: [name: string, value: string][];
}

/** One metric and the comma or end after it: name *( OWS ";" OWS param-name OWS "=" OWS ( token / quoted-string ) ). */
const metricPattern = new RegExp(`[ \\t]*(${tokenPattern})((?:[ \\t]*;[ \\t]*${tokenPattern}[ \\t]*=[ \\t]*(?:${tokenPattern}|"${quotedTextPattern}"))*)[ \\t]*(,|$)`, 'y');
const paramPattern = new RegExp(`;[ \\t]*(${tokenPattern})[ \\t]*=[ \\t]*(?:(${tokenPattern})|"(${quotedTextPattern})")`, 'g');

/**
 * A Server-Timing value as its metrics (W3C Server Timing, section 3: a list of metrics, each a name
 * and ;name=value parameters, a value a token or a quoted-string as in RFC 9110, section 5.6), or the
 * text from which it stops being one. A comma or ";" inside a quoted desc="…" is part of the value.
 */
function serverTimingMetrics(value: string): Metric[] | { badFrom: string } {
  const metrics: Metric[] = [];
  metricPattern.lastIndex = 0;
  for (;;) {
    const at = metricPattern.lastIndex;
    const m = metricPattern.exec(value);
    if (!m) return { badFrom: value.slice(at) };
    const params = [...m[2]!.matchAll(paramPattern)].map((p): [string, string] => [p[1]!.toLowerCase(), p[2] ?? p[3]!.replace(/\\(.)/g, '$1')]);
    metrics.push({ name: m[1]!, params });
    if (m[3] === '') return metrics;
  }
}

/** Every dur=… of a Server-Timing value, as sent (unquoted): "render;dur=0.1, app;dur=\"2\"" -> ['0.1', '2']. */
const durations = (metrics: Metric[]) => metrics.flatMap((m) => m.params.filter(([name]) => name === 'dur').map(([, v]) => v));

/** What is wrong with a Server-Timing value (W3C Server Timing, section 3), or undefined. */
function serverTimingProblem(value: string | undefined): string | undefined {
  if (value === undefined) return 'The response has no Server-Timing header.';
  const metrics = serverTimingMetrics(value);
  if (!Array.isArray(metrics)) return `"${metrics.badFrom.trim()}" is not a metric: a name, then optional ;name=value parameters, metrics separated by commas.`;
  const found = durations(metrics);
  if (!found.length) return 'No metric has a dur=… parameter.';
  const badDuration = found.find((d) => !/^\d+(\.\d+)?$/.test(d) || Number(d) > 60_000);
  if (badDuration !== undefined) return `dur=${badDuration} is not a plain number of milliseconds.`;
  return undefined;
}

/**
 * A duration longer than the server took to answer at all: not milliseconds, or not measured.
 * A whole millisecond of slack: dur rounded up (Math.ceil) is still a duration in milliseconds.
 */
function tooLong(value: string, answeredMs: number): string | undefined {
  const metrics = serverTimingMetrics(value);
  const longest = Math.max(...durations(Array.isArray(metrics) ? metrics : []).map(Number));
  return longest > answeredMs + 1
    ? `dur=${longest} is longer than your server took to answer the whole request (${answeredMs.toFixed(2)} ms, in the trace below): is it in milliseconds?`
    : undefined;
}

/** The metric names in a Server-Timing value: "render;dur=0.1, app;dur=2" -> ['render', 'app']. */
function metricNames(value: string | undefined): string[] {
  const metrics = serverTimingMetrics(value ?? '');
  return Array.isArray(metrics) ? metrics.map((m) => m.name.toLowerCase()) : [];
}

// ---- the host check --------------------------------------------------------

lesson.behaviour('answers a request for an allowed host', async (t) => {
  const { response } = await getWithHost(t, 'localhost');
  t.expectStatus(response, 200, '"localhost" is in ALLOWED_HOSTS: does isAllowedHost accept an exact name?');
});

lesson.behaviour('rejects a Host it does not serve with 400, before the view runs', async (t) => {
  // An allowed Host first, whatever its answer: a check that remembers the first request's answer
  // lets every later Host through.
  await getWithHost(t, 'localhost');
  // Pieces of allowed names are not those names: "local" is another host, and a link built from
  // it leads elsewhere. A comparison that stops where the Host ends, or asks whether the entry
  // contains the Host (the wrong way round), allows them.
  const prefix = 'localhost'.slice(0, random.int(1, 8));
  const suffix = '127.0.0.1'.slice(random.int(1, 8));
  const piece = 'Compare the whole name with the whole entry (===): a piece of an allowed name, or a name that an entry merely contains, is another host.';
  const refused: [host: string, hint: string][] = [
    [`evil-${hex()}.example`, 'Answer 400 Bad Request when the Host is not in ALLOWED_HOSTS, as Django does for DisallowedHost. Check each request\'s own Host: the request before this one was for localhost, and its answer says nothing about this one.'],
    [prefix, `"${prefix}" is only the start of "localhost". ${piece}`],
    [suffix, `"${suffix}" is only the end of "127.0.0.1". ${piece}`],
    [`localhost.evil-${hex()}.example`, 'This name starts with "localhost" but is another host: an entry without a leading dot matches the whole name, exactly.'],
    [`evil-${hex()}-localhost:${random.int(1024, 65535)}`, 'This name ends in "localhost" but is another host: an entry without a leading dot matches the whole name, exactly.'],
    [`${hex()}.127.0.0.1`, 'This name ends in "127.0.0.1" but is another host: an entry without a leading dot matches the whole name, exactly.'],
    // A dot in an entry is a dot: a pattern built from "127.0.0.1" without escaping it lets any letter stand in.
    [`127${pick(['-', 'x', '_'])}0.0.1`, 'This is not "127.0.0.1": compare the names as strings, or escape the dots if you build a regular expression from an entry ("." matches any character).'],
    // Every dot, not the first one only: entry.replace('.', '\\.') escapes one dot and leaves the others matching any character.
    // Not "127.0.0x1": a URL parser reads the number 0x1 there, and the address 127.0.0.1, as a browser would.
    [`127.0.0${pick(['-', '_'])}1`, 'This is not "127.0.0.1": compare the names as strings, or escape every dot if you build a regular expression from an entry (a string pattern in replace(\'.\', …) replaces the first one only: use replaceAll or /\\./g).'],
    // Whatever stands before an "@" is user information in a URL, never part of a Host (RFC 9110, section 7.2: a name,
    // maybe ":" and a port). A URL parser reads "….example@localhost" as localhost, and a link built from it shows evil….example.
    [
      `evil-${hex()}.example@localhost`,
      'A Host holds a host name and maybe ":" and a port (RFC 9110, section 7.2), never an "@": this one is not the name "localhost". new URL(`http://${host}`).hostname reads "localhost" out of it and drops what stands before the "@": compare the Host itself, its port stripped, with the whole entry.',
    ],
  ];
  for (const [host, hint] of refused) {
    const { response, trace } = await getWithHost(t, host);
    t.expectStatus(response, 400, hint);
    t.check(!trace.some((e) => e.stage === 'view'), {
      summary: 'The view ran for a request whose Host is not allowed.',
      expected: 'the host check answers by itself, without calling next',
      received: 'a "view" stage in the trace below',
      hint: 'Return the 400 instead of calling next(request).',
    });
  }
  const { response } = await getWithHost(t, undefined, { version: '1.0' });
  t.expectStatus(response, 400, 'An HTTP/1.0 request may have no Host at all: headers.get("host") is then null, which is not an allowed host.');
  // An empty Host names no host at all (Django refuses it too). curl sends one with -H 'Host;'; -H 'Host:' would leave it out.
  const empty = await getWithHost(t, '', { show: `curl -v -H 'Host;' http://localhost:${handPort}/` });
  t.expectStatus(empty.response, 400, 'An empty Host ("Host:" and nothing after it) names no host: headers.get("host") is then "", which is no allowed name. Refuse it as you refuse null (if (!host) covers both).');
  // Any client can add X-Forwarded-Host; only a proxy you trust could vouch for it, and there is none here.
  const forwarded = await getWithHost(t, `evil-${hex()}.example`, { headers: { 'X-Forwarded-Host': 'localhost' } });
  t.expectStatus(forwarded.response, 400, 'Check the Host header itself: X-Forwarded-Host is just another header a client may send (Django reads it only with USE_X_FORWARDED_HOST = True, behind a proxy).');
});

lesson.behaviour('ignores the port and the letter case of the Host', async (t) => {
  for (const host of [`LocalHost:${random.int(1024, 65535)}`, `127.0.0.1:${random.int(1024, 65535)}`]) {
    const { response } = await getWithHost(t, host);
    t.expectStatus(response, 200, `"${host}" names an allowed host: strip the port (":${host.split(':')[1]}") and compare in lower case.`);
  }
  // Capitals without a port: lower-casing belongs to every Host, not only to one whose port was cut off.
  const capitals = pick(['LOCALHOST', 'LocalHost', 'localHOST']);
  t.expectStatus((await getWithHost(t, capitals)).response, 200, `"${capitals}" has no port, and names localhost all the same: compare every Host in lower case, with a port or without.`);
  // What follows the colon here is no port: a link built from this Host ("http://localhost:@evil…/reset")
  // would lead to evil…, with "localhost:" as a user name.
  for (const host of [`localhost:@evil-${hex()}.example`, `localhost:${random.int(1024, 65535)}@evil-${hex()}.example`]) {
    const { response } = await getWithHost(t, host);
    t.expectStatus(
      response,
      400,
      `In "${host}" what follows the colon is not a port: a port is digits only, at the very end. Strip only ":" and digits (/:\\d+$/), never everything after a colon, and refuse what is left if it is not an allowed name.`,
    );
  }
});

lesson.behaviour('allows a listed IPv6 host, with or without a port', async (t) => {
  for (const host of [`[::1]:${random.int(1024, 65535)}`, '[::1]']) {
    const { response } = await getWithHost(t, host);
    t.expectStatus(
      response,
      200,
      `"[::1]" is in ALLOWED_HOSTS. An IPv6 address is full of colons: the port is only what follows the "]" (in "${host}", ${host.includes(']:') ? `":${host.split(']:')[1]}"` : 'nothing'}). Splitting at the first colon leaves "[".`,
    );
  }
  // After the "]", only ":" and digits may follow: a link built from "[::1]@evil…" leads to evil… (a browser reads "[::1]" as user information).
  for (const host of [`[::1]@evil-${hex()}.example`, `[::1]:${random.int(1024, 65535)}@evil-${hex()}.example`]) {
    const { response } = await getWithHost(t, host);
    t.expectStatus(
      response,
      400,
      `In "${host}" what follows the "]" is not a port: a port is ":" and digits only, at the very end. Strip only that (/:\\d+$/), keep everything else, and refuse what is left if it is not an allowed name.`,
    );
  }
});

lesson.behaviour("allows a leading-dot entry's domain and its subdomains, but no look-alikes", async (t) => {
  // One in capitals: a subdomain is compared in lower case too, like an exact name.
  const allowed = [`${hex()}.roundtrip.test`, `API.${hex()}.RoundTrip.Test:8080`, 'roundtrip.test', `WWW.${hex()}.ROUNDTRIP.TEST`];
  for (const host of allowed) {
    const { response } = await getWithHost(t, host);
    t.expectStatus(response, 200, `".roundtrip.test" allows roundtrip.test itself and every name ending in ".roundtrip.test", like "${host}"${host === host.toLowerCase() ? '' : ' (host names are compared in lower case, for a leading-dot entry too)'}.`);
  }
  const lookAlikes: [host: string, hint: string][] = [
    [`${hex()}roundtrip.test`, 'ends in "roundtrip.test" but is not a subdomain of it: keep the dot when you compare.'],
    [`roundtrip.test.evil-${hex()}.example`, 'starts with "roundtrip.test" but is a name under evil-….example: a subdomain ends in ".roundtrip.test".'],
    [`${hex()}.roundtrip.test.evil-${hex()}.example`, 'contains ".roundtrip.test" but ends elsewhere: a subdomain ends in ".roundtrip.test".'],
    [`${hex()}.roundtrip-test`, 'is not under "roundtrip.test": a dot in an entry is a dot. Compare with endsWith, or escape the dots if you build a regular expression ("." matches any character).'],
  ];
  for (const [host, hint] of lookAlikes) {
    const { response } = await getWithHost(t, host);
    t.expectStatus(response, 400, `"${host}" ${hint}`);
  }
});

// ---- security headers ------------------------------------------------------

lesson.behaviour('adds the security headers to a 200 response', async (t) => {
  const response = await t.request({ path: '/' });
  t.expectStatus(response, 200);
  expectSecurityHeaders(t, response, 'response', 'Set each header on the response that next(request) returned, on the way out.');
});

lesson.behaviour('adds the security headers to error responses: 404 and 401', async (t) => {
  const missing = await t.request({ path: `/nowhere-${hex()}` });
  t.expectStatus(missing, 404);
  expectSecurityHeaders(t, missing, '404 response', 'Errors need the headers too: add them whatever the status.');
  const unauthorized = await t.request({ path: '/me' });
  t.expectStatus(unauthorized, 401);
  expectSecurityHeaders(t, unauthorized, '401 response', 'A layer sees only the responses of the layers inside it: is securityHeaders outside basicAuth?');
});

lesson.behaviour('adds the security headers to the 400 for a Host it does not serve', async (t) => {
  const { response } = await getWithHost(t, `evil-${hex()}.example`);
  t.expectStatus(response, 400);
  expectSecurityHeaders(
    t,
    response,
    '400 response',
    'A layer sees only the responses of the layers inside it. Which middleware must be outermost to see every response, even the host check’s?',
  );
});

lesson.behaviour('keeps the security headers a view set itself', async (t) => {
  const response = await t.request({ path: '/embed' });
  t.expectStatus(response, 200);
  const chosen: [name: string, value: string][] = [
    ['X-Frame-Options', 'SAMEORIGIN'],
    ['Referrer-Policy', 'no-referrer'],
  ];
  for (const [name, value] of chosen) {
    t.expectHeader(response, name, value, `The /embed view chose ${name}: ${value}. Set each of the three headers only when the response has none (headers.has), not just X-Frame-Options.`);
  }
  t.expectHeader(response, 'X-Content-Type-Options', /^nosniff$/i, 'The view set no X-Content-Type-Options, so add nosniff.');
});

// ---- timing and logging ----------------------------------------------------

lesson.behaviour('sends a well-formed Server-Timing header', async (t) => {
  for (const path of ['/', `/nowhere-${hex()}`]) {
    const started = performance.now();
    const response = await t.request({ path, trace: true });
    // Timing measured part of the server's work on this request: it cannot have taken longer
    // than the whole of it, from the request's arrival to its response, on the server's clock.
    const answered = t.lastTrace.find((e) => e.stage === 'response')?.ms ?? performance.now() - started;
    t.expectStatus(response, path === '/' ? 200 : 404);
    const value = header(response, 'Server-Timing');
    const problem = serverTimingProblem(value) ?? tooLong(value!, answered);
    t.check(problem === undefined, {
      summary: problem ?? '',
      expected: 'Server-Timing: app;dur=1.23 (a name, then dur= a number of milliseconds, no unit)',
      received: value === undefined ? '(no such header)' : `Server-Timing: ${value}`,
      hint: 'Measure with performance.now() before and after next(request), and append `app;dur=${ms.toFixed(1)}`.',
    });
  }
  // Two refusals of /me in a row: each is a response of its own, so each carries the same metrics. A 401
  // made once and returned every time keeps the metric timing appended to it for every request before.
  const refusals: Received[] = [];
  for (let i = 0; i < 2; i++) {
    refusals.push(await t.request({ path: '/me' }));
    t.expectStatus(refusals[i]!, 401);
  }
  const [before, after] = refusals.map((r) => header(r, 'Server-Timing'));
  t.check(metricNames(after).length === metricNames(before).length, {
    summary: `Two refusals of /me, one after the other, carry ${metricNames(before).length} and then ${metricNames(after).length} Server-Timing metrics.`,
    expected: 'the same metrics on both: timing appends one to each response',
    received: `first: Server-Timing: ${before ?? '(none)'}\nsecond: Server-Timing: ${after ?? '(none)'}`,
    hint: 'The 401 is one Response object, shared by every request: each time timing appends its metric to it, the list grows. Build a new Response inside the handler, for each request.',
  });
});

lesson.behaviour('appends its Server-Timing metric to the ones a view set', async (t) => {
  const response = await t.request({ path: '/embed' });
  t.expectStatus(response, 200);
  const value = header(response, 'Server-Timing');
  const names = metricNames(value);
  const problem = serverTimingProblem(value);
  t.check(problem === undefined && names.includes('render') && names.length >= 2, {
    summary: problem ?? (names.includes('render') ? 'The response has only the metric the view set: yours is missing.' : 'The metric the /embed view set (render) is gone.'),
    expected: 'Server-Timing: render;dur=0.1, app;dur=0.8 (the view’s metric, then yours)',
    received: value === undefined ? '(no such header)' : `Server-Timing: ${value}`,
    hint: "headers.set replaces what a view put there; headers.append('Server-Timing', …) adds your metric to the list.",
  });
});

lesson.behaviour('logs one line per request with its method, path and status', async (t) => {
  const mark = t.server.output.length;
  const requests = [
    { method: 'GET', path: '/', status: 200 },
    { method: 'DELETE', path: `/nowhere-${hex()}`, status: 404 },
    { method: 'GET', path: '/me', status: 401 },
  ];
  for (const { method, path, status } of requests) t.expectStatus(await t.request({ method, path }), status);

  // Any punctuation may frame the words: "GET /me 401", "[GET] /me: 401 (0.4 ms)", or a JSON line
  // {"method":"GET","path":"/me","status":401}. None of these paths holds ":", "{" or the like.
  // Colours too, as morgan's "dev" format writes them ("GET /me \x1b[33m401\x1b[0m 0.4 ms"): a terminal shows the words.
  const plain = (line: string) => line.replace(/\x1b\[[0-9;]*m/g, '');
  const tokens = (line: string) => plain(line).split(/[\s"'`[\](){}<>=,:;|]+/);
  const logs = (r: (typeof requests)[number], line: string) => {
    const words = tokens(line);
    return words.includes(r.method) && words.includes(r.path) && words.includes(String(r.status));
  };
  const lines = await t.waitForOutput(mark, (printed) => requests.every((r) => printed.some((line) => logs(r, line))));
  for (const r of requests) {
    const found = lines.filter((line) => logs(r, line));
    t.check(found.length === 1, {
      summary: found.length ? `${found.length} log lines name ${r.method} ${r.path} ${r.status}; expected exactly one.` : `No log line names ${r.method} ${r.path} ${r.status}.`,
      expected: `one line such as "${r.method} ${r.path} ${r.status} 0.4ms"`,
      received: lines.length ? lines.join('\n') : '(your server printed nothing)',
      hint:
        r.status === 401
          ? 'A layer sees only what happens inside it: to log the 401s, timing must sit outside basicAuth.'
          : 'console.log once per request, after next(request) returned, when the status is known.',
    });
    // "0.4ms", "0.4 ms" (or in another unit: "0.4 msec", "0.0004s", "400µs" with a micro sign or a Greek mu),
    // or a number under a name that says what it is: "ms":0.4, durationMs=0.4.
    const line = plain(found[0]!);
    const duration = /\d(\.\d+)?\s?(ms|msecs?|millis|milliseconds?|s|secs?|seconds?|[µμ]s|us|microseconds?)(?![\w/])/i.test(line) || /\b(ms|\w+Ms|\w+_ms|[dD]uration\w*|elapsed\w*)["']?\s*[:=]\s*["']?\d/.test(line);
    t.check(duration, {
      summary: 'The log line does not say how long the request took.',
      expected: `a duration such as "0.4ms" in "${r.method} ${r.path} ${r.status} 0.4ms"`,
      received: found[0]!,
      hint: 'Use the same duration you put in Server-Timing, followed by "ms".',
    });
    // One line per request: not one more on the way in, before the status is known.
    const mentions = lines.filter((line) => {
      const words = tokens(line);
      return words.includes(r.method) && words.includes(r.path);
    });
    t.check(mentions.length === 1, {
      summary: `${mentions.length} log lines name ${r.method} ${r.path}, for one request; expected exactly one.`,
      expected: `one line such as "${r.method} ${r.path} ${r.status} 0.4ms"`,
      received: mentions.join('\n'),
      hint: 'Log once per request, on the way out, after next(request) returned: not also on the way in.',
    });
  }
});

// ---- authentication --------------------------------------------------------

lesson.behaviour('answers /me without credentials with 401 and a Basic challenge', async (t) => {
  const response = await t.request({ path: '/me', trace: true });
  expectChallenge(t, response, '401 means "who are you?"; 403 would mean "I know who you are, and no".');
  t.check(!t.lastTrace.some((e) => e.stage === 'view'), {
    summary: 'The /me view ran for a request without credentials.',
    expected: 'basicAuth answers the 401 itself, without calling next',
    received: 'a "view" stage in the trace below',
    hint: 'Return the 401 instead of calling next(request): the view must never run for a visitor who has not signed in.',
  });
});

lesson.behaviour('protects /me and the paths under it, and no others', async (t) => {
  const below = `/me/${hex()}`;
  expectChallenge(t, await t.request({ path: below }), `"${below}" is under "/me": isProtected(request.path, protectedPaths) says so.`);
  const [username, password] = pick(users);
  const signedIn = await t.request({ path: below, headers: { Authorization: basic(username, password) } });
  t.expectStatus(signedIn, 404, `Signed in, "${below}" goes on to the router, which has no such page.`);
  const beside = `/me${hex()}`;
  const other = await t.request({ path: beside });
  t.expectStatus(other, 404, `"${beside}" only starts with the letters "/me": it is not under /me, so nobody needs to sign in to get its 404. Use isProtected.`);
});

lesson.behaviour('answers /me with a wrong password, or an unknown user, with 401', async (t) => {
  // An unknown user with an empty password, and an empty user-id too: a lookup that falls back
  // to '' (users.get(name) ?? '') would find them "the same" as the password sent.
  const nobody: [string, string][] = [[`mallory-${hex(2)}`, ''], ['', '']];
  // A known user with another user's password, or with their own in another letter case or with a
  // space after it: each is a wrong password, for this user.
  const [known, password] = pick(users);
  const [, othersPassword] = pick(users.filter(([name]) => name !== known));
  const nearly: [string, string][] = [
    [known, othersPassword],
    [known, password.toUpperCase()],
    [known, `${password} `],
  ];
  // A user-id that is a known one in capitals, or with a space around it, with that user's own
  // password: USERS has no such user, so a lookup that lower-cases or trims the user-id lets them in.
  const lookAlikes: [string, string][] = [
    [known.toUpperCase(), password],
    [`${known} `, password],
    [` ${known}`, password],
  ];
  // A good sign-in first: it says nothing about the requests after it. A "signed in" flag kept outside
  // the handler lets the next visitor through to /me, whatever they send.
  t.expectStatus(await t.request({ path: '/me', headers: { Authorization: basic(known, password) }, show: curlUser(known, password) }), 200, `"${known}" with their own password signs in.`);
  const next = `${password}-${hex(2)}`;
  expectChallenge(
    t,
    await t.request({ path: '/me', headers: { Authorization: basic(known, next) }, show: curlUser(known, next) }),
    `The request before this one signed in as ${known}; this one sends a wrong password. Decide from each request's own Authorization header: keep nothing about a sign-in outside the handler (a variable declared in basicAuth, or at module level, is shared by every request).`,
  );
  for (const [user, pass] of [...wrongCredentials(pick(users), random), ...nobody, ...nearly, ...lookAlikes]) {
    const response = await t.request({ path: '/me', headers: { Authorization: basic(user, pass) }, show: curlUser(user, pass) });
    expectChallenge(
      t,
      response,
      users.some(([name]) => name === user)
        ? `Look the user up, then compare the password sent with that user's own password, exactly (letter case and spaces included), with samePassword: "${pass}" is not ${user}'s password. Anything else is 401.`
        : lookAlikes.some(([name]) => name === user)
          ? `"${user}" is not a user of USERS, though "${known}" is: look the user-id up exactly as it was sent (users.get(username)), without changing its letter case or trimming it.`
          : `"${user}:${pass}" names no user of USERS: a user that is not there signs nobody in, whatever the password (do not compare with a stand-in such as '').`,
    );
  }
});

lesson.behaviour('answers /me with the signed-in user when the credentials are right', async (t) => {
  // Every user of USERS, in random order: each one can sign in.
  for (const [username, password] of random.shuffle([...users])) {
    const response = await t.request({ path: '/me', headers: { Authorization: basic(username, password) }, show: curlUser(username, password) });
    t.expectStatus(response, 200, `"${username}" with password "${password}" is in USERS: decode the credentials and check them.`);
    const body = jsonBody(t, response);
    t.check(body.username === username, {
      summary: 'The /me view did not find the user who signed in.',
      expected: JSON.stringify({ username }),
      received: response.text,
      hint: "Put the user in the request for the view: request.state.set('user', { username }).",
    });
  }
});

lesson.behaviour('accepts the Basic scheme in any letter case', async (t) => {
  // Mixed case too: any case at all is Basic, not a list of the spellings you thought of.
  for (const scheme of ['basic', 'BASIC', pick(['bASIC', 'BaSiC', 'bAsIc', 'baSIC', 'BAsic'])]) {
    const [username, password] = pick(users);
    const value = basic(username, password).replace(/^Basic/, scheme);
    const response = await t.request({ path: '/me', headers: { Authorization: value } });
    t.expectStatus(response, 200, `"${scheme}" is the Basic scheme: scheme names are case-insensitive (RFC 9110, section 11.1). Compare it in lower case, or with a /i pattern.`);
    t.check(jsonBody(t, response).username === username, { summary: 'The /me view did not find the user who signed in.', expected: JSON.stringify({ username }), received: response.text });
  }
});

lesson.behaviour('accepts a password that contains colons', async (t) => {
  const [username, password] = users[1]!;
  const response = await t.request({ path: '/me', headers: { Authorization: basic(username, password) }, show: curlUser(username, password) });
  t.expectStatus(response, 200, `The user-id ends at the first colon; everything after it, "${password}", is the password (RFC 7617, section 2).`);
});

lesson.behaviour('decodes the credentials as UTF-8', async (t) => {
  const [username, password] = users[3]!;
  const response = await t.request({ path: '/me', headers: { Authorization: basic(username, password) }, show: curlUser(username, password) });
  t.expectStatus(response, 200, `charset="UTF-8" asks the client to send "${username}:${password}" as UTF-8 bytes: decode them with .toString('utf8'), not atob or latin1.`);
  const body = jsonBody(t, response);
  t.check(body.username === username, { summary: 'The username came out garbled.', expected: JSON.stringify({ username }), received: response.text });
});

lesson.behaviour('answers a malformed Authorization header with 401, never 500', async (t) => {
  const [username] = pick(users);
  const malformed = [
    'Basic !!!not-base64!!!',
    `Basic ${Buffer.from(username).toString('base64')}`, // no colon
    'Basic YWRh=', // padding in the wrong place: atob() throws on it
    'Basic',
    `Bearer ${hex(12)}`,
    // Another scheme, whose token happens to be valid Basic credentials: still not Basic.
    `Bearer ${basic(...pick(users)).slice('Basic '.length)}`,
    // A scheme that merely ends in "Basic", with valid credentials: the scheme is the whole first word.
    `NotBasic ${basic(...pick(users)).slice('Basic '.length)}`,
    // Schemes that merely start with "Basic", with valid credentials: "Basicx", and "Basic" glued to its token
    // with no space between them (RFC 9110, section 11.4: the scheme, then one or more spaces, then the credentials).
    `Basicx ${basic(...pick(users)).slice('Basic '.length)}`,
    `Basic${basic(...pick(users)).slice('Basic '.length)}`,
  ];
  // Valid base64 of bytes that are not UTF-8 ("\xff:\xfe…"): a user nobody has, never a crash.
  const notUtf8 = `Basic ${Buffer.from([0xff, 0x3a, 0xfe, ...Buffer.from(hex(2))]).toString('base64')}`;
  for (const value of [...malformed, notUtf8]) {
    const response = await t.request({ path: '/me', headers: { Authorization: value } });
    expectChallenge(
      t,
      response,
      value === notUtf8
        ? 'These bytes are not UTF-8. Buffer.from(token, "base64").toString("utf8") never throws (it turns them into U+FFFD); a fatal TextDecoder or decodeURIComponent throws, and the request becomes a 500.'
        : /^Basic\S/.test(value)
          ? `"${value.split(' ')[0]!.slice(0, 12)}…" is not the Basic scheme: the scheme is the whole first word, and one or more spaces separate it from the credentials. Compare that word with "basic" in lower case (not startsWith), or anchor a pattern on the space: /^Basic +/i.`
          : 'Whatever parseBasicAuth cannot read is "no credentials": return undefined rather than throw.',
    );
  }
});

lesson.behaviour('lets anonymous visitors, and signed-in ones, see the public page', async (t) => {
  const anonymous = await t.request({ path: '/' });
  t.expectStatus(anonymous, 200, 'Only PROTECTED_PATHS need credentials: let other requests through without them.');
  t.check(jsonBody(t, anonymous).user === null, { summary: 'An anonymous visitor was given a user.', expected: '"user": null', received: anonymous.text });
  const [username, password] = pick(users);
  const signedIn = await t.request({ path: '/', headers: { Authorization: basic(username, password) } });
  t.expectStatus(signedIn, 200);
  t.check(jsonBody(t, signedIn).user === username, {
    summary: 'Valid credentials on a public path did not sign the user in.',
    expected: JSON.stringify({ message: greeting, user: username }),
    received: signedIn.text,
    hint: "Set request.state's 'user' whenever the credentials are valid, on every path.",
  });
  const wrong = await t.request({ path: '/', headers: { Authorization: basic(username, `${password}-${hex(2)}`) } });
  t.expectStatus(wrong, 200, 'A wrong password on a public path is no user, not a 401: only PROTECTED_PATHS ask for credentials.');
  t.check(jsonBody(t, wrong).user === null, {
    summary: 'A visitor with a wrong password was signed in on the public page.',
    expected: '"user": null',
    received: wrong.text,
    hint: "Set request.state's 'user' only after samePassword said yes.",
  });
  // Credentials parseBasicAuth cannot read (another scheme, or no colon) are no credentials: on a public path, no user and no 401.
  for (const value of [`Bearer ${hex(12)}`, `Basic ${Buffer.from(username).toString('base64')}`]) {
    const unreadable = await t.request({ path: '/', headers: { Authorization: value } });
    t.expectStatus(unreadable, 200, `"Authorization: ${value}" holds no Basic credentials parseBasicAuth can read, which is the same as none: on a public path, let the request through to its view with no user. Only PROTECTED_PATHS answer 401.`);
    t.check(jsonBody(t, unreadable).user === null, { summary: 'A visitor whose Authorization header holds no readable credentials was given a user.', expected: '"user": null', received: unreadable.text });
  }
});

// ---- the order -------------------------------------------------------------

lesson.behaviour('checks the Host before timing: a refused request gets no Server-Timing', async (t) => {
  const { response } = await getWithHost(t, `evil-${hex()}.example`);
  t.expectStatus(response, 400);
  const value = header(response, 'Server-Timing');
  t.check(value === undefined, {
    summary: 'The 400 for a Host we do not serve went through timing.',
    expected: 'no Server-Timing header: timing sits inside the host check and never sees this request',
    received: `Server-Timing: ${value}`,
    hint: 'The host check is the first layer that reads the request; only securityHeaders, which never reads it, sits outside it.',
  });
});

lesson.behaviour('checks the Host before authentication: a bad Host gets 400, not 401', async (t) => {
  const { response } = await getWithHost(t, `evil-${hex()}.example`, { path: '/me' });
  t.expectStatus(
    response,
    400,
    'Middleware run in list order on the way in: put the host check before basicAuth, so a request for another site is refused before anyone asks it for a password.',
  );
});
