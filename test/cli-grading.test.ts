// The check report as a learner meets it: a stub's failure, several lessons, a
// pass, type errors, JUnit. Watch mode is in watch.test.ts, the benchmark in
// bench.test.ts, the other commands in cli.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { discoverLessons } from '../grader/engine/lessons.ts';
import { cachedTypeErrors } from '../grader/engine/typecheck.ts';
import { runCli, normalLimits } from './support/grade.ts';
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
    const typeCheckOn = { ROUNDTRIP_ROOT: root, ROUNDTRIP_TYPECHECK: 'on', ...normalLimits };
    const run = await runCli(['check', '1'], typeCheckOn);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/Type errors \(2\)/);
    expect(run.stdout).toContain(`exercises/${first.id}/server.ts:${line}:10  'a' is possibly 'undefined'.`);
    expect(run.stdout).toContain(`exercises/${first.id}/server.ts:${line}:28  'b' is possibly 'undefined'.`);
    expect(run.stdout).not.toMatch(/\d+ failed/);
    // Kept, keyed by the files' contents: the same files are not checked again.
    const lessonDir = path.join(root, 'exercises', first.id);
    const files = fs.readdirSync(lessonDir).filter((name) => name.endsWith('.ts')).map((name) => path.join(lessonDir, name)).sort();
    expect(cachedTypeErrors(files, path.join(root, 'exercises'))?.map((e) => e.line)).toEqual([line, line]);
    const again = await runCli(['check', '1'], typeCheckOn);
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
