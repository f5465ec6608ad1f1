// npm run check [-- N …] [--verbose] [--reporter json|junit]… [--output-file [NAME=]FILE]… [--target DIR]
// Grades lessons by running their specs against the learner's exercises. One
// grading can write several reports: --reporter json --reporter junit
// --output-file json=results.json --output-file junit=junit.xml.
import { pruneBuilds } from '../../engine/compile.ts';
import { readCopies, type LessonCopy } from '../../engine/copies.ts';
import { createGrader } from '../../engine/grader-run.ts';
import { discoverLessons, findLesson } from '../../engine/lessons.ts';
import { checkOwnStackLessons, ownStackLesson } from '../../engine/own-stack.ts';
import { colour } from '../../ui/style.ts';
import { UserError } from '../../engine/user-error.ts';
import { parseCommandArgs } from '../args.ts';
import { runCommand } from '../run-command.ts';

const options = {
  verbose: { type: 'boolean' },
  reporter: { type: 'string', multiple: true },
  'output-file': { type: 'string', multiple: true },
  target: { type: 'string' },
  'own-stack': { type: 'boolean' },
  copies: { type: 'string' },
} as const;
const usage =
  'npm run check [-- <lesson>…] [--verbose] [--reporter json|junit]… [--output-file [json=|junit=]FILE]… [--target DIR] [--own-stack]\n' +
  '  --copies FILE: grade the lesson copies a JSON file lists ([{ label, lesson, dir, only? }]) in one run; needs --reporter\n' +
  '  --own-stack: lesson 13 on your own parser (02), serializer (03), request object (04) and body parser (05), and in Chromium';

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const { values, positionals } = parseCommandArgs(args, options, usage);
    const ownStack = values['own-stack'];
    const copies = values.copies === undefined ? undefined : copiesToGrade(values.copies, values.reporter, positionals, ownStack);
    if (ownStack) checkOwnStackLessons(positionals.map((q) => findLesson(q, discoverLessons())), usage);
    // Copies come and go (a class graded each week): their builds go with them.
    if (copies) pruneBuilds();
    const grader = await createGrader({
      lessonQueries: ownStack && !positionals.length ? [ownStackLesson().id] : positionals,
      ownStack: ownStack ? { onChoice: (pieces) => !values.reporter?.length && console.log(colour.dim(`Own stack: ${pieces}.`)) } : undefined,
      target: values.target,
      reporters: values.reporter,
      outputFiles: outputFiles(values['output-file'] ?? []),
      verbose: values.verbose,
      copies,
    });
    return grader.runOnce();
  });
}

/** The copies a --copies file lists; they are reported by machine reporters, per copy. */
function copiesToGrade(file: string, reporters: string[] | undefined, positionals: string[], ownStack: boolean | undefined): LessonCopy[] {
  if (!reporters?.length) throw new UserError(`--copies needs --reporter json or --reporter junit.\nUsage: ${usage}`);
  if (positionals.length || ownStack) throw new UserError(`--copies names its lessons itself: leave out lesson numbers and --own-stack.\nUsage: ${usage}`);
  return readCopies(file, discoverLessons().map((l) => l.id));
}

/** "json=reports/results.json" → { json: "reports/results.json" }; a plain "FILE" → { '*': "FILE" }, for the only reporter. */
export function outputFiles(given: string[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const text of given) {
    const [, name = '*', file = text] = /^(json|junit)=(.*)$/s.exec(text) ?? [];
    if (!file) throw new UserError(`--output-file ${text} names no file.\nUsage: ${usage}`);
    if (name in files) throw new UserError(`Two output files for ${name === '*' ? 'the report' : `the ${name} report`}: say which file is whose, e.g. --output-file json=results.json.\nUsage: ${usage}`);
    files[name] = file;
  }
  return files;
}
