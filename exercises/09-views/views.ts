// Lesson 09: the views of a small bookshelf. Each takes a Request and returns a
// Response: an HTML page, JSON, a CSV export, a file download or a redirect.
// A view that cannot answer throws, and withErrorPages (error-pages.ts) answers.
import { HttpError, Response, type Request } from '#provided/http.ts';
import { books } from './books.ts';
import { View } from './class-views.ts';
import { escapeHtml, fileResponse, getObjectOr404, page, reverseUrl, toCsv } from './shortcuts.ts';

/** /books/: GET lists the books, POST adds one. */
export class BookListView extends View {
  // TODO: Answer a page() that lists books.all(), each title a link to the book's
  // page (reverseUrl). Escape the titles and authors.
  // GET /books/ -> 200 text/html: <li><a href="/books/1/">Weaving the Web</a> by Tim Berners-Lee (1999)</li>…
  get(request: Request): Response {
    throw new Error('TODO: list the books on an HTML page (BookListView.get in views.ts)');
  }

  // TODO: Read title, author and year from the URL-encoded form in request.body.
  // Throw HttpError 400 when one is missing (or the year is not all digits); else
  // create the book and redirect with 303 See Other to its page (reverseUrl).
  // POST /books/ title=Dune&author=Frank+Herbert&year=1965 -> 303 See Other, Location: /books/6/
  post(request: Request): Response {
    throw new Error('TODO: create the book and redirect to its page (BookListView.post in views.ts)');
  }
}

// TODO: Answer a page() with the book's title, author and year, escaped; an
// unknown id is a 404 (getObjectOr404). request.params.id holds the id.
// GET /books/1/ -> 200 text/html: <h1>Weaving the Web</h1> <p>by Tim Berners-Lee, 1999</p>
export function bookDetail(request: Request): Response {
  throw new Error("TODO: show the book's page (bookDetail in views.ts)");
}

// TODO: Answer the book's id, title, author and year as JSON; 404 for an unknown id.
// GET /api/books/1/ -> 200 application/json: {"id":1,"title":"Weaving the Web","author":"Tim Berners-Lee","year":1999}
export function bookJson(request: Request): Response {
  throw new Error('TODO: answer the book as JSON (bookJson in views.ts)');
}

// TODO: Answer every book as CSV, after the header row id,title,author,year: a
// download named books.csv, with Content-Type text/csv; charset=utf-8.
// GET /books/export.csv -> 200 text/csv, a download named books.csv: id,title,author,year\r\n1,Weaving the Web,…
export function exportCsv(request: Request): Response {
  throw new Error('TODO: export the books as CSV (exportCsv in views.ts)');
}

/** /books/<id>/pdf: GET downloads the book's PDF, PUT uploads one. */
export class BookPdfView extends View {
  // TODO: Answer the book's PDF (books.pdf) as a download named book-<id>.pdf, type
  // application/pdf, bytes unchanged; 404 when the book or its PDF does not exist.
  // GET /books/1/pdf -> 200 application/pdf, a download named book-1.pdf: the bytes as they were uploaded
  get(request: Request): Response {
    throw new Error("TODO: send the book's PDF as a download (BookPdfView.get in views.ts)");
  }

  // TODO: Keep request.body (a Buffer) as the book's PDF with books.setPdf. Answer
  // 201 Created when the book had no PDF yet, 204 No Content when it replaces one.
  // PUT /books/1/pdf with the PDF as the body -> 201 Created the first time, 204 No Content when it replaces one
  put(request: Request): Response {
    throw new Error("TODO: store the uploaded PDF (BookPdfView.put in views.ts)");
  }
}

// Don't change anything below this line.

// GET /debug/crash/?detail=x -> a view that fails on purpose, so you can see your 500 page and your log.
export function crash(request: Request): Response {
  throw new Error(`Crashed on purpose (detail: ${request.query.get('detail') ?? 'none'})`);
}
