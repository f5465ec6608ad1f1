// How lesson specs run. The CLI passes these inline (skipping Vitest's config
// file loading saves a noticeable part of a one-lesson check); vitest.config.ts
// re-exports them for editors and for running Vitest by hand.
import os from 'node:os';
import path from 'node:path';
import type { InlineConfig } from 'vitest/node';
import { graderRoot } from './engine/paths.ts';

export const graderTestOptions = {
  root: path.dirname(graderRoot),
  include: ['grader/specs/*.spec.ts'],
  // Lessons share nothing, so a worker may run several spec files in a row
  // without Vitest's per-file isolation (about 0.5 s per file).
  pool: 'threads',
  isolate: false,
  // A spec mostly waits on the learner's server, so run several lessons at a
  // time, even on two cores (where Vitest's default is one). Each worker costs
  // a Vitest start-up: on 2 cores, 3 grade all lessons fastest (3.4 s; 4: 3.6 s; 2: 3.8 s).
  maxWorkers: Math.max(3, os.availableParallelism()),
  // The behaviours of one lesson run in order, against one server.
  sequence: { concurrent: false },
  testTimeout: 20_000,
  hookTimeout: 20_000,
  teardownTimeout: 5_000,
  watch: false,
  // Keeps transformed specs on disk between runs: a check of one lesson
  // collects in ~0.1 s instead of ~0.4 s. Keyed by content, so edits invalidate it.
  experimental: { fsModuleCache: true },
} satisfies InlineConfig;
