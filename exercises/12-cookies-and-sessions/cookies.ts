// Lesson 12: the Set-Cookie header, written by hand. serializeCookie() turns a
// name, a value and some attributes into one header value (RFC 6265, section
// 4.1), like Django's response.set_cookie() or Express's res.cookie().
//
// For lesson 13, import from here:
//   serializeCookie(name, value, options)  -> 'name=value; Path=/; HttpOnly; …'
//   expiredCookie(name, options)           -> a Set-Cookie value that deletes the cookie
//   type CookieOptions

export interface CookieOptions {
  /** The cookie goes back only for paths under this one: '/' for the whole site. */
  path?: string;
  /** Leave out to keep the cookie to this exact host (the safest choice). */
  domain?: string;
  /** Seconds until the browser forgets the cookie; 0 (or less) deletes it now. */
  maxAge?: number;
  /** The same as maxAge, as a date. Without either, the cookie lasts until the browser closes. */
  expires?: Date;
  /** Keep the cookie away from JavaScript (document.cookie). */
  httpOnly?: boolean;
  /** Send the cookie over HTTPS only. */
  secure?: boolean;
  /** Whether the browser sends the cookie with requests that other sites start. */
  sameSite?: 'Strict' | 'Lax' | 'None';
}

// TODO: Write "name=value", then "; "-separated attributes for each option given:
// Path=, Domain=, Max-Age= (whole seconds), Expires= (toUTCString()), HttpOnly,
// Secure, SameSite=. Throw a TypeError instead when the name is not a token, the
// value has a space, " , ; \ or a non-ASCII character, Path or Domain has a ";",
// Max-Age is not a whole number 0 or more, or SameSite=None comes without Secure.
// ('theme', 'dark', { path: '/', maxAge: 3600, httpOnly: true, sameSite: 'Lax' })
//   -> 'theme=dark; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax'
// ('the me', …) or (…, 'a;b', …) -> throws a TypeError
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  throw new Error('TODO: write the Set-Cookie value, or throw a TypeError for a bad cookie (serializeCookie in cookies.ts)');
}

// Helpers: use them as they are.

/**
 * A Set-Cookie value that makes the browser delete the cookie, like Django's
 * response.delete_cookie(). Path and Domain must be those the cookie was set with.
 * @example response.headers.append('set-cookie', expiredCookie('sessionid', { path: '/' }));
 */
export function expiredCookie(name: string, options: CookieOptions = {}): string {
  return serializeCookie(name, '', { ...options, maxAge: 0, expires: new Date(0) });
}
