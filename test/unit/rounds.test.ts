// Mutant and variant rounds: a lesson that imports others meets their
// solutions, so it is graded in rounds after every lesson it imports from,
// however deep the imports go (13 imports 06–12; a lesson 14 may import 13).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { discoverLessons, type Lesson } from '../../grader/engine/lessons.ts';
import { importedLessons, importLayers, planRounds } from '../support/rounds.ts';

const lessons = discoverLessons();
const last = lessons.at(-1)!;

/** A lesson after the last one whose solution imports the last one. */
function nextLesson(): Lesson {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtrip-rounds-'));
  const number = last.number + 1;
  const id = `${String(number).padStart(2, '0')}-next`;
  fs.mkdirSync(path.join(dir, id));
  fs.writeFileSync(path.join(dir, id, 'server.ts'), `import { x } from '../${last.id}/views.ts';\nimport { y } from './own.ts';\n`);
  return { ...last, number, id, solutionDir: path.join(dir, id) };
}

test('a solution’s imports of other lessons are read from its files', () => {
  const next = nextLesson();
  expect(importedLessons(next)).toEqual([last.id]);
  expect(importedLessons(lessons[0]!)).toEqual([]);
});

test('layers follow the imports, however deep', () => {
  const next = nextLesson();
  const layers = importLayers([...lessons, next]);
  const lastLayer = layers.get(last.id)!;
  expect(layers.get(lessons[0]!.id)).toBe(0);
  expect(layers.get(next.id)).toBe(lastLayer + 1);
  for (const id of importedLessons(last)) expect(layers.get(id)!).toBeLessThan(lastLayer);
});

test('each layer’s copies are graded after the layers below it, never in the same round', () => {
  const next = nextLesson();
  const first = lessons[0]!;
  const copy = (lesson: Lesson, name: string) => ({ lesson, name, edits: [] });
  const cases = planRounds('rounds-test', [copy(first, 'a'), copy(first, 'b'), copy(last, 'c'), copy(next, 'd'), copy(next, 'e')]);
  // The runs are lazy: nothing is graded here.
  expect(cases.map((c) => [c.copy.name, c.round])).toEqual([['a', 0], ['b', 1], ['c', 2], ['d', 3], ['e', 4]]);
});
