// Lesson 08: a URL dispatcher, like Django's. A URLconf is a list of path() and
// include() entries; the router finds the first pattern that matches the
// request's path, converts what it captured, and calls that route's view.
import { NoReverseMatch } from '#provided/errors.ts';
import { HttpError, Response, type Handler, type Request } from '#provided/http.ts';
import { traceStep } from '#provided/trace.ts';

export type View = (request: Request) => Promise<Response> | Response;
export type Params = Record<string, string | number>;

export interface RouteOptions {
  /** For reverse() and the tracer: 'article-detail'. */
  name?: string;
  /** The methods the view answers; GET also answers HEAD. Every method when left out. */
  methods?: string[];
}

export interface Route extends RouteOptions {
  /** As in Django, without a leading slash: 'articles/<int:year>/<slug:slug>/'. */
  pattern: string;
  view: View;
}

export interface Include {
  /** Put in front of every pattern inside: 'blog/' + 'posts/<int:id>/'. */
  prefix: string;
  urlpatterns: UrlPattern[];
  /** Put in front of every name inside: 'blog' + 'post' is 'blog:post'. */
  namespace?: string;
}

export type UrlPattern = Route | Include;

/** A path converter: which text a parameter may hold, and the value that text becomes. */
export interface Converter {
  /** A regular expression, as source text: '[0-9]+'. */
  regex: string;
  toValue: (text: string) => string | number;
}

/** A route, ready to match paths. */
export interface CompiledRoute extends Route {
  /** 'articles/<int:year>/' becomes /^articles\/(?<year>[0-9]+)\/$/ */
  regex: RegExp;
  /** The converter of each parameter: { year: <the int converter> }. */
  converters: Record<string, Converter>;
}

export interface Match {
  route: CompiledRoute;
  params: Params;
}

// Don't change path(), include() and router(): server.ts builds its URLconf with them.

/** path('articles/<int:year>/', yearArchive, { name: 'year-archive', methods: ['GET'] }) */
export function path(pattern: string, view: View, options: RouteOptions = {}): Route {
  return { pattern, view, ...options };
}

/** include('blog/', blogPatterns, { namespace: 'blog' }) mounts a list of patterns under a prefix. */
export function include(prefix: string, urlpatterns: UrlPattern[], options: { namespace?: string } = {}): Include {
  return { prefix, urlpatterns, ...options };
}

/** One handler for a whole URLconf. */
export function router(urlpatterns: UrlPattern[]): Handler {
  // Compiled on the first request, as Django's resolver loads the URLconf when it is first needed.
  let table: CompiledRoute[] | undefined;
  return async (request) => {
    table ??= flatten(urlpatterns).map(compile);
    const found = match(table, request.method, request.path);
    if (!found) return noMatch(table, request);
    request.params = found.params;
    traceStep('route', found.route.name ?? found.route.pattern, `/${found.route.pattern}`);
    traceStep('view', found.route.view.name || 'view');
    return found.route.view(request);
  };
}

// [include('blog/', [path('posts/<int:id>/', post, { name: 'post' })], { namespace: 'blog' })]
//   -> [{ pattern: 'blog/posts/<int:id>/', view: post, name: 'blog:post' }]
export function flatten(urlpatterns: UrlPattern[], prefix = '', namespace = ''): Route[] {
  return urlpatterns.flatMap((entry): Route[] => {
    if ('view' in entry) {
      const name = entry.name === undefined ? undefined : namespace + entry.name;
      return [{ ...entry, pattern: prefix + entry.pattern, name }];
    }
    // Without a namespace, the names inside stay global, as they do in Django.
    const inner = entry.namespace ? `${namespace}${entry.namespace}:` : namespace;
    return flatten(entry.urlpatterns, prefix + entry.prefix, inner);
  });
}

// { pattern: 'articles/<int:year>/', … } -> { …, regex: /^articles\/(?<year>[0-9]+)\/$/, converters: { year: int } }
export function compile(route: Route): CompiledRoute {
  const converters: Record<string, Converter> = {};
  const source = route.pattern
    // Splitting on a capturing group keeps the placeholders at the odd indexes.
    .split(/(<[^<>]*>)/)
    .map((part, index) => {
      if (index % 2 === 0) return escapeRegExp(part);
      const [, type = 'str', name] = /^<(?:(\w+):)?(\w+)>$/.exec(part) ?? [];
      if (!name) throw new Error(`"${part}" in "${route.pattern}" is not a parameter like <int:year>.`);
      converters[name] = converter(type);
      return `(?<${name}>${converters[name].regex})`;
    })
    .join('');
  // Anchored at both ends: 'articles/<int:year>/' must not match 'articles/2026/hello/'.
  return { ...route, regex: new RegExp(`^${source}$`), converters };
}

