// Lesson 11's path resolver, against paths nobody thought of: for any request
// path (dot segments, encoded and double-encoded forms, NUL bytes,
// backslashes, absolute paths), resolveStaticPath either refuses it or names a
// file inside the static root. Checked on the reference solution, as the
// server sees the path (decoded once) and as it arrives (still encoded).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { resolveStaticPath } from '../../solutions/11-static-files-and-caching/static.ts';

// A real folder with a sibling whose name starts like it: /tmp/…/static and /tmp/…/static-private.
const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtrip-static-'));
const root = path.join(sandbox, 'static');
fs.mkdirSync(path.join(root, 'css'), { recursive: true });
fs.mkdirSync(path.join(sandbox, 'static-private'));
afterAll(() => fs.rmSync(sandbox, { recursive: true, force: true }));

/** Inside the root: below it, never the root itself, never a sibling. */
function inside(file: string): boolean {
  const relative = path.relative(root, file);
  const climbs = relative === '..' || relative.startsWith(`..${path.sep}`);
  return path.isAbsolute(file) && relative !== '' && !climbs && !path.isAbsolute(relative) && !file.includes('\0');
}

/** What provided/serve.ts does to the path: decodeURIComponent once, or the path as it was when that fails. */
function decodeOnce(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const segment = fc.oneof(
  fc.constantFrom('..', '.', '', '%2e%2e', '%2E%2E', '.%2e', '%252e%252e', '..%2f', '..%2F', '%2e%2e%2f', '..%252f', '..%5c', '..\\', '\\', '%00', '\0', '%2500', 'static-private', 'static', 'css', 'site.css', '~', '...', '%', '%zz'),
  fc.string({ unit: fc.constantFrom('a', 'b', '.', '/', '\\', '%', '2', 'e', 'f', '5', 'c', '0', '\0', ' ', 'é'), maxLength: 8 }),
);
const requestPath = fc.tuple(fc.constantFrom('', '/', '//', '\\', 'C:\\', '/etc/'), fc.array(segment, { maxLength: 8 })).map(([start, parts]) => start + parts.join('/'));

describe('resolveStaticPath (solution of lesson 11)', () => {
  test('refuses any path, or names a file inside the root', () => {
    fc.assert(
      fc.property(requestPath, (raw) => {
        for (const urlPath of [raw, decodeOnce(raw)]) {
          const file = resolveStaticPath(root, urlPath);
          if (file !== null && !inside(file)) throw new Error(`${JSON.stringify(urlPath)} resolved to ${file}, outside ${root}`);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('refuses every path that names the secret beside the root', () => {
    const secret = path.join(sandbox, 'secret.txt');
    fc.assert(
      fc.property(fc.array(fc.constantFrom('..', '.', 'css', 'static', ''), { maxLength: 5 }), (parts) => {
        const urlPath = [...parts, 'secret.txt'].join('/');
        expect(resolveStaticPath(root, urlPath)).not.toBe(secret);
      }),
    );
  });

  test('resolves ordinary paths, and refuses the classic attacks', () => {
    expect(resolveStaticPath(root, 'css/site.css')).toBe(path.join(root, 'css', 'site.css'));
    expect(resolveStaticPath(root, 'css/../css/site.css')).toBe(path.join(root, 'css', 'site.css'));
    expect(resolveStaticPath(root, '%2e%2e%2fsecret.txt')).toBe(path.join(root, '%2e%2e%2fsecret.txt'));
    for (const attack of ['../secret.txt', 'css/../../secret.txt', '../static-private/secret.txt', path.join(sandbox, 'secret.txt'), 'site.css\0.png', '', '.', 'css/../..']) {
      expect(resolveStaticPath(root, attack), attack).toBeNull();
    }
  });
});
