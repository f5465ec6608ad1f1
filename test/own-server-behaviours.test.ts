// A behaviour with a server of its own (a short time-out to provoke, a time
// zone) begins beside the others, when its lesson's first behaviour does (see
// beginEarly in harness.ts). Its outcome must still be its own test's: here its
// server cannot start, while the lesson's shared server answers everything else.
import { describe, expect, test } from 'vitest';
import { discoverLessons, findLesson } from '../grader/engine/lessons.ts';
import { copiesGrader } from './support/copies.ts';

const lessons = discoverLessons();
// Each server started with the behaviour's own environment (a variable no other server gets) exits at once.
const netImport = "import net from 'node:net';\n";
const exitsWith = (variable: string) => ({ find: netImport, replace: `${netImport}if (process.env.${variable}) process.exit(3);\n` });
const copies = [
  { lesson: findLesson('02', lessons), name: 'no 408 server', own: 'answers 408 Request Timeout to a request that stops arriving, and closes', variable: 'ROUNDTRIP_SOCKET_TIMEOUT_MS' },
  { lesson: findLesson('03', lessons), name: 'no 408 server', own: 'answers a request that stops arriving with 408 Request Timeout', variable: 'ROUNDTRIP_HEAD_TIMEOUT_MS' },
];
const graded = copiesGrader('own-server', copies.map((copy) => ({ ...copy, edits: [exitsWith(copy.variable)] })));

describe('a behaviour on a server of its own', () => {
  test.each(copies.map((copy) => [copy.lesson.id, copy]))('%s: its failure is its own test’s, and every other behaviour passes', { timeout: 120_000 }, async (id, copy) => {
    const run = await graded();
    const outcomes = run.outcomes({ ...copy, edits: [] });
    expect(outcomes, `no results for ${id}\n${run.output}`).toBeDefined();
    expect(outcomes![copy.own]).toMatchObject({ status: 'failed', kind: 'no-start' });
    const others = Object.entries(outcomes!).filter(([name]) => name !== copy.own);
    expect(others.length).toBeGreaterThan(5);
    expect(others.filter(([, outcome]) => outcome.status !== 'passed').map(([name, outcome]) => `${name}: ${outcome.kind} ${outcome.summary}`).join('\n')).toBe('');
    // A failure that arrives before its test asks is held for it, never an unhandled rejection.
    expect(run.output).not.toMatch(/grader itself failed|rejection/i);
  });
});
