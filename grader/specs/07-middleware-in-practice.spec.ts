// Lesson 07: four middleware around a tiny site (the host check, security
// headers, timing and logging, HTTP Basic authentication) and the order they
// run in. Users, hosts and paths are random where a fixed answer could pass.
import { randomBytes, randomInt } from 'node:crypto';
import { handPort, shellQuote } from '../engine/format.ts';
import { gradeLesson, type Check } from '../engine/harness.ts';
import { header, type Received } from '../engine/response.ts';
import type { TraceEvent } from '../engine/server-process.ts';
import { formatTrace } from '../engine/trace-format.ts';

const lesson = gradeLesson(import.meta.url);

/** USERS in server.ts: one password has colons, one user and password are not ASCII. */
const users: [username: string, password: string][] = [
  ['ada', 'analytical-engine'],
  ['grace', 'cobol:1959:flow-matic'],
  ['alan', 'bombe-1940'],
  ['zoë', 'crème-brûlée'],
];

const hex = (bytes = 4) => randomBytes(bytes).toString('hex');
const pick = <T>(items: T[]): T => items[randomInt(items.length)]!;
const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
const curlUser = (username: string, password: string) => `curl -v -u ${shellQuote(`${username}:${password}`)} http://localhost:${handPort}/me`;

// ---- requests with a Host of our choosing ----------------------------------

interface HostOptions {
  path?: string;
  /** HTTP/1.0 may leave Host out; HTTP/1.1 may not (Node itself answers 400). */
  version?: '1.0' | '1.1';
}

/** GET with any Host (or none), over a raw socket, traced: undici always sends its own Host. */
async function getWithHost(t: Check, host: string | undefined, options: HostOptions = {}): Promise<{ response: Received; trace: TraceEvent[] }> {
  const { path = '/', version = '1.1' } = options;
  const id = `trace-${hex(8)}`;
  const lines = [`GET ${path} HTTP/${version}`, ...(host === undefined ? [] : [`Host: ${host}`]), 'User-Agent: roundtrip-grader', `X-Roundtrip-Trace: ${id}`];
  const { response } = await t.raw(lines.join('\r\n') + '\r\n\r\n');
  const exchange = t.lastExchange!;
  exchange.request.command =
    host === undefined
      ? `curl -v --http1.0 -H 'Host:' http://localhost:${handPort}${path}`
      : `curl -v -H ${shellQuote(`Host: ${host}`)} http://localhost:${handPort}${path}`;
  const trace = await t.server.traceOf(id);
  exchange.trace = formatTrace(trace);
  return { response: response!, trace };
}

// ---- what the answers must carry -------------------------------------------

const securityHeaders: [name: string, value: string][] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'same-origin'],
  ['X-Frame-Options', 'DENY'],
];

function expectSecurityHeaders(t: Check, response: Received, what: string, hint: string): void {
  const wrong = securityHeaders.filter(([name, value]) => header(response, name)?.toLowerCase() !== value.toLowerCase());
  t.check(wrong.length === 0, {
    summary: `The ${what} lacks ${wrong.map(([name]) => name).join(', ')} (or has the wrong value).`,
    expected: securityHeaders.map(([name, value]) => `${name}: ${value}`).join('\n'),
    received: securityHeaders.map(([name]) => `${name}: ${header(response, name) ?? '(missing)'}`).join('\n'),
    hint,
  });
}

function expectChallenge(t: Check, response: Received, hint: string): void {
  t.expectStatus(response, 401, hint);
  t.expectHeader(
    response,
    'WWW-Authenticate',
    /^Basic\s+realm="Roundtrip",\s*charset="UTF-8"$/i,
    'Every 401 must carry a challenge (RFC 9110, section 11.6.1): WWW-Authenticate: Basic realm="Roundtrip", charset="UTF-8".',
  );
}

function jsonBody(t: Check, response: Received): Record<string, unknown> {
  return t.expectJson<Record<string, unknown>>(response, {
    hint: 'The views answer with Response.json(…); did a middleware replace the response?',
  });
}

