// Hostile exercises: servers that loop, quit, throw, never listen, never
// answer or answer garbage. Each must fail clearly, within a bounded time,
// and leave no process behind — also when the check itself is interrupted.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { stateDir } from '../grader/engine/paths.ts';
import { gradeFolders, type CopiesRun } from './support/copies.ts';
import { cli, processesMentioning, testLimits } from './support/grade.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures', 'hostile');

// A server that never starts or never answers gets that verdict however busy
// the machine: shorter limits keep those cases (and their busy loops, which
// burn a core until the limit) short. A verdict a slow machine could change
// (exited before listening, say) keeps the ordinary test limits.
const neverStarts = { ...testLimits, ROUNDTRIP_START_TIMEOUT_MS: '500' };
const neverAnswers = { ...testLimits, ROUNDTRIP_REQUEST_TIMEOUT_MS: '300' };

const cases: [name: string, kind: string, text: RegExp, limits: Record<string, string>][] = [
  ['loops-at-start', 'no-start', /did not start listening within/, neverStarts],
  ['exits-at-start', 'no-start', /exited with code 3 before it started listening/, testLimits],
  ['throws-on-import', 'no-start', /exited with code 1 before it started listening/, testLimits],
  ['never-listens', 'no-start', /did not start listening within/, neverStarts],
  ['ignores-port', 'no-start', /listens on port \d+, but the grader started it with PORT=\d+/, testLimits],
  ['never-responds', 'timeout', /No response arrived within the time limit|crashed or hung/, neverAnswers],
  ['loops-on-request', 'timeout', /No response arrived within the time limit|crashed or hung/, neverAnswers],
  ['starts-a-child', 'timeout', /No response arrived within the time limit|crashed or hung/, neverAnswers],
  ['sends-garbage', 'mismatch', /./, testLimits],
  // Without a limit on what it reads, the grader filled its memory (1.5 GB) until each request's time limit.
  ['streams-without-end', 'mismatch', /went past 16 MiB/, testLimits],
  ['exits-on-request', 'crash', /stopped|exited|crashed/, testLimits],
];

// The servers that share limits are graded in one run (check --copies, a copy
// per fixture, one after another): a grader's start-up costs more than most cases.
const lesson = '01-how-the-web-works';
const runs = new Map<Record<string, string>, Promise<CopiesRun>>();
const gradedWith = (limits: Record<string, string>) => {
  let run = runs.get(limits);
  if (!run) {
    const fixturesWith = cases.filter((c) => c[3] === limits).map(([name]) => ({ label: name, lesson, dir: path.join(fixtures, name, lesson) }));
    run = gradeFolders(path.join(stateDir, 'hostile', `${process.pid}-${runs.size}`), fixturesWith, limits);
    runs.set(limits, run);
  }
  return run;
};

describe.concurrent('hostile servers', () => {
  test.each(cases)('%s fails as %s, in bounded time, leaving no process', async (name, kind, text, limits) => {
    const run = await gradedWith(limits);
    expect(run.code).toBe(1);
    const behaviours = Object.values(run.outcomesOf(lesson, name) ?? {});
    expect(behaviours.length, run.output).toBeGreaterThan(0);
    for (const outcome of behaviours) expect(outcome.status).toBe('failed');
    expect(behaviours[0]!.kind).toBe(kind);
    expect(behaviours[0]!.summary).toMatch(text);
    // Limits in tests: 8 s to start, 1.5 s per request, at most 4 starts; six servers in a row at most.
    expect(run.durationMs).toBeLessThan(90_000);
    expect(await processesMentioning(path.join(fixtures, name))).toEqual([]);
  });
});

describe('interrupting a check', () => {
  // The server has started a process of its own: it goes too.
  test.each(['SIGINT', 'SIGTERM', 'SIGKILL'] as const)('%s stops the check, its server and what the server started', async (signal) => {
    const target = path.join(fixtures, 'starts-a-child');
    const child = spawn(process.execPath, [cli, 'check', '1', '--target', target], {
      env: { ...process.env, ...testLimits, NO_COLOR: '1' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait until the learner's server is running, then interrupt.
    const deadline = Date.now() + 20_000;
    while ((await processesMentioning(target)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await processesMentioning(target)).not.toEqual([]);
    child.kill(signal);
    expect(await exited).not.toBe(0);
    // A check killed outright cannot clean up: its server sees it gone (within half a second) and ends its process group.
    const gone = Date.now() + 5_000;
    while ((await processesMentioning(target)).length > 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 100));
    expect(await processesMentioning(target)).toEqual([]);
  });
});
