// Lesson 11: static files. The grader asks serveStatic for the files in
// static/ and compares them byte for byte with the ones on disk; checks the
// validators (ETag, Last-Modified) and the 304s they allow; and tries every way
// out of static/ it knows, looking for two secret files that sit just outside.
// Traversal attempts go over a raw socket, so no client tidies the path first.
import fs from 'node:fs';
import path from 'node:path';
import { staticFiles, type StaticFile } from '../../provided/fixtures/11-static-files-and-caching.ts';
import { type Check, excerpt, gradeLesson, handPort, header, netcatCommand, type RawResponse, type Received } from '../engine/harness.ts';

// node:http reads the requests: a behaviour's requests share connections (see LessonOptions.keepAlive).
const lesson = gradeLesson(import.meta.url, { keepAlive: true });
const { random } = lesson;

/**
 * The charset parameter of a text type: utf-8, quoted or not, with optional whitespace around the ";" and empty
 * parameters beside it ("text/css ; charset=utf-8;"), as the grammar allows (RFC 9110, section 5.6.6).
 */
const charsetUtf8 = String.raw`(?:\s*;)+\s*charset="?utf-8"?(?:\s*;)*`;

interface Asset extends StaticFile {
  /** What the Content-Type must match: the type, in any letter case, with its charset quoted or not. */
  pattern: RegExp;
}

/** A file and the Content-Type patterns it allows: a charset where the lesson's type has one; an XML type may carry one. */
function withPattern(file: StaticFile): Asset {
  const [base, charset] = file.type.split(';').map((part) => part.trim());
  const escaped = base!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const parameter = charset ? charsetUtf8 : base!.endsWith('+xml') ? `(${charsetUtf8})?` : '';
  return { ...file, pattern: new RegExp(`^${escaped}${parameter}$`, 'i') };
}

const { css, js, svg, png, txt, unknown, percent } = Object.fromEntries(Object.entries(staticFiles).map(([name, file]) => [name, withPattern(file)])) as Record<keyof typeof staticFiles, Asset>;
const assets = [css, js, svg, png, txt, unknown];

// ---- the files on disk -----------------------------------------------------

function restoreHint(file: string): string {
  return `The grader needs ${file} as shipped: \`npm run reset -- 11\` restores the lesson's files (it asks first, and keeps a copy of your work).`;
}

function bytesOf(t: Check, asset: Asset): Buffer {
  const file = path.join(lesson.dir, 'static', asset.file);
  if (!fs.existsSync(file)) t.fail({ summary: `static/${asset.file} is missing from the exercise folder.`, hint: restoreHint(`static/${asset.file}`) });
  return fs.readFileSync(file);
}

/**
 * The file's modification time cut to whole seconds, as an HTTP date carries it:
 * the earliest and the latest second a right answer may give. They differ in the
 * last half millisecond of a second only: stats.mtime is stats.mtimeMs rounded to
 * the millisecond (05.9997 is 06.000 there), and the lesson takes either.
 */
function modifiedSeconds(t: Check, asset: Asset): { earliest: number; latest: number } {
  bytesOf(t, asset);
  const ms = fs.statSync(path.join(lesson.dir, 'static', asset.file)).mtimeMs;
  return { earliest: Math.floor(ms / 1000) * 1000, latest: Math.floor(Math.round(ms) / 1000) * 1000 };
}

/**
 * Runs `run` while the files' modification time is `ms` (then puts the old times back), so
 * a check can choose the time: milliseconds past the half second catch rounding.
 * Returns what the file system kept, cut to whole seconds.
 */
async function withModified(t: Check, files: Asset[], ms: number, run: (second: number) => Promise<void>): Promise<void> {
  const paths = files.map((asset) => (bytesOf(t, asset), path.join(lesson.dir, 'static', asset.file)));
  const before = paths.map((file) => fs.statSync(file));
  try {
    for (const file of paths) fs.utimesSync(file, new Date(), new Date(ms));
    await run(Math.floor(fs.statSync(paths[0]!).mtimeMs / 1000) * 1000);
  } finally {
    paths.forEach((file, i) => fs.utimesSync(file, before[i]!.atime, before[i]!.mtime));
  }
}

/** A time in the past year, `extra` milliseconds past a whole second. */
const pastTime = (t: Check, extra = t.random.int(500, 999)) => (Math.floor(Date.now() / 1000) - t.random.int(3600, 365 * 86400)) * 1000 + extra;

/** The marker line of each secret file outside static/: no response may ever contain one. */
function secrets(t: Check): Buffer[] {
  return ['secret.txt', 'static-private/secret.txt'].map((name) => {
    const file = path.join(lesson.dir, name);
    const marker = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').match(/roundtrip-secret-[0-9a-f]+/)?.[0] : undefined;
    if (!marker) t.fail({ summary: `${name}, the file the traversal checks try to reach, is missing or changed.`, hint: restoreHint(name) });
    return Buffer.from(marker);
  });
}

// ---- sending ------------------------------------------------------------------

