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

// RFC 9110's token: the characters a cookie name may use.
const cookieName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 6265's cookie-octet: printable ASCII except space, " , ; and \ (empty is fine).
const cookieValue = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;
// Path and Domain values: printable ASCII (space included) except ";".
const attributeValue = /^[\x20-\x3A\x3C-\x7E]+$/;

// ('theme', 'dark', { path: '/', maxAge: 3600, httpOnly: true, sameSite: 'Lax' })
//   -> 'theme=dark; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax'
// ('the me', …) or (…, 'a;b', …) -> throws a TypeError
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  // Refuse rather than repair: a ";" in a value would start an attribute the
  // caller never asked for. Callers encode their values first (base64url, say).
  if (!cookieName.test(name)) throw new TypeError(`Invalid cookie name ${JSON.stringify(name)}: use letters, digits and !#$%&'*+-.^_\`|~ only.`);
  if (!cookieValue.test(value)) throw new TypeError(`Invalid cookie value ${JSON.stringify(value)}: no spaces, quotes, commas, semicolons, backslashes or non-ASCII.`);

  const parts = [`${name}=${value}`];
  if (options.path !== undefined) parts.push(`Path=${checked('Path', options.path)}`);
  if (options.domain !== undefined) parts.push(`Domain=${checked('Domain', options.domain)}`);
  if (options.maxAge !== undefined) {
    // Whole seconds, 0 or more: 0 deletes the cookie now, and nothing needs less.
    if (!Number.isInteger(options.maxAge) || options.maxAge < 0) throw new TypeError(`Max-Age must be a whole number of seconds, 0 or more, not ${options.maxAge}.`);
    parts.push(`Max-Age=${options.maxAge}`);
  }
  if (options.expires !== undefined) {
    if (Number.isNaN(options.expires.getTime())) throw new TypeError('Expires must be a valid date.');
    // toUTCString() writes the IMF-fixdate of RFC 9110: "Tue, 01 Jan 2030 00:00:00 GMT".
    parts.push(`Expires=${options.expires.toUTCString()}`);
  }
  if (options.httpOnly) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  if (options.sameSite !== undefined) {
    if (!['Strict', 'Lax', 'None'].includes(options.sameSite)) throw new TypeError(`SameSite must be Strict, Lax or None, not ${JSON.stringify(options.sameSite)}.`);
    // Browsers drop a SameSite=None cookie that is not also Secure (RFC 6265bis): say so now.
    if (options.sameSite === 'None' && !options.secure) throw new TypeError('SameSite=None needs Secure too, or browsers ignore the cookie.');
    parts.push(`SameSite=${options.sameSite}`);
  }
  return parts.join('; ');
}

function checked(attribute: string, text: string): string {
  if (!attributeValue.test(text)) throw new TypeError(`Invalid ${attribute} ${JSON.stringify(text)}: no semicolons or control characters.`);
  return text;
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
