// npm run watch [-- N] [--poll]: re-grade a lesson every time you save.
import { createGrader } from '../../engine/grader-run.ts';
import { displayPath } from '../../engine/paths.ts';
import { colour } from '../../ui/style.ts';
import { parseCommandArgs } from '../args.ts';
import { lessonFromArgs } from '../current-lesson.ts';
import { runCommand } from '../run-command.ts';

const usage = 'npm run watch [-- <lesson>] [--poll] [--verbose]';

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const parsed = parseCommandArgs(args, { poll: { type: 'boolean' }, verbose: { type: 'boolean' } }, usage);
    const lesson = lessonFromArgs(parsed.positionals, usage);
    const poll = parsed.values.poll || process.env.ROUNDTRIP_POLL === '1';
    const grader = await createGrader({
      lessonQueries: [lesson.id],
      verbose: parsed.values.verbose,
      watch: { poll },
      onRunEnd: () => {
        console.log(colour.dim(`\nWatching ${displayPath(lesson.exerciseDir)}/ — save a file to check again, Ctrl-C to stop.`));
        if (!poll) console.log(colour.dim('(If saving does not start a new check, your file system may not report changes: use --poll.)'));
      },
    });
    // Vite shuts its file watcher down when standard input ends, unless CI is
    // set. Started without a terminal (from an editor task, a script, a test),
    // stdin ends at once; watching must go on until Ctrl-C all the same.
    if (!process.stdin.isTTY) process.env.CI = 'true';
    await grader.watch();
    // Vitest keeps the process alive until Ctrl-C, which the grader turns into a clean exit.
    await new Promise(() => {});
  });
}
