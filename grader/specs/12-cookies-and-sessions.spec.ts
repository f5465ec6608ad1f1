// Lesson 12: cookies and sessions. The grader plays a browser with a cookie
// jar: it reads the login form, logs in, follows the session cookie, tampers
// with it, and forges cookies of its own with SECRET_KEY (or another secret).
// Users, cookie names, values and dates are random where a fixed answer could pass.
import { createHmac } from 'node:crypto';
import { SECRET_KEY, users } from '../../provided/fixtures/12-cookies-and-sessions.ts';
import { type Check, decodeHtml, deletes, formToken, gradeLesson, header, type Received, redirectTarget, setCookie, type SetCookie, setCookies, showSetCookies, Visitor, wrongCredentials } from '../engine/harness.ts';

// node:http reads the requests: a behaviour's requests share connections (see LessonOptions.keepAlive).
const lesson = gradeLesson(import.meta.url, { keepAlive: true });
const { random } = lesson;

/** Django's SESSION_COOKIE_AGE, the sessions() default: two weeks. */
const sessionAge = 60 * 60 * 24 * 14;

const hex = (bytes = 4) => random.hex(bytes);
const pick = <T>(items: readonly T[]): T => items[random.int(0, items.length - 1)]!;
const now = () => Math.floor(Date.now() / 1000);
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const hmac = (value: string, secret: string) => createHmac('sha256', secret).update(value, 'utf8').digest('base64url');
/** A token shaped like the real ones (32 characters of base64url), that the server never gave out. */
const strangerToken = () => random.bytes(24).toString('base64url');

// ---- cookies as a browser sees them ------------------------------------------

/** The response must set no `name` cookie. */
function expectNoCookie(t: Check, response: Received, name: string, summary: string, hint: string): void {
  t.check(setCookie(response, name) === undefined, { summary, expected: `no Set-Cookie: ${name}=…`, received: showSetCookies(response), hint });
}

/** The csrfmiddlewaretoken of the page's form; a page without one fails as `missing` says. */
function requireFormToken(t: Check, page: Received, missing: { summary: string; expected: string; hint: string }): string {
  const token = formToken(page.text);
  t.check(token !== undefined, { ...missing, received: page.text.slice(0, 400) });
  return token!;
}

/** The response must set a new session cookie (not one that deletes it); when it does not, fail as `missing` says. */
function expectSessionCookie(t: Check, response: Received, missing: { summary: string; expected: string; hint: string }): void {
  const cookie = setCookie(response, 'sessionid');
  t.check(cookie !== undefined && !deletes(cookie), { ...missing, received: showSetCookies(response) });
}

// ---- the login journey -------------------------------------------------------

const csrfHint = 'The csrf middleware puts a well-formed csrftoken cookie (or none) in request.state as \'csrfToken\'; getCsrfToken() in the view makes one if there is none; on the way out, the middleware sets the cookie when the token is new.';

/** GET /login: the form's token, after checking that the csrftoken cookie holds the same one. */
async function openLoginForm(t: Check, browser: Visitor): Promise<string> {
  const response = await browser.send({ path: '/login' });
  t.expectStatus(response, 200, 'GET /login shows the login form. Your server output below may say what went wrong.');
  const token = requireFormToken(t, response, {
    summary: 'The login form has no csrfmiddlewaretoken field.',
    expected: '<input type="hidden" name="csrfmiddlewaretoken" value="…">',
    hint: 'loginPage() puts csrfField(request) in the form: is the page the one server.ts provides?',
  });
  t.check(browser.jar.get('csrftoken') === token, {
    summary: browser.jar.has('csrftoken') ? 'The csrftoken cookie and the token in the form differ.' : 'GET /login set no csrftoken cookie.',
    expected: `Set-Cookie: csrftoken=${token}; Path=/; Max-Age=31449600; SameSite=Lax`,
    received: showSetCookies(response),
    hint: csrfHint,
  });
  return token;
}

/**
 * GET /login, then POST /login with the form's token (and, when given, a "next" in the query and in the form).
 * The fields go in the order a browser sends them, the page's (the token first, as loginPage writes it), or
 * `reversed`: a form is read by the names of its fields, never by their places.
 */
async function logIn(t: Check, browser: Visitor, [username, password]: [string, string], next?: { query: string; field: string }, reversed = false): Promise<Received> {
  const token = await openLoginForm(t, browser);
  const path = next ? `/login?${new URLSearchParams({ next: next.query })}` : '/login';
  const fields: [string, string][] = [['csrfmiddlewaretoken', token], ['username', username], ['password', password], ...(next ? [['next', next.field] as [string, string]] : [])];
  return browser.send({ path, form: Object.fromEntries(reversed ? fields.reverse() : fields) });
}

/** Logs in and checks that it worked: 303 See Other and a session cookie. */
async function signedIn(t: Check, browser: Visitor, user: [string, string], next?: { query: string; field: string }, reversed = false): Promise<Received> {
  const response = await logIn(t, browser, user, next, reversed);
  t.expectStatus(
    response,
    303,
    response.status === 403
      ? 'The csrf middleware refused a form that carried the right token: compare requestToken(request) with the csrftoken cookie.'
      : `"${user[0]}" with the password "${user[1]}" is in USERS: read each field by its name (form.get('username'), form.get('password')), never by its place, since a browser sends them in the page's order, the CSRF token first; check the password, start the session, and redirect with 303 See Other.`,
  );
  expectSessionCookie(t, response, {
    summary: 'The login answered 303 but set no session cookie.',
    expected: 'Set-Cookie: sessionid=<payload>:<timestamp>:<signature>; Path=/; Max-Age=1209600; HttpOnly; SameSite=Lax',
    hint: "The view sets 'username' in the session, which marks it modified; on the way out, the sessions middleware must then append the Set-Cookie.",
  });
  return response;
}

/** The hosts this server answers to, as a URL's hostname spells them. */
const ourHosts = ['localhost', '127.0.0.1', '[::1]'];

/** Where a redirect sends the browser (see redirectTarget), when that is a web page: http or https. */
function pageTarget(response: Received, from: string): URL | undefined {
  const url = redirectTarget(response, from);
  return url?.protocol === 'http:' || url?.protocol === 'https:' ? url : undefined;
}

/** The host a redirect leads to when that is another site ("//evil.example/…" and "/\\evil.example/…" are), else undefined. */
function offSite(response: Received, from: string): string | undefined {
  const url = redirectTarget(response, from);
  return url !== undefined && !ourHosts.includes(url.hostname) ? url.host || url.href : undefined;
}

/** Whether a redirect leads to a web page on this site (any path). */
function staysOnSite(response: Received, from: string): boolean {
  const url = pageTarget(response, from);
  return url !== undefined && ourHosts.includes(url.hostname);
}

/** A "next" as the report shows it: a tab as \\t. */
const visible = (next: string) => next.replaceAll('\t', '\\t');

/**
 * Where a login or logout might be told to go next, on another site, and a browser leaves the site for each:
 * "//host" and "/\\host" name a host, and a URL parser drops every tab and line break first, so "/<tab>/host" is "//host".
 */
const offSiteTargets = (path: string) => {
  const host = `evil-${random.hex(2)}.example`;
  return [`//${host}${path}`, `/\\${host}${path}`, `https://${host}${path}`, `/\t/${host}${path}`];
};

/** The redirect must not leave this site, whatever "next" the request carried (`sent` says which). */
function expectOnSite(t: Check, response: Received, from: string, path: string, sent: string): void {
  const away = offSite(response, from);
  t.check(away === undefined, {
    summary: `The answer to POST ${from} redirected to another site, ${away}: an open redirect.`,
    expected: `Location: ${path}`,
    received: `Location: ${header(response, 'Location') ?? '(none)'}\n(${sent})`,
    hint: openRedirectHint(path),
  });
}

const openRedirectHint = (path: string) =>
  `Redirect to ${path} itself, whatever the request carries: a "next" taken from the query or the form is an open redirect, even one checked with startsWith("/"), since a browser reads "//evil.example/" and "/\\evil.example/" as another site, and "/<tab>/evil.example/" too (URL parsers drop tabs and line breaks before they read the rest). (Django's LoginView follows next only when url_has_allowed_host_and_scheme() allows it.)`;

/** The redirect leads to `path` itself, with no query (a fragment names a place in the page, not another page). */
const redirectsTo = (response: Received, from: string, path: string) => {
  const url = pageTarget(response, from);
  return url !== undefined && ourHosts.includes(url.hostname) && url.pathname === path && url.search === '';
};

// Temporary redirects only: a browser keeps a 301 or 308 and would skip /account for good, even after the login.
// Every redirect to /login answers GET /account; a query (?next=/account) may follow.
const redirectsToLogin = (response: Received) => {
  const url = pageTarget(response, '/account');
  return [302, 303, 307].includes(response.status) && url !== undefined && ourHosts.includes(url.hostname) && url.pathname === '/login';
};

/** GET /account with only this session cookie value. */
function accountWith(t: Check, session: string): Promise<Received> {
  return t.request({ path: '/account', headers: { Cookie: `sessionid=${session}` } });
}

function expectLoggedOut(t: Check, response: Received, what: string, hint: string): void {
  t.check(response.status < 500, {
    summary: `Your server answered ${response.status} to GET /account with ${what}.`,
    expected: 'a redirect to /login, as for any visitor without a session',
    received: response.statusLine,
    hint: 'A cookie comes from the client, so it may hold anything: loads() must return undefined for whatever it cannot verify or read, never throw.',
  });
  t.check(redirectsToLogin(response), {
    summary: response.status === 200 ? `GET /account with ${what} was let in.` : [301, 308].includes(response.status) ? `GET /account with ${what} was redirected for good (${response.status}), not for this once.` : `GET /account with ${what} did not redirect to /login.`,
    expected: '302 Found, Location: /login (the visitor has no session)',
    received: `${response.statusLine}${header(response, 'location') ? `\nLocation: ${header(response, 'location')}` : ''}`,
    hint: [301, 308].includes(response.status) ? "A permanent redirect is cached: the browser would go straight to /login for every later visit to /account, signed in or not. Use Response.redirect('/login', 302)." : hint,
  });
}

