// The type check behind `npm run check`: the solutions have no type errors.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { discoverLessons } from '../../grader/engine/lessons.ts';
import { solutionsDir, stateDir } from '../../grader/engine/paths.ts';
import { compilerCodeCacheDir, typeCheckSession, typecheckLessons } from '../../grader/engine/typecheck.ts';

test('every solution type-checks cleanly (check --target solutions shows no type errors)', async () => {
  const errors = await typecheckLessons(discoverLessons().map((l) => path.join(solutionsDir, l.id)), solutionsDir);
  expect(errors.map((e) => `${e.file}:${e.line}: ${e.message}`)).toEqual([]);
}, 120_000);

/** A scratch copy of lesson 01's solution, in `root`/<lesson id>. */
function copyOfFirstSolution(name: string) {
  const root = path.join(stateDir, 'scratch', `${name}-${process.pid}`);
  const lesson = discoverLessons()[0]!;
  const dir = path.join(root, lesson.id);
  fs.rmSync(root, { recursive: true, force: true });
  fs.cpSync(lesson.solutionDir, dir, { recursive: true });
  return { root, lesson, dir };
}

test('watch mode’s type checker answers check after check, each on the files as they are then', async () => {
  const { root, lesson, dir } = copyOfFirstSolution('typecheck-session');
  const server = path.join(dir, 'server.ts');
  const session = typeCheckSession();
  try {
    expect(await session.check([dir], root)).toEqual([]);
    const lines = fs.readFileSync(server, 'utf8').split('\n').length;
    // A new line, unique to this run, so the content-keyed cache cannot answer.
    fs.appendFileSync(server, `\nexport const broken${process.pid}: number = 'not a number';\n`);
    const errors = await session.check([dir], root);
    expect(errors.map((e) => [path.relative(root, e.file), e.line, e.code])).toEqual([[path.join(lesson.id, 'server.ts'), lines + 1, 2322]]);
  } finally {
    session.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}, 120_000);

test('a damaged code cache of the compiler is replaced, and the check still finds the error', async () => {
  const { root, lesson, dir } = copyOfFirstSolution('typecheck-cache');
  // Unique to this test and run, so the type check's own cache of results cannot answer.
  fs.appendFileSync(path.join(dir, 'server.ts'), `\nexport const brokenCache${process.pid}: number = 'not a number';\n`);
  const cacheDir = compilerCodeCacheDir();
  fs.mkdirSync(cacheDir, { recursive: true });
  // Every cache there, whichever TypeScript and Node wrote it, made unreadable to V8.
  const caches = () => fs.readdirSync(cacheDir).filter((name) => name.endsWith('.bin')).map((name) => path.join(cacheDir, name));
  await typecheckLessons([lesson.solutionDir], solutionsDir);
  for (const file of caches()) fs.writeFileSync(file, 'not a code cache');
  try {
    const errors = await typecheckLessons([dir], root);
    expect(errors.map((e) => e.code)).toEqual([2322]);
    // Written again whole: megabytes of compiled code, not the 16 bytes above.
    expect(caches().map((file) => fs.statSync(file).size > 1_000_000)).toContain(true);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}, 120_000);
