// Known-wrong solutions are caught: for each lesson's mutants, the behaviour
// named in the mutant fails, and fails as a wrong answer (not because the
// server never started). Mutants are graded in rounds: round k holds the k-th
// mutant of every lesson, so one grader run covers all lessons; a few rounds
// run at once.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { discoverLessons, exerciseFiles, type Lesson } from '../grader/engine/lessons.ts';
import { stateDir } from '../grader/engine/paths.ts';
import { grade, type GradeRun } from './support/grade.ts';
import { applyMutant, type Mutant } from './support/mutants.ts';
import { selectedLessons } from './support/selection.ts';

const lessons = selectedLessons();
const mutantsOf = new Map<string, Mutant[]>();
for (const lesson of lessons) {
  const file = path.join(import.meta.dirname, 'mutants', `${lesson.id}.ts`);
  mutantsOf.set(lesson.id, fs.existsSync(file) ? ((await import(file)) as { default: Mutant[] }).default : []);
}

test.each(lessons.map((l) => [l.id]))('%s has at least three mutants', (id) => {
  expect(mutantsOf.get(id)!.length).toBeGreaterThanOrEqual(3);
});

/**
 * A lesson that imports other lessons' folders (the last one) must meet their
 * solutions, not their mutants: its mutants get rounds of their own, after
 * the others.
 */
function importsOtherLessons(lesson: Lesson): boolean {
  return exerciseFiles(lesson.solutionDir).some((file) =>
    /from '\.\.\/\d{2}-/.test(fs.readFileSync(path.join(lesson.solutionDir, file), 'utf8')),
  );
}

const ownRounds = Math.max(0, ...lessons.filter((l) => !importsOtherLessons(l)).map((l) => mutantsOf.get(l.id)!.length));
const cases = lessons
  .flatMap((lesson) => {
    const offset = importsOtherLessons(lesson) ? ownRounds : 0;
    return mutantsOf.get(lesson.id)!.map((mutant, index) => ({ lesson, mutant, round: offset + index }));
  })
  .sort((a, b) => a.round - b.round);

const parallelRounds = 2;
let running = 0;
const waiting: (() => void)[] = [];
const rounds = new Map<number, Promise<GradeRun>>();

function gradeRound(round: number): Promise<GradeRun> {
  if (!rounds.has(round)) {
    rounds.set(
      round,
      (async () => {
        while (running >= parallelRounds) await new Promise<void>((resolve) => waiting.push(resolve));
        running++;
        try {
          const inRound = cases.filter((c) => c.round === round);
          // Per process: two test runs at once must not delete each other's mutants.
          const root = path.join(stateDir, 'mutants', String(process.pid), `round-${round + 1}`);
          fs.rmSync(root, { recursive: true, force: true });
          // Every solution first: the last lesson imports the pieces of the earlier ones.
          for (const lesson of discoverLessons()) fs.cpSync(lesson.solutionDir, path.join(root, lesson.id), { recursive: true });
          for (const { lesson, mutant } of inRound) applyMutant(lesson.solutionDir, path.join(root, lesson.id), mutant);
          // A mutant that hangs costs a request time-out; a shorter one keeps the rounds quick.
          return await grade(root, inRound.map(({ lesson }) => lesson.id), { ROUNDTRIP_REQUEST_TIMEOUT_MS: '2000' });
        } finally {
          running--;
          waiting.shift()?.();
        }
      })(),
    );
  }
  return rounds.get(round)!;
}

describe.concurrent('mutants', () => {
  test.each(cases.map((c) => [c.lesson.id, c.mutant.name, c]))('%s: "%s" is caught', async (id, _name, { mutant, round }) => {
    const run = await gradeRound(round);
    const outcome = run.lessons[id]?.[mutant.caughtBy];
    expect(outcome, `no behaviour "${mutant.caughtBy}" in ${id}\n${run.stdout}${run.stderr}`).toBeDefined();
    expect(outcome!.status).toBe('failed');
    expect(['mismatch', 'timeout', 'connection', 'crash']).toContain(outcome!.kind);
  });
});
