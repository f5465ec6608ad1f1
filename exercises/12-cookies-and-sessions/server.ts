// Lesson 12: a tiny site with a login. The sessions middleware reads the
// session cookie on the way in and writes it on the way out; the csrf
// middleware refuses forged form posts; the views log people in and out.
import { createHash, timingSafeEqual } from 'node:crypto';
import { compose } from '#provided/compose.ts';
import { HttpError, Response, type Request } from '#provided/http.ts';
import { path, router } from '#provided/router.ts';
import { SECRET_KEY, users } from '#provided/fixtures/12-cookies-and-sessions.ts';
import { serve } from '#provided/serve.ts';
import { serializeCookie, type CookieOptions } from './cookies.ts';
import { csrf, getCsrfToken, rotateCsrfToken } from './csrf.ts';
import { getSession, sessions } from './sessions.ts';

// SECRET_KEY and the users come from a file the grader reads too: it signs
// cookies with that key and logs in as each user.
const USERS = new Map(users);

// TODO: Read username and password from the URL-encoded form and check them with
// checkPassword. Wrong: answer loginPage(request, <an error message>), with no
// session. Right: flush the session, set its 'username', rotate the CSRF token
// (rotateCsrfToken) and redirect to /account with 303 See Other.
// POST /login username=ada&password=analytical-engine -> 303 See Other, Location: /account, and a new session
// a wrong password or an unknown user -> 200, the form again with an error, and no session
async function login(request: Request): Promise<Response> {
  throw new Error('TODO: check the password, start the session and redirect (login in server.ts)');
}

// TODO: Flush the session (the middleware then deletes the cookie) and redirect
// to / with 303 See Other.
// POST /logout -> 303 See Other, Location: /, and the session cookie deleted
async function logout(request: Request): Promise<Response> {
  throw new Error('TODO: end the session and redirect (logout in server.ts)');
}

// TODO: Without a 'username' in the session, redirect to /login (302 Found).
// With one, answer a page() that shows it (escapeHtml) and a logout form: a POST
// to /logout with csrfField(request) and a button.
// GET /account -> 200 "Signed in as ada", with a logout form; without a session -> 302 Found, Location: /login
async function account(request: Request): Promise<Response> {
  throw new Error('TODO: show the signed-in user, or send the visitor to /login (account in server.ts)');
}

// Don't change anything below this line: the other views, the page frame and the middleware list.

// GET / -> the home page: who is signed in, and the theme kept in the session
async function home(request: Request): Promise<Response> {
  const session = getSession(request);
  const username = session.get<string>('username');
  const theme = session.get<string>('theme') ?? 'light';
  const who = username ? `Signed in as <strong>${escapeHtml(username)}</strong>. <a href="/account">Your account</a>` : 'Not signed in. <a href="/login">Log in</a>';
  return page(
    'Roundtrip',
    `<h1>Roundtrip</h1>\n<p>${who}</p>\n<p>Theme: ${escapeHtml(theme)}</p>\n` +
      `<form method="post" action="/theme">${csrfField(request)}<button name="theme" value="dark">Dark</button> <button name="theme" value="light">Light</button></form>`,
  );
}

// GET /login -> the form, with the CSRF token in a hidden field (and in the csrftoken cookie)
async function loginForm(request: Request): Promise<Response> {
  return loginPage(request);
}

function loginPage(request: Request, error?: string): Response {
  return page(
    'Log in',
    `<h1>Log in</h1>\n${error ? `<p class="error">${escapeHtml(error)}</p>\n` : ''}` +
      `<form method="post" action="/login">${csrfField(request)}\n` +
      `<label>Username <input name="username" autocomplete="username"></label>\n` +
      `<label>Password <input name="password" type="password" autocomplete="current-password"></label>\n` +
      `<button>Log in</button>\n</form>`,
  );
}

// POST /theme theme=dark -> 303 See Other to /, the theme kept in the session (anonymous visitors too)
// DELETE /theme (with an X-CSRFToken header) -> 204 No Content, back to the default theme
async function theme(request: Request): Promise<Response> {
  const session = getSession(request);
  if (request.method === 'DELETE') {
    session.delete('theme');
    return new Response('', { status: 204 });
  }
  const chosen = new URLSearchParams(request.body.toString('utf8')).get('theme');
  if (chosen !== 'light' && chosen !== 'dark') throw new HttpError(400, 'Choose the theme "light" or "dark".');
  session.set('theme', chosen);
  return Response.redirect('/', 303);
}

// GET /cookie-lab?name=theme&value=dark&path=/&max-age=60&expires=…&http-only&secure&same-site=Strict
//   -> 200 with the Set-Cookie header your serializeCookie() wrote; an invalid cookie -> 400
async function cookieLab(request: Request): Promise<Response> {
  const query = request.query;
  const options: CookieOptions = {};
  if (query.has('path')) options.path = query.get('path')!;
  if (query.has('domain')) options.domain = query.get('domain')!;
  if (query.has('max-age')) options.maxAge = Number(query.get('max-age'));
  if (query.has('expires')) options.expires = new Date(query.get('expires')!);
  if (query.has('http-only')) options.httpOnly = true;
  if (query.has('secure')) options.secure = true;
  if (query.has('same-site')) options.sameSite = query.get('same-site') as CookieOptions['sameSite'];
  let setCookie: string;
  try {
    setCookie = serializeCookie(query.get('name') ?? '', query.get('value') ?? '', options);
  } catch (error) {
    if (error instanceof TypeError) return Response.text(`Bad Request: ${error.message}\n`, 400);
    throw error;
  }
  const response = Response.text(`Set-Cookie: ${setCookie}\n`);
  response.headers.append('set-cookie', setCookie);
  return response;
}

function csrfField(request: Request): string {
  return `<input type="hidden" name="csrfmiddlewaretoken" value="${escapeHtml(getCsrfToken(request))}">`;
}

function page(title: string, body: string, status = 200): Response {
  return Response.html(`<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(title)}</title>\n</head>\n<body>\n${body}\n</body>\n</html>\n`, status);
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** Looks the user up and compares in constant time (both sides hashed first, so the lengths match). */
function checkPassword(username: string, password: string): boolean {
  const expected = USERS.get(username);
  if (expected === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(password), digest(expected));
}

const routes = [
  path('', home, { name: 'home', methods: ['GET'] }),
  path('login', loginForm, { name: 'login-form', methods: ['GET'] }),
  path('login', login, { name: 'login', methods: ['POST'] }),
  path('logout', logout, { name: 'logout', methods: ['POST'] }),
  path('account', account, { name: 'account', methods: ['GET'] }),
  path('theme', theme, { name: 'theme', methods: ['POST', 'DELETE'] }),
];

// In: sessions (loads request.session), then csrf (checks unsafe requests), then the view.
// Out: csrf sets the csrftoken cookie if it is new, then sessions writes the session cookie if it changed.
const app = compose([sessions(SECRET_KEY), csrf()], router(routes));

// The cookie lab stands outside the app, so you can try serializeCookie() before the rest works.
serve((request) => (request.path === '/cookie-lab' ? cookieLab(request) : app(request)));