/** GET (or HEAD) exactly `target`, over a raw socket, shown as the curl --path-as-is command that sends the same. */
async function raw(t: Check, target: string, options: { method?: string; headers?: Record<string, string>; trace?: boolean } = {}): Promise<RawResponse> {
  const method = options.method ?? 'GET';
  // A backslash only netcat sends unchanged; for it the engine shows printf | nc.
  const show = target.includes('\\') ? netcatCommand(`${method} ${target} HTTP/1.1\r\nHost: localhost:${handPort}\r\nConnection: close\r\n\r\n`) : undefined;
  const request = { method, path: target, headers: options.headers, pathAsIs: true, show };
  // A path sent as is goes over the raw socket either way; t.request records the trace too.
  return options.trace ? ((await t.request({ ...request, trace: true })) as RawResponse) : t.requestOverSocket(request);
}

/** serveStatic answers a path under its prefix by itself: the view must not have run for the last traced request. */
function expectNoView(t: Check, what: string): void {
  const views = t.lastTrace.filter((entry) => entry.stage === 'view').map((entry) => entry.name);
  t.check(views.length === 0, {
    summary: `${what} went on to the view (${views.join(', ')}): serveStatic did not answer it by itself.`,
    expected: 'serveStatic answers 404 Not Found itself; the router and the views never run for a path under /static/',
    received: `the view ${views.join(', ')} ran (see the trace below)`,
    hint: 'For GET and HEAD under the prefix, a refused path, a missing file and a folder all end in serveStatic: throw new HttpError(404, "Not Found") instead of calling next(request).',
  });
}

/** serveStatic left the last traced request to next(request): the view ran, and `asset` did not come back. */
function expectPassedOn(t: Check, response: Received, asset: Asset, summary: string, hint: string): void {
  const reached = t.lastTrace.some((entry) => entry.stage === 'view');
  t.check(reached && !response.body.equals(bytesOf(t, asset)), {
    summary,
    expected: `the home view's answer (404 Not Found, as it answers every path but /)`,
    received: `${response.status}, ${reached ? 'the view ran' : 'the view never ran'}: ${JSON.stringify(excerpt(response.text, 80))}`,
    hint,
  });
}

/** The ETag and Cache-Control of a 200 for the file. */
async function validatorsOf(t: Check, asset: Asset): Promise<{ etag: string; cacheControl: string | undefined }> {
  const response = await t.request({ path: asset.url });
  t.expectStatus(response, 200, `static/${asset.file} exists: answer GET ${asset.url} with 200 and the file.`);
  const etag = header(response, 'ETag');
  if (!etag) t.fail({ summary: 'The 200 response has no ETag, so there is no tag to send back in If-None-Match.', expected: 'ETag: W/"…" (or "…")', received: '(no such header)', hint: 'Set the ETag header from entityTag(stats) on every file you serve.' });
  return { etag, cacheControl: header(response, 'Cache-Control') };
}

async function etagOf(t: Check, asset: Asset): Promise<string> {
  return (await validatorsOf(t, asset)).etag;
}

// ---- checking -------------------------------------------------------------------

function expectFile(t: Check, response: Received, asset: Asset, hint: string): void {
  const bytes = bytesOf(t, asset);
  t.expectStatus(response, 200, hint);
  t.check(response.body.equals(bytes), {
    summary: `The body of GET ${asset.url} is not the bytes of static/${asset.file}.`,
    expected: `${bytes.length} bytes, exactly as on disk`,
    received: `${response.body.length} bytes: ${JSON.stringify(excerpt(response.text, 120))}`,
    hint: 'Read the file with fs.readFile(file) and no encoding: a Buffer goes out byte for byte, whatever the file holds.',
  });
}

function expectType(t: Check, response: Received, asset: Asset, hint: string): void {
  const type = header(response, 'Content-Type');
  t.check(type !== undefined && asset.pattern.test(type), {
    summary: `GET ${asset.url} has the wrong Content-Type.`,
    expected: `Content-Type: ${asset.type}`,
    received: type === undefined ? '(no Content-Type)' : `Content-Type: ${type}`,
    hint,
  });
}

/**
 * Two Cache-Control values that say the same: the directives in any order, their names in any letter case, with or without
 * spaces after the commas (RFC 9111, section 5.2). "public, max-age=3600" is "max-age=3600,public".
 */
function sameCacheControl(a: string | undefined, b: string | undefined): boolean {
  const directives = (value: string) => value.split(',').map((part) => part.trim().replace(/^[^=]*/, (name) => name.toLowerCase())).filter(Boolean).sort().join(', ');
  return a === b || (a !== undefined && b !== undefined && directives(a) === directives(b));
}

/** A 304 with no body, the ETag given (when given) and a Cache-Control: the 200's own, when `cacheControl` is given. */
function expectNotModified(t: Check, response: RawResponse, etag: string | undefined, hint: string, cacheControl?: string): void {
  t.expectStatus(response, 304, hint);
  if (etag) t.expectHeader(response, 'ETag', etag, 'A 304 repeats the ETag the 200 had, so the cache knows which copy is still good (RFC 9110, section 15.4.5).');
  const sent = header(response, 'Cache-Control');
  t.check(sent !== undefined && (cacheControl === undefined || sameCacheControl(sent, cacheControl)), {
    summary: sent === undefined ? 'The 304 has no Cache-Control.' : 'The 304 has another Cache-Control than the 200 it stands for.',
    expected: cacheControl === undefined ? 'the Cache-Control a 200 would have had' : `Cache-Control: ${cacheControl}, as in the 200`,
    received: sent === undefined ? '(no such header)' : `Cache-Control: ${sent}`,
    hint: 'A 304 must carry the ETag and Cache-Control of the 200 it stands for: the cache refreshes its copy with them. Send the same cacheControl serveStatic was given.',
  });
  t.check(response.extra.length === 0, {
    summary: 'Bytes followed the 304: a 304 has no body.',
    expected: 'nothing after the blank line that ends the head',
    received: `${response.extra.length} more bytes`,
    hint: 'Answer a 304 with an empty body.',
  });
}

