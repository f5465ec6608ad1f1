import type { Variant } from '../support/mutants.ts';

export default [
  {
    name: 'trims with a regular expression, counts with Array.from, and redirects to an absolute URL',
    edits: [
      { file: 'views.ts', find: 'const length = (text: string) => [...text].length;', replace: 'const length = (text: string) => Array.from(text).length;' },
      {
        file: 'views.ts',
        find: "  const form: EntryForm = { name: (fields.get('name') ?? '').trim(), message: (fields.get('message') ?? '').trim() };",
        replace: "  const clean = (field: string) => (fields.get(field) ?? '').replace(/^\\s+|\\s+$/g, '');\n  const form: EntryForm = { name: clean('name'), message: clean('message') };",
      },
      { file: 'views.ts', find: "return Response.redirect('/', 303);", replace: "return Response.redirect(`http://${request.headers.get('host') ?? 'localhost'}/`, 303);" },
    ],
  },
  {
    name: 'lists the entries as articles sorted by id, with other markup and another empty text',
    edits: [
      { file: 'views.ts', find: 'const entries: Entry[] = guestbook.all().reverse();', replace: 'const entries: Entry[] = guestbook.all().sort((a, b) => b.id - a.id);' },
      {
        file: 'templates/guestbook.html',
        find: /<ol class="entries">[\s\S]*<\/ol>/,
        replace:
          '<section class="entries">\n{% for entry in entries %}\n<article class="entry">\n  <blockquote>{{ entry.message }}</blockquote>\n  <footer>— {{ entry.name }} <time>{{ entry.written }}</time></footer>\n</article>\n{% empty %}\n<p class="empty">No entries yet.</p>\n{% endfor %}\n</section>',
      },
    ],
  },
  {
    name: 'counts code points with a Unicode regular expression',
    edits: [{ file: 'views.ts', find: 'const length = (text: string) => [...text].length;', replace: 'const length = (text: string) => text.match(/./gsu)?.length ?? 0;' }],
  },
  {
    // Lesson 10 accepts any escape a browser reads back as the text; lesson 13 renders with the learner's own engine.
    name: 'renders with an engine that writes numeric character references (&#60; &#62; &#34; &apos;) instead of &lt; &gt; &quot; &#x27;',
    edits: [
      {
        file: 'server.ts',
        find: "    for (const [, gap] of html.matchAll(/class=\"todo\">([^<]*)/g)) console.error(`A template still has a gap: ${gap}`);\n",
        replace:
          "    for (const [, gap] of html.matchAll(/class=\"todo\">([^<]*)/g)) console.error(`A template still has a gap: ${gap}`);\n" +
          "    const numeric: Record<string, string> = { '&lt;': '&#60;', '&gt;': '&#62;', '&quot;': '&#34;', '&#x27;': '&apos;', '&#39;': '&apos;' };\n" +
          "    if (html) response.body = html.replace(/&lt;|&gt;|&quot;|&#x27;|&#39;/g, (entity) => numeric[entity]!);\n",
      },
    ],
  },
  {
    name: 'writes the form fields with single-quoted and unquoted attributes, in another order',
    edits: [
      {
        file: 'templates/guestbook.html',
        find: '<input type="hidden" name="csrfmiddlewaretoken" value="{{ csrf_token }}">',
        replace: "<input value='{{ csrf_token }}' name=csrfmiddlewaretoken type=hidden>",
      },
      {
        file: 'templates/guestbook.html',
        find: '<input id="name" name="name" value="{{ form.name }}" maxlength="50" required autocomplete="name">',
        replace: "<input value='{{ form.name }}' name='name' id='name' maxlength='50' required>",
      },
      {
        file: 'templates/guestbook.html',
        find: '<textarea id="message" name="message" rows="4" maxlength="500" required>{{ form.message }}</textarea>',
        replace: "<textarea name='message' id='message' required maxlength='500'>{{ form.message }}</textarea>",
      },
    ],
  },
  {
    name: 'validates each field with one helper and Array.from, and shows a refused form exactly as typed',
    edits: [
      {
        file: 'views.ts',
        find: /export function validateEntry\(form: EntryForm\): FormErrors \{[\s\S]*?\n\}\n/,
        replace:
          "export function validateEntry(form: EntryForm): FormErrors {\n" +
          "  const check = (text: string, max: number, missing: string, tooLong: string) => (text === '' ? missing : Array.from(text).length > max ? tooLong : undefined);\n" +
          '  const name = check(form.name, NAME_MAX, errorMessages.nameMissing, errorMessages.nameTooLong);\n' +
          '  const message = check(form.message, MESSAGE_MAX, errorMessages.messageMissing, errorMessages.messageTooLong);\n' +
          '  return { ...(name ? { name } : {}), ...(message ? { message } : {}) };\n}\n',
      },
      {
        file: 'views.ts',
        find: 'return guestbookPage({ form, errors }, 400);',
        replace: "return guestbookPage({ form: { name: fields.get('name') ?? '', message: fields.get('message') ?? '' }, errors }, 400);",
      },
    ],
  },
  {
    name: 'builds the middleware list from named groups, and deletes the flash after building the page',
    edits: [
      {
        find: /  return \[\n[\s\S]*?\n  \];/,
        replace: "  const outermost = [securityHeaders, allowedHosts([...ALLOWED_HOSTS]), timing];\n  const inner = [sessions(SECRET_KEY), csrf()];\n  return [...outermost, serveStatic(STATIC_ROOT, '/static/', 'no-cache'), ...inner];",
      },
      {
        file: 'views.ts',
        find: "  if (flash !== undefined) session.delete('flash');\n  return guestbookPage({ form: { name: session.get<string>('name') ?? '', message: '' }, errors: {}, flash });",
        replace: "  const page = guestbookPage({ form: { name: session.get<string>('name') ?? '', message: '' }, errors: {}, ...(flash ? { flash } : {}) });\n  session.delete('flash');\n  return page;",
      },
    ],
  },
  {
    name: 'sets the thank-you before the name, after storing a copy of the entry',
    edits: [
      {
        file: 'views.ts',
        find: "  guestbook.add(form);\n  const session = getSession(request);\n  // Remembered for the next visit, and a thank-you for the page the redirect leads to.\n  session.set('name', form.name);\n  session.set('flash', thanks(form.name));",
        replace: "  const session = getSession(request);\n  guestbook.add({ name: form.name, message: form.message });\n  session.set('flash', thanks(form.name));\n  session.set('name', form.name);",
      },
    ],
  },
  {
    name: 'sorts the entries by id, newest first, and compares the name with the empty string',
    edits: [
      { file: 'views.ts', find: 'const entries: Entry[] = guestbook.all().reverse();', replace: 'const entries: Entry[] = guestbook.all().sort((a, b) => b.id - a.id);' },
      { file: 'views.ts', find: 'if (!form.name) errors.name', replace: "if (form.name === '') errors.name" },
    ],
  },
  {
    name: 'writes each entry on one line, with no span around the time, a bare "No entries yet" and a textarea without rows',
    edits: [
      {
        file: 'templates/guestbook.html',
        find: '<li class="entry"><p class="message">{{ entry.message }}</p>\n<p class="by">{{ entry.name }}, <span class="when">{{ entry.written }}</span></p></li>',
        replace: '<li class="entry"><p class="message">{{ entry.message }}</p><p class="by">{{ entry.name }}, {{ entry.written }}</p></li>',
      },
      { file: 'templates/guestbook.html', find: '<li class="empty">No entries yet: be the first to sign.</li>', replace: '<li>No entries yet</li>' },
      { file: 'templates/guestbook.html', find: ' rows="4" maxlength="500" required>', replace: ' maxlength="500" required>' },
    ],
  },
  {
    name: 'builds the home page TemplateResponse in the view itself, and gives the 404 page a title in its context too',
    edits: [
      {
        file: 'views.ts',
        find: "return guestbookPage({ form: { name: session.get<string>('name') ?? '', message: '' }, errors: {}, flash });",
        replace: "return new TemplateResponse('guestbook.html', { entries: [...guestbook.all()].reverse(), form: { name: session.get<string>('name') ?? '', message: '' }, errors: {}, flash });",
      },
      { file: 'views.ts', find: "return new TemplateResponse('404.html', { path: request.path }, 404);", replace: "return new TemplateResponse('404.html', { path: request.path, title: 'Not found' }, 404);" },
    ],
  },
  {
    name: 'collects the errors in a list of checks, and shows a refused form with the message first in the context',
    edits: [
      {
        file: 'views.ts',
        find: "  if (!form.name) errors.name = errorMessages.nameMissing;\n  else if (length(form.name) > NAME_MAX) errors.name = errorMessages.nameTooLong;\n  if (!form.message) errors.message = errorMessages.messageMissing;\n  else if (length(form.message) > MESSAGE_MAX) errors.message = errorMessages.messageTooLong;",
        replace:
          "  const checks: [keyof EntryForm, boolean, string][] = [\n    ['message', length(form.message) > MESSAGE_MAX, errorMessages.messageTooLong],\n    ['message', form.message === '', errorMessages.messageMissing],\n    ['name', length(form.name) > NAME_MAX, errorMessages.nameTooLong],\n    ['name', form.name === '', errorMessages.nameMissing],\n  ];\n  for (const [field, wrong, text] of checks) if (wrong) errors[field] = text;",
      },
      { file: 'views.ts', find: 'return guestbookPage({ form, errors }, 400);', replace: 'return guestbookPage({ errors, form: { message: form.message, name: form.name } }, 400);' },
    ],
  },
  {
    name: 'redirects to the absolute URL of / on the address the request came to, the IPv6 loopback included',
    edits: [{ file: 'views.ts', find: "return Response.redirect('/', 303);", replace: "return Response.redirect(new URL('/', `http://${request.headers.get('host') ?? '[::1]'}`).href, 303);" }],
  },
  {
    name: 'reads the form with a hand-written parser that keeps a "%" starting no escape, and keeps the thank-you under another session key',
    edits: [
      { file: 'views.ts', find: "  const fields = new URLSearchParams(request.body.toString('utf8'));", replace: "  const decode = (part: string) => part.replaceAll('+', ' ').replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {\n    try {\n      return decodeURIComponent(run);\n    } catch {\n      return run;\n    }\n  });\n  const pairs = request.body.toString('utf8').split('&').filter(Boolean).map((pair) => [decode(pair.split('=')[0]!), decode(pair.split('=').slice(1).join('='))] as const);\n  const fields = { get: (key: string) => pairs.find(([name]) => name === key)?.[1] ?? null };" },
      { file: 'views.ts', find: "session.get<string>('flash')", replace: "session.get<string>('thank-you')" },
      { file: 'views.ts', find: "session.delete('flash')", replace: "session.delete('thank-you')" },
      { file: 'views.ts', find: "session.set('flash', thanks(form.name))", replace: "session.set('thank-you', thanks(form.name))" },
    ],
  },
  {
    name: 'answers every page after an await, redirects with the relative "./", writes the charset quoted in another letter case, and the form with reordered, unquoted attributes',
    edits: [
      { file: 'views.ts', find: 'export function home(request: Request): Response {\n', replace: 'export async function home(request: Request): Promise<Response> {\n  await new Promise((resolve) => setImmediate(resolve));\n' },
      { file: 'views.ts', find: 'export function addEntry(request: Request): Response {\n', replace: 'export async function addEntry(request: Request): Promise<Response> {\n  await Promise.resolve();\n' },
      { file: 'views.ts', find: "return Response.redirect('/', 303);", replace: "return Response.redirect('./', 303);" },
      { file: 'views.ts', find: "  return new TemplateResponse('404.html', { path: request.path }, 404);", replace: "  const response = new TemplateResponse('404.html', { path: request.path }, 404);\n  response.headers.set('content-type', 'Text/HTML;charset=\"UTF-8\"');\n  return response;" },
      { file: 'views.ts', find: "  return new TemplateResponse('guestbook.html', { entries, ...context }, status);", replace: "  const response = new TemplateResponse('guestbook.html', { entries, ...context }, status);\n  response.headers.set('Content-Type', 'text/html ; charset=\"utf-8\"');\n  return response;" },
      { file: 'templates/guestbook.html', find: '<form method="post" action="/entries" class="sign">', replace: '<form class="sign" action="/entries" method="POST">' },
      { file: 'templates/guestbook.html', find: '<input type="hidden" name="csrfmiddlewaretoken" value="{{ csrf_token }}">', replace: "<input value='{{ csrf_token }}' type=hidden name=csrfmiddlewaretoken>" },
      { file: 'templates/guestbook.html', find: '<textarea id="message" name="message" rows="4" maxlength="500" required>{{ form.message }}</textarea>', replace: '<textarea maxlength=500 required name=message id=message>\n{{ form.message }}</textarea>' },
    ],
  },
  {
    // Legal HTML: inside quotes, ">" ends nothing. The grader reads each attribute as a browser does.
    name: 'gives the form, the name field and the textarea a quoted title or placeholder with a ">" in it',
    edits: [
      {
        file: 'templates/guestbook.html',
        find: '<form method="post" action="/entries" class="sign">',
        replace: '<form title="Sign -> see your entry below" method="post" action="/entries" class="sign">',
      },
      {
        file: 'templates/guestbook.html',
        find: '<input id="name" name="name" value="{{ form.name }}" maxlength="50" required autocomplete="name">',
        replace: '<input id="name" title="Your name -> shown with your entry" name="name" value="{{ form.name }}" maxlength="50" required autocomplete="name">',
      },
      {
        file: 'templates/guestbook.html',
        find: '<textarea id="message" name="message" rows="4" maxlength="500" required>',
        replace: '<textarea id="message" placeholder="Say hello -> then sign" name="message" rows="4" maxlength="500" required>',
      },
    ],
  },
  {
    name: 'follows a "next" field after signing only when a URL parser, as a browser reads it, keeps it on this site',
    edits: [
      {
        file: 'views.ts',
        find: "return Response.redirect('/', 303);",
        replace:
          "const base = new URL('http://guestbook.invalid/');\n  const next = new URL(fields.get('next') ?? '/', base);\n  return Response.redirect(next.origin === base.origin ? next.pathname : '/', 303);",
      },
    ],
  },
  {
    name: 'redirects back to the page the form came from when the Referer, parsed, is on this very origin',
    edits: [
      {
        file: 'views.ts',
        find: "return Response.redirect('/', 303);",
        replace:
          "let back: URL | undefined;\n  try {\n    back = new URL(request.headers.get('referer') ?? '');\n  } catch {\n    back = undefined;\n  }\n  return Response.redirect(back !== undefined && back.origin === `http://${request.headers.get('host')}` ? back.pathname : '/', 303);",
      },
    ],
  },
  {
    name: 'follows a "next" field after signing when it starts with "/" but not "//", percent-encoded with encodeURI, so "/\\evil.example/" and "/<tab>/evil.example/" become paths on this site ("/%5Cevil.example/", "/%09/evil.example/")',
    edits: [
      {
        file: 'views.ts',
        find: "return Response.redirect('/', 303);",
        replace:
          "const next = fields.get('next');\n  // A next that is a path on this site, percent-encoded so that no control character reaches the Location header.\n  return Response.redirect(next !== null && next.startsWith('/') && !next.startsWith('//') ? encodeURI(next) : '/', 303);",
      },
    ],
  },
  {
    // From an independent implementation (review round 19): what a browser sends and shows, written otherwise.
    name: 'ties the CSRF field to the form by its id from after </FORM>, starts the textarea with a line break, says "No entries yet" with {% if %} {% else %}, below an HTML comment that names it, and stores the message\'s line breaks as LF',
    edits: [
      {
        file: 'templates/guestbook.html',
        find: '<form method="post" action="/entries" class="sign">\n<input type="hidden" name="csrfmiddlewaretoken" value="{{ csrf_token }}">\n',
        replace: '<FORM METHOD="POST" ACTION="/entries" class="sign" id="sign">\n',
      },
      {
        file: 'templates/guestbook.html',
        find: '</form>\n',
        replace: '</FORM >\n<input form="sign" type="hidden" name="csrfmiddlewaretoken" value="{{ csrf_token }}">\n',
      },
      { file: 'templates/guestbook.html', find: 'required>{{ form.message }}</textarea>', replace: 'required>\n{{ form.message }}</textarea>' },
      // A textarea sends its line breaks as CR LF: stored as LF, the message reads the same.
      { file: 'views.ts', find: "message: (fields.get('message') ?? '').trim()", replace: "message: (fields.get('message') ?? '').replaceAll('\\r\\n', '\\n').trim()" },
      {
        file: 'templates/guestbook.html',
        find: /<ol class="entries">[\s\S]*<\/ol>/,
        replace:
          '<!-- "No entries yet" shows only when there are none. -->\n{% if entries %}<ol class="entries">\n{% for entry in entries %}\n<li class="entry"><p class="message">{{ entry.message }}</p>\n<p class="by">{{ entry.name }}, {{ entry.written }}</p></li>\n{% endfor %}\n</ol>{% else %}<p>No entries yet.</p>{% endif %}',
      },
    ],
  },
  {
    name: 'writes the CSRF field right after the > of <form>, on the same line',
    edits: [
      {
        file: 'templates/guestbook.html',
        find: '<form method="post" action="/entries" class="sign">\n<input type="hidden"',
        replace: '<form method="post" action="/entries" class="sign"><input type="hidden"',
      },
    ],
  },
  {
    name: 'reads the form with Object.fromEntries, trims every Unicode white space with \\p{White_Space}, and writes the name to the session only when it changed',
    edits: [
      {
        file: 'views.ts',
        find: "  const fields = new URLSearchParams(request.body.toString('utf8'));\n  const form: EntryForm = { name: (fields.get('name') ?? '').trim(), message: (fields.get('message') ?? '').trim() };",
        replace:
          "  const fields = new URLSearchParams(request.body.toString('utf8'));\n" +
          "  const sent: Record<string, string | undefined> = Object.fromEntries(fields);\n" +
          "  const clean = (text = '') => text.replace(/^\\p{White_Space}+|\\p{White_Space}+$/gu, '');\n" +
          '  const form: EntryForm = { name: clean(sent.name), message: clean(sent.message) };',
      },
      {
        file: 'views.ts',
        find: "  session.set('name', form.name);\n",
        replace: "  if (session.get('name') !== form.name) session.set('name', form.name);\n",
      },
    ],
  },
  {
    // Round 22: the error messages, the order of the entries and "No entries yet" were read as bytes, not as a browser shows them.
    name: 'renders with an engine that writes every space and punctuation mark in text as a numeric reference (&#44; &#46; &#32;), and é, ë, ñ as named ones, and links the stylesheet by a relative URL with a query, unquoted',
    edits: [
      { file: 'templates/base.html', find: '<link rel="stylesheet" href="/static/style.css">', replace: '<link href=static/style.css?v=2 rel=Stylesheet>' },
      {
        file: 'server.ts',
        find: "    for (const [, gap] of html.matchAll(/class=\"todo\">([^<]*)/g)) console.error(`A template still has a gap: ${gap}`);\n",
        replace:
          "    for (const [, gap] of html.matchAll(/class=\"todo\">([^<]*)/g)) console.error(`A template still has a gap: ${gap}`);\n" +
          "    const named: Record<string, string> = { 'é': '&eacute;', 'ë': '&euml;', 'ñ': '&ntilde;' };\n" +
          "    if (html) response.body = html.split(/(<[^>]*>)/).map((part, i) => (i % 2 ? part : part.replace(/[ ,.!:éëñ-]/g, (c) => named[c] ?? `&#${c.codePointAt(0)};`))).join('');\n",
      },
    ],
  },
] satisfies Variant[];
