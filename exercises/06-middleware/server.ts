// Lesson 06: three sample middlewares around one view, put together by your
// compose() in compose.ts. Each layer writes the journey so far into the
// X-Onion response header, so curl shows the way in and the way back out.
// You don't need to change this file.
import { stoppedByMiddle } from '#provided/fixtures/06-middleware.ts';
import { HttpError, Response, type Handler, type Middleware, type Request } from '#provided/http.ts';
import { serve } from '#provided/serve.ts';
import { traceStep, traced } from '#provided/trace.ts';
import { compose } from './compose.ts';

/** The journey of one request, kept on the request: ['outer:in', 'middle:in', …]. */
function journey(request: Request): string[] {
  let steps = request.state.get('journey') as string[] | undefined;
  if (!steps) request.state.set('journey', (steps = []));
  return steps;
}

/** On the way out: note the layer, and show the whole journey in X-Onion. */
function leave(name: string, request: Request, response: Response): Response {
  journey(request).push(`${name}:out`);
  response.headers.set('x-onion', journey(request).join(', '));
  return response;
}

// Each factory says when it runs: once, when compose builds the chain, not for every request.

// The outermost layer: in first, out last.
const outer: Middleware = (next) => {
  console.log('outer: built');
  return async (request) => {
    journey(request).push('outer:in');
    const response = await next(request);
    return leave('outer', request, response);
  };
};

// Answers by itself when asked to (?short=1), as a permission check might:
// the layers inside it and the view never run.
const middle: Middleware = (next) => {
  console.log('middle: built');
  return async (request) => {
    journey(request).push('middle:in');
    const response =
      request.query.get('short') === '1' ? Response.text(stoppedByMiddle, 403) : await next(request);
    return leave('middle', request, response);
  };
};

// Two requests for /pair/<key>/… wait here for each other, so that both have
// called next once before either calls it again, as on a busy server.
const waiting = new Map<string, () => void>();
function meet(key: string): Promise<void> {
  const partner = waiting.get(key);
  if (partner) {
    waiting.delete(key);
    partner();
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    waiting.set(key, resolve);
    // A partner that never comes is waited for 5 seconds, not forever.
    setTimeout(() => {
      if (waiting.get(key) === resolve) waiting.delete(key);
      resolve();
    }, 5000).unref();
  });
}

// The innermost layer. It calls next a second time, which compose must refuse:
// on /twice once the first answer is in, as a naive retry would; on
// /twice-at-once straight away, without waiting for the first answer; on
// /pair/<key>/… once another request has called next in between.
const inner: Middleware = (next) => {
  console.log('inner: built');
  return async (request) => {
    journey(request).push('inner:in');
    let response: Response;
    if (request.path === '/twice-at-once') [response] = await Promise.all([next(request), next(request)]);
    else response = await next(request);
    if (request.path === '/twice') response = await next(request);
    const pair = /^\/pair\/(\w+)\//.exec(request.path);
    if (pair) {
      await meet(pair[1]!);
      response = await next(request);
    }
    return leave('inner', request, response);
  };
};

// GET /anything -> "The view answered GET /anything". Two paths go wrong on purpose, in
// the two ways a handler can: /articles/<id> throws at once (this view is not
// async), and /boom returns a promise that rejects.
const page: Handler = (request) => {
  journey(request).push('view');
  traceStep('view', 'page');
  const article = /^\/articles\/(.+)$/.exec(request.path);
  if (article) throw new HttpError(404, `No article ${article[1]}.`);
  if (request.path === '/boom') return Promise.reject(new Error('The view crashed (on purpose: /boom always does).'));
  return Promise.resolve(Response.text(`The view answered ${request.method} ${request.path}\n`));
};

// The whole onion, and (under /bare/) the view with no middleware at all.
const app = compose([traced(outer), traced(middle), traced(inner)], page);
const bare = compose([], page);

serve((request) => (request.path.startsWith('/bare/') ? bare(request) : app(request)));
