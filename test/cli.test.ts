// The CLI as a learner meets it, without a terminal (as in CI and pipes):
// clear messages instead of prompts, wrong input refused with exit code 2,
// progress remembered, and `solution`/`reset` never losing work.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { discoverLessons } from '../grader/engine/lessons.ts';
import { graderRoot, solutionsDir } from '../grader/engine/paths.ts';
import { requestHeaders } from '../grader/cli/commands/trace.ts';
import { runCli, normalLimits } from './support/grade.ts';
import { scratchWorkbook } from './support/scratch.ts';

const first = discoverLessons()[0]!;
const ansi = /\u001b\[/;

describe('without a terminal', () => {
  test('npm start lists the lessons and the commands instead of prompting', async () => {
    const run = await runCli(['menu']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${first.id.slice(0, 2)} ${first.title}`);
    expect(run.stdout).toContain('npm run check -- 1');
    expect(run.stdout).not.toMatch(ansi);
  });

  test('a lesson renders as plain text, hints left out', async () => {
    const run = await runCli(['lesson', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(first.title);
    expect(run.stdout).toContain('npm run hint -- 1');
    expect(run.stdout).not.toMatch(ansi);
  });
});

describe('wrong input', () => {
  test.each([
    [['check', '99'], /There is no lesson "99"/],
    [['hint', 'nonsense'], /There is no lesson "nonsense"/],
    [['check', '--bogus'], /Unknown option --bogus/],
    [['serve', '1', '--port', 'abc'], /--port must be a number/],
    [['check', '1', '--reporter', 'xml'], /Unknown reporter "xml"/],
    [['frobnicate'], /Unknown command "frobnicate"/],
    // One lesson at a time: a second, a hint number say, is refused rather than ignored (reset -- 1 2 reset lesson 1 alone).
    [['hint', '1', '3'], /One lesson at a time: "3" is more than this command takes\.\nUsage: npm run hint/],
    [['lesson', '2', 'x'], /One lesson at a time: "x"/],
  ])('%j is refused with a clear message and exit code 2', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

test('every command prints its usage with --help, and exits 0', async () => {
  const commands = fs.readdirSync(path.join(graderRoot, 'cli', 'commands')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
  expect(commands.length).toBeGreaterThan(10);
  for (const command of commands) {
    const run = await runCli([command, '--help']);
    expect(run.code, `${command}: ${run.stderr}`).toBe(0);
    expect(run.stdout, command).toMatch(/^Usage: \S/);
  }
});

describe('hints', () => {
  test('come one at a time and are remembered', async () => {
    const root = scratchWorkbook('hints');
    const env = { ROUNDTRIP_ROOT: root };
    const one = await runCli(['hint', '1'], env);
    expect(one.stdout).toMatch(/Hint 1 of \d+/);
    expect(one.stdout).not.toMatch(/Hint 2 of/);
    const two = await runCli(['hint', '1'], env);
    expect(two.stdout).toMatch(/Hint 2 of \d+/);
    const progress = JSON.parse(fs.readFileSync(path.join(root, '.roundtrip', 'progress.json'), 'utf8'));
    expect(progress.lessons[first.id].hintsShown).toBe(2);
  });

  test('an unreadable progress file is kept aside, not overwritten', async () => {
    const root = scratchWorkbook('corrupt');
    fs.mkdirSync(path.join(root, '.roundtrip'), { recursive: true });
    fs.writeFileSync(path.join(root, '.roundtrip', 'progress.json'), '{ not json');
    const run = await runCli(['hint', '1'], { ROUNDTRIP_ROOT: root });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/could not be read/);
    const kept = fs.readdirSync(path.join(root, '.roundtrip')).filter((f) => f.startsWith('progress.json.unreadable-'));
    expect(kept).toHaveLength(1);
    expect(fs.readFileSync(path.join(root, '.roundtrip', kept[0]!), 'utf8')).toBe('{ not json');
  });
});

describe('a progress file that cannot be used', () => {
  // Root may write anywhere, so a folder where the file should be stands for "not writable".
  function blockedProgress(name: string): string {
    const root = scratchWorkbook(name);
    fs.mkdirSync(path.join(root, '.roundtrip', 'progress.json'), { recursive: true });
    return root;
  }

  test('hint says so in one sentence and exits 2, without a stack trace', async () => {
    const run = await runCli(['hint', '1'], { ROUNDTRIP_ROOT: blockedProgress('blocked-hint') });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/progress could not be read: \.roundtrip\/progress\.json is not readable/);
    expect(run.stdout + run.stderr).not.toMatch(/^\s+at /m);
  });

  test('check keeps its verdict, says why progress was not saved, and leaves no temporary file', async () => {
    const root = blockedProgress('blocked-check');
    // The learner's own folder, finished: progress is saved only for exercises/.
    fs.cpSync(path.join(solutionsDir, first.id), path.join(root, 'exercises', first.id), { recursive: true });
    const run = await runCli(['check', '1'], { ROUNDTRIP_ROOT: root });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/progress could not be (read|saved)/);
    expect(run.stdout + run.stderr).not.toMatch(/Unhandled|^\s+at /m);
    expect(fs.readdirSync(path.join(root, '.roundtrip')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('solution and reset keep the learner’s work', () => {
  const mine = '// my own attempt\n';

  test('solution asks first: without a terminal and without --yes nothing changes', async () => {
    const root = scratchWorkbook('solution-ask');
    const file = path.join(root, 'exercises', first.id, 'server.ts');
    fs.writeFileSync(file, mine);
    const run = await runCli(['solution', '1'], { ROUNDTRIP_ROOT: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('npm run solution -- 1 --yes');
    expect(fs.readFileSync(file, 'utf8')).toBe(mine);
  });

  test('solution --yes backs up, then puts the solution in place', async () => {
    const root = scratchWorkbook('solution-yes');
    const file = path.join(root, 'exercises', first.id, 'server.ts');
    fs.writeFileSync(file, mine);
    const run = await runCli(['solution', '1', '--yes'], { ROUNDTRIP_ROOT: root });
    expect(run.code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(fs.readFileSync(path.join(root, 'solutions', first.id, 'server.ts'), 'utf8'));
    const backups = path.join(root, '.roundtrip', 'backups', first.id);
    const [backup] = fs.readdirSync(backups);
    expect(fs.readFileSync(path.join(backups, backup!, 'server.ts'), 'utf8')).toBe(mine);
  });

  test('reset --yes restores the stub from git and backs up first', async () => {
    const root = scratchWorkbook('reset', { git: true });
    const file = path.join(root, 'exercises', first.id, 'server.ts');
    const original = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, mine);
    const run = await runCli(['reset', '1', '--yes'], { ROUNDTRIP_ROOT: root });
    expect(run.code, run.stderr).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
    const backups = path.join(root, '.roundtrip', 'backups', first.id);
    const [backup] = fs.readdirSync(backups);
    expect(fs.readFileSync(path.join(backups, backup!, 'server.ts'), 'utf8')).toBe(mine);
  });

  test('reset outside a git clone says why and changes nothing', async () => {
    const root = scratchWorkbook('reset-nogit');
    const file = path.join(root, 'exercises', first.id, 'server.ts');
    fs.writeFileSync(file, mine);
    const run = await runCli(['reset', '1', '--yes'], { ROUNDTRIP_ROOT: root, GIT_CEILING_DIRECTORIES: path.dirname(root) });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/git/);
    expect(fs.readFileSync(file, 'utf8')).toBe(mine);
  });
});

describe('trace', () => {
  test('prints one request’s way through the cycle: in through the middleware, the view, and out in reverse', async () => {
    const run = await runCli(['trace', '6', 'GET', '/', '--solution'], normalLimits);
    expect(run.code, run.stderr).toBe(0);
    const stages = run.stdout
      .split('\n')
      .map((line) => line.match(/(middleware in|middleware out|view)\s+(\w+)/)?.slice(1, 3).join(' '))
      .filter(Boolean);
    expect(stages).toEqual([
      'middleware in outer',
      'middleware in middle',
      'middleware in inner',
      'view page',
      'middleware out inner',
      'middleware out middle',
      'middleware out outer',
    ]);
  });

  test('--data sends a form’s Content-Type, as curl -d does, unless one is given', () => {
    expect(requestHeaders([], 'a=b')).toEqual({ 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(requestHeaders(['content-type: application/json'], '{}')).toEqual({ 'content-type': 'application/json' });
    expect(requestHeaders(['X-A: 1'], undefined)).toEqual({ 'X-A': '1' });
  });

  test('refuses a path without a leading slash, with a clear message', async () => {
    const run = await runCli(['trace', '6', 'GET', 'articles']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/must start with "\/"/);
  });
});

describe('at 80 columns', () => {
  const fenced = (markdown: string) =>
    [...markdown.matchAll(/^```[^\n]*\n(.*?)^```/gms)].flatMap((m) => m[1]!.split('\n')).map((l) => l.trim()).filter(Boolean);

  test.each(['3', '7'])('lesson %s: code keeps its lines, lists and tables wrap between words within 80 columns', async (n) => {
    const lesson = discoverLessons().find((l) => l.number === Number(n))!;
    const run = await runCli(['lesson', n, '--no-pager']);
    expect(run.code).toBe(0);
    const code = fenced(fs.readFileSync(lesson.lessonFile, 'utf8'));
    for (const line of code) expect(run.stdout).toContain(line);
    // Wider than 80: only a code line (it runs on rather than break mid-token) or a word too long to break (a URL).
    const wide = run.stdout.split('\n').filter((line) => [...line].length > 80);
    const unexplained = wide.filter((line) => !code.some((c) => line.includes(c)) && !line.split(' ').some((word) => word.length > 40));
    expect(unexplained).toEqual([]);
  });

  test('hints are rendered Markdown: bold, inline code and links, no colour with NO_COLOR', async () => {
    const root = scratchWorkbook('hint-markdown');
    const file = path.join(root, 'lessons', `${first.id}.md`);
    const text = fs.readFileSync(file, 'utf8');
    const hints = text.indexOf('## Hints');
    const item = text.indexOf('\n1. ', hints) + 1;
    const end = text.indexOf('\n', item);
    fs.writeFileSync(file, `${text.slice(0, item)}1. Is **the status line** right? Try \`statusLine('OK')\` and read [RFC 9112](https://www.rfc-editor.org/rfc/rfc9112).${text.slice(end)}`);
    const run = await runCli(['hint', '1'], { ROUNDTRIP_ROOT: root });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Is the status line\s+right\?/);
    expect(run.stdout).toContain("`statusLine('OK')`");
    expect(run.stdout).not.toContain('**');
    expect(run.stdout).not.toContain('](');
    expect(run.stdout).not.toMatch(ansi);
  });
});
