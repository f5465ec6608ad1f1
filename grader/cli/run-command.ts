// Runs a command body and turns the errors a learner can cause (a wrong lesson
// number, a bad option) into one clear sentence and exit code 2.
import { UserError } from '../engine/user-error.ts';
import { colour, symbols } from '../ui/style.ts';
import { HelpRequest } from './args.ts';

export async function runCommand(body: () => Promise<number | void>): Promise<number> {
  try {
    return (await body()) ?? 0;
  } catch (error) {
    if (error instanceof HelpRequest) {
      console.log(`Usage: ${error.usage}`);
      return 0;
    }
    if (error instanceof UserError) {
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
