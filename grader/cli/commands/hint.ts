// npm run hint [-- N]: the next hint for a lesson, one at a time, remembered.
import fs from 'node:fs';
import { readHints } from '../../engine/lesson-text.ts';
import { lessonProgress, readProgress, updateProgress } from '../../engine/progress.ts';
import { colour } from '../../ui/style.ts';
import { parseCommandArgs } from '../args.ts';
import { lessonFromArgs } from '../current-lesson.ts';
import { runCommand } from '../run-command.ts';
import { renderMarkdown } from '../terminal-markdown.ts';

const usage = 'npm run hint [-- <lesson>] [--again]';

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const parsed = parseCommandArgs(args, { again: { type: 'boolean' } }, usage);
    const lesson = lessonFromArgs(parsed.positionals, usage);
    const hints = readHints(fs.readFileSync(lesson.lessonFile, 'utf8'));
    if (!hints.length) {
      console.log(`Lesson ${lesson.id.slice(0, 2)} has no hints.`);
      return 0;
    }
    const seen = readProgress().lessons[lesson.id]?.hintsShown ?? 0;
    // --again shows the hints seen so far without taking a new one.
    const upTo = parsed.values.again ? Math.max(seen, 1) : Math.min(seen + 1, hints.length);
    updateProgress((p) => {
      lessonProgress(p, lesson.id).hintsShown = Math.max(seen, upTo);
    });
    console.log(colour.bold(`Lesson ${lesson.id.slice(0, 2)} · ${lesson.title}`));
    for (let i = 0; i < upTo; i++) {
      // The hint is Markdown (inline code, bold, links): rendered, as the lesson is.
      const text = (await renderMarkdown(`Hint ${i + 1} of ${hints.length}: ${hints[i]}`)).trimEnd();
      console.log(i === upTo - 1 ? `\n${text}` : colour.dim(`\n${text}`));
    }
    console.log(
      colour.dim(
        upTo < hints.length
          ? `\nRun \`npm run hint -- ${lesson.number}\` again for the next one.`
          : `\nThat was the last hint. If you are still stuck, \`npm run solution -- ${lesson.number}\` shows the answer (your work is kept).`,
      ),
    );
    return 0;
  });
}
