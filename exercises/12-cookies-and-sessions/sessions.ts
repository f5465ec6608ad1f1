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

// TODO: Return the value, a ":" and its signature: the HMAC-SHA256 of the value
// under the secret (createHmac), as base64url.
// sign('hello', 'k') -> 'hello:<43 characters of base64url HMAC-SHA256 of "hello" under the key "k">'
export function sign(value: string, secret: string): string {
  throw new Error('TODO: sign the value with HMAC-SHA256 (sign in sessions.ts)');
}

// TODO: Split at the last ":", sign the value again and compare the two
// signatures with timingSafeEqual. Return the value when they match, else
// undefined: never throw, whatever the client sent.
// unsign(sign('hello', 'k'), 'k') -> 'hello'; a changed value or signature, or another key -> undefined
export function unsign(signed: string, secret: string): string | undefined {
  throw new Error('TODO: check the signature in constant time (unsign in sessions.ts)');
}

// ---- 2. Session data in a cookie, like signing.dumps() and loads() ------------

// TODO: Sign "<payload>:<timestamp>": the payload is the data as JSON, in UTF-8,
// as base64url; the timestamp is `now` in whole seconds since 1970.
// dumps({ username: 'ada' }, 'k') -> 'eyJ1c2VybmFtZSI6ImFkYSJ9:1764025798:<signature>'
export function dumps(data: SessionData, secret: string, now = Date.now()): string {
  throw new Error('TODO: encode, timestamp and sign the session data (dumps in sessions.ts)');
}

// TODO: Undo dumps(): unsign first, then refuse a timestamp more than maxAge
// seconds old, then decode the payload. Return undefined for anything wrong
// (tampered, another secret, too old, not a JSON object): never throw.
// loads(dumps(data, 'k'), 'k', 3600) -> data; tampered, another key, older than maxAge or garbage -> undefined
export function loads(cookie: string, secret: string, maxAge: number, now = Date.now()): SessionData | undefined {
  throw new Error('TODO: verify, check the age and decode the session cookie (loads in sessions.ts)');
}

// ---- 3. The middleware, like Django's SessionMiddleware ------------------------

// TODO: On the way in, load the session from the cookie (loads) and put a Session
// in request.state as 'session'. On the way out, only if session.modified: append
// a Set-Cookie with dumps(session.data) and `attributes` plus Max-Age, or, if the
// session is now empty and the request had the cookie, one that deletes it (expiredCookie).
// GET /account with "Cookie: sessionid=<valid>" -> request.state 'session' holds { username: 'ada' }; no Set-Cookie
// POST /login that sets 'username' -> "Set-Cookie: sessionid=<new signed value>; Path=/; Max-Age=1209600; HttpOnly; SameSite=Lax"
export function sessions(secret: string, options: SessionOptions = {}): Middleware {
  const { cookieName = 'sessionid', maxAge = SESSION_COOKIE_AGE, secure = false } = options;
  const attributes = { path: '/', httpOnly: true, sameSite: 'Lax', secure } as const;

  const sessionMiddleware: Middleware = (next) => async (request) => {
    throw new Error('TODO: load the session on the way in, save it on the way out (sessions in sessions.ts)');
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
