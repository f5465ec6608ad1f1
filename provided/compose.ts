// Provided: the middleware onion of lesson 06, for the lessons after it.
// compose([a, b], view) answers a request by running a → b → view on the way
// in and view → b → a on the way out. Like Django's BaseHandler.load_middleware,
// it builds the chain once and converts an exception at any layer into a
// response, which then travels back out through the outer layers.
import { errorResponse } from './errors.ts';
import type { Handler, Middleware, Request } from './http.ts';
import { traced } from './trace.ts';

export function compose(middleware: Middleware[], view: Handler): Handler {
  let handler = convertExceptions(view);
  for (const layer of [...middleware].reverse()) {
    const inner = callableOncePerRequest(handler, layer.displayName ?? (layer.name || 'middleware'));
    handler = convertExceptions(traced(layer)(inner));
  }
  return handler;
}

function convertExceptions(handler: Handler): Handler {
  return async (request) => {
    try {
      return await handler(request);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** Calling the next layer twice for one request would run the view twice: refuse. */
function callableOncePerRequest(next: Handler, caller: string): Handler {
  const called = new WeakSet<Request>();
  return (request) => {
    if (called.has(request)) throw new Error(`next() called multiple times in ${caller}`);
    called.add(request);
    return next(request);
  };
}
