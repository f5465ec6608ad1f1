import type { Variant } from '../support/mutants.ts';

const file = 'router.ts';

export default [
  {
    name: 'sorts Allow, rewords the 404 and 405, and gives the redirect an absolute Location and a short body',
    edits: [
      {
        file,
        find: "    const response = Response.text('Method Not Allowed', 405);\n    response.headers.set('allow', [...allowed].join(', '));\n    return response;",
        replace:
          "    return new Response(`${request.method} is not allowed here.\\n`, {\n      status: 405,\n      headers: { Allow: [...allowed].sort().join(','), 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },\n    });",
      },
      {
        file,
        find: '    return Response.redirect(query ? `${location}?${query}` : location, 301);',
        replace:
          "    const absolute = `http://${request.headers.get('host') ?? 'localhost'}${location}${query ? `?${query}` : ''}`;\n    return new Response(`Moved to ${absolute}\\n`, { status: 301, headers: { Location: absolute, 'Content-Type': 'text/plain; charset=utf-8' } });",
      },
      {
        file,
        find: "  throw new HttpError(404, 'Not Found');",
        replace: "  throw new HttpError(404, `Nothing lives at ${request.path}.`);",
      },
    ],
  },
  {
    name: 'compiles with matchAll, picks converters in a switch, matches in a loop and reverses with the compiled route',
    edits: [
      {
        file,
        find: /export function compile\(route: Route\): CompiledRoute \{[\s\S]*?\n\}\n/,
        replace: `export function compile(route: Route): CompiledRoute {
  const converters: Record<string, Converter> = {};
  let source = '';
  let last = 0;
  for (const found of route.pattern.matchAll(/<(?:(\\w+):)?(\\w+)>/g)) {
    const name = found[2]!;
    converters[name] = converter(found[1] ?? 'str');
    source += escapeRegExp(route.pattern.slice(last, found.index)) + \`(?<\${name}>\${converters[name].regex})\`;
    last = found.index + found[0].length;
  }
  source += escapeRegExp(route.pattern.slice(last));
  return { ...route, regex: new RegExp(\`^\${source}$\`), converters };
}
`,
      },
      {
        file,
        find: /export function converter\(type: string\): Converter \{[\s\S]*?\n\}\n/,
        replace: `export function converter(type: string): Converter {
  switch (type) {
    case 'int':
      return { regex: '\\\\d+', toValue: (text) => parseInt(text, 10) };
    case 'str':
      return { regex: '[^/]+', toValue: String };
    case 'slug':
      return { regex: '[A-Za-z0-9_-]+', toValue: String };
    case 'uuid':
      return { regex: '[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}', toValue: String };
    case 'path':
      return { regex: '[\\\\s\\\\S]+', toValue: String };
    default:
      throw new Error(\`No converter called \${type}.\`);
  }
}
`,
      },
      {
        file,
        find: /export function match\(table: CompiledRoute\[\], method: string, path: string\): Match \| undefined \{[\s\S]*?\n\}\n/,
        replace: `export function match(table: CompiledRoute[], method: string, path: string): Match | undefined {
  for (const route of table) {
    const found = route.regex.exec(path.replace(/^\\//, ''));
    if (!found || !allows(route, method)) continue;
    const params: Params = {};
    for (const name of Object.keys(route.converters)) params[name] = route.converters[name]!.toValue(found.groups![name]!);
    return { route, params };
  }
  return undefined;
}
`,
      },
      {
        file,
        find: "  return '/' + route.pattern.replace(/<(?:\\w+:)?(\\w+)>/g, (_, key: string) => {",
        replace: "  return '/' + route.pattern.replace(/<[^<>]*?(\\w+)>/g, (_, key: string) => {",
      },
    ],
  },
  {
    name: 'writes the query of the slash redirect back with encodeURIComponent (a space as %20, not +)',
    edits: [
      {
        file,
        find: 'const query = request.query.toString();',
        replace: "const query = [...request.query].map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');",
      },
    ],
  },
  {
    name: 'reverse() also encodes !\'()* (as RFC 3986 reserves them) and writes the hex digits in lower case',
    edits: [
      {
        file,
        find: "return encodeURIComponent(text).replaceAll('%2F', '/');",
        replace:
          "return encodeURIComponent(text)\n      .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)\n      .replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())\n      .replaceAll('%2f', '/');",
      },
    ],
  },
  {
    name: 'answers the slash redirect with a short text body, and checks the converters with \\d and [\\w-]',
    edits: [
      {
        file,
        find: '    return Response.redirect(query ? `${location}?${query}` : location, 301);',
        replace:
          "    const target = query ? `${location}?${query}` : location;\n    return new Response(`Moved to ${target}\\n`, { status: 301, headers: { Location: target, 'Content-Type': 'text/plain; charset=utf-8' } });",
      },
      { file, find: "int: { regex: '[0-9]+', toValue: (text) => Number(text) }", replace: "int: { regex: '\\\\d+', toValue: (text) => Number.parseInt(text, 10) }" },
      { file, find: "slug: { regex: '[-a-zA-Z0-9_]+'", replace: "slug: { regex: '[\\\\w-]+'" },
    ],
  },
  {
    name: 'compiles by escaping the whole pattern, then replacing each <type:name> with its group',
    edits: [
      {
        file: 'router.ts',
        find: /  const source = route\.pattern\n[\s\S]*?\.join\(''\);/,
        replace: [
          "  const source = escapeRegExp(route.pattern).replace(/<(?:(\\w+):)?(\\w+)>/g, (_, type: string | undefined, name: string) => {",
          "    converters[name] = converter(type ?? 'str');",
          '    return `(?<${name}>${converters[name].regex})`;',
          '  });',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'answers OPTIONS on a path that exists itself: 204 with Allow (OPTIONS listed too), as @koa/router does',
    edits: [
      {
        file,
        find: "    const response = Response.text('Method Not Allowed', 405);",
        replace:
          "    if (request.method === 'OPTIONS') {\n      const answer = new Response('', { status: 204 });\n      answer.headers.set('allow', [...allowed, 'OPTIONS'].join(', '));\n      return answer;\n    }\n    const response = Response.text('Method Not Allowed', 405);",
      },
    ],
  },
  {
    // "Strip the slash" read the other way: the slash stays in the path and goes into every regex.
    name: 'compiles each pattern with its leading slash and matches the whole request.path',
    edits: [
      { file, find: 'regex: new RegExp(`^${source}$`)', replace: 'regex: new RegExp(`^/${source}$`)' },
      { file, find: '  const target = path.slice(1); // patterns have no leading slash', replace: '  const target = path; // each regex starts with the slash' },
      { file, find: '  const matching = table.filter((route) => route.regex.test(target));', replace: '  const matching = table.filter((route) => route.regex.test(request.path));' },
      { file, find: 'table.some((route) => route.regex.test(withSlash))', replace: 'table.some((route) => route.regex.test(`/${withSlash}`))' },
    ],
  },
  {
    // Written from scratch (review round 17): another learner's structure, right all the same.
    name: 'compiles by walking the pattern with indexOf, looks converters up with Object.hasOwn, collapses leading "/" in Location and reverses each value with its own converter',
    edits: [
      {
        file,
        find: /export function compile\(route: Route\): CompiledRoute \{[\s\S]*?\n\}\n/,
        replace: `export function compile(route: Route): CompiledRoute {
  const converters: Record<string, Converter> = {};
  const p = route.pattern;
  let source = '';
  let i = 0;
  while (i < p.length) {
    const open = p.indexOf('<', i);
    const close = open === -1 ? -1 : p.indexOf('>', open);
    if (close === -1) {
      source += escapeRegExp(p.slice(i));
      break;
    }
    source += escapeRegExp(p.slice(i, open));
    const inner = p.slice(open + 1, close);
    const colon = inner.indexOf(':');
    const name = inner.slice(colon + 1);
    converters[name] = converter(colon === -1 ? 'str' : inner.slice(0, colon));
    source += \`(?<\${name}>\${converters[name].regex})\`;
    i = close + 1;
  }
  return { ...route, regex: new RegExp(\`^\${source}$\`), converters };
}
`,
      },
      {
        file,
        find: /export function converter\(type: string\): Converter \{[\s\S]*?\n\}\n/,
        replace: `export function converter(type: string): Converter {
  if (!Object.hasOwn(builtInConverters, type)) throw new Error(\`Unknown path converter: \${type}\`);
  return { ...builtInConverters[type]!, toValue: type === 'int' ? (text) => parseInt(text, 10) : (text) => text };
}
`,
      },
      {
        file,
        find: "    const location = `/${encodePath(withSlash)}`.replace(/^\\/\\//, '/%2F');",
        replace: "    const location = `/${encodePath(withSlash)}`.replace(/^\\/+/, '/');",
      },
      {
        file,
        find: /export function reverse\([\s\S]*?\n\}\n/,
        replace: `export function reverse(urlpatterns: UrlPattern[], name: string, params: Params = {}): string {
  const route = flatten(urlpatterns).find((candidate) => candidate.name === name);
  if (!route) throw new NoReverseMatch(\`No route is called \${name}\`);
  const built = route.pattern.replace(/<(?:([^:<>]+):)?([^<>]+)>/g, (_whole, type: string | undefined, key: string) => {
    const value = params[key];
    if (value === undefined) throw new NoReverseMatch(\`\${name} needs a value for \${key}\`);
    const text = String(value);
    if (!new RegExp(\`^(?:\${converter(type ?? 'str').regex})$\`).test(text)) throw new NoReverseMatch(\`\${text} is not a valid \${key}\`);
    return type === 'path' ? encodePath(text) : encodeURIComponent(text);
  });
  return \`/\${built}\`;
}
`,
      },
    ],
  },
  {
    name: 'adds the slash with a relative Location, "./hello/?ref=1", which a browser resolves against the request (RFC 9110, section 10.2.2)',
    edits: [
      {
        file,
        find: '    return Response.redirect(query ? `${location}?${query}` : location, 301);',
        replace:
          "    const relative = `./${encodePath(withSlash.split('/').at(-2) ?? '')}/`;\n    return Response.redirect(query ? `${relative}?${query}` : relative, 301);",
      },
    ],
  },
  {
    name: 'adds the slash with an absolute Location on the IPv6 loopback, http://[::1]:PORT/hello/',
    edits: [
      {
        file,
        find: '    return Response.redirect(query ? `${location}?${query}` : location, 301);',
        replace:
          "    const absolute = `http://[::1]:${request.headers.get('host')?.split(':').at(-1)}${location}`;\n    return Response.redirect(query ? `${absolute}?${query}` : absolute, 301);",
      },
    ],
  },
  {
    // Review round 23: the order of request.params' keys means nothing; Django's reverse() quotes with the sub-delims kept.
    name: "fills request.params in the other order ({ slug, year }), reverses with Django's safe characters (& + , ; = : @ $ left as they are) and writes lower-case hex in the slash redirect",
    edits: [
      { file, find: 'Object.entries(route.regex.exec(target)!.groups ?? {})', replace: 'Object.entries(route.regex.exec(target)!.groups ?? {}).reverse()' },
      {
        file,
        find: "return encodeURIComponent(text).replaceAll('%2F', '/');",
        replace: 'return encodeURIComponent(text).replace(/%(24|26|2B|2C|3B|3D|3A|40|2F)/g, (escaped) => decodeURIComponent(escaped));',
      },
      {
        file,
        find: "const location = `/${encodePath(withSlash)}`.replace(/^\\/\\//, '/%2F');",
        replace: "const location = `/${encodePath(withSlash)}`.replace(/^\\/\\//, '/%2F').replace(/%[0-9A-F]{2}/g, (escaped) => escaped.toLowerCase());",
      },
    ],
  },
  {
    // Review round 23: a router that answers OPTIONS itself supports it on every path that exists, so its 405s list it too.
    name: 'answers OPTIONS on a path that exists itself (204), and lists OPTIONS in the Allow of every 405 too',
    edits: [
      {
        file,
        find: "    const response = Response.text('Method Not Allowed', 405);\n    response.headers.set('allow', [...allowed].join(', '));",
        replace:
          "    allowed.add('OPTIONS');\n    if (request.method === 'OPTIONS') return new Response('', { status: 204, headers: { allow: [...allowed].join(', ') } });\n    const response = Response.text('Method Not Allowed', 405);\n    response.headers.set('allow', [...allowed].join(', '));",
      },
    ],
  },
] satisfies Variant[];
