// Many copies of lessons graded in one Vitest run: the workbook's own tests
// grade hundreds of edited solutions (mutants, valid variants) this way, and a
// teacher could grade a class. Each copy is a lesson folder of its own; a spec
// grades every copy of its lesson, one after another, each against its own
// server, and names each in its results (Vitest's describe block).
import fs from 'node:fs';
import path from 'node:path';
import { graderRoot, insideGraderWorkbook } from './paths.ts';
import { UserError } from './user-error.ts';

export interface LessonCopy {
  /** How the results name it: `Mutant "…"`, a student's name. */
  label: string;
  /** The lesson id whose spec grades it: 02-anatomy-of-a-request. */
  lesson: string;
  /** The copy's folder (its server.ts is the entry). */
  dir: string;
  /** Grade only these behaviours (all when absent). */
  only?: string[];
}

/** Reads a --copies file: a JSON array of { label, lesson, dir, only? }. */
export function readCopies(file: string, lessonIds: string[]): LessonCopy[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`Could not read the copies file ${file}: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new UserError(`${file} should hold a non-empty JSON array of { label, lesson, dir, only? }.`);
  const labels = new Set<string>();
  return parsed.map((entry: Partial<LessonCopy>, index) => {
    const where = `${file}, entry ${index + 1}`;
    if (typeof entry?.label !== 'string' || typeof entry.lesson !== 'string' || typeof entry.dir !== 'string') {
      throw new UserError(`${where}: label, lesson and dir must be strings.`);
    }
    if (!lessonIds.includes(entry.lesson)) throw new UserError(`${where}: no lesson "${entry.lesson}".`);
    if (!fs.existsSync(entry.dir)) throw new UserError(`${where}: the folder ${entry.dir} does not exist.`);
    if (!insideGraderWorkbook(entry.dir)) {
      throw new UserError(`${where}: ${entry.dir} is outside the workbook (${path.resolve(graderRoot, '..')}). A copy imports #provided/… through the workbook's package.json, so it must sit inside it: under .roundtrip/, say.`);
    }
    if (entry.only !== undefined && !(Array.isArray(entry.only) && entry.only.every((name) => typeof name === 'string'))) {
      throw new UserError(`${where}: only must be a list of behaviour names.`);
    }
    const key = `${entry.lesson}\n${entry.label}`;
    if (labels.has(key)) throw new UserError(`${where}: two copies of ${entry.lesson} are labelled "${entry.label}".`);
    labels.add(key);
    return { label: entry.label, lesson: entry.lesson, dir: path.resolve(entry.dir), ...(entry.only ? { only: entry.only } : {}) };
  });
}
