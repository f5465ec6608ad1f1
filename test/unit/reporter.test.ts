// The learner's report, rendered from fixed results and compared with golden
// files in test/fixtures/reporter/. After a deliberate change to the report,
// regenerate them and read the diff:
//
//   ROUNDTRIP_UPDATE_GOLDEN=1 npx vitest run --config test/vitest.config.ts test/unit/reporter.test.ts
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import type { FailureDetails } from '../../grader/engine/failure.ts';
import { workbookRoot } from '../../grader/engine/paths.ts';
import type { BehaviourResult, LessonResult } from '../../grader/reporter/results.ts';
import { renderReport as renderWithProgress } from '../../grader/reporter/roundtrip-reporter.ts';

/** The report as a learner with no progress yet sees it: golden files must not depend on this machine's progress. */
const renderReport = (...[results, unhandled = [], verbose = false]: Parameters<typeof renderWithProgress>) => renderWithProgress(results, unhandled, verbose, []);

const goldenDir = path.join(import.meta.dirname, '..', 'fixtures', 'reporter');
const update = process.env.ROUNDTRIP_UPDATE_GOLDEN === '1';
const ansi = /\u001b\[[0-9;]*m/g;

// The report names the folder checked: the default one, exercises/.
beforeAll(() => {
  vi.stubEnv('ROUNDTRIP_TARGET', undefined);
});
afterAll(() => {
  vi.unstubAllEnvs();
});

function expectGolden(name: string, text: string): void {
  const file = path.join(goldenDir, `${name}.txt`);
  const plain = `${text.replace(ansi, '')}\n`;
  if (update) fs.writeFileSync(file, plain);
  expect(fs.existsSync(file), `${file} is missing: run with ROUNDTRIP_UPDATE_GOLDEN=1`).toBe(true);
  expect(plain).toBe(fs.readFileSync(file, 'utf8'));
}

const passed = (name: string): BehaviourResult => ({ name, state: 'passed' });
const failed = (name: string, failure: FailureDetails): BehaviourResult => ({ name, state: 'failed', failure });
const lesson = (id: string, behaviours: BehaviourResult[], extra: Partial<LessonResult> = {}): LessonResult => ({
  id,
  behaviours,
  passed: behaviours.every((b) => b.state === 'passed') && !extra.moduleError,
  ...extra,
});

const todo: FailureDetails = {
  kind: 'todo',
  summary: 'Your server answered 500 because of a TODO.',
  todo: 'TODO: write the status line',
  exchange: {
    request: { command: 'curl -v http://localhost:3000/', raw: 'GET / HTTP/1.1\\r\\n\nhost: localhost:3000\\r\\n\n\\r\\n' },
    response: { statusLine: 'HTTP/1.1 500 Internal Server Error', headers: [['content-length', '0']], bodyExcerpt: '' },
  },
  serverOutput: [
    { stream: 'stderr', text: 'Error: TODO: write the status line' },
    { stream: 'stderr', text: `    at respond (${workbookRoot}/exercises/01-how-the-web-works/server.ts:12:9)` },
    { stream: 'stderr', text: '    at Socket.emit (node:events:518:28)' },
  ],
};

const mismatch: FailureDetails = {
  kind: 'mismatch',
  summary: 'The Content-Length header is not right.',
  expected: 'Content-Length: 6',
  received: 'Content-Length: 5',
  hint: 'Count bytes, not characters: Buffer.byteLength(body).',
  exchange: {
    request: { command: "printf 'GET /caf%%C3%%A9 HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' | nc localhost 3000", raw: 'GET /caf%C3%A9 HTTP/1.1\\r\\n\nHost: x\\r\\n\n\\r\\n' },
    response: {
      statusLine: 'HTTP/1.1 200 OK',
      headers: [['Content-Length', '5']],
      bodyExcerpt: 'café',
      raw: 'HTTP/1.1 200 OK\\r\\n\nContent-Length: 5\\r\\n\n\\r\\n\ncafé',
    },
  },
};

const timeout: FailureDetails = {
  kind: 'timeout',
  summary: 'No complete response arrived within the time limit.',
  hint: 'Does every path through your code end the response?',
  exchange: { request: { command: 'curl -v http://localhost:3000/slow', raw: 'GET /slow HTTP/1.1\\r\\n\n\\r\\n' }, problem: 'No complete response arrived within the time limit.' },
};

const traced: FailureDetails = {
  kind: 'mismatch',
  summary: 'The middleware ran in the wrong order on the way out.',
  expected: 'timing out, then logging out',
  received: 'logging out, then timing out',
  exchange: {
    request: { command: 'curl -v http://localhost:3000/', raw: 'GET / HTTP/1.1\\r\\n\n\\r\\n' },
    response: { statusLine: 'HTTP/1.1 200 OK', headers: [], bodyExcerpt: 'hi' },
    trace: ['→ logging in', '→ timing in', '● view home', '← logging out', '← timing out'],
  },
};

test('"Next:" names the next lesson not passed yet, not one passed before', () => {
  const results = [lesson('01-how-the-web-works', [passed('answers GET / with 200 OK')])];
  const next = (before: string[]) => renderWithProgress(results, [], false, before).split('\n').at(-1)!;
  expect(next([])).toMatch(/Next:.* 02 /);
  expect(next(['02-anatomy-of-a-request'])).toMatch(/Next:.* 03 /);
  expect(next(['02-anatomy-of-a-request', '03-responses-and-headers'])).toMatch(/Next:.* 04 /);
});

test('a passing lesson: counts, and the next lesson', () => {
  expectGolden('all-passing', renderReport([lesson('01-how-the-web-works', [passed('answers GET / with 200 OK'), passed('closes the connection')])]));
});

test('a lesson not started: the TODO, the request, the response, the server output without Node frames', () => {
  expectGolden(
    'not-implemented',
    renderReport([
      lesson('01-how-the-web-works', [failed('answers GET / with 200 OK', todo), failed('closes the connection', todo), passed('listens on PORT')]),
    ]),
  );
});

test('a wrong answer: expected, received, hint, raw bytes', () => {
  expectGolden('wrong-answer', renderReport([lesson('03-responses-and-headers', [failed('counts Content-Length in bytes, not characters', mismatch)])]));
});

test('a behaviour not tried while others fail is named, with why', () => {
  const notTried: BehaviourResult = { name: 'a visitor signs the guestbook in headless Chromium', state: 'skipped', note: 'Not tried in Chromium while a behaviour above fails.' };
  const results = [lesson('13-the-whole-cycle', [passed('shows the guestbook'), failed('answers a signed form with 303', { ...mismatch, seed: '6e441499' }), notTried])];
  expectGolden('not-tried', renderReport(results));
  // After an own-stack run, the commands it suggests check on the own stack again.
  vi.stubEnv('ROUNDTRIP_OWN_STACK_DIR', '/workbook/exercises');
  const ownStack = renderReport(results).replace(ansi, '');
  vi.unstubAllEnvs();
  vi.stubEnv('ROUNDTRIP_TARGET', undefined);
  expect(ownStack).toContain('ROUNDTRIP_SEED=6e441499 npm run check -- 13 --own-stack sends the same requests again');
  expect(ownStack).toContain('then `npm run check -- 13 --own-stack` again');
});

test('several failing lessons: the first in detail, the others named', () => {
  expectGolden(
    'several-lessons',
    renderReport([
      lesson('01-how-the-web-works', [passed('answers GET / with 200 OK')]),
      lesson('02-anatomy-of-a-request', [failed('waits for the whole head', timeout), failed('rejects a bare LF', mismatch)]),
      lesson('03-responses-and-headers', [failed('counts Content-Length in bytes, not characters', mismatch)]),
    ]),
  );
});

test('--verbose: every failure in full, with the trace', () => {
  expectGolden(
    'verbose',
    renderReport(
      [
        lesson('02-anatomy-of-a-request', [failed('waits for the whole head', timeout)]),
        lesson('06-middleware', [failed('runs the middleware in reverse on the way out', traced)]),
      ],
      [],
      true,
    ),
  );
});

test('a bug in the grader says so, apart from the learner’s failures', () => {
  expectGolden(
    'grader-error',
    renderReport([
      lesson('01-how-the-web-works', [{ name: 'answers GET / with 200 OK', state: 'failed', graderError: 'TypeError: x is not a function\n    at grader/engine/check.ts:1:1' }]),
      lesson('02-anatomy-of-a-request', [], { moduleError: 'SyntaxError: Unexpected token' }),
    ]),
  );
});

test('a trace that is also what was received (lesson 13) is shown once, timings aside', () => {
  const trace = ['   0.0 ms  → request         POST /entries', '   0.3 ms  → middleware in   timing', '   7.8 ms  ← response        400'];
  const received = trace.map((line) => line.replace(/^\s*[\d.]+ ms/, '  12.5 ms')).join('\n');
  const failure: FailureDetails = { ...traced, received, exchange: { ...traced.exchange!, trace } };
  const report = renderReport([lesson('13-the-whole-cycle', [failed('traces a POST through every middleware', failure)])], [], true);
  expect(report.match(/middleware in {3}timing/g)).toHaveLength(1);
  expect(report).not.toMatch(/Trace /);
  // A trace that differs from what was received still has its own block.
  expect(renderReport([lesson('06-middleware', [failed('runs the middleware', traced)])], [], true)).toMatch(/Trace +→ logging in/);
});
