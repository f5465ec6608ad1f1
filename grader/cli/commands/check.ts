// npm run check [-- N …] [--verbose] [--reporter json|junit] [--output-file F] [--target DIR]
// Grades lessons by running their specs against the learner's exercises.
import { createGrader } from '../../engine/grader-run.ts';
import { parseArgs } from '../args.ts';
import { runCommand } from '../run-command.ts';

const usage = 'npm run check [-- <lesson>…] [--verbose] [--reporter json|junit] [--output-file FILE] [--target DIR]';

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const parsed = parseArgs(args, { flags: ['verbose'], values: ['reporter', 'output-file', 'target'] }, usage);
    const grader = await createGrader({
      lessonQueries: parsed.positionals,
      target: parsed.values.get('target'),
      reporter: parsed.values.get('reporter'),
      outputFile: parsed.values.get('output-file'),
      verbose: parsed.flags.has('verbose'),
    });
    return grader.runOnce();
  });
}
