// The reference servers survive hostile input. Learners copy the solutions and
// the kit, so each reference server (`npm run serve -- N --solution`) gets a
// battery of malformed and hostile requests over raw sockets. For each case
// the suite states four things: the status expected, whether the connection
// is closed or still usable, that the process is still alive, and that the
// response holds no stack trace and no file path. Traffic goes to 127.0.0.1
// only, and every wait is bounded.
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { Lesson } from '../grader/engine/lessons.ts';
import fs from 'node:fs';
import path from 'node:path';
import { solutionsDir, workbookRoot } from '../grader/engine/paths.ts';
import { LearnerServer } from '../grader/engine/server-process.ts';
import { selectedLessons } from './support/selection.ts';
import { converse, type Conversation } from './support/socket.ts';
import { cases, familyOf, type Expected } from './support/hostile-cases.ts';

/** Short server-side time-outs, so the stalled-connection cases take about half a second, not thirty. */
const serverTimeouts = { ROUNDTRIP_HEAD_TIMEOUT_MS: '600', ROUNDTRIP_BODY_TIMEOUT_MS: '600', ROUNDTRIP_SOCKET_TIMEOUT_MS: '600' };
const boundMs = 5_000;

const lessons = selectedLessons();
// Every lesson's server at once, and a few cases at a time on each: most cases wait on a
// server's time-out (0.6 s), not on the CPU, and one after another they kept a test worker
// waiting for about 6 s per lesson. A server answers many clients at once anyway.
vi.setConfig({ maxConcurrency: lessons.length * 4 });

describe.concurrent.each(lessons.map((l) => [l.id, l] as [string, Lesson]))('%s reference server', (_id, lesson) => {
  let server: LearnerServer;
  beforeAll(async () => {
    server = await LearnerServer.start({ dir: lesson.solutionDir, env: serverTimeouts, startTimeoutMs: 30_000 });
  });
  afterAll(() => server?.stop());

  const family = familyOf(lesson);
  for (const hostile of cases.filter((c) => c.applies?.(lesson) ?? true)) {
    const expected = hostile.expect[family];
    if (!expected) continue;
    test(hostile.name, async () => {
      const chunks = typeof hostile.send === 'function' ? hostile.send() : hostile.send;
      const talk = await converse(server.host, server.port, chunks, { boundMs, pauseMs: hostile.pauseMs, noBody: hostile.noBody });
      judge(talk, expected);
      // The process lives on and still answers an ordinary request.
      expect(server.alive, 'the server process exited').toBe(true);
      const after = await converse(server.host, server.port, ['GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'], { boundMs });
      expect(after.response, 'no answer to an ordinary request afterwards').toBeDefined();
    });
  }
});

/** What a way out of a folder would reveal: the system's users, lesson 11's and 13's private files. */
const secrets = ['root:x:0:0', ...['11-static-files-and-caching', '13-the-whole-cycle'].flatMap((id) =>
  ['secret.txt', 'static-private/secret.txt']
    .map((file) => path.join(solutionsDir, id, file))
    .filter((file) => fs.existsSync(file))
    .flatMap((file) => fs.readFileSync(file, 'utf8').match(/roundtrip-secret-[0-9a-f]+/g) ?? []),
)];

function judge(talk: Conversation, expected: Expected): void {
  const text = talk.bytes.toString('latin1');
  const shown = JSON.stringify(text.slice(0, 300));
  if (expected.status === 'none') expect(talk.response, `expected no answer, got ${shown}`).toBeUndefined();
  else if (expected.status === 'any') expect(talk.response, `no complete response (connection ${talk.connection}): ${shown}`).toBeDefined();
  else {
    expect(talk.response, `no complete response (connection ${talk.connection}): ${shown}`).toBeDefined();
    const statuses = Array.isArray(expected.status) ? expected.status : [expected.status];
    expect(statuses, `status ${talk.response!.status}: ${shown}`).toContain(talk.response!.status);
  }
  if (expected.connection !== 'either') expect(talk.connection, shown).toBe(expected.connection);
  if (expected.closedWithinMs !== undefined) expect(talk.closedAfterMs ?? Infinity).toBeLessThan(expected.closedWithinMs);
  // No file from outside a lesson's folder, no stack trace, no path of the machine it runs on.
  for (const secret of secrets) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(text).not.toContain(workbookRoot);
  expect(text).not.toMatch(/node:internal|\/node_modules\//);
}
