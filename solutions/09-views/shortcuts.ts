// Lesson 09: the small helpers every view needs, like Django's django.shortcuts
// and django.utils.html: escaping text for HTML, a 404 for a missing object,
// CSV, file downloads, and (provided) a page frame and reverseUrl().
import { HttpError, Response } from '#provided/http.ts';
import { reverse, type Route } from '#provided/router.ts';

// 'Tom & <b>Jerry</b>' -> 'Tom &amp; &lt;b&gt;Jerry&lt;/b&gt;'
export function escapeHtml(text: string): string {
  // & goes first: replacing it after the others would turn "&lt;" into "&amp;lt;".
  // Quotes matter inside attributes: <a title="…"> must not end early.
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

// getObjectOr404(books, 1) -> the book; getObjectOr404(books, 99) -> throws HttpError 404
export function getObjectOr404<T>(store: { get(id: number): T | undefined }, id: number): T {
  const found = store.get(id);
  // An id that does not exist is the client's mistake (404), not a crash of ours (500).
  if (found === undefined) throw new HttpError(404, `Nothing has the id ${id}.`);
  return found;
}

// [['id', 'title'], [1, 'Gödel, Escher, Bach']] -> 'id,title\r\n1,"Gödel, Escher, Bach"\r\n'
export function toCsv(rows: (string | number)[][]): string {
  // RFC 4180: every record ends with CRLF, the last one too (as Python's csv module writes it).
  return rows.map((row) => row.map(csvField).join(',') + '\r\n').join('');
}

function csvField(value: string | number): string {
  const text = String(value);
  // A comma, a quote or a line break would break the row apart: quote the field,
  // and double each quote inside it so it cannot end the field early.
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// fileResponse(bytes, 'book-1.pdf', 'application/pdf') -> 200, Content-Type: application/pdf,
// Content-Disposition: attachment; filename="book-1.pdf", the bytes unchanged
export function fileResponse(body: string | Buffer, filename: string, contentType: string): Response {
  return new Response(body, {
    headers: {
      'content-type': contentType,
      // RFC 6266: "attachment" asks the browser to save the body instead of showing it.
      // Our filenames are plain ASCII; one with quotes or accents would need escaping or filename*.
      'content-disposition': `attachment; filename="${filename}"`,
    },
  });
}

// Don't change anything below this line: the page frame and reverseUrl() are provided.

/** A whole HTML page: `title` is plain text (escaped here); `body` is HTML you built and escaped. */
export function page(title: string, body: string, status = 200): Response {
  return Response.html(
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(title)}</title>\n</head>\n<body>\n${body}\n</body>\n</html>\n`,
    status,
  );
}

let urlconf: Route[] = [];

/** server.ts names the URLconf once, at startup, as Django's ROOT_URLCONF setting does. */
export function setUrlconf(routes: Route[]): void {
  urlconf = routes;
}

/** The path of a named route, like Django's reverse(): reverseUrl('book-detail', { id: 1 }) -> "/books/1/". */
export function reverseUrl(name: string, params: Record<string, string | number> = {}): string {
  return reverse(urlconf, name, params);
}
