// Known-wrong solutions are caught: for each lesson's mutants, the behaviour
// named in the mutant fails. Mutants are graded in rounds: round k holds the
// k-th mutant of every lesson, so one grader run covers all lessons.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { selectedLessons } from './support/selection.ts';
import { stateDir } from '../grader/engine/paths.ts';
import { grade } from './support/grade.ts';
import { applyMutant, type Mutant } from './support/mutants.ts';

const lessons = selectedLessons();
const mutantsOf = new Map<string, Mutant[]>();
for (const lesson of lessons) {
  const file = path.join(import.meta.dirname, 'mutants', `${lesson.id}.ts`);
  mutantsOf.set(lesson.id, fs.existsSync(file) ? ((await import(file)) as { default: Mutant[] }).default : []);
}

test.each(lessons.map((l) => [l.id]))('%s has at least three mutants', (id) => {
  expect(mutantsOf.get(id)!.length).toBeGreaterThanOrEqual(3);
});

const rounds = Math.max(0, ...[...mutantsOf.values()].map((m) => m.length));
for (let round = 0; round < rounds; round++) {
  const inRound = lessons.flatMap((l) => {
    const mutant = mutantsOf.get(l.id)![round];
    return mutant ? [{ lesson: l, mutant }] : [];
  });
  describe(`mutants, round ${round + 1}`, async () => {
    const root = path.join(stateDir, 'mutants', `round-${round + 1}`);
    fs.rmSync(root, { recursive: true, force: true });
    for (const { lesson, mutant } of inRound) applyMutant(lesson.solutionDir, path.join(root, lesson.id), mutant);
    const run = await grade(root, inRound.map(({ lesson }) => lesson.id));

    test.each(inRound.map(({ lesson, mutant }) => [lesson.id, mutant.name, mutant]))('%s: "%s" is caught', (id, _name, mutant) => {
      const outcome = run.lessons[id]?.[mutant.caughtBy];
      expect(outcome, `no behaviour "${mutant.caughtBy}" in ${id}\n${run.stdout}${run.stderr}`).toBeDefined();
      expect(outcome!.status).toBe('failed');
      expect(outcome!.kind).not.toBe('todo');
    });
  });
}
