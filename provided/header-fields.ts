// Provided: the header fields of a Request or Response, with the API and the
// rules of the Fetch standard's Headers class (https://fetch.spec.whatwg.org/#headers-class).
// Node has that class built in, but the first `new Headers()` loads all of
// undici, Node's fetch engine: 20 ms of CPU, more than the rest of a small
// server's start. This one does the same, for the parts a server uses.

/** A field name is a token (RFC 9110, section 5.6.2). */
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** HTTP whitespace, which the standard strips from both ends of a value. */
const edges = /^[\t\n\r ]+|[\t\n\r ]+$/g;

type HeaderFieldsInit = Headers | HeaderFields | Iterable<readonly string[]> | Record<string, string | readonly string[]>;

/**
 * Case-insensitive header fields: `get('content-type')` finds `Content-Type`.
 * A repeated field reads as one value, its values joined with ", ", except
 * Set-Cookie, whose values getSetCookie() gives one by one.
 */
export class HeaderFields implements Headers {
  /** Every field as appended: lower-case name, value. */
  private fields: [string, string][] = [];

  constructor(init?: HeaderFieldsInit) {
    if (init === undefined || init === null) return;
    if (typeof init !== 'object') throw new TypeError('HeaderFields: init must be an object.');
    if (Symbol.iterator in init) {
      for (const pair of init as Iterable<readonly string[]>) {
        if (pair.length !== 2) throw new TypeError('HeaderFields: each pair of init must be [name, value].');
        this.append(pair[0]!, pair[1]!);
      }
    } else {
      for (const [name, value] of Object.entries(init)) this.append(name, String(value));
    }
  }

  append(name: string, value: string): void {
    this.fields.push([fieldName(name, 'append'), fieldValue(value, name, 'append')]);
  }

  set(name: string, value: string): void {
    const lower = fieldName(name, 'set');
    const normalized = fieldValue(value, name, 'set');
    const first = this.fields.findIndex(([n]) => n === lower);
    if (first === -1) {
      this.fields.push([lower, normalized]);
      return;
    }
    this.fields[first] = [lower, normalized];
    this.fields = this.fields.filter(([n], i) => n !== lower || i === first);
  }

  get(name: string): string | null {
    const lower = fieldName(name, 'get');
    const values = this.fields.filter(([n]) => n === lower).map(([, v]) => v);
    return values.length ? values.join(', ') : null;
  }

  getSetCookie(): string[] {
    return this.fields.filter(([n]) => n === 'set-cookie').map(([, v]) => v);
  }

  has(name: string): boolean {
    const lower = fieldName(name, 'has');
    return this.fields.some(([n]) => n === lower);
  }

  delete(name: string): void {
    const lower = fieldName(name, 'delete');
    this.fields = this.fields.filter(([n]) => n !== lower);
  }

  forEach(callback: (value: string, name: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this);
  }

  /** Sorted by name, in lower case; the values of a repeated name joined, except Set-Cookie's. */
  *entries(): Generator<[string, string], void, undefined> {
    const names = [...new Set(this.fields.map(([n]) => n))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) {
      if (name === 'set-cookie') for (const value of this.getSetCookie()) yield [name, value];
      else yield [name, this.get(name)!];
    }
  }

  *keys(): Generator<string, void, undefined> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): Generator<string, void, undefined> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): Generator<[string, string], void, undefined> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Headers';
  }
}

function fieldName(name: string, method: string): string {
  const text = String(name);
  if (!token.test(text)) throw new TypeError(`Headers.${method}: ${JSON.stringify(text)} is an invalid header name.`);
  return text.toLowerCase();
}

function fieldValue(value: string, name: string, method: string): string {
  const text = String(value).replace(edges, '');
  if (/[\0\r\n]/.test(text) || /[^\0-\xff]/.test(text)) throw new TypeError(`Headers.${method}: ${JSON.stringify(String(value))} is an invalid header value for ${JSON.stringify(String(name))}.`);
  return text;
}
