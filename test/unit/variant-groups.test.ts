// Variants graded together (see support/variant-suite.ts): a group's edits all
// apply, one after another; variants whose edits clash go to different groups;
// no group is larger than asked; every variant is in exactly one group, in order.
import { expect, test } from 'vitest';
import { discoverLessons } from '../../grader/engine/lessons.ts';
import type { Variant } from '../support/mutants.ts';
import { variantGroups } from '../support/variant-suite.ts';

const lesson = discoverLessons().find((l) => l.number === 1)!;
const variant = (name: string, find: string, replace: string): Variant => ({ name, edits: [{ find, replace }] });

const splitInThree = variant('a', "const [method = '', target = '', version = ''] = firstLine.split(' ');", "const [method = '', target = '', version = ''] = firstLine.split(' ', 3);");
const bodyReworded = variant('b', 'you asked for ${line.method}', 'you sent ${line.method}');
// Changes the same text as b, so it cannot be applied after it.
const bodyClash = variant('c', 'you asked for ${line.method}', 'your method: ${line.method}');
const charset = variant('d', 'text/plain; charset=utf-8', 'text/plain;charset=UTF-8');

test('variants whose edits apply one after another share a group, in their order', () => {
  expect(variantGroups(lesson, [splitInThree, bodyReworded, charset]).map((g) => g.map((v) => v.name))).toEqual([['a', 'b', 'd']]);
});

test('a variant whose edit clashes with a group goes to another', () => {
  expect(variantGroups(lesson, [bodyReworded, bodyClash, charset]).map((g) => g.map((v) => v.name))).toEqual([['b', 'd'], ['c']]);
});

test('no group is larger than asked, and each variant is in one group', () => {
  const groups = variantGroups(lesson, [splitInThree, bodyReworded, charset, bodyClash], 2);
  expect(groups.map((g) => g.map((v) => v.name))).toEqual([['a', 'b'], ['d', 'c']]);
  expect(variantGroups(lesson, [splitInThree, bodyReworded], 1)).toEqual([[splitInThree], [bodyReworded]]);
});

test('a variant marked alone has a group of its own, which no other joins', () => {
  const alone = { ...bodyReworded, alone: 'clashes with another' };
  expect(variantGroups(lesson, [alone, splitInThree, charset]).map((g) => g.map((v) => v.name))).toEqual([['b'], ['a', 'd']]);
});
