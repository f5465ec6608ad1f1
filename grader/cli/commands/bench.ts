// npm run bench: how long a learner waits, as printed figures (never timed
// tests: machines are shared and noisy). Each figure is min, median and max
// wall time over fresh processes, as a learner runs them, beside the floor
// (`node -e 0`) from the same run:
//   check one lesson, check all lessons, a re-grade in watch mode after a save;
//   --compare "CMD": CMD timed in pairs with the one-lesson check (e.g.
//     learnyounode's verify), and the ratio of their medians;
//   --suite: one `npm test` run (Vitest only), its total and slowest file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createGrader } from '../../engine/grader-run.ts';
import { discoverLessons } from '../../engine/lessons.ts';
import { exercisesDir, graderRoot, solutionsDir, stateDir, workbookRoot } from '../../engine/paths.ts';
import { UserError } from '../../engine/user-error.ts';
import { parseCommandArgs } from '../args.ts';
import { runCommand } from '../run-command.ts';

const entry = path.join(graderRoot, 'cli', 'roundtrip.mjs');
const usage = 'npm run bench [-- --runs 9] [--compare "learnyounode verify program.js"] [--suite]';

/** The goals of issue 12, in ms of median wall time on a quiet 2-core machine. */
const goals = { oneLesson: 550, allLessons: 2500, watch: 300, suite: 100_000, suiteFile: 40_000 };

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const { values } = parseCommandArgs(args, { runs: { type: 'string' }, compare: { type: 'string' }, suite: { type: 'boolean' } }, usage);
    const runs = Number(values.runs ?? 7);
    if (!Number.isInteger(runs) || runs < 1) throw new UserError(`--runs must be a whole number, 1 or more.\nUsage: ${usage}`);
    // A compared command that fails says so at once, before any figure is spent on it; this run also warms it up.
    if (values.compare) timeCompared(values.compare, () => {});
    const lessons = discoverLessons();
    const first = String(lessons[0]!.number);
    console.log(`Roundtrip benchmark: ${runs} runs each, wall time min / median / max (Node ${process.version}, ${lessons.length} lessons)\n`);
    report('floor: node -e 0', timeCommand(process.execPath, ['-e', '0'], runs));
    const one = () => timeOnce(process.execPath, [entry, 'check', first, '--target', solutionsDir]);
    if (values.compare) {
      let retried = 0;
      const [ours, theirs] = paired(one, () => timeCompared(values.compare!, () => retried++), runs);
      report('check one lesson (solution passes)', ours, goals.oneLesson);
      report(`compare: ${values.compare}${retried ? ` (${retried} failed run${retried > 1 ? 's' : ''} run again)` : ''}`, theirs);
      console.log(`${'ratio of medians (check / compare)'.padEnd(44)} ${(median(ours) / median(theirs)).toFixed(2)}   (goal 0.70 or less)`);
    } else {
      report('check one lesson (solution passes)', timeCommand(process.execPath, [entry, 'check', first, '--target', solutionsDir], runs), goals.oneLesson);
    }
    // Your exercise as it is (a failing stub in a fresh workbook), from a copy: a benchmark never touches your progress.
    const yours = scratchCopy(exercisesDir, lessons[0]!.id, 'bench-exercise');
    const passes = spawnSync(process.execPath, [entry, 'check', first, '--target', yours], { stdio: 'ignore', cwd: workbookRoot }).status === 0;
    report(`check one lesson (your exercise ${first.padStart(2, '0')}, ${passes ? 'passes' : 'fails'})`, timeCommand(process.execPath, [entry, 'check', first, '--target', yours], runs, passes ? 0 : 1), goals.oneLesson);
    report('check one lesson after an edit (solution)', timeAfterEdit(lessons[0]!.id, first, runs));
    report(`check all ${lessons.length} lessons (solutions)`, timeCommand(process.execPath, [entry, 'check', '--target', solutionsDir], runs), goals.allLessons);
    report('watch: re-grade after a save', await timeWatch(first, runs), goals.watch);
    if (values.suite) suiteFigures();
    return 0;
  });
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function report(what: string, samples: number[], goalMs?: number): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const goal = goalMs === undefined ? '' : `; goal ${s(goalMs)} s: ${median(samples) <= goalMs ? 'within' : 'over'}`;
  console.log(`${what.padEnd(44)} ${s(sorted[0]!)} / ${s(median(samples))} / ${s(sorted.at(-1)!)} s${goal}`);
}

/** Alternates the two commands, so both meet the same machine. */
function paired(a: () => number, b: () => number, runs: number): [number[], number[]] {
  const left: number[] = [];
  const right: number[] = [];
  for (let i = 0; i < runs; i++) {
    left.push(a());
    right.push(b());
  }
  return [left, right];
}

