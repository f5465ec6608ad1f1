// Heading anchors the way GitHub makes them, so a link such as
// `06-middleware.md#short-circuits` works on GitHub, in the site, and in the
// lesson lint alike.
import type { Token } from 'marked';

/** "`Content-Length` counts bytes" → "content-length-counts-bytes". */
export function headingSlug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Hands out unique slugs: a second "Hints" heading becomes "hints-1", as on GitHub. */
export class Slugger {
  private readonly seen = new Map<string, number>();

  slug(text: string): string {
    const base = headingSlug(text);
    let slug = base;
    while (this.seen.has(slug)) {
      const n = this.seen.get(base)! + 1;
      this.seen.set(base, n);
      slug = `${base}-${n}`;
    }
    this.seen.set(slug, 0);
    return slug;
  }
}

/** The text of inline tokens without their Markdown: what GitHub slugs. */
export function plainText(tokens: Token[] | undefined): string {
  return (tokens ?? [])
    .map((token) => {
      if ('tokens' in token && token.tokens?.length) return plainText(token.tokens);
      if (token.type === 'codespan' || token.type === 'text' || token.type === 'escape') return token.text;
      return 'text' in token && typeof token.text === 'string' ? token.text : '';
    })
    .join('');
}
