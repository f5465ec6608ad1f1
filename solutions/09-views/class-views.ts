// Lesson 09: class-based views, like Django's View. A subclass defines get(),
// post(), put()… for the methods it answers; asView() turns the class into a
// view function for the router, and dispatch() calls the method that matches.
import { Response, type Request } from '#provided/http.ts';
import type { View as ViewFunction } from '#provided/router.ts';

type MethodHandler = (request: Request) => Promise<Response> | Response;

/** The methods a view may answer, in the order Allow lists them (Django's http_method_names). */
const httpMethodNames = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

export class View {
  /**
   * The view function for path(). Each request gets a fresh instance, so
   * nothing one request keeps on `this` can leak into the next.
   * @example path('books/', BookListView.asView(), { name: 'book-list' })
   */
  static asView(this: new () => View): ViewFunction {
    const view = (request: Request) => new this().dispatch(request);
    // The tracer (npm run trace) shows the class's name instead of "view".
    Object.defineProperty(view, 'name', { value: this.name });
    return view;
  }

  /** The method of this view that answers `method` ('GET' -> this.get), if there is one. */
  protected handlerFor(method: string): MethodHandler | undefined {
    const name = method.toLowerCase();
    // Only real method names: a request with the method DISPATCH must not call this.dispatch().
    if (!httpMethodNames.includes(name)) return undefined;
    const handler: unknown = (this as unknown as Record<string, unknown>)[name];
    return typeof handler === 'function' ? (handler as MethodHandler).bind(this) : undefined;
  }

  // GET -> this.get(request); HEAD -> this.get(request) too; DELETE without delete() -> 405
  async dispatch(request: Request): Promise<Response> {
    // HEAD is GET without the body (the provided serve() leaves the body out),
    // so get() answers it unless the view has a head() of its own.
    const handler = this.handlerFor(request.method) ?? (request.method === 'HEAD' ? this.handlerFor('GET') : undefined);
    return handler ? handler(request) : this.httpMethodNotAllowed(request);
  }

  // A view with get() and post() -> ['GET', 'POST', 'HEAD', 'OPTIONS']
  allowedMethods(): string[] {
    return httpMethodNames
      .filter((name) => this.handlerFor(name) ?? (name === 'head' && this.handlerFor('get')))
      .map((name) => name.toUpperCase());
  }

  // DELETE on a view with get() and post() -> 405, Allow: GET, POST, HEAD, OPTIONS
  httpMethodNotAllowed(request: Request): Response {
    const response = Response.text(`Method Not Allowed: ${request.method}`, 405);
    // RFC 9110, section 15.5.6: a 405 must list the methods the resource does allow.
    response.headers.set('allow', this.allowedMethods().join(', '));
    return response;
  }

  // OPTIONS -> 200, Allow: GET, POST, HEAD, OPTIONS, and an empty body
  options(request: Request): Response {
    return new Response('', { headers: { allow: this.allowedMethods().join(', ') } });
  }
}
