// The lesson lint: every relative link and every file a lesson names in
// backticks exists, and every ```ts block type-checks with the project's
// options (rules in CONTRIBUTING.md, "The lesson lint"). The lint's own rules
// are tested on small made-up lessons first, so a lint that checks nothing
// cannot pass.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { Lesson } from '../grader/engine/lessons.ts';
import { stateDir, workbookRoot } from '../grader/engine/paths.ts';
import { checkReferences, fencedBlocks, typeCheckLessons, type Problem } from './support/lesson-lint.ts';
import { selectedLessons } from './support/selection.ts';

const lessons = selectedLessons();
const lintDir = path.join(stateDir, 'lint', String(process.pid));
afterAll(() => fs.rmSync(lintDir, { recursive: true, force: true }));

const show = (problems: Problem[]) => problems.map((p) => `${p.where}: ${p.message}`).join('\n');

describe('the lessons', () => {
  test.each(lessons.map((l) => [l.id, l]))('%s: links and file references resolve', (_id, lesson) => {
    const problems = checkReferences(lesson.lessonFile, workbookRoot);
    expect(problems, show(problems)).toEqual([]);
  });

  test('their TypeScript blocks type-check', () => {
    const problems = typeCheckLessons(lessons, { repository: workbookRoot, workDir: path.join(lintDir, 'lessons') });
    expect(problems, show(problems)).toEqual([]);
  });
});

describe('the lint itself', () => {
  // A made-up lesson 99 and its solution, inside the repository (so
  // #provided/ resolves).
  const root = path.join(lintDir, 'fixture');
  function fixture(markdown: string): Lesson {
    const solutionDir = path.join(root, 'solutions', '99-fixture');
    fs.mkdirSync(solutionDir, { recursive: true });
    fs.writeFileSync(
      path.join(solutionDir, 'server.ts'),
      [
        "import net from 'node:net';",
        "import type { Request } from '#provided/http.ts';",
        '// Not exported: a block may use it all the same.',
        'function greet(name: string): string {',
        '  return `Hello, ${name}`;',
        '}',
        'export const port = net.isIP(greet(\'x\')) + 3000;',
        'export type Seen = Request;',
        '',
      ].join('\n'),
    );
    fs.mkdirSync(path.join(root, 'lessons'), { recursive: true });
    const lessonFile = path.join(root, 'lessons', '99-fixture.md');
    fs.writeFileSync(lessonFile, markdown);
    return {
      number: 99,
      id: '99-fixture',
      title: 'Fixture',
      lessonFile,
      exerciseDir: path.join(root, 'exercises', '99-fixture'),
      solutionDir,
      specFile: path.join(root, 'grader', 'specs', '99-fixture.spec.ts'),
    };
  }
  const typeCheck = (markdown: string) => typeCheckLessons([fixture(markdown)], { repository: workbookRoot, workDir: path.join(lintDir, 'fixture-blocks') });

  test('finds fenced blocks, their language and a skip comment before them', () => {
    const blocks = fencedBlocks(['# x', '```ts', 'a', '```', '', '<!-- lint: skip -->', '', '```sh', 'b', '```', '~~~text', '```', '~~~'].join('\n'));
    expect(blocks.map((b) => [b.lang, b.line, b.code, b.skip])).toEqual([
      ['ts', 2, 'a', false],
      ['sh', 8, 'b', true],
      ['text', 11, '```', false],
    ]);
  });

  test('reports a missing file in backticks and a broken link, with their lines', () => {
    const lessonOne = path.relative(path.join(root, 'lessons'), path.join(workbookRoot, 'lessons', '01-how-the-web-works.md'));
    const lesson = fixture(
      [
        '# 99 · Fixture',
        '',
        'Open `exercises/99-nowhere/server.ts`, not `provided/http.ts` or `exercises/NN-slug/`.',
        '',
        `See [the idea](#the-idea), [lesson one](${lessonOne}#goal),`,
        '[a ghost](./ghost.md), [a bad anchor](#nothing-here) and [MDN](https://developer.mozilla.org/).',
        '',
        '## The idea',
      ].join('\n'),
    );
    const problems = checkReferences(lesson.lessonFile, workbookRoot);
    expect(problems.map((p) => p.where.split(':').at(-1))).toEqual(['3', '6', '6']);
    expect(show(problems)).toMatch(/exercises\/99-nowhere\/server\.ts/);
    expect(show(problems)).toMatch(/ghost\.md/);
    expect(show(problems)).toMatch(/#nothing-here.*does not have/);
  });

  test('reports a type error at its line in the lesson', () => {
    const problems = typeCheck(['# 99', '', '```ts', "const n: number = 'one';", '```'].join('\n'));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.where).toMatch(/99-fixture\.md:4$/);
    expect(problems[0]!.message).toMatch(/TS2322/);
  });

  test('takes names from the lesson’s solution (exported or not, and its imports) and provided/', () => {
    const ok = typeCheck(
      [
        '```ts',
        "const hello = Response.text(greet('you'), 200); // provided/http.ts; the solution's greet",
        "const family: number = net.isIP('::1'); // imported by the solution",
        'const app = compose([], async () => hello); // provided/compose.ts',
        '```',
      ].join('\n'),
    );
    expect(ok, show(ok)).toEqual([]);
    // The real signature, not `any`: greet takes a string.
    const wrong = typeCheck(['```ts', 'greet(42);', '```'].join('\n'));
    expect(show(wrong)).toMatch(/TS2345/);
  });

  test('takes a variable of an example-call block as given, and a bare signature as a declaration', () => {
    const problems = typeCheck(
      [
        '```ts',
        "parser.next(greet('x')) // -> a variable the text introduced in words",
        '```',
        '',
        '```ts',
        'export function parse(text: string): Request',
        '```',
      ].join('\n'),
    );
    expect(problems, show(problems)).toEqual([]);
  });

  test('a block that declares things must be complete, unless skipped', () => {
    const broken = ['```ts', 'const response = await next(request);', '```'];
    expect(typeCheck(broken.join('\n')).map((p) => p.message).join('\n')).toMatch(/Cannot find name 'next'/);
    expect(typeCheck(['<!-- lint: skip -->', ...broken].join('\n'))).toEqual([]);
  });
});
