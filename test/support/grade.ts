// Runs the grader CLI as a child process with Vitest's JSON reporter and reads
// back, for each lesson, how each behaviour ended.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JsonTestResults } from 'vitest/node';
import { graderRoot, workbookRoot } from '../../grader/engine/paths.ts';

export interface BehaviourOutcome {
  status: 'passed' | 'failed' | string;
  kind?: string;
  summary?: string;
}

export interface GradeRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** lesson id → behaviour name → outcome */
  lessons: Record<string, Record<string, BehaviourOutcome>>;
  durationMs: number;
}

/** Short limits, for the tests that provoke hangs on purpose (hostile servers). */
export const testLimits = { ROUNDTRIP_START_TIMEOUT_MS: '8000', ROUNDTRIP_REQUEST_TIMEOUT_MS: '1500' };

/** Generous start limit for everything else: a busy machine must not fail a good server. */
export const normalLimits = { ROUNDTRIP_START_TIMEOUT_MS: '20000' };

export const cli = path.join(graderRoot, 'cli', 'roundtrip.mjs');

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, options: { timeoutMs?: number; input?: string } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string; durationMs: number }>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: workbookRoot,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // A command that exits without reading its input closes the pipe first (EPIPE): not an error of the test.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`roundtrip ${args.join(' ')} did not finish within ${options.timeoutMs ?? 90_000} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 90_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, durationMs: performance.now() - started });
    });
  });
}

/** `npm run check -- <lessons> --target <target>` with the JSON reporter. */
export async function grade(target: string, lessons: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<GradeRun> {
  const outputFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'roundtrip-report-')), 'report.json');
  const run = await runCli(['check', ...lessons, '--target', target, '--reporter', 'json', '--output-file', outputFile], {
    ...normalLimits,
    ...env,
  });
  const lessonsSeen: GradeRun['lessons'] = {};
  if (fs.existsSync(outputFile)) {
    const report = JSON.parse(fs.readFileSync(outputFile, 'utf8')) as JsonTestResults;
    for (const file of report.testResults) {
      const id = path.basename(file.name).replace(/\.spec\.ts$/, '');
      lessonsSeen[id] = Object.fromEntries(
        file.assertionResults.map((a) => [a.title, { status: a.status, kind: a.meta?.failure?.kind, summary: a.meta?.failure?.summary }]),
      );
    }
    fs.rmSync(path.dirname(outputFile), { recursive: true, force: true });
  }
  return { ...run, lessons: lessonsSeen };
}

/** Processes whose command line mentions `needle` (left-behind servers). */
export async function processesMentioning(needle: string): Promise<string[]> {
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync('ps', ['-A', '-o', 'pid=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(needle) && !line.includes(' ps -A'));
}
