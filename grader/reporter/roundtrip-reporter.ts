// The learner-facing report: a line per lesson, then each failing lesson's
// first failure in full (request, response, expectation, hint, server output),
// then totals and what to do next.
import type { Reporter, SerializedError, TestModule } from 'vitest/node';
import path from 'node:path';
import type { FailureDetails } from '../engine/failure.ts';
import type { RunClock } from '../engine/saves.ts';
import type { TypeDiagnostic } from '../engine/typecheck.ts';
import { displayPath, exercisesDir, workbookRoot } from '../engine/paths.ts';
import type { OutputLine } from '../engine/server-process.ts';
import { discoverLessons, type Lesson } from '../engine/lessons.ts';
import { readProgress } from '../engine/progress.ts';
import { colour, indent, symbols, totals } from '../ui/style.ts';
import { lessonResults, type BehaviourResult, type LessonResult } from './results.ts';

export interface ReporterOptions {
  /** Show every failure in full, not only each lesson's first. */
  verbose?: boolean;
  /** Called with the results once the run ends (progress, exit code). */
  onResults?: (results: LessonResult[], unhandled: ReadonlyArray<SerializedError>) => void;
  /** Print the report; false when another reporter (JSON, JUnit) owns stdout. */
  print?: boolean;
  /** The type errors in the checked files, shown in a block of their own (they never change the verdict). */
  typeErrors?: () => Promise<TypeDiagnostic[]>;
  /** Told when each run starts and ends (watch mode tells saves from the grader's own changes: see saves.ts). */
  clock?: RunClock;
}

export const kindHeadline: Record<FailureDetails['kind'], string> = {
  todo: 'Not implemented yet',
  'no-start': 'Your server did not start',
  crash: 'Your server crashed',
  timeout: 'No answer in time',
  connection: 'Connection problem',
  mismatch: 'Wrong answer',
};

export class RoundtripReporter implements Reporter {
  constructor(private readonly options: ReporterOptions = {}) {}

  onTestRunStart(): void {
    this.options.clock?.started();
  }

  async onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): Promise<void> {
    this.options.clock?.ended();
    const results = lessonResults(modules);
    const print = this.options.print !== false;
    // The verdict first, at once; the type errors when the type check (begun with the grading) is done.
    if (print) process.stdout.write(renderReport(results, unhandled, this.options.verbose) + '\n');
    // A machine's report (JSON, JUnit) has no place for them: a grader bug still says so, on stderr.
    else for (const error of unhandled) process.stderr.write(graderBug(error.stack ?? error.message) + '\n');
    this.options.onResults?.(results, unhandled);
    const typeErrors = print ? ((await this.options.typeErrors?.()) ?? []) : [];
    if (typeErrors.length) process.stdout.write(`\n${renderTypeErrors(typeErrors)}\n`);
  }

  /** The file whose save starts the next re-run (watch mode names it; Vitest would say "rerun test"). */
  saved(file: string): void {
    this.savedFile = file;
  }

  private savedFile: string | undefined;

  onWatcherRerun(files: string[], trigger?: string): void {
    const changed = this.savedFile ?? trigger;
    this.savedFile = undefined;
    if (this.options.print === false) return;
    // A fresh screen per re-check on a terminal; a plain separator in a log.
    if (process.stdout.isTTY) process.stdout.write('\u001bc');
    console.log(colour.dim(`${symbols.arrow} ${changed ? displayPath(changed) : 'a file'} changed: checking again…`));
  }
}

/** `passedBefore`: lessons passed in earlier runs, so "Next:" skips them (the progress file by default). */
export function renderReport(results: LessonResult[], unhandled: ReadonlyArray<SerializedError> = [], verbose = false, passedBefore: string[] = passedLessons()): string {
  const lessons = new Map(discoverLessons().map((l) => [l.id, l]));
  const title = (id: string) => lessons.get(id)?.title ?? id;
  const out: string[] = [''];

  const width = Math.max(...results.map((r) => title(r.id).length), 10);
  for (const result of results) {
    const mark = result.passed ? colour.green(symbols.pass) : colour.red(symbols.fail);
    const counts = count(result.behaviours);
    out.push(` ${mark} ${result.id.slice(0, 2)} ${title(result.id).padEnd(width)}  ${result.passed ? colour.dim(`${counts.passed} passed`) : totals(counts)}`);
  }

  // One lesson at a time: the first failing lesson in detail, the others by name
  // (a fresh workbook would otherwise print hundreds of lines).
  const failing = results.filter((r) => !r.passed);
  const detailed = verbose ? failing : failing.slice(0, 1);
  for (const result of detailed) out.push(...lessonFailures(result, title(result.id), verbose));

  const others = failing.slice(detailed.length);
  if (others.length) {
    const numbers = others.map((r) => r.id.slice(0, 2)).join(', ');
    out.push('', colour.dim(`  Also failing: lesson${others.length > 1 ? 's' : ''} ${numbers}. \`npm run check -- <number>\` shows one in detail (\`-- --verbose\`: all).`));
  }

  for (const error of unhandled) out.push('', graderBug(error.stack ?? error.message));

  const all = results.flatMap((r) => r.behaviours);
  const complete = results.filter((r) => r.passed).length;
  out.push('', `${colour.dim('Tests  ')}  ${totals(count(all))}`);
  out.push(`${colour.dim('Lessons')}  ${complete} of ${results.length} complete`);
  out.push('', nextStep(results, lessons, passedBefore));
  return out.join('\n');
}

