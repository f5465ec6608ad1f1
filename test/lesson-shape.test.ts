// The shape of every lesson: a main path a newcomer can read in one sitting
// (goal, idea, try it, a short "In Django", the exercise), then the hints,
// folded so that GitHub and editor previews hide them, then "Going further"
// (framework comparisons and deeper detail) and further reading.
import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { readHints, readSections } from '../grader/engine/lesson-text.ts';
import { lessonSections, mainPathBudget } from './support/lesson-shape.ts';
import { selectedLessons } from './support/selection.ts';


describe.each(selectedLessons().map((l) => [l.id, l]))('%s', (_id, lesson) => {
  const markdown = fs.readFileSync(lesson.lessonFile, 'utf8');
  const lines = markdown.split('\n');

  test('has the sections of a lesson, in order, and no others at that level', () => {
    expect(readSections(markdown).map((s) => s.title)).toEqual(lessonSections);
  });

  test(`keeps its main path (everything before "## Hints") within ${mainPathBudget} lines`, () => {
    const hints = lines.findIndex((line) => /^## Hints\s*$/.test(line));
    expect(hints, 'no "## Hints" heading').toBeGreaterThan(0);
    expect(hints, `${lesson.id}: the main path is ${hints} lines; move framework comparisons and detail to "## Going further"`).toBeLessThanOrEqual(mainPathBudget);
  });

  test('folds its hints in <details>, so a preview of the file does not show them', () => {
    const section = readSections(markdown).find((s) => s.title === 'Hints')!.body;
    const open = section.indexOf('<details>');
    const close = section.lastIndexOf('</details>');
    const firstHint = section.search(/^\d+\.\s/m);
    expect(open, 'no <details> in "## Hints"').toBeGreaterThanOrEqual(0);
    expect(firstHint).toBeGreaterThan(open);
    expect(close).toBeGreaterThan(section.search(/^\d+\.\s(?![\s\S]*^\d+\.\s)/m));
    expect(section.slice(open, firstHint)).toMatch(/<summary>.+<\/summary>/);
    expect(readHints(markdown).length).toBeGreaterThanOrEqual(3);
  });
});
