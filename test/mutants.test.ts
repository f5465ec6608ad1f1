// Known-wrong solutions are caught: for each lesson's mutants, the behaviour
// named in the mutant fails, and fails as a wrong answer (not because the
// server never started).
import { describe, expect, test } from 'vitest';
import type { Mutant } from './support/mutants.ts';
import { listFor, planRounds } from './support/rounds.ts';
import { selectedLessons } from './support/selection.ts';

const lessons = selectedLessons();
const mutants = await Promise.all(lessons.map(async (lesson) => ({ lesson, list: await listFor<Mutant>('mutants', lesson) })));

test.each(mutants.map((m) => [m.lesson.id, m.list.length]))('%s has at least three mutants', (_id, count) => {
  expect(count).toBeGreaterThanOrEqual(3);
});

// A mutant that hangs costs a request time-out; a shorter one keeps the rounds quick.
const cases = planRounds(
  'mutants',
  mutants.flatMap(({ lesson, list }) => list.map((mutant) => ({ lesson, name: `Mutant "${mutant.name}"`, edits: [mutant], mutant }))),
  { ROUNDTRIP_REQUEST_TIMEOUT_MS: '2000' },
);

describe.concurrent('mutants', () => {
  test.each(cases.map((c) => [c.copy.lesson.id, c.copy.mutant.name, c]))('%s: "%s" is caught', async (id, _name, { copy, run }) => {
    const graded = await run();
    const outcome = graded.lessons[id]?.[copy.mutant.caughtBy];
    expect(outcome, `no behaviour "${copy.mutant.caughtBy}" in ${id}\n${graded.stdout}${graded.stderr}`).toBeDefined();
    expect(outcome!.status).toBe('failed');
    expect(['mismatch', 'timeout', 'connection', 'crash']).toContain(outcome!.kind);
  });
});
