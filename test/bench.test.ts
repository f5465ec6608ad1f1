// npm run bench: every figure printed as min / median / max beside the floor,
// a compared command's failed run run again, and a compared command that
// always fails stopping the benchmark with one sentence.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { discoverLessons } from '../grader/engine/lessons.ts';
import { runCli, normalLimits } from './support/grade.ts';
import { scratchWorkbook } from './support/scratch.ts';

describe('bench', () => {
  test('prints every figure as min / median / max beside the floor, and the ratio to a compared command', async () => {
    // A workbook of the first two lessons: "all lessons" is then two, and the test checks the figures, not their size.
    const root = scratchWorkbook('bench');
    for (const { id } of discoverLessons().slice(2)) {
      for (const place of [`lessons/${id}.md`, `exercises/${id}`, `solutions/${id}`]) fs.rmSync(path.join(root, place), { recursive: true, force: true });
    }
    // The compared command fails once, on its first timed run (its second run in all): that run is run again, not counted.
    const runsFile = path.join(root, 'compared-runs');
    const flaky = `n=$(cat ${runsFile} 2>/dev/null || echo 0); echo $((n + 1)) > ${runsFile}; [ "$n" != 1 ]`;
    // About ten checks and a watch session: on a machine loaded many times over, more than the usual 90 s.
    const run = await runCli(['bench', '--runs', '1', '--compare', flaky], { ...normalLimits, ROUNDTRIP_ROOT: root }, { timeoutMs: 300_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(fs.readFileSync(runsFile, 'utf8').trim()).toBe('3');
    const figure = (name: string) => new RegExp(`^${name}\\s+\\d+\\.\\d\\d / \\d+\\.\\d\\d / \\d+\\.\\d\\d s`, 'm');
    for (const name of ['floor: node -e 0', 'check one lesson \\(solution passes\\)', 'compare: .* \\(1 failed run run again\\)', 'check one lesson \\(your exercise 01, (passes|fails)\\)', 'check one lesson after an edit \\(solution\\)', 'check all 2 lessons \\(solutions\\)', 'watch: re-grade after a save']) {
      expect(run.stdout).toMatch(figure(name));
    }
    expect(run.stdout).toMatch(/^ratio of medians \(check \/ compare\)\s+\d+\.\d\d/m);
  }, 320_000);

  test('a compared command that fails stops the benchmark with one sentence, not a time', async () => {
    const run = await runCli(['bench', '--runs', '1', '--compare', 'exit 3'], normalLimits);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('sh -c exit 3 exited with 3, not 0, so its time is not counted.');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
