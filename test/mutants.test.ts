// Known-wrong solutions are caught: for each lesson's mutants, the behaviour
// named in the mutant fails, and fails as a wrong answer (not because the
// server never started). Every mutant is graded in one grader run, on the
// behaviour that must catch it.
import { describe, expect, test } from 'vitest';
import { copiesGrader, listFor } from './support/copies.ts';
import type { Mutant } from './support/mutants.ts';
import { selectedLessons } from './support/selection.ts';

const lessons = selectedLessons();
const mutants = await Promise.all(lessons.map(async (lesson) => ({ lesson, list: await listFor<Mutant>('mutants', lesson) })));

test.each(mutants.map((m) => [m.lesson.id, m.list.length]))('%s has at least three mutants', (_id, count) => {
  expect(count).toBeGreaterThanOrEqual(3);
});

const copies = mutants.flatMap(({ lesson, list }) =>
  list.map((mutant) => ({ lesson, name: `Mutant "${mutant.name}"`, edits: [mutant], only: [mutant.caughtBy], mutant })),
);
// A mutant that hangs costs a request time-out; a shorter one keeps the run quick.
const graded = copiesGrader('mutants', copies, { ROUNDTRIP_REQUEST_TIMEOUT_MS: '2000' });

describe('mutants', () => {
  test.each(copies.map((c) => [c.lesson.id, c.mutant.name, c]))('%s: "%s" is caught', { timeout: 600_000 }, async (id, _name, copy) => {
    const run = await graded();
    const outcome = run.outcomes(copy)?.[copy.mutant.caughtBy];
    expect(outcome, `no behaviour "${copy.mutant.caughtBy}" in ${id}\n${run.output}`).toBeDefined();
    expect(outcome!.status).toBe('failed');
    expect(['mismatch', 'timeout', 'connection', 'crash']).toContain(outcome!.kind);
  });
});
