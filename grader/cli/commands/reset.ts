// npm run reset [-- N] [--yes]: put the original stub back, after asking and
// after a backup of the learner's files.
import { displayPath } from '../../engine/paths.ts';
import { backUpExercise, changedFiles, originalStubFiles, writeExerciseFiles } from '../../engine/workspace.ts';
import { colour, symbols } from '../../ui/style.ts';
import { parseCommandArgs } from '../args.ts';
import { confirmOrExplain } from '../confirm.ts';
import { lessonFromArgs } from '../current-lesson.ts';
import { runCommand } from '../run-command.ts';

const usage = 'npm run reset [-- <lesson>] [--yes]';

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const parsed = parseCommandArgs(args, { yes: { type: 'boolean' } }, usage);
    const lesson = lessonFromArgs(parsed.positionals, usage);
    const original = originalStubFiles(lesson);
    const changed = changedFiles(lesson, original.files);
    if (!changed.length) {
      console.log(`${displayPath(lesson.exerciseDir)}/ is already as the workbook shipped it.`);
      return 0;
    }
    console.log(`This puts the original exercise back in ${displayPath(lesson.exerciseDir)}/ (${changed.join(', ')}), from git ${original.ref}.`);
    console.log('Your current files are copied to .roundtrip/backups/ first.');
    const go = await confirmOrExplain('Reset the exercise?', parsed.values.yes === true, `npm run reset -- ${lesson.number} --yes`);
    if (!go) {
      console.log('Nothing changed.');
      return 0;
    }
    const backup = backUpExercise(lesson, 'before-reset');
    writeExerciseFiles(lesson, original.files);
    console.log(`${colour.green(symbols.pass)} Exercise reset. Your version is in ${displayPath(backup)}/`);
    return 0;
  });
}
