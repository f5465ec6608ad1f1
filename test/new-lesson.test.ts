// `npm run new-lesson -- NN slug "Title"` scaffolds all five parts of a lesson
// in a scratch copy of the repository: the parts are consistent from the start
// (the solution passes its grader, the stub fails as "not implemented yet",
// everything type-checks and passes the lesson lint), and the command refuses
// duplicates, gaps, bad names and overwriting.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as TS from 'typescript';
import { ts } from './support/typescript.ts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lessonSections } from './support/lesson-shape.ts';
import { readHints, readSections } from '../grader/engine/lesson-text.ts';
import type { Lesson } from '../grader/engine/lessons.ts';
import { stateDir, workbookRoot } from '../grader/engine/paths.ts';
import { normalLimits } from './support/grade.ts';
import { applyMutant, type Mutant } from './support/mutants.ts';
import { cachingHost, checkReferences, typeCheckLessons } from './support/lesson-lint.ts';

const root = path.join(stateDir, 'scratch', `new-lesson-${process.pid}`);

/** The scratch copy's own CLI, so grader/ and test/ are the scratch's too. */
function cli(args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'grader', 'cli', 'roundtrip.mjs'), ...args], {
      cwd: root,
      env: { ...process.env, ...normalLimits, NO_COLOR: '1', ROUNDTRIP_ROOT: '', ROUNDTRIP_GRADER_ROOT: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

let nn = '';
let id = '';
const file = (relative: string) => path.join(root, relative);

beforeAll(async () => {
  fs.rmSync(root, { recursive: true, force: true });
  for (const part of ['grader', 'website', 'lessons', 'exercises', 'solutions', 'provided', 'test/mutants', 'test/support', 'package.json', 'tsconfig.json']) {
    fs.cpSync(path.join(workbookRoot, part), path.join(root, part), { recursive: true });
  }
  // The next number after every one in use, as the command itself decides.
  const used = ['lessons', 'exercises', 'solutions', 'grader/specs', 'test/mutants'].flatMap((dir) =>
    fs.readdirSync(file(dir)).map((name) => Number(/^(\d{2})-/.exec(name)?.[1] ?? 0)),
  );
  nn = String(Math.max(0, ...used) + 1).padStart(2, '0');
  id = `${nn}-demo-lesson`;
  const run = await cli(['new-lesson', nn, 'demo-lesson', 'Demo lesson']);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toContain(`Created lesson ${nn} · Demo lesson`);
}, 60_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const parts = () => [`lessons/${id}.md`, `exercises/${id}/server.ts`, `solutions/${id}/server.ts`, `grader/specs/${id}.spec.ts`, `test/mutants/${id}.ts`];

describe('npm run new-lesson', () => {
  test('writes all five parts', () => {
    for (const part of parts()) expect(fs.existsSync(file(part)), part).toBe(true);
  });

  test('the text has every required section and question hints', () => {
    const markdown = fs.readFileSync(file(`lessons/${id}.md`), 'utf8');
    expect(markdown.split('\n')[0]).toBe(`# ${nn} · Demo lesson`);
    expect(readSections(markdown).map((s) => s.title)).toEqual(lessonSections);
    const hints = readHints(markdown);
    expect(hints.length).toBeGreaterThanOrEqual(3);
    for (const hint of hints) expect(hint).toMatch(/\?$/);
  });

  test('the stub has a TODO that throws; the solution none', () => {
    const stub = fs.readFileSync(file(`exercises/${id}/server.ts`), 'utf8');
    expect(stub).toMatch(/\/\/ TODO: /);
    expect(stub).toMatch(/throw new Error\('TODO: /);
    expect(fs.readFileSync(file(`solutions/${id}/server.ts`), 'utf8')).not.toMatch(/TODO/);
  });

  test('every part type-checks with the project’s options, and the text passes the lesson lint', () => {
    const config = ts.getParsedCommandLineOfConfigFile(file('tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const options = { ...config.options, noEmit: true };
    const files = parts().filter((p) => p.endsWith('.ts')).map(file);
    const program = ts.createProgram(files, options, cachingHost(options));
    // The parts' own errors: what they import (the scratch copy's grader) is tsc's to check, in project-types.
    const diagnostics = [
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...files.flatMap((name) => {
        const source = program.getSourceFile(name)!;
        return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
      }),
    ].map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);

    const lesson: Lesson = {
      number: Number(nn), id, title: 'Demo lesson', lessonFile: file(`lessons/${id}.md`),
      exerciseDir: file(`exercises/${id}`), solutionDir: file(`solutions/${id}`), specFile: file(`grader/specs/${id}.spec.ts`),
    };
    expect(checkReferences(lesson.lessonFile, root)).toEqual([]);
    expect(typeCheckLessons([lesson], { repository: root, workDir: path.join(root, '.roundtrip', 'lint') })).toEqual([]);
  });

  test('the solution passes its grader and the stub fails it as "not implemented yet"', async () => {
    const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'roundtrip-new-lesson-')), 'report.json');
    const [solution, stub] = await Promise.all([
      cli(['check', nn, '--target', file('solutions')]),
      cli(['check', nn, '--reporter', 'json', '--output-file', report]),
    ]);
    expect(solution.code, solution.stdout + solution.stderr).toBe(0);
    expect(stub.code).toBe(1);
    const results = JSON.parse(fs.readFileSync(report, 'utf8')).testResults[0].assertionResults;
    expect(results.map((r: { status: string; meta: { failure?: { kind: string } } }) => [r.status, r.meta.failure?.kind])).toEqual([['failed', 'todo']]);
    fs.rmSync(path.dirname(report), { recursive: true, force: true });
  });

  test('the mutant is caught by the behaviour it names, as a wrong answer', async () => {
    const { default: mutants } = (await import(file(`test/mutants/${id}.ts`))) as { default: Mutant[] };
    expect(mutants.length).toBeGreaterThan(0);
    const target = file('.roundtrip/mutant');
    applyMutant(file(`solutions/${id}`), path.join(target, id), mutants[0]!);
    const report = path.join(target, 'report.json');
    const run = await cli(['check', nn, '--target', target, '--reporter', 'json', '--output-file', report]);
    expect(run.code).toBe(1);
    const results = JSON.parse(fs.readFileSync(report, 'utf8')).testResults[0].assertionResults as { title: string; status: string; meta: { failure?: { kind: string } } }[];
    const caught = results.find((r) => r.title === mutants[0]!.caughtBy);
    expect(caught?.status).toBe('failed');
    expect(caught?.meta.failure?.kind).toBe('mismatch');
  });
});

describe('npm run new-lesson refuses', () => {
  test.each([
    ['a number in use', () => [nn, 'other', 'Other'], /Lesson \d+ already exists: lessons\/\d+-demo-lesson\.md/],
    ['a gap', () => [String(Number(nn) + 2), 'later', 'Later'], /would leave a gap after lesson \d+: the next lesson is \d+/],
    ['a slug that is not kebab-case', () => [String(Number(nn) + 1), 'Bad_Slug', 'Bad'], /is not a slug/],
    ['a missing title', () => [String(Number(nn) + 1), 'no-title'], /needs a number, a slug and a title/],
  ])('%s, with a clear message and exit code 2', async (_name, args, message) => {
    const before = parts().map((p) => fs.readFileSync(file(p), 'utf8'));
    const run = await cli(['new-lesson', ...args()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(parts().map((p) => fs.readFileSync(file(p), 'utf8'))).toEqual(before);
  });

  test('a number that any one of the five parts already uses, and writes nothing', async () => {
    const next = String(Number(nn) + 1).padStart(2, '0');
    // A number is taken by any of the five places: a lone mutants file is enough.
    const lone = file(`test/mutants/${next}-half-done.ts`);
    fs.writeFileSync(lone, '// someone else’s work\n');
    const run = await cli(['new-lesson', next, 'half-done', 'Half done']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Lesson ${next} already exists: test/mutants/${next}-half-done.ts`);
    expect(fs.readFileSync(lone, 'utf8')).toBe('// someone else’s work\n');
    expect(fs.existsSync(file(`lessons/${next}-half-done.md`))).toBe(false);
  });
});
