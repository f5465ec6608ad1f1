// Lesson 13: the whole cycle. The grader walks the guestbook as a visitor
// would, with a cookie jar: it reads the page and its form, signs with the
// CSRF token, follows the redirect, tries forged and invalid forms and script
// payloads, fetches the stylesheet twice, asks for a host and a path the site
// does not serve, and traces one POST through every stage. Names, messages,
// hosts and paths are random, so only a real guestbook passes.
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { securityHeaderValues as securityHeaders } from '../../provided/fixtures/07-middleware-in-practice.ts';
import { errorMessages, MESSAGE_MAX, NAME_MAX, SECRET_KEY, thanks } from '../../provided/fixtures/13-the-whole-cycle.ts';
import { type Check, decodeHtml, deletes, excerpt, formToken, gradeLesson, handPort, header, launchBrowser, limits, type Received, redirectTarget, setCookies, showSetCookies, startTags, Visitor } from '../engine/harness.ts';

// node:http reads the requests: a behaviour's requests share connections (see LessonOptions.keepAlive).
const lesson = gradeLesson(import.meta.url, { keepAlive: true });
const { random } = lesson;

/** The body limit of provided/serve.ts: 1 MiB. */
const BODY_LIMIT = 1024 * 1024;

const hex = (bytes = 4) => random.hex(bytes);
/** A token shaped like the real ones (32 characters of base64url), that the server never gave out. */
const strangerToken = () => random.bytes(24).toString('base64url');
// The type and the charset in any letter case, the charset quoted or not (RFC 9110, section 8.3.1 and 8.3.2).
const htmlType = /^text\/html\s*;\s*charset=(utf-8|"utf-8")$/i;

/**
 * Whether the page shows `text` as a browser reads it: the template engine of
 * lesson 10 may write &#39; or &#x27;, &lt; or &#60;, and escape more than the five.
 */
const shows = (html: string, text: string) => decodeHtml(html).includes(text);

/** The field (an <input> or a <textarea>) named `name`. */
const formField = (html: string, tagName: 'input' | 'textarea', name: string) => startTags(html, tagName).find(({ attributes }) => attributes.get('name') === name);

/** The name field as written, for a failure report. */
const nameFieldTag = (html: string) => formField(html, 'input', 'name')?.tag;

/** The name field's value as a browser reads it (quoted or not, escaped or not), or undefined. */
const nameFieldValue = (html: string): string | undefined => formField(html, 'input', 'name')?.attributes.get('value');

/** The text in the message textarea, as written (still escaped), or undefined. */
function messageFieldText(html: string): string | undefined {
  const textarea = formField(html, 'textarea', 'message');
  const close = textarea ? html.slice(textarea.end).search(/<\/textarea\s*>/i) : -1;
  return textarea && close !== -1 ? html.slice(textarea.end, textarea.end + close) : undefined;
}

/**
 * The fields of the form that posts to /entries which a browser would not send with it:
 * those written outside <form>…</form>, unless form="<the form's id>" ties them to it.
 */
function fieldsOutsideForm(html: string): string[] {
  const form = startTags(html, 'form').find(({ attributes }) => attributes.get('method')?.toLowerCase() === 'post' && attributes.get('action') === '/entries');
  if (!form) return [];
  const close = html.slice(form.end).search(/<\/form\s*>/i);
  const last = close === -1 ? html.length : form.end + close;
  const id = form.attributes.get('id');
  const fields = [['input', 'csrfmiddlewaretoken'], ['input', 'name'], ['textarea', 'message']] as const;
  const sent = (tagName: 'input' | 'textarea', name: string) =>
    startTags(html, tagName).some(({ tag, attributes, end }) => attributes.get('name') === name && ((end - tag.length >= form.end && end <= last) || (id !== undefined && attributes.get('form') === id)));
  return fields.filter(([tagName, name]) => formField(html, tagName, name) !== undefined && !sent(tagName, name)).map(([, name]) => name);
}

/**
 * The part of a page worth showing in a failure: the line around `near`, else a
 * gap still marked TODO in a template, else the start of <main>.
 */
function shown(html: string, near?: string): string {
  if (near !== undefined) {
    const at = html.indexOf(near);
    if (at !== -1) return excerpt(html.slice(Math.max(0, at - 120), at + near.length + 120), 400);
  }
  const todo = /TODO:[^<\n]*/.exec(html)?.[0];
  if (todo) return `${todo}\n(a gap in a template is still marked TODO)`;
  const main = /<main>([\s\S]*?)<\/main>/i.exec(html)?.[1]?.trim();
  return excerpt(main ?? html, 500);
}

// ---- a visitor with a cookie jar ---------------------------------------------


const finishFirst = 'Get "shows the guestbook at / with a form whose hidden CSRF token matches its csrftoken cookie" to pass first.';

/** GET / as this visitor: the form's token, after checking that the csrftoken cookie holds the same one. */
async function openGuestbook(t: Check, visitor: Visitor): Promise<{ page: Received; token: string }> {
  const page = await visitor.send({ path: '/' });
  t.expectStatus(page, 200, 'GET / is the guestbook: the home view answers a TemplateResponse for guestbook.html. Your server output below says what went wrong.');
  const token = formToken(page.text);
  t.check(token !== undefined && token !== '', {
    summary: 'The guestbook\'s form has no csrfmiddlewaretoken field with a value.',
    expected: '<input type="hidden" name="csrfmiddlewaretoken" value="<the token>"> inside the form',
    received: shown(page.text, 'csrfmiddlewaretoken'),
    hint: 'In templates/guestbook.html, the form needs a hidden input named csrfmiddlewaretoken whose value is {{ csrf_token }} (server.ts puts csrf_token in every template\'s context).',
  });
  t.check(visitor.jar.get('csrftoken') === token, {
    summary: visitor.jar.has('csrftoken') ? 'The csrftoken cookie and the token in the form differ.' : 'GET / set no csrftoken cookie.',
    expected: `Set-Cookie: csrftoken=${token}; Path=/; Max-Age=31449600; SameSite=Lax`,
    received: showSetCookies(page),
    hint: 'The csrf() middleware from lesson 12 sets the cookie on the way out when a template asked for a token: is csrf() in your middleware list?',
  });
  return { page, token: token! };
}

/** Opens the guestbook and posts the form with its token. */
async function sign(t: Check, visitor: Visitor, fields: { name: string; message: string; [field: string]: string }, trace = false, headers?: Record<string, string>): Promise<Received> {
  const { token } = await openGuestbook(t, visitor);
  return visitor.send({ path: '/entries', form: { csrfmiddlewaretoken: token, ...fields }, trace, headers });
}

/** The hosts of ALLOWED_HOSTS in server.ts, as a URL's hostname spells them. */
const ourHosts = ['localhost', '127.0.0.1', '[::1]'];

// Resolved as a browser does, against the URL of the POST: an empty or relative Location is not /,
// and an absolute one must stay on this site.
const redirectsHome = (response: Received) => {
  const url = redirectTarget(response, '/entries');
  return url !== undefined && ourHosts.includes(url.hostname) && url.pathname === '/';
};

/** Signs and checks the answer: 303 See Other, back to /. */
async function signed(t: Check, visitor: Visitor, fields: { name: string; message: string; [field: string]: string }, headers?: Record<string, string>): Promise<Received> {
  const response = await sign(t, visitor, fields, false, headers);
  t.check(response.status === 303 && redirectsHome(response), {
    summary:
      response.status === 403
        ? 'A form with the right CSRF token was refused with 403.'
        : `Signing the guestbook did not answer 303 See Other with Location: /.`,
    expected: '303 See Other, Location: /',
    received: `${response.statusLine}, Location: ${header(response, 'Location') ?? '(none)'}`,
    hint:
      response.status === 403
        ? 'The token went in the csrfmiddlewaretoken field and the cookie: csrf() compares the two. Is sessions() or csrf() listed twice, or a token made twice?'
        : response.status === 302
          ? 'After a POST, 303 See Other says "now GET this" (RFC 9110, section 15.4.4); 302 only lets the browser guess.'
          : response.status === 303 && header(response, 'Location') !== undefined
            ? "Redirect to / itself, whatever the request carries (a Referer, a \"next\" field): a Location taken from the request sends the visitor wherever someone else chose, an open redirect, even one that starts with \"/\" (\"//evil.example/\" is another site). Response.redirect('/', 303)."
            : 'addEntry stores a valid entry and answers Response.redirect(\'/\', 303): Post/Redirect/Get.',
  });
  return response;
}


/** The words every thank-you starts with, before the name. */
const thanksOpening = thanks('').split(',')[0]!;

/**
 * The guestbook must not show `marker` outside its form (where a remembered name
 * may sit), nor thank the visitor, who has signed nothing: what was refused, nothing stored.
 */
async function expectNotStored(t: Check, visitor: Visitor, marker: string, summary: string, hint: string): Promise<void> {
  const page = await visitor.send({ path: '/' });
  t.check(!shows(page.text, thanksOpening), {
    summary: 'After a form that was refused, the guestbook thanks the visitor for signing.',
    expected: `no "${thanksOpening}, …!": nothing was stored`,
    received: shown(page.text, thanksOpening),
    hint: "Put the thank-you in the session only for an entry you stored: session.set('flash', thanks(name)) after validateEntry found nothing wrong and guestbook.add() ran.",
  });
  const outsideForm = decodeHtml(page.text.replace(/<form\b[\s\S]*?<\/form>/gi, ''));
  t.check(!outsideForm.includes(marker), { summary, expected: `no "${marker}" on the page`, received: shown(page.text, marker), hint });
}

