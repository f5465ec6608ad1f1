// Lesson 10: views that answer with templates. Each view returns a
// TemplateResponse, a template's name and its context; your engine
// (template.ts) renders it after the view has returned and before the
// middleware on the way out sees the page. You don't need to change this file.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { compose } from '#provided/compose.ts';
import type { Middleware, Request } from '#provided/http.ts';
import { path, router } from '#provided/router.ts';
import { serve } from '#provided/serve.ts';
import { renderTemplateResponses, TemplateResponse, type TemplateHook } from './template-response.ts';
import { setTemplateDirs } from './template.ts';

// Where render() looks for templates, like the DIRS of Django's TEMPLATES setting.
setTemplateDirs([join(import.meta.dirname, 'templates')]);

const text = (request: Request, name: string) => request.query.get(name) ?? '';
// ?items=milk,eggs -> ['milk', 'eggs']; ?items= or no items -> []
const list = (request: Request, name: string) => text(request, name).split(',').map((s) => s.trim()).filter(Boolean);

// GET /greet/?name=Ada&city=London -> "Hello, Ada!" and "You live in London."
function greet(request: Request) {
  const user = { name: text(request, 'name'), address: { city: text(request, 'city') } };
  return new TemplateResponse('greet.html', { user });
}

// GET /filters/?word=Hello&tags=a,b,c&nickname= -> the values through upper, lower, length, join and default
function filtersPage(request: Request) {
  return new TemplateResponse('filters.html', { word: text(request, 'word'), tags: list(request, 'tags'), nickname: text(request, 'nickname') });
}

// GET /account/?user=ada -> "Signed in as ada."; GET /account/ -> "You are not signed in."
function account(request: Request) {
  return new TemplateResponse('account.html', { user: text(request, 'user') });
}

// GET /list/?items=milk,eggs -> one <li> per item; GET /list/ -> "Your list is empty."
function shoppingList(request: Request) {
  return new TemplateResponse('list.html', { items: list(request, 'items') });
}

// GET /comment/?text=Hi&author=Ada&stars=4 -> the text and the author escaped, the stars as HTML
function comment(request: Request) {
  const stars = Math.min(5, Math.max(0, Number.parseInt(text(request, 'stars'), 10) || 0));
  // Built here from a number, never from what the visitor typed: the template may trust it (|safe).
  const rating = `<span class="stars">${'★'.repeat(stars)}${'☆'.repeat(5 - stars)}</span>`;
  return new TemplateResponse('comment.html', { text: text(request, 'text'), author: text(request, 'author'), rating });
}

// GET /about/ -> a page that fills some of base.html's blocks and keeps the others
function about() {
  return new TemplateResponse('about.html');
}

// GET /help/?topic=filters -> help.html, which extends section.html, which extends base.html
function help(request: Request) {
  return new TemplateResponse('help.html', { topic: text(request, 'topic') });
}

// GET /broken/ -> broken.html never closes its for tag: 500, and the syntax error in the log
function broken() {
  return new TemplateResponse('broken.html', { items: ['a', 'b'] });
}

// GET /typo/ -> typo.html uses a filter that does not exist: 500, and the syntax error in the log
function typo() {
  return new TemplateResponse('typo.html', { word: 'typo' });
}

const urlpatterns = [
  path('greet/', greet, { name: 'greet', methods: ['GET'] }),
  path('filters/', filtersPage, { name: 'filters', methods: ['GET'] }),
  path('account/', account, { name: 'account', methods: ['GET'] }),
  path('list/', shoppingList, { name: 'list', methods: ['GET'] }),
  path('comment/', comment, { name: 'comment', methods: ['GET'] }),
  path('about/', about, { name: 'about', methods: ['GET'] }),
  path('help/', help, { name: 'help', methods: ['GET'] }),
  path('broken/', broken, { name: 'broken', methods: ['GET'] }),
  path('typo/', typo, { name: 'typo', methods: ['GET'] }),
];

// Runs after the view and before rendering, like process_template_response:
// every page learns the path it was asked for (base.html shows it).
const addRequest: TemplateHook = (request, response) => {
  response.context.request = { path: request.path };
  return response;
};

// On the way out, like Django's ConditionalGetMiddleware, this layer hashes
// the body into an ETag. It can only because the page was rendered before the
// response reached it. (Lesson 11 answers 304 Not Modified with it.)
const etag: Middleware = (next) => async (request) => {
  const response = await next(request);
  if (request.method === 'GET' && response.status === 200) {
    response.headers.set('etag', `"${createHash('sha1').update(response.body).digest('hex').slice(0, 16)}"`);
  }
  return response;
};

// In: etag, then the router picks a view. Out: the view's TemplateResponse is
// rendered, then etag sees the finished page.
serve(compose([etag], renderTemplateResponses(router(urlpatterns), [addRequest])));
