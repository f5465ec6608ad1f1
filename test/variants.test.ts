// Right answers written another way pass: for each lesson's variants (other
// header order and case, extra harmless headers, reworded bodies, another
// internal structure), every behaviour of the lesson passes.
import { describe, expect, test } from 'vitest';
import type { Variant } from './support/mutants.ts';
import { listFor, planRounds } from './support/rounds.ts';
import { selectedLessons } from './support/selection.ts';

const lessons = selectedLessons();
const variants = await Promise.all(lessons.map(async (lesson) => ({ lesson, list: await listFor<Variant>('variants', lesson) })));

test.each(variants.map((v) => [v.lesson.id, v.list.length]))('%s has at least two valid variants', (_id, count) => {
  expect(count).toBeGreaterThanOrEqual(2);
});

const cases = planRounds(
  'variants',
  variants.flatMap(({ lesson, list }) => list.map((variant) => ({ lesson, name: `Variant "${variant.name}"`, edits: variant.edits }))),
);

describe.concurrent('variants', () => {
  test.each(cases.map((c) => [c.copy.lesson.id, c.copy.name, c]))('%s: %s passes', async (id, _name, { run }) => {
    const graded = await run();
    const behaviours = graded.lessons[id];
    expect(behaviours, `no results for ${id}\n${graded.stdout}${graded.stderr}`).toBeDefined();
    const failed = Object.entries(behaviours!).filter(([, o]) => o.status !== 'passed').map(([name, o]) => `${name}: ${o.kind} ${o.summary}`);
    expect(failed).toEqual([]);
  });
});