function expectLoggedIn(t: Check, response: Received, username: string, hint: string): void {
  t.expectStatus(response, 200, hint);
  // As a browser shows it: "zoë" may be escaped as "zo&euml;" or "zo&#235;".
  t.check(decodeHtml(response.text).includes(username), {
    summary: 'The account page does not name the signed-in user.',
    expected: `a page that says "Signed in as ${username}"`,
    received: response.text.slice(0, 400),
    hint: "Read the username with getSession(request).get('username'), and show it escaped.",
  });
}

/** The three parts of a session cookie, and its payload decoded. */
function splitSession(t: Check, value: string): { payload: string; stamp: string; signature: string; data: Record<string, unknown> } {
  const parts = value.split(':');
  const [payload = '', stamp = '', signature = ''] = parts;
  const data = payloadData(payload);
  t.check(parts.length === 3 && /^[A-Za-z0-9_-]+$/.test(payload) && /^\d+$/.test(stamp) && typeof data === 'object' && data !== null, {
    summary: /[+/=]/.test(payload)
      ? 'The session cookie\'s payload is base64, not base64url (no "+", "/" or "=" padding).'
      : 'The session cookie is not <payload>:<timestamp>:<signature>.',
    expected: 'sessionid=eyJ1c2VybmFtZSI6ImFkYSJ9:1764025798:<43 characters>: the data as base64url JSON, the time in seconds, the signature',
    received: `sessionid=${value}`,
    hint: 'dumps() signs "<base64url of the JSON>:<Math.floor(now / 1000)>" (Buffer …toString(\'base64url\')), and sign() appends ":" and the signature.',
  });
  return { payload, stamp, signature, data: data as Record<string, unknown> };
}

/** The JSON in a session cookie's payload (base64url), or undefined when it is none. */
function payloadData(payload: string): unknown {
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The data of a session cookie's payload, read without checking it ({} when it is not a JSON object). */
function payloadOf(value: string): Record<string, unknown> {
  const data = payloadData(value.split(':')[0] ?? '');
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
}

/** A session cookie as dumps() makes it, signed by the grader. */
function forge(data: Record<string, unknown>, options: { secret?: string; issued?: number } = {}): string {
  const value = `${b64(JSON.stringify(data))}:${options.issued ?? now() - 60}`;
  return `${value}:${hmac(value, options.secret ?? SECRET_KEY)}`;
}

/** A cookie signed with SECRET_KEY around any payload text and timestamp. */
function forgeRaw(payloadText: string, stamp: string = String(now() - 60)): string {
  const value = `${b64(payloadText)}:${stamp}`;
  return `${value}:${hmac(value, SECRET_KEY)}`;
}

/** The text with every letter in the other case: a different token, unless it has no letters. */
const swapCase = (text: string) => text.replace(/[a-z]/gi, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));

const base64urlAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The base64url character whose value differs from c's in the lowest bit only: the last of 43 characters decodes to the same 32 bytes either way. */
const unusedBitsFlipped = (c: string) => base64urlAlphabet[(base64urlAlphabet.indexOf(c) ^ 1) & 63]!;

/** Another base64url character at position i. */
const flip = (text: string, i: number) => text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);

function noView(t: Check, what: string): void {
  const ran = t.lastTrace.some((e) => e.stage === 'view');
  t.check(!ran, {
    summary: `The view ran for ${what}.`,
    expected: 'the csrf middleware answers 403 by itself, without calling next',
    received: 'a "view" stage in the trace below',
    hint: 'Return forbidden(reason) instead of calling next(request).',
  });
}

// ---- serializeCookie, through the cookie lab ------------------------------------

function labPath(params: Record<string, string>, flags: string[] = []): string {
  const query = new URLSearchParams(params);
  for (const flag of flags) query.set(flag, '');
  return `/cookie-lab?${query}`;
}

async function labCookie(t: Check, path: string, hint: string): Promise<SetCookie> {
  const response = await t.request({ path });
  t.expectStatus(response, 200, hint);
  const cookies = setCookies(response);
  t.check(cookies.length === 1, {
    summary: `The cookie lab sent ${cookies.length} Set-Cookie headers; expected one.`,
    expected: 'one Set-Cookie header, the one serializeCookie() wrote',
    received: showSetCookies(response),
    hint: 'Return one string; server.ts appends it.',
  });
  return cookies[0]!;
}

function expectAttribute(t: Check, cookie: SetCookie, name: string, value: string, hint: string, caseInsensitive = false): void {
  const got = cookie.attributes.get(name.toLowerCase());
  const same = got !== undefined && (caseInsensitive ? got.toLowerCase() === value.toLowerCase() : got === value);
  t.check(same, {
    summary: got === undefined ? `The cookie has no ${name} attribute.` : `The ${name} attribute is not right.`,
    expected: value === '' ? `…; ${name}` : `…; ${name}=${value}`,
    received: `Set-Cookie: ${cookie.line}`,
    hint,
  });
}

lesson.behaviour('writes Set-Cookie with the name, the value and each attribute asked for', async (t) => {
  const name = `pref_${hex(2)}`;
  const value = `v-${hex(4)}`;
  const path = `/p${hex(2)}`;
  const domain = `d${hex(2)}.example`;
  const maxAge = random.int(60, 999999);
  const sameSite = pick(['Strict', 'Lax', 'None']);
  const cookie = await labCookie(
    t,
    labPath({ name, value, path, domain, 'max-age': String(maxAge), 'same-site': sameSite }, ['http-only', 'secure']),
    'The cookie lab calls serializeCookie() with the options from the query string; your server output below may say what went wrong.',
  );
  t.check(cookie.name === name && cookie.value === value, {
    summary: 'The cookie does not start with name=value.',
    expected: `${name}=${value}; …`,
    received: `Set-Cookie: ${cookie.line}`,
    hint: 'The header value begins with the name, "=" and the value, with nothing around them.',
  });
  expectAttribute(t, cookie, 'Path', path, 'Path=<options.path>: the browser sends the cookie back only for paths under it.');
  expectAttribute(t, cookie, 'Domain', domain, 'Domain=<options.domain>: the browser then sends the cookie to subdomains too.');
  expectAttribute(t, cookie, 'Max-Age', String(maxAge), 'Max-Age=<options.maxAge>, a whole number of seconds.');
  expectAttribute(t, cookie, 'HttpOnly', '', 'httpOnly: true adds the flag HttpOnly, with no value.');
  expectAttribute(t, cookie, 'Secure', '', 'secure: true adds the flag Secure, with no value.');
  expectAttribute(t, cookie, 'SameSite', sameSite, 'SameSite=<options.sameSite>.', true);

  for (const each of ['Strict', 'Lax', 'None']) {
    const withSameSite = await labCookie(t, labPath({ name, value, 'same-site': each }, ['secure']), `SameSite=${each} (with Secure) is one of the three values serializeCookie() accepts.`);
    expectAttribute(t, withSameSite, 'SameSite', each, `SameSite=${each}, with Secure, is one of the three values.`, true);
  }

  const plain = await labCookie(t, labPath({ name, value }), 'A cookie with no options is just name=value.');
  t.check(plain.line.trim() === `${name}=${value}`, {
    summary: 'A cookie without options came back with attributes nobody asked for.',
    expected: `Set-Cookie: ${name}=${value}`,
    received: `Set-Cookie: ${plain.line}`,
    hint: 'Add each attribute only when its option is given (and, for HttpOnly and Secure, true).',
  });

  // Every character a token may hold in the name, and every cookie-octet punctuation in the value ("=" included): all allowed.
  const tokenName = `n!#$%&'*+-.^_\`|~${hex(2)}`;
  const octetValue = `v!#$%&'()*+-./:<=>?@[]^_\`{|}~${hex(2)}`;
  const unusual = await labCookie(t, labPath({ name: tokenName, value: octetValue }), 'A name made of token characters and a value made of cookie-octets are both allowed: serializeCookie() must not refuse them.');
  t.check(unusual.name === tokenName && unusual.value === octetValue, {
    summary: 'A cookie whose name and value use only allowed characters did not come back as name=value.',
    expected: `Set-Cookie: ${tokenName}=${octetValue}`,
    received: `Set-Cookie: ${unusual.line}`,
    hint: 'The name may use every token character (letters, digits and !#$%&\'*+-.^_`|~), the value every printable ASCII character except space, ", comma, ; and \\ ("=" and "/" included): check against those sets, no stricter.',
  });
});

lesson.behaviour('writes Expires as an HTTP date in GMT', async (t) => {
  const when = new Date(Date.UTC(random.int(2030, 2049), random.int(0, 11), random.int(1, 28), random.int(0, 23), random.int(0, 59), random.int(0, 59)));
  const cookie = await labCookie(t, labPath({ name: `c${hex(2)}`, value: hex(3), expires: when.toISOString() }), 'The cookie lab calls serializeCookie() with { expires: new Date(…) }.');
  expectAttribute(
    t,
    cookie,
    'Expires',
    when.toUTCString(),
    'Expires takes an HTTP date (RFC 9110\'s IMF-fixdate) such as "Tue, 01 Jan 2030 00:00:00 GMT": Date.prototype.toUTCString() writes exactly that.',
  );
});

