// Lesson 04: the request object. node:http has already parsed the bytes into an
// IncomingMessage; we turn it into a Request a view can use, as Django's
// WSGIHandler turns the WSGI environ into an HttpRequest.
import type { IncomingMessage } from 'node:http';

/** A dict whose keys can repeat: every value is kept, in the order it came. Like Django's QueryDict. */
export class MultiDict {
  // Don't change this line: each key maps to its values, in order.
  readonly #lists = new Map<string, string[]>();

  // TODO: Add the value after any values the key already has.
  // "tag" + "a", then "tag" + "b" -> { tag: ['a', 'b'] }
  append(key: string, value: string): void {
    throw new Error('TODO: add the value to the list of values for this key');
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

// TODO: Parse a query string (the part after "?") by the form-urlencoded rules:
// pairs split on "&", name and value on the first "=", "+" is a space, %XX is decoded.
// Keep a "%" that is not followed by two hex digits as it is, and decode the rest.
// "tag=a&tag=b&q=caf%C3%A9+au+lait&flag" -> { tag: ['a', 'b'], q: ['café au lait'], flag: [''] }
// "q=caf%C3%A9+50%" -> { q: ['café 50%'] }
export function parseQuery(query: string): MultiDict {
  throw new Error('TODO: parse the query string into a MultiDict');
}

// TODO: Parse the Cookie header into names and values.
// "session=abc; theme=dark" -> { session: 'abc', theme: 'dark' }
export function parseCookies(header: string | undefined): Record<string, string> {
  throw new Error('TODO: parse the Cookie header into an object');
}

// TODO: Build the Request from node's message: message.method, message.url
// ("/inspect/caf%C3%A9?a=1"), message.rawHeaders (["Host", "localhost", …]) and
// message.socket.remoteAddress. Decode the path like the query, without the "+" rule:
// "/inspect/50%" stays "/inspect/50%" (decodeURIComponent would throw a URIError on it).
// GET /inspect?a=1 from 127.0.0.1 -> { method: 'GET', path: '/inspect', query: { a: ['1'] }, …, clientAddress: '127.0.0.1' }
export function buildRequest(message: IncomingMessage): Request {
  throw new Error('TODO: build a Request from the IncomingMessage');
}
