// Turns requests and bytes into text a learner can read and paste.

/**
 * Quotes bytes so that \r, \n, tabs and other invisible bytes show. Valid
 * UTF-8 is shown as text; bytes that are not are shown as \xNN.
 */
export function quoteBytes(bytes: Uint8Array | string, limit = 600): string {
  // Only the part shown is decoded: bodies can be megabytes.
  const head = typeof bytes === 'string' ? bytes.slice(0, limit * 2) : bytes.subarray(0, limit * 4);
  const total = typeof bytes === 'string' ? bytes.length : bytes.length;
  const utf8 = typeof head === 'string' || isUtf8(head, head.length < total);
  const text = typeof head === 'string' ? head : Buffer.from(head).toString(utf8 ? 'utf8' : 'latin1');
  const shown = [...text].slice(0, limit);
  let out = '';
  for (const ch of shown) {
    const code = ch.codePointAt(0)!;
    if (ch === '\r') out += '\\r';
    else if (ch === '\n') out += '\\n\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\\') out += '\\\\';
    else if (code < 0x20 || code === 0x7f || (!utf8 && code >= 0x80)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  out = out.replace(/\n$/, '');
  const rest = total - Buffer.byteLength(shown.join(''), utf8 ? 'utf8' : 'latin1');
  return rest > 0 ? `${out}… (${rest} more bytes)` : out;
}

/** Whether the bytes are UTF-8; `cut` allows a character cut off at the end. */
function isUtf8(bytes: Uint8Array, cut: boolean): boolean {
  try {
    // stream: an incomplete last character waits for more input instead of failing.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: cut });
    return true;
  } catch {
    return false;
  }
}

/** Shell-quotes one argument with single quotes. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The port learners use by hand: `npm run serve` listens there. */
export const handPort = 3000;

/** `text` as a regular expression that matches exactly it. */
export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface CurlInput {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** A Host of the request's own ('' or null: none, which curl sends as `-H 'Host:'`). */
  host?: string | null;
  http10?: boolean;
  pathAsIs?: boolean;
}

/** The request as a curl command against `npm run serve`. */
export function curlCommand(input: CurlInput): string {
  const parts = ['curl', '-v'];
  if (input.http10) parts.push('--http1.0');
  if (input.pathAsIs) parts.push('--path-as-is');
  if (input.method === 'HEAD') parts.push('--head');
  else if (input.method !== 'GET' || input.body !== undefined) parts.push('-X', input.method);
  if (input.host !== undefined) parts.push('-H', shellQuote(input.host ? `Host: ${input.host}` : 'Host:'));
  // curl drops a header written "Name:" with nothing after it; "Name;" sends it empty.
  for (const [name, value] of Object.entries(input.headers ?? {})) parts.push('-H', shellQuote(value === '' ? `${name};` : `${name}: ${value}`));
  if (input.body !== undefined) parts.push('--data-binary', curlBody(input.body));
  parts.push(shellQuote(`http://localhost:${handPort}${input.path}`));
  return parts.join(' ');
}

/** A short text body as it is; a long or binary one as a file, which would bury the command. */
function curlBody(body: string | Uint8Array): string {
  const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
  const text = bytes.toString('utf8');
  if (bytes.length <= 300 && isUtf8(bytes, false) && !/[\0-\x08\x0e-\x1f]/.test(text)) return shellQuote(text);
  return `@body.${isUtf8(bytes, false) ? 'txt' : 'bin'}  # ${bytes.length} bytes, not shown`;
}

/** For bytes curl will not send as they are: printf piped into netcat. */
export function netcatCommand(bytes: Uint8Array | string, limit = 600): string {
  const all = typeof bytes === 'string' ? bytes : Buffer.from(bytes.subarray(0, limit + 1)).toString('latin1');
  const total = typeof bytes === 'string' ? bytes.length : bytes.length;
  const text = all.slice(0, limit);
  let escaped = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch === '\r') escaped += '\\r';
    else if (ch === '\n') escaped += '\\n';
    else if (ch === '%') escaped += '%%';
    else if (ch === '\\') escaped += '\\\\';
    else if (ch === "'") escaped += "'\\''";
    else if (code < 0x20 || code >= 0x7f) escaped += `\\${code.toString(8).padStart(3, '0')}`;
    else escaped += ch;
  }
  const cut = total > limit ? ` # … and ${total - limit} more bytes, not shown` : '';
  return `printf '${escaped}' | nc localhost ${handPort}${cut}`;
}

/** The first `limit` characters of a body, marking what was cut. */
export function excerpt(text: string, limit = 400): string {
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length - limit} more characters)` : text;
}
