// The whole project type-checks (`tsc --noEmit` with tsconfig.json: the
// grader, the site builder, exercises, solutions, provided code and these
// tests), as one test file, so it runs beside the others rather than before them.
// Incremental: tsc keeps what it learnt in .roundtrip/, so a run after a small
// change re-reads every file but checks only what the change can reach (3.5 s
// of CPU instead of 8). A fresh clone checks everything.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, test } from 'vitest';
import { stateDir, workbookRoot } from '../grader/engine/paths.ts';

test('tsc --noEmit finds no type error in the project', () => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '--noEmit', '--pretty', 'false', '--incremental', '--tsBuildInfoFile', path.join(stateDir, 'project-types.tsbuildinfo')], { cwd: workbookRoot, encoding: 'utf8' });
  expect(run.stdout + run.stderr).toBe('');
  expect(run.status).toBe(0);
}, 120_000);