/** What is wrong with a Server-Timing value (W3C Server Timing, section 3), or undefined. */
function serverTimingProblem(value: string | undefined): string | undefined {
  if (value === undefined) return 'The response has no Server-Timing header.';
  const token = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
  const param = `${token}\\s*=\\s*(?:${token}|"(?:[^"\\\\]|\\\\.)*")`;
  const metricSyntax = new RegExp(`^${token}(?:\\s*;\\s*${param})*$`);
  const metrics = value.split(',').map((m) => m.trim());
  const bad = metrics.find((m) => !metricSyntax.test(m));
  if (bad !== undefined) return `"${bad}" is not a metric: a name, then optional ;name=value parameters.`;
  const durations = metrics.flatMap((m) => [...m.matchAll(/;\s*dur\s*=\s*([^;\s]+)/gi)].map((d) => d[1]!));
  if (!durations.length) return 'No metric has a dur=… parameter.';
  const badDuration = durations.find((d) => !/^\d+(\.\d+)?$/.test(d) || Number(d) > 60_000);
  if (badDuration !== undefined) return `dur=${badDuration} is not a plain number of milliseconds.`;
  return undefined;
}

// ---- the host check --------------------------------------------------------

lesson.behaviour('answers a request for an allowed host', async (t) => {
  const { response } = await getWithHost(t, 'localhost');
  t.expectStatus(response, 200, '"localhost" is in ALLOWED_HOSTS: does isAllowedHost accept an exact name?');
});

lesson.behaviour('rejects a Host it does not serve with 400, before the view runs', async (t) => {
  for (const host of [`evil-${hex()}.example`, `localhost.evil-${hex()}.example`]) {
    const { response, trace } = await getWithHost(t, host);
    t.expectStatus(response, 400, 'Answer 400 Bad Request when the Host is not in ALLOWED_HOSTS, as Django does for DisallowedHost.');
    t.check(!trace.some((e) => e.stage === 'view'), {
      summary: 'The view ran for a request whose Host is not allowed.',
      expected: 'the host check answers by itself, without calling next',
      received: 'a "view" stage in the trace below',
      hint: 'Return the 400 instead of calling next(request).',
    });
  }
  const { response } = await getWithHost(t, undefined, { version: '1.0' });
  t.expectStatus(response, 400, 'An HTTP/1.0 request may have no Host at all: headers.get("host") is then null, which is not an allowed host.');
});

lesson.behaviour('ignores the port and the letter case of the Host', async (t) => {
  for (const host of [`LocalHost:${randomInt(1024, 65536)}`, `127.0.0.1:${randomInt(1024, 65536)}`]) {
    const { response } = await getWithHost(t, host);
    t.expectStatus(response, 200, `"${host}" names an allowed host: strip the port (":${host.split(':')[1]}") and compare in lower case.`);
  }
});

