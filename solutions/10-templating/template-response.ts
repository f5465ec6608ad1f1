// Lesson 10: rendering late, as Django's TemplateResponse does. A view returns
// a template's name and its context; renderTemplateResponses renders them once
// the view has returned, so a hook can still change them, and the middleware
// on the way out sees the finished page. You don't need to change this file.
import { Response, type Handler, type Request } from '#provided/http.ts';
import { traceStep } from '#provided/trace.ts';
import { render, type Context } from './template.ts';

/** A response whose body is a template, not yet rendered: new TemplateResponse('greet.html', { user }). */
export class TemplateResponse extends Response {
  isRendered = false;

  constructor(
    public templateName: string,
    public context: Context = {},
    status = 200,
  ) {
    super('', { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
  }

  /** Renders the template into the body, once: later calls change nothing, as in Django. */
  render(): this {
    if (this.isRendered) return this;
    traceStep('render', this.templateName, `context: ${Object.keys(this.context).join(', ') || '(empty)'}`);
    this.body = render(this.templateName, this.context);
    this.isRendered = true;
    return this;
  }
}

/** Like a middleware's process_template_response: may change the template or the context before rendering. */
export type TemplateHook = (request: Request, response: TemplateResponse) => TemplateResponse;

/**
 * Wraps the view (here, the router) as Django's BaseHandler._get_response does:
 * when the view returns a TemplateResponse, the hooks run, then it is rendered.
 * The layers outside only ever see an ordinary, finished response.
 */
export function renderTemplateResponses(view: Handler, hooks: TemplateHook[] = []): Handler {
  return async (request) => {
    const response = await view(request);
    if (!(response instanceof TemplateResponse)) return response;
    let template = response;
    for (const hook of hooks) template = hook(request, template);
    return template.render();
  };
}
