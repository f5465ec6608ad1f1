// The grader starts Vitest's worker before Vitest (see warm-workers.ts), set up
// as Vitest will ask for it. If Vitest asks for something else (an upgrade that
// changes the worker's environment or flags), the early worker goes unused and
// every check is slower by a fifth of a second: this test says so. A worker set
// up differently is never adopted, and the run still passes on a fresh one.
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, expect, test } from 'vitest';
import { startVitest } from 'vitest/node';
import { stateDir } from '../../grader/engine/paths.ts';
import { graderTestOptions } from '../../grader/vitest-options.ts';
import { expectedSetup, WarmPool } from '../../grader/engine/warm-workers.ts';

const root = path.join(stateDir, 'scratch', `warm-workers-${process.pid}`);
fs.mkdirSync(root, { recursive: true });
fs.writeFileSync(
  path.join(root, 'sample.spec.ts'),
  `import { expect, test } from 'vitest';\ntest('runs in the worker', () => expect(process.env.VITEST_MODE).toBe('RUN'));\n`,
);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Runs the sample spec as the grader runs a lesson's, on this pool; true when it passed. */
async function runWith(pool: WarmPool): Promise<boolean> {
  const quiet = { stdout: new PassThrough(), stderr: new PassThrough() };
  const vitest = await startVitest(
    'test',
    [],
    { ...graderTestOptions, root, config: false, include: ['sample.spec.ts'], pool: pool.initializer(), reporters: [] },
    {},
    quiet,
  );
  const passed = vitest.state.getTestModules().every((module) => module.ok());
  await vitest.close();
  await pool.close();
  return passed;
}

test('Vitest adopts the worker started before it, set up exactly as Vitest asks', async () => {
  const pool = new WarmPool();
  pool.prestart(1, expectedSetup(false));
  expect(await runWith(pool)).toBe(true);
  expect(pool.counts).toEqual({ adopted: 1, fresh: 0 });
});

test('a worker set up otherwise is not adopted: the run starts a fresh one and passes', async () => {
  const pool = new WarmPool();
  const setup = expectedSetup(false);
  pool.prestart(1, { ...setup, env: { ...setup.env, VITEST_MODE: 'WATCH' } });
  expect(await runWith(pool)).toBe(true);
  expect(pool.counts).toEqual({ adopted: 0, fresh: 1 });
});