lesson.behaviour('refuses cookie names and values that would break the header, with 400', async (t) => {
  const name = `c${hex(2)}`;
  const value = hex(3);
  const cases: [why: string, params: Record<string, string>, flags?: string[]][] = [
    ['a name with a space', { name: 'na me', value }],
    ['a name with ";"', { name: 'na;me', value }],
    ['a name with "="', { name: 'na=me', value }],
    ['an empty name', { name: '', value }],
    // Separators that a cookie value may hold but a token may not, and a letter outside ASCII.
    ['a name with "@"', { name: 'na@me', value }],
    ['a name with "(" and ")"', { name: 'na(me)', value }],
    ['a name with "/" and ":"', { name: 'na/m:e', value }],
    // The one separator that [+-.], a "-" left unescaped in a character class, lets in.
    ['a name with ","', { name: 'na,me', value }],
    // Every other delimiter of RFC 9110 (section 5.6.2): a token is what the name may hold, not a list of what it may not.
    ...[...'"<>?[]{}\\'].map((c): [string, Record<string, string>] => [`a name with ${c === '"' ? 'a double quote' : `"${c}"`}`, { name: `na${c}me`, value }]),
    ['a name with a non-ASCII character', { name: 'café', value }],
    ['a value with a space', { name, value: `${value} x` }],
    ['a value with ";"', { name, value: `${value};Domain=evil.example` }],
    ['a value with ","', { name, value: `${value},x` }],
    ['a value with a double quote', { name, value: `${value}"` }],
    ['a value with a backslash', { name, value: `${value}\\` }],
    ['a value with a non-ASCII character', { name, value: `café-${value}` }],
    ['a value with a tab', { name, value: `${value}\tx` }],
    ['a value with a control character (DEL)', { name, value: `${value}\x7f` }],
    ['a value with a control character (U+0001)', { name, value: `${value}\x01` }],
    ['a Path with ";"', { name, value, path: '/a;HttpOnly' }],
    ['a Domain with ";"', { name, value, domain: 'example.com;Secure' }],
    ['SameSite=None without Secure', { name, value, 'same-site': 'None' }],
    // Refused either way: as a SameSite value other than the three, or as None without Secure in another letter case.
    ['SameSite=none, in lower case, without Secure', { name, value, 'same-site': pick(['none', 'NONE', 'nOne']) }],
    ['a SameSite that is not Strict, Lax or None', { name, value, 'same-site': pick(['Sometimes', 'Loose', 'Any']) }, ['secure']],
    ['an invalid Expires date', { name, value, expires: pick(['soon', 'never', 'someday', '2030-13-45']) }],
  ];
  for (const [why, params, flags] of cases) {
    const response = await t.request({ path: labPath(params, flags) });
    t.check(response.status === 400 && setCookies(response).length === 0, {
      summary: `The cookie lab accepted ${why}.`,
      expected: '400 Bad Request (serializeCookie throws a TypeError), and no Set-Cookie',
      received: `${response.statusLine}\n${showSetCookies(response)}`,
      hint:
        why.startsWith('SameSite=None') || why.startsWith('SameSite=none')
          ? 'Browsers drop a SameSite=None cookie that is not Secure (RFC 6265bis), and read the value in any letter case: throw a TypeError for None without Secure, however it is written (or refuse any SameSite but Strict, Lax and None exactly).'
          : why.startsWith('a SameSite') || why.startsWith('an invalid Expires')
            ? 'SameSite is Strict, Lax or None, and Expires a real date (new Date("soon") is an Invalid Date, whose getTime() is NaN): throw a TypeError rather than write "SameSite=Loose" or "Expires=Invalid Date".'
            : why.startsWith('a Path') || why.startsWith('a Domain')
            ? 'A ";" in Path or Domain would start another attribute: throw a TypeError for it.'
            : why === 'a name with ","'
            ? 'A comma is no token character (RFC 9110, section 5.6.2). In a regular-expression class, a "-" between two characters makes a range: [*+-.^] holds "+", ",", "-" and "." all four. Escape it (\\-) or put it last.'
            : 'Check the name against RFC 9110\'s token characters and the value against RFC 6265\'s cookie-octet (printable ASCII except space " , ; and \\); throw a TypeError otherwise.',
    });
  }
});

lesson.behaviour('refuses a Max-Age that is not a whole number of seconds, 0 or more, with 400', async (t) => {
  const name = `c${hex(2)}`;
  const value = hex(3);
  const cases: [why: string, maxAge: string][] = [
    ['a negative Max-Age', String(-random.int(1, 99999))],
    ['a Max-Age with a fraction', `${random.int(1, 999)}.5`],
    ['a Max-Age that is not a number', `soon${hex(1)}`],
    ['an infinite Max-Age', 'Infinity'],
  ];
  for (const [why, maxAge] of cases) {
    const response = await t.request({ path: labPath({ name, value, 'max-age': maxAge }) });
    t.check(response.status === 400 && setCookies(response).length === 0, {
      summary: `The cookie lab accepted ${why} (max-age=${maxAge}).`,
      expected: '400 Bad Request (serializeCookie throws a TypeError), and no Set-Cookie',
      received: `${response.statusLine}\n${showSetCookies(response)}`,
      hint: 'Max-Age is a whole number of seconds, 0 or more (Number.isInteger, and not below 0): throw a TypeError for anything else rather than write "Max-Age=NaN" or "Max-Age=-5".',
    });
  }
  const zero = await labCookie(t, labPath({ name, value, 'max-age': '0' }), 'Max-Age=0 is allowed: it is how a cookie is deleted (expiredCookie uses it).');
  expectAttribute(t, zero, 'Max-Age', '0', 'Max-Age=0 is allowed: it is how a cookie is deleted (expiredCookie uses it).');
});

// ---- logging in ---------------------------------------------------------------

lesson.behaviour('logs in with the right password: 303 See Other to /account, and a session cookie', async (t) => {
  // Every user in USERS, in a random order: each one's password works. Each login also carries a "next"
  // leading to another site, in the query and in the form (two different ones): the login still goes to /account.
  const elsewhere = offSiteTargets('/account');
  for (const [i, [username, password]] of random.shuffle([...users]).entries()) {
    const browser = new Visitor(t);
    const next = { query: elsewhere[i % elsewhere.length]!, field: elsewhere[(i + 1) % elsewhere.length]! };
    // Every other login sends its fields in the reverse order: which field is which, only their names say.
    const response = await signedIn(t, browser, [username, password], next, i % 2 === 1);
    const away = offSite(response, '/login');
    // A "next" with a tab is another site as a browser reads it, but a path to a server that percent-encodes it
    // (encodeURI gives "/%09/evil.example/account", a page on this site): for it, only leaving the site is wrong.
    const tabbed = next.query.includes('\t') || next.field.includes('\t');
    t.check(redirectsTo(response, '/login', '/account') || (tabbed && staysOnSite(response, '/login')), {
      summary: away ? `The login redirected to another site, ${away}: an open redirect.` : 'The login did not redirect to the account page.',
      expected: `Location: /account (or a URL that leads there from /login, on this site${tabbed ? '; or, for a "next" with a tab that is percent-encoded, a path on this site' : ''})`,
      received: `Location: ${header(response, 'Location') ?? '(none)'}\n(the POST was to /login?next=${visible(next.query)}, with next=${visible(next.field)} in the form)`,
      hint: away ? openRedirectHint('/account') : 'Redirect to the account page: Response.redirect(\'/account\', 303). A relative Location is resolved against the URL of the POST, so it must lead to /account from /login.',
    });
    const page = await browser.send({ path: '/account' });
    expectLoggedIn(t, page, username, 'With the cookie the login set, GET /account must find the user in the session.');
  }
});

lesson.behaviour('starts a clean session at login: nothing from the session before it carries over', async (t) => {
  const browser = new Visitor(t);
  const [username, password] = pick(users);
  const [other] = pick(users.filter(([u]) => u !== username));
  // A session from before the login: one the server wrote (a theme), then one an
  // attacker could have planted in this browser, signed like any other.
  const token = await openLoginForm(t, browser);
  const themed = await browser.send({ path: '/theme', form: { theme: 'dark', csrfmiddlewaretoken: token } });
  t.expectStatus(themed, 303, 'POST /theme (with the CSRF token) sets the theme in the session and redirects.');
  const planted = `planted_${hex(3)}`;
  const before = [
    ['the theme chosen before the login', browser.jar.get('sessionid') ?? forge({ theme: 'dark' })],
    [`a session planted for "${other}"`, forge({ username: other, theme: 'dark', [planted]: hex(4) })],
  ] as const;
  for (const [what, value] of before) {
    browser.jar.set('sessionid', value);
    const response = await signedIn(t, browser, [username, password]);
    const after = setCookie(response, 'sessionid')!.value;
    const { data } = splitSession(t, after);
    // Keys of the session from before the login carried over (a key the server adds at login, a login time say, is its own business).
    const old = payloadOf(value);
    const kept = Object.keys(data).filter((key) => key !== 'username' && Object.hasOwn(old, key));
    t.check(after !== value && data.username === username && kept.length === 0, {
      summary:
        after === value
          ? `After a login over ${what}, the browser kept the same session cookie.`
          : `After a login over ${what}, the new session still holds ${kept.length ? kept.join(', ') : `the username "${String(data.username)}"`}.`,
      expected: `a new session cookie whose data is {"username":"${username}"}`,
      received: `before: sessionid=${value}\nafter:  sessionid=${after}\ndata:   ${JSON.stringify(data)}`,
      hint: "Start the session afresh at login: session.flush(), then set('username', …). Anything from before the login may come from someone else (session fixation); Django's login() flushes or cycles the session for the same reason.",
    });
  }
});

