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

  /** The method of this view that answers `method` ('GET' -> this.get), if there is one. Don't change it. */
  protected handlerFor(method: string): MethodHandler | undefined {
    const name = method.toLowerCase();
    // Only real method names: a request with the method DISPATCH must not call this.dispatch().
    if (!httpMethodNames.includes(name)) return undefined;
    const handler: unknown = (this as unknown as Record<string, unknown>)[name];
    return typeof handler === 'function' ? (handler as MethodHandler).bind(this) : undefined;
  }

  // TODO: Answer with the handler for request.method (see handlerFor). Answer HEAD
  // with get() when the view has no head(). Without a handler, answer httpMethodNotAllowed().
  // GET -> this.get(request); HEAD -> this.get(request) too; DELETE without delete() -> 405
  async dispatch(request: Request): Promise<Response> {
    throw new Error("TODO: call the handler for the request's method (View.dispatch in class-views.ts)");
  }

  // TODO: List, upper case, each method in httpMethodNames that this view has a
  // handler for, and HEAD when it has get().
  // A view with get() and post() -> ['GET', 'POST', 'HEAD', 'OPTIONS']
  allowedMethods(): string[] {
    throw new Error('TODO: list the methods this view answers (View.allowedMethods in class-views.ts)');
  }

  // TODO: Answer 405 Method Not Allowed with an Allow header: allowedMethods(), joined with ", ".
  // DELETE on a view with get() and post() -> 405, Allow: GET, POST, HEAD, OPTIONS
  httpMethodNotAllowed(request: Request): Response {
    throw new Error('TODO: answer 405 with an Allow header (View.httpMethodNotAllowed in class-views.ts)');
  }

  // TODO: Answer 200 with an empty body and the same Allow header.
  // OPTIONS -> 200, Allow: GET, POST, HEAD, OPTIONS, and an empty body
  options(request: Request): Response {
    throw new Error('TODO: answer OPTIONS with an Allow header (View.options in class-views.ts)');
  }
}
