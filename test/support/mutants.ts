// A mutant is a known-wrong version of a solution: one small edit, the kind of
// mistake learners really make. Each lesson lists its mutants in
// test/mutants/<lesson-id>.ts; the suite applies each edit to a copy of the
// solution and proves the named behaviour catches it.
import fs from 'node:fs';
import path from 'node:path';

export interface Mutant {
  /** The mistake, in a learner's words: "counts characters, not bytes". */
  name: string;
  /** The file to edit, relative to the lesson folder. */
  file?: string;
  /** Text (or pattern) that must occur exactly once in the solution file. */
  find: string | RegExp;
  replace: string;
  /** The behaviour (test name) that must fail because of it. */
  caughtBy: string;
}

export class StaleMutantError extends Error {}

/** Copies a solution folder to `into` and applies the mutant's edit there. */
export function applyMutant(solutionDir: string, into: string, mutant: Mutant): void {
  fs.cpSync(solutionDir, into, { recursive: true });
  const file = path.join(into, mutant.file ?? 'server.ts');
  const source = fs.readFileSync(file, 'utf8');
  const pattern = typeof mutant.find === 'string' ? new RegExp(escapeRegExp(mutant.find), 'g') : new RegExp(mutant.find.source, mutant.find.flags.includes('g') ? mutant.find.flags : mutant.find.flags + 'g');
  const matches = source.match(pattern)?.length ?? 0;
  if (matches !== 1) {
    throw new StaleMutantError(
      `Mutant "${mutant.name}" expects ${String(mutant.find)} exactly once in ${mutant.file ?? 'server.ts'}, found it ${matches} times.`,
    );
  }
  fs.writeFileSync(file, source.replace(pattern, () => mutant.replace));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
