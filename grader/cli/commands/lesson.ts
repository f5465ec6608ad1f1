// npm run lesson [-- N]: read a lesson in the terminal (hints are handed out by
// `npm run hint`, one at a time). Without a number, lists the lessons.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { withoutComments, withoutHints } from '../../engine/lesson-text.ts';
import { discoverLessons, type Lesson } from '../../engine/lessons.ts';
import { readProgress } from '../../engine/progress.ts';
import { colour, symbols } from '../../ui/style.ts';
import { parseCommandArgs } from '../args.ts';
import { lessonFromArgs } from '../current-lesson.ts';
import { runCommand } from '../run-command.ts';
import { renderMarkdown } from '../terminal-markdown.ts';

const usage = 'npm run lesson [-- <lesson>] [--no-pager]';

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const parsed = parseCommandArgs(args, { 'no-pager': { type: 'boolean' }, list: { type: 'boolean' } }, usage);
    if (parsed.values.list || (parsed.positionals.length === 0 && !process.stdout.isTTY)) {
      console.log(lessonList());
      return 0;
    }
    const lesson = lessonFromArgs(parsed.positionals, usage);
    const text = await renderLesson(lesson);
    if (parsed.values['no-pager'] || !page(text)) process.stdout.write(text);
    return 0;
  });
}

/** Every lesson with a mark for its progress. */
export function lessonList(): string {
  const progress = readProgress();
  const lines = discoverLessons().map((l) => {
    const passed = progress.lessons[l.id]?.passed;
    const mark = passed ? colour.green(symbols.pass) : colour.dim(symbols.todo);
    return ` ${mark} ${l.id.slice(0, 2)} ${l.title}`;
  });
  return [...lines, '', colour.dim(`${symbols.pass} passed   ${symbols.todo} not yet`), '', 'Read one with `npm run lesson -- <number>`.'].join('\n');
}

export async function renderLesson(lesson: Lesson): Promise<string> {
  const markdown = withoutComments(withoutHints(fs.readFileSync(lesson.lessonFile, 'utf8'), `npm run hint -- ${lesson.number}`));
  return renderMarkdown(markdown);
}

/** Shows long text in a pager on a terminal; false when there is none to use. */
export function page(text: string): boolean {
  if (!process.stdout.isTTY) return false;
  const pager = process.env.PAGER || 'less';
  const result = spawnSync(pager, pager === 'less' ? ['-R', '-F', '-X'] : [], { input: text, stdio: ['pipe', 'inherit', 'inherit'] });
  return !result.error && result.status === 0;
}
