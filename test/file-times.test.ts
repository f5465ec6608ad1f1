// A right answer passes whatever time its files were changed at. Node gives
// stats.mtime rounded to the millisecond: a file changed in the last half
// millisecond of a second (05.9997) has an mtime of 06.000, so a server that
// takes its Last-Modified from stats.mtime, as lesson 11 does, says 06 where
// stats.mtimeMs cut to the second says 05. Either is right; the grader takes both.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { discoverLessons } from '../grader/engine/lessons.ts';
import { stateDir } from '../grader/engine/paths.ts';
import { grade } from './support/grade.ts';

const lesson = discoverLessons().find((l) => l.id.startsWith('11-'))!;
const target = path.join(stateDir, 'scratch', `file-times-${process.pid}`);
afterAll(() => fs.rmSync(target, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(file) : [file];
  });
}

test('lesson 11 passes with files changed 0.3 ms before a whole second', async () => {
  const dir = path.join(target, lesson.id);
  fs.cpSync(lesson.solutionDir, dir, { recursive: true });
  // Seconds with a fraction: 999.7 ms past a whole second, a day ago.
  const time = Math.floor(Date.now() / 1000) - 86_400 + 0.9997;
  for (const file of filesUnder(path.join(dir, 'static'))) fs.utimesSync(file, time, time);
  const sample = fs.statSync(path.join(dir, 'static', 'css', 'site.css'));
  // The premise: the two ways of reading the time disagree on the second.
  expect(Math.floor(sample.mtimeMs / 1000)).not.toBe(Math.floor(sample.mtime.getTime() / 1000));

  const run = await grade(target, [lesson.id]);
  const behaviours = run.lessons[lesson.id];
  expect(behaviours, `${run.stdout}\n${run.stderr}`).toBeDefined();
  const failed = Object.entries(behaviours!).filter(([, o]) => o.status !== 'passed').map(([name, o]) => `${name}: ${o.summary}`);
  expect(failed).toEqual([]);
});
