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
      // TODO: Answer an HttpError with status 404 with notFoundPage(request). Throw any
      // other HttpError again: the provided plumbing answers it with its status.
      // Anything else is a bug: log it with console.error(error), then answer
      // serverErrorPage(). (Keep the logging: it is how you see your TODOs fail.)
      console.error(error);
      throw new Error('TODO: answer what the view threw with your error pages (withErrorPages in error-pages.ts)');
    }
  };
}

// TODO: Answer 404 with a page() whose heading is <h1>Page not found</h1> and
// that shows the path that was asked for. The path comes from the client: escape it.
// GET /nowhere/ -> 404 text/html: <h1>Page not found</h1> … <code>/nowhere/</code>
export function notFoundPage(request: Request): Response {
  throw new Error('TODO: build the 404 page (notFoundPage in error-pages.ts)');
}

// TODO: Answer 500 with a page() whose heading is <h1>Server error</h1>. Say
// nothing about the error: not its message, not its stack trace.
// A view threw -> 500 text/html: <h1>Server error</h1>, and not a word about the error
export function serverErrorPage(): Response {
  throw new Error('TODO: build the 500 page (serverErrorPage in error-pages.ts)');
}
