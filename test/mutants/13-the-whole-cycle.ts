import type { Mutant } from '../support/mutants.ts';

const csrfHint = 'refuses a form POST without the right CSRF token with 403, and stores nothing';
const traceOrder = 'traces a POST through every middleware in, the route, the view and the template, and back out in reverse';
const everyResponse = 'adds the security headers to every response: pages, redirects, the stylesheet, 304, 403, 404 and 400';
const invalidForm = 'answers an entry without a name with 400, the error, and the message typed, escaped, storing nothing';
const thanksOnce = 'thanks the visitor once after signing, and remembers their name, in the HttpOnly session cookie';
const lengthLimit = 'refuses a message over 500 characters with 400, and accepts one of exactly 500';
const nameLimit = 'refuses a name over 50 characters with 400, and accepts one of exactly 50, counting characters';
const trimmed = 'trims the name and the message before checking and storing them';

/** What follows the CSRF field in guestbook.html, up to the end of the form. */
const tokenToFormEnd = [
  '<p><label for="name">Your name</label>',
  '<input id="name" name="name" value="{{ form.name }}" maxlength="50" required autocomplete="name">',
  '{% if errors.name %}<span class="error">{{ errors.name }}</span>{% endif %}</p>',
  '<p><label for="message">Your message</label>',
  '<textarea id="message" name="message" rows="4" maxlength="500" required>{{ form.message }}</textarea>',
  '{% if errors.message %}<span class="error">{{ errors.message }}</span>{% endif %}</p>',
  '<p><button>Sign</button></p>',
  '</form>\n',
].join('\n');

/** The six middleware, as server.ts writes them. */
const layers = {
  securityHeaders: 'securityHeaders',
  hostCheck: 'allowedHosts(ALLOWED_HOSTS)',
  timing: 'timing',
  serveStatic: "serveStatic(STATIC_ROOT, '/static/', 'no-cache')",
  sessions: 'sessions(SECRET_KEY)',
  csrf: 'csrf()',
};
/** The whole list in middleware(), comments and all. */
const middlewareList = /  return \[\n[\s\S]*?\n  \];/;
/** middleware() returning the layers in this order. */
const order = (...names: (keyof typeof layers)[]) => `  return [\n${names.map((n) => `    ${layers[n]},\n`).join('')}  ];`;