/** A fresh copy of lesson `id`'s folder in `from` (exercises or solutions), as <root>/<id>; returns the root. A benchmark never touches the learner's files. */
function scratchCopy(from: string, id: string, name: string): string {
  const root = path.join(stateDir, name);
  fs.rmSync(root, { recursive: true, force: true });
  fs.cpSync(path.join(from, id), path.join(root, id), { recursive: true });
  return root;
}

/**
 * A learner's usual check: the file has just changed, so its build and its
 * type check are new (both are kept by content, and an unchanged lesson is
 * never checked twice). Each run edits a scratch copy of the solution first.
 */
function timeAfterEdit(id: string, lesson: string, runs: number): number[] {
  const root = scratchCopy(solutionsDir, id, 'bench-edit');
  const file = path.join(root, id, 'server.ts');
  try {
    return Array.from({ length: runs }, (_, i) => {
      fs.appendFileSync(file, `\n// edit ${i} of ${process.pid}, ${Date.now()}\n`);
      return timeOnce(process.execPath, [entry, 'check', lesson, '--target', root]);
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** One run's wall time; a run that ends otherwise than expected stops the benchmark: its time would mean nothing. */
function timeOnce(command: string, args: string[], expectedCode = 0): number {
  const started = performance.now();
  const result = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: workbookRoot, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (result.status !== expectedCode) {
    // The end of what it printed says why: an error, or the report's failure and its hint.
    const said = [result.stderr, result.stdout].map((output) => output.toString('utf8').trim()).filter(Boolean).join('\n').split('\n').slice(-40).join('\n');
    throw new UserError(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}, not ${expectedCode}, so its time is not counted.${said ? `\nIt printed:\n${said}` : ''}`);
  }
  return ms;
}

/**
 * The compared command's time. Another tool may fail now and then on its own
 * (learnyounode's verify, 1 run in 15 to 30 here: a port its program cannot
 * listen on, or a request sent before it listens): a failed run is not counted
 * but run again, and only a third failure in a row stops the benchmark.
 */
function timeCompared(command: string, onRetry: () => void, attempts = 3): number {
  try {
    return timeOnce('sh', ['-c', command]);
  } catch (error) {
    if (!(error instanceof UserError) || attempts <= 1) throw error;
    onRetry();
    return timeCompared(command, onRetry, attempts - 1);
  }
}

function timeCommand(command: string, args: string[], runs: number, expectedCode = 0): number[] {
  return Array.from({ length: runs }, () => timeOnce(command, args, expectedCode));
}

/** One run of the workbook's own tests: the total, and the slowest test file. */
function suiteFigures(): void {
  const report = path.join(stateDir, 'bench-suite.json');
  const started = performance.now();
  spawnSync(process.execPath, [path.join(workbookRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'test/vitest.config.ts', '--reporter', 'json', '--outputFile', report], {
    cwd: workbookRoot,
    stdio: 'ignore',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const total = performance.now() - started;
  const files = (JSON.parse(fs.readFileSync(report, 'utf8')) as { testResults: { name: string; startTime: number; endTime: number }[] }).testResults;
  const slowest = files.map((f) => ({ name: path.relative(workbookRoot, f.name), ms: f.endTime - f.startTime })).sort((a, b) => b.ms - a.ms);
  console.log(`${'npm test (Vitest, one run)'.padEnd(44)} ${(total / 1000).toFixed(1)} s; goal ${goals.suite / 1000} s: ${total <= goals.suite ? 'within' : 'over'}`);
  for (const file of slowest.slice(0, 3)) {
    console.log(`${`  ${file.name}`.padEnd(44)} ${(file.ms / 1000).toFixed(1)} s; goal ${goals.suiteFile / 1000} s each: ${file.ms <= goals.suiteFile ? 'within' : 'over'}`);
  }
}

/** Saves a file in a scratch copy of a solution and times until the re-grade has finished. */
async function timeWatch(lesson: string, runs: number): Promise<number[]> {
  const id = discoverLessons().find((l) => String(l.number) === lesson)!.id;
  const root = scratchCopy(solutionsDir, id, 'bench');
  const file = path.join(root, id, 'server.ts');
  let finished: () => void = () => {};
  const grader = await createGrader({ lessonQueries: [lesson], target: root, quiet: true, watch: { poll: false }, onRunEnd: () => finished() });
  const nextRun = () => new Promise<void>((resolve) => (finished = resolve));
  const firstRun = nextRun();
  const vitest = await grader.watch();
  await firstRun;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    await new Promise((r) => setTimeout(r, 300));
    const done = nextRun();
    const started = performance.now();
    fs.appendFileSync(file, `\n// saved ${i}\n`);
    await done;
    samples.push(performance.now() - started);
  }
  await vitest.close();
  grader.cleanUp();
  fs.rmSync(root, { recursive: true, force: true });
  return samples;
}
