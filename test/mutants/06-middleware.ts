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
  {
    name: 'catches with .catch(), which misses a handler that throws before it returns a promise',
    file: 'compose.ts',
    find: /return async \(request\) => \{\n    try \{[\s\S]*?\n  \};\n\}/,
    replace: 'return (request) => handler(request).catch((error: unknown) => errorResponse(error));\n}',
    caughtBy: 'turns an exception thrown before any promise into a response too',
  },
  {
    name: 'remembers a call to next only once its answer is in',
    file: 'compose.ts',
    find: '    called.add(request);\n    return next(request);',
    replace: '    const response = await next(request);\n    called.add(request);\n    return response;',
    caughtBy: 'refuses a second call to next even before the first has answered',
  },
  {
    name: 'remembers the paths that called next, not the requests',
    file: 'compose.ts',
    find: /const called = new WeakSet<Request>\(\);[\s\S]*?called\.add\(request\);/,
    replace:
      'const called = new Set<string>();\n  return async (request) => {\n    if (called.has(request.path)) throw new Error(`next() called multiple times in ${caller}`);\n    called.add(request.path);',
    caughtBy: 'runs the view inside every layer',
  },
  {
    name: 'refuses next only while the first call is still running',
    file: 'compose.ts',
    find: /const called = new WeakSet<Request>\(\);[\s\S]*?return next\(request\);/,
    replace:
      'const running = new WeakSet<Request>();\n  return async (request) => {\n    if (running.has(request)) throw new Error(`next() called multiple times in ${caller}`);\n    running.add(request);\n    try {\n      return await next(request);\n    } finally {\n      running.delete(request);\n    }',
    caughtBy: 'refuses a second call to next: 500, and the view runs once',
  },
  {
    name: 'builds the chain again for every request',
    file: 'compose.ts',
    find: /  return middleware\.reduceRight<Handler>\(([\s\S]*?)\n  \);/,
    replace:
      "  return (request) =>\n    middleware.reduceRight<Handler>(\n      (inner, layer) => convertExceptions(layer(callableOnce(inner, layer.displayName ?? (layer.name || 'middleware')))),\n      convertExceptions(view),\n    )(request);",
    caughtBy: 'builds the chain once, at startup, not once per request',
  },
  {
    name: "names next's caller after layer.name, which traced() hides",
    file: 'compose.ts',
    find: "layer.displayName ?? (layer.name || 'middleware')",
    replace: "layer.name || 'middleware'",
    caughtBy: 'refuses a second call to next: 500, and the view runs once',
  },
  {
    name: 'remembers only the last request that called next',
    file: 'compose.ts',
    find: /const called = new WeakSet<Request>\(\);[\s\S]*?called\.add\(request\);/,
    replace:
      'let last: Request | undefined;\n  return async (request) => {\n    if (last === request) throw new Error(`next() called multiple times in ${caller}`);\n    last = request;',
    caughtBy: 'refuses a second call to next per request, while other requests come and go',
  },
  {
    name: 'builds the chain lazily, on the first request',
    file: 'compose.ts',
    find: /  return middleware\.reduceRight<Handler>\(([\s\S]*?)\n  \);/,
    replace:
      "  let built: Handler | undefined;\n  return (request) =>\n    (built ??= middleware.reduceRight<Handler>(\n      (inner, layer) => convertExceptions(layer(callableOnce(inner, layer.displayName ?? (layer.name || 'middleware')))),\n      convertExceptions(view),\n    ))(request);",
    caughtBy: 'builds the chain once, at startup, not once per request',
  },
] satisfies Mutant[];
