// Lesson 13: the guestbook's views. Each gets a Request and returns a Response:
// a TemplateResponse, which your lesson-10 engine renders after the view has
// returned, or a redirect. The entries live in memory (entries.ts).
import { Response, type Request } from '#provided/http.ts';
import { TemplateResponse } from '../10-templating/template-response.ts';
import { getSession } from '../12-cookies-and-sessions/sessions.ts';
import { guestbook, type Entry } from './entries.ts';
// The limits, the messages and the thank-you, from a file the grader reads too.
import { errorMessages, MESSAGE_MAX, NAME_MAX, thanks } from '#provided/fixtures/13-the-whole-cycle.ts';

/** What the form sends, trimmed. */
export interface EntryForm {
  name: string;
  message: string;
}

/** One message per field that is wrong; {} when the form is fine. */
export type FormErrors = Partial<Record<keyof EntryForm, string>>;

// { name: '', message: 'Hi' } -> { name: 'Please tell us your name.' }; { name: 'Ada', message: 'Hi' } -> {}
export function validateEntry(form: EntryForm): FormErrors {
  const errors: FormErrors = {};
  // Count code points ("é" and "🙂" are one each), not UTF-16 code units ("🙂" is two).
  const length = (text: string) => [...text].length;
  if (!form.name) errors.name = errorMessages.nameMissing;
  else if (length(form.name) > NAME_MAX) errors.name = errorMessages.nameTooLong;
  if (!form.message) errors.message = errorMessages.messageMissing;
  else if (length(form.message) > MESSAGE_MAX) errors.message = errorMessages.messageTooLong;
  return errors;
}

// GET / -> 200, the guestbook: the entries newest first, the form (with the name
// the session remembers), and a thank-you once after signing
export function home(request: Request): Response {
  const session = getSession(request);
  const flash = session.get<string>('flash');
  // Shown once, like a message from Django's messages framework: deleting it
  // changes the session, so the sessions middleware writes the cookie again.
  if (flash !== undefined) session.delete('flash');
  return guestbookPage({ form: { name: session.get<string>('name') ?? '', message: '' }, errors: {}, flash });
}

// POST /entries name=Ada&message=Hello -> 303 See Other, Location: /
// POST /entries name=&message=Hello    -> 400, the form again with the error and "Hello", nothing stored
export function addEntry(request: Request): Response {
  // The csrf middleware has already checked the token: this view only sees forms from our own pages.
  const fields = new URLSearchParams(request.body.toString('utf8'));
  const form: EntryForm = { name: (fields.get('name') ?? '').trim(), message: (fields.get('message') ?? '').trim() };
  const errors = validateEntry(form);
  if (Object.keys(errors).length) {
    // 400, not 200: the request was wrong. The same page comes back with what they
    // typed, so nothing is lost; the template escapes it like any other value.
    return guestbookPage({ form, errors }, 400);
  }
  guestbook.add(form);
  const session = getSession(request);
  // Remembered for the next visit, and a thank-you for the page the redirect leads to.
  session.set('name', form.name);
  session.set('flash', thanks(form.name));
  // Post/Redirect/Get: 303 tells the browser to GET / next, so a reload repeats
  // that GET, never the POST (which would sign the guestbook twice).
  return Response.redirect('/', 303);
}

// GET /nowhere -> 404, "Page not found" and /nowhere, in the site's layout
export function pageNotFound(request: Request): Response {
  return new TemplateResponse('404.html', { path: request.path }, 404);
}

/** guestbook.html with the entries, newest first, and whatever else the page needs. */
function guestbookPage(context: { form: EntryForm; errors: FormErrors; flash?: string }, status = 200): TemplateResponse {
  // all() is oldest first, and a copy: reversing it leaves the store alone.
  const entries: Entry[] = guestbook.all().reverse();
  return new TemplateResponse('guestbook.html', { entries, ...context }, status);
}
