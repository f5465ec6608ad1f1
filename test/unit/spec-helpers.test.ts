// How the specs read what a server wrote: HTML text as a browser shows it, and
// a Content-Type by its grammar, whichever way a right server wrote them.
import { describe, expect, test } from 'vitest';
import { decodeHtml, labelledUtf8 } from '../../grader/engine/spec-helpers.ts';

describe('decodeHtml', () => {
  test('decodes the five an escaper writes, numeric references in decimal and hex, and &AMP; in any case', () => {
    expect(decodeHtml('&lt;b&gt; &amp; &quot;x&quot; &apos;y&#39; &#x27;z&#X27; &AMP;')).toBe(`<b> & "x" 'y' 'z' &`);
  });

  test('decodes the Latin-1 names, case-sensitively', () => {
    expect(decodeHtml('G&ouml;del, Caf&eacute;, &Ouml;l, &szlig;, &nbsp;&yuml;&copy;')).toBe('Gödel, Café, Öl, ß, \u00a0ÿ©');
  });

  test('decodes once, and leaves an unknown name or a bare & as written', () => {
    expect(decodeHtml('&amp;lt; &bogus; &OUML; a & b')).toBe('&lt; &bogus; &OUML; a & b');
    // Names of an object's own machinery are no references either.
    expect(decodeHtml('&constructor; &toString; &__proto__;')).toBe('&constructor; &toString; &__proto__;');
  });
});

describe('labelledUtf8', () => {
  test('reads a Content-Type by its grammar: any case, spaces around ";", an empty parameter, a quoted charset, other parameters', () => {
    for (const value of ['text/plain; charset=utf-8', 'Text/Plain;Charset="UTF-8"', 'text/plain ; charset=utf-8;', 'text/plain; format=fixed; charset=utf-8']) {
      expect(labelledUtf8(value, 'text/plain', 'required'), value).toBe(true);
    }
  });

  test('refuses another type, no charset where one is required, another or a second charset, and a broken parameter', () => {
    for (const value of [undefined, 'text/html; charset=utf-8', 'text/plain', 'text/plain; charset=latin1', 'text/plain; charset=utf-8; charset=utf-8', 'text/plain; charset', 'text/plainx; charset=utf-8']) {
      expect(labelledUtf8(value, 'text/plain', 'required'), String(value)).toBe(false);
    }
  });

  test('takes no charset where it is optional (JSON), but never another one', () => {
    expect(labelledUtf8('application/json', 'application/json', 'optional')).toBe(true);
    expect(labelledUtf8('application/json;', 'application/json', 'optional')).toBe(true);
    expect(labelledUtf8('application/json; charset=iso-8859-1', 'application/json', 'optional')).toBe(false);
  });
});
