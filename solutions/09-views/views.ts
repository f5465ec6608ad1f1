// Lesson 09: the views of a small bookshelf. Each takes a Request and returns a
// Response: an HTML page, JSON, a CSV export, a file download or a redirect.
// A view that cannot answer throws, and withErrorPages (error-pages.ts) answers.
import { HttpError, Response, type Request } from '#provided/http.ts';
import { books } from './books.ts';
import { View } from './class-views.ts';
import { escapeHtml, fileResponse, getObjectOr404, page, reverseUrl, toCsv } from './shortcuts.ts';

/** /books/: GET lists the books, POST adds one. */
export class BookListView extends View {
  // GET /books/ -> 200 text/html: <li><a href="/books/1/">Weaving the Web</a> by Tim Berners-Lee (1999)</li>…
  get(request: Request): Response {
    const items = books.all().map(
      (book) =>
        `<li><a href="${reverseUrl('book-detail', { id: book.id })}">${escapeHtml(book.title)}</a>` +
        ` by ${escapeHtml(book.author)} (${book.year})</li>`,
    );
    return page(
      'Books',
      `<h1>Books</h1>\n<ul>\n${items.join('\n')}\n</ul>\n` +
        `<p><a href="${reverseUrl('book-export')}">Download the list as CSV</a></p>\n` +
        `<form method="post" action="${reverseUrl('book-list')}">\n` +
        '<p><label>Title <input name="title" required></label></p>\n' +
        '<p><label>Author <input name="author" required></label></p>\n' +
        '<p><label>Year <input name="year" inputmode="numeric" required></label></p>\n' +
        '<p><button>Add the book</button></p>\n</form>',
    );
  }

  // POST /books/ title=Dune&author=Frank+Herbert&year=1965 -> 303 See Other, Location: /books/6/
  post(request: Request): Response {
    // An HTML form sends its fields URL-encoded, like a query string.
    const form = new URLSearchParams(request.body.toString('utf8'));
    const title = form.get('title')?.trim() ?? '';
    const author = form.get('author')?.trim() ?? '';
    const year = form.get('year') ?? '';
    // Test the text itself: Number() would take '', '0x10', '1e3' and ' 2020' for numbers.
    if (!title || !author || !/^\d{1,4}$/.test(year)) throw new HttpError(400, 'A book needs a title, an author and a year in digits.');
    const book = books.create({ title, author, year: Number(year) });
    // Post/Redirect/Get: 303 sends the browser to GET the new book's page, so
    // reloading that page shows it again instead of posting the form twice.
    return Response.redirect(reverseUrl('book-detail', { id: book.id }), 303);
  }
}

// GET /books/1/ -> 200 text/html: <h1>Weaving the Web</h1> <p>by Tim Berners-Lee, 1999</p>
export function bookDetail(request: Request): Response {
  const book = getObjectOr404(books, Number(request.params.id));
  return page(
    book.title,
    `<h1>${escapeHtml(book.title)}</h1>\n<p>by ${escapeHtml(book.author)}, ${book.year}</p>\n` +
      `<p><a href="${reverseUrl('book-pdf', { id: book.id })}">PDF</a> · <a href="${reverseUrl('book-list')}">All books</a></p>`,
  );
}

// GET /api/books/1/ -> 200 application/json: {"id":1,"title":"Weaving the Web","author":"Tim Berners-Lee","year":1999}
export function bookJson(request: Request): Response {
  const { id, title, author, year } = getObjectOr404(books, Number(request.params.id));
  // Name the fields you publish: a field added to Book later stays private until you add it here.
  return Response.json({ id, title, author, year });
}

// GET /books/export.csv -> 200 text/csv, a download named books.csv: id,title,author,year\r\n1,Weaving the Web,…
export function exportCsv(request: Request): Response {
  const rows = [['id', 'title', 'author', 'year'], ...books.all().map((b) => [b.id, b.title, b.author, b.year])];
  return fileResponse(toCsv(rows), 'books.csv', 'text/csv; charset=utf-8');
}

/** /books/<id>/pdf: GET downloads the book's PDF, PUT uploads one. */
export class BookPdfView extends View {
  // GET /books/1/pdf -> 200 application/pdf, a download named book-1.pdf: the bytes as they were uploaded
  get(request: Request): Response {
    const book = getObjectOr404(books, Number(request.params.id));
    const pdf = books.pdf(book.id);
    if (!pdf) throw new HttpError(404, `No PDF of book ${book.id} yet.`);
    return fileResponse(pdf, `book-${book.id}.pdf`, 'application/pdf');
  }

  // PUT /books/1/pdf with the PDF as the body -> 201 Created the first time, 204 No Content when it replaces one
  put(request: Request): Response {
    const book = getObjectOr404(books, Number(request.params.id));
    // request.body is a Buffer: keep the bytes. As a string, every byte that is not valid UTF-8 would be lost.
    const isNew = books.setPdf(book.id, request.body);
    // RFC 9110, section 9.3.4: a PUT that creates the resource must answer 201.
    return new Response('', { status: isNew ? 201 : 204 });
  }
}

// Don't change anything below this line.

// GET /debug/crash/?detail=x -> a view that fails on purpose, so you can see your 500 page and your log.
export function crash(request: Request): Response {
  throw new Error(`Crashed on purpose (detail: ${request.query.get('detail') ?? 'none'})`);
}
