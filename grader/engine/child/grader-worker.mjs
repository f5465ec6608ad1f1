// The grader's worker thread (see warm-workers.ts): Vitest's own threads worker,
// which then, while it waits for its first spec, loads the modules every spec
// uses (the HTTP client and the harness: time that would otherwise fall inside
// the grading).
import { workerData } from 'node:worker_threads';

await import(workerData.vitestWorker);
for (const url of workerData.preload) await import(url);
