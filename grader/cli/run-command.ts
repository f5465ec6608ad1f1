// Runs a command body and turns the errors a learner can cause (a wrong lesson
// number, a bad option) into one clear sentence and exit code 2.
import { GraderSetupError } from '../engine/grader-run.ts';
import { UnknownLessonError } from '../engine/lessons.ts';
import { colour, symbols } from '../ui/style.ts';
import { UsageError } from './args.ts';

export class UserError extends Error {}

export async function runCommand(body: () => Promise<number | void>): Promise<number> {
  try {
    return (await body()) ?? 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof UnknownLessonError || error instanceof UserError || error instanceof GraderSetupError) {
      console.error(`${colour.red(symbols.fail)} ${error.message}`);
      return 2;
    }
    if (isPromptExit(error)) return 130;
    throw error;
  }
}

/** @inquirer/prompts rejects with ExitPromptError when the learner presses Ctrl-C. */
function isPromptExit(error: unknown): boolean {
  return error instanceof Error && error.name === 'ExitPromptError';
}