lesson.behaviour('marks the session cookie HttpOnly, SameSite=Lax and Path=/, for two weeks', async (t) => {
  const browser = new Visitor(t);
  const response = await signedIn(t, browser, pick(users));
  const cookie = setCookie(response, 'sessionid')!;
  expectAttribute(t, cookie, 'HttpOnly', '', 'HttpOnly keeps the session away from JavaScript, so a script injected into a page cannot steal it (SESSION_COOKIE_HTTPONLY).');
  expectAttribute(t, cookie, 'SameSite', 'Lax', 'SameSite=Lax keeps the cookie off requests that other sites start, except top-level links (SESSION_COOKIE_SAMESITE).', true);
  expectAttribute(t, cookie, 'Path', '/', 'Path=/ sends the session with every page of the site.');
  expectAttribute(t, cookie, 'Max-Age', String(sessionAge), 'Max-Age=1209600: two weeks, Django\'s SESSION_COOKIE_AGE, the maxAge option\'s default.');
  expectHostOnly(t, cookie);
  t.check(!cookie.attributes.has('secure'), {
    summary: 'The session cookie is Secure, though sessions(SECRET_KEY) did not ask for it.',
    expected: 'Set-Cookie: sessionid=…; Path=/; Max-Age=1209600; HttpOnly; SameSite=Lax (no Secure)',
    received: `Set-Cookie: ${cookie.line}`,
    hint: 'secure defaults to false, like Django\'s SESSION_COOKIE_SECURE: this site is served over plain HTTP, and a browser may keep a Secure cookie away from it. Production turns it on with sessions(secret, { secure: true }).',
  });
  // The session saved again, by a browser that already has the cookie: a Set-Cookie replaces the cookie and all
  // its attributes (RFC 6265, section 5.3), so one without HttpOnly leaves the session readable by scripts.
  const theme = await browser.send({ path: '/theme', form: { theme: pick(['dark', 'light']), csrfmiddlewaretoken: browser.jar.get('csrftoken') ?? '' } });
  t.expectStatus(theme, 303, 'POST /theme (with the CSRF token) sets the theme in the session and redirects.');
  const again = setCookie(theme, 'sessionid');
  t.check(again !== undefined && !deletes(again), {
    summary: 'POST /theme changed the session of a signed-in browser, but no session cookie came back.',
    expected: 'Set-Cookie: sessionid=…; Path=/; Max-Age=1209600; HttpOnly; SameSite=Lax',
    received: showSetCookies(theme),
    hint: 'Whenever a view changes the session, the middleware writes the cookie on the way out.',
  });
  const resaved = 'The session cookie written again for a browser that already has one replaces it whole, attributes included (RFC 6265, section 5.3): send HttpOnly, SameSite=Lax, Path=/ and Max-Age every time, not only on the first cookie.';
  expectAttribute(t, again!, 'HttpOnly', '', resaved);
  expectAttribute(t, again!, 'SameSite', 'Lax', resaved, true);
  expectAttribute(t, again!, 'Path', '/', resaved);
  expectAttribute(t, again!, 'Max-Age', String(sessionAge), resaved);
  expectHostOnly(t, again!);
});

/** No Domain: the session goes back to this host only. */
function expectHostOnly(t: Check, cookie: SetCookie): void {
  t.check(!cookie.attributes.has('domain'), {
    summary: 'The session cookie has a Domain attribute, though nobody asked for one.',
    expected: 'Set-Cookie: sessionid=…; Path=/; Max-Age=1209600; HttpOnly; SameSite=Lax (no Domain)',
    received: `Set-Cookie: ${cookie.line}`,
    hint: "Without Domain, a browser sends the cookie back to this exact host only (RFC 6265, section 4.1.2.3); with Domain=…, to every subdomain as well, so any of them receives the session. Leave it out, as Django's SESSION_COOKIE_DOMAIN = None does.",
  });
}

lesson.behaviour('refuses a wrong password or an unknown user without starting a session', async (t) => {
  const [username, password] = pick(users);
  const [, otherPassword] = pick(users.filter(([u]) => u !== username));
  const attempts: [user: string, pass: string | undefined][] = [
    ...wrongCredentials([username, password], random),
    // Another user's password is as wrong as any other.
    [username, otherPassword],
    // An unknown user has no password to match, not an empty one.
    [`mallory-${hex(2)}`, ''],
    // A form without a password field: a wrong password, never a crash (undefined means no field).
    [username, undefined],
  ];
  for (const [user, pass] of attempts) {
    const browser = new Visitor(t);
    const token = await openLoginForm(t, browser);
    const response = await browser.send({ path: '/login', form: { username: user, ...(pass === undefined ? {} : { password: pass }), csrfmiddlewaretoken: token } });
    const tried = pass === undefined ? 'no password field at all' : `the password "${pass}"`;
    t.check([200, 400, 422].includes(response.status), {
      summary: response.status === 303 ? `The login let "${user}" in with ${tried}.` : `The failed login ("${user}" with ${tried}) answered ${response.status}.`,
      expected: '200, the login form again with an error (as Django\'s LoginView does)',
      received: response.statusLine,
      hint:
        response.status >= 500
          ? "A form may lack a field: form.get('password') is then null, so pass form.get('password') ?? '' to checkPassword, which refuses it like any wrong password."
          : response.status === 401
            ? 'A 401 must carry a WWW-Authenticate challenge (RFC 9110, section 15.5.2), and a form login has none to give: answer the form again with its error, loginPage(request, error), a 200.'
            : "Look the user up and compare the password with checkPassword(username, password), this user's own password; when it fails, answer loginPage(request, error).",
    });
    // A form without a password field may also be refused as malformed, with a 400 of its own.
    t.check(response.text.includes('class="error"') || (pass === undefined && response.status === 400), {
      summary: 'The failed login answered without an error message.',
      expected: 'the login form again, with <p class="error">…</p> saying the username and password do not match',
      received: response.text.slice(0, 400),
      hint: 'Pass the message to loginPage(request, error): without one, the form comes back as if nothing had happened.',
    });
    const cookie = setCookie(response, 'sessionid');
    t.check(cookie === undefined || deletes(cookie), {
      summary: 'A failed login set a session cookie.',
      expected: 'no Set-Cookie: sessionid=…',
      received: showSetCookies(response),
      hint: 'Touch the session only after the password is right.',
    });
    expectLoggedOut(t, await browser.send({ path: '/account' }), 'the cookies of a failed login', 'A failed login must leave the visitor without a session.');
  }
  // A body no browser sends, but a script may: a lone "%" after the password. A form parser keeps it as it is
  // (URLSearchParams gives "…%", as lesson 04's decoder did), so the password is simply wrong: never a 500.
  const browser = new Visitor(t);
  const token = await openLoginForm(t, browser);
  const body = `username=${encodeURIComponent(username)}&password=${encodeURIComponent(password)}%&csrfmiddlewaretoken=${token}`;
  const lone = await t.request({ method: 'POST', path: '/login', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `csrftoken=${token}` }, body });
  const loneCookie = setCookie(lone, 'sessionid');
  t.check(lone.status < 500 && (loneCookie === undefined || deletes(loneCookie)), {
    summary: lone.status >= 500 ? `A login form with a lone "%" in it crashed the request (${lone.status}).` : 'A login whose password had a "%" added was let in.',
    expected: 'the login form again with its error (or 400 or 403), and no session: the password read is the right one with "%" after it',
    received: `${lone.statusLine}\n${showSetCookies(lone)}`,
    hint: "Read the form with new URLSearchParams(request.body.toString('utf8')), in requestToken() and in the login view alike: it keeps a \"%\" that starts no escape as it is, where decodeURIComponent throws a URIError.",
  });
});

lesson.behaviour('sends visitors without a session from /account to /login', async (t) => {
  const response = await t.request({ path: '/account' });
  expectLoggedOut(t, response, 'no cookie at all', "Without a 'username' in the session, return Response.redirect('/login', 302), as Django's @login_required does.");
});

// ---- signed cookies ---------------------------------------------------------------

/** The payload is JSON in UTF-8, both ways, whatever the characters: letters beyond Latin-1 and an emoji. */
async function expectUtf8Session(t: Check, browser: Visitor): Promise<void> {
  const wide = `Łucja ${hex(2)} 🙂`;
  const wideAccount = await accountWith(t, forge({ username: wide }));
  t.check(wideAccount.status === 200 && decodeHtml(wideAccount.text).includes(wide), {
    summary: 'A session whose username is not ASCII, signed with SECRET_KEY, did not come back as that name.',
    expected: `200, a page that says "Signed in as ${wide}"`,
    received: `${wideAccount.statusLine}\n${wideAccount.text.slice(0, 400)}`,
    hint: "loads() decodes the payload as UTF-8: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')). atob() gives one character per byte, so \"Ł\" comes back as two.",
  });
  browser.jar.set('sessionid', forge({ username: wide }));
  const rewritten = await browser.send({ path: '/theme', form: { theme: 'dark', csrfmiddlewaretoken: browser.jar.get('csrftoken') ?? '' } });
  const wideCookie = setCookie(rewritten, 'sessionid');
  const wideData = rewritten.status === 303 && wideCookie !== undefined && !deletes(wideCookie) ? splitSession(t, wideCookie.value).data : undefined;
  t.check(wideData?.username === wide && wideData.theme === 'dark', {
    summary: rewritten.status >= 500 ? `Saving a session whose username is not ASCII crashed the request (${rewritten.status}).` : 'Saved again after POST /theme, a session whose username is not ASCII lost its name.',
    expected: `303 See Other, and a session cookie whose data is {"username":"${wide}","theme":"dark"}`,
    received: `${rewritten.statusLine}\n${showSetCookies(rewritten)}\ndata: ${JSON.stringify(wideData)}`,
    hint: "dumps() encodes the JSON as UTF-8 before base64url: Buffer.from(JSON.stringify(data), 'utf8').toString('base64url'). btoa() throws on a character beyond Latin-1, and a 'latin1' Buffer turns it into another.",
  });
}

