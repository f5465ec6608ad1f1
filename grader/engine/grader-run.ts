// Runs lesson specs with Vitest, once or on every save, with the Roundtrip
// reporter (and Vitest's JSON and JUnit reporters for classrooms), and makes sure
// no learner server outlives the run.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SerializedError, Vitest } from 'vitest/node';
import { graderTestOptions } from '../vitest-options.ts';
import { relativeJsonReporter } from '../reporter/json-reporter.ts';
import { RoundtripReporter } from '../reporter/roundtrip-reporter.ts';
import type { LessonResult } from '../reporter/results.ts';
import type { LessonCopy } from './copies.ts';
import type { WorkerConfig } from './worker-config.ts';
import { escapeRegExp } from './format.ts';
import { discoverLessons, findLesson, type Lesson } from './lessons.ts';
import { exercisesDir, graderRoot, insideGraderWorkbook, stateDir } from './paths.ts';
import { lessonProgress, updateProgress } from './progress.ts';
import { limits } from './limits.ts';
import { killRegistered } from './server-process.ts';
import { ownStackFor } from './own-stack.ts';
import { typeCheckSession, typecheckLessons, type TypeDiagnostic } from './typecheck.ts';
import { UserError } from './user-error.ts';
import { RunClock, savesIn } from './saves.ts';
import { expectedSetup, WarmPool } from './warm-workers.ts';
import { symbols } from '../ui/style.ts';

export interface GraderOptions {
  lessonQueries: string[];
  /** The folder holding one folder per lesson; exercises/ by default. */
  target?: string;
  /** 'json' and/or 'junit' for machines, all from one grading; the Roundtrip reporter otherwise. */
  reporters?: string[];
  /** Where each machine reporter writes: a file per reporter name, or '*' for the only one. */
  outputFiles?: Record<string, string>;
  verbose?: boolean;
  /** Print nothing (benchmarks). */
  quiet?: boolean;
  /** Watch mode: the exercise folders whose changes trigger a re-grade. */
  watch?: { poll: boolean };
  /** Told about every finished run (watch mode, benchmarks). */
  onRunEnd?: (results: LessonResult[]) => void;
  /** Grade these copies of lessons instead of the target's folders (machine reporters only; see copies.ts). */
  copies?: LessonCopy[];
  /** Lesson 13 on the learner's own pieces of lessons 02–05 (see provided/own-stack.ts); told which pieces. */
  ownStack?: { onChoice?: (description: string) => void };
}

const machineReporters = ['json', 'junit'];

/** What the last run ended with, for the exit code. */
interface RunState {
  results: LessonResult[];
  unhandled: ReadonlyArray<SerializedError>;
}

export async function createGrader(options: GraderOptions) {
  const all = discoverLessons();
  const lessons = lessonsToGrade(options, all);
  const requested = checkedFolder(options.target, lessons);
  const machine = machineReporterEntries(options.reporters ?? [], options.outputFiles ?? {});
  const target = stageTarget(requested, all);
  const pidDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtrip-servers-'));
  const ownStack = setServerEnvironment(options, target, requested, pidDir);
  const cleanUp = stopServersOnExit(pidDir);
  const state: RunState = { results: [], unhandled: [] };
  // An own-stack check is an extra: it never changes whether lesson 13 counts as passed.
  const recordsProgress = requested === path.resolve(exercisesDir) && !options.ownStack && !options.copies;
  const clock = new RunClock();
  const learnerReporter = roundtripReporter(options, state, recordsProgress, machine.length > 0, typeErrorsPerRun(options, lessons, target), clock);
  // Vitest's workers start loading now, before Vitest itself (see warm-workers.ts).
  const pool = warmPool(options, lessons.length);
  const start = async (watch: boolean) =>
    startGrading({
      lessons,
      config: { target, copies: options.copies ?? [], ownStack },
      reporters: [learnerReporter, ...(await machineReporterInstances(machine))],
      pool,
      watch,
      poll: options.watch?.poll ?? false,
      onSave: (file) => learnerReporter.saved(file),
      clock,
    });

  return {
    lessons,
    /** Grades once; resolves to the exit code (0 only when everything passed). */
    async runOnce(): Promise<number> {
      const vitest = await start(false);
      await vitest.close();
      await pool.close();
      cleanUp();
      const everythingPassed =
        state.results.length === lessons.length && state.results.every((r) => r.passed) && state.unhandled.length === 0;
      return everythingPassed ? 0 : 1;
    },
    /** Grades, then again on every change, until the process is interrupted. */
    async watch(): Promise<Vitest> {
      return start(true);
    },
    cleanUp,
  };
}

