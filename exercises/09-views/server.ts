// Lesson 09: the server around your views. A request comes in through the
// provided plumbing and a middleware, the router picks a view, and the view's
// response goes back out the same way. You don't need to change this file.
import { compose } from '#provided/compose.ts';
import type { Middleware } from '#provided/http.ts';
import { router } from '#provided/router.ts';
import { serve } from '#provided/serve.ts';
import { withErrorPages } from './error-pages.ts';
import { setUrlconf } from './shortcuts.ts';
import { urlpatterns } from './urls.ts';

// Browsers must take Content-Type at its word instead of guessing from the bytes,
// as Django's SecurityMiddleware asks: an uploaded file must never run as a page.
const noSniff: Middleware = (next) => async (request) => {
  const response = await next(request);
  response.headers.set('x-content-type-options', 'nosniff');
  return response;
};

setUrlconf(urlpatterns);

// In: noSniff, then the router, which calls the view. Out: the same way back.
// withErrorPages sits right around the router, where Django calls handler404 and handler500.
serve(compose([noSniff], withErrorPages(router(urlpatterns))));