lesson.behaviour('signs the session cookie as payload:timestamp:signature with SECRET_KEY', async (t) => {
  const browser = new Visitor(t);
  // Not ada: {"username":"ada"} is 18 bytes, and base64 of it needs no "=" padding to tell it from base64url.
  const [username, password] = pick(users.filter(([u]) => u !== 'ada'));
  await signedIn(t, browser, [username, password]);
  const value = browser.jar.get('sessionid')!;
  const { payload, stamp, signature, data } = splitSession(t, value);
  t.check(data.username === username, {
    summary: 'The session cookie does not hold the username.',
    expected: JSON.stringify({ username }),
    received: JSON.stringify(data),
    hint: "The login view sets 'username' in the session, and dumps() writes the session's data as JSON.",
  });
  t.check(Math.abs(Number(stamp) - now()) < 300, {
    summary: 'The timestamp in the session cookie is not the time of the login, in seconds.',
    expected: String(now()),
    received: stamp,
    hint: 'Math.floor(Date.now() / 1000): seconds, not milliseconds.',
  });
  t.check(signature === hmac(`${payload}:${stamp}`, SECRET_KEY), {
    summary: 'The signature is not the HMAC-SHA256 of "<payload>:<timestamp>" under SECRET_KEY.',
    expected: `${hmac(`${payload}:${stamp}`, SECRET_KEY)} (base64url, no padding)`,
    received: signature,
    hint: "createHmac('sha256', secret).update(value).digest('base64url'), over the payload and the timestamp together.",
  });

  const [other] = pick(users.filter(([u]) => u !== username));
  const forged = forge({ username: other });
  expectLoggedIn(t, await accountWith(t, forged), other, 'The grader signed a session for this user with SECRET_KEY, exactly as dumps() should: loads() must accept it.');

  // Whatever the session holds is shown as text: a name with markup (and an "&") in it comes out escaped.
  const marked = `<i>${hex(3)}</i>&amp;`;
  const page = await accountWith(t, forge({ username: marked }));
  t.expectStatus(page, 200, 'The grader signed a session with SECRET_KEY: loads() must accept it.');
  // Escaped in any form a browser reads back as the text (&lt;, &#60;, &#x3C;…), and never as markup.
  t.check(decodeHtml(page.text).includes(marked) && !page.text.includes(marked), {
    summary: page.text.includes(marked)
      ? 'The account page shows the username unescaped.'
      : decodeHtml(page.text).includes(marked.replace('&amp;', '&'))
        ? 'The account page leaves the "&" of the username unescaped: the "&amp;" in it reads as "&".'
        : 'The account page does not show the username from the session.',
    expected: `Signed in as <strong>&lt;i&gt;${marked.slice(3, -9)}&lt;/i&gt;&amp;amp;</strong>`,
    received: page.text.slice(0, 400),
    hint: 'Show the username with escapeHtml(username), which escapes & < > " and \' (& first): text from a session is data, never markup.',
  });

  await expectUtf8Session(t, browser);
});

lesson.behaviour('treats a tampered session cookie as no session, never with a 500', async (t) => {
  const browser = new Visitor(t);
  const [username, password] = pick(users);
  await signedIn(t, browser, [username, password]);
  const { payload, stamp, signature, data } = splitSession(t, browser.jar.get('sessionid')!);
  const [other] = pick(users.filter(([u]) => u !== username));
  const variants: [what: string, value: string][] = [
    ['the first character of its payload changed', `${flip(payload, 0)}:${stamp}:${signature}`],
    ['a character in the middle of its payload changed', `${flip(payload, Math.floor(payload.length / 2))}:${stamp}:${signature}`],
    [`"${username}" swapped for "${other}" in its payload`, `${b64(JSON.stringify({ ...data, username: other }))}:${stamp}:${signature}`],
    ['a newer timestamp', `${payload}:${Number(stamp) + random.int(1, 999)}:${signature}`],
    ['the first character of its signature changed', `${payload}:${stamp}:${flip(signature, 0)}`],
    // base64url tells "a" from "A": a signature compared without regard to case accepts 2^n others.
    ['the letters of its signature in the other case', `${payload}:${stamp}:${swapCase(signature)}`],
    ['one more character after its signature', `${payload}:${stamp}:${signature}${pick(['A', 'g', '0', '_'])}`],
    ['the last character of its signature removed', `${payload}:${stamp}:${signature.slice(0, -1)}`],
    // As many characters as the signature, but more bytes: a header's bytes beyond ASCII arrive as Latin-1 letters, two bytes each in UTF-8.
    ['a letter beyond ASCII in place of the last character of its signature', `${payload}:${stamp}:${signature.slice(0, -1)}${pick(['é', 'ß', 'ÿ'])}`],
    // Changes that a base64url decoder does not see: it skips characters outside its alphabet, and the last of the 43
    // characters carries two bits that 32 bytes leave unused. Compared as decoded bytes, these signatures still match.
    ['a character that is not base64url after its signature', `${payload}:${stamp}:${signature}${pick(['.', '=', '~', '!'])}`],
    ['the last character of its signature changed in one of the two bits base64url leaves unused', `${payload}:${stamp}:${signature.slice(0, -1)}${unusedBitsFlipped(signature.at(-1) ?? 'A')}`],
  ];
  for (const [what, value] of variants) {
    expectLoggedOut(
      t,
      await accountWith(t, value),
      `a session cookie with ${what}`,
      'unsign() must sign "<payload>:<timestamp>" again and compare the whole signatures as text, lengths first (in bytes, as timingSafeEqual counts them); a change anywhere (a character more or less included) means no session. Compare the characters the cookie holds, not Buffer.from(signature, \'base64url\'): that decoder skips characters outside its alphabet and the unused bits of the last one, so other texts decode to the same bytes.',
    );
  }
});

lesson.behaviour('refuses a session cookie signed with another secret, or not signed at all', async (t) => {
  const [username] = pick(users);
  const data = { username };
  const stamp = now() - 60;
  const variants: [what: string, value: string][] = [
    ['a cookie signed with another secret', forge(data, { secret: `not-the-secret-${hex(8)}` })],
    ['an unsigned cookie (payload:timestamp)', `${b64(JSON.stringify(data))}:${stamp}`],
    ['just a payload', b64(JSON.stringify(data))],
    ['an empty signature', `${b64(JSON.stringify(data))}:${stamp}:`],
  ];
  for (const [what, value] of variants) {
    expectLoggedOut(t, await accountWith(t, value), what, 'Only a signature made with SECRET_KEY counts: sign the value again and compare.');
  }
});

lesson.behaviour('treats a malformed session cookie as no session, never with a 500', async (t) => {
  const payload = b64(JSON.stringify({ username: pick(users)[0] }));
  const variants = ['', 'garbage', ':::', `${hex(2)}:${hex(2)}:${hex(2)}`, `${payload}:${now()}:short`, `${payload}:${now()}:${hex(40)}`, '%%%', 'eyJ:1:AAAA'];
  for (const value of variants) {
    expectLoggedOut(
      t,
      await accountWith(t, value),
      `the session cookie "${value}"`,
      'timingSafeEqual() throws when the two buffers differ in length: a signature of the wrong length is simply wrong, so check the lengths first.',
    );
  }
  const signed: [what: string, value: string][] = [
    ['a correctly signed payload that is not JSON', forgeRaw(`{"username":"${pick(users)[0]}"`)],
    ['a correctly signed payload that is a JSON string', forgeRaw(JSON.stringify(pick(users)[0]))],
    ['a correctly signed timestamp that is not a number', forgeRaw(JSON.stringify({ username: pick(users)[0] }), `t${hex(2)}`)],
    ['a correctly signed empty timestamp', forgeRaw(JSON.stringify({ username: pick(users)[0] }), '')],
    ['a correctly signed timestamp with a letter after its digits', forgeRaw(JSON.stringify({ username: pick(users)[0] }), `${now() - 60}${pick(['s', 'x', 'Z'])}`)],
    ['a correctly signed timestamp with a letter before its digits', forgeRaw(JSON.stringify({ username: pick(users)[0] }), `${pick(['t', 'x', 'T'])}${now() - 60}`)],
    // Numbers to Number() and parseInt(), but not digits only.
    ['a correctly signed timestamp with a decimal point', forgeRaw(JSON.stringify({ username: pick(users)[0] }), `${now() - 60}.${random.int(0, 9)}`)],
    ['a correctly signed timestamp with a plus sign', forgeRaw(JSON.stringify({ username: pick(users)[0] }), `+${now() - 60}`)],
  ];
  for (const [what, value] of signed) {
    expectLoggedOut(
      t,
      await accountWith(t, value),
      what,
      'After the signature, loads() still checks the rest: a timestamp of digits only (/^\\d+$/: Number("") is 0, Number("x") is NaN, and NaN > maxAge is false; Number("+1.5") is a number, but not digits) and a payload that parses (try/catch) to a JSON object.',
    );
  }

  // A string or an array would spread into the Session as keys "0", "1", …: a
  // change then writes them back. The cookie after POST /theme shows what loads() let in.
  const browser = new Visitor(t);
  const token = await openLoginForm(t, browser);
  const word = pick(users)[0];
  const notObjects: [what: string, json: string][] = [
    ['a JSON string', JSON.stringify(word)],
    ['a JSON array', JSON.stringify([word, hex(2)])],
  ];
  for (const [what, json] of notObjects) {
    browser.jar.set('sessionid', forgeRaw(json));
    const theme = pick(['dark', 'light']);
    const response = await browser.send({ path: '/theme', form: { theme, csrfmiddlewaretoken: token } });
    t.expectStatus(response, 303, `POST /theme with a correctly signed session whose payload is ${what} is simply a visitor without a session: set the theme and redirect.`);
    const cookie = setCookie(response, 'sessionid');
    const data = cookie === undefined || deletes(cookie) ? undefined : splitSession(t, cookie.value).data;
    // Nothing from the payload: no keys "0", "1", … (a key the server adds of its own is no harm).
    t.check(data !== undefined && data.theme === theme && !Object.keys(data).some((key) => /^\d+$/.test(key) || key === 'username'), {
      summary: `After POST /theme over a session whose payload is ${what} (${json}), the new session is not just the theme.`,
      expected: `a new session cookie whose data is {"theme":"${theme}"}`,
      received: `${showSetCookies(response)}\ndata: ${JSON.stringify(data)}`,
      hint: 'loads() returns undefined unless the payload parses to a JSON object: typeof data === \'object\', not null, not an array. Spread into a Session, a string or an array becomes keys "0", "1", …',
    });
  }
});

