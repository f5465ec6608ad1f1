// Lesson 08: the learner's router dispatches the URLconf in server.ts: typed
// path converters, first match wins, include() under a prefix, reverse(), and
// the answers when nothing matches (404, 405 + Allow, the trailing-slash 301).
// Years, slugs, ids and tags are random, so only a real router passes.
import { allowedMethods, type Check, gradeLesson, header, type Received, redirectTarget } from '../engine/harness.ts';

// node:http reads the requests: a behaviour's requests share connections (see LessonOptions.keepAlive).
const lesson = gradeLesson(import.meta.url, { keepAlive: true });
const { random } = lesson;

const hex = (bytes: number) => random.hex(bytes);
/** Any year but 1999, which has a route of its own. */
const randomYear = () => random.int(2000, 9998);
const randomSlug = () => `post-${hex(3)}_${random.int(0, 9)}`;

interface Echo {
  view?: unknown;
  params?: Record<string, unknown>;
  posts?: unknown;
}

/** The body of a 200 response from one of server.ts's views, as JSON. */
async function getView(t: Check, path: string, hint?: string): Promise<Echo> {
  const response = await t.request({ path });
  t.expectStatus(response, 200, hint);
  return t.expectJson<Echo>(response, {
    summary: 'The view answered, but its body is not the JSON it writes.',
    hint: 'The views in server.ts answer with Response.json(…); return what the view returns, unchanged.',
  });
}