/** The 404 for a file that is simply not there: every refused path must get the same one. */
async function plainNotFound(t: Check, method: string): Promise<RawResponse> {
  const target = `/static/missing-${t.hex(4)}.txt`;
  const response = await raw(t, target, { method, trace: true });
  t.expectStatus(response, 404, 'No such file: throw new HttpError(404, "Not Found").');
  expectNoView(t, `${method} ${target}, a file that does not exist,`);
  return response;
}

/** What a 404 shows a prober besides its status: the type, the length and (for GET) the body. */
const notFoundShape = (r: Received, method = 'GET') => `Content-Type: ${header(r, 'Content-Type') ?? '(none)'}, Content-Length: ${header(r, 'Content-Length') ?? '(none)'}${method === 'HEAD' ? '' : `, body ${JSON.stringify(excerpt(r.text, 80))}`}`;

/**
 * The request must get the very 404 a missing file gets (same type, same body), and
 * nothing from outside static/ may come back.
 */
async function expectRefused(t: Check, target: string, hint: string, method = 'GET', headers?: Record<string, string>): Promise<void> {
  const markers = secrets(t);
  const missing = await plainNotFound(t, method);
  const response = await raw(t, target, { method, headers, trace: true });
  const asked = headers ? `${method} ${target} (${Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join(', ')})` : `${method} ${target}`;
  // A conditional request must take the same way: a 304 for a file outside static/ tells that it exists, and its ETag its size and time.
  t.check(response.status !== 304, {
    summary: `${asked} was answered 304 Not Modified: the file outside static/ was looked at before the path was checked, and the 304 tells a prober that it exists.`,
    expected: '404 Not Found, the same answer as for a file that does not exist',
    received: `${response.statusLine}${header(response, 'ETag') ? `, ETag: ${header(response, 'ETag')}` : ''}`,
    hint: 'Take every request the same way, conditional or not: resolveStaticPath first, then stat, and only then isNotModified.',
  });
  const everything = Buffer.concat([Buffer.from(response.headers.flat().join('\n')), response.body, response.extra]);
  t.check(!markers.some((marker) => everything.includes(marker)), {
    summary: `${method} ${target} came back with a secret file from outside static/: a path traversal.`,
    expected: '404 Not Found, and no file',
    received: `${response.statusLine}\n${excerpt(response.text, 200)}`,
    hint,
  });
  t.check(response.status < 500, {
    summary: `${method} ${target} crashed the request (${response.status}) instead of being refused.`,
    expected: '404 Not Found',
    received: response.statusLine,
    hint: 'An exception escaped: the path reached the file system. Make resolveStaticPath return null for it, so the middleware answers 404.',
  });
  t.check(response.status === 404, {
    summary: response.status === 200 ? `${method} ${target} was not refused: it reached a file outside static/.` : `${method} ${target} was refused with ${response.status}, not the plain 404 a missing file gets.`,
    expected: '404 Not Found, the same answer as for a file that does not exist',
    received: response.statusLine,
    hint: response.status === 200 ? hint : 'Refuse every way out with the one plain 404 (throw new HttpError(404, "Not Found")): a different answer tells a prober that the path was refused, and why.',
  });
  // Only a path that is still under /static/ once the URL parser has folded its dot-dots is serveStatic's to refuse;
  // another ("/static/../secret.txt" is "/secret.txt") goes to the view, whose 404 need not look like serveStatic's own.
  if (!new URL(target, 'http://localhost').pathname.startsWith('/static/')) return;
  expectNoView(t, `${method} ${target}`);
  const shape = (r: Received) => notFoundShape(r, method);
  t.check(shape(response) === shape(missing), {
    summary: `${method} ${target} got a 404 unlike the one for a missing file.`,
    expected: shape(missing),
    received: shape(response),
    hint: 'A refused path and a missing file get the same plain "Not Found", which says nothing about why: throw new HttpError(404, "Not Found") for both.',
  });
}

