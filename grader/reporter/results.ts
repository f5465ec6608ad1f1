// Vitest's view of a run, reduced to what Roundtrip talks about: lessons and
// the behaviours checked in each.
import path from 'node:path';
import type { TestModule } from 'vitest/node';
import type { FailureDetails } from '../engine/failure.ts';

export interface BehaviourResult {
  name: string;
  state: 'passed' | 'failed' | 'skipped';
  /** Set when a check failed the way graders fail: with an explanation. */
  failure?: FailureDetails;
  /** Set when something else went wrong: a bug in the grader, not the learner's code. */
  graderError?: string;
  /** Why a skipped behaviour was not tried (see BehaviourOptions.afterTheOthersPass). */
  note?: string;
}

export interface LessonResult {
  id: string;
  behaviours: BehaviourResult[];
  passed: boolean;
  /** The spec file itself failed to load or run. */
  moduleError?: string;
}

export function lessonResults(modules: ReadonlyArray<TestModule>): LessonResult[] {
  return modules
    .map((module): LessonResult => {
      const behaviours = [...module.children.allTests()].map((test): BehaviourResult => {
        const result = test.result();
        const state = result.state === 'passed' ? 'passed' : result.state === 'failed' ? 'failed' : 'skipped';
        const error = result.errors?.[0] as (Record<string, unknown> & { message?: string; stack?: string }) | undefined;
        const failure = error?.roundtrip as FailureDetails | undefined;
        return {
          name: test.name,
          state,
          note: result.state === 'skipped' ? result.note : undefined,
          failure,
          graderError: state === 'failed' && !failure ? (error?.stack ?? error?.message ?? 'unknown error') : undefined,
        };
      });
      const moduleErrors = module.errors();
      return {
        id: path.basename(module.moduleId).replace(/\.spec\.ts$/, ''),
        behaviours,
        moduleError: moduleErrors.length ? moduleErrors.map((e) => e.stack ?? e.message).join('\n') : undefined,
        passed: moduleErrors.length === 0 && behaviours.length > 0 && behaviours.every((b) => b.state === 'passed'),
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}
