// Lesson 12: protection against cross-site request forgery, like Django's
// CsrfViewMiddleware. A random token lives in the csrftoken cookie; every form
// of ours carries the same token in a hidden field (or a script sends it in an
// X-CSRFToken header). Another site can make a browser send our cookie, but it
// cannot read it, so it cannot put the matching token in its forged request.
//
// For lesson 13, import from here:
//   csrf(options?)             the middleware: 403 for unsafe requests without the right token
//   getCsrfToken(request)      the token to embed in a form (Django's get_token)
//   rotateCsrfToken(request)   a fresh token, at login (Django's rotate_token)
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Response, type Middleware, type Request } from '#provided/http.ts';
import { serializeCookie } from './cookies.ts';

export interface CsrfOptions {
  /** Send the cookie over HTTPS only: Django's CSRF_COOKIE_SECURE. */
  secure?: boolean;
}

export const CSRF_COOKIE_NAME = 'csrftoken';
export const CSRF_FIELD_NAME = 'csrfmiddlewaretoken';
export const CSRF_HEADER_NAME = 'x-csrftoken';
/** Django's CSRF_COOKIE_AGE: about a year (52 weeks), in seconds. */
export const CSRF_COOKIE_AGE = 60 * 60 * 24 * 7 * 52;
/** RFC 9110, section 9.2.1: methods that only read. Everything else can change something. */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

// TODO: Return the token the request carries: the csrfmiddlewaretoken field of a
// URL-encoded form body (Content-Type application/x-www-form-urlencoded) or,
// failing that, the X-CSRFToken header. undefined when it has neither.
// POST /login, form "username=ada&password=…&csrfmiddlewaretoken=abc…" -> 'abc…'
// DELETE /theme with "X-CSRFToken: abc…" -> 'abc…'; neither -> undefined
export function requestToken(request: Request): string | undefined {
  throw new Error('TODO: find the token in the form or the X-CSRFToken header (requestToken in csrf.ts)');
}

// TODO: On the way in, put a well-formed csrftoken cookie in request.state as
// 'csrfToken'. For a method that is not safe, answer forbidden(reason) without
// calling next unless the cookie is there and requestToken() matches it (sameToken).
// On the way out, if request.state's 'csrfToken' is a string other than the
// cookie's, append Set-Cookie csrftoken=<it>; Path=/; Max-Age=CSRF_COOKIE_AGE;
// SameSite=Lax (plus Secure when options.secure).
// POST (or PUT, PATCH, DELETE) without the cookie, without a token or with a wrong one -> 403 Forbidden, and the view never runs
// GET /login -> the view's page, plus "Set-Cookie: csrftoken=<token>; Path=/; Max-Age=31449600; SameSite=Lax" when the token is new
export function csrf(options: CsrfOptions = {}): Middleware {
  const csrfMiddleware: Middleware = (next) => async (request) => {
    throw new Error('TODO: check the token on unsafe methods, set the cookie on the way out (csrf in csrf.ts)');
  };
  csrfMiddleware.displayName = 'csrf';
  return csrfMiddleware;
}

// Helpers: use them as they are.

/** 403 Forbidden, with one of Django's reasons: 'CSRF cookie not set.', 'CSRF token missing.' or 'CSRF token incorrect.' */
export function forbidden(reason: string): Response {
  return Response.text(`Forbidden (${reason}) The form was not sent by this site, or it is out of date: reload the page and try again.\n`, 403);
}

const tokenKey = 'csrfToken';

/** The token for a form on this page, made on first use: Django's get_token(). */
export function getCsrfToken(request: Request): string {
  const token = request.state.get(tokenKey);
  if (typeof token === 'string') return token;
  const fresh = newToken();
  request.state.set(tokenKey, fresh);
  return fresh;
}

/** Replace the token, as Django's login() does with rotate_token(): a token planted before login is useless after. */
export function rotateCsrfToken(request: Request): void {
  request.state.set(tokenKey, newToken());
}

/** 32 random characters of base64url: 192 bits nobody can guess. */
function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{32}$/.test(token);
}

/** Compares in constant time, so the time taken does not tell how much of a guess was right. */
export function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