/** A request with a Host of our choosing, traced. The engine sends it over a raw socket: undici always sends its own Host. */
async function withHost(t: Check, host: string, request: { method?: string; path?: string; headers?: Record<string, string>; body?: string } = {}) {
  const { method = 'GET', path = '/', headers = {}, body } = request;
  const response = await t.request({ method, path, host, headers, body: body || undefined, trace: true });
  return { response, trace: t.lastTrace };
}

// ---- the page and the form -----------------------------------------------------

lesson.behaviour('shows the guestbook at / with a form whose hidden CSRF token matches its csrftoken cookie', async (t) => {
  const visitor = new Visitor(t);
  const { page } = await openGuestbook(t, visitor);
  t.expectHeader(page, 'Content-Type', htmlType, 'A TemplateResponse is text/html; charset=utf-8: did the view return the TemplateResponse itself?');
  const forms = startTags(page.text, 'form');
  t.check(forms.some(({ attributes }) => attributes.get('method')?.toLowerCase() === 'post' && attributes.get('action') === '/entries'), {
    summary: 'The page has no form that POSTs to /entries.',
    expected: '<form method="post" action="/entries" …>',
    received: forms.map(({ tag }) => tag).join('\n') || shown(page.text),
    hint: 'templates/guestbook.html provides the form: is the page rendered from it?',
  });
  // The first behaviour meets a server just started, so the guestbook is still empty.
  t.check(/No entries yet/i.test(decodeHtml(page.text)), {
    summary: 'The empty guestbook does not say that it is empty.',
    expected: '<li class="empty">No entries yet: be the first to sign.</li> (or any "No entries yet")',
    received: shown(page.text, '<ol'),
    hint: 'In templates/guestbook.html, {% empty %} inside the {% for %} gives the text to show when there are no entries.',
  });
  const fields = ['name', 'message'].filter((name) => formField(page.text, 'input', name) === undefined && formField(page.text, 'textarea', name) === undefined);
  t.check(fields.length === 0, {
    summary: `The form has no field named ${fields.join(' or ')}.`,
    expected: '<input name="name" …> and <textarea name="message" …></textarea>',
    received: shown(page.text, '<form'),
    hint: 'Fill the gap in templates/guestbook.html: a textarea named "message", like the name field above it.',
  });
  // A browser sends only the fields inside the form: a token written after </form> makes every visitor's POST a 403.
  const outside = fieldsOutsideForm(page.text);
  t.check(outside.length === 0, {
    summary: `The ${outside.join(' and the ')} field${outside.length > 1 ? 's are' : ' is'} outside the form that posts to /entries: a browser would not send ${outside.length > 1 ? 'them' : 'it'} with the form.`,
    expected: '<form method="post" action="/entries" …> with the hidden csrfmiddlewaretoken input, the name input and the message textarea, all before </form>',
    received: shown(page.text, '</form>'),
    hint: 'In templates/guestbook.html, fill each gap where its TODO was, between <form …> and </form>: a browser submits only the fields of the form (or those whose form="…" names its id).',
  });
  // A new visitor has no name in the session and has typed nothing: both fields start empty.
  const typed = messageFieldText(page.text) ?? '';
  const prefilled = [(nameFieldValue(page.text) ?? '').trim() && 'name', typed.trim() && 'message'].filter(Boolean);
  t.check(prefilled.length === 0, {
    summary: `A new visitor's form already has a ${prefilled.join(' and a ')} in it.`,
    expected: 'an empty name field and an empty message field: this visitor has no session yet',
    received: shown(page.text, '<form'),
    hint: "home puts the session's name in the form, or '' when there is none (session.get('name') ?? ''), and an empty message.",
  });
});

lesson.behaviour('accepts a signed entry with 303 See Other back to /, and lists it on the guestbook', async (t) => {
  const visitor = new Visitor(t);
  const entry = { name: `Visitor ${hex()}`, message: `Hello from ${hex()}, and thanks for the tea.` };
  // The page the form came from, as another site could give it, and a "next" field leading there: the redirect still goes to / on this site.
  await signed(t, visitor, { ...entry, next: `//guestbook-${hex()}.evil.example/` }, { Referer: `https://guestbook-${hex()}.evil.example/signed-${hex()}` });
  // A "next" that starts with one "/" leaves the site all the same: a browser reads "/\\host/" as "//host/", and drops
  // tabs and line breaks from a URL before reading it, so "/<tab>/host/" is "//host/" too. The Referer starts with
  // this server's own origin, but what follows the "@" is the host: a check of its start lets another site through.
  const ours = `http://${t.server.host.includes(':') ? `[${t.server.host}]` : t.server.host}:${t.server.port}`;
  for (const next of [`/\\guestbook-${hex()}.evil.example/`, `/\t/guestbook-${hex()}.evil.example/`]) {
    const referer = `${ours}@guestbook-${hex()}.evil.example/`;
    const again = await visitor.send({
      path: '/entries',
      form: { csrfmiddlewaretoken: visitor.jar.get('csrftoken') ?? '', name: entry.name, message: `${entry.message} (${hex()})`, next },
      headers: { Referer: referer },
    });
    const target = redirectTarget(again, '/entries');
    const away = target !== undefined && !ourHosts.includes(target.hostname);
    // Only leaving the site is wrong here: a server that percent-encodes a "next" it follows reads "/\\host/" and
    // "/<tab>/host/" as paths ("/%5Chost/", "/%09/host/"), pages of this site, where a browser would go to host.
    const onSite = target !== undefined && (target.protocol === 'http:' || target.protocol === 'https:') && !away;
    t.check(again.status === 303 && (redirectsHome(again) || onSite), {
      summary: away
        ? `Signing with the field next=${next.replace('\t', '\\t')} and the header Referer: ${referer} redirected to another site, ${target.host}: an open redirect.`
        : `Signing with the field next=${next.replace('\t', '\\t')} and the header Referer: ${referer} was not answered 303 See Other to a page of this site.`,
      expected: '303 See Other, Location: / (this site\'s home, whatever "next" says), or at least a page of this site',
      received: `${again.statusLine}\nLocation: ${(header(again, 'Location') ?? '(none)').replace('\t', '\\t')}`,
      hint: "Redirect to / itself: Response.redirect('/', 303). A \"next\" checked with startsWith('/') and not '//' still leaves the site, since a browser reads \"/\\evil.example/\" and \"/<tab>/evil.example/\" (URL parsers drop tabs and line breaks) as \"//evil.example/\", another host; and a Referer that starts with this site's origin may go on \"@evil.example/\", which makes evil.example the host: an open redirect.",
    });
  }
  const page = await visitor.send({ path: '/' });
  t.expectStatus(page, 200);
  t.check(shows(page.text, entry.message) && shows(page.text, entry.name), {
    summary: 'After signing, the guestbook does not show the new entry.',
    expected: `an entry with the message "${entry.message}" and the name "${entry.name}"`,
    received: shown(page.text, entry.message),
    hint: 'addEntry stores it with guestbook.add(); home passes guestbook.all() to the template as entries; guestbook.html loops over them with {% for entry in entries %}.',
  });
  // An HTML comment in the template may mention it: only what a browser shows counts.
  t.check(!/No entries yet/i.test(decodeHtml(page.text.replace(/<!--[\s\S]*?-->/g, ''))), {
    summary: 'The guestbook lists an entry and still says "No entries yet".',
    expected: 'the entries, and no "No entries yet": that text is for an empty guestbook only',
    received: shown(page.text, 'No entries yet'),
    hint: 'In templates/guestbook.html, put "No entries yet" after {% empty %}, inside {% for entry in entries %}…{% endfor %}: it renders instead of the loop\'s body, only when the list is empty.',
  });
  // A body no browser sends, but a script may: a "%" that starts no escape. A form parser keeps it as it is
  // (URLSearchParams reads "100%"): an entry like any other, or at worst a 400, never a crash.
  const token = visitor.jar.get('csrftoken') ?? '';
  const percent = `Worth it ${hex()}, 100%`;
  const body = `csrfmiddlewaretoken=${token}&name=${encodeURIComponent(entry.name)}&message=${encodeURIComponent(percent).replace('%25', '%')}`;
  const cookies = [...visitor.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const lone = await t.request({ method: 'POST', path: '/entries', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookies }, body });
  t.check(lone.status < 500, {
    summary: `A form whose message ends in a lone "%" crashed the request (${lone.status}).`,
    expected: '303 See Other (the message is "…100%"), or a 400: never a 500',
    received: lone.statusLine,
    hint: "Read the form with new URLSearchParams(request.body.toString('utf8')): it keeps a \"%\" that starts no escape as it is, where decodeURIComponent throws a URIError.",
  });
});