/** As many workers as the run will use, loading before Vitest; watch mode keeps one loaded for the next save. */
function warmPool(options: GraderOptions, specs: number): WarmPool {
  const pool = new WarmPool(harnessBundle);
  pool.prestart(Math.min(specs, graderTestOptions.maxWorkers), expectedSetup(options.watch !== undefined));
  if (options.watch) pool.keepOneSpare();
  return pool;
}

/** Vitest's machine reporters, once Vitest is loaded. */
async function machineReporterInstances(machine: [string, { outputFile?: string }][]): Promise<unknown[]> {
  return Promise.all(machine.map(async ([name, reporterOptions]) => (name === 'json' ? relativeJsonReporter(reporterOptions) : ([name, reporterOptions] as const))));
}

/**
 * The type errors of each run, checked beside the grading in a worker thread
 * (see typecheck.ts): a one-off check begins now, while the servers start;
 * watch mode keeps one type checker, which parses again only what a save changed.
 */
function typeErrorsPerRun(options: GraderOptions, lessons: Lesson[], target: string): () => Promise<TypeDiagnostic[]> {
  // ROUNDTRIP_TYPECHECK=off: the workbook's own tests, where they do not look at type errors
  // (a first check of a file costs about a second of CPU; see test/vitest.config.ts).
  if (process.env.ROUNDTRIP_TYPECHECK === 'off') return async () => [];
  const printing = !options.quiet && !options.reporters?.some((name) => machineReporters.includes(name));
  const dirs = lessons.map((l) => path.join(target, l.id));
  const session = options.watch ? typeCheckSession() : undefined;
  if (printing) session?.warm(dirs, target);
  const typeCheck = () => (session?.check ?? typecheckLessons)(dirs, target);
  let first = printing && !options.watch ? typeCheck() : undefined;
  return () => {
    // Once the first result is used, each watch re-run checks afresh (an unchanged lesson comes from the cache).
    const errors = first ?? typeCheck();
    first = undefined;
    return errors;
  };
}

/** The lessons a run grades: those its copies belong to, those asked for, or all. */
function lessonsToGrade(options: GraderOptions, all: Lesson[]): Lesson[] {
  if (options.copies) return all.filter((l) => options.copies!.some((copy) => copy.lesson === l.id));
  return options.lessonQueries.length ? options.lessonQueries.map((q) => findLesson(q, all)) : all;
}

/**
 * What the learner servers (child processes) and this process read from the
 * environment; the specs get their part through Vitest's provide. Returns the
 * lessons whose pieces lesson 13 runs on with --own-stack (null without).
 */
function setServerEnvironment(options: GraderOptions, target: string, requested: string, pidDir: string): string[] | null {
  // The reporter names the folder; every server registers its pid for the clean-up.
  process.env.ROUNDTRIP_TARGET = target;
  process.env.ROUNDTRIP_PID_DIR = pidDir;
  if (!options.ownStack) return null;
  // The servers are started with this environment (see provided/own-stack.ts).
  const ownStack = ownStackFor(target, requested);
  Object.assign(process.env, ownStack.env);
  options.ownStack.onChoice?.(ownStack.description);
  return ownStack.lessons;
}

/** The folder to check, which must exist and have a spec for every lesson asked for. */
function checkedFolder(target: string | undefined, lessons: Lesson[]): string {
  const requested = path.resolve(target ?? exercisesDir);
  if (!fs.existsSync(requested)) throw new UserError(`The folder to check, ${requested}, does not exist.`);
  const missing = lessons.filter((l) => !fs.existsSync(l.specFile));
  if (missing.length) throw new UserError(`No grader spec yet for: ${missing.map((l) => l.id).join(', ')}.`);
  return requested;
}

/**
 * Vitest's own reporters for machines, each with its output file:
 * `--reporter json --reporter junit --output-file json=a.json --output-file junit=b.xml`
 * writes both from one grading. One reporter may take a plain `--output-file FILE`.
 */
export function machineReporterEntries(names: string[], outputFiles: Record<string, string>): [string, { outputFile?: string }][] {
  const chosen = [...new Set(names.filter((name) => name !== 'default'))];
  const unknown = chosen.find((name) => !machineReporters.includes(name));
  if (unknown) throw new UserError(`Unknown reporter "${unknown}". Use json or junit (or leave it out).`);
  const unclaimed = Object.keys(outputFiles).filter((name) => name !== '*' && !chosen.includes(name));
  if (unclaimed.length) {
    throw new UserError(`--output-file ${unclaimed[0]}=… names a reporter that is not chosen: add --reporter ${unclaimed[0]}.`);
  }
  if ('*' in outputFiles && chosen.length !== 1) {
    throw new UserError(
      chosen.length
        ? `With several reporters, say which file is whose: --output-file json=results.json --output-file junit=junit.xml.`
        : `--output-file needs a reporter: --reporter json or --reporter junit.`,
    );
  }
  return chosen.map((name) => {
    const outputFile = outputFiles[name] ?? outputFiles['*'];
    return [name, outputFile ? { outputFile } : {}];
  });
}

