// Provided: the URL dispatcher of lesson 08, for the lessons after it.
// Patterns look like Django's: "articles/<int:id>/" (no leading slash).
// A match fills request.params and calls the view; no match is 404; a path
// that exists for other methods only is 405 with an Allow header.
import { NoReverseMatch } from './errors.ts';
import { HttpError, Response, type Handler, type Request } from './http.ts';
import { traceStep } from './trace.ts';

export type View = (request: Request) => Promise<Response> | Response;

export interface Route {
  pattern: string;
  view: View;
  name?: string;
  /** The methods the view answers; GET also answers HEAD. All methods when left out. */
  methods?: string[];
}

/** path('articles/<int:id>/', articleDetail, { name: 'article-detail', methods: ['GET'] }) */
export function path(pattern: string, view: View, options: Omit<Route, 'pattern' | 'view'> = {}): Route {
  return { pattern, view, ...options };
}

const converters: Record<string, { regex: string; parse: (text: string) => string | number }> = {
  str: { regex: '[^/]+', parse: (t) => t },
  int: { regex: '[0-9]+', parse: (t) => Number(t) },
  slug: { regex: '[-a-zA-Z0-9_]+', parse: (t) => t },
  uuid: { regex: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', parse: (t) => t },
  path: { regex: '.+', parse: (t) => t },
};

interface Compiled {
  route: Route;
  regex: RegExp;
  names: { name: string; converter: string }[];
}

function compile(route: Route): Compiled {
  const names: Compiled['names'] = [];
  let source = '';
  let last = 0;
  for (const match of route.pattern.matchAll(/<(?:(\w+):)?(\w+)>/g)) {
    const converter = match[1] ?? 'str';
    if (!converters[converter]) throw new Error(`Unknown path converter "${converter}" in "${route.pattern}".`);
    source += escape(route.pattern.slice(last, match.index)) + `(${converters[converter].regex})`;
    names.push({ name: match[2]!, converter });
    last = match.index! + match[0].length;
  }
  source += escape(route.pattern.slice(last));
  return { route, regex: new RegExp(`^/${source}$`), names };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function allows(route: Route, method: string): boolean {
  if (!route.methods) return true;
  return route.methods.includes(method) || (method === 'HEAD' && route.methods.includes('GET'));
}

/** One handler for a list of routes: the first pattern that matches wins. */
export function router(routes: Route[]): Handler {
  const compiled = routes.map(compile);
  return async (request) => {
    const matching = compiled.filter((c) => c.regex.test(request.path));
    const found = matching.find((c) => allows(c.route, request.method));
    if (!found) {
      if (!matching.length) throw new HttpError(404, 'Not Found');
      const allowed = [...new Set(matching.flatMap((c) => c.route.methods ?? []))];
      if (allowed.includes('GET') && !allowed.includes('HEAD')) allowed.push('HEAD');
      const response = Response.text('Method Not Allowed', 405);
      response.headers.set('allow', allowed.join(', '));
      return response;
    }
    const values = found.regex.exec(request.path)!.slice(1);
    request.params = Object.fromEntries(found.names.map((n, i) => [n.name, converters[n.converter]!.parse(values[i]!)]));
    traceStep('route', found.route.name ?? found.route.pattern, `/${found.route.pattern}`);
    traceStep('view', found.route.view.name || 'view');
    return found.route.view(request);
  };
}

/**
 * The path of a named route: reverse(routes, 'article-detail', { id: 42 }) → "/articles/42/".
 * Throws NoReverseMatch for an unknown name, a missing value, or a value its
 * converter would not match, so it never builds a URL that leads nowhere.
 */
export function reverse(routes: Route[], name: string, params: Record<string, string | number> = {}): string {
  const route = routes.find((r) => r.name === name);
  if (!route) throw new NoReverseMatch(`No route is named "${name}".`);
  return '/' + route.pattern.replace(/<(?:(\w+):)?(\w+)>/g, (_, type: string | undefined, key: string) => {
    if (params[key] === undefined) throw new NoReverseMatch(`Route "${name}" needs a value for "${key}".`);
    const text = String(params[key]);
    if (!new RegExp(`^(?:${converters[type ?? 'str']!.regex})$`).test(text)) {
      throw new NoReverseMatch(`"${text}" is not a valid "${key}" for route "${name}".`);
    }
    // Percent-encoded; "/" stays, since only the path converter lets it through.
    return encodeURIComponent(text).replaceAll('%2F', '/');
  });
}