lesson.behaviour('lists the entries newest first', async (t) => {
  const visitor = new Visitor(t);
  const first = { name: `Early ${hex()}`, message: `First of two, ${hex()}.` };
  const second = { name: `Late ${hex()}`, message: `Second of two, ${hex()}.` };
  await signed(t, visitor, first);
  await signed(t, visitor, second);
  const page = await visitor.send({ path: '/' });
  // As a browser shows the text: an engine may escape more than the five ("," as &#44;).
  const text = decodeHtml(page.text);
  const [a, b] = [text.indexOf(first.message), text.indexOf(second.message)];
  t.check(a !== -1 && b !== -1 && b < a, {
    summary: a === -1 || b === -1 ? 'The guestbook does not show both new entries.' : 'The older entry comes before the newer one.',
    expected: `"${second.message}" (signed second) above "${first.message}"`,
    received: shown(page.text, a === -1 ? undefined : first.message),
    hint: 'guestbook.all() gives the oldest first: reverse it (it is a copy) before you hand it to the template.',
  });
});

/**
 * Forms refused, one for its name (one character too long), one for its message (empty) though its name is fine:
 * the name remembered stays as it was, the one signed with.
 */
async function expectNameKept(t: Check, visitor: Visitor, signedWith: string): Promise<void> {
  const token = () => visitor.jar.get('csrftoken') ?? '';
  const refusals: [what: string, form: { name: string; message: string }][] = [
    [`a name of ${NAME_MAX + 1} characters`, { name: `Second thoughts ${hex()} `.padEnd(NAME_MAX + 1, 'n'), message: `Never mind, ${hex()}.` }],
    ['a good name but no message', { name: `Third thoughts ${hex()}`, message: '' }],
  ];
  for (const [what, form] of refusals) {
    const refused = await visitor.send({ path: '/entries', form: { csrfmiddlewaretoken: token(), ...form } });
    const after = await visitor.send({ path: '/' });
    t.check(refused.status === 400 && nameFieldValue(after.text) === signedWith, {
      summary: refused.status !== 400
        ? `A form with ${what} was answered ${refused.statusLine}, not 400.`
        : `After a form refused for ${what}, the guestbook remembers the name typed in it, not the one the visitor signed with.`,
      expected: `400 for ${what}, then value="${signedWith}" in the name field of GET /: only a stored entry changes the name remembered`,
      received: refused.status !== 400 ? refused.statusLine : nameFieldTag(after.text) ?? shown(after.text, '<form'),
      hint: "Set the session's 'name' (and 'flash') only after validateEntry found nothing wrong, in either field, and guestbook.add() ran: a refused form stores nothing, in the guestbook or in the session, even when its name alone was fine.",
    });
  }
}

lesson.behaviour('thanks the visitor once after signing, and remembers their name, in the HttpOnly session cookie', async (t) => {
  const visitor = new Visitor(t);
  const entry = { name: `Grateful ${hex()}`, message: `Just passing through, ${hex()}.` };
  const response = await signed(t, visitor, entry);
  const session = setCookies(response).findLast((c) => c.name === 'sessionid');
  t.check(session !== undefined && !deletes(session) && session.attributes.has('httponly'), {
    summary: session ? 'The session cookie is not HttpOnly.' : 'Signing set no session cookie.',
    expected: 'Set-Cookie: sessionid=<signed data>; Path=/; Max-Age=1209600; HttpOnly; SameSite=Lax',
    received: showSetCookies(response),
    hint: "addEntry sets the session's 'flash' to thanks(name); the sessions() middleware then writes the cookie on the way out. Is sessions() in the middleware list, outside csrf?",
  });
  // payload:timestamp:signature, as lesson 12's dumps() writes it, signed with server.ts's SECRET_KEY.
  const parts = session!.value.split(':');
  const expectedSignature = createHmac('sha256', SECRET_KEY).update(parts.slice(0, 2).join(':')).digest('base64url');
  t.check(parts.length === 3 && parts[2] === expectedSignature, {
    summary: 'The session cookie is not signed with SECRET_KEY.',
    expected: `payload:timestamp:${expectedSignature.slice(0, 8)}…, the HMAC-SHA256 of "payload:timestamp" under SECRET_KEY`,
    received: session!.value,
    hint: "Leave the import of SECRET_KEY in server.ts as it is, and pass it to sessions(SECRET_KEY).",
  });
  // Another visitor comes by first: the thank-you and the name are this visitor's, kept in their session, not the server's.
  const other = await new Visitor(t).send({ path: '/' });
  t.expectStatus(other, 200, 'GET / is the guestbook, for every visitor.');
  const leaked = [shows(other.text, thanks(entry.name)) && 'the thank-you', (nameFieldValue(other.text) ?? '').trim() && 'the name in the form'].filter(Boolean);
  t.check(leaked.length === 0, {
    summary: `Another visitor, without any cookie, was shown ${leaked.join(' and ')} of the visitor who had just signed.`,
    expected: `no "${thanks(entry.name)}", and an empty name field: this visitor has signed nothing`,
    received: shown(other.text, entry.name),
    hint: "Keep the flash and the name in the signer's session (session.set('flash', …), session.set('name', …)), never in a variable of the module: every visitor's requests go through the same server.",
  });
  const first = await visitor.send({ path: '/' });
  t.check(shows(first.text, thanks(entry.name)), {
    summary: 'Back on the guestbook, the page does not thank the visitor.',
    expected: `"${thanks(entry.name)}" on the page`,
    received: shown(first.text, 'flash'),
    hint: "home reads the session's 'flash' and passes it to the template as flash.",
  });
  const second = await visitor.send({ path: '/' });
  t.check(!shows(second.text, thanks(entry.name)), {
    summary: 'The thank-you is still there on the next visit: it should show once.',
    expected: `no "${thanks(entry.name)}" the second time`,
    received: shown(second.text, thanks(entry.name)),
    hint: "After reading 'flash', delete it from the session (session.delete('flash')): the sessions middleware then saves the session without it.",
  });
  const nameField = nameFieldTag(second.text) ?? '';
  t.check(nameFieldValue(second.text) === entry.name, {
    summary: 'The form has forgotten the name the visitor signed with.',
    expected: `<input … name="name" value="${entry.name}" …>`,
    received: nameField || shown(second.text, '<form'),
    hint: "addEntry keeps the name in the session ('name'); home puts it in the form: { name: session.get('name') ?? '', message: '' }.",
  });
  await expectNameKept(t, visitor, entry.name);
});

/**
 * The journey's second entry, sent from the page that thanked the first (`home`), under another name: the
 * same token still works, it goes on top of `firstMessage`, and the name thanked and remembered is its own.
 */
async function expectSecondEntry(t: Check, visitor: Visitor, home: Received, firstMessage: string): Promise<void> {
  const second = `And once more, ${hex()}.`;
  // Before "Journey" in the alphabet, as "And once more" is before "There and back again": newest first is no sort by name or text.
  const secondName = `Another ${hex()}`;
  const again = await visitor.send({ path: '/entries', form: { csrfmiddlewaretoken: formToken(home.text) ?? '', name: secondName, message: second } });
  t.check(again.status === 303, {
    summary: `A second entry from the same visitor was answered ${again.statusLine}.`,
    expected: '303 See Other',
    received: again.statusLine,
    hint: 'The csrftoken cookie and the form\'s token stay the same for the whole visit: nothing should change them between two entries.',
  });
  const last = await visitor.send({ path: '/' });
  const lastText = decodeHtml(last.text);
  const [a, b] = [lastText.indexOf(second), lastText.indexOf(firstMessage)];
  const remembered = nameFieldValue(last.text);
  t.check(a !== -1 && b !== -1 && a < b && lastText.includes(thanks(secondName)) && remembered === secondName, {
    summary: a === -1
      ? 'The second entry is not on the guestbook.'
      : a > b
        ? 'The second entry is below the first.'
        : !lastText.includes(thanks(secondName))
          ? `The second entry, signed as "${secondName}", was not thanked by that name.`
          : `After a second entry signed as "${secondName}", the form still remembers ${remembered === undefined ? 'no name' : `"${remembered}"`}.`,
    expected: `"${second}" above "${firstMessage}", "${thanks(secondName)}", and value="${secondName}" in the name field`,
    received: remembered !== undefined && a !== -1 && a < b && lastText.includes(thanks(secondName)) ? nameFieldTag(last.text) ?? shown(last.text, '<form') : shown(last.text, second),
    hint: "Each valid entry is stored, thanked once by the name it was signed with, and listed newest first; and every one sets the session's name again (session.set('name', form.name)), not only the first: the form remembers the name last signed with.",
  });
}

