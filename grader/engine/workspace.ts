// Changes to the learner's exercise folder. Every change first copies the
// folder to .roundtrip/backups/, so nothing a learner wrote is ever lost.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { exerciseFiles, type Lesson } from './lessons.ts';
import { displayPath, stateDir, workbookRoot } from './paths.ts';
import { UserError } from './user-error.ts';

/** Copies the exercise folder aside; returns where it went. */
export function backUpExercise(lesson: Lesson, reason: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = path.join(stateDir, 'backups', lesson.id, `${stamp}-${reason}`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.cpSync(lesson.exerciseDir, target, { recursive: true });
  return target;
}

/** Writes files into the exercise folder (relative path → content). */
export function writeExerciseFiles(lesson: Lesson, files: Map<string, Buffer>): void {
  for (const [relative, content] of files) {
    const file = path.join(lesson.exerciseDir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

export function solutionFiles(lesson: Lesson): Map<string, Buffer> {
  return new Map(exerciseFiles(lesson.solutionDir).map((f) => [f, fs.readFileSync(path.join(lesson.solutionDir, f))]));
}

/**
 * The stub as the workbook shipped it, from git: the upstream branch if there
 * is one (a learner's own commits never change it), else the last commit.
 */
export function originalStubFiles(lesson: Lesson): { ref: string; files: Map<string, Buffer> } {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: workbookRoot, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  let refs: string[];
  try {
    git('rev-parse', '--git-dir');
    refs = ['upstream/main', 'origin/HEAD', 'origin/main', 'HEAD'].filter((ref) => {
      try {
        git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
        return true;
      } catch {
        return false;
      }
    });
  } catch {
    throw new UserError('Reset needs the workbook as a git clone, to find the original files; this folder is not one.');
  }
  const folder = displayPath(lesson.exerciseDir);
  for (const ref of refs) {
    let listing: string;
    try {
      listing = git('ls-tree', '-r', '--name-only', ref, '--', `${folder}/`).toString();
    } catch {
      continue;
    }
    const names = listing.split('\n').filter(Boolean);
    if (!names.length) continue;
    const files = new Map(names.map((name) => [path.relative(folder, name), git('show', `${ref}:${name}`)]));
    return { ref, files };
  }
  throw new UserError(`Could not find the original files of ${folder}/ in git (tried ${refs.join(', ') || 'no refs'}).`);
}

/** Files whose content differs from the exercise folder's. */
export function changedFiles(lesson: Lesson, files: Map<string, Buffer>): string[] {
  return [...files].filter(([relative, content]) => {
    const file = path.join(lesson.exerciseDir, relative);
    return !fs.existsSync(file) || !fs.readFileSync(file).equals(content);
  }).map(([relative]) => relative);
}
