// Lesson 12: sessions kept in a signed cookie, like Django's signed_cookies
// session engine and django.core.signing. The cookie holds the session data
// itself, with a timestamp and an HMAC-SHA256 signature only the server can make:
//   sessionid=eyJ1c2VybmFtZSI6ImFkYSJ9:1764025798:Vb3v…   (payload:timestamp:signature)
//
// For lesson 13, import from here:
//   sessions(secret, options?)       the middleware: request.state 'session' in, Set-Cookie out
//   getSession(request)              the Session a view reads and changes (get, set, delete, flush)
//   sign / unsign, dumps / loads     signing on its own, for any value you hand to a client
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Middleware, Request } from '#provided/http.ts';
import { expiredCookie, serializeCookie } from './cookies.ts';

export type SessionData = Record<string, unknown>;

export interface SessionOptions {
  /** Django's SESSION_COOKIE_NAME. */
  cookieName?: string;
  /** Seconds a session lasts, in the cookie's Max-Age and in the signature check: SESSION_COOKIE_AGE. */
  maxAge?: number;
  /** Send the cookie over HTTPS only: SESSION_COOKIE_SECURE. Turn it on in production. */
  secure?: boolean;
}

/** Django's default SESSION_COOKIE_AGE: two weeks, in seconds. */
export const SESSION_COOKIE_AGE = 60 * 60 * 24 * 14;

// ---- 1. Signing, like django.core.signing.Signer -------------------------------

// sign('hello', 'k') -> 'hello:<43 characters of base64url HMAC-SHA256 of "hello" under the key "k">'
export function sign(value: string, secret: string): string {
  return `${value}:${signature(value, secret)}`;
}

// unsign(sign('hello', 'k'), 'k') -> 'hello'; a changed value or signature, or another key -> undefined
export function unsign(signed: string, secret: string): string | undefined {
  const colon = signed.lastIndexOf(':');
  if (colon === -1) return undefined;
  const value = signed.slice(0, colon);
  const given = Buffer.from(signed.slice(colon + 1));
  const expected = Buffer.from(signature(value, secret));
  // timingSafeEqual takes as long whichever byte differs, so an attacker cannot
  // guess a signature one character at a time. It throws on different lengths:
  // a wrong length is simply a wrong signature.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return value;
}

function signature(value: string, secret: string): string {
  return createHmac('sha256', secret).update(value, 'utf8').digest('base64url');
}

// ---- 2. Session data in a cookie, like signing.dumps() and loads() ------------

// dumps({ username: 'ada' }, 'k') -> 'eyJ1c2VybmFtZSI6ImFkYSJ9:1764025798:<signature>'
export function dumps(data: SessionData, secret: string, now = Date.now()): string {
  // base64url keeps the JSON's quotes, commas and spaces out of the cookie value.
  const payload = Buffer.from(JSON.stringify(data), 'utf8').toString('base64url');
  // The timestamp is signed with the payload, so nobody can make an old cookie look new.
  return sign(`${payload}:${Math.floor(now / 1000)}`, secret);
}

// loads(dumps(data, 'k'), 'k', 3600) -> data; tampered, another key, older than maxAge or garbage -> undefined
export function loads(cookie: string, secret: string, maxAge: number, now = Date.now()): SessionData | undefined {
  // Check the signature first: nothing in an unsigned cookie deserves to be parsed.
  const value = unsign(cookie, secret);
  if (value === undefined) return undefined;
  const [payload = '', stamp = ''] = value.split(':');
  // The cookie's own Max-Age is the browser's business; a stolen cookie can be
  // replayed for ever unless the server checks the age itself.
  if (!/^\d+$/.test(stamp) || now / 1000 - Number(stamp) > maxAge) return undefined;
  try {
    const data: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as SessionData) : undefined;
  } catch {
    return undefined;
  }
}

// ---- 3. The middleware, like Django's SessionMiddleware ------------------------

// GET /account with "Cookie: sessionid=<valid>" -> request.state 'session' holds { username: 'ada' }; no Set-Cookie
// POST /login that sets 'username' -> "Set-Cookie: sessionid=<new signed value>; Path=/; Max-Age=1209600; HttpOnly; SameSite=Lax"
export function sessions(secret: string, options: SessionOptions = {}): Middleware {
  const { cookieName = 'sessionid', maxAge = SESSION_COOKIE_AGE, secure = false } = options;
  const attributes = { path: '/', httpOnly: true, sameSite: 'Lax', secure } as const;

  const sessionMiddleware: Middleware = (next) => async (request) => {
    // Way in: a missing, tampered or expired cookie is simply no session, never an error.
    const cookie = request.cookies[cookieName];
    const session = new Session((cookie !== undefined && loads(cookie, secret, maxAge)) || {});
    request.state.set('session', session);

    const response = await next(request);

    // Way out: write the cookie only when a view changed the session. Sending
    // it on every response would waste bytes and restart its two weeks each time.
    if (!session.modified) return response;
    if (session.isEmpty) {
      // Flushed (logout): ask the browser to delete the cookie, with the same Path it was set with.
      if (cookie !== undefined) response.headers.append('set-cookie', expiredCookie(cookieName, attributes));
    } else {
      response.headers.append('set-cookie', serializeCookie(cookieName, dumps(session.data, secret), { ...attributes, maxAge }));
    }
    return response;
  };
  sessionMiddleware.displayName = 'sessions';
  return sessionMiddleware;
}

// Helpers: use them as they are.

/** One visitor's session, like Django's request.session: a small dictionary that knows when it changed. */
export class Session {
  #data: SessionData;
  /** True once anything was set, deleted or flushed: the middleware then writes the cookie. */
  modified = false;

  constructor(data: SessionData = {}) {
    this.#data = { ...data };
  }

  get<T = unknown>(key: string): T | undefined {
    return this.#data[key] as T | undefined;
  }

  set(key: string, value: unknown): void {
    this.#data[key] = value;
    this.modified = true;
  }

  delete(key: string): void {
    if (!(key in this.#data)) return;
    delete this.#data[key];
    this.modified = true;
  }

  /** Forget everything, as Django's flush() does on logout: the cookie is deleted on the way out. */
  flush(): void {
    this.#data = {};
    this.modified = true;
  }

  get isEmpty(): boolean {
    return Object.keys(this.#data).length === 0;
  }

  /** A copy of the data, for dumps(). */
  get data(): SessionData {
    return { ...this.#data };
  }
}

/** The session the sessions() middleware attached to this request. */
export function getSession(request: Request): Session {
  const session = request.state.get('session');
  if (!(session instanceof Session)) throw new Error('This request has no session: put sessions(secret) in the middleware list, outside the views.');
  return session;
}
