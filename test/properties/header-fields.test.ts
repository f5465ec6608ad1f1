// The provided HeaderFields (provided/header-fields.ts) stands in for the Fetch
// standard's Headers in every Request and Response: for any sequence of calls,
// it must answer, and refuse, exactly as Node's own Headers does.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { HeaderFields } from '../../provided/header-fields.ts';

/** Names in several letter cases, Set-Cookie among them, and some that are not tokens. */
const name = fc.constantFrom('Content-Type', 'content-type', 'SET-COOKIE', 'Set-Cookie', 'x-a', 'X-A', 'x-b', 'a', 'Z', '!#$%&\'*+-.^_`|~', 'bad name', 'bad:name', '', 'é', 'x\u0100');
/** Values with whitespace at either end or inside, Latin-1 and wider characters, CR, LF and NUL. */
const value = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'b', ',', ' ', '\t', '\r', '\n', '\0', 'é', '\u00ff', '\u0100', '€', '"', ';') , maxLength: 6 }),
  fc.constantFrom('', ' ', 'text/html; charset=utf-8', 'id=1; Path=/; HttpOnly'),
);
const operation = fc.oneof(
  fc.tuple(fc.constant('append' as const), name, value),
  fc.tuple(fc.constant('set' as const), name, value),
  fc.tuple(fc.constant('delete' as const), name, fc.constant('')),
);

type Fields = Pick<Headers, 'append' | 'set' | 'delete' | 'get' | 'has' | 'getSetCookie' | 'entries'>;

/** What a caller can see of the fields: every entry, and get, has and getSetCookie for every name (or the error class). */
function seen(fields: Fields): unknown {
  const safely = (read: () => unknown) => {
    try {
      return read();
    } catch (error) {
      return `throws ${(error as Error).constructor.name}`;
    }
  };
  const names = ['Content-Type', 'set-cookie', 'x-a', 'x-b', 'a', 'z', '!#$%&\'*+-.^_`|~', 'bad name', ''];
  return {
    entries: [...fields.entries()],
    setCookies: fields.getSetCookie(),
    get: names.map((n) => safely(() => fields.get(n))),
    has: names.map((n) => safely(() => fields.has(n))),
  };
}

/** Runs the call on both; both must throw a TypeError, or neither. */
function apply(fields: Fields, [method, n, v]: [string, string, string]): string {
  try {
    if (method === 'delete') fields.delete(n);
    else fields[method as 'append' | 'set'](n, v);
    return 'ok';
  } catch (error) {
    return `throws ${(error as Error).constructor.name}`;
  }
}

describe('provided HeaderFields', () => {
  test('answers every sequence of append, set and delete as Node’s Headers does', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 12 }), (operations) => {
        const ours = new HeaderFields();
        const node = new Headers();
        for (const call of operations) {
          expect(apply(ours, call)).toBe(apply(node, call));
          expect(seen(ours)).toEqual(seen(node));
        }
      }),
      { numRuns: 300 },
    );
  });

  test('is built from a record, pairs or other fields as Node’s Headers is', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 6 }), (pairs) => {
        const build = (make: () => Fields) => {
          try {
            return seen(make());
          } catch (error) {
            return `throws ${(error as Error).constructor.name}`;
          }
        };
        expect(build(() => new HeaderFields(pairs))).toEqual(build(() => new Headers(pairs)));
        const record = Object.fromEntries(pairs);
        expect(build(() => new HeaderFields(record))).toEqual(build(() => new Headers(record)));
      }),
      { numRuns: 200 },
    );
    const node = new Headers([['Set-Cookie', 'a=1'], ['set-cookie', 'b=2'], ['X-A', ' 1 ']]);
    expect(seen(new HeaderFields(node))).toEqual(seen(new Headers(node)));
    expect(() => new HeaderFields([['only-a-name']] as unknown as string[][])).toThrow(TypeError);
  });

  test('iterates, forEach included, in the same order with the same values', () => {
    const calls: [string, string][] = [['X-B', '2'], ['set-cookie', 'b=2'], ['Set-Cookie', 'a=1'], ['x-a', '1'], ['X-B', '3']];
    const ours = new HeaderFields(calls);
    const node = new Headers(calls);
    expect([...ours]).toEqual([...node]);
    expect([...ours.keys()]).toEqual([...node.keys()]);
    expect([...ours.values()]).toEqual([...node.values()]);
    const each = (fields: Headers) => {
      const out: string[] = [];
      fields.forEach((v, k, parent) => out.push(`${k}=${v}:${parent === fields}`));
      return out;
    };
    expect(each(ours)).toEqual(each(node));
    expect(Object.prototype.toString.call(ours)).toBe(Object.prototype.toString.call(node));
  });
});
