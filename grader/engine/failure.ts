// What a failed check carries to the reporter. Everything here is plain data,
// because it crosses from Vitest's worker to the reporter as JSON.
import type { OutputLine } from './server-process.ts';

export type FailureKind =
  /** The learner's code threw a `TODO:` error: the exercise is not done yet. */
  | 'todo'
  /** The server never got to listening: crash at start, wrong port, endless start-up. */
  | 'no-start'
  /** The server process ended while handling a request. */
  | 'crash'
  /** No (complete) answer within the time limit. */
  | 'timeout'
  /** The connection was refused or reset. */
  | 'connection'
  /** An answer came, but not the expected one. */
  | 'mismatch';

export interface RequestRecord {
  /** `curl -v …` (or `printf … | nc …` when curl cannot send it), for port 3000. */
  command: string;
  /** The bytes sent, quoted so CR, LF and other invisible bytes show. */
  raw: string;
}

export interface ResponseRecord {
  statusLine: string;
  headers: [string, string][];
  bodyExcerpt: string;
  /** The bytes received, quoted; for framing problems. */
  raw?: string;
}

export interface Exchange {
  request: RequestRecord;
  response?: ResponseRecord;
  /** Why no response came, in plain words. */
  problem?: string;
  /** The request's way through the cycle, one line per stage (lessons with the tracer). */
  trace?: string[];
}

export interface FailureDetails {
  kind: FailureKind;
  /** One sentence: what went wrong. */
  summary: string;
  expected?: string;
  received?: string;
  /** One next step. */
  hint?: string;
  exchange?: Exchange;
  serverOutput?: OutputLine[];
  /** The message of the learner's `TODO:` error, when that is what failed. */
  todo?: string;
  /** The run's random seed: `ROUNDTRIP_SEED=<seed>` replays the same values. */
  seed?: string;
}

/** Thrown by the graders' checks; the reporter renders `details`. */
export class GradeFailure extends Error {
  readonly roundtrip: FailureDetails;

  constructor(details: FailureDetails) {
    super(details.summary);
    this.name = 'GradeFailure';
    this.roundtrip = details;
    // No frames: the details explain the failure, and the frames would be the
    // grader's own. Vitest reads a source map for every frame of every failed
    // test (the harness bundle's, megabytes of it, each time).
    this.stack = `${this.name}: ${this.message}`;
  }
}