/** JSON with each object's keys sorted: request.params is a record, and the order of its keys means nothing. */
function sortedJson(value: unknown): string | undefined {
  return JSON.stringify(value, (_, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

function expectView(t: Check, echo: Echo, view: string, params: Record<string, unknown>, hint: string): void {
  // In any order of keys: { slug, year } is the same params as { year, slug }.
  const same = echo.view === view && sortedJson(echo.params) === sortedJson(params);
  t.check(same, {
    summary: echo.view === view ? `The view ${view} ran, but request.params is not right.` : `The wrong view answered.`,
    expected: JSON.stringify({ view, params }),
    received: JSON.stringify({ view: echo.view, params: echo.params }),
    hint,
  });
}

async function expectNotFound(t: Check, path: string, hint: string): Promise<void> {
  const response = await t.request({ path });
  t.check(response.status === 404, {
    summary: `${path} should match no route, but the answer was ${response.status}.`,
    expected: '404 Not Found',
    received: response.statusLine + (response.status === 200 ? ` ${response.text.slice(0, 120)}` : ''),
    hint,
  });
}


lesson.behaviour('captures an <int:…> segment as a number', async (t) => {
  const year = randomYear();
  const slug = randomSlug();
  const echo = await getView(t, `/articles/${year}/${slug}/`, 'articles/<int:year>/<slug:slug>/ should match this path and call articleDetail.');
  expectView(t, echo, 'articleDetail', { year, slug }, `The int converter turns "${year}" into the number ${year}: does your converter's toValue use Number()?`);
  // Django's int is [0-9]+: zero, and digits with leading zeros, are ints too.
  const padded = await getView(t, `/articles/00${year}/${slug}/`, 'An int is one digit or more, [0-9]+: leading zeros are digits too.');
  expectView(t, padded, 'articleDetail', { year, slug }, `The int converter's regex is [0-9]+, which takes "00${year}"; Number("00${year}") is ${year}.`);
  const zero = await getView(t, '/blog/posts/0/', 'An int is one digit or more, [0-9]+: 0 is an int too.');
  expectView(t, zero, 'blogPost', { id: 0 }, 'The int converter\'s regex is [0-9]+, which takes "0"; its value is the number 0.');
});

lesson.behaviour('answers 404 when an <int:…> segment is not all digits', async (t) => {
  const hint = 'The int converter accepts digits only: its regex is one or more of [0-9], nothing else.';
  await expectNotFound(t, `/articles/${random.int(10, 98)}x${random.int(10, 98)}/`, hint);
  await expectNotFound(t, `/articles/-${random.int(1, 98)}/`, hint);
  await expectNotFound(t, `/articles/+${random.int(1, 98)}/`, 'The int converter accepts digits only: no sign, not even "+".');
  await expectNotFound(t, `/articles/${randomYear()}.5/`, hint);
  await expectNotFound(t, '/articles//', 'An int is one digit or more: /articles// has no year at all.');
});

lesson.behaviour('tells a <slug:…> from a <str:…>', async (t) => {
  const slug = randomSlug();
  expectView(t, await getView(t, `/topics/${slug}/`), 'topic', { topic: slug }, 'A slug is ASCII letters, digits, hyphens and underscores.');
  const mixed = `Mixed-Case-${hex(2)}_X`;
  expectView(t, await getView(t, `/topics/${mixed}/`), 'topic', { topic: mixed }, 'A slug may hold capital letters too: [-a-zA-Z0-9_]+, as in Django.');
  // Any order of the five kinds of character: a hyphen or underscore first or last, two hyphens in a row.
  const loose = `-${hex(2)}--${random.int(0, 9)}_`;
  expectView(t, await getView(t, `/topics/${loose}/`), 'topic', { topic: loose }, `A slug is any run of [-a-zA-Z0-9_], in any order: "${loose}" is a slug too, as in Django (no rule about where a hyphen may stand).`);
  await expectNotFound(t, `/topics/two%20words-${hex(2)}/`, 'A slug has no spaces: /topics/<slug:topic>/ must not match "two words".');
  await expectNotFound(t, `/topics/caf%C3%A9-${hex(2)}/`, 'A slug is ASCII only: /topics/<slug:topic>/ must not match "café".');
  await expectNotFound(t, `/topics/v1.${hex(2)}/`, 'A slug is letters, digits, hyphens and underscores only, [-a-zA-Z0-9_]+: no ".".');
  await expectNotFound(t, '/topics//', 'A slug is never empty: one character or more, so /topics// matches nothing.');
  const words = `two words ${hex(2)}`;
  expectView(t, await getView(t, `/tags/${encodeURIComponent(words)}/`), 'tag', { tag: words }, 'A str is any text without "/": spaces are fine.');
  // request.path is decoded once already: a "%" in it is text, and decoding it again changes (or breaks) the value.
  const percent = `${random.int(10, 99)}%25 off ${hex(2)}`;
  expectView(t, await getView(t, `/tags/${encodeURIComponent(percent)}/`), 'tag', { tag: percent }, 'request.path arrives percent-decoded: take the captured text as it is, without decodeURIComponent() again ("%25" in the path is the text "%25").');
  const digits = String(random.int(10, 99999));
  expectView(t, await getView(t, `/tags/${digits}/`), 'tag', { tag: digits }, `A str stays text, even "${digits}": only the int converter turns its text into a number (each converter's own toValue).`);
  await expectNotFound(t, `/tags/${hex(2)}/${hex(2)}/`, 'A str never contains "/": /tags/<str:tag>/ must not match /tags/a/b/.');
  await expectNotFound(t, '/tags//', 'A str is never empty: one character or more, so /tags// matches nothing.');
});

lesson.behaviour('captures a <uuid:…> written in lower case with dashes', async (t) => {
  // Version digit "e" and variant digit "c": Django's uuid takes any version and variant, not only version 4.
  const digits = `${t.hex(6)}e${t.hex(2).slice(1)}c${t.hex(8).slice(1)}`; // 32 hex digits
  const id = [digits.slice(0, 8), digits.slice(8, 12), digits.slice(12, 16), digits.slice(16, 20), digits.slice(20)].join('-');
  expectView(t, await getView(t, `/users/${id}/`), 'user', { id }, 'The uuid converter matches 8-4-4-4-12 hexadecimal digits.');
  await expectNotFound(t, `/users/${id.toUpperCase()}/`, 'Like Django, accept lower-case UUIDs only, so one user has one URL.');
  await expectNotFound(t, `/users/${id.replaceAll('-', '')}/`, 'Like Django, accept UUIDs with their dashes only.');
  const shifted = [digits.slice(0, 4), digits.slice(4, 12), digits.slice(12, 16), digits.slice(16, 20), digits.slice(20)].join('-');
  await expectNotFound(t, `/users/${shifted}/`, 'The dashes of a UUID have their places: 8, 4, 4, 4 and 12 hexadecimal digits, not any 36 characters of hex and dashes.');
  await expectNotFound(t, `/users/${id.slice(0, -1)}g/`, '"g" is not a hexadecimal digit.');
  // Each group at its edges: one hex digit too many at the end, one too few at the start.
  const groups = 'A UUID has exactly 8, 4, 4, 4 and 12 hexadecimal digits: write each count as {8}, {4} or {12}, not + or {1,8}.';
  await expectNotFound(t, `/users/${id}${t.hex(1)[0]}/`, groups);
  await expectNotFound(t, `/users/${id.slice(1)}/`, groups);
});

lesson.behaviour('lets a <path:…> segment capture slashes', async (t) => {
  const file = `docs/${hex(3)}/notes-${hex(2)}.txt`;
  expectView(t, await getView(t, `/files/${file}`), 'file', { file }, 'The path converter is the one that accepts "/": any non-empty text.');
  await expectNotFound(
    t,
    '/files/',
    'A path is never empty: its regex is .+ (one character or more), so files/<path:file> does not match /files/. And a path that already ends with "/" gets no slash added.',
  );
});

lesson.behaviour('lets the first matching pattern win', async (t) => {
  const special = await getView(t, '/articles/1999/');
  expectView(t, special, 'archive1999', {}, 'articles/1999/ comes before articles/<int:year>/ in the URLconf: try patterns in order and stop at the first match.');
  const year = randomYear();
  expectView(t, await getView(t, `/articles/${year}/`), 'yearArchive', { year }, 'Any other year goes on to articles/<int:year>/.');
});

lesson.behaviour('mounts included patterns under their prefix', async (t) => {
  const id = random.int(1, 99999);
  expectView(t, await getView(t, `/blog/posts/${id}/`), 'blogPost', { id }, "include('blog/', …) puts 'blog/' in front of every pattern inside: 'blog/posts/<int:id>/'.");
  const index = await getView(t, '/blog/');
  t.check(index.view === 'blogIndex', {
    summary: '/blog/ should reach the blog\'s own "" pattern.',
    expected: 'view blogIndex',
    received: `view ${JSON.stringify(index.view)}`,
    hint: "'blog/' + '' is 'blog/'.",
  });
  await expectNotFound(t, `/posts/${id}/`, 'The blog is mounted under blog/ only, not at the root.');
});

/** The trace must name the route `wanted`. */
function expectRouteName(t: Check, name: string | undefined, wanted: string, summary: string, hint: string): void {
  t.check(name === wanted, { summary, expected: `route ${wanted}`, received: `route ${name}`, hint });
}

/** The route name the trace shows for a GET of `path`, after checking the view and its params. */
async function tracedRoute(t: Check, path: string, view: string, params: Record<string, unknown>, hint: string): Promise<string | undefined> {
  const response = await t.request({ path, trace: true });
  t.expectStatus(response, 200, hint);
  expectView(t, t.expectJson<Echo>(response, { hint: 'Return what the view returns, unchanged.' }), view, params, hint);
  return t.lastTrace.find((event) => event.stage === 'route')?.name;
}

lesson.behaviour('combines the prefixes and namespaces of nested includes', async (t) => {
  const year = randomYear();
  const hint = "blog/ includes archive/, which holds '<int:year>/': the path is blog/ + archive/ + <int:year>/.";
  const name = await tracedRoute(t, `/blog/archive/${year}/`, 'blogYear', { year }, hint);
  expectRouteName(t, name, 'blog:archive:year', 'A route inside two includes should carry both namespaces, the outer one first.', "When flatten() calls itself for an include, pass the namespace so far plus the include's own: 'blog:' + 'archive:'.");
  await expectNotFound(t, `/archive/${year}/`, 'The archive is mounted inside blog/: keep the outer prefix when you flatten the inner include.');
});

lesson.behaviour('reads an untyped <name> as a str, and leaves names global in an include without a namespace', async (t) => {
  const topic = `how to ${hex(2)}`;
  const name = await tracedRoute(t, `/help/${encodeURIComponent(topic)}/`, 'helpTopic', { topic }, "include('help/', …) holds '<topic>/': a <name> without a type is a str.");
  expectRouteName(t, name, 'help-topic', 'An include without a namespace should leave the names inside as they are.', "include('help/', helpPatterns) has no namespace: add no prefix and no colon to the names.");
  // A str at its edges: never a "/", never empty.
  const asStr = 'A <name> without a type is a str, [^/]+: one character or more, and no "/". Give it the str converter rather than a pattern of its own.';
  await expectNotFound(t, `/help/${hex(2)}/${hex(2)}/`, asStr);
  await expectNotFound(t, '/help//', asStr);
});

lesson.behaviour('builds URLs with reverse(), percent-encoding the values', async (t) => {
  const wanted = `café ${hex(2)} & tea? #${random.int(0, 99)} 100%+`;
  const response = await t.request({ path: `/search/?tag=${encodeURIComponent(wanted)}` });
  t.expectStatus(response, 302, "The search view redirects to reverse(urlpatterns, 'tag', { tag }).");
  const location = header(response, 'Location') ?? '';
  const url = new URL(location, 'http://localhost');
  let decoded = '';
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    decoded = '(not valid percent-encoding)';
  }
  t.check(/^[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*$/.test(location) && url.search === '' && url.hash === '' && decoded === `/tags/${wanted}/`, {
    summary: 'reverse() did not build the URL of the tag, percent-encoded.',
    expected: `Location: /tags/${encodeURIComponent(wanted)}/`,
    received: location ? `Location: ${location}` : '(no Location header)',
    hint: 'encodeURIComponent(value) turns " " into %20, "&" into %26, "?" into %3F, "#" into %23 and "é" into %C3%A9.',
  });
  expectView(t, await getView(t, url.pathname), 'tag', { tag: wanted }, 'Following the Location you built should lead back to the same tag.');
  const index = await getView(t, '/blog/');
  const posts = ['/blog/posts/1/', '/blog/posts/2/', '/blog/posts/3/'];
  t.check(JSON.stringify(index.posts) === JSON.stringify(posts), {
    summary: "reverse(urlpatterns, 'blog:post', { id }) did not build the blog's post URLs.",
    expected: JSON.stringify(posts),
    received: JSON.stringify(index.posts),
    hint: 'A name inside include(…, { namespace: \'blog\' }) is reversed as "blog:post", and its URL starts with the prefix "blog/".',
  });
});

lesson.behaviour('refuses to reverse a value its converter would not match (the search answers 400)', async (t) => {
  for (const wanted of [`${hex(2)}/${hex(2)}`, `//evil-${hex(2)}.example`]) {
    const response = await t.request({ path: `/search/?tag=${encodeURIComponent(wanted)}` });
    t.check(response.status === 400, {
      summary:
        response.status === 500
          ? `reverse() threw something other than NoReverseMatch for the tag ${JSON.stringify(wanted)}, so the search view could not turn it into a 400.`
          : `reverse() built a URL for the tag ${JSON.stringify(wanted)}, which tags/<str:tag>/ would never match: a str has no "/".`,
      expected: '400 Bad Request (the search view catches NoReverseMatch)',
      received: `${response.statusLine}${header(response, 'Location') ? `, Location: ${header(response, 'Location')}` : ''}`,
      hint: "Test each value against its converter's regex, anchored (^…$), and throw new NoReverseMatch(…) when it does not match.",
    });
  }
});

lesson.behaviour('matches the literal text of a pattern literally (robots.txt)', async (t) => {
  expectView(t, await getView(t, '/robots.txt'), 'robots', {}, "path('robots.txt', …) should match /robots.txt.");
  const hint = 'In a regex "." matches any character: escape the literal text of the pattern with the provided escapeRegExp().';
  await expectNotFound(t, `/robots${String.fromCharCode(97 + random.int(0, 25))}txt`, hint);
  // One letter in upper case: a path is case-sensitive, so a regex with the i flag is wrong.
  const at = random.int(0, 'robots.txt'.length - 1);
  const shouted = 'robots.txt'.slice(0, at) + 'robots.txt'.slice(at).replace(/[a-z]/, (c) => c.toUpperCase());
  await expectNotFound(t, `/${shouted}`, 'A path is case-sensitive (RFC 3986, section 6.2.2.1), as in Django: build the regex without the i flag, so robots.txt matches /robots.txt only.');
});

lesson.behaviour('answers 404 Not Found in plain text when no pattern matches', async (t) => {
  const response = await t.request({ path: `/nothing-${hex(3)}/here/` });
  t.expectStatus(response, 404, 'When no route matches, throw new HttpError(404, \'Not Found\').');
  t.expectHeader(response, 'Content-Type', /^text\/plain/i, 'A short plain-text body is enough: HttpError(404, …) gives you one.');
  const hint = 'A pattern must match the whole path: anchor the regex with ^ and $.';
  await expectNotFound(t, `/articles/${randomYear()}/${randomSlug()}/comments/`, hint);
  await expectNotFound(t, `/x/articles/${randomYear()}/`, hint);
  await expectNotFound(t, '/robots.txt/', 'No pattern matches /robots.txt/ (robots.txt has no slash at its end): 404. The router only ever adds a missing slash, never takes one away.');
  // Strip one "/" only: "//robots.txt" leaves "/robots.txt", which no pattern matches (as in Django).
  const doubled = await t.request({ path: '//robots.txt', pathAsIs: true });
  t.check(doubled.status === 404, {
    summary: `//robots.txt should match no route, but the answer was ${doubled.status}.`,
    expected: '404 Not Found',
    received: doubled.statusLine + (doubled.status === 200 ? ` ${doubled.text.slice(0, 120)}` : ''),
    hint: 'Strip exactly one "/" from request.path (path.slice(1)), not every leading "/": a pattern names the whole path, and "/robots.txt" is not "robots.txt".',
  });
});

/** A request the path's routes do not take, and the Allow header its 405 must carry. */
interface NotAllowed {
  method?: string;
  path: string;
  /** Why this is a 405, for a response that is not. */
  why?: string;
  /** The methods Allow must list, sorted; `shown` as the learner reads them. */
  allow: string;
  shown: string;
  summary: string;
  hint: string;
}

/**
 * The methods a 405's Allow lists, sorted, but OPTIONS: a router that answers OPTIONS itself on every path
 * that exists (as @koa/router does) supports it there, so it may list it (RFC 9110, section 15.5.6: the
 * methods the resource supports). The OPTIONS check holds such a router to it: OPTIONS must then answer 2xx.
 */
function routeMethods(response: Pick<Received, 'headers'>): string[] {
  return allowedMethods(response).filter((method) => method !== 'OPTIONS');
}

async function expectNotAllowed(t: Check, request: NotAllowed): Promise<void> {
  const response = await t.request({ method: request.method, path: request.path });
  t.expectStatus(response, 405, request.why);
  const allow = header(response, 'Allow');
  t.check(routeMethods(response).join(', ') === request.allow, {
    summary: allow === undefined ? 'A 405 response must carry an Allow header (RFC 9110, section 15.5.6).' : request.summary,
    expected: `Allow: ${request.shown}`,
    received: `Allow: ${allow ?? '(none)'}`,
    hint: request.hint,
  });
}

lesson.behaviour('answers 405 with an Allow header when the path exists for other methods', async (t) => {
  const cases: NotAllowed[] = [
    { method: 'POST', path: `/articles/${randomYear()}/${randomSlug()}/`, why: 'This path matches articles/<int:year>/<slug:slug>/, which takes GET, PUT and DELETE only: that is 405, not 404.', allow: 'DELETE, GET, HEAD, PUT', shown: 'GET, HEAD, PUT, DELETE (in any order)', summary: 'The Allow header does not list the right methods.', hint: 'List the methods of every route that matches the path; where GET is allowed, so is HEAD.' },
    { method: 'DELETE', path: `/tags/${hex(3)}/`, allow: 'GET, HEAD', shown: 'GET, HEAD', summary: 'The Allow header does not list the right methods.', hint: 'tags/<str:tag>/ takes GET, and so HEAD too.' },
    { method: 'DELETE', path: `/topics/${randomSlug()}/`, why: 'topics/<slug:topic>/ has two routes, for GET and for POST, and none for DELETE: 405.', allow: 'GET, HEAD, POST', shown: 'GET, HEAD, POST (in any order)', summary: 'The Allow header does not list the methods of every route that matches the path.', hint: 'Two routes match /topics/<slug>/: topic (GET) and topic-subscribe (POST). Collect the methods of all of them, not only the first.' },
    { path: '/feedback/', why: 'feedback/ takes POST only: GET is 405.', allow: 'POST', shown: 'POST', summary: 'The Allow header of a path that takes POST only should list POST, and no HEAD: HEAD comes only with GET.', hint: 'Add HEAD to Allow only where a route allows GET.' },
  ];
  for (const request of cases) await expectNotAllowed(t, request);
  // OPTIONS is a method like any other here: the route takes GET (and HEAD), so the GET view must not answer it.
  // A router that answers OPTIONS itself (2xx and Allow, as @koa/router does) is fine too.
  const path = `/tags/${hex(3)}/`;
  const options = await t.request({ method: 'OPTIONS', path });
  const listed = allowedMethods(options).filter((method) => options.status === 405 || method !== 'OPTIONS');
  t.check((options.status === 405 || options.status === 200 || options.status === 204) && listed.join(', ') === 'GET, HEAD', {
    summary: options.status === 200 && header(options, 'Allow') === undefined
      ? `OPTIONS ${path} reached the GET view: tags/<str:tag>/ takes GET (and so HEAD), not OPTIONS.`
      : `OPTIONS ${path} should be 405 with the methods of the route in Allow.`,
    expected: '405 Method Not Allowed, Allow: GET, HEAD',
    received: `${options.statusLine}, Allow: ${header(options, 'Allow') ?? '(none)'}`,
    hint: 'HEAD is the only method that borrows the GET route; any other method the route does not list, OPTIONS included, is a 405.',
  });
});

lesson.behaviour('lets a route without methods take every method', async (t) => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    const topic = `topic ${hex(2)}`;
    const response = await t.request({ method, path: `/help/${encodeURIComponent(topic)}/` });
    t.expectStatus(response, 200, `help/<topic>/ gives no methods, so it takes every method, ${method} included.`);
    expectView(t, t.expectJson<Echo>(response, { hint: 'Return what the view returns, unchanged.' }), 'helpTopic', { topic }, 'A route without methods allows any method.');
  }
});

lesson.behaviour('lets a later route take a method that the first matching route does not allow', async (t) => {
  const slug = randomSlug();
  const response = await t.request({ method: 'POST', path: `/topics/${slug}/` });
  t.expectStatus(response, 200, 'The first route for topics/<slug:topic>/ takes GET only; the next one takes POST: keep looking for a route that matches the path and allows the method.');
  const echo = t.expectJson<Echo>(response, { hint: 'Return what the view returns, unchanged.' });
  expectView(t, echo, 'subscribe', { topic: slug }, 'The first route that matches the path *and* allows the method wins.');
});

lesson.behaviour('redirects with 301 to the path with a slash added, keeping the query', async (t) => {
  const path = `/articles/${randomYear()}/${randomSlug()}`;
  // The query as a browser may send it: an encoded "&", "=" and "+" inside a value, a space
  // as %20, a name given twice, a name without "=", and UTF-8. request.query.toString()
  // writes it back re-encoded (a space as "+"), which keeps its meaning: the check
  // compares names and values, in order, never the bytes.
  const word = t.hex(2);
  const query = `ref=${t.hex(3)}&q=${word}%26b%3Dc%20d%2Be&tag=${word}&tag=x${t.hex(1)}&flag&caf%C3%A9=%C3%A9t%C3%A9`;
  const response = await t.request({ path: `${path}?${query}` });
  t.expectStatus(response, 301, `${path} matches nothing, but ${path}/ does: answer 301 Moved Permanently, as Django's APPEND_SLASH does.`);
  const location = header(response, 'Location') ?? '';
  // Resolved against the request's URL, as a browser does (RFC 9110, section 10.2.2): a path, an
  // absolute URL and a relative reference ("./hello/?ref=1") that lead to the same place are alike.
  const url = redirectTarget(response, path) ?? new URL('http://localhost/');
  const pairs = (params: URLSearchParams) => JSON.stringify([...params]);
  t.check(url.pathname === `${path}/` && pairs(url.searchParams) === pairs(new URLSearchParams(query)), {
    summary:
      url.pathname !== `${path}/`
        ? 'The redirect does not point to the path with a slash added.'
        : url.search
          ? 'The redirect changed the query string: its names and values should be the ones the client sent.'
          : 'The redirect lost the query string.',
    expected: `Location: ${path}/?${query} (or the same names and values encoded another way: ${path}/?${new URLSearchParams(query)})`,
    received: location ? `Location: ${location}` : '(no Location header)',
    hint: 'request.query is a URLSearchParams: request.query.toString() writes the whole query back, each name and value encoded, repeated names kept.',
  });
  // feedback/ takes POST only: its path still matches, so a GET for /feedback is sent there (to meet a 405), as Django's APPEND_SLASH does.
  const feedback = await t.request({ path: '/feedback' });
  t.check(feedback.status === 301 && redirectTarget(feedback, '/feedback')?.pathname === '/feedback/', {
    summary: '/feedback matches nothing, but /feedback/ matches a route (for POST only): the redirect should still be offered.',
    expected: '301 Moved Permanently, Location: /feedback/',
    received: `${feedback.statusLine}${header(feedback, 'Location') ? `, Location: ${header(feedback, 'Location')}` : ''}`,
    hint: 'Redirect when the path with a slash added matches the pattern of some route, whatever methods that route allows: match the regexes, not match(table, "GET", …).',
  });
  // No query sent, so none to keep: "/feedback/?" has an empty query, which RFC 3986 (section 6.2.3) does not count as the same URI.
  const bare = header(feedback, 'Location') ?? '';
  t.check(!bare.includes('?'), {
    summary: 'GET /feedback sent no query, but the redirect adds a "?" (an empty query) to /feedback/.',
    expected: 'Location: /feedback/',
    received: `Location: ${bare}`,
    hint: 'request.query.toString() is "" when there is no query: add "?" and the query only when it is not empty.',
  });
  await expectNotFound(t, `/nowhere-${hex(3)}`, 'Redirect only when the path with a slash added matches a route; otherwise it is 404.');
});

lesson.behaviour('adds the slash for GET and HEAD only', async (t) => {
  const path = `/articles/${randomYear()}/${randomSlug()}`;
  const head = await t.request({ method: 'HEAD', path });
  t.check(head.status === 301 && redirectTarget(head, path)?.pathname === `${path}/`, {
    summary: `HEAD ${path} should be redirected as GET is: HEAD is GET without the body.`,
    expected: `301 Moved Permanently, Location: ${path}/`,
    received: `${head.statusLine}${header(head, 'Location') ? `, Location: ${header(head, 'Location')}` : ''}`,
    hint: 'Add the slash for GET and for HEAD.',
  });
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
    const response = await t.request({ method, path });
    t.check(response.status === 404, {
      summary: `${method} ${path} should not be redirected: a client may repeat it as a GET, without its body.`,
      expected: '404 Not Found',
      received: response.statusLine,
      hint: 'Add the slash for GET and HEAD only; any other method gets 404.',
    });
  }
});

