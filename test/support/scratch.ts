// A scratch workbook: a copy of lessons/, exercises/ and solutions/ that CLI
// commands can change freely (ROUNDTRIP_ROOT points them at it). It lives
// inside the repository so `#provided/…` imports still resolve.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { exercisesDir, lessonsDir, solutionsDir, stateDir } from '../../grader/engine/paths.ts';

const made = new Set<string>();

/** Removes the workbooks made so far; after each test file (see each-file.ts), or they would pile up run after run. */
export function removeScratchWorkbooks(): void {
  for (const root of made) fs.rmSync(root, { recursive: true, force: true });
  made.clear();
}

export function scratchWorkbook(name: string, options: { git?: boolean } = {}): string {
  const root = path.join(stateDir, 'scratch', `${name}-${process.pid}`);
  fs.rmSync(root, { recursive: true, force: true });
  made.add(root);
  for (const [from, to] of [[lessonsDir, 'lessons'], [exercisesDir, 'exercises'], [solutionsDir, 'solutions']] as const) {
    fs.cpSync(from, path.join(root, to), { recursive: true });
  }
  if (options.git) {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
    git('init', '-q');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'workbook');
  }
  return root;
}
