import type { Variant } from '../support/mutants.ts';

export default [
  {
    name: 'sends a strong ETag, headers in another case and order, and a harmless extra header',
    edits: [
      {
        file: 'static.ts',
        find: 'return `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;',
        replace: 'return `"${stats.size}.${Math.floor(stats.mtimeMs)}"`;',
      },
      {
        file: 'static.ts',
        find: "const validators = { etag: entityTag(stats), 'cache-control': cacheControl };",
        replace: "const validators = { 'Cache-Control': cacheControl, ETag: entityTag(stats) };",
      },
      {
        file: 'static.ts',
        find: 'if (isNotModified(request.headers, validators.etag, stats.mtime))',
        replace: 'if (isNotModified(request.headers, validators.ETag, stats.mtime))',
      },
      {
        file: 'static.ts',
        find: "const headers = { ...validators, 'content-type': contentType(file), 'last-modified': stats.mtime.toUTCString() };",
        replace: "const headers = { 'Last-Modified': stats.mtime.toUTCString(), 'X-Content-Type-Options': 'nosniff', 'Content-Type': contentType(file), ...validators };",
      },
    ],
  },
  {
    name: 'checks the path with path.relative, splits the tag list by hand and compares dates in seconds',
    edits: [
      {
        file: 'static.ts',
        find: /  if \(urlPath\.includes\('\\0'\)\) return null;\n[\s\S]*?return file\.startsWith\(base \+ path\.sep\) \? file : null;\n/,
        replace: `  if (urlPath.indexOf('\\u0000') !== -1) return null;
  const file = path.join(path.resolve(root), path.normalize('/' + urlPath.replaceAll('\\\\', '/')));
  const relative = path.relative(path.resolve(root), file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return file;
`,
      },
      {
        file: 'static.ts',
        find: /    if \(ifNoneMatch\.trim\(\) === '\*'\) return true;\n[\s\S]*?return tags\.some\(\(tag\) => opaque\(tag\) === opaque\(etag\)\);\n/,
        replace: `    const strip = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);
    for (const candidate of ifNoneMatch.split(',')) {
      const tag = candidate.trim();
      if (tag === '*' || strip(tag) === strip(etag)) return true;
    }
    return false;
`,
      },
      {
        file: 'static.ts',
        find: /  const since = Date\.parse\(headers\.get\('if-modified-since'\) \?\? ''\);\n[\s\S]*?  return modified <= since;\n/,
        replace: `  const header = headers.get('if-modified-since');
  if (header === null) return false;
  const since = new Date(header).getTime() / 1000;
  if (Number.isNaN(since)) return false;
  return Math.trunc(lastModified.getTime() / 1000) <= since;
`,
      },
      { file: 'static.ts', find: "cacheControl = 'public, max-age=3600'", replace: "cacheControl = 'max-age=600, public'" },
    ],
  },
  {
    name: 'answers HEAD with a buffer of the file\'s size instead of reading the file',
    edits: [
      {
        file: 'static.ts',
        find: 'return new Response(await fs.readFile(file), { headers });',
        replace: "return new Response(request.method === 'HEAD' ? Buffer.alloc(stats.size) : await fs.readFile(file), { headers });",
      },
    ],
  },
  {
    name: 'answers HEAD on a branch of its own, with the same headers as GET in another case',
    edits: [
      {
        file: 'static.ts',
        find: '    return new Response(await fs.readFile(file), { headers });',
        replace:
          "    if (request.method === 'HEAD') {\n      return new Response(Buffer.alloc(stats.size), { headers: { 'Cache-Control': cacheControl, ETag: validators.etag, 'Content-Type': contentType(file), 'Last-Modified': stats.mtime.toUTCString() } });\n    }\n    return new Response(await fs.readFile(file), { headers });",
      },
    ],
  },
  {
    name: 'answers the 404 with Response.text, joins the path, and logs a real stat error before throwing it',
    edits: [
      {
        file: 'static.ts',
        find: "if (file === null || !stats?.isFile()) throw new HttpError(404, 'Not Found');",
        replace: "if (file === null || !stats?.isFile()) return Response.text('Not Found', 404);",
      },
      { file: 'static.ts', find: '  const file = path.resolve(base, urlPath);', replace: '  const file = path.join(base, urlPath);' },
      {
        file: 'static.ts',
        find: "    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG') return undefined;",
        replace: "    if (['ENOENT', 'ENOTDIR', 'ENAMETOOLONG'].includes(code)) return undefined;\n    console.error(`stat ${file}: ${code}`);",
      },
    ],
  },
  {
    name: 'refuses a leading slash or a backslash up front, checks with path.relative, and builds the ETag in microseconds',
    edits: [
      {
        file: 'static.ts',
        find: '  const file = path.resolve(base, urlPath);\n',
        replace: "  if (urlPath.startsWith('/') || urlPath.includes('\\\\')) return null;\n  const file = path.resolve(base, urlPath);\n  const rel = path.relative(base, file);\n  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;\n",
      },
      {
        file: 'static.ts',
        find: 'return `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;',
        replace: 'return `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs * 1000).toString(16)}"`;',
      },
    ],
  },
  {
    name: 'drops trailing slashes before resolving, and refuses folders with isDirectory()',
    edits: [
      { file: 'static.ts', find: 'const file = path.resolve(base, urlPath);', replace: "const file = path.resolve(base, urlPath.replace(/\\/+$/, ''));" },
      { file: 'static.ts', find: 'if (file === null || !stats?.isFile())', replace: 'if (file === null || stats === undefined || stats.isDirectory())' },
    ],
  },
  {
    name: 'splits If-None-Match at commas and trims, and counts the root itself as inside (a folder: 404 all the same)',
    edits: [
      { file: 'static.ts', find: 'const tags = ifNoneMatch.match(/(?:W\\/)?"[^"]*"/g) ?? [];', replace: "const tags = ifNoneMatch.split(',').map((tag) => tag.trim());" },
      { file: 'static.ts', find: 'return file.startsWith(base + path.sep) ? file : null;', replace: 'return file === base || file.startsWith(base + path.sep) ? file : null;' },
    ],
  },
  {
    name: 'answers a 304 with every header of the 200, puts the exact mtimeMs in the ETag, accepts only IMF-fixdates, and reads the file in pieces through a handle',
    edits: [
      {
        file: 'static.ts',
        find: "return new Response('', { status: 304, headers: validators });",
        replace: "return new Response('', { status: 304, headers: { ...validators, 'content-type': contentType(file), 'last-modified': stats.mtime.toUTCString() } });",
      },
      { file: 'static.ts', find: 'Math.floor(stats.mtimeMs).toString(16)', replace: 'stats.mtimeMs' },
      {
        file: 'static.ts',
        find: "const since = Date.parse(headers.get('if-modified-since') ?? '');",
        replace: "const text = headers.get('if-modified-since') ?? '';\n  const since = /^[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$/.test(text) ? new Date(text).getTime() : NaN;",
      },
      { file: 'static.ts', find: "cacheControl = 'public, max-age=3600'", replace: "cacheControl = 'max-age=600'" },
      {
        file: 'static.ts',
        find: 'return new Response(await fs.readFile(file), { headers });',
        replace:
          "const handle = await fs.open(file, 'r');\n    try {\n      const bytes = Buffer.alloc(stats.size);\n      for (let at = 0; at < bytes.length; ) {\n        const { bytesRead } = await handle.read(bytes, at, Math.min(64, bytes.length - at), at);\n        if (bytesRead === 0) break;\n        at += bytesRead;\n      }\n      return new Response(bytes, { headers });\n    } finally {\n      await handle.close();\n    }",
      },
    ],
  },
  {
    name: 'reads a folder like a file and turns the EISDIR that follows into the plain 404',
    edits: [
      { file: 'static.ts', find: "if (file === null || !stats?.isFile()) throw new HttpError(404, 'Not Found');", replace: "if (file === null || stats === undefined) throw new HttpError(404, 'Not Found');" },
      {
        file: 'static.ts',
        find: 'return new Response(await fs.readFile(file), { headers });',
        replace: "const body = await fs.readFile(file).catch((error: NodeJS.ErrnoException) => {\n      if (error.code === 'EISDIR') throw new HttpError(404, 'Not Found');\n      throw error;\n    });\n    return new Response(body, { headers });",
      },
    ],
  },
  {
    name: "answers a 304 with the 200's Content-Length, Content-Type and Last-Modified, after an await",
    edits: [
      {
        file: 'static.ts',
        find: "if (isNotModified(request.headers, validators.etag, stats.mtime)) return new Response('', { status: 304, headers: validators });",
        replace: "if (isNotModified(request.headers, validators.etag, stats.mtime)) {\n      await new Promise((resolve) => setImmediate(resolve));\n      const same = { ...validators, 'content-length': String(stats.size), 'content-type': contentType(file), 'last-modified': stats.mtime.toUTCString() };\n      return new Response('', { status: 304, headers: same });\n    }",
      },
    ],
  },
  {
    name: 'answers a 304 with a Last-Modified cut from mtimeMs and the Content-Type, each response with headers of its own built from one frozen set',
    edits: [
      {
        file: 'static.ts',
        find: "    const validators = { etag: entityTag(stats), 'cache-control': cacheControl };\n    if (isNotModified(request.headers, validators.etag, stats.mtime)) return new Response('', { status: 304, headers: validators });",
        replace: "    const validators = { ...fixed, etag: entityTag(stats) };\n    const seconds = new Date(Math.floor(stats.mtimeMs / 1000) * 1000).toUTCString();\n    if (isNotModified(request.headers, validators.etag, stats.mtime)) return new Response('', { status: 304, headers: { ...validators, 'last-modified': seconds, 'content-type': contentType(file) } });",
      },
      {
        file: 'static.ts',
        find: '  const middleware: Middleware = (next) => async (request) => {',
        replace: "  const fixed = Object.freeze({ 'cache-control': cacheControl });\n  const middleware: Middleware = (next) => async (request) => {",
      },
    ],
  },
  {
    name: 'normalises the name to NFC before resolving it, so a composed and a decomposed accent find the same file',
    edits: [{ file: 'static.ts', find: 'const file = path.resolve(base, urlPath);', replace: "const file = path.resolve(base, urlPath.normalize('NFC'));" }],
  },
  {
    name: 'checks containment with path.relative, and opens the file first, taking its Stats and bytes from one FileHandle (round 13, an independent solution)',
    edits: [
      {
        file: 'static.ts',
        find: '  return file.startsWith(base + path.sep) ? file : null;',
        replace: "  const inside = path.relative(base, file);\n  return inside === '' || inside === '..' || inside.startsWith('..' + path.sep) || path.isAbsolute(inside) ? null : file;",
      },
      {
        file: 'static.ts',
        find: "    const stats = file === null ? undefined : await statIfExists(file);\n    // Outside the root, missing, or a folder: the same plain 404, which tells a prober nothing.\n    if (file === null || !stats?.isFile()) throw new HttpError(404, 'Not Found');",
        replace: "    if (file === null) throw new HttpError(404, 'Not Found');\n    let handle: fs.FileHandle;\n    try {\n      handle = await fs.open(file, 'r');\n    } catch (error) {\n      if (['ENOENT', 'ENOTDIR', 'ENAMETOOLONG'].includes((error as NodeJS.ErrnoException).code ?? '')) throw new HttpError(404, 'Not Found');\n      throw error;\n    }\n    try {\n    const stats = await handle.stat();\n    if (!stats.isFile()) throw new HttpError(404, 'Not Found');",
      },
      {
        file: 'static.ts',
        find: '    return new Response(await fs.readFile(file), { headers });\n  };',
        replace: '    return new Response(await handle.readFile(), { headers });\n    } finally {\n      await handle.close();\n    }\n  };',
      },
    ],
  },
  {
    name: "clamps the name to the root instead of refusing it: normalize('/' + name) cannot climb above '/', and joined to the root it stays inside",
    edits: [
      {
        file: 'static.ts',
        find: '  const file = path.resolve(base, urlPath);\n',
        replace: "  // '/' + name, normalised, has every '..' folded away at the top: joined to the root, it can only land inside.\n  const file = path.join(base, path.normalize('/' + urlPath));\n",
      },
    ],
  },
  {
    name: 'writes the text types in capitals, with a space before the ";", the charset quoted, and an empty parameter after it (round 22)',
    edits: [
      { file: 'static.ts', find: "'.css': 'text/css; charset=utf-8',", replace: "'.css': 'Text/CSS ; Charset=\"UTF-8\"'," },
      { file: 'static.ts', find: "'.js': 'text/javascript; charset=utf-8',", replace: "'.js': 'text/javascript ;charset=UTF-8'," },
      { file: 'static.ts', find: "'.txt': 'text/plain; charset=utf-8',", replace: "'.txt': 'text/plain ; charset=utf-8;'," },
    ],
  },
  {
    name: "answers a 304 with the 200's Cache-Control rebuilt from its directives, sorted and without spaces (max-age=3600,public) (round 22)",
    edits: [
      {
        file: 'static.ts',
        find: "return new Response('', { status: 304, headers: validators });",
        replace: "return new Response('', { status: 304, headers: { ...validators, 'cache-control': cacheControl.split(',').map((directive) => directive.trim()).sort().join(',') } });",
      },
    ],
  },
  {
    name: 'answers every refusal of its own with one HTML 404 page, ignores an If-Modified-Since in the future, writes Cache-Control in capitals, adds harmless headers, and answers after an await (round 22)',
    edits: [
      { file: 'static.ts', find: "cacheControl = 'public, max-age=3600'", replace: "cacheControl = 'PUBLIC, MAX-AGE=3600'" },
      {
        file: 'static.ts',
        find: "if (file === null || !stats?.isFile()) throw new HttpError(404, 'Not Found');",
        replace: "if (file === null || !stats?.isFile()) return Response.html('<!doctype html><title>Not Found</title><h1>Not Found</h1>', 404);",
      },
      { file: 'static.ts', find: '  return modified <= since;', replace: '  // A date well ahead of the clock cannot be a Last-Modified this server sent: ignore it.\n  if (since > Date.now() + 60_000) return false;\n  return modified <= since;' },
      {
        file: 'static.ts',
        find: "    const headers = { ...validators, 'content-type': contentType(file), 'last-modified': stats.mtime.toUTCString() };",
        replace: "    await new Promise((resolve) => setImmediate(resolve));\n    const headers = { 'accept-ranges': 'bytes', vary: 'Accept-Encoding', ...validators, 'content-type': contentType(file), 'last-modified': stats.mtime.toUTCString() };",
      },
    ],
  },
] satisfies Variant[];
