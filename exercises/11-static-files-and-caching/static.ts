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

// TODO: Return the absolute path of the file `urlPath` names inside `root`, or null
// when it would land outside `root`, or when `urlPath` holds a NUL byte ('\0').
// `urlPath` arrives percent-decoded (the server decodes once): don't decode it again.
// resolveStaticPath('/srv/static', 'css/site.css')  -> '/srv/static/css/site.css'
// resolveStaticPath('/srv/static', '../secret.txt') -> null
// resolveStaticPath('/srv/static', '/etc/passwd')   -> null
export function resolveStaticPath(root: string, urlPath: string): string | null {
  throw new Error('TODO: resolve urlPath inside root, or return null when it would leave root');
}

// TODO: Return a file's Content-Type, by its extension; text types add "; charset=utf-8".
// 'css/site.css' -> 'text/css; charset=utf-8'    'js/app.js' -> 'text/javascript; charset=utf-8'
// 'img/dot.png'  -> 'image/png'                  'mystery.qqq' -> 'application/octet-stream'
export function contentType(file: string): string {
  throw new Error('TODO: map the file extension to a Content-Type');
}

// TODO: Return an entity tag, in quotes, made from the file's size and modification time.
// { size: 368, mtimeMs: 1732489841123 } -> 'W/"170-193607109e3"'
export function entityTag(stats: Stats): string {
  throw new Error('TODO: make an ETag from stats.size and stats.mtimeMs');
}

// TODO: Return true when the request's validators still match, so a 304 will do:
// If-None-Match when present (weak comparison, a list of tags, or *), and only
// otherwise If-Modified-Since (at or after the modification time, in whole seconds).
// If-None-Match: "x", W/"170-193607109e3"      with etag W/"170-193607109e3" -> true
// If-Modified-Since: Sun, 24 Nov 2024 23:10:41 GMT  with mtime …23:10:41.123Z -> true
export function isNotModified(headers: Headers, etag: string, lastModified: Date): boolean {
  throw new Error('TODO: compare If-None-Match, or else If-Modified-Since, with the file');
}

// TODO: Return a middleware that answers GET and HEAD for paths under `prefix` with the
// file from `root` (Content-Type, ETag, Last-Modified, Cache-Control), or 304 with the
// ETag and Cache-Control when isNotModified; the same plain 404 for anything missing,
// unsafe or a folder, HEAD as GET; and that passes every other request to `next`.
// GET /static/css/site.css                          -> 200, the file's bytes, text/css
// GET /static/css/site.css, If-None-Match: its ETag -> 304, no body
// GET /static/..%2fsecret.txt                       -> 404
// GET /                                             -> next(request)
export function serveStatic(root: string, prefix = '/static/', cacheControl = 'public, max-age=3600'): Middleware {
  const middleware: Middleware = (next) => async (request) => {
    throw new Error('TODO: serve the file under prefix from root, or pass the request on to next');
  };
  middleware.displayName = 'serveStatic'; // Don't change this line: the trace shows this name.
  return middleware;
}
