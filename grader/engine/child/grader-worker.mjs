// The grader's worker thread (see warm-workers.ts): Vitest's own threads worker,
// which then, while it waits for its first spec, loads the modules every spec
// uses (the HTTP client: time that would otherwise fall inside the grading).
import { createRequire } from 'node:module';
import { workerData } from 'node:worker_threads';

await import(workerData.vitestWorker);
const require = createRequire(import.meta.url);
for (const file of workerData.preload) require(file);
