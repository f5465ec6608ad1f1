// Provided: the request and response objects of lessons 06 and later, working
// versions of what you build in lesson 04. A view receives a Request and
// returns a Response, as in Django (HttpRequest → HttpResponse).
import { HeaderFields } from './header-fields.ts';

/**
 * An error that means a particular response, like Django's Http404 or
 * PermissionDenied: wherever it is thrown, it is answered with its status.
 * @example throw new HttpError(404, 'No article 42.');
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** A request, parsed: everything a middleware or view needs to know. */
export class Request {
  /** Values a middleware attaches for the layers inside it, like Django's request.user. */
  readonly state = new Map<string, unknown>();
  /** Path parameters the router captured: /articles/<int:id> → { id: 42 }. */
  params: Record<string, string | number> = {};

  constructor(
    readonly method: string,
    /** Percent-decoded path, without the query string. */
    readonly path: string,
    readonly query: URLSearchParams,
    /** Case-insensitive: headers.get('content-type'). */
    readonly headers: Headers,
    readonly body: Buffer,
    readonly clientAddress: string,
  ) {}

  /** Cookies from the Cookie header: "a=1; b=2" → { a: '1', b: '2' }. */
  get cookies(): Record<string, string> {
    const cookies: Record<string, string> = {};
    for (const pair of (this.headers.get('cookie') ?? '').split(';')) {
      const eq = pair.indexOf('=');
      if (eq > 0) cookies[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
    return cookies;
  }
}

export interface ResponseInit {
  status?: number;
  headers?: Record<string, string>;
}

/** A response, before it becomes bytes: a status, headers and a body. */
export class Response {
  status: number;
  readonly headers: Headers;

  constructor(
    public body: string | Buffer = '',
    init: ResponseInit = {},
  ) {
    this.status = init.status ?? 200;
    this.headers = new HeaderFields(init.headers);
  }

  static text(body: string, status = 200): Response {
    return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }

  static html(body: string, status = 200): Response {
    return new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
  }

  static json(value: unknown, status = 200): Response {
    return new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
  }

  /** 302 Found by default; 303 See Other after a POST; 301 for a permanent move. */
  static redirect(location: string, status = 302): Response {
    return new Response('', { status, headers: { location } });
  }
}

/** Anything that turns a request into a response: a view, or a whole middleware chain. */
export type Handler = (request: Request) => Promise<Response>;

/**
 * A middleware, Django style: given the next handler inward (get_response),
 * it returns a handler that may act before and after calling it.
 * @example
 * const poweredBy: Middleware = (next) => async (request) => {
 *   const response = await next(request);
 *   response.headers.set('x-powered-by', 'Roundtrip');
 *   return response;
 * };
 */
export type Middleware = ((next: Handler) => Handler) & { displayName?: string };
