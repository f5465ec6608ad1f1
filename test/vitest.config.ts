// The workbook's own tests. Most of them run the grader CLI in a child process,
// exactly as a learner or a classroom would.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { HeavyFirst } from './support/heavy-first.ts';

// Node 20 reads NODE_EXTRA_CA_CERTS's certificates as each process starts (30 ms of
// CPU for a 200 KB bundle); the suite starts about a thousand Node processes and
// opens no TLS connection, so its processes go without it (the grader drops it
// for learner servers too: see server-process.ts).
delete process.env.NODE_EXTRA_CA_CERTS;
// The grader type-checks the learner's files beside a check it prints; a first
// check of a file costs about a second of CPU, and a fresh clone's suite made
// thirteen, for tests that never look at type errors. Those that do (and
// test/unit/typecheck.test.ts) turn it back on.
process.env.ROUNDTRIP_TYPECHECK ??= 'off';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Two files at a time, even on two cores (Vitest's default there is one):
    // most files wait on servers, browsers and child processes part of the
    // time. Three finished no sooner (the suite is CPU-bound) and stretched
    // each file past 40 s; two: 108 s in all, no file over 37 s.
    maxWorkers: 2,
    sequence: { sequencer: HeavyFirst },
    // Test files share their worker and its loaded modules: a fresh worker per
    // file cost about a second of CPU each (Vitest and the grader's modules
    // loaded again), a fifth of the suite. So a file leaves no state behind:
    // no process.env change without restoring it, no module-level registration
    // (per-file hooks go in support/each-file.ts).
    isolate: false,
    setupFiles: ['test/support/each-file.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
