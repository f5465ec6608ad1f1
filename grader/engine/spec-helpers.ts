// Small pieces that several specs need, written once: readings of a response, and test data.
import { handPort } from './format.ts';
import type { Random } from './random.ts';
import { header, type Received } from './response.ts';

/**
 * A behaviour's `serverEnv` that starts its server in `timeZone` with its
 * clock reading `instant` (see listen-probe.cjs), whatever the real date, so
 * that a check of a time fails a wrong getter on every day. The server's handle
 * says how far its clock runs ahead: `t.server.clockOffsetMs`.
 */
export function clockAt(instant: number, timeZone: string): () => Record<string, string> {
  return () => ({ TZ: timeZone, ROUNDTRIP_CLOCK_OFFSET_MS: String(instant - Date.now()) });
}

/**
 * A stack frame ("at crash (/app/views.ts:93:9)", "at node:internal/timers:594:17": a path, then a
 * line and a column) or a TypeScript file's name: what an error page must not show. A time of day
 * ("at 10:46:12") is no frame.
 */
export const stackTraceOrSource = /\bat [^\n]*[/\\][^\s()]*:\d+:\d+|[\w/.-]+\.ts\b/;

/** HTML's named references for U+00A0 to U+00FF, in code point order: &eacute; is é, &ouml; is ö. */
const latin1Names = (
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest ' +
  'Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig ' +
  'agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml'
).split(' ');
const latin1 = new Map(latin1Names.map((name, i) => [name, String.fromCodePoint(0xa0 + i)]));
/** The five an escaper must write; HTML also knows &AMP;, &LT;, &GT; and &QUOT;, so these are read in any case. */
const escaped = new Map(Object.entries({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }));

/**
 * What a browser shows for HTML text: character references decoded, once. Numeric ones, the five of
 * escapeHtml, and the Latin-1 names (case-sensitive: &Ouml; is Ö), so that "Gödel" may be written
 * "G&ouml;del", as an escaper that names every character it can does. Other names are left as written.
 */
export function decodeHtml(html: string): string {
  return html.replace(/&(?:#(\d+)|#[xX]([0-9a-fA-F]+)|([A-Za-z][A-Za-z0-9]*));/g, (reference, dec?: string, hexCode?: string, name?: string) =>
    dec ? String.fromCodePoint(Number(dec)) : hexCode ? String.fromCodePoint(parseInt(hexCode, 16)) : (latin1.get(name!) ?? escaped.get(name!.toLowerCase()) ?? reference),
  );
}

/**
 * The methods of an Allow header, sorted: "POST, GET" -> ['GET', 'POST'].
 * Method names are case-sensitive (RFC 9110, section 9.1): "get" is not GET.
 */
export function allowedMethods(response: Pick<Received, 'headers'>): string[] {
  return (header(response, 'Allow') ?? '')
    .split(',')
    .map((method) => method.trim())
    .filter(Boolean)
    .sort();
}

/**
 * Sign-ins that must fail, made from a real user: the password with something
 * added, an empty password, and an unknown user with the real password.
 */
export function wrongCredentials([username, password]: readonly [string, string], random: Pick<Random, 'hex'>): [username: string, password: string][] {
  return [
    [username, `${password}-${random.hex(2)}`],
    [username, ''],
    [`mallory-${random.hex(2)}`, password],
  ];
}

/**
 * Where a redirect sends the browser: its Location resolved against the URL of the request
 * (`from`, a path), as a browser does (RFC 9110, section 10.2.2), so "/account", "account" and
 * "http://localhost/account" are alike. Undefined without a Location, or with one no URL parser reads.
 */
export function redirectTarget(response: Pick<Received, 'headers'>, from: string): URL | undefined {
  const location = header(response, 'Location');
  if (!location) return undefined;
  try {
    return new URL(location, `http://localhost:${handPort}${from}`);
  } catch {
    return undefined;
  }
}

/**
 * Each start tag named `tagName` (input, form…) on the page, with its attributes as a browser reads them: a quoted
 * value may hold ">" (the engine need not escape it there), names in any letter case, the first of a repeated
 * attribute wins. Read left to right, one attribute at a time, so the time taken grows with the page, never faster.
 */
export function startTags(html: string, tagName: string): { tag: string; attributes: Map<string, string>; end: number }[] {
  return [...html.matchAll(new RegExp(`<${tagName}(?=[\\s/>])`, 'gi'))].map((open) => {
    const attributes = new Map<string, string>();
    const attribute = /[\s/]*(?:([^\s/>=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?)?/y;
    attribute.lastIndex = open.index + open[0].length;
    for (let match = attribute.exec(html); match?.[1] !== undefined; match = attribute.exec(html)) {
      const [, name, double, single, bare] = match;
      if (!attributes.has(name.toLowerCase())) attributes.set(name.toLowerCase(), decodeHtml(double ?? single ?? bare ?? ''));
    }
    const end = attribute.lastIndex + 1;
    return { tag: html.slice(open.index, end), attributes, end };
  });
}

/** A token (RFC 9110, section 5.6.2), as a pattern's source: a method, a field name, a media type, a parameter's name. */
export const tokenPattern = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
/** What stands between the quotes of a quoted-string (RFC 9110, section 5.6.4), as a pattern's source; unescape it with /\\(.)/g. */
export const quotedTextPattern = '(?:[^"\\\\]|\\\\.)*';

const mediaTypeStart = new RegExp(`^(${tokenPattern}/${tokenPattern})`);
/** One ";" and the parameter after it, which may be empty (RFC 9110, section 5.6.6: parameters = *( OWS ";" OWS [ parameter ] )). */
const parameterPattern = new RegExp(`[ \\t]*;[ \\t]*(?:(${tokenPattern})=(${tokenPattern}|"${quotedTextPattern}"))?`, 'y');

/**
 * Whether a Content-Type is `type` labelled UTF-8, however it is spelt (RFC 9110, section 8.3.1): type,
 * subtype and parameter names in any case, spaces or tabs around each ";", an empty parameter (a ";" at
 * the end), the charset bare or quoted, other parameters beside it. One charset, and it is UTF-8: required
 * for `charset: 'required'`, and with 'optional' absent or UTF-8.
 */
export function labelledUtf8(value: string | undefined, type: string, charset: 'required' | 'optional'): boolean {
  const start = value === undefined ? null : mediaTypeStart.exec(value);
  if (!start || start[1]!.toLowerCase() !== type) return false;
  const charsets: string[] = [];
  for (let at = start[0].length; at < value!.length; ) {
    parameterPattern.lastIndex = at;
    const parameter = parameterPattern.exec(value!);
    if (!parameter) return false;
    at += parameter[0].length;
    const [, name, raw] = parameter;
    if (name?.toLowerCase() === 'charset') charsets.push(raw!.startsWith('"') ? raw!.slice(1, -1).replace(/\\(.)/g, '$1') : raw!);
  }
  return charsets.length === 1 ? charsets[0]!.toLowerCase() === 'utf-8' : charset === 'optional' && charsets.length === 0;
}