lesson.behaviour('takes one visitor through the whole journey: a mistake, the fix from the same page, the thank-you, and a second entry', async (t) => {
  const visitor = new Visitor(t);
  const id = hex();
  const name = `Journey ${id}`;
  const message = `There and back again, ${hex()}.`;
  await openGuestbook(t, visitor);

  // 1. A mistake: no name. The page comes back with what was typed, and a form that still works.
  const mistake = await sign(t, visitor, { name: '', message });
  t.expectStatus(mistake, 400, 'A form without a name comes back with 400 and the error.');
  const retry = formToken(mistake.text);
  t.check(retry !== undefined && retry === visitor.jar.get('csrftoken'), {
    summary: 'The form that came back after the mistake carries no token, or one that differs from the csrftoken cookie.',
    expected: `<input type="hidden" name="csrfmiddlewaretoken" value="${visitor.jar.get('csrftoken') ?? '…'}">`,
    received: shown(mistake.text, 'csrfmiddlewaretoken'),
    hint: 'The 400 page is guestbook.html again, rendered with {{ csrf_token }}: the visitor fixes the name and sends that very form.',
  });

  // 2. The fix, sent from that page without reloading it.
  const fixed = await visitor.send({ path: '/entries', form: { csrfmiddlewaretoken: retry!, name, message } });
  t.check(fixed.status === 303 && redirectsHome(fixed), {
    summary: `The corrected form, sent from the page that came back, was answered ${fixed.statusLine}.`,
    expected: '303 See Other, Location: /',
    received: `${fixed.statusLine}, Location: ${header(fixed, 'Location') ?? '(none)'}`,
    hint: fixed.status === 403 ? 'The token in the 400 page must be the one in the csrftoken cookie.' : "addEntry answers Response.redirect('/', 303) once the form is valid.",
  });

  // 3. Following the redirect, as a browser does: the thank-you, the entry on top, the name remembered.
  const home = await visitor.send({ path: redirectTarget(fixed, '/entries')?.pathname ?? '/' });
  t.expectStatus(home, 200);
  t.check(shows(home.text, thanks(name)) && shows(home.text, message) && nameFieldValue(home.text) === name, {
    summary: !shows(home.text, thanks(name))
      ? 'After the redirect, the page does not thank the visitor.'
      : !shows(home.text, message)
        ? 'After the redirect, the entry is not on the guestbook.'
        : 'After the redirect, the form has forgotten the name.',
    expected: `"${thanks(name)}", the entry "${message}", and value="${name}" in the name field`,
    received: shown(home.text, message),
    hint: "addEntry stores the entry and keeps 'name' and 'flash' in the session; home reads both.",
  });

  // 4. A second entry from the same page, later, under another name (someone else at the same browser).
  await expectSecondEntry(t, visitor, home, message);
});

// ---- what the guestbook refuses ------------------------------------------------

lesson.behaviour('refuses a form POST without the right CSRF token with 403, and stores nothing', async (t) => {
  const visitor = new Visitor(t);
  const { token } = await openGuestbook(t, visitor);
  const marker = `forged-${hex()}`;
  const attempts: [what: string, send: () => Promise<Received>][] = [
    ['without the csrfmiddlewaretoken field', () => visitor.send({ path: '/entries', form: { name: marker, message: marker } })],
    ['with a token the server never gave out', () => visitor.send({ path: '/entries', form: { name: marker, message: marker, csrfmiddlewaretoken: strangerToken() } })],
    ['with the form\'s token but no csrftoken cookie', () => new Visitor(t).send({ path: '/entries', form: { name: marker, message: marker, csrfmiddlewaretoken: token } })],
  ];
  for (const [what, send] of attempts) {
    const response = await send();
    t.check(response.status === 403, {
      summary: `A POST to /entries ${what} was answered ${response.status}, not 403 Forbidden.`,
      expected: '403 Forbidden, and the view never runs',
      received: response.statusLine,
      hint: 'csrf() from lesson 12 must be in the middleware list, so it runs before the router: a forged form must never reach addEntry.',
    });
  }
  await expectNotStored(t, visitor, marker, 'A forged entry was stored: it shows on the guestbook.', 'Only a request that csrf() let through may reach addEntry.');
});

lesson.behaviour('shows what visitors typed as text: scripts and attribute breakouts are escaped', async (t) => {
  const visitor = new Visitor(t);
  const id = hex();
  const script = `<script>alert(1)</script>`;
  const breakout = `"><img src=x onerror=alert(1)>`;
  const entry = { name: `${breakout} ${id}`, message: `${script} ${id}` };
  await signed(t, visitor, entry);
  const page = await visitor.send({ path: '/' });
  const raw = [script, breakout].filter((payload) => page.text.includes(payload));
  t.check(raw.length === 0, {
    summary: 'What a visitor typed reached the page as HTML: every browser would run it.',
    expected: '&lt;script&gt;alert(1)&lt;/script&gt; and &quot;&gt;&lt;img src=x onerror=alert(1)&gt;',
    received: shown(page.text, raw[0]),
    hint: 'Your template engine escapes every {{ value }}; only |safe skips that. Never use |safe on what a visitor typed.',
  });
  const text = decodeHtml(page.text);
  t.check(text.includes(entry.message) && text.includes(entry.name), {
    summary: 'The entry is not shown as the text the visitor typed.',
    expected: `the text "${entry.message}" and "${entry.name}", escaped once`,
    received: shown(page.text, id),
    hint: 'Escape once, at the template: escaping in the view as well would show &amp;lt; to the reader.',
  });
  // The same payload typed into a form that comes back with an error: now it sits in value="…". After it, the
  // breakout for a template that quotes the attribute with ' instead (49 characters in all: a name short enough).
  const typed = `${breakout}' onfocus='alert(1)`;
  const again = await sign(t, visitor, { name: typed, message: '' });
  t.check(again.status === 400 && !again.text.includes(breakout), {
    summary: again.status === 400 ? 'The name typed broke out of the value="…" attribute when the form came back.' : `A form without a message was answered ${again.status}, not 400.`,
    expected: '400, with value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt; …"',
    received: again.status === 400 ? shown(again.text, breakout) : again.statusLine,
    hint: 'In guestbook.html, value="{{ form.name }}": the engine escapes " too, so an attribute stays closed.',
  });
  // As a browser reads the attribute, it holds the whole name typed: nothing of it became another attribute.
  const field = nameFieldValue(again.text);
  t.check(again.status !== 400 || field === typed, {
    summary: field === entry.name
      ? 'The form that came back shows the name the session remembers, not the name just typed.'
      : 'The name typed did not stay inside the value of the name field when the form came back.',
    expected: `value="${typed.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll("'", '&#x27;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')}": the whole name, one attribute`,
    received: nameFieldTag(again.text) ?? shown(again.text, '<form'),
    hint: field === entry.name
      ? "A refused form comes back as typed: the 400 renders { form } from this request's fields; the session's name fills the form only on GET /."
      : 'Quote the attribute in guestbook.html: value="{{ form.name }}". Escaping keeps quotes and brackets in, but an unquoted value ends at the first space, and the rest of the name becomes attributes of its own (onfocus=…).',
  });
});

lesson.behaviour('answers an entry without a name with 400, the error, and the message typed, escaped, storing nothing', async (t) => {
  const visitor = new Visitor(t);
  const id = hex();
  const message = `<b>${id}</b> & more`;
  const response = await sign(t, visitor, { name: '   ', message });
  t.expectStatus(
    response,
    400,
    response.status === 200
      ? 'An invalid form is the client\'s mistake: answer the page again with status 400, not 200.'
      : 'addEntry answers guestbook.html again, with the errors and the form as typed, status 400.',
  );
  t.expectHeader(response, 'Content-Type', htmlType, 'The errors come back on the page, as a TemplateResponse: text/html.');
  t.check(shows(response.text, errorMessages.nameMissing), {
    summary: 'The page does not say what is wrong.',
    expected: `"${errorMessages.nameMissing}" (a name of spaces is no name: trim it first)`,
    received: shown(response.text, 'error'),
    hint: "validateEntry returns { name: errorMessages.nameMissing } for an empty name; guestbook.html shows errors.name.",
  });
  const escaped = `&lt;b&gt;${id}&lt;/b&gt; &amp; more`;
  // Escaped once, in any form a browser reads back as what was typed (&lt; or &#60;…), never as markup,
  // and between <textarea> and </textarea>, the only place a textarea takes its text from (it has no value attribute).
  const typed = messageFieldText(response.text);
  const unescaped = response.text.includes(`<b>${id}</b>`);
  t.check(!unescaped && typed !== undefined && decodeHtml(typed).trim() === message, {
    summary: unescaped
      ? 'The message typed came back unescaped.'
      : shows(response.text, message)
        ? 'The message typed is on the page, but not as the text of the message textarea: the field comes back empty.'
        : 'The message typed is not in the form any more: the visitor would have to type it again.',
    expected: `<textarea … name="message" …>${escaped}</textarea>`,
    received: shown(response.text, id),
    hint: 'Pass the form as typed to the template; the message field shows {{ form.message }} between <textarea …> and </textarea> (a textarea has no value attribute: a browser ignores one).',
  });
  t.check(formToken(response.text) !== undefined, {
    summary: 'The form that came back has no CSRF token: the visitor could not send it again.',
    expected: '<input type="hidden" name="csrfmiddlewaretoken" value="…">',
    received: shown(response.text, '<form'),
    hint: 'Render the same guestbook.html: it carries the token.',
  });
  await expectNotStored(t, visitor, id, 'The invalid entry was stored: it shows on the guestbook.', 'Validate first; store only when validateEntry found nothing wrong.');
});

