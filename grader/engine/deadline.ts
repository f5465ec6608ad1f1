// Deadlines that a stall of the grader's own process cannot turn into a verdict.

export class TimeoutError extends Error {
  readonly code = 'ROUNDTRIP_TIMEOUT';
}

/**
 * Runs `then` once `ms` have passed and any input that arrived meanwhile has
 * been read. A busy machine can stall this process; when it wakes, Node runs
 * due timers before it reads the sockets, so a plain timer would call an
 * answer that is already waiting late. setImmediate runs after that read.
 */
export function afterDeadline(ms: number, then: () => void): NodeJS.Timeout {
  return setTimeout(() => setImmediate(then), ms);
}
