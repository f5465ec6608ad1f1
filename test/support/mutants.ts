// A mutant is a known-wrong version of a solution: one small edit, the kind of
// mistake learners really make. A variant is a right answer written another
// way: one or more edits that every behaviour must still accept. Each lesson
// lists them in test/mutants/<lesson-id>.ts and test/variants/<lesson-id>.ts;
// the suite applies the edits to a copy of the solution and grades the copy.
import fs from 'node:fs';
import path from 'node:path';
import { escapeRegExp } from '../../grader/engine/format.ts';

/** One edit of a solution file. */
export interface Edit {
  /** The file to edit, relative to the lesson folder. */
  file?: string;
  /** Text (or pattern) that must occur exactly once in the solution file. */
  find: string | RegExp;
  replace: string;
}

export interface Mutant extends Edit {
  /** The mistake, in a learner's words: "counts characters, not bytes". */
  name: string;
  /** The behaviour (test name) that must fail because of it. */
  caughtBy: string;
}

export interface Variant {
  /** What is different, in a learner's words: "writes header names in lower case". */
  name: string;
  edits: Edit[];
  /**
   * Why it is graded on a copy of its own, never beside other variants (see
   * support/variant-suite.ts): it clashes with another, which edits other text
   * but relies on what this one changes, or declares the same name.
   */
  alone?: string;
}

export class StaleMutantError extends Error {}

/** Copies a solution folder to `into` and applies the edits there, in order. */
export function applyEdits(solutionDir: string, into: string, name: string, edits: Edit[]): void {
  const edited = editedFiles(solutionDir, name, edits);
  fs.cpSync(solutionDir, into, { recursive: true });
  for (const [file, source] of edited) fs.writeFileSync(path.join(into, file), source);
}

/** The files the edits change, applied in order to the solution's: relative path → new text. */
export function editedFiles(solutionDir: string, name: string, edits: Edit[]): Map<string, string> {
  const edited = new Map<string, string>();
  for (const edit of edits) {
    const file = edit.file ?? 'server.ts';
    const source = edited.get(file) ?? fs.readFileSync(path.join(solutionDir, file), 'utf8');
    const flags = typeof edit.find === 'string' ? 'g' : edit.find.flags.includes('g') ? edit.find.flags : edit.find.flags + 'g';
    const pattern = new RegExp(typeof edit.find === 'string' ? escapeRegExp(edit.find) : edit.find.source, flags);
    const matches = source.match(pattern)?.length ?? 0;
    if (matches !== 1) {
      throw new StaleMutantError(`"${name}" expects ${String(edit.find)} exactly once in ${file}, found it ${matches} times.`);
    }
    edited.set(file, source.replace(pattern, () => edit.replace));
  }
  return edited;
}

/** Copies a solution folder to `into` and applies the mutant's edit there. */
export function applyMutant(solutionDir: string, into: string, mutant: Mutant): void {
  applyEdits(solutionDir, into, `Mutant "${mutant.name}"`, [mutant]);
}
