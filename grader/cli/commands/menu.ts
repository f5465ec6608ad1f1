// npm start: the workbook's menu. Pick a lesson, then read, check, take a
// hint, serve, see the solution or reset. Each action is the same command you
// can run yourself, shown before it runs. Quit is on every screen; the cursor
// starts on the current lesson and stays on whatever was used last.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { graderRoot } from '../../engine/paths.ts';
import { discoverLessons, type Lesson } from '../../engine/lessons.ts';
import { readProgress, type LessonProgress } from '../../engine/progress.ts';
import { colour, symbols } from '../../ui/style.ts';
import { parseCommandArgs } from '../args.ts';
import { lessonFromArgs } from '../current-lesson.ts';
import { runCommand } from '../run-command.ts';
import { lessonList } from './lesson.ts';

/** [value, label, the command it runs (lesson number added)]. */
const commands = [
  ['read', 'Read the lesson', ['lesson']],
  ['check', 'Check my exercise', ['check']],
  ['hint', 'Show the next hint', ['hint']],
  ['serve', 'Run my server (for curl and the browser)', ['serve']],
  ['show-solution', 'See the solution (read only)', ['solution', '--show']],
  ['solution', 'Use the solution (asks first, keeps my files)', ['solution']],
  ['reset', 'Reset the exercise', ['reset']],
] as const;

const quit = 'quit';

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const menuUsage = 'npm start [-- <lesson>]';
    const { positionals } = parseCommandArgs(args, {}, menuUsage);
    if (!process.stdin.isTTY || !process.stdout.isTTY) return withoutTerminal();
    const { select, Separator } = await import('@inquirer/prompts');
    let lessonId = lessonFromArgs(positionals, menuUsage).id;
    for (;;) {
      const lessons = discoverLessons();
      const chosen = await select<string>({
        message: 'Roundtrip — which lesson?',
        choices: [...lessonChoices(lessons), new Separator(), { value: quit, name: 'Quit' }],
        default: lessonId,
        pageSize: 16,
      });
      if (chosen === quit) return 0;
      lessonId = chosen;
      if ((await lessonMenu(lessons.find((l) => l.id === chosen)!)) === quit) return 0;
    }
  });
}

/** One lesson's actions, until Back or Quit. */
async function lessonMenu(lesson: Lesson): Promise<string> {
  const { select, Separator } = await import('@inquirer/prompts');
  let last: string = commands[0][0];
  for (;;) {
    const action = await select<string>({
      message: `${lesson.id.slice(0, 2)} ${lesson.title}`,
      choices: [
        ...commands.map(([value, name, command]) => ({ value, name, description: `npm run ${command[0]} -- ${[lesson.number, ...command.slice(1)].join(' ')}` })),
        new Separator(),
        { value: 'back', name: 'Back to the lessons' },
        { value: quit, name: 'Quit' },
      ],
      default: last,
      pageSize: 12,
    });
    if (action === quit || action === 'back') return action;
    last = action;
    const [script, ...extra] = commands.find(([value]) => value === action)![2];
    const args = [String(lesson.number), ...extra];
    console.log(colour.dim(`\n$ npm run ${script} -- ${args.join(' ')}`));
    runInChild(script, args);
    console.log('');
  }
}

function lessonChoices(lessons: Lesson[]) {
  let progress: ReturnType<typeof readProgress>['lessons'] = {};
  try {
    progress = readProgress().lessons;
  } catch {
    // A progress file that cannot be read: the menu still works, without marks.
  }
  const width = Math.max(...lessons.map((l) => l.title.length));
  return lessons.map((l) => {
    const state = progress[l.id];
    const mark = state?.passed ? colour.green(symbols.pass) : symbols.todo;
    const history = progressHistory(state);
    return { value: l.id, name: `${mark} ${l.id.slice(0, 2)} ${l.title.padEnd(width)}${history ? colour.dim(`  ${history}`) : ''}` };
  });
}

/** "passed 3 May · failed today · 2 hints": a lesson's history, short enough for 80 columns. */
export function progressHistory(state: LessonProgress | undefined, now = new Date()): string {
  if (!state) return '';
  const parts: string[] = [];
  const first = state.firstPassedAt ?? (state.passed ? state.passedAt : undefined);
  if (first) parts.push(`passed ${shortDate(first, now)}`);
  // The last run, unless it is the pass just named.
  const last = state.lastRunAt && shortDate(state.lastRunAt, now);
  if (last && !(state.passed && first && last === shortDate(first, now))) parts.push(`${state.passed || !first ? 'ran' : 'failed'} ${last}`);
  if (state.hintsShown) parts.push(`${state.hintsShown} hint${state.hintsShown > 1 ? 's' : ''}`);
  return parts.join(' · ');
}

function shortDate(iso: string, now: Date): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '?';
  const day = (d: Date) => Math.floor((d.getTime() - d.getTimezoneOffset() * 60_000) / 86_400_000);
  const days = day(now) - day(date);
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  const month = date.toLocaleString('en', { month: 'short' });
  return days < 330 ? `${date.getDate()} ${month}` : `${month} ${date.getFullYear()}`;
}

function withoutTerminal(): number {
  console.log(colour.bold('Roundtrip — build the request–response cycle\n'));
  console.log(lessonList());
  console.log('\nThe menu needs an interactive terminal. The same things, as commands:');
  console.log('  npm run lesson -- 1            read lesson 1');
  console.log('  npm run check -- 1             check your exercise (npm run check: all lessons)');
  console.log('  npm run hint -- 1              the next hint');
  console.log('  npm run serve -- 1             run your server on http://localhost:3000');
  console.log('  npm run watch -- 1             check again on every save');
  console.log('  npm run solution -- 1 --show   read the solution');
  console.log('  npm run solution -- 1          use the solution (asks first, keeps your work)');
  console.log('  npm run reset -- 1             start the exercise over (asks first, keeps your work)');
  return 0;
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