// The same five as Django's django.urls.converters.
const builtInConverters: Record<string, Converter> = {
  int: { regex: '[0-9]+', toValue: (text) => Number(text) },
  str: { regex: '[^/]+', toValue: (text) => text },
  slug: { regex: '[-a-zA-Z0-9_]+', toValue: (text) => text },
  // Lower case and with dashes only, so that one UUID has one URL.
  uuid: { regex: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', toValue: (text) => text },
  path: { regex: '.+', toValue: (text) => text },
};

// 'int' -> matches '2026' (not '20x6', not '-1'), and '2026' becomes the number 2026
export function converter(type: string): Converter {
  const found = builtInConverters[type];
  if (!found) throw new Error(`Unknown path converter "${type}": use int, str, slug, uuid or path.`);
  return found;
}

// GET /articles/2026/hello/ -> { route: <article-detail>, params: { year: 2026, slug: 'hello' } }
export function match(table: CompiledRoute[], method: string, path: string): Match | undefined {
  const target = path.slice(1); // patterns have no leading slash
  // First match wins: the order of the URLconf decides.
  const route = table.find((candidate) => candidate.regex.test(target) && allows(candidate, method));
  if (!route) return undefined;
  const params: Params = {};
  for (const [name, text] of Object.entries(route.regex.exec(target)!.groups ?? {})) {
    params[name] = route.converters[name]!.toValue(text);
  }
  return { route, params };
}

function allows(route: Route, method: string): boolean {
  if (!route.methods) return true;
  // A HEAD request is served by the GET view; the server then leaves out the body.
  return route.methods.includes(method) || (method === 'HEAD' && route.methods.includes('GET'));
}

// POST /articles/2026/hello/      -> 405, Allow: GET, HEAD, PUT, DELETE
// GET /articles/2026/hello?ref=1 -> 301, Location: /articles/2026/hello/?ref=1
// GET /nowhere/                  -> 404 Not Found
export function noMatch(table: CompiledRoute[], request: Request): Response {
  const target = request.path.slice(1);
  const matching = table.filter((route) => route.regex.test(target));
  if (matching.length) {
    // The path exists, for other methods. RFC 9110 (section 15.5.6): a 405 MUST carry Allow.
    const allowed = new Set<string>();
    for (const route of matching) {
      for (const method of route.methods ?? []) {
        allowed.add(method);
        if (method === 'GET') allowed.add('HEAD');
      }
    }
    const response = Response.text('Method Not Allowed', 405);
    response.headers.set('allow', [...allowed].join(', '));
    return response;
  }
  // Django's APPEND_SLASH: 'articles/2026/hello' is most likely 'articles/2026/hello/'.
  // Only GET and HEAD: a client follows a 301 with a GET, and a POST would lose its body.
  const withSlash = `${target}/`;
  const safe = request.method === 'GET' || request.method === 'HEAD';
  if (safe && !target.endsWith('/') && table.some((route) => route.regex.test(withSlash))) {
    // request.path is decoded: encode it again. "//evil.example/" would name another host.
    const location = `/${encodePath(withSlash)}`.replace(/^\/\//, '/%2F');
    // The query as serve() parsed it, written back encoded: the same names and values, in order.
    const query = request.query.toString();
    return Response.redirect(query ? `${location}?${query}` : location, 301);
  }
  throw new HttpError(404, 'Not Found');
}

// reverse(urlpatterns, 'article-detail', { year: 2026, slug: 'hello' }) -> '/articles/2026/hello/'
// reverse(urlpatterns, 'tag', { tag: 'café au lait' })                  -> '/tags/caf%C3%A9%20au%20lait/'
// reverse(urlpatterns, 'tag', { tag: 'a/b' })                           -> throws NoReverseMatch
export function reverse(urlpatterns: UrlPattern[], name: string, params: Params = {}): string {
  const route = flatten(urlpatterns).map(compile).find((candidate) => candidate.name === name);
  if (!route) throw new NoReverseMatch(`No route is named "${name}".`);
  return '/' + route.pattern.replace(/<(?:\w+:)?(\w+)>/g, (_, key: string) => {
    if (params[key] === undefined) throw new NoReverseMatch(`Route "${name}" needs a value for "${key}".`);
    const text = String(params[key]);
    // As Django does: never build a URL that this very route would not match.
    if (!new RegExp(`^(?:${route.converters[key]!.regex})$`).test(text)) {
      throw new NoReverseMatch(`"${text}" is not a valid "${key}" for route "${name}".`);
    }
    // Percent-encode the value; keep "/", which only the path converter lets through.
    return encodeURIComponent(text).replaceAll('%2F', '/');
  });
}

// Don't change anything below this line: helpers you may use.

/** 'robots.txt' -> 'robots\\.txt': text that a regex matches literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** '/tags/café au lait/' -> '/tags/caf%C3%A9%20au%20lait/': each segment percent-encoded, '/' kept. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