const imfFixdate = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const entityTagSyntax = /^(W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/;

// ---- serving files ------------------------------------------------------------------

lesson.behaviour('serves every file in static/ byte for byte, with its Content-Length', async (t) => {
  for (const asset of assets) {
    const response = await t.request({ path: asset.url });
    expectFile(t, response, asset, `static/${asset.file} exists: strip the prefix, find the file with resolveStaticPath, and answer 200 with its bytes.`);
    t.expectHeader(response, 'Content-Length', String(bytesOf(t, asset).length), 'Content-Length counts bytes, not characters: use the Buffer you read.');
  }
});

lesson.behaviour('sends CSS as text/css and JavaScript as text/javascript, with charset=utf-8', async (t) => {
  for (const asset of [css, js]) {
    expectType(t, await t.request({ path: asset.url }), asset, 'Browsers refuse a stylesheet or a script whose type is wrong. Map .css and .js in contentType, and add "; charset=utf-8" to text types.');
  }
});

lesson.behaviour('sends the right Content-Type for SVG, PNG and UTF-8 text', async (t) => {
  for (const asset of [svg, png, txt]) {
    expectType(t, await t.request({ path: asset.url }), asset, 'image/svg+xml for .svg, image/png for .png, "text/plain; charset=utf-8" for .txt: without the charset a browser may read UTF-8 as Latin-1.');
  }
});

lesson.behaviour('sends application/octet-stream for an extension it does not know', async (t) => {
  expectType(t, await t.request({ path: unknown.url }), unknown, 'When the extension is not in your table, say "just bytes": application/octet-stream. Never guess a text type.');
});

lesson.behaviour('serves a file with "%" in its name, decoding the path only once', async (t) => {
  const response = await t.request({ path: percent.url });
  expectFile(t, response, percent, 'request.path arrives decoded once: /static/50%25-off.txt is "50%-off.txt". Decoding it again breaks on the "%" (and would turn %252e into a dot).');
  expectType(t, response, percent, 'A .txt file is "text/plain; charset=utf-8".');
  // One letter of hello.txt encoded twice: decoded once, it is a name with "%" in it that no file has.
  // A second decoding (one that falls back quietly when it throws) finds hello.txt.
  const at = t.random.int(0, 4);
  const target = `/static/${'hello'.slice(0, at)}%25${'hello'.charCodeAt(at).toString(16)}${'hello'.slice(at + 1)}.txt`;
  const twice = await raw(t, target);
  t.check(twice.status === 404 && !twice.body.equals(bytesOf(t, txt)), {
    summary: `GET ${target} was answered with ${txt.url}: the path was decoded twice.`,
    expected: `404 Not Found: decoded once, the name is "${decodeURIComponent(target.slice('/static/'.length))}", and no file has it`,
    received: `${twice.statusLine}\n${excerpt(twice.text, 120)}`,
    hint: 'request.path is already decoded: use it as it is. A decodeURIComponent wrapped in try/catch still decodes a second time whenever it can.',
  });
});

// ---- validators and caching ---------------------------------------------------------

lesson.behaviour('sends a well-formed ETag, different for different files', async (t) => {
  const tags = new Map<string, string>();
  for (const asset of [css, js, png]) {
    const response = await t.request({ path: asset.url });
    const etag = header(response, 'ETag');
    t.check(etag !== undefined && entityTagSyntax.test(etag), {
      summary: etag === undefined ? `GET ${asset.url} has no ETag.` : `The ETag of ${asset.url} is not a valid entity tag.`,
      expected: 'ETag: W/"<size>-<mtime>" or "<…>": in double quotes, W/ in front for a weak tag',
      received: etag === undefined ? '(no such header)' : `ETag: ${etag}`,
      hint: 'An entity tag is a quoted string (RFC 9110, section 8.8.3); the quotes are part of it: `W/"${size}-${mtime}"`.',
    });
    const same = tags.get(etag!);
    t.check(same === undefined, {
      summary: `${asset.url} and ${same} have the same ETag, ${etag}.`,
      expected: 'a different tag for each file',
      received: `ETag: ${etag} for both`,
      hint: 'Build the tag from what changes with the file: its size and its modification time.',
    });
    tags.set(etag!, asset.url);
  }
});

lesson.behaviour('changes the ETag with the modification time, and tells apart files changed at the same time', async (t) => {
  const time = pastTime(t);
  await withModified(t, [txt, unknown], time, async () => {
    const first = await etagOf(t, txt);
    const other = await etagOf(t, unknown);
    t.check(first !== other, {
      summary: `${txt.url} and ${unknown.url}, changed at the same moment, have the same ETag, ${first}.`,
      expected: 'a different tag for each file: the size goes into it as well as the time',
      received: `ETag: ${first} for both`,
      hint: 'Build the tag from both stats.size and stats.mtimeMs: W/"<size hex>-<mtime hex>".',
    });
    // The same file, changed again within the same second (pastTime is past the half second): a tag in whole seconds misses it.
    const firstMs = fs.statSync(path.join(lesson.dir, 'static', txt.file)).mtimeMs;
    await withModified(t, [txt], time - t.random.int(100, 400), async () => {
      // A file system that keeps whole seconds only (FAT, old HFS+) cannot show the change: nothing to check then.
      if (Math.floor(fs.statSync(path.join(lesson.dir, 'static', txt.file)).mtimeMs) === Math.floor(firstMs)) return;
      const again = await etagOf(t, txt);
      t.check(again !== first, {
        summary: `${txt.url} was changed again within the same second (the same size), but its ETag stayed ${first}.`,
        expected: 'a new ETag: two edits a few hundred milliseconds apart are two versions',
        received: `ETag: ${again}, the same as before`,
        hint: 'Put stats.mtimeMs in the tag, in milliseconds (Math.floor(stats.mtimeMs)), not cut to whole seconds as Last-Modified is.',
      });
    });
    await withModified(t, [txt], time + t.random.int(2, 89) * 1000, async () => {
      const second = await etagOf(t, txt);
      t.check(second !== first, {
        summary: `${txt.url} was changed (a new modification time, the same size), but its ETag stayed ${first}.`,
        expected: 'a new ETag once the file has changed, so that caches fetch it again',
        received: `ETag: ${second}, the same as before`,
        hint: 'An edit that keeps the size ("9" for "8") must change the tag too: put stats.mtimeMs in it, not only stats.size.',
      });
    });
  });
});

lesson.behaviour('sends Last-Modified: the file\'s modification time, as an IMF-fixdate', async (t) => {
  for (const asset of [css, png]) {
    const response = await t.request({ path: asset.url });
    const value = header(response, 'Last-Modified');
    const { earliest, latest } = modifiedSeconds(t, asset);
    const expected = new Date(earliest).toUTCString();
    t.check(value !== undefined && imfFixdate.test(value) && (Date.parse(value) === earliest || Date.parse(value) === latest), {
      summary: value === undefined ? `GET ${asset.url} has no Last-Modified.` : `The Last-Modified of ${asset.url} is not the file's modification time as an HTTP date.`,
      expected: `Last-Modified: ${expected}`,
      received: value === undefined ? '(no such header)' : `Last-Modified: ${value}`,
      hint: 'stats.mtime.toUTCString() writes an IMF-fixdate in GMT, cut to the second (RFC 9110, section 5.6.7).',
    });
  }
  await withModified(t, [txt], pastTime(t), async (second) => {
    const value = header(await t.request({ path: txt.url }), 'Last-Modified');
    t.check(value !== undefined && Date.parse(value) === second, {
      summary: `Last-Modified of ${txt.url} is not the time the file was last changed.`,
      expected: `Last-Modified: ${new Date(second).toUTCString()}`,
      received: value === undefined ? '(no such header)' : `Last-Modified: ${value}`,
      hint: 'Take the time from stats.mtime, cut to the second, never rounded up: toUTCString() does both.',
    });
  });
});

lesson.behaviour('sends Cache-Control with a max-age', async (t) => {
  for (const asset of [css, png]) {
    const response = await t.request({ path: asset.url });
    t.expectHeader(response, 'Cache-Control', /\bmax-age=\d+\b/i, 'Tell caches how long the file stays fresh: Cache-Control: public, max-age=3600.');
  }
});

lesson.behaviour('answers 304 Not Modified to a matching If-None-Match, with the same ETag and no body', async (t) => {
  // Both 200s first, then both 304s: the 304 for the stylesheet comes right after the image's 200.
  const validators = [];
  for (const asset of [css, png]) validators.push({ asset, ...(await validatorsOf(t, asset)) });
  for (const { asset, etag, cacheControl } of validators) {
    const response = await raw(t, asset.url, { headers: { 'If-None-Match': etag }, trace: true });
    expectNotModified(t, response, etag, 'The client already has the version with this tag: answer 304 Not Modified, with no body.', cacheControl);
    // A cache copies the fields of a 304 onto its stored response (RFC 9111, section 4.3.4): any it carries must be this file's.
    const type = header(response, 'Content-Type');
    const modified = header(response, 'Last-Modified');
    const { earliest, latest } = modifiedSeconds(t, asset);
    const wrong = [
      type !== undefined && !asset.pattern.test(type) && `Content-Type: ${type}`,
      modified !== undefined && Date.parse(modified) !== earliest && Date.parse(modified) !== latest && `Last-Modified: ${modified}`,
    ].filter(Boolean);
    t.check(wrong.length === 0, {
      summary: `The 304 for ${asset.url} carries fields of another file.`,
      expected: `no Content-Type or Last-Modified, or this file's: Content-Type: ${asset.type}, Last-Modified: ${new Date(earliest).toUTCString()}`,
      received: wrong.join('\n'),
      hint: 'A cache refreshes its copy with the fields of a 304, so a wrong one breaks the file it has. Build a new headers object for every response, never one kept between requests and changed as you go.',
    });
    // The provided server drops a 304's body on the wire; the trace still shows the body the Response was given.
    const given = t.lastTrace.find((entry) => entry.stage === 'response')?.detail;
    t.check(given === undefined || given === '0 bytes', {
      summary: `The 304 Response was built with a body (${given}): the server dropped it, but a 304 has none.`,
      expected: "new Response('', { status: 304, headers }): 0 bytes",
      received: `a Response of ${given}`,
      hint: 'A 304 says "use your copy" (RFC 9110, section 15.4.5): build it with an empty body, and read the file only for a 200.',
    });
  }
});

lesson.behaviour('answers 200 with the whole file when If-None-Match does not match', async (t) => {
  const inner = (await etagOf(t, js)).replace(/^W\//, '').slice(1, -1);
  // The same letters in another case are another tag (opaque, compared character by character), when the tag has letters at all.
  const otherCase = [inner.toUpperCase(), inner.toLowerCase()].filter((tag) => tag !== inner).map((tag) => `"${tag}"`);
  for (const tags of [`"${t.hex(4)}"`, `W/"${t.hex(4)}", "${t.hex(4)}"`, `"${inner}0"`, `W/"0${inner}"`, `"${inner.slice(0, -1)}"`, '"*"', `"${inner.slice(0, 1)}W/${inner.slice(1)}"`, ...otherCase]) {
    const response = await t.request({ path: js.url, headers: { 'If-None-Match': tags } });
    expectFile(t, response, js, 'None of the tags is the file\'s ETag, so the client\'s copy is out of date: send the file. Only a W/ in front of the quotes marks a weak tag; one inside them is part of the tag, and an entity tag is compared character by character, letter case included (RFC 9110, section 8.8.3.2).');
  }
});

lesson.behaviour('compares entity tags weakly: W/"x" matches "x"', async (t) => {
  const etag = await etagOf(t, js);
  const other = etag.startsWith('W/') ? etag.slice(2) : `W/${etag}`;
  for (const value of [other, `"${t.hex(4)}", ${other}`]) {
    const response = await raw(t, js.url, { headers: { 'If-None-Match': value } });
    expectNotModified(t, response, undefined, 'If-None-Match uses the weak comparison (RFC 9110, section 13.1.2): compare the quoted parts, ignoring a W/ in front of either.');
  }
});

lesson.behaviour('finds its ETag in a list of tags, and matches *', async (t) => {
  const etag = await etagOf(t, svg);
  for (const value of [`"${t.hex(4)}", ${etag}, W/"${t.hex(4)}"`, `"${t.hex(4)}",${etag}`, `  ${etag} ,"${t.hex(4)}"  `, '*']) {
    const response = await raw(t, svg.url, { headers: { 'If-None-Match': value } });
    expectNotModified(t, response, etag, 'If-None-Match holds a comma-separated list of tags, with or without spaces around the commas; any one matching means 304, and * matches any file that exists.');
  }
});

lesson.behaviour('answers 304 to If-Modified-Since at or after the modification time', async (t) => {
  // Every file: one whose time happens to fall on a whole second would hide a millisecond mistake.
  for (const asset of assets) {
    const since = new Date(modifiedSeconds(t, asset).latest).toUTCString();
    const response = await raw(t, asset.url, { headers: { 'If-Modified-Since': since } });
    expectNotModified(t, response, undefined, `The file changed during that second, not after it: HTTP dates have whole seconds, so compare whole seconds (Math.floor(mtimeMs / 1000)).`);
  }
  await withModified(t, [txt], pastTime(t), async (second) => {
    const response = await raw(t, txt.url, { headers: { 'If-Modified-Since': new Date(second).toUTCString() } });
    expectNotModified(t, response, undefined, 'The file changed late in that second (past the half): cut its time down to the second (Math.floor), never round it up.');
  });
  // A 304 for If-Modified-Since stands for the 200 as much as one for If-None-Match: the same ETag and Cache-Control (RFC 9110, section 15.4.5).
  const { etag, cacheControl } = await validatorsOf(t, css);
  const now = new Date().toUTCString();
  expectNotModified(t, await raw(t, css.url, { headers: { 'If-Modified-Since': now } }), etag, 'Not modified since a later date either: answer 304, with the ETag and Cache-Control the 200 has, whichever header made it a 304.', cacheControl);
});

lesson.behaviour('answers 200 to If-Modified-Since before the modification time, or not a date', async (t) => {
  const before = new Date(modifiedSeconds(t, txt).earliest - 3600_000).toUTCString();
  // Not a date, and fixed: V8's Date.parse reads a month in random text ("yesterday febfda48" is February 2048).
  for (const since of [before, 'yesterday']) {
    const response = await t.request({ path: txt.url, headers: { 'If-Modified-Since': since } });
    expectFile(t, response, txt, 'The file changed after that date, or the date does not parse (ignore it then, RFC 9110, section 13.1.3): send the file.');
  }
  await withModified(t, [txt], pastTime(t, t.random.int(0, 999)), async (second) => {
    const response = await t.request({ path: txt.url, headers: { 'If-Modified-Since': new Date(second - 1000).toUTCString() } });
    expectFile(t, response, txt, 'The file changed one second after that date: that is a change. Compare the file\'s whole second with the date, with no slack.');
  });
});

lesson.behaviour('ignores If-Modified-Since when If-None-Match is present', async (t) => {
  const etag = await etagOf(t, css);
  const unchanged = new Date(modifiedSeconds(t, css).latest).toUTCString();
  const stale = await t.request({ path: css.url, headers: { 'If-None-Match': `"${t.hex(4)}"`, 'If-Modified-Since': unchanged } });
  expectFile(t, stale, css, 'If-None-Match decides alone when it is present (RFC 9110, section 13.1.3): its tag does not match, so send the file, whatever If-Modified-Since says.');
  const fresh = await raw(t, css.url, { headers: { 'If-None-Match': etag, 'If-Modified-Since': new Date(0).toUTCString() } });
  expectNotModified(t, fresh, etag, 'The tag matches, and If-None-Match decides alone: 304, whatever If-Modified-Since says.');
});

lesson.behaviour('answers HEAD with the headers of GET and no body', async (t) => {
  for (const asset of [css, png]) {
    const size = bytesOf(t, asset).length;
    const response = await raw(t, asset.url, { method: 'HEAD' });
    t.expectStatus(response, 200, 'Answer HEAD like GET: the same status and headers. Does your middleware let HEAD through?');
    t.expectHeader(response, 'Content-Length', String(size), 'HEAD tells the length of what GET would send: return the whole file as the body, and the server sends only its length.');
    expectType(t, response, asset, 'HEAD has the same Content-Type as GET.');
    // The validators and the caching policy too: a cache may refresh its copy from a HEAD.
    const get = await t.request({ path: asset.url });
    const differ = ['ETag', 'Last-Modified', 'Cache-Control'].filter((name) =>
      name === 'Cache-Control' ? !sameCacheControl(header(response, name), header(get, name)) : header(response, name) !== header(get, name),
    );
    t.check(differ.length === 0, {
      summary: `HEAD ${asset.url} has ${differ.map((name) => (header(response, name) === undefined ? `no ${name}` : `another ${name}`)).join(', ')} than GET.`,
      expected: differ.map((name) => `${name}: ${header(get, name) ?? '(none)'}`).join('\n'),
      received: differ.map((name) => `${name}: ${header(response, name) ?? '(none)'}`).join('\n'),
      hint: 'HEAD has the headers of GET, validators and Cache-Control included: take HEAD down the same path as GET, and let the server drop the body.',
    });
    t.check(response.extra.length === 0, { summary: 'Bytes followed the response to HEAD.', expected: 'no body', received: `${response.extra.length} more bytes`, hint: 'A response to HEAD never has a body.' });
  }
  // A conditional HEAD is answered as the same GET would be: 304 when the tag matches (RFC 9110, section 13.1.2).
  const etag = await etagOf(t, js);
  const conditional = await raw(t, js.url, { method: 'HEAD', headers: { 'If-None-Match': etag } });
  expectNotModified(t, conditional, etag, 'A HEAD whose If-None-Match matches gets the 304 a GET would get: take HEAD the same way as GET, through isNotModified.');
});

// ---- what is not there -----------------------------------------------------------------

lesson.behaviour('answers 404 for a file that does not exist', async (t) => {
  for (const url of [`/static/missing-${t.hex(4)}.css`, `/static/css/${t.hex(4)}/site.css`, `/static/css/site.css/${t.hex(4)}`, `/static/${t.hex(4).repeat(40)}.css`]) {
    const response = await t.request({ path: url, trace: true });
    t.expectStatus(response, 404, 'No such file: throw new HttpError(404, "Not Found"). The "no such file" errors of stat mean 404: ENOENT, ENOTDIR (a file used as a folder) and ENAMETOOLONG (a name longer than any file can have).');
    expectNoView(t, `GET ${url}`);
  }
});

lesson.behaviour('answers 404 for a folder, without listing it', async (t) => {
  const missing = await plainNotFound(t, 'GET');
  for (const url of ['/static/', '/static/img/', '/static/css']) {
    const response = await t.request({ path: url, trace: true });
    t.check(!/logo\.svg|dot\.png|site\.css/.test(response.text), {
      summary: `GET ${url} lists the folder.`,
      expected: '404 Not Found, and no file names',
      received: excerpt(response.text, 200),
      hint: 'A folder is not a file: answer 404 rather than a listing.',
    });
    t.expectStatus(response, 404, 'stats.isFile() is false for a folder: answer 404 instead of reading it (reading a folder throws EISDIR).');
    expectNoView(t, `GET ${url}, a folder,`);
    // A 404 of its own for folders tells a prober which folders exist.
    t.check(notFoundShape(response) === notFoundShape(missing), {
      summary: `GET ${url}, a folder, got a 404 unlike the one for a missing file.`,
      expected: notFoundShape(missing),
      received: notFoundShape(response),
      hint: 'A folder, a missing file and a refused path get the same plain "Not Found", which says nothing about what is there: throw new HttpError(404, "Not Found") for all three.',
    });
  }
});

lesson.behaviour('passes requests outside /static/ on to the next handler', async (t) => {
  const response = await t.request({ path: '/' });
  t.expectStatus(response, 200, 'GET / is not under /static/: call next(request), and the view answers with the page.');
  t.check(response.text.includes('/static/css/site.css'), {
    summary: 'GET / did not answer with the page from server.ts.',
    expected: 'the HTML page that links /static/css/site.css',
    received: JSON.stringify(excerpt(response.text, 200)),
    hint: 'Leave requests outside the prefix, and methods other than GET and HEAD, to next(request).',
  });
  // A path that starts like the prefix without its slash is not under it: "/static-hello.txt" is not in /static/.
  // Nor is a path that holds the prefix further in: "/docs/static/hello.txt" is not in /static/.
  // Nor one that spells it in other letters: a URL path is case-sensitive (RFC 3986, section 6.2.2.1).
  const otherCase = t.random.pick(['/STATIC/', '/Static/', '/sTatic/', '/staTIC/']);
  for (const near of [`/static${t.random.pick(['-', '_', '.', 'x'])}${txt.file}`, `/${t.hex(2)}/static/${txt.file}`, `${otherCase}${txt.file}`]) {
    const beside = await t.request({ path: near, trace: true });
    expectPassedOn(t, beside, txt, `GET ${near} did not go on to the view: serveStatic took it for a path under /static/.`,
      'Under the prefix means starting with the whole prefix, its final "/" included and in the same letter case (a URL path is case-sensitive): request.path.startsWith(prefix), with prefix "/static/", not includes(prefix) nor a comparison in lower case.');
  }
});

lesson.behaviour('passes other methods under /static/ on to the next handler', async (t) => {
  // Not only the unsafe ones: OPTIONS reads nothing either, and is no GET (a list of the methods to pass on is never complete,
  // as a WebDAV method (PROPFIND, REPORT) or a cache's PURGE, which Node's parser accepts too, shows).
  for (const method of ['POST', 'DELETE', t.random.pick(['PUT', 'PATCH']), 'OPTIONS', t.random.pick(['PROPFIND', 'REPORT', 'PURGE'])]) {
    const response = await t.request({ method, path: css.url, trace: true });
    expectPassedOn(t, response, css, `${method} ${css.url} did not go on to the view: serveStatic answered it.`,
      'serveStatic answers GET and HEAD only; every other method (OPTIONS too) goes to next(request), even under the prefix: test for the two it answers, not for the ones it passes on.');
  }
});

// ---- ways out of static/ ----------------------------------------------------------------

/** The secret file just outside static/, as an absolute path on this machine. */
const secretPath = () => path.resolve(lesson.dir, 'secret.txt');
const absoluteSecret = () => secretPath().split(path.sep).filter(Boolean).map(encodeURIComponent).join('/');

/** Every target gets the plain 404 and never a secret. */
async function expectAllRefused(t: Check, targets: string[], hint: string, method?: string): Promise<void> {
  for (const target of targets) await expectRefused(t, target, hint, method);
}

// The last is "．．／secret.txt" in fullwidth letters (U+FF0E, U+FF0F): a harmless name, until NFKC normalisation folds it into "../secret.txt".
lesson.behaviour('refuses ../ and %2e%2e/ (dot-dot segments)', (t) => expectAllRefused(t, ['/static/../secret.txt', '/static/%2e%2e/secret.txt', '/static/css/../../secret.txt', '/static/.%2E/static-private/secret.txt', '/static/%EF%BC%8E%EF%BC%8E%EF%BC%8Fsecret.txt'], 'A path that climbs out of static/ must never reach a file: check that the resolved file is inside the root, and use that very path afterwards (no normalize("NFKC") after the check: it turns the fullwidth "．．／" into "../").'));

lesson.behaviour('refuses ..%2f, where an encoded slash hides the dot-dot', async (t) => {
  const hint = 'After decoding, "..%2fsecret.txt" is "../secret.txt". Resolve the path, then check that the result is still inside the root.';
  await expectAllRefused(t, ['/static/..%2fsecret.txt', '/static/%2e%2e%2fsecret.txt', '/static/css/..%2F..%2Fsecret.txt'], hint);
  // Asked conditionally, as a browser revalidating its copy would: * matches any file that exists, and a date in the future any file.
  await expectRefused(t, '/static/..%2fsecret.txt', hint, 'GET', { 'If-None-Match': '*' });
  await expectRefused(t, '/static/css/..%2F..%2Fsecret.txt', hint, 'GET', { 'If-Modified-Since': new Date(Date.now() + 86_400_000).toUTCString() });
});

lesson.behaviour('refuses %252e%252e%252f (double-encoded), decoding only once', (t) => expectAllRefused(t, ['/static/%252e%252e%252fsecret.txt', '/static/..%252fsecret.txt', '/static/css%252f..%252f..%252fsecret.txt'], 'Decoded once, this is the harmless name "%2e%2e%2fsecret.txt". Decode a second time and it becomes "../secret.txt": decode once, only once.'));

lesson.behaviour('refuses a NUL byte (%00) with the plain 404, not a crash', async (t) => {
  const hint = 'No file name contains a NUL byte ("\\0"): return null for such a path before it reaches fs, which would throw.';
  await expectAllRefused(t, ['/static/css/site.css%00.png', '/static/%00', '/static/..%2fsecret.txt%00.css'], hint);
  // A NUL inside the name of a file that exists: refused too, not repaired into that name.
  const at = t.random.int(1, 'hello'.length - 1);
  const target = `/static/${'hello'.slice(0, at)}%00${'hello'.slice(at)}.txt`;
  const response = await raw(t, target);
  t.check(response.status === 404 && !response.body.equals(bytesOf(t, txt)), {
    summary: `GET ${target} was answered with ${txt.url}: the NUL byte was removed instead of refused.`,
    expected: '404 Not Found: a path with a NUL byte in it names no file',
    received: `${response.statusLine}\n${excerpt(response.text, 120)}`,
    hint: 'Refuse a path that holds "\\0" outright (return null); never repair it by removing the byte, which turns a name no file has into one that exists.',
  });
});

lesson.behaviour('refuses backslashes: ..\\ and ..%5c', (t) => expectAllRefused(t, ['/static/..\\secret.txt', '/static/..%5csecret.txt', '/static/css%5c..%5c..%5csecret.txt'], 'On Windows a backslash separates folders, so "..\\" climbs out too. Check where the resolved path landed, whatever the separators.'));

lesson.behaviour('refuses an absolute path', (t) => expectAllRefused(t, [`/static//${absoluteSecret()}`, `/static/${encodeURIComponent('/' + absoluteSecret())}`], 'An absolute path replaces the root when you resolve it: path.resolve(root, "/etc/passwd") is "/etc/passwd". Check that the result is inside the root.'));

lesson.behaviour('refuses a sibling folder whose name starts like the root (static-private)', (t) => expectAllRefused(t, ['/static/..%2fstatic-private%2fsecret.txt', '/static-private/secret.txt'], '"/…/static-private/secret.txt".startsWith("/…/static") is true. Inside the root means the root followed by a path separator.'));

lesson.behaviour('refuses ....// and the other names that stripping ../ would turn into ../', (t) => expectAllRefused(t, ['/static/....//secret.txt', '/static/...%2f./secret.txt', '/static/css/....//....//secret.txt', '/static/....//static-private/secret.txt'], 'Removing "../" from the input leaves "../" behind: "....//" becomes "../". Never repair a path; resolve it, then check that the result is inside the root.'));

lesson.behaviour('refuses every way out for HEAD too, with the same 404 as GET', (t) => expectAllRefused(t, ['/static/..%2fsecret.txt', '/static/....//secret.txt', '/static/..%2fstatic-private%2fsecret.txt', `/static/${encodeURIComponent(secretPath())}`], 'HEAD must take the same way as GET, through resolveStaticPath: otherwise its headers (Content-Length, ETag) tell a prober that the secret file is there.', 'HEAD'));
