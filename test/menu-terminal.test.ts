// The menu in a real pseudo-terminal, 80 columns wide, driven with tmux (Debian's
// tmux; .ci/run installs it): keys in, the screen read back.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { discoverLessons } from '../grader/engine/lessons.ts';
import { cli } from './support/grade.ts';
import { scratchWorkbook } from './support/scratch.ts';

const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const socket = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'roundtrip-tmux-')), 'socket');
const tmux = (...args: string[]) => execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const running = () => {
  try {
    tmux('has-session', '-t', 'menu');
    return true;
  } catch {
    return false;
  }
};
/** The visible screen, wrapped lines joined, so a line wider than the pane shows as one long line. */
const screen = (history = false) => tmux('capture-pane', '-p', '-J', '-t', 'menu', ...(history ? ['-S', '-'] : []));
/** The line the cursor is on: inquirer marks it with ❯. */
const cursorLine = () => screen().split('\n').find((line) => line.startsWith('❯')) ?? '';

async function waitFor(what: string, ok: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`Waited for ${what}; the screen:\n${running() ? screen() : '(session ended)'}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

afterAll(() => {
  if (hasTmux && running()) tmux('kill-server');
  fs.rmSync(path.dirname(socket), { recursive: true, force: true });
});

test.skipIf(!hasTmux)('the menu at 80 columns: starts on the current lesson, shows history, reads the solution without changing files, quits from the list', async () => {
  const [one, two, three] = discoverLessons();
  const root = scratchWorkbook('menu');
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
  const passed = { passed: true, firstPassedAt: daysAgo(40), passedAt: daysAgo(3), lastRunAt: daysAgo(3) };
  fs.mkdirSync(path.join(root, '.roundtrip'), { recursive: true });
  fs.writeFileSync(path.join(root, '.roundtrip', 'progress.json'), JSON.stringify({ version: 1, lessons: { [one!.id]: passed, [two!.id]: { ...passed, hintsShown: 2 } } }));
  const exercise = () => fs.readdirSync(path.join(root, 'exercises', three!.id)).map((f) => fs.readFileSync(path.join(root, 'exercises', three!.id, f), 'utf8')).join('\n');
  const before = exercise();

  const env = [`ROUNDTRIP_ROOT=${root}`, 'PAGER=cat', 'NO_COLOR=1', 'LANG=C.UTF-8'];
  const command = ['env', ...env, process.execPath, cli, 'menu'].map((word) => `'${word}'`).join(' ');
  tmux('-u', 'new-session', '-d', '-s', 'menu', '-x', '80', '-y', '30', command);

  await waitFor('the lesson list', () => screen().includes('which lesson?'));
  expect(cursorLine()).toContain(`03 ${three!.title}`);
  // Each lesson on one line: its history (first passed, last run, hints seen) included.
  expect(screen()).toMatch(new RegExp(`02 ${two!.title} +passed \\d+ \\w{3} · ran \\d+ \\w{3} · 2 hints\n`));
  expect(screen()).toMatch(/\n {2}○ 04 /);

  tmux('send-keys', '-t', 'menu', 'Enter');
  await waitFor('the lesson’s actions', () => cursorLine().includes('Read the lesson'));
  tmux('send-keys', '-t', 'menu', 'Down', 'Down', 'Down', 'Down', 'Enter');
  await waitFor('the solution, then the actions again', () => screen(true).includes(`── solutions/${three!.id}/`) && cursorLine().includes('See the solution'));
  expect(exercise()).toBe(before);
  expect(screen(true)).not.toContain('Replace your files');

  tmux('send-keys', '-t', 'menu', 'Down', 'Down', 'Down', 'Enter');
  await waitFor('the lesson list again, on the same lesson', () => screen().split('\n').filter((l) => l.includes('which lesson?')).length > 0 && cursorLine().includes(`03 ${three!.title}`));
  tmux('send-keys', '-t', 'menu', 'Up', 'Up', 'Up');
  await waitFor('Quit under the cursor', () => cursorLine().includes('Quit'));
  // The menu's own lines fit (the solution's code printed above may be wider).
  const menu = screen().split('\n');
  const wide = menu.slice(menu.findLastIndex((l) => l.includes('which lesson?'))).map((l) => l.trimEnd()).filter((l) => [...l].length > 80);
  expect(wide).toEqual([]);
  tmux('send-keys', '-t', 'menu', 'Enter');
  await waitFor('the menu to end', () => !running(), 5_000);
}, 60_000);
