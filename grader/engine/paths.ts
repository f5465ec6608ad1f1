// Where things live. ROUNDTRIP_ROOT lets the workbook's own tests point the CLI
// at a scratch copy, so `reset` and `solution` can be tested without touching
// the real exercises.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder that holds the grader's code: always this checkout. The CLI runs
 * bundled (see cli/roundtrip.mjs), where import.meta.url is the bundle's, so it says.
 */
export const graderRoot = process.env.ROUNDTRIP_GRADER_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The workbook: lessons/, exercises/, solutions/ and the learner's state. */
export const workbookRoot = process.env.ROUNDTRIP_ROOT
  ? path.resolve(process.env.ROUNDTRIP_ROOT)
  : path.resolve(graderRoot, '..');

export const lessonsDir = path.join(workbookRoot, 'lessons');
export const exercisesDir = path.join(workbookRoot, 'exercises');
export const solutionsDir = path.join(workbookRoot, 'solutions');
export const specsDir = path.join(graderRoot, 'specs');

/** Git-ignored state: progress, backups, scratch copies for mutants. */
export const stateDir = path.join(workbookRoot, '.roundtrip');

/**
 * Whether `dir` is inside the workbook the grader belongs to (its package.json
 * maps the `#provided/…` imports every exercise uses); another drive is outside.
 */
export function insideGraderWorkbook(dir: string): boolean {
  const relative = path.relative(path.resolve(graderRoot, '..'), path.resolve(dir));
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** Shown to learners: paths relative to the workbook, with forward slashes. */
export function displayPath(file: string): string {
  return path.relative(workbookRoot, file).split(path.sep).join('/') || '.';
}