lesson.behaviour('treats a field missing from the form as empty: 400, and nothing stored', async (t) => {
  const visitor = new Visitor(t);
  for (const [present, missing] of [['message', 'name'], ['name', 'message']] as const) {
    const { token } = await openGuestbook(t, visitor);
    const marker = `no-${missing}-${t.hex()}`;
    const response = await visitor.send({ path: '/entries', form: { csrfmiddlewaretoken: token, [present]: marker } });
    const error = missing === 'name' ? errorMessages.nameMissing : errorMessages.messageMissing;
    t.check(response.status === 400 && shows(response.text, error), {
      summary: `A form without a ${missing} field was answered ${response.status}${response.status === 400 ? ` without "${error}"` : ', not 400'}.`,
      expected: `400 Bad Request, and "${error}"`,
      received: response.status === 400 ? shown(response.text, 'error') : response.statusLine,
      hint: `fields.get('${missing}') is null when the form has no such field: (fields.get('${missing}') ?? '').trim() makes it an empty field, which validateEntry refuses.`,
    });
    await expectNotStored(t, visitor, marker, `An entry without a ${missing} was stored.`, 'Validate first; store only when validateEntry found nothing wrong.');
  }
  // Neither field: both are wrong, and the page says so for each, not only for the first.
  const { token } = await openGuestbook(t, visitor);
  const neither = await visitor.send({ path: '/entries', form: { csrfmiddlewaretoken: token } });
  const unsaid = [errorMessages.nameMissing, errorMessages.messageMissing].filter((text) => !shows(neither.text, text));
  t.check(neither.status === 400 && unsaid.length === 0, {
    summary: neither.status === 400 ? `A form with neither a name nor a message came back without "${unsaid.join('" and "')}".` : `A form with neither a name nor a message was answered ${neither.status}, not 400.`,
    expected: `400 Bad Request, with "${errorMessages.nameMissing}" and "${errorMessages.messageMissing}": one message per field that is wrong`,
    received: neither.status === 400 ? shown(neither.text, 'error') : neither.statusLine,
    hint: 'validateEntry checks every field and returns one message for each that is wrong: do not return as soon as the name is missing.',
  });
});

lesson.behaviour('refuses a message over 500 characters with 400, and accepts one of exactly 500', async (t) => {
  const visitor = new Visitor(t);
  const id = hex();
  const name = `Verbose ${id}`;
  // One code point over the limit, though a reader sees two letters fewer: "q" and a combining acute accent (U+0301) are two code points.
  const long = `${id} ${'a'.repeat(MESSAGE_MAX - id.length - 4)}${'q\u0301'.repeat(2)}`;
  const response = await sign(t, visitor, { name, message: long });
  t.expectStatus(response, 400, `MESSAGE_MAX is ${MESSAGE_MAX}: validateEntry must refuse a longer message, here ${MESSAGE_MAX + 1} code points (two of them combining accents).`);
  const typed = messageFieldText(response.text);
  t.check(shows(response.text, errorMessages.messageTooLong) && nameFieldValue(response.text) === name && typed !== undefined && decodeHtml(typed).trim() === long, {
    summary: !shows(response.text, errorMessages.messageTooLong) ? 'The page does not say the message is too long.' : nameFieldValue(response.text) !== name ? 'The name typed is not kept in the form.' : 'The message typed, too long, is not kept in the form.',
    expected: `"${errorMessages.messageTooLong}", value="${name}" in the name field, and the ${MESSAGE_MAX + 1} characters typed in the textarea`,
    received: shown(response.text, 'error'),
    hint: 'validateEntry returns { message: errorMessages.messageTooLong }; the template shows errors.message, and the form as typed (form.name, form.message), the field that is wrong included: the visitor shortens the message rather than typing it again. Count code points ([...text].length).',
  });
  // 500 characters, most of them two bytes in UTF-8 and two emoji of two UTF-16 code units each:
  // characters count, not bytes and not code units.
  const exact = `🙂${id} ${'é'.repeat(MESSAGE_MAX - id.length - 3)}🙂`;
  const accepted = await sign(t, visitor, { name, message: exact });
  t.check(accepted.status === 303, {
    summary: `A message of exactly ${MESSAGE_MAX} characters (two of them emoji) was answered ${accepted.status}, not 303.`,
    expected: `303 See Other: ${MESSAGE_MAX} characters is the limit, and allowed`,
    received: accepted.status === 400 ? shown(accepted.text, 'error') : accepted.statusLine,
    hint: 'Count characters as code points ([...text].length), not bytes and not text.length (🙂 is two UTF-16 code units), and allow the limit itself: > MESSAGE_MAX, not >=.',
  });
});

lesson.behaviour('refuses a name over 50 characters with 400, and accepts one of exactly 50, counting characters', async (t) => {
  const visitor = new Visitor(t);
  const id = hex();
  // 51 characters, and an empty message: both errors at once.
  const long = `${id} ${'n'.repeat(NAME_MAX - id.length)}`;
  const response = await sign(t, visitor, { name: long, message: '' });
  t.expectStatus(response, 400, `NAME_MAX is ${NAME_MAX}: validateEntry must refuse a longer name.`);
  const missing = [errorMessages.nameTooLong, errorMessages.messageMissing].filter((text) => !shows(response.text, text));
  t.check(missing.length === 0, {
    summary: missing.length === 2 ? 'The page does not say what is wrong.' : `With a name too long and no message, the page does not say "${missing[0]}".`,
    expected: `"${errorMessages.nameTooLong}" and "${errorMessages.messageMissing}": one message per field that is wrong`,
    received: shown(response.text, 'error'),
    hint: 'validateEntry checks every field and returns one message for each that is wrong: do not return after the first.',
  });
  t.check(nameFieldValue(response.text) === long, {
    summary: 'The name typed, too long, is not kept in the form that came back.',
    expected: `<input … name="name" value="${long}" …>: the form as typed`,
    received: nameFieldTag(response.text) ?? shown(response.text, '<form'),
    hint: 'Answer the 400 with the form as typed (form.name), the field that is wrong included: the visitor shortens the name rather than typing it again.',
  });
  // 50 characters, two of them emoji that take two UTF-16 code units each: characters count, not code units.
  const exact = `🙂${id} ${'ñ'.repeat(NAME_MAX - id.length - 3)}🙂`;
  const accepted = await sign(t, visitor, { name: exact, message: `Exactly fifty, ${id}.` });
  t.check(accepted.status === 303, {
    summary: `A name of exactly ${NAME_MAX} characters (two of them emoji) was answered ${accepted.status}, not 303.`,
    expected: `303 See Other: ${NAME_MAX} characters is the limit, and allowed`,
    received: accepted.status === 400 ? shown(accepted.text, 'error') : accepted.statusLine,
    hint: `Count characters as code points: [...text].length counts 🙂 once, where text.length counts its two UTF-16 code units. And > NAME_MAX, not >=.`,
  });
  // One code point over, though a reader sees fewer letters: "q" and a combining acute accent (U+0301) are two code points.
  const combining = `${id} ${'n'.repeat(NAME_MAX - id.length - 4)}${'q\u0301'.repeat(2)}`;
  const refused = await sign(t, visitor, { name: combining, message: `Accents, ${id}.` });
  t.check(refused.status === 400 && shows(refused.text, errorMessages.nameTooLong), {
    summary: `A name of ${NAME_MAX + 1} code points, two of them combining accents (so ${NAME_MAX - 1} letters to the eye), was answered ${refused.status}${refused.status === 400 ? ` without "${errorMessages.nameTooLong}"` : ', not 400'}.`,
    expected: `400, and "${errorMessages.nameTooLong}": a character here is a code point`,
    received: refused.status === 400 ? shown(refused.text, 'error') : refused.statusLine,
    hint: 'Count code points, [...text].length: "q" followed by U+0301 (a combining acute accent) is two of them, even where a reader sees one letter. Counting what a reader sees (Intl.Segmenter\'s graphemes) is not the rule here.',
  });
});

/**
 * A name of nothing but Unicode spaces, which .trim() removes as it does " " (a no-break space is what some
 * keyboards type with Option or AltGr held), and a message of nothing but spaces, tabs and line breaks: both
 * are missing. Spaces, tabs and line breaks are examples of whitespace, not the list.
 */
async function expectBlankRefused(t: Check, visitor: Visitor): Promise<void> {
  const spaces = [...'\u00a0\u3000\u2003\u202f\u2009'];
  const blankName = `${t.random.pick(spaces)}${t.random.pick(spaces)}`;
  const shownName = [...blankName].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
  const blank = await sign(t, visitor, { name: blankName, message: ` \r\n\t\t\r\n ` });
  const unsaid = [errorMessages.messageMissing, errorMessages.nameMissing].filter((text) => !shows(blank.text, text));
  t.check(blank.status === 400 && unsaid.length === 0, {
    summary:
      blank.status !== 400
        ? `A message of nothing but spaces, tabs and line breaks, and a name of nothing but Unicode spaces (${shownName}), was answered ${blank.status}.`
        : unsaid.includes(errorMessages.messageMissing)
          ? 'A message of nothing but spaces, tabs and line breaks was answered without the error.'
          : `A name of nothing but Unicode spaces (${shownName}) was not refused as missing.`,
    expected: `400, "${errorMessages.nameMissing}" and "${errorMessages.messageMissing}"`,
    received: blank.status === 400 ? shown(blank.text, 'error') : blank.statusLine,
    hint: unsaid.includes(errorMessages.messageMissing)
      ? 'Trim the message too, before validateEntry: what is left is empty.'
      : "Trim with .trim(), which removes white space and line breaks at both ends, every Unicode space separator included (the no-break space U+00A0 and the ideographic space U+3000 too), or with /^\\s+|\\s+$/g, which matches the same characters: a list of ' ', '\\t', '\\r' and '\\n' leaves a name that only looks empty.",
  });
}