lesson.behaviour("allows a leading-dot entry's domain and its subdomains, but no look-alikes", async (t) => {
  const allowed = [`${hex()}.roundtrip.test`, `api.${hex()}.roundtrip.test:8080`, 'roundtrip.test'];
  for (const host of allowed) {
    const { response } = await getWithHost(t, host);
    t.expectStatus(response, 200, `".roundtrip.test" allows roundtrip.test itself and every name ending in ".roundtrip.test", like "${host}".`);
  }
  const lookAlike = `${hex()}roundtrip.test`;
  const { response } = await getWithHost(t, lookAlike);
  t.expectStatus(response, 400, `"${lookAlike}" ends in "roundtrip.test" but is not a subdomain of it: keep the dot when you compare.`);
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

lesson.behaviour('keeps an X-Frame-Options header the view set itself', async (t) => {
  const response = await t.request({ path: '/embed' });
  t.expectStatus(response, 200);
  t.expectHeader(response, 'X-Frame-Options', 'SAMEORIGIN', 'The /embed view chose SAMEORIGIN: set a header only when the response has none (headers.has).');
  const others = securityHeaders.filter(([name]) => name !== 'X-Frame-Options');
  for (const [name, value] of others) t.expectHeader(response, name, new RegExp(`^${value}$`, 'i'));
});

// ---- timing and logging ----------------------------------------------------

lesson.behaviour('sends a well-formed Server-Timing header', async (t) => {
  for (const path of ['/', `/nowhere-${hex()}`]) {
    const response = await t.request({ path });
    t.expectStatus(response, path === '/' ? 200 : 404);
    const value = header(response, 'Server-Timing');
    const problem = serverTimingProblem(value);
    t.check(problem === undefined, {
      summary: problem ?? '',
      expected: 'Server-Timing: app;dur=1.23 (a name, then dur= a number of milliseconds, no unit)',
      received: value === undefined ? '(no such header)' : `Server-Timing: ${value}`,
      hint: 'Measure with performance.now() before and after next(request), and append `app;dur=${ms.toFixed(1)}`.',
    });
  }
});

lesson.behaviour('logs one line per request with its method, path and status', async (t) => {
  const mark = t.server.output.length;
  const requests = [
    { method: 'GET', path: '/', status: 200 },
    { method: 'DELETE', path: `/nowhere-${hex()}`, status: 404 },
    { method: 'GET', path: '/me', status: 401 },
  ];
  for (const { method, path, status } of requests) t.expectStatus(await t.request({ method, path }), status);

  const tokens = (line: string) => line.split(/[\s"'[\]()=,]+/);
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
    t.check(/\d(\.\d+)?\s?ms\b/.test(found[0]!), {
      summary: 'The log line does not say how long the request took.',
      expected: `a duration such as "0.4ms" in "${r.method} ${r.path} ${r.status} 0.4ms"`,
      received: found[0]!,
      hint: 'Use the same duration you put in Server-Timing, followed by "ms".',
    });
  }
});

// ---- authentication --------------------------------------------------------

lesson.behaviour('answers /me without credentials with 401 and a Basic challenge', async (t) => {
  const response = await t.request({ path: '/me' });
  expectChallenge(t, response, '401 means "who are you?"; 403 would mean "I know who you are, and no".');
});

lesson.behaviour('answers /me with a wrong password, or an unknown user, with 401', async (t) => {
  const [username, password] = pick(users);
  const attempts: [string, string][] = [
    [username, `${password}-${hex(2)}`],
    [username, ''],
    [`mallory-${hex(2)}`, password],
  ];
  for (const [user, pass] of attempts) {
    const response = await t.request({ path: '/me', headers: { Authorization: basic(user, pass) } });
    t.lastExchange!.request.command = curlUser(user, pass);
    expectChallenge(t, response, 'Look the user up, then compare the password with samePassword; anything else is 401.');
  }
});

lesson.behaviour('answers /me with the signed-in user when the credentials are right', async (t) => {
  const [username, password] = pick(users);
  const response = await t.request({ path: '/me', headers: { Authorization: basic(username, password) } });
  t.lastExchange!.request.command = curlUser(username, password);
  t.expectStatus(response, 200, `"${username}" with password "${password}" is in USERS: decode the credentials and check them.`);
  const body = jsonBody(t, response);
  t.check(body.username === username, {
    summary: 'The /me view did not find the user who signed in.',
    expected: JSON.stringify({ username }),
    received: response.text,
    hint: "Put the user in the request for the view: request.state.set('user', { username }).",
  });
});

lesson.behaviour('accepts a password that contains colons', async (t) => {
  const [username, password] = users[1]!;
  const response = await t.request({ path: '/me', headers: { Authorization: basic(username, password) } });
  t.lastExchange!.request.command = curlUser(username, password);
  t.expectStatus(response, 200, `The user-id ends at the first colon; everything after it, "${password}", is the password (RFC 7617, section 2).`);
});

lesson.behaviour('decodes the credentials as UTF-8', async (t) => {
  const [username, password] = users[3]!;
  const response = await t.request({ path: '/me', headers: { Authorization: basic(username, password) } });
  t.lastExchange!.request.command = curlUser(username, password);
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
  ];
  for (const value of malformed) {
    const response = await t.request({ path: '/me', headers: { Authorization: value } });
    expectChallenge(t, response, 'Whatever parseBasicAuth cannot read is "no credentials": return undefined rather than throw.');
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
    expected: JSON.stringify({ message: 'Hello from Roundtrip', user: username }),
    received: signedIn.text,
    hint: "Set request.state's 'user' whenever the credentials are valid, on every path.",
  });
});

// ---- the order -------------------------------------------------------------

lesson.behaviour('checks the Host before authentication: a bad Host gets 400, not 401', async (t) => {
  const { response } = await getWithHost(t, `evil-${hex()}.example`, { path: '/me' });
  t.expectStatus(
    response,
    400,
    'Middleware run in list order on the way in: put the host check before basicAuth, so a request for another site is refused before anyone asks it for a password.',
  );
});