/** Type errors as their own block: where (file:line:col) and what, the verdict unchanged. */
export function renderTypeErrors(errors: TypeDiagnostic[]): string {
  const shown = errors.slice(0, 10);
  const lines = [colour.bold(colour.yellow(`Type errors (${errors.length})`)) + colour.dim(': what TypeScript says about your code, not graded')];
  for (const e of shown) {
    const [first = '', ...more] = e.message.split('\n');
    lines.push(`  ${displayPath(e.file)}:${e.line}:${e.column}  ${first}`, ...more.map((m) => colour.dim(`    ${m.trim()}`)));
  }
  if (errors.length > shown.length) lines.push(colour.dim(`  … and ${errors.length - shown.length} more.`));
  lines.push(colour.dim('  They do not change the result above; your editor, or `npm run typecheck`, shows them too.'));
  return lines.join('\n');
}

/** A failing lesson in detail: its first failure in full (all with verbose), the others by name. */
function lessonFailures(result: LessonResult, title: string, verbose: boolean): string[] {
  const out = ['', colour.bold(`${symbols.pointer} ${result.id.slice(0, 2)} ${title}`)];
  if (result.moduleError) return [...out, '', graderBug(result.moduleError)];
  const failures = result.behaviours.filter((b) => b.state === 'failed');
  const [first, ...rest] = failures;
  for (const [index, behaviour] of failures.entries()) {
    if (index === 0 || verbose) out.push('', renderFailure(behaviour, result.id));
  }
  if (!verbose && rest.length) {
    out.push('', colour.dim(`  Also failing (the first failure above is the one to fix first):`));
    for (const behaviour of rest) {
      const why = behaviour.failure
        ? sameCause(behaviour.failure, first!.failure) ? 'same cause' : behaviour.failure.summary
        : 'grader error';
      out.push(`  ${colour.red(symbols.fail)} ${behaviour.name} ${colour.dim(`— ${why}`)}`);
    }
    out.push(colour.dim(`  (\`npm run check -- ${checkArgs(result.id)} --verbose\` shows every failure in full.)`));
  }
  for (const behaviour of result.behaviours.filter((b) => b.state === 'skipped' && b.note)) {
    out.push('', `  ${colour.yellow(symbols.todo)} ${behaviour.name} ${colour.dim(`— ${behaviour.note}`)}`);
  }
  return out;
}

function count(behaviours: BehaviourResult[]) {
  return {
    failed: behaviours.filter((b) => b.state === 'failed').length,
    passed: behaviours.filter((b) => b.state === 'passed').length,
    skipped: behaviours.filter((b) => b.state === 'skipped').length,
  };
}

/** Only a missing piece or a server that will not run is one cause for many failures; wrong answers each have their own. */
function sameCause(a: FailureDetails, b: FailureDetails | undefined): boolean {
  if (!b || a.kind !== b.kind || !['todo', 'no-start'].includes(a.kind)) return false;
  return (a.todo ?? a.summary) === (b.todo ?? b.summary);
}

export function renderFailure(behaviour: BehaviourResult, lessonId = ''): string {
  const lines = [`  ${colour.red(symbols.fail)} ${colour.bold(behaviour.name)}`];
  const f = behaviour.failure;
  if (!f) return [...lines, '', graderBug(behaviour.graderError ?? '')].join('\n');

  const label = (name: string) => colour.dim(`    ${name.padEnd(9)}`);
  const block = (name: string, text: string) => {
    const [head = '', ...tail] = text.split('\n');
    lines.push(label(name) + head, ...tail.map((t) => ' '.repeat(13) + t));
  };

  lines.push(`    ${colour.yellow(kindHeadline[f.kind])}: ${f.kind === 'todo' && f.todo ? f.todo : f.summary}`);
  if (f.kind === 'todo' && f.todo && f.summary && !f.summary.includes(f.todo)) lines.push(colour.dim(`    (${f.summary})`));
  if (f.exchange) {
    lines.push('');
    block('Request', `${f.exchange.request.command}\n${colour.dim(f.exchange.request.raw)}`);
    const r = f.exchange.response;
    if (r) {
      const head = [r.statusLine, ...r.headers.map(([n, v]) => `${n}: ${v}`)].join('\n');
      const parsed = r.bodyExcerpt ? `${head}\n\n${r.bodyExcerpt}` : r.headers.length ? head : '';
      // Once: as raw bytes when the answer was wrong (they show framing the parsed view hides), else parsed.
      block('Response', (r.raw && f.kind === 'mismatch' ? `${colour.dim('(raw bytes)')}\n${r.raw}` : parsed) || head);
    } else {
      block('Response', colour.dim(`(none) ${f.exchange.problem ?? ''}`));
    }
    // Once: a check about the trace already shows it as what was received (spec 13).
    if (f.exchange.trace?.length && !sameTrace(f.exchange.trace.join('\n'), f.received)) block('Trace', f.exchange.trace.join('\n'));
  }
  if (f.expected !== undefined || f.received !== undefined) lines.push('');
  if (f.expected !== undefined) block('Expected', colour.green(f.expected));
  if (f.received !== undefined) block('Received', colour.red(f.received));
  // Random values (paths, names) come from one seed per run: the same seed sends the same requests again.
  if (f.seed && f.kind !== 'todo' && f.kind !== 'no-start') {
    lines.push('');
    block('Replay', colour.dim(`ROUNDTRIP_SEED=${f.seed} npm run check -- ${checkArgs(lessonId)} sends the same requests again`));
  }
  const hint = f.kind === 'todo' ? 'Replace the `throw new Error(\'TODO: …\')` named above with your code.' : f.hint;
  if (hint) {
    lines.push('');
    block('Hint', hint);
  }
  const output = tidyOutput(f.serverOutput ?? []);
  if (output.length) {
    lines.push('', colour.dim('    Your server printed:'));
    for (const line of output) {
      lines.push(`    ${colour.cyan(symbols.bar)} ${line.stream === 'stderr' ? colour.red(line.text) : line.text}`);
    }
  }
  return lines.join('\n');
}

