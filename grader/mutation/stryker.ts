// Mutation testing of the graders with StrykerJS: Stryker mutates a lesson's
// reference solution (only the code a learner writes: files with a TODO in the
// stub, above "Don't change anything below this line") and runs that lesson's
// check against each mutant. The check starts the server in a child process;
// Stryker's mutation switching reads the active mutant from the environment
// (__STRYKER_ACTIVE_MUTANT__), which the grader passes down to the server, so
// the mutant is live inside the learner's server process.
import fs from 'node:fs';
import path from 'node:path';
import type { LogLevel } from '@stryker-mutator/api/core';
import { exerciseFiles, type Lesson } from '../engine/lessons.ts';
import { stateDir, workbookRoot } from '../engine/paths.ts';

export interface Survivor {
  file: string;
  line: number;
  mutator: string;
  replacement: string;
}

/** A survivor that no behaviour can kill, with the reason (test/mutation/NN-slug.json). */
export interface Equivalent extends Survivor {
  reason: string;
}

export interface LessonScore {
  lesson: string;
  total: number;
  killed: number;
  survived: Survivor[];
  /** Survivors listed as equivalent, with their reasons. */
  equivalent: number;
  /** Mutants that do not compile or were ignored: not counted. */
  invalid: number;
  /** killed / (total - equivalent - invalid), in percent. */
  score: number;
}

const dontChange = /Don't change anything below this line/;

/** The `mutate` patterns: each learner-written file, up to its "Don't change" line. */
export function mutationTargets(lesson: Lesson): string[] {
  const targets: string[] = [];
  for (const file of exerciseFiles(lesson.exerciseDir)) {
    if (!file.endsWith('.ts')) continue;
    const stub = fs.readFileSync(path.join(lesson.exerciseDir, file), 'utf8');
    if (!stub.includes('TODO')) continue;
    const solution = fs.readFileSync(path.join(lesson.solutionDir, file), 'utf8').split('\n');
    const stop = solution.findIndex((line) => dontChange.test(line));
    const relative = path.relative(workbookRoot, path.join(lesson.solutionDir, file)).split(path.sep).join('/');
    targets.push(stop === -1 ? relative : `${relative}:1-${stop}`);
  }
  return targets;
}

export function equivalentsFile(lesson: Lesson): string {
  return path.join(workbookRoot, 'test', 'mutation', `${lesson.id}.json`);
}

export function readEquivalents(lesson: Lesson): Equivalent[] {
  const file = equivalentsFile(lesson);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Equivalent[]) : [];
}

const sameMutant = (a: Survivor, b: Survivor) => a.file === b.file && a.line === b.line && a.mutator === b.mutator && a.replacement === b.replacement;

/** Runs Stryker on one lesson and scores it. */
export async function mutateLesson(lesson: Lesson, options: { concurrency: number }): Promise<LessonScore> {
  const { Stryker } = await import('@stryker-mutator/core');
  const reportFile = path.join(stateDir, 'mutation', `${lesson.id}.json`);
  fs.mkdirSync(path.dirname(reportFile), { recursive: true });
  const stryker = new Stryker({
    testRunner: 'command',
    // The lesson's own check, against the (mutated) solutions folder of Stryker's sandbox.
    commandRunner: { command: `node grader/cli/roundtrip.mjs check ${lesson.number} --target solutions` },
    mutate: mutationTargets(lesson),
    coverageAnalysis: 'off',
    concurrency: options.concurrency,
    reporters: ['progress', 'json'],
    jsonReporter: { fileName: path.relative(workbookRoot, reportFile) },
    tempDirName: '.roundtrip/stryker-tmp',
    cleanTempDir: 'always',
    // A server stuck in a loop is killed by the check's own limits; this is the backstop.
    timeoutMS: 30_000,
    ignorePatterns: ['.roundtrip', 'site', 'docs', 'test', '.git'],
    plugins: [],
    logLevel: 'warn' as LogLevel,
  });
  await stryker.runMutationTest();
  return scoreReport(lesson, JSON.parse(fs.readFileSync(reportFile, 'utf8')) as MutationReport);
}

interface MutationReport {
  files: Record<string, { mutants: { mutatorName: string; replacement?: string; status: string; location: { start: { line: number } } }[] }>;
}

export function scoreReport(lesson: Lesson, report: MutationReport): LessonScore {
  const equivalents = readEquivalents(lesson);
  let total = 0;
  let killed = 0;
  let invalid = 0;
  let equivalent = 0;
  const survived: Survivor[] = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const mutant of mutants) {
      total++;
      const found: Survivor = { file: path.basename(file), line: mutant.location.start.line, mutator: mutant.mutatorName, replacement: mutant.replacement ?? '' };
      if (mutant.status === 'Killed' || mutant.status === 'Timeout') killed++;
      else if (mutant.status === 'CompileError' || mutant.status === 'RuntimeError' || mutant.status === 'Ignored') invalid++;
      else if (equivalents.some((e) => sameMutant(e, found))) equivalent++;
      else survived.push(found);
    }
  }
  const counted = total - equivalent - invalid;
  return { lesson: lesson.id, total, killed, survived, equivalent, invalid, score: counted ? (100 * killed) / counted : 100 };
}