lesson.behaviour('treats a session older than two weeks as logged out', async (t) => {
  const [username] = pick(users);
  expectLoggedOut(
    t,
    await accountWith(t, forge({ username }, { issued: now() - sessionAge - random.int(60, 599) })),
    'a correctly signed session that is more than two weeks old',
    "The browser forgets a cookie after its Max-Age, but a copied cookie lives for ever: loads() must refuse a timestamp older than maxAge seconds.",
  );
  expectLoggedIn(
    t,
    await accountWith(t, forge({ username }, { issued: now() - sessionAge + random.int(60, 599) })),
    username,
    'A session a little younger than two weeks is still valid: compare seconds with seconds (Date.now() counts milliseconds).',
  );

  // At the boundary, by the server's clock (ours, moved by the offset it was started with, if any).
  const serverNow = () => Date.now() + t.server.clockOffsetMs;
  // One second past two weeks is more than two weeks whenever the server reads it: waiting only adds to the age.
  expectLoggedOut(
    t,
    await accountWith(t, forge({ username }, { issued: Math.floor(serverNow() / 1000) - sessionAge - 1 })),
    'a correctly signed session two weeks and one second old',
    'loads() refuses a timestamp more than maxAge seconds old, with no grace period: Date.now() / 1000 - Number(stamp) > maxAge.',
  );
  // Younger than two weeks until the end of the current second. Graded only when the answer came back within
  // that second (the server read the cookie in it), and the try began after the second's first millisecond (so the
  // server read it past a whole second: an age rounded up is then two weeks); else the next try, at the start of
  // the next second, a few times: no verdict from the clock alone.
  for (let attempt = 0; attempt < 5; attempt++) {
    if (attempt > 0) {
      const next = (Math.floor(serverNow() / 1000) + 1) * 1000 + 5;
      while (serverNow() < next) await new Promise((r) => setTimeout(r, next - serverNow() + 1));
    }
    const start = serverNow();
    const second = Math.floor(start / 1000);
    const response = await accountWith(t, forge({ username }, { issued: second + 1 - sessionAge }));
    if (start % 1000 === 0 || Math.floor(serverNow() / 1000) !== second) continue;
    const hint = 'This session had not yet reached two weeks, so it is still valid: refuse only an age of more than maxAge (Date.now() / 1000 - Number(stamp) > maxAge). An age rounded up to whole seconds (Math.ceil) reaches maxAge before two weeks have passed, so >= maxAge then refuses it too early.';
    t.check(response.status === 200, {
      summary: 'GET /account with a correctly signed session less than a second short of two weeks old was not let in.',
      expected: '200, the account page: the session is still valid',
      received: `${response.statusLine}${header(response, 'location') ? `\nLocation: ${header(response, 'location')}` : ''}`,
      hint,
    });
    expectLoggedIn(t, response, username, hint);
    break;
  }
});

// ---- logging out and saving ---------------------------------------------------------

lesson.behaviour('logs out: 303 See Other, and the session cookie deleted', async (t) => {
  const browser = new Visitor(t);
  const [username, password] = pick(users);
  await signedIn(t, browser, [username, password]);
  const page = await browser.send({ path: '/account' });
  expectLoggedIn(t, page, username, 'GET /account right after the login should show the user.');
  const token = requireFormToken(t, page, {
    summary: 'The account page has no logout form with a csrfmiddlewaretoken field.',
    expected: '<form method="post" action="/logout"><input type="hidden" name="csrfmiddlewaretoken" value="…"><button>Log out</button></form>',
    hint: 'Put csrfField(request) inside the logout form.',
  });
  // Something else in the session besides the user: the logout must forget it too.
  const themed = await browser.send({ path: '/theme', form: { theme: pick(['dark', 'light']), csrfmiddlewaretoken: token } });
  t.expectStatus(themed, 303, 'POST /theme (with the CSRF token) sets the theme in the session and redirects.');
  // A "next" leading to another site, in the query and in the form: the logout still goes home.
  const [viaQuery, viaField] = offSiteTargets('/');
  const response = await browser.send({ path: `/logout?${new URLSearchParams({ next: viaQuery! })}`, form: { csrfmiddlewaretoken: token, next: viaField! } });
  t.expectStatus(response, 303, 'After the POST, redirect with 303 See Other.');
  const away = offSite(response, '/logout');
  t.check(redirectsTo(response, '/logout', '/'), {
    summary: away ? `The logout redirected to another site, ${away}: an open redirect.` : 'The logout did not redirect home.',
    expected: 'Location: / (or a URL that leads there from /logout, on this site)',
    received: `Location: ${header(response, 'Location') ?? '(none)'}\n(the POST was to /logout?next=${visible(viaQuery!)}, with next=${visible(viaField!)} in the form)`,
    hint: away ? openRedirectHint('/') : "The logout sends the visitor home: Response.redirect('/', 303). A relative Location is resolved against the URL of the POST, /logout.",
  });
  const cookie = setCookie(response, 'sessionid');
  t.check(cookie !== undefined && deletes(cookie) && cookie.attributes.get('path') === '/', {
    summary: cookie === undefined ? 'The logout did not delete the session cookie.' : 'The logout sent a session cookie the browser would keep.',
    expected: 'Set-Cookie: sessionid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    received: showSetCookies(response),
    hint:
      cookie !== undefined && !deletes(cookie)
        ? "The session held a theme besides the user: flush() empties all of it (deleting 'username' alone leaves the rest for the next person on this browser), and the middleware then deletes the cookie."
        : 'flush() empties the session and marks it modified; on the way out the middleware must then send expiredCookie(), with the same Path=/ the cookie was set with.',
  });
  // A signed cookie cannot be revoked: the old value would still work until it expires. The browser no longer has it.
  expectLoggedOut(t, await browser.send({ path: '/account' }), 'the cookies left after logging out', 'After the logout, the browser has no session cookie.');

  await expectLogoutsWithoutASession(t, browser, username, [viaQuery!, viaField!]);

  // Deleting one browser's cookie changes nothing for the next login: the options of the session cookie are the same every time.
  const next = await logIn(t, new Visitor(t), pick(users));
  const fresh = setCookie(next, 'sessionid');
  t.check(next.status === 303 && fresh !== undefined && !deletes(fresh) && fresh.attributes.get('max-age') === String(sessionAge), {
    summary: 'After a logout, the next login (another browser) did not get a session cookie that lasts two weeks.',
    expected: `303 See Other, Set-Cookie: sessionid=<payload>:<timestamp>:<signature>; Path=/; Max-Age=${sessionAge}; HttpOnly; SameSite=Lax`,
    received: `${next.statusLine}\n${showSetCookies(next)}`,
    hint: "The logout must not change the options every later cookie is written with: give expiredCookie() its own options (it adds Max-Age=0 and the 1970 Expires to a copy), and never set maxAge or expires on an object the middleware keeps between requests.",
  });
});

/** Logouts without a live session: no cookie has nothing to delete; a cookie too old to count is deleted all the same. */
async function expectLogoutsWithoutASession(t: Check, browser: Visitor, username: string, [viaQuery, viaField]: [string, string]): Promise<void> {
  // A logout from a browser that has no session cookie has nothing to delete.
  const again = await browser.send({ path: `/logout?${new URLSearchParams({ next: viaField })}`, form: { csrfmiddlewaretoken: browser.jar.get('csrftoken') ?? '', next: viaQuery } });
  t.expectStatus(again, 303, 'A logout without a session still redirects with 303 See Other.');
  expectOnSite(t, again, '/logout', '/', `the POST was to /logout?next=${viaField}, with next=${viaQuery} in the form`);
  t.check(setCookie(again, 'sessionid') === undefined, {
    summary: 'A logout from a browser without a session cookie sent one anyway.',
    expected: 'no Set-Cookie: sessionid=… (the request had no cookie to delete)',
    received: showSetCookies(again),
    hint: 'Delete the cookie only if the request had it: an empty session with no cookie needs no Set-Cookie at all.',
  });

  // A session cookie the server no longer accepts (signed, but older than two weeks) is still a cookie the
  // browser sends with every request: the rule is "the request had the cookie", not "the cookie held a session".
  browser.jar.set('sessionid', forge({ username }, { issued: now() - sessionAge - random.int(60, 599) }));
  // Its "next", in the query and in the form, starts with "/", a tab, then "/": a browser drops the tab and goes to another host.
  const tabbed = offSiteTargets('/')[3]!;
  const stale = await browser.send({ path: `/logout?${new URLSearchParams({ next: tabbed })}`, form: { csrfmiddlewaretoken: browser.jar.get('csrftoken') ?? '', next: tabbed } });
  t.expectStatus(stale, 303, 'A logout with a session cookie too old to count still redirects with 303 See Other.');
  expectOnSite(t, stale, '/logout', '/', `the POST was to /logout?next=${visible(tabbed)}, with the same next in the form`);
  const staleCookie = setCookie(stale, 'sessionid');
  t.check(staleCookie !== undefined && deletes(staleCookie) && staleCookie.attributes.get('path') === '/', {
    summary: 'A logout from a browser whose session cookie is too old to count left that cookie in the browser.',
    expected: 'Set-Cookie: sessionid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT (the request had the cookie)',
    received: showSetCookies(stale),
    hint: 'On the way out, an emptied session gets expiredCookie() whenever the request carried the cookie (request.cookies.sessionid !== undefined), whether or not loads() accepted it: otherwise the browser keeps sending a dead cookie.',
  });
}

