// node grader/cli/roundtrip.mjs summary REPORT.json: a Vitest JSON report (from
// `npm run check -- --reporter json --output-file REPORT.json`) as Markdown,
// for a CI job summary: totals, one row per lesson, then one row per behaviour
// with its result. The classroom workflow appends it to $GITHUB_STEP_SUMMARY.
import fs from 'node:fs';
import path from 'node:path';
// Vitest's own type for its JSON report; the harness adds meta.failure to it.
import type { JsonTestResults } from 'vitest/node';
import { discoverLessons } from '../../engine/lessons.ts';
import { kindHeadline } from '../../reporter/roundtrip-reporter.ts';
import { symbols } from '../../ui/style.ts';
import { parseCommandArgs } from '../args.ts';
import { UserError } from '../../engine/user-error.ts';
import { runCommand } from '../run-command.ts';

const usage = 'node grader/cli/roundtrip.mjs summary <report.json> [--title TEXT]';

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const parsed = parseCommandArgs(args, { title: { type: 'string' } }, usage);
    const [file] = parsed.positionals;
    if (!file) throw new UserError(`Which report? Usage: ${usage}`);
    if (!fs.existsSync(file)) throw new UserError(`There is no report at ${file}. Write one with: npm run check -- --reporter json --output-file ${file}`);
    let report: JsonTestResults;
    try {
      report = JSON.parse(fs.readFileSync(file, 'utf8')) as JsonTestResults;
      if (!Array.isArray(report.testResults)) throw new Error('no testResults');
    } catch {
      throw new UserError(`${file} is not a Vitest JSON report. Write one with: npm run check -- --reporter json --output-file ${file}`);
    }
    console.log(markdownSummary(report, parsed.values.title ?? 'Roundtrip'));
    return 0;
  });
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim();

export function markdownSummary(report: JsonTestResults, title: string): string {
  const titles = new Map(discoverLessons().map((l) => [l.id, `${l.id.slice(0, 2)} · ${l.title}`]));
  const lessons = report.testResults
    .map((file) => {
      const id = path.basename(file.name).replace(/\.spec\.[cm]?[jt]s$/, '');
      return { id, label: titles.get(id) ?? id, file, results: file.assertionResults };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  const all = lessons.flatMap((l) => l.results);
  const count = (status: string) => all.filter((r) => r.status === status).length;
  const failed = count('failed');
  const passed = count('passed');
  const skipped = all.length - failed - passed;

  // Like the CLI's totals, without colour: this is Markdown.
  const counts = [failed && `${failed} failed`, passed && `${passed} passed`, skipped && `${skipped} skipped`].filter(Boolean).join(' | ');
  const out = [`## ${title}: ${counts || 'no tests'} (${all.length})`, ''];
  out.push('| lesson | result | passed | failed |', '|---|---|---|---|');
  for (const lesson of lessons) {
    const lessonFailed = lesson.results.filter((r) => r.status === 'failed').length;
    const ok = lessonFailed === 0 && lesson.results.length > 0 && lesson.file.status !== 'failed';
    out.push(`| ${cell(lesson.label)} | ${ok ? `${symbols.pass} passed` : `${symbols.fail} failed`} | ${lesson.results.filter((r) => r.status === 'passed').length} | ${lessonFailed} |`);
  }
  out.push('', '| lesson | behaviour | result |', '|---|---|---|');
  for (const lesson of lessons) {
    if (!lesson.results.length && lesson.file.message) out.push(`| ${cell(lesson.label)} | (the spec did not run) | ${symbols.fail} ${cell(lesson.file.message.split('\n')[0] ?? '')} |`);
    for (const result of lesson.results) {
      const failure = result.meta?.failure;
      const outcome =
        result.status === 'passed'
          ? `${symbols.pass} passed`
          : result.status === 'failed'
            ? `${symbols.fail} failed${failure ? `: ${kindHeadline[failure.kind] ?? failure.kind}. ${failure.summary}` : ''}`
            : `${symbols.todo} ${result.status}`;
      out.push(`| ${cell(lesson.label)} | ${cell(result.title)} | ${cell(outcome)} |`);
    }
  }
  return out.join('\n');
}