/** The same trace lines, timings aside (the same request's trace, formatted twice). */
function sameTrace(trace: string, received: string | undefined): boolean {
  const untimed = (text: string) => text.split('\n').map((line) => line.replace(/^\s*[\d.]+ ms\s+/, '').trimEnd()).join('\n');
  return received !== undefined && untimed(trace) === untimed(received);
}

/** The learner's own output, minus stack frames inside Node itself, with short paths. */
function tidyOutput(output: OutputLine[]): OutputLine[] {
  const root = workbookRoot + path.sep;
  const tidy: OutputLine[] = [];
  for (const line of output) {
    if (/^\s+at .*\(?node:/.test(line.text)) continue;
    const text = line.text.replaceAll(`file://${root}`, '').replaceAll(root, '');
    if (text.trim() === '' && tidy.at(-1)?.text.trim() === '') continue;
    tidy.push({ ...line, text });
  }
  while (tidy.at(-1)?.text.trim() === '') tidy.pop();
  return tidy;
}

function graderBug(stack: string): string {
  return [
    `  ${colour.red(symbols.fail)} ${colour.bold('The grader itself failed.')} This is a bug in Roundtrip, not in your code;`,
    '    please report it with the text below.',
    colour.dim(indent(stack.split('\n').slice(0, 12).join('\n'), '    ')),
  ].join('\n');
}

/** What follows `npm run check --` to check this lesson the same way again: "13 --own-stack" after an own-stack run. */
function checkArgs(lessonId: string): string {
  const n = Number(lessonId.slice(0, 2)) || 'N';
  // Set by the grader for an own-stack run only (see own-stack.ts).
  return process.env.ROUNDTRIP_OWN_STACK_DIR === undefined ? String(n) : `${n} --own-stack`;
}

function nextStep(results: LessonResult[], lessons: Map<string, Lesson>, passedBefore: string[]): string {
  const failing = results.find((r) => !r.passed);
  if (failing) {
    const n = failing.id.slice(0, 2);
    const lesson = lessons.get(failing.id);
    // The folder checked: exercises/ unless --target named another.
    const where = lesson ? `${displayPath(path.join(process.env.ROUNDTRIP_TARGET ?? exercisesDir, lesson.id))}/` : `lesson ${n}`;
    return `${colour.bold('Next:')} fix the first failure in ${where}, then \`npm run check -- ${checkArgs(failing.id)}\` again. Stuck? \`npm run hint -- ${Number(n)}\`.`;
  }
  if (!results.length) return 'No lessons were checked.';
  const last = results.at(-1)!.id;
  // The next lesson not passed yet, counting the ones just checked.
  const passed = new Set([...passedBefore, ...results.filter((r) => r.passed).map((r) => r.id)]);
  const following = [...lessons.values()].find((l) => l.id > last && !passed.has(l.id)) ?? [...lessons.values()].find((l) => !passed.has(l.id));
  const done = results.length === 1 ? `${symbols.pass} Lesson ${last.slice(0, 2)} passes.` : `${symbols.pass} All checked lessons pass.`;
  return following
    ? `${colour.green(done)} ${colour.bold('Next:')} ${following.id.slice(0, 2)} ${following.title} — \`npm run lesson -- ${following.number}\``
    : `${colour.green(done)} That was the last lesson. Well done!`;
}

/** Lessons the learner has passed before (none when the progress file cannot be read). */
function passedLessons(): string[] {
  try {
    return Object.entries(readProgress().lessons)
      .filter(([, p]) => p.passed)
      .map(([id]) => id);
  } catch {
    return [];
  }
}

