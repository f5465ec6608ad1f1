// npm run check [-- N …] [--verbose] [--reporter json|junit] [--output-file F] [--target DIR]
// Grades lessons by running their specs against the learner's exercises.
import { createGrader } from '../../engine/grader-run.ts';
import { parseCommandArgs } from '../args.ts';
import { runCommand } from '../run-command.ts';

const options = {
  verbose: { type: 'boolean' },
  reporter: { type: 'string' },
  'output-file': { type: 'string' },
  target: { type: 'string' },
} as const;
const usage = 'npm run check [-- <lesson>…] [--verbose] [--reporter json|junit] [--output-file FILE] [--target DIR]';

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const { values, positionals } = parseCommandArgs(args, options, usage);
    const grader = await createGrader({
      lessonQueries: positionals,
      target: values.target,
      reporter: values.reporter,
      outputFile: values['output-file'],
      verbose: values.verbose,
    });
    return grader.runOnce();
  });
}
