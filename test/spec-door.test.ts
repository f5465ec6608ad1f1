// A spec talks to the engine through one door, the harness: it imports
// nothing else of the engine (only the harness, Node's own modules and the
// lessons' shared data in provided/fixtures/), never edits a recorded exchange
// (what is shown is always what was sent, built by the engine from the
// request's description), and draws random values only from the seeded stream,
// so a failing case can be replayed with ROUNDTRIP_SEED.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { helloBody } from '../provided/fixtures/01-how-the-web-works.ts';
import { basicChallenge, securityHeaderValues } from '../provided/fixtures/07-middleware-in-practice.ts';
import { templateTexts } from '../provided/fixtures/10-templating.ts';
import { staticFiles } from '../provided/fixtures/11-static-files-and-caching.ts';
import { exercisesDir, lessonsDir, solutionsDir, specsDir } from '../grader/engine/paths.ts';

const specs = fs.readdirSync(specsDir).filter((f) => f.endsWith('.spec.ts'));

/** Where a spec's imports may come from: the harness, Node's own modules, and a lesson's data in provided/fixtures/. */
function forbiddenImports(source: string): string[] {
  const imports = [
    ...source.matchAll(/^\s*(?:import|export)\b[^;]*?from\s+'([^']+)'/gm),
    ...source.matchAll(/^\s*import\s+'([^']+)'/gm),
    ...source.matchAll(/\bimport\(\s*['"`]([^'"`]+)['"`]\s*\)/g),
  ].map((m) => m[1]!);
  return imports.filter((from) => from !== '../engine/harness.ts' && !from.startsWith('node:') && !isFixture(from));
}

function isFixture(from: string): boolean {
  return /^\.\.\/\.\.\/provided\/fixtures\/[\w-]+\.ts$/.test(from) && fs.existsSync(path.join(specsDir, from));
}

test('the door lets in the harness, node: modules and provided/fixtures/, and nothing else', () => {
  const allowed = [
    "import { type Check, gradeLesson } from '../engine/harness.ts';",
    "import fs from 'node:fs';",
    "import { users } from '../../provided/fixtures/07-middleware-in-practice.ts';",
  ];
  expect(allowed.flatMap(forbiddenImports)).toEqual([]);
  const refused = [
    "import { shellQuote } from '../engine/format.ts';",
    "import type { Received } from '../engine/response.ts';",
    "import { compose } from '../../provided/compose.ts';",
    "import { users } from '../../provided/fixtures/no-such-lesson.ts';",
    "import { users } from '../../exercises/07-middleware-in-practice/server.ts';",
    "import { request } from 'undici';",
    "export { header } from '../engine/response.ts';",
    "import '../engine/child/listen-probe.cjs';",
    "const format = await import('../engine/format.ts');",
  ];
  expect(refused.map((line) => forbiddenImports(line).length)).toEqual(refused.map(() => 1));
});

describe.each(specs)('%s', (file) => {
  const source = fs.readFileSync(path.join(specsDir, file), 'utf8');

  test('imports the harness, and nothing else but node: modules and provided/fixtures/', () => {
    const imports = [...source.matchAll(/^\s*import\b[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
    expect(imports).toContain('../engine/harness.ts');
    expect(forbiddenImports(source)).toEqual([]);
  });

  test('never edits a recorded exchange', () => {
    const edits = source.split('\n').filter((line) => /\b(lastExchange|exchange)\b[\w.!?\]\[]*\s*(=|\?\?=)(?!=)/.test(line));
    expect(edits).toEqual([]);
  });

  test('takes random values from the seeded stream only (t.hex, t.random)', () => {
    expect(source).not.toMatch(/Math\.random|randomBytes|randomUUID|randomInt/);
  });
});

// Some data stays in the exercise: what the learner types from the lesson, and
// the templates the learner's engine reads. The grader's copy, in
// provided/fixtures/, must say the same as the lesson, the stub and the solution.
describe('lesson data that stays in the exercise, and the grader keeps a copy of', () => {
  const read = (...parts: string[]) => fs.readFileSync(path.join(...parts), 'utf8');
  const pairs = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => [m[1], m[2]]);

  test("01's body: the lesson, the stub's TODO and the solution", () => {
    const template = (method: string, target: string) => helloBody(`\${${method}}`, `\${${target}}`).replace('\n', '\\n');
    expect(read(lessonsDir, '01-how-the-web-works.md')).toContain(`\`${template('method', 'target')}\``);
    expect(read(exercisesDir, '01-how-the-web-works', 'server.ts')).toContain(`// \`${template('method', 'target')}\`.`);
    expect(read(solutionsDir, '01-how-the-web-works', 'server.ts')).toContain(`const body = \`${template('line.method', 'line.target')}\`;`);
  });

  test("07's security headers: the lesson, the stub's TODO and the solution's securityDefaults", () => {
    const lesson = read(lessonsDir, '07-middleware-in-practice.md');
    for (const [name, value] of securityHeaderValues) expect(lesson).toContain(`- \`${name}: ${value}\``);
    const stub = read(exercisesDir, '07-middleware-in-practice', 'middleware.ts');
    const todo = /\/\/ TODO: On the way out, add ([\s\S]*?) to every response/.exec(stub)?.[1]?.replace(/\n\/\/ /g, ' ');
    expect(pairs(todo ?? '', /([A-Z][\w-]+): ([\w-]+)/g)).toEqual(securityHeaderValues);
    const solution = read(solutionsDir, '07-middleware-in-practice', 'middleware.ts');
    const defaults = /const securityDefaults\b[^=]*= \{([\s\S]*?)\n\};/.exec(solution)?.[1] ?? '';
    expect(pairs(defaults, /'([\w-]+)': '([^']+)'/g)).toEqual(securityHeaderValues);
  });

  test("07's Basic challenge: the lesson, the stub's TODO and the solution", () => {
    expect(read(lessonsDir, '07-middleware-in-practice.md')).toContain(`\`WWW-Authenticate: ${basicChallenge}\``);
    expect(read(exercisesDir, '07-middleware-in-practice', 'middleware.ts')).toContain(`// WWW-Authenticate: ${basicChallenge}.`);
    expect(read(solutionsDir, '07-middleware-in-practice', 'middleware.ts')).toContain(`response.headers.set('WWW-Authenticate', '${basicChallenge}');`);
  });

  test.each(Object.entries(templateTexts))("10's %s holds the texts the grader expects from it, in the exercise and the solution", (file, texts) => {
    for (const root of [exercisesDir, solutionsDir]) {
      const template = read(root, '10-templating', 'templates', file);
      expect(Object.values(texts).filter((text) => !template.includes(text)), `${root}/10-templating/templates/${file}`).toEqual([]);
    }
  });

  test.each(Object.values(staticFiles).map((file) => [file.file, file]))("11's static/%s: in the exercise and the solution, typed as the lesson's table and the solution say", (_, { file, type }) => {
    for (const root of [exercisesDir, solutionsDir]) expect(fs.existsSync(path.join(root, '11-static-files-and-caching', 'static', file)), `${root}/11-static-files-and-caching/static/${file}`).toBe(true);
    const extension = path.extname(file);
    const table = new Map(pairs(read(lessonsDir, '11-static-files-and-caching.md'), /^\| `(\.\w+)` \| `([^`]+)`/gm) as [string, string][]);
    const solution = new Map(pairs(read(solutionsDir, '11-static-files-and-caching', 'static.ts'), /^ {2}'(\.\w+)': '([^']+)',/gm) as [string, string][]);
    const fallback = 'application/octet-stream';
    expect(table.get(extension) ?? fallback).toBe(type);
    expect(solution.get(extension) ?? fallback).toBe(type);
  });
});
