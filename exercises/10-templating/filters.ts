// Lesson 10: what a value becomes on its way into the page. Every value is
// escaped for HTML unless it was marked safe, and filters transform it first:
// {{ name|upper }}, {{ tags|join:", " }}, {{ nickname|default:"anonymous" }}.

/** HTML that someone vouched for: the engine inserts it as it is. Like Django's SafeString. */
export class SafeString {
  constructor(readonly html: string) {}

  toString(): string {
    return this.html;
  }
}

/** Marks trusted HTML as safe, like Django's mark_safe(). Never give it anything a visitor typed. */
export function markSafe(html: string): SafeString {
  return new SafeString(html);
}

// TODO: Replace the five characters that HTML gives a meaning: & < > " '
// with the entities Django uses: &amp; &lt; &gt; &quot; &#x27;
// `Tom & "Jerry" <b>` -> 'Tom &amp; &quot;Jerry&quot; &lt;b&gt;'
export function escapeHtml(text: string): string {
  throw new Error('TODO: escape & < > " and \' for HTML (escapeHtml in filters.ts)');
}

// TODO: Turn a value into the text a template shows. A missing value (undefined
// or null) shows as nothing; a SafeString as its HTML.
// undefined -> ''; 42 -> '42'; markSafe('<b>') -> '<b>'
export function toText(value: unknown): string {
  throw new Error('TODO: turn a value into text (toText in filters.ts)');
}

// TODO: Escape a value for the page, unless it is a SafeString.
// 'a < b' -> 'a &lt; b'; markSafe('<b>hi</b>') -> '<b>hi</b>'
export function conditionalEscape(value: unknown): string {
  throw new Error('TODO: escape a value unless it is safe (conditionalEscape in filters.ts)');
}

// TODO: Decide truth the way Django's {% if %} does (Python's way): an empty
// list is false, although JavaScript calls [] true.
// '', 0, false, [], undefined -> false; 'x', 1, ['a'] -> true
export function isTruthy(value: unknown): boolean {
  throw new Error('TODO: decide whether a value is true in a template (isTruthy in filters.ts)');
}

/** A filter gets the value and the argument after the colon, if there is one. */
export type Filter = (value: unknown, argument?: unknown) => unknown;

const todo = (name: string): Filter => () => {
  throw new Error(`TODO: write the ${name} filter (filters in filters.ts)`);
};

// TODO: Write the six filters. Only join and safe return a SafeString.
export const filters: Record<string, Filter> = {
  upper: todo('upper'), //     'Ada' -> 'ADA'
  lower: todo('lower'), //     'Ada' -> 'ada'
  length: todo('length'), //   ['a', 'b'] -> 2; 'abc' -> 3; anything else -> 0
  default: todo('default'), // '' with "anonymous" -> 'anonymous'; 'Ada' -> 'Ada'
  join: todo('join'), //       ['a', '<b>'] with ", " -> 'a, &lt;b&gt;' (each part escaped, the whole safe)
  safe: todo('safe'), //       '<em>hi</em>' -> markSafe('<em>hi</em>')
};
