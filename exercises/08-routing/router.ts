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

// TODO: Flatten the URLconf: each include() puts its prefix in front of the patterns
// inside, and its namespace and a colon in front of their names.
// [include('blog/', [path('posts/<int:id>/', post, { name: 'post' })], { namespace: 'blog' })]
//   -> [{ pattern: 'blog/posts/<int:id>/', view: post, name: 'blog:post' }]
export function flatten(urlpatterns: UrlPattern[], prefix = '', namespace = ''): Route[] {
  throw new Error('TODO: flatten the URLconf, putting prefixes in front of patterns and namespaces in front of names');
}

// TODO: Compile a pattern into a regex that matches the whole path (no leading "/"):
// literal text escaped, each <type:name> a named group holding its converter's regex.
// { pattern: 'articles/<int:year>/', … } -> { …, regex: /^articles\/(?<year>[0-9]+)\/$/, converters: { year: int } }
export function compile(route: Route): CompiledRoute {
  throw new Error('TODO: compile the pattern into an anchored regex with a named group per parameter');
}

// TODO: Return the converter for int, str, slug, uuid or path, as Django defines them;
// throw for any other type. A <name> without a type is a str.
// 'int' -> matches '2026' (not '20x6', not '-1'), and '2026' becomes the number 2026
export function converter(type: string): Converter {
  throw new Error('TODO: return the int, str, slug, uuid and path converters');
}

// TODO: Find the first route whose regex matches the path without its leading "/" and
// that allows the method (HEAD wherever GET is allowed); convert what it captured.
// GET /articles/2026/hello/ -> { route: <article-detail>, params: { year: 2026, slug: 'hello' } }
export function match(table: CompiledRoute[], method: string, path: string): Match | undefined {
  throw new Error('TODO: find the first route that matches the path and allows the method');
}

// TODO: Answer a request no route took: 405 with Allow when the path matches for other
// methods; for GET or HEAD, 301 to the path with "/" added when that matches; else 404.
// Keep the query: request.query is a URLSearchParams, and request.query.toString() writes it back.
// POST /articles/2026/hello/      -> 405, Allow: GET, HEAD, PUT, DELETE
// GET /articles/2026/hello?ref=1 -> 301, Location: /articles/2026/hello/?ref=1
// GET /nowhere/                  -> 404 Not Found
export function noMatch(table: CompiledRoute[], request: Request): Response {
  throw new Error('TODO: answer 405 with Allow, the trailing-slash 301, or 404');
}

// TODO: Build the path of a named route, each value percent-encoded. Throw
// NoReverseMatch for an unknown name, a missing value, or a value its converter would not match.
// reverse(urlpatterns, 'article-detail', { year: 2026, slug: 'hello' }) -> '/articles/2026/hello/'
// reverse(urlpatterns, 'tag', { tag: 'café au lait' })                  -> '/tags/caf%C3%A9%20au%20lait/'
// reverse(urlpatterns, 'tag', { tag: 'a/b' })                           -> throws NoReverseMatch
export function reverse(urlpatterns: UrlPattern[], name: string, params: Params = {}): string {
  throw new Error('TODO: build the path of the named route, percent-encoding each value');
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
