// Known-wrong solutions are caught: for each lesson's mutants, the behaviour
// named in the mutant fails, and fails as a wrong answer (not because the
// server never started). Each mutant is graded on its own server and only on
// the behaviour it names. Three test files grade a third each of every lesson's
// mutants (every third one), each in one grader run, so Vitest runs them side
// by side: a grader run grades the copies of a lesson one after another, and
// lesson 02's 88 mutants alone, in one run, made the longest wait of the suite
// (and two files of half the mutants each ran for up to 40 s).
import { describe, expect, test } from 'vitest';
import type { Lesson } from '../../grader/engine/lessons.ts';
import { copiesGrader, listFor } from './copies.ts';
import type { Mutant } from './mutants.ts';

/** How many test files share the mutants out: test/mutants-1, -2 and -3. */
export const mutantFiles = 3;

/**
 * Share `which` (1, 2 or 3) of a list: every third item, from the first, the second or the
 * third. A list groups a behaviour's mutants together, and the slow ones (a hang that waits
 * out the request limit) come in groups: taking every third one shares them between the runs.
 */
export function share<T>(list: T[], which: number): T[] {
  return list.filter((_, index) => index % mutantFiles === which - 1);
}

export async function mutantSuite(kind: string, lessons: Lesson[], which: number): Promise<void> {
  // ROUNDTRIP_LESSONS may select none of this file's lessons: say so (as skipped, never as passed).
  if (!lessons.length) return void test.skip(`no lesson of ${kind} is selected by ROUNDTRIP_LESSONS`);
  const mutants = await Promise.all(lessons.map(async (lesson) => ({ lesson, list: await listFor<Mutant>('mutants', lesson) })));

  if (which === 1) {
    test.each(mutants.map((m) => [m.lesson.id, m.list.length]))('%s has at least three mutants', (_id, count) => {
      expect(count).toBeGreaterThanOrEqual(3);
    });
  }

  const copies = mutants.flatMap(({ lesson, list }) =>
    share(list, which).map((mutant) => ({ lesson, name: `Mutant "${mutant.name}"`, edits: [mutant], only: [mutant.caughtBy], mutant })),
  );
  // A mutant that hangs costs a request time-out, and the copies of a lesson are graded one after
  // another: a short one keeps the run quick. Any failure but a server that never started counts as
  // caught, so a short limit cannot let a mutant through (the hunts that prove each mutant is caught
  // for its own reason run with the ordinary limits).
  const graded = copiesGrader(kind, copies, { ROUNDTRIP_REQUEST_TIMEOUT_MS: '1000' });

  describe('mutants', () => {
    test.each(copies.map((c) => [c.lesson.id, c.mutant.name, c]))('%s: "%s" is caught', { timeout: 600_000 }, async (id, _name, copy) => {
      const run = await graded();
      const outcome = run.outcomes(copy)?.[copy.mutant.caughtBy];
      expect(outcome, `no behaviour "${copy.mutant.caughtBy}" in ${id}\n${run.output}`).toBeDefined();
      expect(outcome!.status).toBe('failed');
      expect(['mismatch', 'timeout', 'connection', 'crash']).toContain(outcome!.kind);
    });
  });
}
