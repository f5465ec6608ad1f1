// Lesson 13: the whole cycle. A guestbook assembled from your own pieces:
// compose (lesson 06), the everyday middleware (07), the router (08), the
// template engine (10), static files (11), sessions and CSRF protection (12).
// The imports from ../<lesson>/ are on purpose: only this lesson reaches into
// the others' folders, so what runs here is exactly what you built there.
import { join } from 'node:path';
import { SECRET_KEY } from '#provided/fixtures/13-the-whole-cycle.ts';
import { HttpError, type Handler, type Middleware } from '#provided/http.ts';
import { serve } from '#provided/serve.ts';
import { traced } from '#provided/trace.ts';
import { compose } from '../06-middleware/compose.ts';
import { allowedHosts, securityHeaders, timing } from '../07-middleware-in-practice/middleware.ts';
import { path, router } from '../08-routing/router.ts';
import { renderTemplateResponses, type TemplateHook } from '../10-templating/template-response.ts';
import { setTemplateDirs } from '../10-templating/template.ts';
import { serveStatic } from '../11-static-files-and-caching/static.ts';
import { csrf, getCsrfToken } from '../12-cookies-and-sessions/csrf.ts';
import { sessions } from '../12-cookies-and-sessions/sessions.ts';
import { addEntry, home, pageNotFound } from './views.ts';

// Don't change these: the grader relies on them (and on SECRET_KEY, imported above).
const ALLOWED_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
const STATIC_ROOT = join(import.meta.dirname, 'static');
setTemplateDirs([join(import.meta.dirname, 'templates')]);

// Outermost first: a request meets them top to bottom, its response passes them bottom to top.
function middleware(): Middleware[] {
  return [
    // The last to touch every response, so even the host check's 400 gets the headers.
    securityHeaders,
    // The first layer that reads the request: nothing inside sees a Host we don't serve.
    allowedHosts(ALLOWED_HOSTS),
    // Times and logs everything inside it, the stylesheet and the 403s included.
    timing,
    // Answers /static/ by itself: a stylesheet needs no session and no CSRF check,
    // as WhiteNoise sits right after Django's SecurityMiddleware.
    // no-cache: style.css has no version in its name, so the browser asks every time and hears 304.
    serveStatic(STATIC_ROOT, '/static/', 'no-cache'),
    // Loads the session on the way in, saves it on the way out, for csrf and the views inside.
    sessions(SECRET_KEY),
    // Innermost: a forged POST is refused before any view runs, and a token a
    // template asked for becomes the csrftoken cookie on the way out.
    csrf(),
  ];
}

// Don't change anything below this line: the URLconf and the plumbing that joins the pieces.

const urlpatterns = [
  path('', home, { name: 'home', methods: ['GET'] }),
  path('entries', addEntry, { name: 'add-entry', methods: ['POST'] }),
];

// Like Django's csrf context processor: every template can write {{ csrf_token }}.
const csrfToken: TemplateHook = (request, response) => {
  response.context.csrf_token = getCsrfToken(request);
  return response;
};

// Like Django's handler404: a path no route matches (or a view's HttpError 404) gets your page.
function withNotFoundPage(handler: Handler): Handler {
  return async (request) => {
    try {
      return await handler(request);
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return pageNotFound(request);
      throw error;
    }
  };
}

// A gap left in a template shows on the page as <p class="todo">…</p>: say so in the terminal too.
function reportTemplateGaps(handler: Handler): Handler {
  return async (request) => {
    const response = await handler(request);
    const html = typeof response.body === 'string' ? response.body : '';
    for (const [, gap] of html.matchAll(/class="todo">([^<]*)/g)) console.error(`A template still has a gap: ${gap}`);
    return response;
  };
}

// The router picks a view; a TemplateResponse it returns is rendered here, on the way out.
const views = reportTemplateGaps(renderTemplateResponses(withNotFoundPage(router(urlpatterns)), [csrfToken]));

// Put together on the first request, not at start-up: a gap anywhere fails that
// request, with its message in the terminal, instead of stopping the server.
let app: Handler | undefined;
serve((request) => {
  // traced() lets `npm run trace` see each middleware on the way in and out.
  app ??= compose(middleware().map(traced), views);
  return app(request);
});
