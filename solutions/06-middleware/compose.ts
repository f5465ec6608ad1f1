// Lesson 06: the middleware onion. compose() wraps a view in layers of
// middleware and returns one handler for the whole chain, the way Django's
// BaseHandler.load_middleware builds its chain once, at startup.
import { errorResponse } from '#provided/errors.ts';
import type { Handler, Middleware, Request } from '#provided/http.ts';

// compose([outer, inner], view)(request) -> outer:in, inner:in, view, inner:out, outer:out
export function compose(middleware: Middleware[], view: Handler): Handler {
  // Build from the inside out: start with the view, then wrap the last listed
  // layer around it, and so on, so that the first listed ends up outermost.
  // The view gets its own exception guard, as Django's innermost handler does,
  // so the innermost layer receives a response, never an exception.
  return middleware.reduceRight<Handler>(
    (inner, layer) => convertExceptions(layer(callableOnce(inner, layer.displayName ?? (layer.name || 'middleware')))),
    convertExceptions(view),
  );
}

// throw new HttpError(404, 'No article 7.') -> 404 "No article 7."; throw new Error('…') -> 500
function convertExceptions(handler: Handler): Handler {
  return async (request) => {
    try {
      // `return await`, not `return`: without the await, a rejected promise
      // would leave this try block before it is caught.
      return await handler(request);
    } catch (error) {
      // From here on, the error is an ordinary response: the layers outside
      // this one see it on their way out, and can still add their headers.
      return errorResponse(error);
    }
  };
}

// next(request); next(request) -> Error: next() called multiple times in inner
function callableOnce(next: Handler, caller: string): Handler {
  // The chain is built once and shared by every request, so a plain boolean
  // would refuse the second request too: remember which requests called.
  const called = new WeakSet<Request>();
  return async (request) => {
    if (called.has(request)) throw new Error(`next() called multiple times in ${caller}`);
    called.add(request);
    return next(request);
  };
}
