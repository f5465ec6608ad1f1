// The workbook's own tests. Most of them run the grader CLI in a child process,
// exactly as a learner or a classroom would.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { HeavyFirst } from './support/heavy-first.ts';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Most files wait on servers, browsers and child processes rather than
    // compute: three at a time even on two cores (Vitest's default there is one).
    maxWorkers: 3,
    sequence: { sequencer: HeavyFirst },
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
