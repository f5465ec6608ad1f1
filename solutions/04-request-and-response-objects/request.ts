// Lesson 04: the request object. node:http has already parsed the bytes into an
// IncomingMessage; we turn it into a Request a view can use, as Django's
// WSGIHandler turns the WSGI environ into an HttpRequest.
import type { IncomingMessage } from 'node:http';

/** A dict whose keys can repeat: every value is kept, in the order it came. Like Django's QueryDict. */
export class MultiDict {
  // Don't change this line: each key maps to its values, in order.
  readonly #lists = new Map<string, string[]>();

  // "tag" + "a", then "tag" + "b" -> { tag: ['a', 'b'] }
  append(key: string, value: string): void {
    const list = this.#lists.get(key);
    // A repeated key adds to the list; it never replaces what came before.
    if (list) list.push(value);
    else this.#lists.set(key, [value]);
  }

  /** The last value, as Django's QueryDict.get returns; undefined when there is none. */
  get(key: string): string | undefined {
    return this.#lists.get(key)?.at(-1);
  }

  /** Every value, in order; [] when there is none. Like QueryDict.getlist. */
  getAll(key: string): string[] {
    return [...(this.#lists.get(key) ?? [])];
  }

  toJSON(): Record<string, string[]> {
    return Object.fromEntries(this.#lists);
  }
}

export interface Request {
  method: string;
  /** Percent-decoded, without the query: "/inspect/café". */
  path: string;
  query: MultiDict;
  /** Header names in lower case, so looking one up is case-insensitive. */
  headers: MultiDict;
  cookies: Record<string, string>;
  /** The address of the peer on the other end of the TCP connection. */
  clientAddress: string;
}

/**
 * Percent-decodes as the URL Standard does: each run of %XX escapes becomes bytes, read
 * as UTF-8 ("%C3%A9" -> "é"; bytes that are not valid UTF-8 become U+FFFD, "�").
 * A "%" without two hex digits after it is no escape and stays as it is: "50%" -> "50%".
 * decodeURIComponent would throw a URIError on the whole text instead.
 */
function decode(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replaceAll('%', ''), 'hex').toString('utf8'));
}

// "tag=a&tag=b&q=caf%C3%A9+au+lait&flag" -> { tag: ['a', 'b'], q: ['café au lait'], flag: [''] }
export function parseQuery(query: string): MultiDict {
  const dict = new MultiDict();
  for (const pair of query.split('&')) {
    // "a=1&&b=2" has an empty pair in the middle: it is skipped, not a key "".
    if (pair === '') continue;
    // Only the first "=" separates name from value: "next=/a?b=c" keeps "/a?b=c".
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? '' : pair.slice(eq + 1);
    // Split first, then decode: an encoded "%26" is a literal "&", not a separator.
    // "+" means space in a query (application/x-www-form-urlencoded), and must become
    // one before decoding, so that an encoded "%2B" stays a real "+".
    // new URLSearchParams(query) follows the same rules.
    dict.append(decode(name.replaceAll('+', ' ')), decode(value.replaceAll('+', ' ')));
  }
  return dict;
}

// "session=abc; theme=dark" -> { session: 'abc', theme: 'dark' }
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  // RFC 6265, section 5.4: pairs are separated by "; ".
  for (const piece of (header ?? '').split(';')) {
    const eq = piece.indexOf('=');
    if (eq === -1) continue;
    // A value may itself contain "=" (base64 does): split at the first one only.
    cookies[piece.slice(0, eq).trim()] = piece.slice(eq + 1).trim();
  }
  return cookies;
}

// GET /inspect?a=1 from 127.0.0.1 -> { method: 'GET', path: '/inspect', query: { a: ['1'] }, …, clientAddress: '127.0.0.1' }
export function buildRequest(message: IncomingMessage): Request {
  // message.url is the request-target as sent: "/inspect/caf%C3%A9?a=1".
  const target = message.url ?? '/';
  const mark = target.indexOf('?');
  const rawPath = mark === -1 ? target : target.slice(0, mark);
  const rawQuery = mark === -1 ? '' : target.slice(mark + 1);

  // rawHeaders is [name, value, name, value, …] as sent: names in their
  // original case, and a repeated header once per line.
  const headers = new MultiDict();
  const raw = message.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!.toLowerCase(), raw[i + 1]!);

  return {
    method: message.method ?? 'GET',
    // "+" is only a space in the query; in a path it is a plain "+".
    path: decode(rawPath),
    query: parseQuery(rawQuery),
    headers,
    // A client sends at most one Cookie header (RFC 6265, section 5.4).
    cookies: parseCookies(headers.get('cookie')),
    // The socket's peer, never X-Forwarded-For: any client can send that header.
    clientAddress: message.socket.remoteAddress ?? '',
  };
}