/** Stops every learner server when the grader exits or is interrupted. */
function stopServersOnExit(pidDir: string): () => void {
  const cleanUp = () => killRegistered(pidDir);
  process.once('exit', cleanUp);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      cleanUp();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  return cleanUp;
}

/** The learner's report; silent when a machine reporter owns stdout, and always the source of the exit code and progress. */
function roundtripReporter(
  options: GraderOptions,
  state: RunState,
  recordsProgress: boolean,
  machine: boolean,
  typeErrors: () => Promise<TypeDiagnostic[]>,
  clock: RunClock,
): RoundtripReporter {
  return new RoundtripReporter({
    typeErrors,
    clock,
    verbose: options.verbose,
    print: !machine && !options.quiet,
    onResults: (results, unhandled) => {
      state.results = results;
      state.unhandled = unhandled;
      if (recordsProgress) saveProgress(results);
      options.onRunEnd?.(results);
    },
  });
}

interface GradingRun {
  lessons: Lesson[];
  /** What the specs read with inject() (see worker-config.ts). */
  config: WorkerConfig;
  reporters: unknown[];
  /** The pool that hands out the workers started early. */
  pool: WarmPool;
  watch: boolean;
  poll: boolean;
  /** Watch mode: told which file a save changed, before the re-grade it starts. */
  onSave: (file: string) => void;
  /** Whether a run is going: a change it makes itself is no save (see saves.ts). */
  clock: RunClock;
}

async function startGrading({ lessons, config, reporters, pool, watch, poll, onSave, clock }: GradingRun): Promise<Vitest> {
  const { startVitest } = await import('vitest/node');
  const lessonFolders = lessons.map((lesson) => ({ lesson, folder: path.join(config.target, lesson.id) }));
  const folders = lessonFolders.map(({ folder }) => folder);
  // Watching begins before the first grading does: a save while Vitest starts is not lost.
  let started: (vitest: Vitest) => void = () => {};
  const rerun = watch ? rerunOnSave(new Promise((resolve) => (started = resolve)), lessonFolders, { onSave, clock, poll }) : undefined;
  const vitest = await startVitest(
    'test',
    lessons.map((l) => l.specFile),
    {
      ...graderTestOptions,
      pool: pool.initializer(),
      config: false,
      reporters: reporters as never,
      watch,
      provide: { roundtripTarget: config.target, roundtripCopies: config.copies, roundtripOwnStack: config.ownStack },
      // A change in an exercise folder re-runs its lesson alone (see rerunOnSave), never every lesson.
      forceRerunTriggers: [],
      // Node loads the harness's bundle itself (Vite would fetch each of its modules for the worker).
      server: harnessBundle ? { deps: { external: [new RegExp(`^${escapeRegExp(harnessBundle)}$`)] } } : undefined,
    },
    {
      // Specs have no public files to serve (Vite would set up a middleware for them).
      publicDir: false,
      // Polling, for file systems without change events (some VMs and network drives).
      server: { watch: { usePolling: poll, interval: 300, ignored: outsideWatch(folders) } },
      plugins: [...(harnessBundle ? [bundledHarness(harnessBundle)] : []), ...(rerun && poll ? [pollExerciseFolders(folders, rerun)] : [])],
    },
  );
  started(vitest);
  return vitest;
}

/**
 * The harness the specs import, bundled by the CLI (see cli/roundtrip.mjs): one
 * file that a worker loads before its first spec, instead of some thirty modules
 * fetched one by one from this thread as the spec imports them. Absent when
 * Vitest runs the specs by hand: they then import the TypeScript.
 */
const harnessBundle = process.env.ROUNDTRIP_HARNESS_BUNDLE;

/** Resolves a spec's import of ../engine/harness.ts to the bundle. */
function bundledHarness(bundle: string) {
  const source = path.join(graderRoot, 'engine', 'harness.ts');
  return {
    name: 'roundtrip:bundled-harness',
    enforce: 'pre' as const,
    resolveId(id: string, importer?: string) {
      return importer && path.resolve(path.dirname(importer), id) === source ? bundle : null;
    },
  };
}