lesson.behaviour('trims the name and the message before checking and storing them', async (t) => {
  const visitor = new Visitor(t);
  const id = hex();
  const name = `Spacious ${id}`;
  const mark = hex();
  // Two lines with a blank one between, the second indented, as a textarea sends them (CR LF): trimming keeps what is inside.
  const message = `Room to breathe,\r\n\r\n  ${mark}.`;
  // Whitespace no template writes next to a value: a space and two tabs, CR LF as a textarea sends it.
  const [before, after] = [' \t\t', '\t\t '];
  await signed(t, visitor, { name: `${before}${name}${after}`, message: `\r\n${before}${message}${after}\r\n` });
  const page = await visitor.send({ path: '/' });
  const untrimmed = [`${before}${message}`, `${message}${after}`, `${before}${name}`, `${name}${after}`].filter((text) => decodeHtml(page.text).includes(text));
  // As typed, its line breaks written CR LF or LF.
  const kept = decodeHtml(page.text).replaceAll('\r\n', '\n').includes(message.replaceAll('\r\n', '\n'));
  const squeezed = !kept && decodeHtml(page.text).includes(`Room to breathe, ${mark}.`);
  t.check(kept && untrimmed.length === 0, {
    summary: untrimmed.length
      ? 'The entry was stored with the spaces, tabs and line breaks around it.'
      : squeezed
        ? 'The line breaks and spaces inside the message were squeezed into one space: only the whitespace around it goes.'
        : 'After signing, the guestbook does not show the new entry.',
    expected: `the message ${JSON.stringify(message)} and the name "${name}", without the whitespace around them`,
    received: shown(page.text, mark),
    hint: squeezed
      ? "Trim the ends only, with .trim(): the line breaks inside a message are the visitor's (the stylesheet keeps them, white-space: pre-wrap), and .replace(/\\s+/g, ' ') loses them."
      : "addEntry trims both fields (.trim()) first, and stores and remembers the trimmed values.",
  });
  t.check(shows(page.text, thanks(name)) && nameFieldValue(page.text) === name, {
    summary: 'The thank-you or the remembered name kept the whitespace that was typed around the name.',
    expected: `"${thanks(name)}", and value="${name}" in the name field`,
    received: shown(page.text, id),
    hint: "Put the trimmed name in the session: session.set('name', form.name) after trimming.",
  });

  await expectBlankRefused(t, visitor);

  // The limits apply to what is left after trimming: 50 and 500 characters with spaces around them are fine.
  const exactName = `${id} ${'p'.repeat(NAME_MAX - id.length - 1)}`;
  const exact = `${id} ${'m'.repeat(MESSAGE_MAX - id.length - 1)}`;
  const padded = await sign(t, visitor, { name: ` \t${exactName}\t `, message: `  ${exact}\r\n\r\n` });
  t.check(padded.status === 303, {
    summary: `A name of ${NAME_MAX} and a message of ${MESSAGE_MAX} characters, each with spaces, tabs or line breaks around it, was answered ${padded.status}, not 303.`,
    expected: `303 See Other: trimmed, they are ${NAME_MAX} and ${MESSAGE_MAX} characters, the limits`,
    received: padded.status === 400 ? shown(padded.text, 'error') : padded.statusLine,
    hint: 'Trim first, then validate: the whitespace around a name or a message is not part of it.',
  });
});

// ---- the stylesheet --------------------------------------------------------------

lesson.behaviour('serves the stylesheet the page links to as text/css with an ETag, and 304 when it has not changed', async (t) => {
  const page = await t.request({ path: '/' });
  t.expectStatus(page, 200, 'GET / must work before its stylesheet can be fetched.');
  // As a browser reads the tag: attributes in any order and quoting, rel a list of words, href resolved against the page's URL.
  const links = startTags(page.text, 'link').filter(({ attributes }) => (attributes.get('rel') ?? '').toLowerCase().split(/\s+/).includes('stylesheet'));
  const hrefOf = (link: (typeof links)[number]) => {
    try {
      return new URL(link.attributes.get('href') ?? '', `http://localhost:${handPort}/`);
    } catch {
      return undefined;
    }
  };
  const link = links.find((each) => hrefOf(each)?.pathname.startsWith('/static/') && ourHosts.includes(hrefOf(each)!.hostname));
  const url = link && hrefOf(link);
  t.check(url !== undefined, {
    summary: 'The page links no stylesheet under /static/.',
    expected: '<link rel="stylesheet" href="/static/style.css">',
    received: links.map(({ tag }) => tag).join('\n') || '(no <link rel="stylesheet">)',
    hint: 'templates/base.html links /static/style.css: do your pages extend base.html?',
  });
  const href = url!.pathname + url!.search;
  const css = await t.request({ path: href });
  t.expectStatus(css, 200, 'serveStatic(STATIC_ROOT, \'/static/\', …) from lesson 11 answers /static/: is it in the middleware list, before the router?');
  t.expectHeader(css, 'Content-Type', /^text\/css\b/i, 'Your contentType() from lesson 11 says text/css for .css.');
  const file = path.join(lesson.dir, 'static', decodeURIComponent(url!.pathname.slice('/static/'.length)));
  const onDisk = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
  t.check(onDisk !== undefined && css.body.equals(onDisk), {
    summary: 'The stylesheet served is not the file in static/.',
    expected: `the ${onDisk?.length ?? '?'} bytes of ${path.relative(path.dirname(lesson.dir), file)}`,
    received: `${css.body.length} bytes: ${JSON.stringify(excerpt(css.text, 120))}`,
    hint: 'STATIC_ROOT is the static/ folder next to server.ts.',
  });
  const etag = header(css, 'ETag');
  const cacheControl = header(css, 'Cache-Control');
  t.check(etag !== undefined && /^(W\/)?"[^"]*"$/.test(etag) && cacheControl !== undefined && /(^|[\s,])no-cache\b/i.test(cacheControl), {
    summary: etag === undefined ? 'The stylesheet has no ETag.' : cacheControl === undefined ? 'The stylesheet has no Cache-Control.' : !/(^|[\s,])no-cache\b/i.test(cacheControl) ? `The stylesheet says Cache-Control: ${cacheControl}, not no-cache.` : `The ETag ${etag} is not a quoted entity tag.`,
    expected: 'ETag: W/"<size>-<mtime>" and Cache-Control: no-cache',
    received: `ETag: ${etag ?? '(missing)'}\nCache-Control: ${header(css, 'Cache-Control') ?? '(missing)'}`,
    hint: "Your serveStatic sends entityTag(stats) and the cacheControl it was given with every file: serveStatic(STATIC_ROOT, '/static/', 'no-cache').",
  });
  const again = await t.request({ path: href, headers: { 'If-None-Match': etag! } });
  t.expectStatus(again, 304, 'The browser sends the ETag back in If-None-Match; the file has not changed, so your isNotModified() says 304 Not Modified.');
  t.check(again.body.length === 0, {
    summary: 'The 304 has a body.',
    expected: 'no body at all',
    received: `${again.body.length} bytes`,
    hint: 'A 304 says "use your copy": send nothing after the headers.',
  });
});

// ---- hosts, paths and headers -------------------------------------------------------

