// Which lesson a command means when none is given: the first one not passed yet.
import { discoverLessons, findLesson, type Lesson } from '../engine/lessons.ts';
import { readProgress } from '../engine/progress.ts';
import { UserError } from '../engine/user-error.ts';

/** The one lesson named (`usage` says how, when more are given), or the first not passed yet. */
export function lessonFromArgs(positionals: string[], usage: string): Lesson {
  // "npm run hint -- 1 3" or "npm run reset -- 1 2" would otherwise act on lesson 1 alone, silently.
  if (positionals.length > 1) throw new UserError(`One lesson at a time: "${positionals.slice(1).join(' ')}" is more than this command takes.\nUsage: ${usage}`);
  const lessons = discoverLessons();
  if (positionals[0]) return findLesson(positionals[0], lessons);
  const progress = readProgress();
  return lessons.find((l) => !progress.lessons[l.id]?.passed) ?? lessons.at(-1)!;
}
