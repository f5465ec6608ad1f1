// A failing random case can be replayed: every random value of a run comes
// from one seed, printed with the failure; ROUNDTRIP_SEED=<seed> sends the
// same requests again, and another seed sends other ones.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { solutionsDir, stateDir } from '../grader/engine/paths.ts';
import { runCli } from './support/grade.ts';

const id = '01-how-the-web-works';
const target = path.join(stateDir, 'scratch', `seed-${process.pid}`);
afterAll(() => fs.rmSync(target, { recursive: true, force: true }));

/** The requests a failing check showed, and the seed it printed. */
async function failingRun(seed?: string): Promise<{ requests: string[]; printed: string }> {
  const run = await runCli(['check', '1', '--target', target], seed ? { ROUNDTRIP_SEED: seed } : {});
  expect(run.code, run.stdout + run.stderr).toBe(1);
  const printed = run.stdout.match(/ROUNDTRIP_SEED=(\w+) npm run check -- 1/)?.[1] ?? '';
  return { requests: run.stdout.split('\n').filter((line) => /^\s+Request /.test(line)), printed };
}

test('a failure prints its seed, and that seed replays the same requests', async () => {
  // A server that always names the same path: the behaviour sending random paths fails.
  fs.cpSync(path.join(solutionsDir, id), path.join(target, id), { recursive: true });
  const server = path.join(target, id, 'server.ts');
  const source = fs.readFileSync(server, 'utf8');
  expect(source).toContain('${line.target}');
  fs.writeFileSync(server, source.replaceAll('${line.target}', '/'));

  const first = await failingRun();
  expect(first.printed).toMatch(/^[0-9a-f]{8}$/);
  expect(first.requests.length).toBeGreaterThan(0);
  const replay = await failingRun(first.printed);
  expect(replay.printed).toBe(first.printed);
  expect(replay.requests).toEqual(first.requests);
  const other = await failingRun(first.printed === '00000000' ? '00000001' : '00000000');
  expect(other.requests).not.toEqual(first.requests);
}, 120_000);