export default [
  // ---- the order of the middleware (server.ts) ----
  {
    name: 'leaves csrf() out of the middleware list',
    find: middlewareList,
    replace: order('securityHeaders', 'hostCheck', 'timing', 'serveStatic', 'sessions'),
    caughtBy: csrfHint,
  },
  {
    name: 'lists csrf before sessions',
    find: middlewareList,
    replace: order('securityHeaders', 'hostCheck', 'timing', 'serveStatic', 'csrf', 'sessions'),
    caughtBy: traceOrder,
  },
  {
    name: 'leaves serveStatic out, so the router answers /static/',
    find: middlewareList,
    replace: order('securityHeaders', 'hostCheck', 'timing', 'sessions', 'csrf'),
    caughtBy: 'serves the stylesheet the page links to as text/css with an ETag, and 304 when it has not changed',
  },
  {
    name: 'puts serveStatic outermost, where the stylesheets miss the security headers',
    find: middlewareList,
    replace: order('serveStatic', 'securityHeaders', 'hostCheck', 'timing', 'sessions', 'csrf'),
    caughtBy: everyResponse,
  },
  {
    name: 'puts the host check outside the security headers, so its 400 goes out bare',
    find: middlewareList,
    replace: order('hostCheck', 'securityHeaders', 'timing', 'serveStatic', 'sessions', 'csrf'),
    caughtBy: everyResponse,
  },
  {
    name: 'puts timing innermost, so the refused forms are neither timed nor logged',
    find: middlewareList,
    replace: order('securityHeaders', 'hostCheck', 'serveStatic', 'sessions', 'csrf', 'timing'),
    caughtBy: traceOrder,
  },
  {
    name: 'leaves the host check out',
    find: middlewareList,
    replace: order('securityHeaders', 'timing', 'serveStatic', 'sessions', 'csrf'),
    caughtBy: 'refuses a request for a host it does not serve with 400, before any view runs',
  },
  // ---- the views (views.ts) ----
  {
    name: 'redirects with 302 Found after the POST',
    file: 'views.ts',
    find: "return Response.redirect('/', 303);",
    replace: "return Response.redirect('/');",
    caughtBy: 'accepts a signed entry with 303 See Other back to /, and lists it on the guestbook',
  },
  {
    name: 'lists the entries oldest first',
    file: 'views.ts',
    find: 'guestbook.all().reverse()',
    replace: 'guestbook.all()',
    caughtBy: 'lists the entries newest first',
  },
  {
    name: 'answers an invalid form with 200',
    file: 'views.ts',
    find: 'return guestbookPage({ form, errors }, 400);',
    replace: 'return guestbookPage({ form, errors });',
    caughtBy: invalidForm,
  },
  {
    name: 'stores the entry before validating it',
    file: 'views.ts',
    find: '  const errors = validateEntry(form);',
    replace: '  guestbook.add(form);\n  const errors = validateEntry(form);',
    caughtBy: invalidForm,
  },
  {
    name: 'does not trim the fields, so a name of spaces passes',
    file: 'views.ts',
    find: "name: (fields.get('name') ?? '').trim()",
    replace: "name: fields.get('name') ?? ''",
    caughtBy: invalidForm,
  },
  {
    name: 'has no length limit on the message',
    file: 'views.ts',
    find: '  else if (length(form.message) > MESSAGE_MAX) errors.message = errorMessages.messageTooLong;\n',
    replace: '',
    caughtBy: lengthLimit,
  },
  {
    name: 'refuses a message of exactly the limit (>= instead of >)',
    file: 'views.ts',
    find: 'length(form.message) > MESSAGE_MAX',
    replace: 'length(form.message) >= MESSAGE_MAX',
    caughtBy: lengthLimit,
  },
  {
    name: 'counts bytes instead of characters',
    file: 'views.ts',
    find: 'const length = (text: string) => [...text].length;',
    replace: "const length = (text: string) => Buffer.byteLength(text, 'utf8');",
    caughtBy: lengthLimit,
  },
  {
    name: 'never deletes the flash message, so the thank-you shows for ever',
    file: 'views.ts',
    find: "if (flash !== undefined) session.delete('flash');",
    replace: '',
    caughtBy: thanksOnce,
  },
  {
    name: 'forgets to remember the name',
    file: 'views.ts',
    find: "  session.set('name', form.name);\n",
    replace: '',
    caughtBy: thanksOnce,
  },
  {
    name: 'answers the 404 page with 200',
    file: 'views.ts',
    find: "new TemplateResponse('404.html', { path: request.path }, 404)",
    replace: "new TemplateResponse('404.html', { path: request.path })",
    caughtBy: 'answers an unknown path with the 404 page, the path shown escaped',
  },
  // ---- the templates ----
  {
    name: 'marks the message safe in the template',
    file: 'templates/guestbook.html',
    find: '<p class="message">{{ entry.message }}</p>',
    replace: '<p class="message">{{ entry.message|safe }}</p>',
    caughtBy: 'shows what visitors typed as text: scripts and attribute breakouts are escaped',
  },
  {
    name: 'forgets the CSRF token in the form',
    file: 'templates/guestbook.html',
    find: '<input type="hidden" name="csrfmiddlewaretoken" value="{{ csrf_token }}">\n',
    replace: '',
    caughtBy: 'shows the guestbook at / with a form whose hidden CSRF token matches its csrftoken cookie',
  },
  {
    name: 'links the stylesheet where there is no file',
    file: 'templates/base.html',
    find: 'href="/static/style.css"',
    replace: 'href="/static/css/style.css"',
    caughtBy: 'serves the stylesheet the page links to as text/css with an ETag, and 304 when it has not changed',
  },
  // ---- trimming and limits (views.ts) ----
  {
    name: 'trims the name but not the message',
    file: 'views.ts',
    find: "message: (fields.get('message') ?? '').trim()",
    replace: "message: fields.get('message') ?? ''",
    caughtBy: trimmed,
  },
  {
    name: 'validates the trimmed fields but stores them as typed',
    file: 'views.ts',
    find: '  guestbook.add(form);',
    replace: "  guestbook.add({ name: fields.get('name') ?? '', message: fields.get('message') ?? '' });",
    caughtBy: trimmed,
  },
  {
    name: 'trims spaces only, not tabs or line breaks',
    file: 'views.ts',
    find: "name: (fields.get('name') ?? '').trim()",
    replace: "name: (fields.get('name') ?? '').replace(/^ +| +$/g, '')",
    caughtBy: trimmed,
  },
  {
    name: 'has no length limit on the name',
    file: 'views.ts',
    find: '  else if (length(form.name) > NAME_MAX) errors.name = errorMessages.nameTooLong;\n',
    replace: '',
    caughtBy: nameLimit,
  },
  {
    name: 'counts the name in UTF-16 code units, so an emoji counts twice',
    file: 'views.ts',
    find: 'length(form.name) > NAME_MAX',
    replace: 'form.name.length > NAME_MAX',
    caughtBy: nameLimit,
  },
  {
    name: 'stops at the first wrong field',
    file: 'views.ts',
    find: 'else if (length(form.name) > NAME_MAX) errors.name = errorMessages.nameTooLong;',
    replace: 'else if (length(form.name) > NAME_MAX) return { name: errorMessages.nameTooLong };',
    caughtBy: nameLimit,
  },
  // ---- the body limit (server.ts) ----
  {
    name: 'answers a body over 1 MiB before the middleware, with Node\'s old reason phrase',
    find: '  app ??= compose(middleware().map(traced), views);\n',
    replace: "  if (Number(request.headers.get('content-length')) > 1024 * 1024) throw new HttpError(413, 'Payload Too Large');\n  app ??= compose(middleware().map(traced), views);\n",
    caughtBy: 'answers a form over 1 MiB with 413 Content Too Large, through every middleware',
  },
  {
    name: 'leaves out {% empty %}, so an empty guestbook shows nothing',
    file: 'templates/guestbook.html',
    find: '{% empty %}\n<li class="empty">No entries yet: be the first to sign.</li>\n',
    replace: '',
    caughtBy: 'shows the guestbook at / with a form whose hidden CSRF token matches its csrftoken cookie',
  },
  {
    name: 'flushes the whole session once the thank-you is shown, forgetting the name',
    file: 'views.ts',
    find: "if (flash !== undefined) session.delete('flash');",
    replace: 'if (flash !== undefined) session.flush();',
    caughtBy: 'takes one visitor through the whole journey: a mistake, the fix from the same page, the thank-you, and a second entry',
  },
  {
    name: 'caches the stylesheet for an hour instead of revalidating it',
    find: "serveStatic(STATIC_ROOT, '/static/', 'no-cache'),",
    replace: "serveStatic(STATIC_ROOT, '/static/', 'public, max-age=3600'),",
    caughtBy: 'serves the stylesheet the page links to as text/css with an ETag, and 304 when it has not changed',
  },
  {
    name: 'trusts the form to have a name field (null.trim() when it has none)',
    file: 'views.ts',
    find: "name: (fields.get('name') ?? '').trim()",
    replace: "name: fields.get('name')!.trim()",
    caughtBy: 'treats a field missing from the form as empty: 400, and nothing stored',
  },
  {
    name: 'fills the name field with a placeholder for a visitor without a session',
    file: 'views.ts',
    find: "name: session.get<string>('name') ?? ''",
    replace: "name: session.get<string>('name') ?? 'Anonymous'",
    caughtBy: 'shows the guestbook at / with a form whose hidden CSRF token matches its csrftoken cookie',
  },
  {
    name: 'reads its own SECRET_KEY from the environment, with another fallback',
    find: "import { SECRET_KEY } from '#provided/fixtures/13-the-whole-cycle.ts';",
    replace: "const SECRET_KEY = process.env.SECRET_KEY ?? 'change-me-in-production';",
    caughtBy: thanksOnce,
  },
  {
    name: 'counts the message in UTF-16 code units (text.length), the name in characters',
    file: 'views.ts',
    find: 'else if (length(form.message) > MESSAGE_MAX)',
    replace: 'else if (form.message.length > MESSAGE_MAX)',
    caughtBy: lengthLimit,
  },
  {
    name: 'sets the thank-you before validating, so a refused form is thanked too',
    file: 'views.ts',
    find: '  const errors = validateEntry(form);\n',
    replace: "  getSession(request).set('flash', thanks(form.name));\n  const errors = validateEntry(form);\n",
    caughtBy: invalidForm,
  },
  {
    name: 'counts the letters a reader sees (Intl.Segmenter), not code points',
    file: 'views.ts',
    find: 'const length = (text: string) => [...text].length;',
    replace: 'const length = (text: string) => [...new Intl.Segmenter().segment(text)].length;',
    caughtBy: nameLimit,
  },
  {
    name: 'puts timing outside the host check, so requests for hosts it does not serve are timed and logged first',
    find: middlewareList,
    replace: order('securityHeaders', 'timing', 'hostCheck', 'serveStatic', 'sessions', 'csrf'),
    caughtBy: traceOrder,
  },
  {
    name: 'puts serveStatic inside sessions, so every stylesheet loads a session',
    find: middlewareList,
    replace: order('securityHeaders', 'hostCheck', 'timing', 'sessions', 'serveStatic', 'csrf'),
    caughtBy: traceOrder,
  },
  {
    name: 'marks the thank-you safe in the template, though it holds the name typed',
    file: 'templates/guestbook.html',
    find: '{{ flash }}',
    replace: '{{ flash|safe }}',
    caughtBy: 'shows what visitors typed as text: scripts and attribute breakouts are escaped',
  },
  {
    name: 'checks the length of the name as typed, trimming it only to see whether it is blank',
    file: 'views.ts',
    find: 'const errors = validateEntry(form);',
    replace: "const errors = validateEntry({ ...form, name: form.name && (fields.get('name') ?? '') });",
    caughtBy: 'trims the name and the message before checking and storing them',
  },
  {
    name: 'returns at once when the name is missing, so an empty message goes unmentioned',
    file: 'views.ts',
    find: 'if (!form.name) errors.name = errorMessages.nameMissing;',
    replace: 'if (!form.name) return { name: errorMessages.nameMissing };',
    caughtBy: 'treats a field missing from the form as empty: 400, and nothing stored',
  },
  {
    name: 'empties the fields that are wrong in the form that comes back',
    file: 'views.ts',
    find: 'return guestbookPage({ form, errors }, 400);',
    replace: "return guestbookPage({ form: { name: errors.name ? '' : form.name, message: errors.message ? '' : form.message }, errors }, 400);",
    caughtBy: nameLimit,
  },
  {
    name: 'counts the message in the letters a reader sees (Intl.Segmenter), not code points',
    file: 'views.ts',
    find: 'else if (length(form.message) > MESSAGE_MAX)',
    replace: 'else if ([...new Intl.Segmenter().segment(form.message)].length > MESSAGE_MAX)',
    caughtBy: lengthLimit,
  },
  {
    name: 'redirects back to the Referer after signing, an open redirect',
    file: 'views.ts',
    find: "return Response.redirect('/', 303);",
    replace: "return Response.redirect(request.headers.get('referer') ?? '/', 303);",
    caughtBy: 'accepts a signed entry with 303 See Other back to /, and lists it on the guestbook',
  },
  {
    name: 'keeps the thank-you in a variable of the module, not in the session, so the next visitor to come by is thanked',
    file: 'views.ts',
    find: /export function home\([\s\S]*session\.set\('flash', thanks\(form\.name\)\);/,
    replace: "let lastFlash: string | undefined;\nexport function home(request: Request): Response {\n  const session = getSession(request);\n  const flash = lastFlash;\n  lastFlash = undefined;\n  // Shown once, like a message from Django's messages framework: deleting it\n  // changes the session, so the sessions middleware writes the cookie again.\n  return guestbookPage({ form: { name: session.get<string>('name') ?? '', message: '' }, errors: {}, flash });\n}\n\n// POST /entries name=Ada&message=Hello -> 303 See Other, Location: /\n// POST /entries name=&message=Hello    -> 400, the form again with the error and \"Hello\", nothing stored\nexport function addEntry(request: Request): Response {\n  // The csrf middleware has already checked the token: this view only sees forms from our own pages.\n  const fields = new URLSearchParams(request.body.toString('utf8'));\n  const form: EntryForm = { name: (fields.get('name') ?? '').trim(), message: (fields.get('message') ?? '').trim() };\n  const errors = validateEntry(form);\n  if (Object.keys(errors).length) {\n    // 400, not 200: the request was wrong. The same page comes back with what they\n    // typed, so nothing is lost; the template escapes it like any other value.\n    return guestbookPage({ form, errors }, 400);\n  }\n  guestbook.add(form);\n  const session = getSession(request);\n  // Remembered for the next visit, and a thank-you for the page the redirect leads to.\n  session.set('name', form.name);\n  lastFlash = thanks(form.name);",
    caughtBy: thanksOnce,
  },
  {
    name: 'remembers the last name signed in a variable of the module, so every visitor finds it in the form',
    file: 'views.ts',
    find: /export function home\([\s\S]*session\.set\('flash', thanks\(form\.name\)\);/,
    replace: "let lastName = '';\nexport function home(request: Request): Response {\n  const session = getSession(request);\n  const flash = session.get<string>('flash');\n  // Shown once, like a message from Django's messages framework: deleting it\n  // changes the session, so the sessions middleware writes the cookie again.\n  if (flash !== undefined) session.delete('flash');\n  return guestbookPage({ form: { name: lastName, message: '' }, errors: {}, flash });\n}\n\n// POST /entries name=Ada&message=Hello -> 303 See Other, Location: /\n// POST /entries name=&message=Hello    -> 400, the form again with the error and \"Hello\", nothing stored\nexport function addEntry(request: Request): Response {\n  // The csrf middleware has already checked the token: this view only sees forms from our own pages.\n  const fields = new URLSearchParams(request.body.toString('utf8'));\n  const form: EntryForm = { name: (fields.get('name') ?? '').trim(), message: (fields.get('message') ?? '').trim() };\n  const errors = validateEntry(form);\n  if (Object.keys(errors).length) {\n    // 400, not 200: the request was wrong. The same page comes back with what they\n    // typed, so nothing is lost; the template escapes it like any other value.\n    return guestbookPage({ form, errors }, 400);\n  }\n  guestbook.add(form);\n  const session = getSession(request);\n  // Remembered for the next visit, and a thank-you for the page the redirect leads to.\n  lastName = form.name;\n  session.set('flash', thanks(form.name));",
    caughtBy: thanksOnce,
  },
  {
    name: 'reads the form with decodeURIComponent, which throws on a lone "%" in the message',
    file: 'views.ts',
    find: "  const fields = new URLSearchParams(request.body.toString('utf8'));",
    replace: "  const pairs = new Map(request.body.toString('utf8').split('&').map((pair) => pair.split('=').map((part) => decodeURIComponent(part.replaceAll('+', ' '))) as [string, string]));\n  const fields = { get: (key: string) => pairs.get(key) };",
    caughtBy: 'accepts a signed entry with 303 See Other back to /, and lists it on the guestbook',
  },
  {
    name: 'leaves the value of the name field unquoted, so a space in the name starts an attribute of its own',
    file: 'templates/guestbook.html',
    find: 'value="{{ form.name }}"',
    replace: 'value={{ form.name }}',
    caughtBy: 'shows what visitors typed as text: scripts and attribute breakouts are escaped',
  },
  {
    name: 'redirects to a "next" field after signing, an open redirect',
    file: 'views.ts',
    find: "return Response.redirect('/', 303);",
    replace: "return Response.redirect(fields.get('next') ?? '/', 303);",
    caughtBy: 'accepts a signed entry with 303 See Other back to /, and lists it on the guestbook',
  },
  {
    name: 'redirects to a "next" field after signing when it starts with "/" but not "//", so "/\\evil.example/" is an open redirect',
    file: 'views.ts',
    find: "return Response.redirect('/', 303);",
    replace: "const next = fields.get('next');\n  return Response.redirect(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', 303);",
    caughtBy: 'accepts a signed entry with 303 See Other back to /, and lists it on the guestbook',
  },
  {
    name: 'redirects to a "next" field after signing when it is "/" then neither "/" nor "\\", so "/<tab>/evil.example/" (a tab, which browsers drop) is an open redirect',
    file: 'views.ts',
    find: "return Response.redirect('/', 303);",
    replace: "const next = fields.get('next');\n  return Response.redirect(next && /^\\/(?![\\/\\\\])/.test(next) ? next : '/', 303);",
    caughtBy: 'accepts a signed entry with 303 See Other back to /, and lists it on the guestbook',
  },
  {
    name: 'redirects back to the Referer after signing when it starts with "http://" and the Host, so "http://<host>@evil.example/" is an open redirect',
    file: 'views.ts',
    find: "return Response.redirect('/', 303);",
    replace: "const back = request.headers.get('referer');\n  return Response.redirect(back && back.startsWith(`http://${request.headers.get('host')}`) ? back : '/', 303);",
    caughtBy: 'accepts a signed entry with 303 See Other back to /, and lists it on the guestbook',
  },
  {
    name: 'fills a refused form with the name the session remembers, not the name just typed',
    file: 'views.ts',
    find: 'return guestbookPage({ form, errors }, 400);',
    replace: "return guestbookPage({ form: { ...form, name: getSession(request).get<string>('name') ?? form.name }, errors }, 400);",
    caughtBy: 'shows what visitors typed as text: scripts and attribute breakouts are escaped',
  },
  // ---- from an independent implementation (review round 19) ----
  {
    name: 'writes the CSRF token after </form>, where a browser does not send it with the form',
    file: 'templates/guestbook.html',
    find: '<input type="hidden" name="csrfmiddlewaretoken" value="{{ csrf_token }}">\n' + tokenToFormEnd,
    replace: tokenToFormEnd + '<input type="hidden" name="csrfmiddlewaretoken" value="{{ csrf_token }}">\n',
    caughtBy: 'shows the guestbook at / with a form whose hidden CSRF token matches its csrftoken cookie',
  },
  {
    name: 'gives the textarea a value attribute, which a browser ignores, so the message typed does not come back in it',
    file: 'templates/guestbook.html',
    find: 'maxlength="500" required>{{ form.message }}</textarea>',
    replace: 'maxlength="500" value="{{ form.message }}" required></textarea>',
    caughtBy: invalidForm,
  },
  {
    name: 'writes "No entries yet" after the loop instead of after {% empty %}, so it shows under every list',
    file: 'templates/guestbook.html',
    find: '{% empty %}\n<li class="empty">No entries yet: be the first to sign.</li>\n{% endfor %}',
    replace: '{% endfor %}\n<li class="empty">No entries yet: be the first to sign.</li>',
    caughtBy: 'accepts a signed entry with 303 See Other back to /, and lists it on the guestbook',
  },
  {
    name: 'remembers the name typed before validating, so a refused form replaces the name the visitor signed with',
    file: 'views.ts',
    find: '  const errors = validateEntry(form);\n',
    replace: "  getSession(request).set('name', form.name);\n  const errors = validateEntry(form);\n",
    caughtBy: thanksOnce,
  },
  {
    name: 'squeezes every run of whitespace in the message into one space, losing the line breaks typed inside it',
    file: 'views.ts',
    find: "message: (fields.get('message') ?? '').trim()",
    replace: "message: (fields.get('message') ?? '').replace(/\\s+/g, ' ').trim()",
    caughtBy: trimmed,
  },
  {
    name: 'remembers the first name signed with only, so a second entry under another name leaves the old one in the form',
    file: 'views.ts',
    find: "  session.set('name', form.name);\n",
    replace: "  if (session.get('name') === undefined) session.set('name', form.name);\n",
    caughtBy: 'takes one visitor through the whole journey: a mistake, the fix from the same page, the thank-you, and a second entry',
  },
  {
    name: 'trims the name of the ASCII whitespace the lesson names (spaces, tabs, line breaks) only, so a name of no-break spaces is stored',
    file: 'views.ts',
    find: "name: (fields.get('name') ?? '').trim()",
    replace: "name: (fields.get('name') ?? '').replace(/^[ \\t\\r\\n]+|[ \\t\\r\\n]+$/g, '')",
    caughtBy: trimmed,
  },
  {
    name: 'remembers the name as soon as the name is valid, so a form refused for its message replaces the name the visitor signed with',
    file: 'views.ts',
    find: '  const errors = validateEntry(form);\n',
    replace: "  const errors = validateEntry(form);\n  if (!errors.name) getSession(request).set('name', form.name);\n",
    caughtBy: thanksOnce,
  },
] satisfies Mutant[];
