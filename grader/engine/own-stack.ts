// Lesson 13's own-stack mode, on the grader's side: which of the learner's
// pieces of lessons 02–05 carry the requests (see provided/own-stack.ts), passed
// to the server in its environment. A piece is the learner's once its lesson
// has passed; the kit's stands in before that.
import path from 'node:path';
import { ownStackLessons, pieceFiles, whose } from '../../provided/own-stack.ts';
import { discoverLessons, findLesson, type Lesson } from './lessons.ts';
import { exercisesDir } from './paths.ts';
import { readProgress } from './progress.ts';
import { UserError } from './user-error.ts';

/** The only lesson that runs on the own stack. */
export function ownStackLesson(lessons = discoverLessons()): Lesson {
  return findLesson('13', lessons);
}

/** --own-stack grades lesson 13 alone: no lesson named means 13, another lesson is a UserError. */
export function checkOwnStackLessons(lessons: Lesson[], usage: string): void {
  const capstone = ownStackLesson();
  const others = lessons.filter((l) => l.id !== capstone.id);
  if (others.length) throw new UserError(`--own-stack is for lesson 13 only, not ${others.map((l) => l.id.slice(0, 2)).join(', ')}.\nUsage: ${usage}`);
}

export interface OwnStack {
  /** For the server: ROUNDTRIP_OWN_STACK (the lessons whose pieces are the learner's) and ROUNDTRIP_OWN_STACK_DIR. */
  env: Record<string, string>;
  /** "your 02 parser, the kit's serializer (lesson 03 not passed yet), …" */
  description: string;
  /** The lessons whose pieces are the learner's: ['02', '05']. */
  lessons: string[];
}

/**
 * The pieces to use for the lesson folders in `dir`. For exercises/, the lessons
 * passed (in .roundtrip/progress.json); for another folder (--target, a
 * teacher's), all of them; ROUNDTRIP_OWN_STACK, when set, decides.
 */
export function ownStackFor(dir: string, requestedDir = dir): OwnStack {
  const progress = readProgress();
  const lessons = discoverLessons();
  const idOf = (n: string) => lessons.find((l) => l.id.startsWith(`${n}-`))?.id ?? n;
  const fromEnv = process.env.ROUNDTRIP_OWN_STACK;
  const mine =
    fromEnv !== undefined
      ? ownStackLessons.filter((n) => fromEnv.split(/[\s,]+/).some((given) => given.padStart(2, '0') === n))
      : path.resolve(requestedDir) === path.resolve(exercisesDir)
        ? ownStackLessons.filter((n) => progress.lessons[idOf(n)]?.passed)
        : [...ownStackLessons];
  const description = ownStackLessons
    .map((n) => {
      const yours = mine.includes(n);
      const why = yours ? '' : fromEnv !== undefined ? ' (not in ROUNDTRIP_OWN_STACK)' : ` (lesson ${n} not passed yet)`;
      return `${whose(n, yours)}${why}`;
    })
    .join(', ');
  return { env: { ROUNDTRIP_OWN_STACK: mine.join(','), ROUNDTRIP_OWN_STACK_DIR: path.resolve(dir) }, description, lessons: mine };
}

export { pieceFiles };
