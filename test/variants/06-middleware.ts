import type { Variant } from '../support/mutants.ts';

export default [
  {
    name: 'builds with a loop from the last layer to the first, and marks each request with a symbol',
    edits: [
      {
        file: 'compose.ts',
        find: /  return middleware\.reduceRight<Handler>\([\s\S]*?\n  \);/,
        replace: [
          '  let handler = convertExceptions(view);',
          '  for (let i = middleware.length - 1; i >= 0; i--) {',
          '    const layer = middleware[i]!;',
          "    handler = convertExceptions(layer(callableOnce(handler, layer.displayName || layer.name || 'anonymous')));",
          '  }',
          '  return handler;',
        ].join('\n'),
      },
      {
        file: 'compose.ts',
        find: /  const called = new WeakSet<Request>\(\);[\s\S]*?return next\(request\);/,
        replace: [
          "  const mark = Symbol(`next of ${caller}`);",
          '  return async (request) => {',
          '    const flags = request as unknown as Record<symbol, boolean>;',
          '    if (flags[mark]) throw new Error(`next() called multiple times in ${caller}`);',
          '    flags[mark] = true;',
          '    return await next(request);',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'converts with promise chaining, refuses next synchronously and words the error otherwise',
    edits: [
      {
        file: 'compose.ts',
        find: /  return async \(request\) => \{\n    try \{[\s\S]*?\n  \};\n\}/,
        replace: '  // then() also catches a handler that throws before returning a promise.\n  return (request) => Promise.resolve(request).then(handler).catch(errorResponse);\n}',
      },
      {
        file: 'compose.ts',
        find: /  return async \(request\) => \{\n    if \(called\.has\(request\)\)[^\n]*\n/,
        replace: '  return (request) => {\n    if (called.has(request)) throw new Error(`Middleware ${caller} called next() twice for ${request.method} ${request.path}`);\n',
      },
    ],
  },
  {
    name: 'builds the chain eagerly by recursion from the outside in, and keeps the calls to next in request.state, keyed by layer name',
    edits: [
      {
        file: 'compose.ts',
        find: /  return middleware\.reduceRight<Handler>\([\s\S]*?\n  \);/,
        replace: [
          '  // The handler for layer i and everything inside it, built now, at startup.',
          '  const from = (i: number): Handler => {',
          '    if (i === middleware.length) return convertExceptions(view);',
          '    const layer = middleware[i]!;',
          "    return convertExceptions(layer(callableOnce(from(i + 1), layer.displayName ?? layer.name)));",
          '  };',
          '  return from(0);',
        ].join('\n'),
      },
      {
        file: 'compose.ts',
        find: /  const called = new WeakSet<Request>\(\);[\s\S]*?return next\(request\);/,
        replace: [
          "  const key = `next called: ${caller}`;",
          '  return async (request: Request) => {',
          '    if (request.state.has(key)) throw new Error(`next() called multiple times in ${caller}`);',
          '    request.state.set(key, true);',
          '    return next(request);',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'builds the chain by recursion on the rest of the list, compose(rest, view)',
    edits: [
      {
        file: 'compose.ts',
        find: /  return middleware\.reduceRight<Handler>\([\s\S]*?\n  \);/,
        replace: [
          '  const [first, ...rest] = middleware;',
          '  if (first === undefined) return convertExceptions(view);',
          '  // Everything inside the first layer is the same problem, one layer smaller: built now, once.',
          "  return convertExceptions(first(callableOnce(compose(rest, view), first.displayName ?? (first.name || 'middleware'))));",
        ].join('\n'),
      },
    ],
  },
  {
    name: 'counts the calls to next per request in a WeakMap, and converts exceptions with new Promise',
    edits: [
      {
        file: 'compose.ts',
        find: /  return async \(request\) => \{\n    try \{[\s\S]*?\n  \};\n\}/,
        replace: '  // The executor runs handler at once, and a throw inside it rejects the promise: both kinds are caught.\n  return (request) => new Promise<Response>((resolve) => resolve(handler(request))).catch(errorResponse);\n}',
      },
      {
        file: 'compose.ts',
        find: /  const called = new WeakSet<Request>\(\);[\s\S]*?return next\(request\);/,
        replace: [
          '  const calls = new WeakMap<Request, number>();',
          '  return async (request) => {',
          '    const count = (calls.get(request) ?? 0) + 1;',
          '    calls.set(request, count);',
          '    if (count > 1) throw new Error(`next() called multiple times in ${caller} (call ${count})`);',
          '    return next(request);',
        ].join('\n'),
      },
      {
        file: 'compose.ts',
        find: "import type { Handler, Middleware, Request } from '#provided/http.ts';",
        replace: "import type { Handler, Middleware, Request, Response } from '#provided/http.ts';",
      },
    ],
  },
  {
    name: 'loops over a reversed copy of the list, and says "called next() again" in its error',
    edits: [
      {
        file: 'compose.ts',
        find: /  return middleware\.reduceRight<Handler>\([\s\S]*?\n  \);/,
        replace: [
          '  let handler: Handler = convertExceptions(view);',
          '  for (const layer of [...middleware].reverse()) {',
          "    const name = layer.displayName || layer.name || 'a middleware';",
          '    handler = convertExceptions(layer(callableOnce(handler, name)));',
          '  }',
          '  return handler;',
        ].join('\n'),
      },
      {
        file: 'compose.ts',
        find: 'throw new Error(`next() called multiple times in ${caller}`);',
        replace: 'throw new Error(`${caller} called next() again for the same request`);',
      },
    ],
  },
  {
    name: 'says "inner: next() was already called for this request" in its error',
    edits: [
      {
        file: 'compose.ts',
        find: 'throw new Error(`next() called multiple times in ${caller}`);',
        replace: 'throw new Error(`${caller}: next() was already called for this request`);',
      },
    ],
  },
] satisfies Variant[];
