// Lesson 08: the URLconf of a small site, served by your router.
// Most views answer with their own name and the params your router captured,
// so `curl` shows exactly what matched. You don't need to change this file.
import { NoReverseMatch } from '#provided/errors.ts';
import { HttpError, Response, type Request } from '#provided/http.ts';
import { serve } from '#provided/serve.ts';
import { include, path, reverse, router, type UrlPattern } from './router.ts';

const echo = (view: string, request: Request) => Response.json({ view, params: request.params });

function home(request: Request) {
  return echo('home', request);
}
function robots(request: Request) {
  return echo('robots', request);
}
function archive1999(request: Request) {
  return echo('archive1999', request);
}
function yearArchive(request: Request) {
  return echo('yearArchive', request);
}
function articleDetail(request: Request) {
  return echo('articleDetail', request);
}
function topic(request: Request) {
  return echo('topic', request);
}
function subscribe(request: Request) {
  return echo('subscribe', request);
}
function tag(request: Request) {
  return echo('tag', request);
}
function user(request: Request) {
  return echo('user', request);
}
function file(request: Request) {
  return echo('file', request);
}
function blogPost(request: Request) {
  return echo('blogPost', request);
}
function blogYear(request: Request) {
  return echo('blogYear', request);
}
function helpTopic(request: Request) {
  return echo('helpTopic', request);
}
function feedback(request: Request) {
  return echo('feedback', request);
}

// GET /search/?tag=café -> 302 to the tag's own page, wherever the URLconf puts it.
function search(request: Request) {
  const wanted = request.query.get('tag');
  if (!wanted) throw new HttpError(400, 'Say which tag: /search/?tag=…');
  try {
    return Response.redirect(reverse(urlpatterns, 'tag', { tag: wanted }));
  } catch (error) {
    // The visitor typed a tag that no tag URL can hold ("a/b"): their mistake, so 400, not 500.
    if (error instanceof NoReverseMatch) throw new HttpError(400, 'No tag can be called that: a tag has no "/".');
    throw error;
  }
}

// The blog's front page links to its posts by name, never by a hard-coded path.
function blogIndex() {
  const posts = [1, 2, 3].map((id) => reverse(urlpatterns, 'blog:post', { id }));
  return Response.json({ view: 'blogIndex', posts });
}

// Links to names from every level: nested, global and untyped, and a path that keeps its "/".
function sitemap() {
  const links = [
    reverse(urlpatterns, 'blog:archive:year', { year: 2026 }),
    reverse(urlpatterns, 'help-topic', { topic: 'getting started' }),
    reverse(urlpatterns, 'file', { file: 'docs/read me.txt' }),
  ];
  return Response.json({ view: 'sitemap', links });
}

const archivePatterns: UrlPattern[] = [path('<int:year>/', blogYear, { name: 'year', methods: ['GET'] })];

const blogPatterns: UrlPattern[] = [
  path('', blogIndex, { name: 'index', methods: ['GET'] }),
  path('posts/<int:id>/', blogPost, { name: 'post', methods: ['GET'] }),
  // Includes nest: blog/archive/<int:year>/, named blog:archive:year.
  include('archive/', archivePatterns, { namespace: 'archive' }),
];

// <topic> has no type, so it is a str. No namespace: the name stays help-topic. No methods: every method.
const helpPatterns: UrlPattern[] = [path('<topic>/', helpTopic, { name: 'help-topic' })];

export const urlpatterns: UrlPattern[] = [
  path('', home, { name: 'home', methods: ['GET'] }),
  // The "." is literal text: robots.txt, never robotsXtxt.
  path('robots.txt', robots, { name: 'robots', methods: ['GET'] }),
  // A hand-made page for one year: listed before <int:year>, so it wins.
  path('articles/1999/', archive1999, { name: 'archive-1999', methods: ['GET'] }),
  path('articles/<int:year>/', yearArchive, { name: 'year-archive', methods: ['GET'] }),
  path('articles/<int:year>/<slug:slug>/', articleDetail, { name: 'article-detail', methods: ['GET', 'PUT', 'DELETE'] }),
  path('topics/<slug:topic>/', topic, { name: 'topic', methods: ['GET'] }),
  // The same path for another method: a route of its own.
  path('topics/<slug:topic>/', subscribe, { name: 'topic-subscribe', methods: ['POST'] }),
  path('tags/<str:tag>/', tag, { name: 'tag', methods: ['GET'] }),
  path('users/<uuid:id>/', user, { name: 'user', methods: ['GET'] }),
  path('files/<path:file>', file, { name: 'file', methods: ['GET'] }),
  path('search/', search, { name: 'search', methods: ['GET'] }),
  path('sitemap/', sitemap, { name: 'sitemap', methods: ['GET'] }),
  // POST only, and no name: the tracer shows the pattern instead.
  path('feedback/', feedback, { methods: ['POST'] }),
  include('blog/', blogPatterns, { namespace: 'blog' }),
  include('help/', helpPatterns),
];

serve(router(urlpatterns));
