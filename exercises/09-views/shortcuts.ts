// Lesson 09: the small helpers every view needs, like Django's django.shortcuts
// and django.utils.html: escaping text for HTML, a 404 for a missing object,
// CSV, file downloads, and (provided) a page frame and reverseUrl().
import { HttpError, Response } from '#provided/http.ts';
import { reverse, type Route } from '#provided/router.ts';

// TODO: Return the text with & < > " ' replaced by &amp; &lt; &gt; &quot; &#39;,
// so that a browser shows it as text instead of reading it as HTML.
// 'Tom & <b>Jerry</b>' -> 'Tom &amp; &lt;b&gt;Jerry&lt;/b&gt;'
export function escapeHtml(text: string): string {
  throw new Error('TODO: escape & < > " \' for HTML (escapeHtml in shortcuts.ts)');
}

// TODO: Return store.get(id), or throw an HttpError 404 when it is undefined,
// as Django's get_object_or_404 does.
// getObjectOr404(books, 1) -> the book; getObjectOr404(books, 99) -> throws HttpError 404
export function getObjectOr404<T>(store: { get(id: number): T | undefined }, id: number): T {
  throw new Error('TODO: find the object or throw HttpError 404 (getObjectOr404 in shortcuts.ts)');
}

// TODO: Join the rows into CSV text (RFC 4180): fields separated by commas, each
// row ending in CRLF. Put a field in double quotes when it holds a comma, a quote,
// CR or LF, and double every quote inside it.
// [['id', 'title'], [1, 'Gödel, Escher, Bach']] -> 'id,title\r\n1,"Gödel, Escher, Bach"\r\n'
export function toCsv(rows: (string | number)[][]): string {
  throw new Error('TODO: write the rows as CSV (toCsv in shortcuts.ts)');
}

// TODO: Return a 200 response with the body as it is, this Content-Type, and
// Content-Disposition: attachment; filename="<filename>" (RFC 6266).
// fileResponse(bytes, 'book-1.pdf', 'application/pdf') -> 200, Content-Type: application/pdf,
// Content-Disposition: attachment; filename="book-1.pdf", the bytes unchanged
export function fileResponse(body: string | Buffer, filename: string, contentType: string): Response {
  throw new Error('TODO: answer with the file as a download (fileResponse in shortcuts.ts)');
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
