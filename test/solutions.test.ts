// Every reference solution passes every behaviour of its lesson.
import { describe, expect, test } from 'vitest';
import { selectedLessons } from './support/selection.ts';
import { solutionsDir } from '../grader/engine/paths.ts';
import { grade } from './support/grade.ts';

const lessons = selectedLessons();

describe('solutions', async () => {
  const run = await grade(solutionsDir, lessons.map((l) => l.id));

  test.each(lessons.map((l) => [l.id]))('%s passes its grader', (id) => {
    const behaviours = run.lessons[id];
    expect(behaviours, `no results for ${id}\n${run.stdout}\n${run.stderr}`).toBeDefined();
    const failed = Object.entries(behaviours!).filter(([, o]) => o.status !== 'passed');
    expect(failed).toEqual([]);
    expect(Object.keys(behaviours!).length).toBeGreaterThanOrEqual(5);
  });

  test('the check exits 0 when everything passes', () => {
    expect(run.code, run.stderr).toBe(0);
  });
});
