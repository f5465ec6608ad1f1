// What the grader run tells the specs, which run in Vitest's workers: given
// with Vitest's `provide` (see grader-run.ts) and read with `inject`. The
// learner servers, child processes, still get theirs as environment variables.
import { inject } from 'vitest';
import type { LessonCopy } from './copies.ts';
import { exercisesDir } from './paths.ts';

declare module 'vitest' {
  interface ProvidedContext {
    /** The folder holding one folder per lesson (exercises/ unless --target). */
    roundtripTarget: string;
    /** Copies to grade instead of the target's folders (check --copies). */
    roundtripCopies: LessonCopy[];
    /** Lesson 13 --own-stack: the lessons (02, 03, …) whose pieces are the learner's; null without --own-stack. */
    roundtripOwnStack: string[] | null;
  }
}

export interface WorkerConfig {
  target: string;
  copies: LessonCopy[];
  ownStack: string[] | null;
}

/** The run's configuration; outside a grader run (Vitest by hand) the exercises, alone. */
export function workerConfig(): WorkerConfig {
  return {
    target: inject('roundtripTarget') ?? process.env.ROUNDTRIP_TARGET ?? exercisesDir,
    copies: inject('roundtripCopies') ?? [],
    ownStack: inject('roundtripOwnStack') ?? null,
  };
}
