// The two mutant files grade every mutant of a lesson once: the halves share out the list, with nothing left out or repeated.
import { expect, test } from 'vitest';
import { everyOther } from '../support/mutant-suite.ts';

test.each([0, 1, 2, 3, 88])('a list of %i shares out into two lists that make it up again', (length) => {
  const list = Array.from({ length }, (_, i) => i);
  const [first, second] = [everyOther(list, 1), everyOther(list, 2)];
  expect([...first, ...second].sort((a, b) => a - b)).toEqual(list);
  expect(first.length - second.length).toBeGreaterThanOrEqual(0);
  expect(first.length - second.length).toBeLessThanOrEqual(1);
});