lesson.behaviour('percent-encodes the path in the slash redirect', async (t) => {
  const tag = `café ${hex(2)} #${random.int(0, 9)}`;
  const asked = `/tags/${encodeURIComponent(tag)}`;
  const response = await t.request({ path: asked });
  t.expectStatus(response, 301, `/tags/${tag} matches nothing, but with a slash added it matches tags/<str:tag>/.`);
  const location = header(response, 'Location') ?? '';
  // Segment by segment: an encoded "/" (%2F) is not the "/" between two segments.
  let segments: string[] = [];
  try {
    // Resolved against the request's URL: "./caf%C3%A9%20…/" leads there too.
    segments = (redirectTarget(response, asked)?.pathname ?? asked).split('/').map(decodeURIComponent);
  } catch {
    segments = ['(not valid percent-encoding)'];
  }
  // The path's characters only: an absolute URL's "http://[::1]:3000" may hold brackets.
  const pathPart = location.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  t.check(/^[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*$/.test(pathPart) && JSON.stringify(segments) === JSON.stringify(['', 'tags', tag, '']), {
    summary: 'The Location of the slash redirect is not the path with a slash added, percent-encoded.',
    expected: `Location: /tags/${encodeURIComponent(tag)}/`,
    received: location ? `Location: ${location}` : '(no Location header)',
    hint: 'request.path is decoded: encode it again, segment by segment, with the provided encodePath() before it goes into Location ("/" stays "/").',
  });
  // A path that starts with "//" names no route here (patterns have one leading "/" stripped), and a
  // Location that starts with "//" (or "/\") would send the browser to another host: an open redirect.
  const topic = `x${hex(2)}`;
  for (const sent of [`//help/${topic}`, `/%2F%2Fhelp/${topic}`, `/%2Fhelp/${topic}`]) {
    const answer = await t.request({ path: sent, pathAsIs: true });
    const where = header(answer, 'Location') ?? '';
    t.check(!(answer.status >= 300 && answer.status < 400 && /^\s*[/\\]{2}/.test(where)), {
      summary: `GET ${sent} was redirected to a Location that starts with "//": a browser reads that as another host (an open redirect).`,
      expected: `404 Not Found (request.path is ${JSON.stringify(decodeURIComponent(sent))}: strip one "/" only, so no pattern matches), or at least a Location that does not start with "//"`,
      received: `${answer.statusLine}, Location: ${where}`,
      hint: 'Strip exactly one "/" from request.path, build Location from that target with a single "/" in front, and never let it start with "//" (write a leading "//" as "/%2F").',
    });
  }
});

lesson.behaviour("answers HEAD with GET's headers and no body", async (t) => {
  const path = `/articles/${randomYear()}/${randomSlug()}/`;
  const get = await t.request({ path });
  t.expectStatus(get, 200);
  const { response } = await t.raw(`HEAD ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`, { noBody: true, lingerMs: 150 });
  t.expectStatus(response!, 200, 'A route that allows GET also allows HEAD: call the GET view.');
  t.expectHeader(response!, 'Content-Type', header(get, 'Content-Type') ?? 'application/json');
  t.expectHeader(response!, 'Content-Length', String(get.body.length), 'HEAD gets the same Content-Length as GET, with no body after it.');
  t.check(response!.extra.length === 0, {
    summary: 'Bytes came after the head of the HEAD response.',
    expected: 'no body',
    received: JSON.stringify(response!.extra.toString('utf8').slice(0, 120)),
    hint: 'The provided serve() drops the body of HEAD responses; did the router write one another way?',
  });
  const postOnly = await t.request({ method: 'HEAD', path: '/feedback/' });
  t.check(postOnly.status === 405, {
    summary: 'HEAD /feedback/ should be 405: feedback/ takes POST only, and HEAD comes only with GET.',
    expected: '405 Method Not Allowed',
    received: postOnly.statusLine,
    hint: "Allow HEAD where the route's methods include GET, not everywhere.",
  });
  // A response to HEAD has the headers of the same request as GET: a 405 keeps its Allow.
  t.check(routeMethods(postOnly).join(', ') === 'POST', {
    summary: 'The 405 for HEAD /feedback/ does not carry Allow: POST. A 405 must carry Allow (RFC 9110, section 15.5.6), for HEAD as for any method.',
    expected: '405 Method Not Allowed, Allow: POST',
    received: `${postOnly.statusLine}, Allow: ${header(postOnly, 'Allow') ?? '(none)'}`,
    hint: 'Build the 405 the same way whatever the method: serve() leaves out the body of a HEAD response, never its headers.',
  });
});

lesson.behaviour('shows the route name and the view in the trace', async (t) => {
  const routeOf = async (path: string) => {
    const response = await t.request({ path, trace: true });
    t.expectStatus(response, 200);
    const route = t.lastTrace.findIndex((event) => event.stage === 'route');
    const view = t.lastTrace.findIndex((event) => event.stage === 'view');
    t.check(route !== -1 && view > route, {
      summary: 'The trace does not show a route and then a view.',
      expected: 'a "route" step, then a "view" step',
      received: t.lastTrace.map((event) => event.stage).join(' → ') || '(no trace)',
      hint: "Keep the two traceStep(…) lines in router(), and call them before the view, as they are given.",
    });
    return { route: t.lastTrace[route]!, view: t.lastTrace[view]! };
  };
  const article = await routeOf(`/articles/${randomYear()}/${randomSlug()}/`);
  t.check(article.route.name === 'article-detail' && article.view.name === 'articleDetail', {
    summary: 'The trace names the wrong route or view.',
    expected: 'route article-detail, view articleDetail',
    received: `route ${article.route.name}, view ${article.view.name}`,
    hint: 'flatten() keeps each route\'s name and view as server.ts gave them.',
  });
  const post = await routeOf(`/blog/posts/${random.int(1, 999)}/`);
  expectRouteName(t, post.route.name, 'blog:post', 'A route inside include(…, { namespace: \'blog\' }) should be named with its namespace.', "flatten() puts the namespace and a colon in front of each name inside: 'blog' + ':' + 'post'.");
  const unnamed = await t.request({ method: 'POST', path: '/feedback/', trace: true });
  t.expectStatus(unnamed, 200, 'feedback/ takes POST.');
  const route = t.lastTrace.find((event) => event.stage === 'route')?.name;
  expectRouteName(t, route, 'feedback/', 'A route without a name should stay without one: the trace then shows its pattern.', 'In flatten(), leave name undefined when the route has none, rather than namespace + undefined.');
});

lesson.behaviour('reverses nested and global names, and keeps "/" in a path value', async (t) => {
  const response = await t.request({ path: '/sitemap/' });
  t.expectStatus(response, 200, "The sitemap view reverses 'blog:archive:year', 'help-topic' and 'file'.");
  const links = t.expectJson<{ links?: unknown }>(response, { hint: 'Return what the view returns, unchanged.' }).links;
  const expected = ['/blog/archive/2026/', '/help/getting%20started/', '/files/docs/read%20me.txt'];
  t.check(JSON.stringify(links) === JSON.stringify(expected), {
    summary: 'reverse() did not build the URLs of a nested name, a global name with an untyped <topic>, and a path value.',
    expected: JSON.stringify(expected),
    received: JSON.stringify(links),
    hint: 'Reverse from the flattened routes; replace <topic> as well as <type:name>; keep "/" in a value (encodeURIComponent, then "%2F" back to "/").',
  });
});
