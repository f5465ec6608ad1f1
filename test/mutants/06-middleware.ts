import type { Mutant } from '../support/mutants.ts';

export default [
  {
    name: 'folds the wrong way, so the first listed is the innermost',
    file: 'compose.ts',
    find: 'middleware.reduceRight<Handler>(',
    replace: 'middleware.reduce<Handler>(',
    caughtBy: 'runs the middleware on the way in in the order they are listed',
  },
  {
    name: 'returns the promise inside try without awaiting it',
    file: 'compose.ts',
    find: 'return await handler(request);',
    replace: 'return handler(request);',
    caughtBy: 'sends that 500 back out through every layer',
  },
  {
    name: "leaves the view's own exceptions to the innermost layer",
    file: 'compose.ts',
    find: '    convertExceptions(view),\n',
    replace: '    view,\n',
    caughtBy: 'sends that 500 back out through every layer',
  },
  {
    name: 'converts exceptions around the view only, not around each layer',
    file: 'compose.ts',
    find: '(inner, layer) => convertExceptions(layer(callableOnce(inner, layer.displayName ?? (layer.name || \'middleware\')))),',
    replace: '(inner, layer) => layer(callableOnce(inner, layer.displayName ?? (layer.name || \'middleware\'))),',
    caughtBy: 'refuses a second call to next: 500, and the view runs once',
  },
  {
    name: 'lets next be called twice',
    file: 'compose.ts',
    find: 'if (called.has(request)) throw new Error(`next() called multiple times in ${caller}`);',
    replace: '',
    caughtBy: 'refuses a second call to next: 500, and the view runs once',
  },
  {
    name: 'remembers a call to next for every request, not per request',
    file: 'compose.ts',
    find: /const called = new WeakSet<Request>\(\);[\s\S]*?called\.add\(request\);/,
    replace:
      'let called = false;\n  return async (request) => {\n    if (called) throw new Error(`next() called multiple times in ${caller}`);\n    called = true;',
    caughtBy: 'runs the view inside every layer',
  },
  {
    name: 'answers every exception with 500, HttpError too',
    file: 'compose.ts',
    find: 'return errorResponse(error);',
    replace: "return errorResponse(new Error(String(error)));",
    caughtBy: 'answers an HttpError with its own status',
  },
  {
    name: 'shows the stack trace in the response, like DEBUG = True',
    file: 'compose.ts',
    find: 'return errorResponse(error);',
    replace: 'const response = errorResponse(error);\n      response.body = String(error instanceof Error ? error.stack : error);\n      return response;',
    caughtBy: 'turns an exception in the view into a 500 without a stack trace',
  },
  {
    name: 'treats a layer that answers without calling next as a bug',
    file: 'compose.ts',
    find: "(inner, layer) => convertExceptions(layer(callableOnce(inner, layer.displayName ?? (layer.name || 'middleware')))),",
    replace: `(inner, layer) => {
      const name = layer.displayName ?? (layer.name || 'middleware');
      const reached = new WeakSet<Request>();
      const handler = layer(callableOnce(async (request) => (reached.add(request), inner(request)), name));
      return convertExceptions(async (request) => {
        const response = await handler(request);
        if (!reached.has(request)) throw new Error(\`\${name} answered without calling next()\`);
        return response;
      });
    },`,
    caughtBy: 'stops at a layer that answers by itself, and outer layers still see its answer',
  },
] satisfies Mutant[];
