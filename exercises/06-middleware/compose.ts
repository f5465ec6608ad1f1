// Lesson 06: the middleware onion. compose() wraps a view in layers of
// middleware and returns one handler for the whole chain, the way Django's
// BaseHandler.load_middleware builds its chain once, at startup.
import { errorResponse } from '#provided/errors.ts';
import type { Handler, Middleware, Request } from '#provided/http.ts';

// TODO: Wrap the view in the middleware so that the first one listed is the
// outermost. Give each layer a `next` made with callableOnce, and pass the view
// and every layer through convertExceptions.
// compose([outer, inner], view)(request) -> outer:in, inner:in, view, inner:out, outer:out
export function compose(middleware: Middleware[], view: Handler): Handler {
  // compose() runs once, at startup; the handler it returns runs for every request.
  return async () => {
    throw new Error('TODO: wrap the view in the middleware, the first listed outermost (compose in compose.ts)');
  };
}

// TODO: Return a handler that calls `handler` and turns whatever it throws into
// a response with errorResponse: an HttpError keeps its status, anything else is a 500.
// throw new HttpError(404, 'No article 7.') -> 404 "No article 7."; throw new Error('…') -> 500
function convertExceptions(handler: Handler): Handler {
  return async () => {
    throw new Error('TODO: turn exceptions into responses (convertExceptions in compose.ts)');
  };
}

// TODO: Return a handler that calls `next`, but throws an Error instead when the
// same request calls it a second time. Name the caller in the message.
// next(request); next(request) -> Error: next() called multiple times in inner
function callableOnce(next: Handler, caller: string): Handler {
  return async () => {
    throw new Error('TODO: let each request call next only once (callableOnce in compose.ts)');
  };
}
