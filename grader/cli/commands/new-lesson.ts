// npm run new-lesson -- NN slug "Title": scaffolds a lesson in all five places
// (text, stub, solution, grader spec, mutants). Refuses to overwrite anything,
// to reuse a number, or to leave a gap in the numbering.
import fs from 'node:fs';
import path from 'node:path';
import { displayPath, graderRoot, workbookRoot } from '../../engine/paths.ts';
import { colour, symbols } from '../../ui/style.ts';
import { parseCommandArgs } from '../args.ts';
import { lessonFiles } from '../lesson-template.ts';
import { UserError } from '../../engine/user-error.ts';
import { runCommand } from '../run-command.ts';

const usage = 'npm run new-lesson -- <NN> <slug> "<Title>"   e.g. npm run new-lesson -- 10 templating "Templating"';

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const { positionals } = parseCommandArgs(args, {}, usage);
    const [numberText = '', slug = '', ...titleWords] = positionals;
    const title = titleWords.join(' ').trim();
    if (!numberText || !slug || !title) throw new UserError(`A new lesson needs a number, a slug and a title.\nUsage: ${usage}`);
    if (!/^\d{1,2}$/.test(numberText) || Number(numberText) < 1) {
      throw new UserError(`"${numberText}" is not a lesson number: use 1 to 99.\nUsage: ${usage}`);
    }
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)) {
      throw new UserError(`"${slug}" is not a slug: use lowercase words joined by hyphens, such as static-files.\nUsage: ${usage}`);
    }
    const nn = numberText.padStart(2, '0');
    const id = `${nn}-${slug}`;

    const taken = takenNumbers();
    const existing = taken.get(nn);
    const last = Math.max(0, ...[...taken.keys()].map(Number));
    const next = String(last + 1).padStart(2, '0');
    if (existing) throw new UserError(`Lesson ${nn} already exists: ${existing}. The next free number is ${next}.`);
    if (Number(nn) > last + 1) throw new UserError(`Lesson ${nn} would leave a gap after lesson ${String(last).padStart(2, '0')}: the next lesson is ${next}.`);

    const files = lessonFiles({ nn, id, title }).map(([relative, text]) => [absolute(relative), text] as const);
    const present = files.filter(([file]) => fs.existsSync(file));
    if (present.length) throw new UserError(`Not overwriting ${present.map(([file]) => displayPath(file)).join(', ')}.`);
    for (const [file, text] of files) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text, { flag: 'wx' });
    }

    console.log(`${colour.green(symbols.pass)} Created lesson ${nn} · ${title}:`);
    for (const [file] of files) console.log(`  ${displayPath(file)}`);
    console.log(`
Next:
  node grader/cli/roundtrip.mjs check ${nn} --target solutions   # the solution passes
  node grader/cli/roundtrip.mjs check ${nn}                      # the stub fails: "Not implemented yet"
  ROUNDTRIP_LESSONS=${nn} npm test                                # the workbook's own tests, for this lesson
Then write the lesson (CONTRIBUTING.md says what each section is for), grow the
spec to five behaviours or more, add at least two more mutants and two valid
variants (test/variants/${id}.ts), and add the lesson to the README's table of lessons.`);
    return 0;
  });
}

/** grader/ and test/ belong to the checkout; lessons, exercises and solutions to the workbook. */
function absolute(relative: string): string {
  const root = /^(grader|test)\//.test(relative) ? path.resolve(graderRoot, '..') : workbookRoot;
  return path.join(root, relative);
}

/** Every lesson number in use, in any of the five places, with one path that uses it. */
function takenNumbers(): Map<string, string> {
  const places = ['lessons', 'exercises', 'solutions', 'grader/specs', 'test/mutants'];
  const taken = new Map<string, string>();
  for (const place of places) {
    const dir = absolute(`${place}/`);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      const nn = /^(\d{2})-/.exec(name)?.[1];
      if (nn && !taken.has(nn)) taken.set(nn, displayPath(path.join(dir, name)));
    }
  }
  return taken;
}
