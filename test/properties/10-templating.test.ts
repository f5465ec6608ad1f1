// Lesson 10's escaping, for any string at all: what the reference engine puts
// into a page never contains markup, always reads back as the value that went
// in, and `safe` (or markSafe) passes trusted HTML through untouched.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { markSafe, renderTemplate } from '../../solutions/10-templating/template.ts';

/** The five entities the engine writes, back to their characters (&amp; last, so "&amp;lt;" stays "&lt;"). */
const unescape = (html: string) =>
  html.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#x27;', "'").replaceAll('&amp;', '&');

/** Strings heavy in what matters to HTML, as well as any Unicode at all. */
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom('<', '>', '&', '"', "'", ';', '#', 'x', 'l', 't', 'a', 'm', 'p', ' ', '/') }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
);

describe('10-templating: escaping', () => {
  test('{{ s }} never yields < > " \' or an & that starts no entity', () => {
    fc.assert(
      fc.property(text, (s) => {
        const out = renderTemplate('{{ s }}', { s });
        expect(out).not.toMatch(/[<>"']/);
        expect(out).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#x27;)/);
      }),
    );
  });

  test('unescaping {{ s }} gives back s, so nothing is escaped twice', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(unescape(renderTemplate('{{ s }}', { s }))).toBe(s);
      }),
    );
  });

  test('inside an attribute the value cannot close the quotes', () => {
    fc.assert(
      fc.property(text, (s) => {
        const out = renderTemplate(`<a title="{{ s }}" data-x='{{ s }}'>`, { s });
        expect(out).toMatch(/^<a title="[^"]*" data-x='[^']*'>$/);
      }),
    );
  });

  test('join escapes every item and keeps the separator', () => {
    fc.assert(
      fc.property(fc.array(text), (items) => {
        const out = renderTemplate('{{ items|join:", " }}', { items });
        expect(out).not.toMatch(/[<>"']/);
        expect(unescape(out)).toBe(items.join(', '));
      }),
    );
  });

  test('|safe and markSafe pass HTML through unchanged', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(renderTemplate('{{ s|safe }}', { s })).toBe(s);
        expect(renderTemplate('{{ s }}', { s: markSafe(s) })).toBe(s);
      }),
    );
  });

  test('text outside tags is copied as it is', () => {
    fc.assert(
      fc.property(
        text.filter((s) => !/\{[{%#]/.test(s)),
        (s) => {
          expect(renderTemplate(s, {})).toBe(s);
        },
      ),
    );
  });
});
