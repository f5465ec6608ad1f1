// Grades many edited copies of the solutions (mutants, valid variants) in one
// grader run: `npm run check -- --copies FILE --reporter json`. Each copy is a
// lesson folder beside links to the solutions of the lessons it imports from,
// so a lesson that imports earlier lessons' folders (13 imports 06–12) meets
// their solutions, not other copies.
import fs from 'node:fs';
import path from 'node:path';
import type { JsonTestResults } from 'vitest/node';
import { buildDirOf } from '../../grader/engine/compile.ts';
import type { LessonCopy } from '../../grader/engine/copies.ts';
import { discoverLessons, type Lesson } from '../../grader/engine/lessons.ts';
import { stateDir } from '../../grader/engine/paths.ts';
import { normalLimits, runCli, type BehaviourOutcome } from './grade.ts';
import { applyEdits, type Edit } from './mutants.ts';

export interface EditedCopy {
  lesson: Lesson;
  /** Unique within its lesson: `Mutant "counts characters, not bytes"`. */
  name: string;
  edits: Edit[];
  /** Grade only these behaviours (all when absent). */
  only?: string[];
}

export interface CopiesRun {
  code: number | null;
  output: string;
  durationMs: number;
  /** The behaviours graded for a copy: behaviour name → outcome; undefined when the copy has no results. */
  outcomes(copy: EditedCopy): Record<string, BehaviourOutcome> | undefined;
  /** The same, for a folder graded under `label` (see gradeFolders). */
  outcomesOf(lesson: string, label: string): Record<string, BehaviourOutcome> | undefined;
}

/**
 * Grades `copies` in one grader run, once: the first caller starts it, every
 * caller gets the same run. `kind` names the scratch folder (mutants,
 * variants), per process, so two suites or two test runs never share one.
 */
export function copiesGrader(kind: string, copies: EditedCopy[], env: NodeJS.ProcessEnv = {}): () => Promise<CopiesRun> {
  let run: Promise<CopiesRun> | undefined;
  return () => (run ??= gradeCopies(path.join(stateDir, kind, String(process.pid)), copies, env));
}

async function gradeCopies(root: string, copies: EditedCopy[], env: NodeJS.ProcessEnv): Promise<CopiesRun> {
  fs.rmSync(root, { recursive: true, force: true });
  const lessons = discoverLessons();
  const listed = copies.map((copy, index) => ({ label: copy.name, lesson: copy.lesson.id, dir: placeCopy(path.join(root, String(index)), copy, lessons), only: copy.only }));
  try {
    return await gradeFolders(root, listed, env);
  } finally {
    // Builds are kept per entry file: these copies' entries never come back.
    for (const copy of listed) fs.rmSync(buildDirOf(path.join(copy.dir, 'server.ts')), { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Grades lesson folders that exist already (a fixture's, a placed copy's) in one
 * grader run, `check --copies` with the JSON reporter; its files go in `root`.
 */
export async function gradeFolders(root: string, listed: LessonCopy[], env: NodeJS.ProcessEnv = {}): Promise<CopiesRun> {
  fs.mkdirSync(root, { recursive: true });
  const copiesFile = path.join(root, 'copies.json');
  const reportFile = path.join(root, 'report.json');
  fs.writeFileSync(copiesFile, JSON.stringify(listed));
  const run = await runCli(['check', '--copies', copiesFile, '--reporter', 'json', '--output-file', reportFile], { ...normalLimits, ...env }, { timeoutMs: 600_000 });
  const results = fs.existsSync(reportFile) ? readResults(reportFile) : new Map<string, Record<string, BehaviourOutcome>>();
  return {
    code: run.code,
    output: `${run.stdout}${run.stderr}`,
    durationMs: run.durationMs,
    outcomes: (copy) => results.get(key(copy.lesson.id, copy.name)),
    outcomesOf: (lesson, label) => results.get(key(lesson, label)),
  };
}

/**
 * Writes the edited lesson folder into `into`, beside links to the solutions of
 * the lessons it imports from (`../06-middleware/…`). Only those: a link costs
 * about half a millisecond of system time here, and the suite places a thousand copies.
 */
export function placeCopy(into: string, copy: EditedCopy, lessons: Lesson[] = discoverLessons()): string {
  const dir = path.join(into, copy.lesson.id);
  applyEdits(copy.lesson.solutionDir, dir, copy.name, copy.edits);
  const imported = importedLessons(dir);
  for (const other of lessons) {
    if (other.id !== copy.lesson.id && imported.has(other.id)) fs.symlinkSync(other.solutionDir, path.join(into, other.id), 'dir');
  }
  return dir;
}

/** The lesson folders that the TypeScript files in `dir` import from, by id. */
function importedLessons(dir: string): Set<string> {
  const ids = new Set<string>();
  for (const file of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    for (const [, id] of fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/from\s+['"]\.\.\/(\d\d-[^/'"]+)\//g)) ids.add(id!);
  }
  return ids;
}

/** Vitest's JSON report → lesson and copy → behaviour → outcome. */
function readResults(reportFile: string): Map<string, Record<string, BehaviourOutcome>> {
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as JsonTestResults;
  const results = new Map<string, Record<string, BehaviourOutcome>>();
  for (const file of report.testResults) {
    const lesson = path.basename(file.name).replace(/\.spec\.ts$/, '');
    for (const a of file.assertionResults) {
      const copyKey = key(lesson, a.ancestorTitles[0] ?? '');
      const outcomes = results.get(copyKey) ?? {};
      outcomes[a.title] = { status: a.status, kind: a.meta?.failure?.kind, summary: a.meta?.failure?.summary };
      results.set(copyKey, outcomes);
    }
  }
  return results;
}

function key(lesson: string, label: string): string {
  return `${lesson}\n${label}`;
}

/** The default export of test/<folder>/<lesson-id>.ts, or [] when there is none. */
export async function listFor<T>(folder: string, lesson: Lesson): Promise<T[]> {
  const file = path.join(import.meta.dirname, '..', folder, `${lesson.id}.ts`);
  return fs.existsSync(file) ? ((await import(file)) as { default: T[] }).default : [];
}
