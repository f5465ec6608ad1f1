// Lesson 09: the pages a visitor sees when a view fails, like Django's
// handler404 and handler500 with their 404.html and 500.html. The 404 page
// says what was not found; the 500 page says nothing, and the error is logged.
import { HttpError, type Handler, type Request, type Response } from '#provided/http.ts';
import { escapeHtml, page, reverseUrl } from './shortcuts.ts';

// Wraps the router, so it answers whatever a view throws:
// HttpError 404 -> notFoundPage(); Error -> logged, then serverErrorPage()
export function withErrorPages(handler: Handler): Handler {
  return async (request) => {
    try {
      return await handler(request);
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return notFoundPage(request);
      // Other HttpErrors (400, 403…) mean what they say: the provided plumbing answers them with their status.
      if (error instanceof HttpError) throw error;
      // A bug. The developer needs every detail, so they go to the log; the visitor gets none of them.
      console.error(error);
      return serverErrorPage();
    }
  };
}

// GET /nowhere/ -> 404 text/html: <h1>Page not found</h1> … <code>/nowhere/</code>
export function notFoundPage(request: Request): Response {
  // The path comes from the client, like any form field: escape it.
  return page(
    'Page not found',
    `<h1>Page not found</h1>\n<p>There is nothing at <code>${escapeHtml(request.path)}</code>.</p>\n` +
      `<p><a href="${reverseUrl('book-list')}">See all the books</a></p>`,
    404,
  );
}

// A view threw -> 500 text/html: <h1>Server error</h1>, and not a word about the error
export function serverErrorPage(): Response {
  // No message and no stack trace: they can name files, queries or secrets. Django's
  // 500.html is rendered with an empty context for the same reason.
  return page('Server error', '<h1>Server error</h1>\n<p>Something went wrong on our side. It has been logged.</p>', 500);
}
