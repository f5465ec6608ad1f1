// `npm run update` on scratch git repositories: an "upstream" workbook that
// gains a lesson and changes an old one, and a learner's copy with work in
// progress. The update brings lessons, solutions, grader and the new exercise
// folder, never touches the learner's exercise files, commits nothing, and
// says clearly when there is no upstream remote or it cannot be reached.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { stateDir } from '../grader/engine/paths.ts';
import { runCli } from './support/grade.ts';

const root = path.join(stateDir, 'scratch', `update-${process.pid}`);
const upstream = path.join(root, 'upstream');
const learner = path.join(root, 'learner');

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function write(base: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(base, name)), { recursive: true });
    fs.writeFileSync(path.join(base, name), text);
  }
}

const read = (name: string) => fs.readFileSync(path.join(learner, name), 'utf8');
const update = (...args: string[]) => runCli(['update', ...args], { ROUNDTRIP_ROOT: learner });

beforeEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(upstream, { recursive: true });
  git(upstream, 'init', '-q');
  write(upstream, {
    'package.json': '{ "name": "roundtrip" }\n',
    'lessons/01-one.md': '# 01 · One\n\nversion 1\n',
    'exercises/01-one/server.ts': '// stub, version 1\n',
    'solutions/01-one/server.ts': '// solution, version 1\n',
    'grader/specs/01-one.spec.ts': '// spec, version 1\n',
    'test/mutants/01-one.ts': '// mutants, version 1\n',
    'provided/http.ts': '// provided, version 1\n',
  });
  git(upstream, 'add', '.');
  git(upstream, 'commit', '-qm', 'lesson 01');

  // The learner's copy; "upstream" is the workbook they started from.
  git(root, 'clone', '-q', upstream, learner);
  git(learner, 'remote', 'rename', 'origin', 'upstream');
  write(learner, { 'exercises/01-one/server.ts': '// my own work, not committed\n', 'exercises/01-one/notes.md': 'my notes\n' });

  // Upstream moves on: lesson 01 corrected (text, stub, solution, grader), lesson 02 added, a new dependency.
  write(upstream, {
    'package.json': '{ "name": "roundtrip", "dependencies": { "x": "1" } }\n',
    'lessons/01-one.md': '# 01 · One\n\nversion 2\n',
    'exercises/01-one/server.ts': '// stub, version 2\n',
    'solutions/01-one/server.ts': '// solution, version 2\n',
    'grader/specs/01-one.spec.ts': '// spec, version 2\n',
    'lessons/02-two.md': '# 02 · Two\n',
    'exercises/02-two/server.ts': '// stub of lesson 02\n',
    'solutions/02-two/server.ts': '// solution of lesson 02\n',
    'grader/specs/02-two.spec.ts': '// spec of lesson 02\n',
    'test/mutants/02-two.ts': '// mutants of lesson 02\n',
  });
  git(upstream, 'add', '.');
  git(upstream, 'commit', '-qm', 'lesson 02, lesson 01 corrected');
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('npm run update', () => {
  test('brings new and corrected lessons and keeps the learner’s exercises', async () => {
    const head = git(learner, 'rev-parse', 'HEAD');
    const run = await update();
    expect(run.code, run.stderr).toBe(0);

    // The workbook's folders follow upstream.
    expect(read('lessons/01-one.md')).toContain('version 2');
    expect(read('solutions/01-one/server.ts')).toBe('// solution, version 2\n');
    expect(read('grader/specs/01-one.spec.ts')).toBe('// spec, version 2\n');
    for (const file of ['lessons/02-two.md', 'solutions/02-two/server.ts', 'grader/specs/02-two.spec.ts', 'test/mutants/02-two.ts']) {
      expect(fs.existsSync(path.join(learner, file)), file).toBe(true);
    }
    // A new exercise folder arrives; the learner's own is untouched, notes and all.
    expect(read('exercises/02-two/server.ts')).toBe('// stub of lesson 02\n');
    expect(read('exercises/01-one/server.ts')).toBe('// my own work, not committed\n');
    expect(read('exercises/01-one/notes.md')).toBe('my notes\n');
    // package.json is the learner's call: named, not changed.
    expect(read('package.json')).toBe('{ "name": "roundtrip" }\n');
    expect(run.stdout).toMatch(/package\.json changed upstream/);
    expect(run.stdout).toMatch(/exercises\/01-one\/ changed upstream; your copy was kept/);
    expect(run.stdout).toContain('new exercise: exercises/02-two/');
    // Nothing committed.
    expect(git(learner, 'rev-parse', 'HEAD')).toBe(head);
    expect(run.stdout).toMatch(/Nothing is committed yet/);

    // A second run finds nothing new.
    const again = await update();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Already up to date with upstream\/main/);
    expect(read('exercises/01-one/server.ts')).toBe('// my own work, not committed\n');
  });

  test('refuses to replace uncommitted edits in the workbook’s folders, and changes nothing', async () => {
    write(learner, { 'lessons/01-one.md': '# 01 · One\n\nmy annotations\n' });
    const run = await update();
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/changes that are not committed[\s\S]*lessons\/01-one\.md[\s\S]*Nothing was changed/);
    expect(read('lessons/01-one.md')).toContain('my annotations');
    expect(fs.existsSync(path.join(learner, 'exercises/02-two'))).toBe(false);

    const forced = await update('--force');
    expect(forced.code).toBe(0);
    expect(read('lessons/01-one.md')).toContain('version 2');
    expect(read('exercises/01-one/server.ts')).toBe('// my own work, not committed\n');
  });

  test('says what to do when there is no upstream remote', async () => {
    git(learner, 'remote', 'remove', 'upstream');
    const run = await update();
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/There is no git remote called "upstream"/);
    expect(run.stderr).toContain('git remote add upstream');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('offline (upstream unreachable): a clear message, nothing changed', async () => {
    git(learner, 'remote', 'set-url', 'upstream', path.join(root, 'nowhere'));
    const run = await update();
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Could not fetch main from upstream[\s\S]*Are you offline\? Nothing was changed/);
    expect(read('lessons/01-one.md')).toContain('version 1');
    expect(fs.existsSync(path.join(learner, 'exercises/02-two'))).toBe(false);
  });

  test('outside a git repository, says so', async () => {
    fs.rmSync(path.join(learner, '.git'), { recursive: true, force: true });
    const run = await update();
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/needs the workbook to be a git repository/);
  });
});
