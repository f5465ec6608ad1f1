// Many copies of lessons in one grader run (check --copies): each copy is
// graded on its own server and named in the results, `only` limits a copy to
// some behaviours, a copy meets the other lessons' solutions, and a bad
// copies file gets one clear sentence.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { readCopies } from '../../grader/engine/copies.ts';
import { discoverLessons } from '../../grader/engine/lessons.ts';
import { UserError } from '../../grader/engine/user-error.ts';
import { copiesGrader, placeCopy } from '../support/copies.ts';
import { runCli } from '../support/grade.ts';

const lessons = discoverLessons();
const first = lessons[0]!;
const last = lessons.at(-1)!;
const ids = lessons.map((l) => l.id);

test('a copy sits beside the solutions of the lessons it imports from, and no others', () => {
  const into = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtrip-copy-'));
  const dir = placeCopy(into, { lesson: last, name: 'as is', edits: [] });
  expect(dir).toBe(path.join(into, last.id));
  // What the last lesson's files import from other lesson folders, read here on its own.
  const sources = fs.readdirSync(last.solutionDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const imported = new Set(sources.flatMap((f) => [...fs.readFileSync(path.join(last.solutionDir, f), 'utf8').matchAll(/'\.\.\/(\d\d-[\w-]+)\//g)].map((m) => m[1])));
  expect(imported.size).toBeGreaterThan(0);
  for (const other of lessons.filter((l) => l !== last)) {
    const link = path.join(into, other.id);
    if (imported.has(other.id)) expect(fs.realpathSync(link)).toBe(fs.realpathSync(other.solutionDir));
    else expect(fs.existsSync(link)).toBe(false);
  }
  // A lesson that imports from no other sits alone.
  const alone = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtrip-copy-'));
  placeCopy(alone, { lesson: first, name: 'as is', edits: [] });
  expect(fs.readdirSync(alone)).toEqual([first.id]);
  fs.rmSync(into, { recursive: true, force: true });
  fs.rmSync(alone, { recursive: true, force: true });
});

test('each copy is graded on its own, named, and limited to the behaviours it asks for', async () => {
  const behaviour = 'counts Content-Length in bytes, not characters';
  const right = { lesson: first, name: 'the solution', edits: [] };
  const wrong = {
    lesson: first,
    name: 'counts characters',
    edits: [{ find: "Buffer.byteLength(body, 'utf8')", replace: 'body.length' }],
    only: [behaviour],
  };
  const run = await copiesGrader('copies-test', [right, wrong])();
  expect(run.code, run.output).toBe(1);
  const solution = run.outcomes(right)!;
  expect(Object.keys(solution).length).toBeGreaterThan(1);
  expect(Object.values(solution).every((o) => o.status === 'passed'), run.output).toBe(true);
  expect(run.outcomes(wrong)).toEqual({ [behaviour]: expect.objectContaining({ status: 'failed', kind: 'mismatch' }) });
});

test.each([
  ['not JSON', '{', /Could not read the copies file/],
  ['not a list', '{}', /non-empty JSON array/],
  ['an unknown lesson', JSON.stringify([{ label: 'a', lesson: '99-none', dir: '.' }]), /no lesson "99-none"/],
  ['a missing folder', JSON.stringify([{ label: 'a', lesson: first.id, dir: '/no/such/folder' }]), /does not exist/],
  ['a folder outside the workbook', JSON.stringify([{ label: 'a', lesson: first.id, dir: os.tmpdir() }]), /is outside the workbook .* must sit inside it/],
  ['a label twice', JSON.stringify([0, 1].map(() => ({ label: 'a', lesson: first.id, dir: first.solutionDir }))), /labelled "a"/],
  ['only not a list', JSON.stringify([{ label: 'a', lesson: first.id, dir: first.solutionDir, only: 'x' }]), /only must be a list/],
])('a copies file with %s is refused in one sentence', (_what, text, message) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'roundtrip-copies-')), 'copies.json');
  fs.writeFileSync(file, text);
  expect(() => readCopies(file, ids)).toThrow(UserError);
  expect(() => readCopies(file, ids)).toThrow(message);
});

test('check --copies wants a machine reporter, and no lesson numbers', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'roundtrip-copies-')), 'copies.json');
  fs.writeFileSync(file, JSON.stringify([{ label: 'a', lesson: first.id, dir: first.solutionDir }]));
  const bare = await runCli(['check', '--copies', file]);
  expect(bare.code).toBe(2);
  expect(bare.stderr).toContain('--copies needs --reporter json or --reporter junit.');
  const numbered = await runCli(['check', '1', '--copies', file, '--reporter', 'json']);
  expect(numbered.code).toBe(2);
  expect(numbered.stderr).toContain('--copies names its lessons itself');
});
