// The two mutant files grade every mutant of a lesson once: the halves split the list, in order, with nothing left out or repeated.
import { expect, test } from 'vitest';
import { half } from '../support/mutant-suite.ts';

test.each([0, 1, 2, 3, 88])('a list of %i splits into two halves that make it up again', (length) => {
  const list = Array.from({ length }, (_, i) => i);
  const [first, second] = [half(list, 1), half(list, 2)];
  expect([...first, ...second]).toEqual(list);
  expect(first.length - second.length).toBeGreaterThanOrEqual(0);
  expect(first.length - second.length).toBeLessThanOrEqual(1);
});