lesson.behaviour('refuses a request for a host it does not serve with 400, before any view runs', async (t) => {
  const host = `guestbook-${hex()}.evil.example`;
  const { response, trace } = await withHost(t, host);
  t.expectStatus(response, 400, 'allowedHosts(ALLOWED_HOSTS) from lesson 07 answers 400 for a Host that is not allowed: is it in the middleware list?');
  // Every host of ALLOWED_HOSTS is served, the IPv6 loopback included.
  const ipv6 = await withHost(t, `[::1]:${handPort}`);
  t.expectStatus(ipv6.response, 200, "ALLOWED_HOSTS lists '[::1]', the IPv6 loopback: leave it as it is.");
  // A signed form for the wrong host: refused as well, and nothing stored.
  const visitor = new Visitor(t);
  const { token } = await openGuestbook(t, visitor);
  const marker = `elsewhere-${hex()}`;
  const body = new URLSearchParams({ csrfmiddlewaretoken: token, name: marker, message: marker }).toString();
  const post = await withHost(t, host, {
    method: 'POST',
    path: '/entries',
    headers: { Cookie: `csrftoken=${token}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
  });
  const ran = [...trace, ...post.trace].filter((e) => e.stage === 'view').map((e) => e.name);
  t.check(post.response.status === 400 && ran.length === 0, {
    summary: post.response.status === 400 ? `A view ran for a host we don't serve: ${ran.join(', ')}.` : `A POST for the host ${host} was answered ${post.response.status}, not 400.`,
    expected: '400 Bad Request, and no view runs',
    received: post.response.statusLine,
    hint: 'The host check must come before anything that reads or acts on the request: sessions, csrf and the views are all inside it.',
  });
  await expectNotStored(t, visitor, marker, 'An entry sent to another host was stored.', 'Put allowedHosts(ALLOWED_HOSTS) outside sessions, csrf and the router.');
});

lesson.behaviour('answers an unknown path with the 404 page, the path shown escaped', async (t) => {
  const id = hex();
  const response = await t.request({ path: `/no-such-page-${id}/%3Cb%3E` });
  t.expectStatus(response, 404, 'No route matches, so the router throws HttpError(404); server.ts then asks pageNotFound for the page: status 404.');
  t.expectHeader(response, 'Content-Type', htmlType, 'pageNotFound answers a TemplateResponse for 404.html: text/html.');
  t.check(shows(response.text, 'Page not found') && shows(response.text, `/no-such-page-${id}/<b>`) && !response.text.includes(`${id}/<b>`), {
    summary: response.text.includes(`${id}/<b>`) ? 'The path reached the 404 page unescaped.' : 'The 404 page does not show the path that was asked for.',
    expected: `"Page not found" and /no-such-page-${id}/&lt;b&gt;`,
    received: shown(response.text, id),
    hint: "pageNotFound passes { path: request.path } to 404.html, which shows {{ path }}.",
  });
});

lesson.behaviour('adds the security headers to every response: pages, redirects, the stylesheet, 304, 403, 404 and 400', async (t) => {
  const visitor = new Visitor(t);
  const answers: [what: string, response: Received][] = [];
  const { page } = await openGuestbook(t, visitor);
  answers.push(['the guestbook page (200)', page]);
  answers.push(['the redirect after signing (303)', await signed(t, visitor, { name: `Careful ${hex()}`, message: `Headers everywhere, ${hex()}.` })]);
  const css = await t.request({ path: '/static/style.css' });
  answers.push(['the stylesheet (200)', css]);
  const etag = header(css, 'ETag');
  if (etag) answers.push(['the stylesheet, not modified (304)', await t.request({ path: '/static/style.css', headers: { 'If-None-Match': etag } })]);
  answers.push(['a forged form (403)', await visitor.send({ path: '/entries', form: { name: 'x', message: 'x' } })]);
  answers.push(['an unknown path (404)', await t.request({ path: `/nowhere-${hex()}` })]);
  answers.push(['a request for another host (400)', (await withHost(t, `other-${hex()}.example`)).response]);
  for (const [what, response] of answers) {
    const wrong = securityHeaders.filter(([name, value]) => header(response, name)?.toLowerCase() !== value.toLowerCase());
    t.check(wrong.length === 0, {
      summary: `${what[0]!.toUpperCase()}${what.slice(1)} lacks ${wrong.map(([name]) => name).join(', ')}.`,
      expected: securityHeaders.map(([name, value]) => `${name}: ${value}`).join('\n'),
      received: `${response.statusLine}\n${securityHeaders.map(([name]) => `${name}: ${header(response, name) ?? '(missing)'}`).join('\n')}`,
      hint: 'securityHeaders adds them on the way out to every response that passes through it: put it outermost, so the host check\'s 400 and the stylesheets pass through it too.',
    });
  }
});

lesson.behaviour('answers a form over 1 MiB with 413 Content Too Large, through every middleware', async (t) => {
  const visitor = new Visitor(t);
  const { token } = await openGuestbook(t, visitor);
  const marker = `huge-${hex()}`;
  // One byte over the limit, so the server has read it all when it refuses.
  const start = new URLSearchParams({ csrfmiddlewaretoken: token, name: marker, message: '' }).toString();
  const body = start + 'x'.repeat(BODY_LIMIT + 1 - start.length);
  // Over a raw socket, to read the reason phrase too.
  const { response, trace } = await withHost(t, `localhost:${t.server.port}`, {
    method: 'POST',
    path: '/entries',
    headers: { Cookie: `csrftoken=${token}`, 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRFToken': token },
    body,
  });
  // Any reason phrase: a client ignores it (RFC 9112, section 4), and "Payload Too Large" is the name RFC 7231 gave 413.
  t.check(response.status === 413 && /^HTTP\/1\.1 413\b/.test(response.statusLine), {
    summary: `A form of ${BODY_LIMIT + 1} bytes was answered ${response.statusLine}.`,
    expected: 'HTTP/1.1 413 Content Too Large (RFC 9110, section 15.5.14)',
    received: response.statusLine,
    hint: 'provided/serve.ts refuses a body over 1 MiB when something reads request.body: keep the plumbing at the bottom of server.ts as it was given.',
  });
  const wrong = securityHeaders.filter(([name, value]) => header(response, name)?.toLowerCase() !== value.toLowerCase());
  t.check(wrong.length === 0, {
    summary: `The 413 lacks ${wrong.map(([name]) => name).join(', ')}: it did not pass back out through the middleware.`,
    expected: securityHeaders.map(([name, value]) => `${name}: ${value}`).join('\n'),
    received: `${response.statusLine}\n${securityHeaders.map(([name]) => `${name}: ${header(response, name) ?? '(missing)'}`).join('\n')}`,
    hint: 'The 413 is an HttpError thrown where the body is read, inside the middleware; compose() turns it into a response that every layer sees on its way out.',
  });
  const ran = trace.filter((e) => e.stage === 'view').map((e) => e.name);
  t.check(ran.length === 0 || !shows((await visitor.send({ path: '/' })).text, marker), {
    summary: 'A form over 1 MiB was stored.',
    expected: `no "${marker}" on the guestbook`,
    received: `views that ran: ${ran.join(', ')}`,
    hint: 'Nothing may come of a request whose body was refused.',
  });
});

// ---- the whole cycle, traced -------------------------------------------------------

/** The middleware in order, outermost first, as lesson 07, 11 and 12 name them. */
const expectedOrder: [pattern: RegExp, name: string][] = [
  [/secur/i, 'securityHeaders'],
  [/host/i, 'hostCheck'],
  [/tim/i, 'timing'],
  [/static/i, 'serveStatic'],
  [/session/i, 'sessions'],
  [/csrf/i, 'csrf'],
];

lesson.behaviour('traces a POST through every middleware in, the route, the view and the template, and back out in reverse', async (t) => {
  const visitor = new Visitor(t);
  // An entry without a name: the view answers with the form again, so the template is rendered too.
  const response = await sign(t, visitor, { name: '', message: `Trace me, ${hex()}.` }, true);
  t.expectStatus(response, 400, 'A form without a name comes back with 400 and the error; the trace below shows how far the request got.');
  const events = t.lastTrace;
  // The trace itself is in the report's Trace block: here only the order, in the words of the expectation.
  const received = events.map((e) => `${e.stage.replace(':', ' ')} ${e.name}`).join(' → ') || '(no trace)';
  const ins = events.filter((e) => e.stage === 'middleware:in').map((e) => e.name);
  const outs = events.filter((e) => e.stage === 'middleware:out').map((e) => e.name);
  t.check(ins.length === expectedOrder.length && expectedOrder.every(([pattern], i) => pattern.test(ins[i]!)), {
    summary: 'On the way in, the request did not meet the six middleware in the right order.',
    expected: `middleware in: ${expectedOrder.map(([, name]) => name).join(' → ')}`,
    received,
    hint: 'The middleware() list in server.ts is outermost first. Which must see every response? Which must stop a request before anything else reads it? What does csrf need to find already done?',
  });
  t.check(outs.join() === [...ins].reverse().join(), {
    summary: 'On the way out, the middleware did not run in reverse order.',
    expected: `middleware out: ${[...ins].reverse().join(' → ')}`,
    received,
    hint: 'Your compose() from lesson 06 wraps the layers so that the first listed is the outermost: in first, out last.',
  });
  const at = (stage: string) => events.findIndex((e) => e.stage === stage);
  const lastIn = events.findLastIndex((e) => e.stage === 'middleware:in');
  const [route, view, render, firstOut] = [at('route'), at('view'), at('render'), at('middleware:out')];
  t.check(lastIn < route && route < view && view < render && render < firstOut, {
    summary: 'The route, the view and the template did not come between the way in and the way out, in that order.',
    expected: '… middleware in csrf → route add-entry → view addEntry → template guestbook.html → middleware out csrf …',
    received,
    hint: 'addEntry returns a TemplateResponse; renderTemplateResponses renders it after the view, before the middleware on the way out.',
  });
});

type BrowserPage = Awaited<ReturnType<Awaited<ReturnType<typeof launchBrowser>>['context']['newPage']>>;

/** Fills the guestbook form in Chromium and sends it; a form that is not there fails with what the page showed. */
async function signInBrowser(t: Check, page: BrowserPage, name: string, message: string) {
  try {
    await page.fill('#name', name);
    await page.fill('#message', message);
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('form.sign button')]);
  } catch (error) {
    if ((error as Error).name !== 'TimeoutError') throw error;
    t.fail({
      summary: 'In Chromium, the guestbook page had no form to sign (#name, #message and the button in form.sign), or sending it got no answer.',
      expected: 'the form of "shows the guestbook at / with a form…", and an answer to its POST',
      received: excerpt((await page.content().catch(() => '')) || '(no page)', 400),
      hint: 'Get the behaviours above to pass first: they check the same form without a browser.',
    });
  }
}

