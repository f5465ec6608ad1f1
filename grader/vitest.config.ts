// How the grader runs lesson specs. The CLI passes the files to run; this
// file only fixes how they run.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['grader/specs/*.spec.ts'],
    // Lessons share nothing, so one worker can run several spec files in a
    // row without Vitest's per-file isolation (about 0.5 s each).
    pool: 'threads',
    isolate: false,
    // Tests inside a lesson run in order against one server.
    sequence: { concurrent: false },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    teardownTimeout: 5_000,
    watch: false,
  },
});
