// A browser, as far as a grader needs one: it keeps the cookies a server sets
// and sends them back, and it submits forms. For the lessons on cookies,
// sessions and CSRF, and the whole-cycle journey.
import type { Check } from './check.ts';
import { headerValues, type Received } from './response.ts';
import { startTags } from './spec-helpers.ts';

export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names in lower case; a flag such as HttpOnly has the value ''. */
  attributes: Map<string, string>;
  /** The header value as received. */
  line: string;
}

/** "sessionid=abc; Path=/; HttpOnly" → { name: 'sessionid', value: 'abc', attributes: { path: '/', httponly: '' } } */
export function parseSetCookie(line: string): SetCookie {
  const [pair = '', ...rest] = line.split(';');
  const eq = pair.indexOf('=');
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const i = part.indexOf('=');
    const key = (i === -1 ? part : part.slice(0, i)).trim().toLowerCase();
    if (key) attributes.set(key, i === -1 ? '' : part.slice(i + 1).trim());
  }
  return { name: (eq === -1 ? pair : pair.slice(0, eq)).trim(), value: eq === -1 ? '' : pair.slice(eq + 1).trim(), attributes, line };
}

export const setCookies = (response: Received): SetCookie[] => headerValues(response, 'set-cookie').map(parseSetCookie);

/** The last Set-Cookie for `name`: the one a browser keeps. */
export const setCookie = (response: Received, name: string): SetCookie | undefined => setCookies(response).findLast((c) => c.name === name);

/** Every Set-Cookie line, for a failure report. */
export const showSetCookies = (response: Received): string =>
  headerValues(response, 'set-cookie').map((v) => `Set-Cookie: ${v}`).join('\n') || '(no Set-Cookie header)';

/** Whether a browser would delete the cookie: Max-Age of 0 or less (it wins over Expires), or an Expires in the past. */
export function deletes(cookie: SetCookie): boolean {
  const maxAge = cookie.attributes.get('max-age');
  if (maxAge !== undefined && /^-?\d+$/.test(maxAge)) return Number(maxAge) <= 0;
  const expires = cookie.attributes.get('expires');
  return expires !== undefined && Date.parse(expires) < Date.now();
}

export interface VisitorRequest {
  method?: string;
  path: string;
  /** Sent as application/x-www-form-urlencoded, with POST unless a method is given. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  trace?: boolean;
}

/** Sends the cookies it holds with each request through t.request, and keeps the ones it is given. */
export class Visitor {
  readonly jar = new Map<string, string>();

  constructor(private readonly t: Check) {}

  async send(request: VisitorRequest): Promise<Received> {
    const headers: Record<string, string> = {};
    if (this.jar.size) headers.Cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
    let body: string | undefined;
    if (request.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    }
    Object.assign(headers, request.headers);
    const method = request.method ?? (request.form ? 'POST' : 'GET');
    const response = await this.t.request({ method, path: request.path, headers, body, trace: request.trace });
    for (const cookie of setCookies(response)) {
      if (deletes(cookie)) this.jar.delete(cookie.name);
      else this.jar.set(cookie.name, cookie.value);
    }
    return response;
  }
}

/** The value of a page's hidden csrfmiddlewaretoken field, if there is one. */
export function formToken(html: string): string | undefined {
  // Read as a browser reads the tag: a quoted attribute beside it may hold ">".
  return startTags(html, 'input').find(({ attributes }) => attributes.get('name') === 'csrfmiddlewaretoken')?.attributes.get('value');
}
