// Asks before anything that replaces a learner's files. Without a terminal
// there is nobody to ask: the command says how to go ahead instead.
import { UserError } from '../engine/user-error.ts';

export async function confirmOrExplain(question: string, yes: boolean, howToSayYes: string): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UserError(`Not changing anything without a confirmation. To go ahead, run: ${howToSayYes}`);
  }
  const { confirm } = await import('@inquirer/prompts');
  return confirm({ message: question, default: false });
}
