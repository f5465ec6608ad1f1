import type { Variant } from '../support/mutants.ts';

export default [
  {
    name: 'escapes with one regular expression and hex references, checks the year with [0-9]+, answers OPTIONS with 204 and rewords the errors',
    edits: [
      {
        file: 'shortcuts.ts',
        find: /  return text\n    \.replaceAll\('&', '&amp;'\)[\s\S]*?\.replaceAll\("'", '&#39;'\);/,
        replace:
          "  const references: Record<string, string> = { '&': '&#x26;', '<': '&#x3C;', '>': '&#x3E;', '\"': '&#34;', \"'\": '&apos;' };\n  return text.replace(/[&<>\"']/g, (c) => references[c]!);",
      },
      {
        file: 'views.ts',
        find: "if (!title || !author || !/^\\d{1,4}$/.test(year)) throw new HttpError(400, 'A book needs a title, an author and a year in digits.');",
        replace:
          "if (!title) throw new HttpError(400, 'The title is missing.');\n    if (!author) throw new HttpError(400, 'The author is missing.');\n    if (!/^[0-9]+$/.test(year)) throw new HttpError(400, `\"${year}\" is not a year.`);",
      },
      {
        file: 'class-views.ts',
        find: "return new Response('', { headers: { allow: this.allowedMethods().join(', ') } });",
        replace: "return new Response('', { status: 204, headers: { Allow: this.allowedMethods().join(',') } });",
      },
      {
        file: 'class-views.ts',
        find: 'Response.text(`Method Not Allowed: ${request.method}`, 405)',
        replace: 'Response.text(`This page does not take ${request.method}.`, 405)',
      },
    ],
  },
  {
    name: 'quotes every CSV field, dispatches through a table, catches with .catch() and adds harmless headers',
    edits: [
      {
        file: 'shortcuts.ts',
        find: 'return /[",\\r\\n]/.test(text) ? `"${text.replaceAll(\'"\', \'""\')}"` : text;',
        replace: 'return `"${text.replaceAll(\'"\', \'""\')}"`;',
      },
      {
        file: 'shortcuts.ts',
        find: "      'content-type': contentType,",
        replace: "      'Content-Type': contentType,\n      'Cache-Control': 'no-store',\n      'X-Download': 'yes',",
      },
      {
        file: 'class-views.ts',
        find: "    const handler = this.handlerFor(request.method) ?? (request.method === 'HEAD' ? this.handlerFor('GET') : undefined);\n    return handler ? handler(request) : this.httpMethodNotAllowed(request);",
        replace:
          "    const fallbacks: Record<string, string> = { HEAD: 'GET' };\n    const handler = [request.method, fallbacks[request.method]].map((m) => (m ? this.handlerFor(m) : undefined)).find(Boolean);\n    if (!handler) return this.httpMethodNotAllowed(request);\n    return handler(request);",
      },
      {
        file: 'error-pages.ts',
        find: /  return async \(request\) => \{\n    try \{[\s\S]*?\n  \};\n\}/,
        replace: `  return (request) =>
    Promise.resolve()
      .then(() => handler(request))
      .catch((error: unknown) => {
        if (!(error instanceof HttpError)) {
          console.error(error);
          return serverErrorPage();
        }
        if (error.status !== 404) throw error;
        return notFoundPage(request);
      });
}`,
      },
    ],
  },
  {
    name: 'answers a second PUT with 200, names the download with filename* too, shows the 404 path percent-encoded (as Django does) and links with absolute URLs',
    edits: [
      {
        file: 'views.ts',
        find: "return new Response('', { status: isNew ? 201 : 204 });",
        replace: "return new Response('', { status: isNew ? 201 : 200 });",
      },
      {
        file: 'shortcuts.ts',
        find: "'content-disposition': `attachment; filename=\"${filename}\"`,",
        replace: "'content-disposition': `Attachment;filename=${filename}; filename*=UTF-8''${encodeURIComponent(filename)}`,",
      },
      {
        file: 'error-pages.ts',
        find: '<code>${escapeHtml(request.path)}</code>',
        replace: '<code>${escapeHtml(encodeURI(request.path))}</code>',
      },
      {
        file: 'views.ts',
        find: "`<li><a href=\"${reverseUrl('book-detail', { id: book.id })}\">",
        replace: "`<li><a href=\"http://${request.headers.get('host') ?? 'localhost'}${reverseUrl('book-detail', { id: book.id })}\">",
      },
    ],
  },
  {
    name: 'links the titles with unquoted relative hrefs and gives the 404 and 500 headings a class',
    edits: [
      {
        file: 'views.ts',
        find: "`<li><a href=\"${reverseUrl('book-detail', { id: book.id })}\">",
        replace: "`<li><a class=book href=${book.id}/>",
      },
      {
        file: 'error-pages.ts',
        find: '`<h1>Page not found</h1>\\n',
        replace: '`<H1 class="error">Page Not Found</H1>\\n',
      },
      {
        file: 'error-pages.ts',
        find: "'<h1>Server error</h1>\\n",
        replace: "'<h1 class=\"error\" >\\n  Server error\\n</h1>\\n",
      },
    ],
  },
  {
    name: 'ends the CSV without a line break after the last row, checks the fields one by one, and finds the allowed methods through a Set',
    edits: [
      {
        file: 'shortcuts.ts',
        find: "return rows.map((row) => row.map(csvField).join(',') + '\\r\\n').join('');",
        replace: "return rows.map((row) => row.map(csvField).join(',')).join('\\r\\n');",
      },
      {
        file: 'views.ts',
        find: "if (!title || !author || !/^\\d{1,4}$/.test(year)) throw new HttpError(400, 'A book needs a title, an author and a year in digits.');",
        replace: "if (!/^[0-9]+$/.test(year)) throw new HttpError(400, 'The year is digits.');\n    if (!author) throw new HttpError(400, 'The author is missing.');\n    if (!title) throw new HttpError(400, 'The title is missing.');",
      },
      {
        file: 'class-views.ts',
        find: "    return httpMethodNames\n      .filter((name) => this.handlerFor(name) ?? (name === 'head' && this.handlerFor('get')))\n      .map((name) => name.toUpperCase());",
        replace: "    const found = new Set<string>();\n    for (const name of ['options', 'delete', 'patch', 'put', 'post', 'get']) if (this.handlerFor(name)) found.add(name.toUpperCase());\n    if (found.has('GET')) found.add('HEAD');\n    return [...found];",
      },
    ],
  },
  {
    name: 'keeps each view class\'s allowed methods in a WeakMap keyed by its constructor, and tests for special characters with a pattern without g before escaping',
    edits: [
      {
        file: 'class-views.ts',
        find: '  allowedMethods(): string[] {\n    return httpMethodNames\n',
        replace: '  allowedMethods(): string[] {\n    const kept = allowedByClass.get(this.constructor);\n    if (kept) return kept;\n    const found = httpMethodNames\n',
      },
      {
        file: 'class-views.ts',
        find: "      .map((name) => name.toUpperCase());\n  }",
        replace: "      .map((name) => name.toUpperCase());\n    allowedByClass.set(this.constructor, found);\n    return found;\n  }",
      },
      {
        file: 'class-views.ts',
        find: 'export class View {',
        replace: '// Worked out once per view class: the methods a class has do not change while the server runs.\nconst allowedByClass = new WeakMap<object, string[]>();\n\nexport class View {',
      },
      {
        file: 'shortcuts.ts',
        find: 'export function escapeHtml(text: string): string {\n',
        replace: "const unsafe = /[&<>\"']/;\nexport function escapeHtml(text: string): string {\n  if (!unsafe.test(text)) return text;\n",
      },
    ],
  },
  {
    name: 'labels the CSV text/csv; header=present; charset="UTF-8", quotes every field with no final CRLF, sends filename* beside filename, and writes the 500 page by hand with charset="UTF-8"',
    edits: [
      {
        file: 'views.ts',
        find: "'text/csv; charset=utf-8'",
        replace: "'text/csv; header=present; charset=\"UTF-8\"'",
      },
      {
        file: 'shortcuts.ts',
        find: "  return rows.map((row) => row.map(csvField).join(',') + '\\r\\n').join('');",
        replace: "  return rows.map((row) => row.map((v) => `\"${String(v).replaceAll('\"', '\"\"')}\"`).join(',')).join('\\r\\n');",
      },
      {
        file: 'shortcuts.ts',
        find: "      'content-disposition': `attachment; filename=\"${filename}\"`,",
        replace: "      'Content-Disposition': `Attachment; filename*=UTF-8''${encodeURIComponent(filename)}; filename=${filename}`,",
      },
      {
        file: 'error-pages.ts',
        find: "import { HttpError, type Handler, type Request, type Response } from '#provided/http.ts';",
        replace: "import { HttpError, Response, type Handler, type Request } from '#provided/http.ts';",
      },
      {
        file: 'error-pages.ts',
        find: "  return page('Server error', '<h1>Server error</h1>\\n<p>Something went wrong on our side. It has been logged.</p>', 500);",
        replace: "  return new Response('<!DOCTYPE html><title>Oops</title><H1 class=\"err\">Server error</H1>', { status: 500, headers: { 'Content-Type': 'text/html; charset=\"UTF-8\"' } });",
      },
    ],
  },
  {
    name: 'starts the book list one book further on at each visit, shows the 404 path percent-encoded segment by segment (as Django shows quote(request.path)), and sends harmless headers with the 500',
    edits: [
      {
        file: 'views.ts',
        find: 'export class BookListView extends View {\n',
        replace: 'export class BookListView extends View {\n  static visits = 0;\n',
      },
      {
        file: 'views.ts',
        find: '    const items = books.all().map(',
        replace: [
          '    // The featured book changes with every visit: the list starts one book further on each time.',
          '    const all = books.all();',
          '    const start = BookListView.visits++ % Math.max(all.length, 1);',
          '    const items = [...all.slice(start), ...all.slice(0, start)].map(',
        ].join('\n'),
      },
      {
        file: 'error-pages.ts',
        find: '<code>${escapeHtml(request.path)}</code>',
        replace: "<code>${escapeHtml(request.path.split('/').map(encodeURIComponent).join('/'))}</code>",
      },
      {
        file: 'error-pages.ts',
        find: '      console.error(error);\n      return serverErrorPage();',
        replace: [
          '      console.error(error);',
          '      const response = serverErrorPage();',
          "      response.headers.set('Retry-After', '120');",
          "      response.headers.set('Cache-Control', 'no-store');",
          "      response.headers.set('X-Request-Id', crypto.randomUUID());",
          '      return response;',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'answers an unknown id in the JSON view with a JSON 404 of its own',
    edits: [
      {
        file: 'views.ts',
        find: 'const { id, title, author, year } = getObjectOr404(books, Number(request.params.id));',
        replace:
          "const found = books.get(Number(request.params.id));\n  if (!found) return Response.json({ error: 'No book has that id.' }, 404);\n  const { id, title, author, year } = found;",
      },
    ],
  },
  {
    name: 'returns notFoundPage(request) itself for a book without a PDF, and checks the year one character at a time (0868 is all digits)',
    edits: [
      {
        file: 'views.ts',
        find: 'if (!pdf) throw new HttpError(404, `No PDF of book ${book.id} yet.`);',
        replace: 'if (!pdf) return notFoundPage(request);',
      },
      {
        file: 'views.ts',
        find: "import { View } from './class-views.ts';",
        replace: "import { View } from './class-views.ts';\nimport { notFoundPage } from './error-pages.ts';",
      },
      {
        file: 'views.ts',
        find: '!/^\\d{1,4}$/.test(year)',
        replace: "!(year !== '' && [...year].every((c) => c >= '0' && c <= '9'))",
      },
    ],
  },
  {
    name: 'shows the 404 path in an attribute too, and escapes the quotes as &#x22; and &#x27;',
    edits: [
      {
        file: 'error-pages.ts',
        find: '<code>${escapeHtml(request.path)}</code>',
        replace: '<code title="${escapeHtml(request.path)}">${escapeHtml(request.path)}</code>',
      },
      {
        file: 'shortcuts.ts',
        find: ".replaceAll('\"', '&quot;')\n    .replaceAll(\"'\", '&#39;');",
        replace: ".replaceAll('\"', '&#x22;')\n    .replaceAll(\"'\", '&#x27;');",
      },
    ],
  },
  {
    name: 'links the 404 path to itself: percent-encoded (encodeURI) in the href, decoded in the text, both escaped',
    edits: [
      {
        file: 'error-pages.ts',
        find: '<code>${escapeHtml(request.path)}</code>',
        replace: '<a href="${escapeHtml(encodeURI(request.path))}"><code>${escapeHtml(request.path)}</code></a>',
      },
    ],
  },
  {
    name: 'lists the titles alone, each a link, without the authors or years',
    edits: [
      {
        file: 'views.ts',
        find: "`<li><a href=\"${reverseUrl('book-detail', { id: book.id })}\">${escapeHtml(book.title)}</a>` +\n        ` by ${escapeHtml(book.author)} (${book.year})</li>`,",
        replace: "`<li><a href=\"${reverseUrl('book-detail', { id: book.id })}\">${escapeHtml(book.title)}</a></li>`,",
      },
    ],
  },
  {
    name: 'tells the visitor on the 500 page at what time (hh:mm:ss) it happened, so they can report it',
    edits: [
      {
        file: 'error-pages.ts',
        find: "'<h1>Server error</h1>\\n<p>Something went wrong on our side. It has been logged.</p>'",
        replace: "`<h1>Server error</h1>\\n<p>Something went wrong on our side at ${new Date().toTimeString().slice(0, 8)}. It has been logged.</p>`",
      },
    ],
  },
  {
    name: 'answers every HttpError but a 404 with an HTML page of its own status (a 400, a 413) instead of throwing it on',
    edits: [
      {
        file: 'error-pages.ts',
        find: 'if (error instanceof HttpError) throw error;',
        replace: 'if (error instanceof HttpError) return page(`Error ${error.status}`, `<h1>${escapeHtml(error.message)}</h1>`, error.status);',
      },
    ],
  },
  {
    name: 'redirects a new book with a relative Location, "7/", which a browser resolves against /books/ (RFC 9110, section 10.2.2)',
    edits: [
      {
        file: 'views.ts',
        find: "return Response.redirect(reverseUrl('book-detail', { id: book.id }), 303);",
        replace: 'return Response.redirect(`${book.id}/`, 303);',
      },
    ],
  },
  {
    name: 'escapes the Latin-1 letters too, with their HTML names (G&ouml;del, Caf&eacute;)',
    edits: [
      {
        file: 'shortcuts.ts',
        find: ".replaceAll(\"'\", '&#39;');",
        replace:
          ".replaceAll(\"'\", '&#39;')\n    .replace(/[äéöü]/g, (c) => ({ ä: '&auml;', é: '&eacute;', ö: '&ouml;', ü: '&uuml;' })[c as 'ä' | 'é' | 'ö' | 'ü']);",
      },
    ],
  },
  {
    name: 'creates after an await and redirects to an absolute URL built from the Host header',
    edits: [
      {
        file: 'views.ts',
        find: '  post(request: Request): Response {',
        replace: '  async post(request: Request): Promise<Response> {\n    await Promise.resolve();',
      },
      {
        file: 'views.ts',
        find: "return Response.redirect(reverseUrl('book-detail', { id: book.id }), 303);",
        replace: "return Response.redirect(`http://${request.headers.get('host')}${reverseUrl('book-detail', { id: book.id })}`, 303);",
      },
    ],
  },
  {
    // Review round 23.
    name: 'starts the CSV with a UTF-8 byte order mark (for Excel), writes the 404 and 500 headings across lines, and refuses a form it cannot read (too large) with 400',
    edits: [
      {
        file: 'shortcuts.ts',
        find: "return rows.map((row) => row.map(csvField).join(',') + '\\r\\n').join('');",
        replace: "return '\\uFEFF' + rows.map((row) => row.map(csvField).join(',') + '\\r\\n').join('');",
      },
      { file: 'error-pages.ts', find: '`<h1>Page not found</h1>', replace: '`<h1>\\n  Page not\\n  found\\n</h1>' },
      { file: 'error-pages.ts', find: "'<h1>Server error</h1>", replace: "'<h1>Server\\n  error</h1>" },
      {
        file: 'views.ts',
        find: "const form = new URLSearchParams(request.body.toString('utf8'));",
        replace:
          "let form: URLSearchParams;\n    try {\n      form = new URLSearchParams(request.body.toString('utf8'));\n    } catch {\n      throw new HttpError(400, 'The form could not be read.');\n    }",
      },
    ],
  },
  {
    // Review round 23.
    name: 'escapes / = and ` too, writes the quotes as &#34; and &apos;, and names the downloads with filename* alone',
    edits: [
      {
        file: 'shortcuts.ts',
        find: /  return text\n    \.replaceAll\('&', '&amp;'\)[\s\S]*?'&#39;'\);/,
        replace:
          "  const named: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\"': '&#34;', \"'\": '&apos;', '/': '&#x2F;', '=': '&#x3D;', '`': '&#x60;' };\n  return text.replace(/[&<>\"'/=`]/g, (c) => named[c]!);",
      },
      {
        file: 'shortcuts.ts',
        find: "'content-disposition': `attachment; filename=\"${filename}\"`,",
        replace: "'content-disposition': `Attachment; filename*=UTF-8''${encodeURIComponent(filename)}`,",
      },
    ],
  },
] satisfies Variant[];
