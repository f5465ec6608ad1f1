// Time limits, each with its reason (and, at the end, the size limit of a response). The environment may raise them on a busy
// machine (ROUNDTRIP_START_TIMEOUT_MS, ROUNDTRIP_REQUEST_TIMEOUT_MS) or lower
// them in tests. None of them decides a verdict on its own: a limit only ends
// a wait for evidence that a working server would have given long before.
const fromEnv = (name: string, fallback: number) => Number(process.env[name]) || fallback;

export const limits = {
  /** Loading tsx and the learner's modules: a quarter of a second when the machine is quiet. */
  startMs: fromEnv('ROUNDTRIP_START_TIMEOUT_MS', 10_000),
  /** One request and its complete response; lesson servers answer within milliseconds. */
  requestMs: fromEnv('ROUNDTRIP_REQUEST_TIMEOUT_MS', 3_000),
  /**
   * A barrier round trip (see listen-probe.cjs): only a server whose event loop
   * is stuck takes longer, and then nothing it printed is missing anyway.
   */
  get barrierMs(): number {
    return this.requestMs;
  },
  /**
   * Watch mode: an editor's save is a burst of file events (a temporary file,
   * a rename) within a few milliseconds; the re-grade starts this long after
   * the last. Vitest's own watcher waits 100 ms.
   */
  saveSettleMs: 30,
};

/**
 * The most of one response the grader reads: 16 MiB, far more than any answer
 * in the workbook (the largest is an echo of a 1 MiB body). A server that
 * streams without end fails at once, instead of filling the grader's memory
 * until the time limit.
 */
export const responseLimitBytes = 16 * 1024 * 1024;

/** Thrown by the HTTP client when a response goes past responseLimitBytes. */
export class ResponseTooLargeError extends Error {
  readonly code = 'ROUNDTRIP_TOO_LARGE';
}

/** The failure for a response past responseLimitBytes. */
export const responseTooLarge = {
  problem: `The response went past ${responseLimitBytes / 1024 / 1024} MiB, more than any answer in this workbook, so the grader stopped reading it.`,
  hint: 'Is the body endless? Send a body of known size (its Content-Length in bytes) and end the response, or close the connection after it.',
};
