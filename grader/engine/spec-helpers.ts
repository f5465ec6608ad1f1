// Small readings of a response that several specs need, written once.
import { header, type Received } from './response.ts';

/** What a browser shows for HTML text: character references decoded, once. */
export function decodeHtml(html: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return html.replace(/&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos));/gi, (_, dec?: string, hexCode?: string, name?: string) =>
    dec ? String.fromCodePoint(Number(dec)) : hexCode ? String.fromCodePoint(parseInt(hexCode, 16)) : named[name!.toLowerCase()]!,
  );
}

/** The methods of an Allow header, upper case and sorted: "GET, post" -> ['GET', 'POST']. */
export function allowedMethods(response: Pick<Received, 'headers'>): string[] {
  return (header(response, 'Allow') ?? '')
    .split(',')
    .map((method) => method.trim().toUpperCase())
    .filter(Boolean)
    .sort();
}
