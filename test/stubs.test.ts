// Every stub, as shipped, fails every behaviour of its grader, and for the
// right reason: "not implemented yet", never a crash of the grader. The stubs
// are graded in a copy: a check of exercises/ itself would write the results
// into the progress the menu shows ("ran today, failed" for every lesson).
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { selectedLessons } from './support/selection.ts';
import { grade } from './support/grade.ts';
import { scratchWorkbook } from './support/scratch.ts';

const lessons = selectedLessons();

describe('stubs', async () => {
  const run = await grade(path.join(scratchWorkbook('stubs'), 'exercises'), lessons.map((l) => l.id));

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
