// Grades many edited copies of the solutions with few grader runs. Round k
// holds the k-th edited copy of every lesson, so one run covers all lessons;
// a few rounds run at once. A lesson that imports other lessons' folders (the
// last one) must meet their solutions, not their edited copies: its copies get
// rounds of their own, after the others.
import fs from 'node:fs';
import path from 'node:path';
import { discoverLessons, exerciseFiles, type Lesson } from '../../grader/engine/lessons.ts';
import { stateDir } from '../../grader/engine/paths.ts';
import { grade, type GradeRun } from './grade.ts';
import { applyEdits, type Edit } from './mutants.ts';

export interface EditedCopy {
  lesson: Lesson;
  name: string;
  edits: Edit[];
}

export interface RoundCase<T extends EditedCopy> {
  copy: T;
  /** The grader run that graded this copy. */
  run: () => Promise<GradeRun>;
}

const parallelRounds = 2;

function importsOtherLessons(lesson: Lesson): boolean {
  return exerciseFiles(lesson.solutionDir).some((file) =>
    /from '\.\.\/\d{2}-/.test(fs.readFileSync(path.join(lesson.solutionDir, file), 'utf8')),
  );
}

/**
 * Plans the rounds for `copies` (in each lesson's order) and returns one case
 * per copy; a round is graded the first time one of its cases asks for it.
 * `kind` names the folder (mutants, variants) so two suites never share one.
 */
export function planRounds<T extends EditedCopy>(kind: string, copies: T[], env: NodeJS.ProcessEnv = {}): RoundCase<T>[] {
  const perLesson = new Map<string, T[]>();
  for (const copy of copies) perLesson.set(copy.lesson.id, [...(perLesson.get(copy.lesson.id) ?? []), copy]);
  const lessons = [...new Set(copies.map((c) => c.lesson))];
  const ownRounds = Math.max(0, ...lessons.filter((l) => !importsOtherLessons(l)).map((l) => perLesson.get(l.id)!.length));
  const planned = lessons
    .flatMap((lesson) => {
      const offset = importsOtherLessons(lesson) ? ownRounds : 0;
      return perLesson.get(lesson.id)!.map((copy, index) => ({ copy, round: offset + index }));
    })
    .sort((a, b) => a.round - b.round);

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
            const inRound = planned.filter((p) => p.round === round).map((p) => p.copy);
            // Per process: two test runs at once must not delete each other's copies.
            const root = path.join(stateDir, kind, String(process.pid), `round-${round + 1}`);
            fs.rmSync(root, { recursive: true, force: true });
            // Every solution first: the last lesson imports the pieces of the earlier ones.
            for (const lesson of discoverLessons()) fs.cpSync(lesson.solutionDir, path.join(root, lesson.id), { recursive: true });
            for (const copy of inRound) applyEdits(copy.lesson.solutionDir, path.join(root, copy.lesson.id), copy.name, copy.edits);
            return await grade(root, inRound.map((c) => c.lesson.id), env);
          } finally {
            running--;
            waiting.shift()?.();
          }
        })(),
      );
    }
    return rounds.get(round)!;
  }

  return planned.map(({ copy, round }) => ({ copy, run: () => gradeRound(round) }));
}

/** The default export of test/<folder>/<lesson-id>.ts, or [] when there is none. */
export async function listFor<T>(folder: string, lesson: Lesson): Promise<T[]> {
  const file = path.join(import.meta.dirname, '..', folder, `${lesson.id}.ts`);
  return fs.existsSync(file) ? ((await import(file)) as { default: T[] }).default : [];
}
