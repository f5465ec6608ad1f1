// npm run mutation -- 4 [5 …] [--record]: how many of StrykerJS's mutants of a
// lesson's solution its grader kills (see grader/mutation/stryker.ts). Lists
// every survivor not yet explained in test/mutation/NN-slug.json; --record
// writes the scores into docs/mutation-scores.md. Not part of `npm test`: a
// lesson takes a minute or more.
import fs from 'node:fs';
import path from 'node:path';
import { discoverLessons, findLesson } from '../../engine/lessons.ts';
import { workbookRoot } from '../../engine/paths.ts';
import { UserError } from '../../engine/user-error.ts';
import { mutateLesson, type LessonScore } from '../../mutation/stryker.ts';
import { parseCommandArgs } from '../args.ts';
import { runCommand } from '../run-command.ts';

const usage = 'npm run mutation -- <lesson> [<lesson> …] [--record]   (or "all")';
const goal = 90;

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const { values, positionals: queries } = parseCommandArgs(args, { record: { type: 'boolean' } }, usage);
    const record = values.record === true;
    if (!queries.length) throw new UserError(`Name a lesson to mutate.\nUsage: ${usage}`);
    const all = discoverLessons();
    const lessons = queries.includes('all') ? all : queries.map((q) => findLesson(q, all));
    const scores: LessonScore[] = [];
    for (const lesson of lessons) {
      console.log(`\nMutating solutions/${lesson.id} …`);
      const score = await mutateLesson(lesson, { concurrency: 2 });
      scores.push(score);
      printScore(score);
    }
    if (record) recordScores(scores);
    return scores.every((s) => s.score >= goal) ? 0 : 1;
  });
}

function printScore(s: LessonScore): void {
  console.log(`${s.lesson}: ${s.score.toFixed(1)}% killed (${s.killed} of ${s.total - s.equivalent - s.invalid}; ${s.equivalent} equivalent, ${s.invalid} invalid; goal ${goal}%)`);
  for (const m of s.survived) console.log(`  survived  ${m.file}:${m.line}  ${m.mutator}  ${JSON.stringify(m.replacement).slice(0, 100)}`);
  if (s.survived.length) console.log(`  Kill each with a behaviour, or list it with the reason it is equivalent in test/mutation/${s.lesson}.json.`);
}

/** Updates one row per lesson in docs/mutation-scores.md, keeping the others. */
function recordScores(scores: LessonScore[]): void {
  const file = path.join(workbookRoot, 'docs', 'mutation-scores.md');
  const rows = new Map<string, string>();
  if (fs.existsSync(file)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const id = line.match(/^\| (\d\d-[a-z0-9-]+) \|/)?.[1];
      if (id) rows.set(id, line);
    }
  }
  const day = new Date().toISOString().slice(0, 10);
  for (const s of scores) {
    rows.set(s.lesson, `| ${s.lesson} | ${s.score.toFixed(1)}% | ${s.killed} | ${s.survived.length} | ${s.equivalent} | ${s.total} | ${day} |`);
  }
  const table = [...rows.keys()].sort().map((id) => rows.get(id)!);
  fs.writeFileSync(
    file,
    [
      '# Mutation scores',
      '',
      'How many of StrykerJS\'s mutants of each reference solution its lesson\'s grader kills',
      '(`npm run mutation -- N --record` updates a row). Only the code a learner writes is',
      'mutated. Equivalent mutants, which no HTTP request can tell apart from the solution,',
      'are listed with their reasons in `test/mutation/NN-slug.json` and not counted.',
      '',
      '| lesson | score | killed | survived | equivalent | mutants | measured |',
      '|---|---|---|---|---|---|---|',
      ...table,
      '',
    ].join('\n'),
  );
  console.log(`\nRecorded in ${path.relative(workbookRoot, file)}.`);
}
