// ROUNDTRIP_LESSONS=02,03 limits the workbook's own tests to some lessons,
// for contributors working on one lesson. CI always runs them all.
import { discoverLessons, findLesson, type Lesson } from '../../grader/engine/lessons.ts';

export function selectedLessons(): Lesson[] {
  const all = discoverLessons();
  const wanted = process.env.ROUNDTRIP_LESSONS?.split(',').map((s) => s.trim()).filter(Boolean);
  return wanted?.length ? wanted.map((q) => findLesson(q, all)) : all;
}
