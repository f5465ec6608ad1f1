// What a classroom relies on: one `npm run check` writes both the JSON and the
// JUnit report, naming each lesson (file), each behaviour (test) and how it ended; the
// summary command turns the JSON into the Markdown table the classroom
// workflow shows; and the workflow runs exactly these commands.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { JsonTestResults } from 'vitest/node';
import { discoverLessons } from '../grader/engine/lessons.ts';
import { stateDir, workbookRoot } from '../grader/engine/paths.ts';
import { runCli } from './support/grade.ts';

// A class of one: lesson 01 done (the solution), lesson 02 not started (the stub).
const [done, notStarted] = discoverLessons() as [ReturnType<typeof discoverLessons>[number], ReturnType<typeof discoverLessons>[number]];
const root = path.join(stateDir, 'scratch', `classroom-${process.pid}`);
const json = path.join(root, 'results.json');
const junit = path.join(root, 'junit.xml');

let code: number | null = null;
let stdout = '';
beforeAll(async () => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.cpSync(done.solutionDir, path.join(root, 'student', done.id), { recursive: true });
  fs.cpSync(notStarted.exerciseDir, path.join(root, 'student', notStarted.id), { recursive: true });
  const target = path.join(root, 'student');
  const lessons = [String(done.number), String(notStarted.number)];
  const run = await runCli([
    'check', ...lessons, '--target', target,
    '--reporter', 'json', '--reporter', 'junit', '--output-file', `json=${json}`, '--output-file', `junit=${junit}`,
  ]);
  ({ code, stdout } = run);
}, 120_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('classroom reports', () => {
  test('one check writes both reports and exits 1 when a lesson fails', () => {
    expect(code, stdout).toBe(1);
    expect(fs.existsSync(json) && fs.existsSync(junit)).toBe(true);
  });

  test('names each output file by its reporter, and refuses a plain one among several', async () => {
    const run = await runCli(['check', '1', '--reporter', 'json', '--reporter', 'junit', '--output-file', json]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/say which file is whose: --output-file json=/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('JSON: one entry per lesson (file), each behaviour (title) with its status and, when failed, meta.failure', () => {
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as JsonTestResults;
    const byLesson = new Map(report.testResults.map((f) => [path.basename(f.name).replace(/\.spec\.ts$/, ''), f.assertionResults]));
    expect([...byLesson.keys()].sort()).toEqual([done.id, notStarted.id]);
    // Named as the README shows them, the same on every machine.
    expect(report.testResults.map((f) => f.name).sort()).toEqual([done.id, notStarted.id].map((id) => `grader/specs/${id}.spec.ts`));
    const passed = byLesson.get(done.id)!;
    expect(passed.length).toBeGreaterThan(0);
    for (const result of passed) {
      expect(result.title).toMatch(/\w/);
      expect(result.status).toBe('passed');
    }
    for (const result of byLesson.get(notStarted.id)!) {
      expect(result.status).toBe('failed');
      expect(result.meta?.failure?.kind).toBe('todo');
      expect(result.meta?.failure?.summary).toMatch(/\w/);
    }
  });

  test('JUnit: a testsuite per lesson, a testcase per behaviour, a <failure> for each failed one', () => {
    const xml = fs.readFileSync(junit, 'utf8');
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as JsonTestResults;
    const suites = [...xml.matchAll(/<testsuite name="([^"]+)"[^>]*tests="(\d+)"[^>]*failures="(\d+)"/g)].map((m) => [path.basename(m[1]!), Number(m[2]), Number(m[3])]);
    const counts = (id: string) => report.testResults.find((f) => f.name.includes(id))!.assertionResults;
    expect(suites.sort()).toEqual(
      [done.id, notStarted.id].map((id) => [`${id}.spec.ts`, counts(id).length, counts(id).filter((r) => r.status === 'failed').length]).sort(),
    );
    const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    for (const result of counts(done.id)) expect(xml).toContain(`name="${escape(result.title)}"`);
    expect((xml.match(/<failure/g) ?? []).length).toBe(counts(notStarted.id).length);
  });

  test('the summary is a Markdown table: lesson, behaviour, result', async () => {
    const run = await runCli(['summary', json]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as JsonTestResults;
    const total = report.testResults.flatMap((f) => f.assertionResults);
    const failed = total.filter((r) => r.status === 'failed').length;
    expect(run.stdout).toContain(`## Roundtrip: ${failed} failed | ${total.length - failed} passed (${total.length})`);
    const label = (l: typeof done) => `${l.id.slice(0, 2)} · ${l.title}`;
    expect(run.stdout).toContain(`| ${label(done)} | ✓ passed |`);
    expect(run.stdout).toContain(`| ${label(notStarted)} | × failed | 0 |`);
    const rows = run.stdout.split('\n').filter((line) => line.startsWith(`| ${label(done)} | `) || line.startsWith(`| ${label(notStarted)} | `));
    // Two overview rows, then one row per behaviour.
    expect(rows).toHaveLength(2 + total.length);
    expect(rows.filter((r) => r.includes('× failed: Not implemented yet.'))).toHaveLength(failed);
    expect(run.stdout).not.toMatch(/\u001b\[/);
  });

  test('the summary refuses what is not a report, clearly', async () => {
    const run = await runCli(['summary', path.join(root, 'missing.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/There is no report at .*npm run check -- --reporter json/);
  });
});

test('the classroom workflow runs these commands and keeps the reports', () => {
  const workflow = fs.readFileSync(path.join(workbookRoot, '.github', 'workflows', 'classroom.yml'), 'utf8');
  expect(workflow).toContain('npm ci');
  // One grading, both reports.
  expect(workflow.match(/^\s+run: npm run check/gm)).toHaveLength(1);
  expect(workflow).toMatch(
    /npm run check -- \$LESSONS --reporter json --reporter junit --output-file json=reports\/results\.json --output-file junit=reports\/junit\.xml/,
  );
  expect(workflow).toMatch(/node grader\/cli\/roundtrip\.mjs summary reports\/results\.json .*>> "\$GITHUB_STEP_SUMMARY"/);
  expect(workflow).toMatch(/uses: actions\/upload-artifact@v\d+[\s\S]*path: reports\//);
  expect(workflow).not.toMatch(/\t/); // YAML forbids tabs for indentation
});
