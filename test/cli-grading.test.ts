// The grading commands as a learner meets them: the check report (a stub's
// failure, several lessons, a pass, type errors, JUnit), watch mode and the
// benchmark. The other commands are in cli.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { discoverLessons } from '../grader/engine/lessons.ts';
import { cachedTypeErrors } from '../grader/engine/typecheck.ts';
import { cli, runCli, normalLimits } from './support/grade.ts';
import { scratchWorkbook } from './support/scratch.ts';

const first = discoverLessons()[0]!;
const ansi = /\u001b\[/;

describe('the check report', () => {
  test('explains a stub failure: request, hint, the server’s output, totals, next step; no colour with NO_COLOR', async () => {
    const root = scratchWorkbook('report');
    const run = await runCli(['check', '1'], { ROUNDTRIP_ROOT: root, ...normalLimits });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Not implemented yet: TODO:');
    expect(run.stdout).toMatch(/Request\s+(curl -v|printf ')/);
    expect(run.stdout).toContain('Your server printed:');
    expect(run.stdout).toMatch(/│ Error: TODO:/);
    expect(run.stdout).toMatch(/Tests\s+\d+ failed \(\d+\)/);
    expect(run.stdout).toContain('Next:');
    expect(run.stdout).not.toMatch(ansi);
    const progress = JSON.parse(fs.readFileSync(path.join(root, '.roundtrip', 'progress.json'), 'utf8'));
    expect(progress.lessons[first.id].passed).toBe(false);
  });

  test('with several failing lessons, details only the first and names the others', async () => {
    const root = scratchWorkbook('several');
    const run = await runCli(['check', '1', '2'], { ROUNDTRIP_ROOT: root, ...normalLimits });
    expect(run.code).toBe(1);
    expect(run.stdout.match(/^❯ /gm)).toHaveLength(1);
    expect(run.stdout).toMatch(/❯ 01 /);
    expect(run.stdout).toMatch(/Also failing: lesson 02\./);
  });

  test('after a pass: exit 0, progress recorded, and what is next', async () => {
    const root = scratchWorkbook('pass');
    fs.cpSync(path.join(root, 'solutions', first.id), path.join(root, 'exercises', first.id), { recursive: true });
    const run = await runCli(['check', '1'], { ROUNDTRIP_ROOT: root, ...normalLimits });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/\d+ passed \(\d+\)/);
    expect(run.stdout).toMatch(/Lesson 01 passes\./);
    const progress = JSON.parse(fs.readFileSync(path.join(root, '.roundtrip', 'progress.json'), 'utf8'));
    expect(progress.lessons[first.id].passed).toBe(true);
  });

  test('type errors are a block of their own: file:line:col and message, the verdict unchanged, then from the cache', async () => {
    const root = scratchWorkbook('type-errors');
    fs.cpSync(path.join(root, 'solutions', first.id), path.join(root, 'exercises', first.id), { recursive: true });
    const server = path.join(root, 'exercises', first.id, 'server.ts');
    fs.appendFileSync(server, "\nexport function words(line: string): string {\n  const [a, b] = line.split(' ');\n  return a.toUpperCase() + b.length;\n}\n");
    const line = fs.readFileSync(server, 'utf8').split('\n').indexOf('  return a.toUpperCase() + b.length;') + 1;
    const run = await runCli(['check', '1'], { ROUNDTRIP_ROOT: root, ...normalLimits });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/Type errors \(2\)/);
    expect(run.stdout).toContain(`exercises/${first.id}/server.ts:${line}:10  'a' is possibly 'undefined'.`);
    expect(run.stdout).toContain(`exercises/${first.id}/server.ts:${line}:28  'b' is possibly 'undefined'.`);
    expect(run.stdout).not.toMatch(/\d+ failed/);
    // Kept, keyed by the files' contents: the same files are not checked again.
    const lessonDir = path.join(root, 'exercises', first.id);
    const files = fs.readdirSync(lessonDir).filter((name) => name.endsWith('.ts')).map((name) => path.join(lessonDir, name)).sort();
    expect(cachedTypeErrors(files, path.join(root, 'exercises'))?.map((e) => e.line)).toEqual([line, line]);
    const again = await runCli(['check', '1'], { ROUNDTRIP_ROOT: root, ...normalLimits });
    expect(again.stdout).toMatch(/Type errors \(2\)/);
  });

  test('--reporter junit writes JUnit XML for classrooms', async () => {
    const root = scratchWorkbook('junit');
    const out = path.join(root, 'report.xml');
    const run = await runCli(['check', '1', '--reporter', 'junit', '--output-file', out], { ROUNDTRIP_ROOT: root, ...normalLimits });
    expect(run.code).toBe(1);
    const xml = fs.readFileSync(out, 'utf8');
    expect(xml).toMatch(/<testsuites /);
    expect(xml).toMatch(/<failure /);
  });
});

describe('watch', () => {
  test('checks again when a file is saved, and Ctrl-C leaves no process behind', async () => {
    const { spawn } = await import('node:child_process');
    const { cli, processesMentioning } = await import('./support/grade.ts');
    const root = scratchWorkbook('watch');
    const child = spawn(process.execPath, [cli, 'watch', '1'], {
      env: { ...process.env, ...normalLimits, NO_COLOR: '1', ROUNDTRIP_ROOT: root },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const waitFor = async (pattern: RegExp) => {
      const deadline = Date.now() + 60_000;
      while (!pattern.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(out, out).toMatch(pattern);
    };
    await waitFor(/Watching exercises\/01-how-the-web-works\//);
    expect(out).toMatch(/failed \(\d+\)/);
    fs.cpSync(path.join(root, 'solutions', first.id), path.join(root, 'exercises', first.id), { recursive: true });
    await waitFor(/Lesson 01 passes/);
    // The re-run names the file whose save started it.
    expect(out).toMatch(/exercises\/01-how-the-web-works\/server\.ts changed: checking again/);
    child.kill('SIGINT');
    await exited;
    expect(await processesMentioning(path.join(root, 'exercises'))).toEqual([]);
  });

  // Lesson 11's behaviours set the times of files in static/ and put them back: a
  // watcher that took that for a save graded the lesson again and again, for ever.
  test.each([[[]], [['--poll']]])('a run that touches the lesson’s files starts no other; a save does (flags %j)', async (flags) => {
    const { spawn } = await import('node:child_process');
    const lesson = discoverLessons().find((l) => l.id.startsWith('11-'))!;
    const root = scratchWorkbook(`watch-own-changes${flags.join('')}`);
    fs.cpSync(path.join(root, 'solutions', lesson.id), path.join(root, 'exercises', lesson.id), { recursive: true });
    const child = spawn(process.execPath, [cli, 'watch', '11', ...flags], { env: { ...process.env, ...normalLimits, NO_COLOR: '1', ROUNDTRIP_ROOT: root }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const again = () => out.match(/changed: checking again/g)?.length ?? 0;
    try {
      for (const deadline = Date.now() + 60_000; !/Lesson 11 passes/.test(out) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
      expect(out, out).toMatch(/Lesson 11 passes/);
      // A loop grades the lesson several times a second.
      await new Promise((r) => setTimeout(r, 3000));
      expect(again(), out).toBe(0);
      fs.appendFileSync(path.join(root, 'exercises', lesson.id, 'static.ts'), '\n// saved\n');
      for (const deadline = Date.now() + 30_000; again() === 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
      expect(out).toMatch(/static\.ts changed: checking again/);
    } finally {
      child.kill('SIGINT');
      await exited;
    }
  });
});

describe('bench', () => {
  test('prints every figure as min / median / max beside the floor, and the ratio to a compared command', async () => {
    // A workbook of the first two lessons: "all lessons" is then two, and the test checks the figures, not their size.
    const root = scratchWorkbook('bench');
    for (const { id } of discoverLessons().slice(2)) {
      for (const place of [`lessons/${id}.md`, `exercises/${id}`, `solutions/${id}`]) fs.rmSync(path.join(root, place), { recursive: true, force: true });
    }
    // The compared command fails once, on its first timed run (its second run in all): that run is run again, not counted.
    const runsFile = path.join(root, 'compared-runs');
    const flaky = `n=$(cat ${runsFile} 2>/dev/null || echo 0); echo $((n + 1)) > ${runsFile}; [ "$n" != 1 ]`;
    // About ten checks and a watch session: on a machine loaded many times over, more than the usual 90 s.
    const run = await runCli(['bench', '--runs', '1', '--compare', flaky], { ...normalLimits, ROUNDTRIP_ROOT: root }, { timeoutMs: 300_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(fs.readFileSync(runsFile, 'utf8').trim()).toBe('3');
    const figure = (name: string) => new RegExp(`^${name}\\s+\\d+\\.\\d\\d / \\d+\\.\\d\\d / \\d+\\.\\d\\d s`, 'm');
    for (const name of ['floor: node -e 0', 'check one lesson \\(solution passes\\)', 'compare: .* \\(1 failed run run again\\)', 'check one lesson \\(your exercise 01, (passes|fails)\\)', 'check one lesson after an edit \\(solution\\)', 'check all 2 lessons \\(solutions\\)', 'watch: re-grade after a save']) {
      expect(run.stdout).toMatch(figure(name));
    }
    expect(run.stdout).toMatch(/^ratio of medians \(check \/ compare\)\s+\d+\.\d\d/m);
  }, 320_000);

  test('a compared command that fails stops the benchmark with one sentence, not a time', async () => {
    const run = await runCli(['bench', '--runs', '1', '--compare', 'exit 3'], normalLimits);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('sh -c exit 3 exited with 3, not 0, so its time is not counted.');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
