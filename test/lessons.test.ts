// Every lesson is complete and consistent: the four parts exist under one
// name, stubs and solutions have the same files, stubs have TODOs and
// solutions do not, and the lesson text has the sections learners rely on.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { discoverLessons, exerciseFiles } from '../grader/engine/lessons.ts';
import { readGradedNames, readHints, readRequirements } from '../grader/engine/lesson-text.ts';
import { selectedLessons } from './support/selection.ts';


test('lessons are numbered 01, 02, … without gaps', () => {
  const numbers = discoverLessons().map((l) => l.number);
  expect(numbers).toEqual(numbers.map((_, i) => i + 1));
});

describe.each(selectedLessons().map((l) => [l.id, l]))('%s', (_id, lesson) => {
  test('has an exercise, a solution, a grader spec and mutants', () => {
    expect(fs.existsSync(lesson.exerciseDir), lesson.exerciseDir).toBe(true);
    expect(fs.existsSync(lesson.solutionDir), lesson.solutionDir).toBe(true);
    expect(fs.existsSync(lesson.specFile), lesson.specFile).toBe(true);
    expect(fs.existsSync(path.join(import.meta.dirname, 'mutants', `${lesson.id}.ts`))).toBe(true);
  });

  test('stub and solution have the same files, and the server entry', () => {
    expect(exerciseFiles(lesson.exerciseDir)).toEqual(exerciseFiles(lesson.solutionDir));
    expect(exerciseFiles(lesson.exerciseDir)).toContain('server.ts');
  });

  test('the stub has TODOs that throw, the solution none', () => {
    const stub = exerciseFiles(lesson.exerciseDir).map((f) => fs.readFileSync(path.join(lesson.exerciseDir, f), 'utf8')).join('\n');
    const solution = exerciseFiles(lesson.solutionDir).map((f) => fs.readFileSync(path.join(lesson.solutionDir, f), 'utf8')).join('\n');
    expect(stub).toMatch(/\/\/ TODO: /);
    expect(stub).toMatch(/throw new Error\('TODO: /);
    expect(solution).not.toMatch(/TODO/);
  });

  test('files the learner does not edit (no TODO in the stub) are the same in the solution', () => {
    const given = exerciseFiles(lesson.exerciseDir).filter((f) => !fs.readFileSync(path.join(lesson.exerciseDir, f), 'utf8').includes('TODO'));
    for (const file of given) {
      expect(fs.readFileSync(path.join(lesson.solutionDir, file)).equals(fs.readFileSync(path.join(lesson.exerciseDir, file))), file).toBe(true);
    }
  });

  test('the hints are questions, at least three', () => {
    const hints = readHints(fs.readFileSync(lesson.lessonFile, 'utf8'));
    expect(hints.length).toBeGreaterThanOrEqual(3);
    for (const hint of hints) expect(hint).toMatch(/\?/);
  });

  test('every requirement of the exercise names the behaviours that grade it, and every behaviour grades one', () => {
    const behaviours = behaviourNames(fs.readFileSync(lesson.specFile, 'utf8'));
    const requirements = readRequirements(fs.readFileSync(lesson.lessonFile, 'utf8'));
    const where = (line: number) => `${path.relative(process.cwd(), lesson.lessonFile)}:${line}`;
    expect(requirements.length, 'no list of requirements under "## The exercise"').toBeGreaterThan(0);
    const problems: string[] = [];
    for (const item of requirements) {
      if (item.notGraded !== undefined) continue;
      if (!item.graded?.length) problems.push(`${where(item.line)}: "${item.text}" names no behaviour (end it with <!-- graded: behaviour name -->)`);
      for (const name of item.graded ?? []) if (!behaviours.includes(name)) problems.push(`${where(item.line)}: no behaviour "${name}" in the spec`);
    }
    // An optional part (lesson 13's own stack) may list its rules in its own section.
    const named = new Set(readGradedNames(fs.readFileSync(lesson.lessonFile, 'utf8')));
    for (const name of behaviours) if (!named.has(name)) problems.push(`behaviour "${name}" grades no requirement of the exercise`);
    expect(problems).toEqual([]);
  });

  // Sections and the main path's budget: test/lesson-shape.test.ts.
  test('stays under 600 lines', () => {
    expect(fs.readFileSync(lesson.lessonFile, 'utf8').split('\n').length).toBeLessThan(600);
  });
});

test('the README lists every lesson with its title', () => {
  const readme = fs.readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');
  for (const lesson of discoverLessons()) expect(readme).toContain(`| ${lesson.id.slice(0, 2)} | ${lesson.title} |`);
});

/** The names passed to `lesson.behaviour(…)` in a spec's source. */
function behaviourNames(source: string): string[] {
  return [...source.matchAll(/\.behaviour\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)].map((m) => {
    expect(m[2], 'a behaviour name must be a plain string, without ${…}').not.toMatch(/\$\{/);
    return m[2]!.replace(/\\(.)/g, '$1');
  });
}
