// Lesson 11: static files. serveStatic() answers GET and HEAD under a URL
// prefix with the files of one folder: never a file outside it, and with the
// validators (ETag, Last-Modified) that let a browser ask "changed?" and hear 304.
//
// Lesson 13 imports this module as you leave it:
//   serveStatic(root, '/static/')     a Middleware, to list before the router
//   resolveStaticPath(root, urlPath)  the safe path check, on its own
import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { HttpError, Response, type Middleware } from '#provided/http.ts';

/**
 * The file that `urlPath` names inside `root`, or null when it would be outside.
 * `urlPath` arrives percent-decoded (the server decodes once): never decode it again.
 * @example resolveStaticPath('/srv/static', 'css/site.css')  // '/srv/static/css/site.css'
 * @example resolveStaticPath('/srv/static', '../secret.txt') // null
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  // No file name holds a NUL byte, and the file system would answer one with an error, not "not found".
  if (urlPath.includes('\0')) return null;
  const base = path.resolve(root);
  // resolve() folds '.' and '..' (and, on Windows, '\'), and an absolute urlPath replaces base:
  // so check where the result landed, not what the input looked like.
  const file = path.resolve(base, urlPath);
  // Inside means base plus a separator: "/srv/static-private" starts with "/srv/static" too.
  return file.startsWith(base + path.sep) ? file : null;
}

// Text types say their charset: without it, a browser guesses, and guesses wrong for "é".
const mediaTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/vnd.microsoft.icon',
  '.woff2': 'font/woff2',
};

/** contentType('css/site.css') → 'text/css; charset=utf-8'; an unknown extension → 'application/octet-stream'. */
export function contentType(file: string): string {
  // application/octet-stream says "just bytes": a browser downloads them instead of guessing.
  return mediaTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** An entity tag from the file's size and modification time: W/"<size hex>-<mtime ms hex>". */
export function entityTag(stats: Stats): string {
  // Weak (W/): size and time say "the same file, as far as we can tell", not "the same
  // bytes, guaranteed"; a content hash would earn a strong tag, at the cost of reading the file.
  return `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
}

/**
 * Whether a GET or HEAD may be answered 304 Not Modified (RFC 9110, section 13.2.2).
 * @example isNotModified(new Headers({ 'if-none-match': '"a", W/"1c-1"' }), 'W/"1c-1"', mtime) // true
 */
export function isNotModified(headers: Headers, etag: string, lastModified: Date): boolean {
  const ifNoneMatch = headers.get('if-none-match');
  // When If-None-Match is present, it decides alone: If-Modified-Since is ignored (section 13.1.3).
  if (ifNoneMatch !== null) {
    if (ifNoneMatch.trim() === '*') return true;
    // Weak comparison (section 8.8.3.2): W/"x" and "x" match. Quoted tags may hold commas, so match them, don't split.
    const opaque = (tag: string) => tag.replace(/^W\//, '');
    const tags = ifNoneMatch.match(/(?:W\/)?"[^"]*"/g) ?? [];
    return tags.some((tag) => opaque(tag) === opaque(etag));
  }
  // Date.parse gives NaN for a missing or malformed date, and NaN compares false: the header is ignored.
  const since = Date.parse(headers.get('if-modified-since') ?? '');
  // Last-Modified was sent in whole seconds; the file's time has milliseconds. Compare seconds.
  const modified = Math.floor(lastModified.getTime() / 1000) * 1000;
  return modified <= since;
}

/**
 * A middleware that answers GET and HEAD under `prefix` with the files in `root`, and
 * passes every other request on.
 * @example compose([serveStatic(path.join(import.meta.dirname, 'static'), '/static/')], view)
 */
export function serveStatic(root: string, prefix = '/static/', cacheControl = 'public, max-age=3600'): Middleware {
  const middleware: Middleware = (next) => async (request) => {
    if (!request.path.startsWith(prefix) || (request.method !== 'GET' && request.method !== 'HEAD')) return next(request);
    const file = resolveStaticPath(root, request.path.slice(prefix.length));
    const stats = file === null ? undefined : await statIfExists(file);
    // Outside the root, missing, or a folder: the same plain 404, which tells a prober nothing.
    if (file === null || !stats?.isFile()) throw new HttpError(404, 'Not Found');
    // A 304 must carry the ETag and Cache-Control a 200 would have (RFC 9110, section 15.4.5).
    const validators = { etag: entityTag(stats), 'cache-control': cacheControl };
    if (isNotModified(request.headers, validators.etag, stats.mtime)) return new Response('', { status: 304, headers: validators });
    // toUTCString() writes an IMF-fixdate: "Sun, 24 Nov 2024 23:10:41 GMT".
    const headers = { ...validators, 'content-type': contentType(file), 'last-modified': stats.mtime.toUTCString() };
    // HEAD gets the body too: the server sends its length, then drops the bytes.
    return new Response(await fs.readFile(file), { headers });
  };
  middleware.displayName = 'serveStatic';
  return middleware;
}

/** The file's Stats, or undefined when nothing is there. Anything else (no permission, say) is a real error. */
async function statIfExists(file: string): Promise<Stats | undefined> {
  try {
    return await fs.stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG') return undefined;
    throw error;
  }
}