/** DELETE /theme calls session.delete('theme'): a change the first time, none the second. */
async function expectDeleteWrites(t: Check, browser: Visitor, username: string): Promise<void> {
  const csrfToken = browser.jar.get('csrftoken') ?? '';
  const removed = await browser.send({ method: 'DELETE', path: '/theme', headers: { 'X-CSRFToken': csrfToken } });
  t.expectStatus(removed, 204, 'DELETE /theme with the right X-CSRFToken header reaches the view, which answers 204 No Content.');
  const without = setCookie(removed, 'sessionid');
  const left = without === undefined || deletes(without) ? undefined : splitSession(t, without.value).data;
  t.check(left !== undefined && left.username === username && !('theme' in left), {
    summary: 'DELETE /theme removed the theme from the session, but the session cookie did not follow.',
    expected: `a new session cookie whose data is {"username":"${username}"}`,
    received: `${showSetCookies(removed)}\ndata: ${JSON.stringify(left)}`,
    hint: 'session.delete() marks the session modified: then the middleware writes session.data again.',
  });
  const again = await browser.send({ method: 'DELETE', path: '/theme', headers: { 'X-CSRFToken': csrfToken } });
  t.expectStatus(again, 204, 'A second DELETE /theme still answers 204 No Content.');
  expectNoCookie(t, again, 'sessionid', 'A second DELETE /theme, with no theme left to delete, was answered with a session cookie.', 'Deleting a key the session does not have changes nothing: session.modified stays false, and no cookie is written.');
}

lesson.behaviour('sends the session cookie only when the session changed', async (t) => {
  const anonymous = await t.request({ path: '/' });
  t.expectStatus(anonymous, 200);
  expectNoCookie(t, anonymous, 'sessionid', 'A visitor without a session was sent a session cookie.', 'Write the cookie only when session.modified is true.');

  const browser = new Visitor(t);
  const [username, password] = pick(users);
  await signedIn(t, browser, [username, password]);
  for (const path of ['/account', '/']) {
    const response = await browser.send({ path });
    t.expectStatus(response, 200);
    expectNoCookie(t, response, 'sessionid', `GET ${path}, which only reads the session, was answered with a new session cookie.`, 'Write the cookie only when session.modified is true, as Django does: re-sending it on every response wastes bytes and renews a session nobody changed.');
  }

  const theme = pick(['dark', 'light']);
  const changed = await browser.send({ path: '/theme', form: { theme, csrfmiddlewaretoken: browser.jar.get('csrftoken') ?? '' } });
  t.expectStatus(changed, 303, 'POST /theme (with the CSRF token) sets the theme in the session and redirects.');
  expectSessionCookie(t, changed, {
    summary: 'POST /theme changed the session, but no session cookie was sent.',
    expected: 'Set-Cookie: sessionid=<new value>; …',
    hint: 'session.set() marks the session modified: then the middleware must write the cookie.',
  });
  const home = await browser.send({ path: '/' });
  t.check(decodeHtml(home.text).includes(`Theme: ${theme}`) && decodeHtml(home.text).includes(username), {
    summary: 'The session lost the theme or the user after POST /theme.',
    expected: `a page with "Theme: ${theme}" and "${username}"`,
    received: home.text.slice(0, 400),
    hint: 'dumps() must write all of session.data.',
  });

  await expectDeleteWrites(t, browser, username);
});

// ---- CSRF --------------------------------------------------------------------------

lesson.behaviour('GET /login sets a csrftoken cookie and puts the same token in the form', async (t) => {
  const browser = new Visitor(t);
  const response = await browser.send({ path: '/login' });
  t.expectStatus(response, 200, 'GET /login shows the form; your server output below may say what went wrong.');
  const cookie = setCookie(response, 'csrftoken');
  t.check(cookie !== undefined, {
    summary: 'GET /login set no csrftoken cookie.',
    expected: 'Set-Cookie: csrftoken=<token>; Path=/; Max-Age=31449600; SameSite=Lax',
    received: showSetCookies(response),
    hint: csrfHint,
  });
  expectAttribute(t, cookie!, 'Path', '/', 'Path=/: every form of the site needs the token.');
  expectAttribute(t, cookie!, 'SameSite', 'Lax', 'SameSite=Lax, like Django\'s CSRF_COOKIE_SAMESITE.', true);
  expectAttribute(t, cookie!, 'Max-Age', '31449600', 'Max-Age=CSRF_COOKIE_AGE (31449600 seconds, 52 weeks), like Django\'s.');
  t.check(!cookie!.attributes.has('httponly'), {
    summary: 'The csrftoken cookie is HttpOnly.',
    expected: 'Set-Cookie: csrftoken=<token>; Path=/; Max-Age=31449600; SameSite=Lax (no HttpOnly)',
    received: `Set-Cookie: ${cookie!.line}`,
    hint: "The page's own scripts read the csrftoken cookie to send X-CSRFToken: leave HttpOnly off, as Django's CSRF_COOKIE_HTTPONLY = False does.",
  });
  t.check(!cookie!.attributes.has('secure'), {
    summary: 'The csrftoken cookie is Secure, though csrf() did not ask for it.',
    expected: 'Set-Cookie: csrftoken=<token>; Path=/; Max-Age=31449600; SameSite=Lax (no Secure)',
    received: `Set-Cookie: ${cookie!.line}`,
    hint: "Pass options.secure on to serializeCookie, as Django's CSRF_COOKIE_SECURE (False by default): over plain HTTP a browser may drop a Secure cookie, and then no form can be sent.",
  });
  const token = formToken(response.text);
  t.check(token === cookie!.value, {
    summary: 'The token in the form is not the one in the csrftoken cookie.',
    expected: `<input type="hidden" name="csrfmiddlewaretoken" value="${cookie!.value}">`,
    received: response.text.slice(0, 400),
    hint: 'The form embeds getCsrfToken(request); the middleware must set the cookie to that same request.state token.',
  });
  const again = await browser.send({ path: '/login' });
  t.check(formToken(again.text) === token, {
    summary: 'A second visit to /login, with the csrftoken cookie, embedded a different token.',
    expected: `the same token, ${token}`,
    received: formToken(again.text) ?? '(no token in the form)',
    hint: "On the way in, put the csrftoken cookie's token in request.state as 'csrfToken', so getCsrfToken() reuses it: another tab's form must keep working.",
  });
  // Another browser, without any cookie, gets a token of its own: nothing of the last visitor's token stays behind.
  const stranger = await new Visitor(t).send({ path: '/login' });
  const theirs = setCookie(stranger, 'csrftoken');
  t.check(theirs !== undefined && theirs.value !== token && formToken(stranger.text) === theirs.value, {
    summary: theirs === undefined ? 'GET /login from a second browser, without any cookie, set no csrftoken cookie.' : 'A second browser, without any cookie, was given the first browser\'s CSRF token.',
    expected: `Set-Cookie: csrftoken=<a new token, not ${token}>, and the same token in its form`,
    received: `form token: ${formToken(stranger.text) ?? '(none)'}\n${showSetCookies(stranger)}`,
    hint: "Keep the cookie's token in a const inside the function that handles one request (and in request.state), never in a variable of csrf() itself or of the module: a request without the cookie must find no token, so getCsrfToken() makes a new one.",
  });
  const noForm = await t.request({ path: '/account' });
  expectNoCookie(t, noForm, 'csrftoken', 'GET /account without any cookie, a redirect with no form, was answered with a csrftoken cookie.', "Set the cookie only when request.state holds a token (a string): a page that never called getCsrfToken() has none.");
});

lesson.behaviour('treats a malformed csrftoken cookie as none: a fresh token on GET, 403 on POST', async (t) => {
  const malformed = [
    // Empty, with an empty field beside it: "absent on both sides" must not count as a match.
    ['empty', ''],
    ['too short', hex(5)],
    ['too long', random.bytes(24).toString('base64url') + 'A'],
    ['32 characters, one of them not base64url', `${random.bytes(24).toString('base64url').slice(0, 31)}.`],
  ] as const;
  for (const [what, bad] of malformed) {
    const page = await t.request({ path: '/login', headers: { Cookie: `csrftoken=${bad}` } });
    t.expectStatus(page, 200, 'GET /login is never refused, whatever its cookies.');
    const token = formToken(page.text);
    const cookie = setCookie(page, 'csrftoken');
    t.check(token !== undefined && /^[A-Za-z0-9_-]{32}$/.test(token) && cookie?.value === token, {
      summary: `With a csrftoken cookie that is ${what} ("${bad}"), GET /login did not give a fresh token.`,
      expected: 'a new token of 32 base64url characters in the form, and the same in Set-Cookie: csrftoken=…',
      received: `form token: ${token ?? '(none)'}\n${showSetCookies(page)}`,
      hint: "On the way in, keep the csrftoken cookie only if isWellFormedToken() says so; otherwise there is no token, getCsrfToken() makes a new one, and the way out sets it.",
    });
    const response = await t.request({
      method: 'POST',
      path: '/theme',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `csrftoken=${bad}` },
      body: new URLSearchParams({ theme: 'dark', csrfmiddlewaretoken: bad }).toString(),
      trace: true,
    });
    t.expectStatus(response, 403, `A csrftoken cookie that is ${what} is no token at all, even when the form repeats it: answer 403 (Django says "CSRF cookie not set." or "has incorrect length").`);
    noView(t, `a POST whose csrftoken cookie is ${what}`);
  }
});

