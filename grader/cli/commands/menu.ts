// npm start: the workbook's menu. Pick a lesson, then read, check, take a
// hint, serve, see the solution or reset. Each action is the same command you
// can run yourself, shown before it runs.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { graderRoot } from '../../engine/paths.ts';
import { discoverLessons, type Lesson } from '../../engine/lessons.ts';
import { readProgress } from '../../engine/progress.ts';
import { colour, symbols } from '../../ui/style.ts';
import { parseCommandArgs } from '../args.ts';
import { lessonFromArgs } from '../current-lesson.ts';
import { runCommand } from '../run-command.ts';
import { lessonList } from './lesson.ts';

const commands = [
  ['read', 'Read the lesson', 'lesson'],
  ['check', 'Check my exercise', 'check'],
  ['hint', 'Show the next hint', 'hint'],
  ['serve', 'Run my server (for curl and the browser)', 'serve'],
  ['solution', 'See the solution', 'solution'],
  ['reset', 'Reset the exercise', 'reset'],
] as const;

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const { positionals } = parseCommandArgs(args, {}, 'npm start [-- <lesson>]');
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      console.log(colour.bold('Roundtrip — build the request–response cycle\n'));
      console.log(lessonList());
      console.log('\nThe menu needs an interactive terminal. The same things, as commands:');
      console.log('  npm run lesson -- 1     read lesson 1');
      console.log('  npm run check -- 1      check your exercise (npm run check: all lessons)');
      console.log('  npm run hint -- 1       the next hint');
      console.log('  npm run serve -- 1      run your server on http://localhost:3000');
      console.log('  npm run watch -- 1      check again on every save');
      console.log('  npm run solution -- 1   the solution (asks first, keeps your work)');
      console.log('  npm run reset -- 1      start the exercise over (asks first, keeps your work)');
      return 0;
    }
    const { select } = await import('@inquirer/prompts');
    let lesson = lessonFromArgs(positionals);
    for (;;) {
      lesson = await select<Lesson>({
        message: 'Roundtrip — which lesson?',
        choices: lessonChoices(),
        default: lesson,
        pageSize: 14,
      });
      for (;;) {
        const action = await select<string>({
          message: `${lesson.id.slice(0, 2)} ${lesson.title}`,
          choices: [
            ...commands.map(([value, name, script]) => ({ value, name, description: `npm run ${script} -- ${lesson.number}` })),
            { value: 'back', name: 'Back to the lessons' },
            { value: 'quit', name: 'Quit' },
          ],
        });
        if (action === 'quit') return 0;
        if (action === 'back') break;
        const script = commands.find(([value]) => value === action)![2];
        console.log(colour.dim(`\n$ npm run ${script} -- ${lesson.number}`));
        runInChild(script, [String(lesson.number)]);
        console.log('');
      }
    }
  });
}

function lessonChoices() {
  const progress = readProgress();
  return discoverLessons().map((l) => {
    const state = progress.lessons[l.id];
    const mark = state?.passed ? colour.green(symbols.pass) : symbols.todo;
    const hints = state?.hintsShown ? colour.dim(`  (${state.hintsShown} hint${state.hintsShown > 1 ? 's' : ''} seen)`) : '';
    return { value: l, name: `${mark} ${l.id.slice(0, 2)} ${l.title}${hints}` };
  });
}

/** Runs a command as its own process, so Ctrl-C there brings you back here. */
function runInChild(command: string, args: string[]): void {
  const entry = path.join(graderRoot, 'cli', 'roundtrip.mjs');
  const ignore = () => {};
  process.on('SIGINT', ignore);
  try {
    spawnSync(process.execPath, [entry, command, ...args], { stdio: 'inherit' });
  } finally {
    process.off('SIGINT', ignore);
  }
}
