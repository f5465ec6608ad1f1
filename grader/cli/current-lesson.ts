// Which lesson a command means when none is given: the first one not passed yet.
import { discoverLessons, findLesson, type Lesson } from '../engine/lessons.ts';
import { readProgress } from '../engine/progress.ts';

export function lessonFromArgs(positionals: string[]): Lesson {
  const lessons = discoverLessons();
  if (positionals[0]) return findLesson(positionals[0], lessons);
  const progress = readProgress();
  return lessons.find((l) => !progress.lessons[l.id]?.passed) ?? lessons.at(-1)!;
}