lesson.behaviour('refuses a POST without a CSRF token with 403 Forbidden, before the view runs', async (t) => {
  const user = pick(users);
  const fresh = await t.request({
    method: 'POST',
    path: '/login',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: user[0], password: user[1] }).toString(),
    trace: true,
  });
  t.expectStatus(fresh, 403, 'A POST with no csrftoken cookie and no token is what a forged form looks like: answer 403 Forbidden.');
  noView(t, 'a POST without any CSRF token');
  t.check(setCookie(fresh, 'sessionid') === undefined, { summary: 'A refused POST still logged the user in.', received: showSetCookies(fresh) });

  const browser = new Visitor(t);
  await openLoginForm(t, browser);
  const noField = await browser.send({ path: '/login', form: { username: user[0], password: user[1] }, trace: true });
  t.expectStatus(noField, 403, 'The csrftoken cookie alone proves nothing (the browser sends it with forged requests too): the form must carry the token as well.');
  noView(t, 'a POST with the csrftoken cookie but no token in the form');

  // Nor does the URL: a token in the query string is neither the form's field nor the header (and URLs end up in logs).
  const inQuery = await browser.send({ path: `/login?${new URLSearchParams({ csrfmiddlewaretoken: browser.jar.get('csrftoken') ?? '' })}`, form: { username: user[0], password: user[1] }, trace: true });
  t.expectStatus(inQuery, 403, 'The token goes in the csrfmiddlewaretoken field of the form body, or in X-CSRFToken: requestToken() never reads it from the query string.');
  noView(t, 'a POST whose token is only in the query string');

  // Only a URL-encoded form holds the field: the same text sent as another type is no form.
  const token = browser.jar.get('csrftoken') ?? '';
  for (const type of ['text/plain', 'application/json', 'text/plain; note="application/x-www-form-urlencoded"']) {
    const response = await browser.send({
      path: '/theme',
      form: { theme: 'dark', csrfmiddlewaretoken: token },
      headers: { 'Content-Type': type },
      trace: true,
    });
    t.expectStatus(response, 403, `A ${type} body is not a form, even when it reads like one: requestToken() looks for the field only when the Content-Type is application/x-www-form-urlencoded, else in X-CSRFToken.`);
    noView(t, `a POST whose ${type} body repeats the token`);
  }
});

lesson.behaviour('refuses a POST whose token does not match the csrftoken cookie with 403', async (t) => {
  const user = pick(users);
  const browser = new Visitor(t);
  const token = await openLoginForm(t, browser);
  const attempts: [what: string, cookie: string | undefined, field: string][] = [
    ['a token the server never gave out', token, strangerToken()],
    ['a csrftoken cookie that differs from the form', strangerToken(), token],
    ['the right token in the form but no csrftoken cookie', undefined, token],
    ['a token one character longer than the cookie', token, `${token}${pick(['A', 'b', '0'])}`],
    ['a token one character shorter than the cookie', token, token.slice(0, -1)],
    ['the token with the case of its letters swapped', token, swapCase(token)],
  ];
  // (A token without letters has no other case: then the swapped one is the token itself, and is left out.)
  for (const [what, cookie, field] of attempts.filter(([, cookie, field]) => field !== cookie)) {
    const response = await t.request({
      method: 'POST',
      path: '/login',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(cookie === undefined ? {} : { Cookie: `csrftoken=${cookie}` }) },
      body: new URLSearchParams({ username: user[0], password: user[1], csrfmiddlewaretoken: field }).toString(),
      trace: true,
    });
    t.expectStatus(response, 403, `A POST with ${what} must be refused: the token in the form must equal the csrftoken cookie (sameToken, which compares the lengths before timingSafeEqual).`);
    noView(t, `a POST with ${what}`);
  }
  // The form's field comes first: when it is there, the X-CSRFToken header is not even read.
  const both = await t.request({
    method: 'POST',
    path: '/login',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `csrftoken=${token}`, 'X-CSRFToken': token },
    body: new URLSearchParams({ username: user[0], password: user[1], csrfmiddlewaretoken: strangerToken() }).toString(),
    trace: true,
  });
  t.expectStatus(both, 403, 'The form carries a wrong token (and the header the right one): requestToken() takes the csrfmiddlewaretoken field when the form has it, and the X-CSRFToken header only when it has not, so the token to compare is the wrong one.');
  noView(t, 'a POST whose form field holds a wrong token, beside the right one in X-CSRFToken');
});

lesson.behaviour('accepts the token from the form field or the X-CSRFToken header', async (t) => {
  const browser = new Visitor(t);
  const token = await openLoginForm(t, browser);
  const viaField = await browser.send({ path: '/theme', form: { theme: 'dark', csrfmiddlewaretoken: token } });
  t.expectStatus(viaField, 303, 'POST /theme carries the right token in the csrfmiddlewaretoken field: let it through.');
  const viaHeader = await browser.send({ path: '/theme', form: { theme: 'light' }, headers: { 'X-CSRFToken': token } });
  t.expectStatus(viaHeader, 303, 'Scripts send the token in an X-CSRFToken header instead of the form: read the header when the form has no field.');
  // A media type may carry parameters (RFC 9110, section 8.3.1): scripts often send the form with its charset.
  const withCharset = await browser.send({ path: '/theme', form: { theme: 'dark', csrfmiddlewaretoken: token }, headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' } });
  t.expectStatus(withCharset, 303, 'A form sent as "application/x-www-form-urlencoded; charset=UTF-8" is still a URL-encoded form: match the media type, not the whole header (the type may be followed by "; charset=…").');
  // The type and subtype are case-insensitive (RFC 9110, section 8.3.1), as lesson 05 showed.
  const capitals = await browser.send({ path: '/theme', form: { theme: 'light', csrfmiddlewaretoken: token }, headers: { 'Content-Type': 'Application/X-WWW-Form-URLEncoded' } });
  t.expectStatus(capitals, 303, 'A form sent as "Application/X-WWW-Form-URLEncoded" is a URL-encoded form too: media types are case-insensitive (RFC 9110, section 8.3.1), so compare them without regard to case.');
});

lesson.behaviour('checks the token on PUT, PATCH, DELETE and unknown methods too', async (t) => {
  const browser = new Visitor(t);
  const token = await openLoginForm(t, browser);
  for (const method of ['DELETE', 'PUT', 'PATCH', pick(['PURGE', 'LOCK', 'MKCOL'])]) {
    const response = await browser.send({ method, path: '/theme', trace: true });
    t.expectStatus(response, 403, `${method} can change things as much as POST can: every method except GET, HEAD, OPTIONS and TRACE needs the token, the ones you have never heard of too.`);
    noView(t, `a ${method} without a CSRF token`);
  }
  const allowed = await browser.send({ method: 'DELETE', path: '/theme', headers: { 'X-CSRFToken': token } });
  t.expectStatus(allowed, 204, 'DELETE /theme with the right X-CSRFToken header must reach the view, which answers 204 No Content.');
});

lesson.behaviour('never asks for a token on GET or HEAD', async (t) => {
  const requests: [method: string, path: string, status: number, cookie?: string][] = [
    ['GET', '/', 200],
    ['GET', '/login', 200],
    ['HEAD', '/login', 200],
    ['GET', '/account', 302],
    ['GET', '/login', 200, `csrftoken=${hex(5)}`],
  ];
  for (const method of ['OPTIONS', 'TRACE']) {
    const response = await t.request({ method, path: '/theme' });
    t.check(response.status !== 403, {
      summary: `${method} /theme without any cookie was refused with 403.`,
      expected: 'whatever the router answers (405 Method Not Allowed here), not 403',
      received: response.statusLine,
      hint: 'RFC 9110 counts GET, HEAD, OPTIONS and TRACE as safe methods, and Django never checks them: SAFE_METHODS has all four.',
    });
  }
  for (const [method, path, status, cookie] of requests) {
    const response = await t.request({ method, path, headers: cookie ? { Cookie: cookie } : {} });
    t.check(response.status === status || (status === 302 && redirectsToLogin(response)), {
      summary: `${method} ${path}${cookie ? ' with a malformed csrftoken cookie' : ' without any cookie'} was answered ${response.status}.`,
      expected: String(status),
      received: response.statusLine,
      hint:
        response.status === 403
          ? 'Safe methods only read: GET, HEAD, OPTIONS and TRACE are never checked, so links from other sites keep working.'
          : 'A malformed csrftoken cookie counts as no cookie: the view then gets a fresh token.',
    });
  }
});

lesson.behaviour('gives a new CSRF token at login, and the old one stops working', async (t) => {
  const browser = new Visitor(t);
  const before = await openLoginForm(t, browser);
  const response = await signedIn(t, browser, pick(users));
  const after = setCookie(response, 'csrftoken');
  t.check(after !== undefined && after.value !== before, {
    summary: 'The login did not give the browser a new csrftoken.',
    expected: 'Set-Cookie: csrftoken=<a new token>; Path=/; …',
    received: showSetCookies(response),
    hint: "Call rotateCsrfToken(request) in the login view, as Django's login() does: a token planted before the login must not work after it.",
  });
  const stale = await browser.send({ path: '/logout', form: { csrfmiddlewaretoken: before } });
  t.expectStatus(stale, 403, 'The form token from before the login no longer matches the csrftoken cookie.');
  const fresh = await browser.send({ path: '/logout', form: { csrfmiddlewaretoken: browser.jar.get('csrftoken') ?? '' } });
  t.expectStatus(fresh, 303, 'With the new token, the logout goes through.');
});
