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

// TODO: Return an error for each field that is empty or longer than NAME_MAX
// (MESSAGE_MAX) characters, using errorMessages.
// { name: '', message: 'Hi' } -> { name: 'Please tell us your name.' }; { name: 'Ada', message: 'Hi' } -> {}
export function validateEntry(form: EntryForm): FormErrors {
  throw new Error('TODO: check the name and the message (validateEntry in views.ts)');
}

// TODO: Answer a TemplateResponse for guestbook.html with the context { entries, form,
// errors, flash }: the entries newest first (guestbook.all() is oldest first), a form
// with the session's 'name' (or '') and no message, no errors, and the session's
// 'flash', which you then delete from the session: it shows once.
// GET / -> 200, the guestbook: the entries newest first, the form (with the name
// the session remembers), and a thank-you once after signing
export function home(request: Request): Response {
  throw new Error('TODO: show the guestbook (home in views.ts)');
}

// TODO: Read name and message from the URL-encoded body, trimmed, and validate them.
// Errors: guestbook.html again, with the errors and the form as typed, status 400.
// Fine: store the entry, set the session's 'name' to the name and its 'flash' to
// thanks(name), and redirect to / with 303 See Other.
// POST /entries name=Ada&message=Hello -> 303 See Other, Location: /
// POST /entries name=&message=Hello    -> 400, the form again with the error and "Hello", nothing stored
export function addEntry(request: Request): Response {
  throw new Error('TODO: validate and store the entry, or show the errors (addEntry in views.ts)');
}

// TODO: Answer a TemplateResponse for 404.html, with the path asked for as `path`, status 404.
// GET /nowhere -> 404, "Page not found" and /nowhere, in the site's layout
export function pageNotFound(request: Request): Response {
  throw new Error('TODO: show the 404 page (pageNotFound in views.ts)');
}