/**
 * What Vite's watcher leaves alone: the workbook's state folder (builds,
 * backups, scratch copies; it grows, and scanning it made a watch start take
 * many seconds) and dependencies, except the exercise folders being watched
 * and the folders above them.
 */
function outsideWatch(folders: string[]): (file: string) => boolean {
  // Vite watches the workbook the grader belongs to; the state folder may be another workbook's (ROUNDTRIP_ROOT).
  const stateFolders = [stateDir, path.join(path.dirname(graderRoot), '.roundtrip')].map((dir) => path.resolve(dir) + path.sep);
  return (file) => {
    const resolved = path.resolve(file);
    const parts = resolved.split(path.sep);
    if (parts.includes('node_modules') || parts.includes('.git')) return true;
    if (!stateFolders.some((folder) => (resolved + path.sep).startsWith(folder))) return false;
    return !folders.some((folder) => resolved.startsWith(folder + path.sep) || resolved === folder || folder.startsWith(resolved + path.sep));
  };
}

/**
 * Exercises are TypeScript ES modules that import `#provided/…`: both need the
 * workbook's package.json above them. A folder elsewhere (a student's
 * submission a teacher grades, say) is copied into .roundtrip/targets/ first.
 */
function stageTarget(target: string, lessons: Lesson[]): string {
  if (insideGraderWorkbook(target)) return target;
  const staged = path.join(stateDir, 'targets', createHash('sha256').update(target).digest('hex').slice(0, 12));
  fs.rmSync(staged, { recursive: true, force: true });
  fs.mkdirSync(staged, { recursive: true });
  // All lesson folders, not only those checked: a lesson may import earlier lessons' folders.
  for (const lesson of lessons) {
    const from = path.join(target, lesson.id);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(staged, lesson.id), { recursive: true });
  }
  return staged;
}

/**
 * The exercise files are not imported by the specs, so Vite would not watch
 * them. Node's own recursive fs.watch reports every save, including an
 * editor's "delete and write again", which chokidar can miss; the lesson is
 * graded again as soon as the save has settled, without Vitest's own wait.
 * Returns what a change to a file calls (polling's watcher calls it too).
 */
function rerunOnSave(
  vitest: Promise<Vitest>,
  lessonFolders: { lesson: Lesson; folder: string }[],
  { onSave, clock, poll }: { onSave: (file: string) => void; clock: RunClock; poll: boolean },
): (file: string) => void {
  const handlers = lessonFolders
    .filter(({ folder }) => fs.existsSync(folder))
    .map(({ lesson, folder }) => {
      const isSave = savesIn(folder, clock);
      let settle: NodeJS.Timeout | undefined;
      const changed = (file: string) => {
        if (!isSave(file)) return;
        clearTimeout(settle);
        settle = setTimeout(async () => {
          const grader = await vitest;
          onSave(file);
          // Queued behind a run still going (Vitest awaits it).
          await grader.rerunTestSpecifications(grader.getModuleSpecifications(lesson.specFile));
        }, limits.saveSettleMs);
      };
      return { folder, changed };
    });
  const inFolder = (file: string) => handlers.find(({ folder }) => file === folder || file.startsWith(folder + path.sep));
  if (!poll) {
    for (const { folder, changed } of handlers) fs.watch(folder, { recursive: true }, (_event, name) => changed(name ? path.join(folder, name.toString()) : folder)).unref();
  }
  return (file) => inFolder(path.resolve(file))?.changed(path.resolve(file));
}

/** With polling (no change events), chokidar is given the folders, and tells `changed` of each change there. */
function pollExerciseFolders(folders: string[], changed: (file: string) => void) {
  return {
    name: 'roundtrip:poll-exercises',
    configureServer(server: { watcher: { add(paths: string[]): void; on(event: string, listener: (file: string) => void): void } }) {
      server.watcher.add(folders);
      for (const event of ['add', 'change', 'unlink']) server.watcher.on(event, changed);
    },
  };
}

function saveProgress(results: LessonResult[]): void {
  const now = new Date().toISOString();
  try {
    updateProgress((progress) => {
      for (const result of results) {
        const entry = lessonProgress(progress, result.id);
        entry.passed = result.passed;
        entry.lastRunAt = now;
        if (result.passed) {
          entry.passedAt = now;
          entry.firstPassedAt ??= now;
        }
      }
    });
  } catch (error) {
    // The verdict stands; only the memory of it is lost. Say so in one sentence.
    if (!(error instanceof UserError)) throw error;
    console.error(`${symbols.fail} ${error.message}`);
  }
}
