// Small pieces that several specs need, written once: readings of a response, and test data.
import { handPort } from './format.ts';
import type { Random } from './random.ts';
import { header, type Received } from './response.ts';

/**
 * A behaviour's `serverEnv` that starts its server in `timeZone` with its
 * clock reading `instant` (see listen-probe.mjs), whatever the real date, so
 * that a check of a time fails a wrong getter on every day. The server's handle
 * says how far its clock runs ahead: `t.server.clockOffsetMs`.
 */
export function clockAt(instant: number, timeZone: string): () => Record<string, string> {
  return () => ({ TZ: timeZone, ROUNDTRIP_CLOCK_OFFSET_MS: String(instant - Date.now()) });
}

/** What a browser shows for HTML text: character references decoded, once. */
export function decodeHtml(html: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return html.replace(/&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos));/gi, (_, dec?: string, hexCode?: string, name?: string) =>
    dec ? String.fromCodePoint(Number(dec)) : hexCode ? String.fromCodePoint(parseInt(hexCode, 16)) : named[name!.toLowerCase()]!,
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
