// How the specs read HTML text: as a browser shows it, each character
// reference decoded once, whichever way a right escaper wrote it.
import { describe, expect, test } from 'vitest';
import { decodeHtml } from '../../grader/engine/spec-helpers.ts';

describe('decodeHtml', () => {
  test('decodes the five an escaper writes, numeric references in decimal and hex, and &AMP; in any case', () => {
    expect(decodeHtml('&lt;b&gt; &amp; &quot;x&quot; &apos;y&#39; &#x27;z&#X27; &AMP;')).toBe(`<b> & "x" 'y' 'z' &`);
  });

  test('decodes the Latin-1 names, case-sensitively', () => {
    expect(decodeHtml('G&ouml;del, Caf&eacute;, &Ouml;l, &szlig;, &nbsp;&yuml;&copy;')).toBe('Gödel, Café, Öl, ß, \u00a0ÿ©');
  });

  test('decodes once, and leaves an unknown name or a bare & as written', () => {
    expect(decodeHtml('&amp;lt; &bogus; &OUML; a & b')).toBe('&lt; &bogus; &OUML; a & b');
  });
});
