// Every stub, as shipped, fails every behaviour of its grader, and for the
// right reason: "not implemented yet", never a crash of the grader.
import { describe, expect, test } from 'vitest';
import { selectedLessons } from './support/selection.ts';
import { exercisesDir } from '../grader/engine/paths.ts';
import { grade } from './support/grade.ts';

const lessons = selectedLessons();

describe('stubs', async () => {
  const run = await grade(exercisesDir, lessons.map((l) => l.id));

  test.each(lessons.map((l) => [l.id]))('%s fails every behaviour as "not implemented yet"', (id) => {
    const behaviours = run.lessons[id];
    expect(behaviours, `no results for ${id}\n${run.stdout}\n${run.stderr}`).toBeDefined();
    for (const [name, outcome] of Object.entries(behaviours!)) {
      expect(outcome.status, name).toBe('failed');
      expect(outcome.kind, `${name}: ${outcome.summary}`).toBe('todo');
    }
  });

  test('the check exits 1', () => {
    expect(run.code).toBe(1);
  });
});
