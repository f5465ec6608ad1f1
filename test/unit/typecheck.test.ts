// The type check behind `npm run check`: the solutions have no type errors.
import path from 'node:path';
import { expect, test } from 'vitest';
import { discoverLessons } from '../../grader/engine/lessons.ts';
import { solutionsDir } from '../../grader/engine/paths.ts';
import { typecheckLessons } from '../../grader/engine/typecheck.ts';

test('every solution type-checks cleanly (check --target solutions shows no type errors)', async () => {
  const errors = await typecheckLessons(discoverLessons().map((l) => path.join(solutionsDir, l.id)), solutionsDir);
  expect(errors.map((e) => `${e.file}:${e.line}: ${e.message}`)).toEqual([]);
}, 120_000);
