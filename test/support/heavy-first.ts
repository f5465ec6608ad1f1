// The order the suite's files start in. Vitest runs a fresh clone's files
// largest first, so the two small files that grade every mutant (the longest
// work of the suite) would start last and run alone at the end. The files that
// grade many servers start first, in this order; the rest keep Vitest's order.
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Longest first; a file that grades while it is collected (solutions, stubs) counts its collection.
// Except hostile-input, first of all: it mostly waits on time-outs, and the
// mutant grader that starts beside it keeps both cores busy meanwhile.
const heavyFirst = [
  'hostile-input',
  'mutants-1',
  'mutants-2',
  'mutants-3',
  'variants-08-on',
  'variants-01-07',
  'cli-grading',
  'new-lesson',
  'watch',
  'own-stack',
  'site',
  'bench',
  'hostile',
  'project-types',
  'cli',
  'solutions',
  'stubs',
  'typecheck',
  'seed',
];

const rank = (spec: TestSpecification) => {
  const index = heavyFirst.indexOf(path.basename(spec.moduleId, '.test.ts'));
  return index === -1 ? heavyFirst.length : index;
};

export class HeavyFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return sorted
      .map((spec, index) => ({ spec, index }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.index - b.index)
      .map(({ spec }) => spec);
  }
}
