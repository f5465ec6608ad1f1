// Watch mode (npm run watch -- N): a save grades the lesson again, a run that
// touches the lesson's own files does not, and Ctrl-C leaves no process behind.
// The tests run side by side: each has a workbook of its own, and most of
// their time is spent waiting for a watcher that must stay quiet.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { discoverLessons } from '../grader/engine/lessons.ts';
import { cli, normalLimits, processesMentioning } from './support/grade.ts';
import { scratchWorkbook } from './support/scratch.ts';

const first = discoverLessons()[0]!;

describe.concurrent('watch', () => {
  test('checks again when a file is saved, and Ctrl-C leaves no process behind', async () => {
    const root = scratchWorkbook('watch');
    const child = spawn(process.execPath, [cli, 'watch', '1'], {
      env: { ...process.env, ...normalLimits, NO_COLOR: '1', ROUNDTRIP_ROOT: root },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const waitFor = async (pattern: RegExp) => {
      const deadline = Date.now() + 60_000;
      while (!pattern.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(out, out).toMatch(pattern);
    };
    await waitFor(/Watching exercises\/01-how-the-web-works\//);
    expect(out).toMatch(/failed \(\d+\)/);
    fs.cpSync(path.join(root, 'solutions', first.id), path.join(root, 'exercises', first.id), { recursive: true });
    await waitFor(/Lesson 01 passes/);
    // The re-run names the file whose save started it.
    expect(out).toMatch(/exercises\/01-how-the-web-works\/server\.ts changed: checking again/);
    child.kill('SIGINT');
    await exited;
    expect(await processesMentioning(path.join(root, 'exercises'))).toEqual([]);
  });

  // Lesson 11's behaviours set the times of files in static/ and put them back: a
  // watcher that took that for a save graded the lesson again and again, for ever.
  test.each([[[]], [['--poll']]])('a run that touches the lesson’s files starts no other; a save does (flags %j)', async (flags) => {
    const lesson = discoverLessons().find((l) => l.id.startsWith('11-'))!;
    const root = scratchWorkbook(`watch-own-changes${flags.join('')}`);
    fs.cpSync(path.join(root, 'solutions', lesson.id), path.join(root, 'exercises', lesson.id), { recursive: true });
    const child = spawn(process.execPath, [cli, 'watch', '11', ...flags], { env: { ...process.env, ...normalLimits, NO_COLOR: '1', ROUNDTRIP_ROOT: root }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const again = () => out.match(/changed: checking again/g)?.length ?? 0;
    try {
      for (const deadline = Date.now() + 60_000; !/Lesson 11 passes/.test(out) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
      expect(out, out).toMatch(/Lesson 11 passes/);
      // A loop grades the lesson several times a second.
      await new Promise((r) => setTimeout(r, 3000));
      expect(again(), out).toBe(0);
      fs.appendFileSync(path.join(root, 'exercises', lesson.id, 'static.ts'), '\n// saved\n');
      for (const deadline = Date.now() + 30_000; again() === 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
      expect(out).toMatch(/static\.ts changed: checking again/);
    } finally {
      child.kill('SIGINT');
      await exited;
    }
  });
});
