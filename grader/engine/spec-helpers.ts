// Small readings of a response that several specs need, written once.
import { header, type Received } from './response.ts';

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
