// Grades many edited copies of the solutions with few grader runs. Round k
// holds the k-th edited copy of every lesson, so one run covers all lessons;
// a few rounds run at once. A lesson that imports other lessons' folders (13
// imports 06–12, and a lesson 14 may import 13) must meet their solutions, not
// their edited copies: lessons are layered by what they import, and each layer
// gets rounds of its own, after the layers it imports from.
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
  /** Which round grades it, from 0. */
  round: number;
  /** The grader run that graded this copy. */
  run: () => Promise<GradeRun>;
}

const parallelRounds = 2;

/** The lesson ids a solution imports by relative path: `from '../06-middleware/compose.ts'` → 06-middleware. */
export function importedLessons(lesson: Lesson): string[] {
  const ids = exerciseFiles(lesson.solutionDir).flatMap((file) =>
    [...fs.readFileSync(path.join(lesson.solutionDir, file), 'utf8').matchAll(/from '\.\.\/(\d{2}-[a-z0-9-]+)\//g)].map((m) => m[1]!),
  );
  return [...new Set(ids)].filter((id) => id !== lesson.id);
}

/** 0 for a lesson that imports no other; otherwise one more than the deepest lesson it imports. */
export function importLayers(lessons: Lesson[]): Map<string, number> {
  const byId = new Map(discoverLessons().map((l) => [l.id, l]));
  for (const lesson of lessons) byId.set(lesson.id, lesson);
  const layers = new Map<string, number>();
  const layerOf = (id: string, seen: string[]): number => {
    if (layers.has(id)) return layers.get(id)!;
    const lesson = byId.get(id);
    if (!lesson || seen.includes(id)) return 0;
    const imported = importedLessons(lesson).map((other) => layerOf(other, [...seen, id]));
    const layer = imported.length ? 1 + Math.max(...imported) : 0;
    layers.set(id, layer);
    return layer;
  };
  for (const lesson of lessons) layerOf(lesson.id, []);
  return layers;
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
  const layers = importLayers(lessons);
  // Each layer starts after the rounds of the layers below it.
  const offsets: number[] = [];
  for (let layer = 0, next = 0; layer <= Math.max(0, ...layers.values()); layer++) {
    offsets[layer] = next;
    next += Math.max(0, ...lessons.filter((l) => layers.get(l.id) === layer).map((l) => perLesson.get(l.id)!.length));
  }
  const planned = lessons
    .flatMap((lesson) => perLesson.get(lesson.id)!.map((copy, index) => ({ copy, round: offsets[layers.get(lesson.id)!]! + index })))
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
            // Every solution first: a lesson may import the pieces of earlier ones.
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

  return planned.map(({ copy, round }) => ({ copy, round, run: () => gradeRound(round) }));
}

/** The default export of test/<folder>/<lesson-id>.ts, or [] when there is none. */
export async function listFor<T>(folder: string, lesson: Lesson): Promise<T[]> {
  const file = path.join(import.meta.dirname, '..', folder, `${lesson.id}.ts`);
  return fs.existsSync(file) ? ((await import(file)) as { default: T[] }).default : [];
}