// ---- on your own stack (npm run check -- 13 --own-stack) ------------------------------
// The same guestbook, its bytes read by your lesson 02 parser and written by your
// lesson 03 serializer (see provided/own-stack.ts), where ROUNDTRIP_OWN_STACK names
// them; each behaviour below names the lesson whose piece it tries, and the last
// signs the guestbook in headless Chromium.

const ownStack = lesson.ownStack;
const whoseCode = (lesson: string, role: string) => (ownStack?.includes(lesson) ? `your ${lesson} ${role}` : `the kit's ${role}`);

if (ownStack) {
  if (ownStack.includes('02')) {
    lesson.behaviour('lesson 02 on your own stack: your parser reads a signed form that arrives in small pieces, its body counted in bytes', async (t) => {
      const visitor = new Visitor(t);
      const { token } = await openGuestbook(t, visitor);
      const name = `Zoë 🙂 ${hex()}`;
      // The message as `curl --data 'message=Über…'` sends it: raw UTF-8, more bytes than characters.
      const message = `Über-${hex()}-café`;
      const body = `${new URLSearchParams({ csrfmiddlewaretoken: token, name }).toString()}&message=${message}`;
      const head =
        `POST /entries HTTP/1.1\r\nHost: localhost:${t.server.port}\r\nCookie: ${[...visitor.jar].map(([n, v]) => `${n}=${v}`).join('; ')}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
      const bytes = Buffer.from(head + body);
      // Seven bytes at a time: the head and the body both arrive in many packets.
      const pieces: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += 7) pieces.push(bytes.subarray(at, at + 7));
      const { response } = await t.raw(pieces, { pauseMs: 2 });
      t.check(response!.status === 303, {
        summary: `A valid form sent in ${pieces.length} pieces of 7 bytes was answered ${response!.statusLine}, not 303 See Other.`,
        expected: '303 See Other, Location: /',
        received: response!.statusLine,
        hint: 'Your 02 parser (RequestParser in exercises/02-anatomy-of-a-request/server.ts) must wait for the whole head and then Content-Length bytes of body, however the packets fall: `npm run check -- 2`.',
      });
      const page = await visitor.send({ path: '/' });
      t.check(decodeHtml(page.text).includes(name) && decodeHtml(page.text).includes(message), {
        summary: 'The entry signed in small pieces is not on the guestbook, or it lost bytes on the way.',
        expected: `an entry ${JSON.stringify(message)} by ${JSON.stringify(name)}`,
        received: shown(page.text, 'class="entry"'),
        hint: 'Your 02 parser hands the body on as the bytes that arrived, Content-Length of them, not characters.',
      });
    });
  }

  if (ownStack.includes('03')) {
    lesson.behaviour('lesson 03 on your own stack: your serializer frames every answer, Content-Length in bytes, and no body for HEAD or 304', async (t) => {
      const visitor = new Visitor(t);
      await signed(t, visitor, { name: `Zoë 🙂 ${hex()}`, message: `Ça marche, ${hex()} ✓` });
      const lines = (method: string, extra = '') =>
        `${method} / HTTP/1.1\r\nHost: localhost:${t.server.port}\r\nCookie: ${[...visitor.jar].map(([n, v]) => `${n}=${v}`).join('; ')}\r\n${extra}\r\n`;
      const get = await t.raw(lines('GET'));
      const head = get.bytes.indexOf('\r\n\r\n');
      const length = Number(header(get.response!, 'Content-Length'));
      t.check(head !== -1 && length === get.bytes.length - head - 4, {
        summary: 'The guestbook page (with "ë", "🙂" and "✓" on it) came with a Content-Length that is not its size in bytes.',
        expected: `Content-Length: ${head === -1 ? '?' : get.bytes.length - head - 4} (the bytes after the empty line)`,
        received: `Content-Length: ${header(get.response!, 'Content-Length') ?? '(none)'}`,
        hint: 'Your 03 serializeResponse (exercises/03-responses-and-headers/response.ts) counts the body in bytes: Buffer.byteLength, not .length of a string. `npm run check -- 3`.',
      });
      const headOnly = await t.raw(lines('HEAD'));
      const afterHead = headOnly.bytes.indexOf('\r\n\r\n');
      t.check(afterHead !== -1 && headOnly.bytes.length === afterHead + 4, {
        summary: `HEAD / was answered with ${afterHead === -1 ? 'no complete head' : `${headOnly.bytes.length - afterHead - 4} bytes of body`}.`,
        expected: 'the head a GET would get, and no body (RFC 9110, section 9.3.2)',
        received: excerpt(headOnly.bytes.toString('utf8'), 300),
        hint: 'Your 03 serializeResponse is given the request method: for HEAD it leaves the body out, and keeps Content-Length.',
      });
      const css = await t.raw(`GET /static/style.css HTTP/1.1\r\nHost: localhost:${t.server.port}\r\n\r\n`);
      const etag = header(css.response!, 'ETag') ?? '""';
      const again = await t.raw(`GET /static/style.css HTTP/1.1\r\nHost: localhost:${t.server.port}\r\nIf-None-Match: ${etag}\r\n\r\n`);
      const end = again.bytes.indexOf('\r\n\r\n');
      t.check(again.response?.status === 304 && end !== -1 && again.bytes.length === end + 4, {
        summary: `The stylesheet asked for again with its ETag was answered ${again.response?.statusLine ?? '(nothing)'} with ${end === -1 ? '?' : again.bytes.length - end - 4} bytes of body.`,
        expected: 'HTTP/1.1 304 Not Modified, and nothing after the empty line (RFC 9110, section 15.4.5)',
        received: excerpt(again.bytes.toString('latin1'), 300),
        hint: 'Your 03 serializeResponse ends a 304 (and a 204) at the empty line, whatever body the handler left in it.',
      });
    });
  }

  lesson.behaviour('on your own stack, the trace says whose code read, built, parsed and wrote the request', async (t) => {
    const visitor = new Visitor(t);
    await sign(t, visitor, { name: '', message: `Whose code? ${hex()}` }, true);
    const events = t.lastTrace;
    const expected: [stage: string, name: string][] = [
      ['parse', whoseCode('02', 'parser')],
      ['objects', whoseCode('04', 'request object')],
      ['body', whoseCode('05', 'body parser')],
      ['serialize', whoseCode('03', 'serializer')],
    ];
    const wrong = expected.filter(([stage, name]) => events.find((e) => e.stage === stage)?.name !== name);
    t.check(wrong.length === 0, {
      summary: `The trace does not say ${wrong.map(([, name]) => name).join(', ')} handled the request.`,
      expected: expected.map(([stage, name]) => `${stage}: ${name}`).join('\n'),
      received: events.map((e) => `${e.stage}: ${e.name}`).join('\n') || '(no trace)',
      hint: 'The server was not started on the own stack: keep the plumbing at the bottom of server.ts (serve() from #provided/serve.ts) as it was given.',
    });
  });

  lesson.behaviour(
    'on your own stack, a visitor signs the guestbook in headless Chromium: the page, its stylesheet, the form, the 303 and the new entry',
    async (t) => {
      const browser = await launchBrowser();
      try {
        const page = await browser.context.newPage();
        const origin = `http://${t.server.host.includes(':') ? `[${t.server.host}]` : t.server.host}:${t.server.port}`;
        const statuses: string[] = [];
        page.on('response', (response) => statuses.push(`${response.request().method()} ${new URL(response.url()).pathname} ${response.status()}`));
        const first = await page.goto(`${origin}/`, { waitUntil: 'load' });
        t.check(first?.status() === 200, {
          summary: `In Chromium, GET / was answered ${first ? first.status() : 'with nothing'}, not 200 with the guestbook, so there was no form to sign.`,
          expected: '200 OK: the guestbook page with its form',
          received: first ? excerpt(await first.text(), 400) : '(no response)',
          hint: 'Get the behaviours above to pass first: they show the same request, and what your server printed.',
        });
        // A page without the form fails in seconds, not after Playwright's 30.
        page.setDefaultTimeout(Math.max(limits.requestMs, 5_000));
        const name = `Ada ${hex()}`;
        const message = `Signed in Chromium on my own stack, ${hex()}.`;
        await signInBrowser(t, page, name, message);
        const arrived = await page
          .getByText(thanks(name))
          .waitFor({ timeout: 5_000 })
          .then(() => true, () => false);
        const shownMessage = arrived ? await page.locator('.entry .message').first().textContent() : null;
        t.check(arrived && shownMessage === message && statuses.includes('GET /static/style.css 200'), {
          summary: 'In Chromium, signing the guestbook did not end on the guestbook with the thank-you and the new entry.',
          expected: `GET / 200, GET /static/style.css 200, POST /entries 303, GET / 200 with "${thanks(name)}" and the entry`,
          received: statuses.join('\n') || '(no response)',
          hint: `Run it yourself: npm run serve -- 13 --own-stack, and open http://localhost:${handPort}/ (this ran on ${ownStack.length ? `your ${ownStack.join(', ')}` : "the kit's pieces"}).`,
        });
      } finally {
        await browser.close();
      }
    },
    {
      timeoutMs: 60_000,
      afterTheOthersPass: 'Not tried in Chromium while a behaviour above fails: they check the same page and form without a browser, and explain more.',
    },
  );
}
