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

// `Tom & "Jerry" <b>` -> 'Tom &amp; &quot;Jerry&quot; &lt;b&gt;'
export function escapeHtml(text: string): string {
  // & goes first: escaped last, it would turn the & of "&lt;" into "&amp;lt;".
  // The quotes matter inside attributes: title="{{ x }}" must not end early.
  // These are the five entities Django's escape() produces.
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#x27;');
}

// undefined -> ''; 42 -> '42'; markSafe('<b>') -> '<b>'
export function toText(value: unknown): string {
  // A missing variable renders as nothing, like Django's default string_if_invalid ''.
  if (value === undefined || value === null) return '';
  return value instanceof SafeString ? value.html : String(value);
}

// 'a < b' -> 'a &lt; b'; markSafe('<b>hi</b>') -> '<b>hi</b>'
export function conditionalEscape(value: unknown): string {
  // Safe HTML was escaped (or written) by someone responsible for it: escaping
  // it again would show the visitor "&amp;lt;b&amp;gt;".
  return value instanceof SafeString ? value.html : escapeHtml(toText(value));
}

// '', 0, false, [], undefined -> false; 'x', 1, ['a'] -> true
export function isTruthy(value: unknown): boolean {
  // Python's idea of truth, which Django's {% if %} uses: an empty list is false,
  // although JavaScript calls [] true.
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof SafeString) return value.html !== '';
  return Boolean(value);
}

/** A filter gets the value and the argument after the colon, if there is one. */
export type Filter = (value: unknown, argument?: unknown) => unknown;

export const filters: Record<string, Filter> = {
  // 'Ada' -> 'ADA'. The result is plain text again, so it is escaped like any other.
  upper: (value) => toText(value).toUpperCase(),
  // 'Ada' -> 'ada'
  lower: (value) => toText(value).toLowerCase(),
  // ['a', 'b'] -> 2; 'abc' -> 3; anything else -> 0, as Django's length does
  length: (value) => (Array.isArray(value) || typeof value === 'string' ? value.length : 0),
  // '' with "anonymous" -> 'anonymous'; 'Ada' -> 'Ada'
  default: (value, fallback) => (isTruthy(value) ? value : fallback),
  // ['a', '<b>'] with ", " -> 'a, &lt;b&gt;', already escaped, so marked safe
  join: (value, separator = '') =>
    Array.isArray(value) ? markSafe(value.map(conditionalEscape).join(conditionalEscape(separator))) : value,
  // '<em>hi</em>' -> the same HTML, inserted unescaped
  safe: (value) => markSafe(toText(value)),
};
