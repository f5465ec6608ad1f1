// npm run solution [-- N] [--show] [--yes]: the reference solution. It is
// copied over the learner's files only after asking, and after a backup.
import fs from 'node:fs';
import path from 'node:path';
import { displayPath } from '../../engine/paths.ts';
import { backUpExercise, changedFiles, solutionFiles, writeExerciseFiles } from '../../engine/workspace.ts';
import { colour, symbols } from '../../ui/style.ts';
import { parseCommandArgs } from '../args.ts';
import { confirmOrExplain } from '../confirm.ts';
import { lessonFromArgs } from '../current-lesson.ts';
import { UserError } from '../../engine/user-error.ts';
import { runCommand } from '../run-command.ts';
import { page } from './lesson.ts';

const usage = 'npm run solution [-- <lesson>] [--show] [--yes]';

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const parsed = parseCommandArgs(args, { show: { type: 'boolean' }, yes: { type: 'boolean' } }, usage);
    const lesson = lessonFromArgs(parsed.positionals, usage);
    if (!fs.existsSync(lesson.solutionDir)) {
      throw new UserError(`This copy of the workbook has no ${displayPath(lesson.solutionDir)}/ (a course may hand it out without solutions).`);
    }
    const files = solutionFiles(lesson);
    if (parsed.values.show) {
      // Read only: printed, or in the pager on a terminal (as `npm run lesson` does).
      const text = [...files].map(([name, content]) => `${colour.bold(`── ${displayPath(path.join(lesson.solutionDir, name))}`)}\n${content}`).join('\n') + '\n';
      if (!page(text)) process.stdout.write(text);
      return 0;
    }
    const changed = changedFiles(lesson, files);
    if (!changed.length) {
      console.log(`Your files in ${displayPath(lesson.exerciseDir)}/ already match the solution.`);
      return 0;
    }
    console.log(`This puts the reference solution of lesson ${lesson.id.slice(0, 2)} into ${displayPath(lesson.exerciseDir)}/ (${changed.join(', ')}).`);
    console.log('Your current files are copied to .roundtrip/backups/ first. To only read it: `npm run solution -- ' + lesson.number + ' --show`.');
    const go = await confirmOrExplain('Replace your files with the solution?', parsed.values.yes === true, `npm run solution -- ${lesson.number} --yes`);
    if (!go) {
      console.log('Nothing changed.');
      return 0;
    }
    const backup = backUpExercise(lesson, 'before-solution');
    writeExerciseFiles(lesson, files);
    console.log(`${colour.green(symbols.pass)} Solution in place. Your version is in ${displayPath(backup)}/`);
    return 0;
  });
}
