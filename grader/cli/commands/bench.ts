// npm run bench: how long a learner waits. Prints the median wall time of
// checking one lesson and all lessons (each a fresh `npm run check` process,
// as a learner runs it) and of a re-grade in watch mode after a save.
// Goals: one lesson ≤ 0.9 s; all lessons well under 5 s.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createGrader } from '../../engine/grader-run.ts';
import { discoverLessons } from '../../engine/lessons.ts';
import { graderRoot, solutionsDir, stateDir } from '../../engine/paths.ts';
import { UserError } from '../../engine/user-error.ts';
import { parseCommandArgs } from '../args.ts';
import { runCommand } from '../run-command.ts';

const entry = path.join(graderRoot, 'cli', 'roundtrip.mjs');

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const usage = 'npm run bench [-- --runs 5]';
    const { values } = parseCommandArgs(args, { runs: { type: 'string' } }, usage);
    const runs = Number(values.runs ?? 5);
    if (!Number.isInteger(runs) || runs < 1) throw new UserError(`--runs must be a whole number, 1 or more.\nUsage: ${usage}`);
    const lessons = discoverLessons();
    const first = String(lessons[0]!.number);
    console.log(`Roundtrip benchmark: ${runs} runs each, median wall time (Node ${process.version}, ${lessons.length} lessons)\n`);
    report('check one lesson (solution passes)', timeCli(['check', first, '--target', solutionsDir], runs), 900);
    report('check one lesson (stub fails)', timeCli(['check', first], runs, 1), 900);
    report(`check all ${lessons.length} lessons (solutions)`, timeCli(['check', '--target', solutionsDir], Math.max(3, Math.ceil(runs / 2))), 5000);
    report('watch: re-grade after a save', await timeWatch(first, runs), 900);
    return 0;
  });
}

function report(what: string, samples: number[], goalMs: number): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const verdict = median <= goalMs ? 'within' : 'over';
  console.log(`${what.padEnd(40)} ${(median / 1000).toFixed(2)} s   (min ${(sorted[0]! / 1000).toFixed(2)}, max ${(sorted.at(-1)! / 1000).toFixed(2)}; goal ${goalMs / 1000} s: ${verdict})`);
}

function timeCli(args: string[], runs: number, expectedCode = 0): number[] {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, [entry, ...args], { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    samples.push(performance.now() - started);
    if (result.status !== expectedCode) throw new Error(`roundtrip ${args.join(' ')} exited ${result.status}, expected ${expectedCode}.`);
  }
  return samples;
}

/** Saves a file in a scratch copy of a solution and times until the re-grade has finished. */
async function timeWatch(lesson: string, runs: number): Promise<number[]> {
  const root = path.join(stateDir, 'bench');
  const id = discoverLessons().find((l) => String(l.number) === lesson)!.id;
  fs.rmSync(root, { recursive: true, force: true });
  fs.cpSync(path.join(solutionsDir, id), path.join(root, id), { recursive: true });
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
