// The mutant files grade every mutant of a lesson once: their shares make up the list, with nothing left out or repeated.
import { expect, test } from 'vitest';
import { mutantFiles, share } from '../support/mutant-suite.ts';

test.each([0, 1, 2, 3, 4, 88])('a list of %i shares out into lists that make it up again', (length) => {
  const list = Array.from({ length }, (_, i) => i);
  const shares = Array.from({ length: mutantFiles }, (_, i) => share(list, i + 1));
  expect(shares.flat().sort((a, b) => a - b)).toEqual(list);
  const sizes = shares.map((s) => s.length);
  expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
});
