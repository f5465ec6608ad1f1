// The API every lesson spec uses. A spec calls `gradeLesson(import.meta.url)`
// once, then describes behaviours:
//
//   const lesson = gradeLesson(import.meta.url);
//   lesson.behaviour('answers GET / with 200 OK', async (t) => {
//     const res = await t.request({ path: '/' });
//     t.expectStatus(res, 200);
//   });
//
// The harness starts the learner's server once per lesson (again after a
// crash), records every exchange, and turns whatever goes wrong into a
// GradeFailure the reporter can explain.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, test } from 'vitest';
import { Check } from './check.ts';
import { GradeFailure, type FailureDetails, type FailureKind } from './failure.ts';
import { limits } from './limits.ts';
import { Random, runSeed } from './random.ts';
import { exercisesDir } from './paths.ts';
import { adoptServer } from './prestart.ts';
import { LearnerServer, ServerStartError, type ServerHandle } from './server-process.ts';

export { Check, type Expectation } from './check.ts';
export { limits };

declare module 'vitest' {
  interface TaskMeta {
    failure?: { kind: FailureKind; summary: string; seed: string };
  }
}

export interface LessonOptions {
  /** The server's entry file inside the exercise folder. */
  entry?: string;
  startTimeoutMs?: number;
}

/** Crashes and hangs we restart from before giving up on the rest of the lesson. */
const maxRestarts = 3;


export function gradeLesson(specUrl: string, options: LessonOptions = {}) {
  const id = path.basename(fileURLToPath(specUrl)).replace(/\.spec\.ts$/, '');
  const dir = path.join(process.env.ROUNDTRIP_TARGET ?? exercisesDir, id);
  let server: ServerHandle | undefined;
  let startFailure: GradeFailure | undefined;
  let restarts = 0;

  async function runningServer(): Promise<ServerHandle> {
    if (startFailure) throw startFailure;
    if (server?.alive) return server;
    if (server && ++restarts > maxRestarts) {
      throw new GradeFailure({
        kind: 'crash',
        summary: `Your server crashed or hung ${maxRestarts + 1} times, so the rest of this lesson was not tried.`,
        hint: 'Fix the problem shown in the first failure above, then check again.',
      });
    }
    const startTimeoutMs = options.startTimeoutMs ?? limits.startMs;
    try {
      // The first time, the CLI may already have started it (see prestart.ts).
      const adopted = server || options.entry ? undefined : await adoptServer(id, startTimeoutMs + 5_000);
      if (adopted instanceof ServerStartError) throw adopted;
      server = adopted ?? (await LearnerServer.start({ dir, entry: options.entry, startTimeoutMs }));
      return server;
    } catch (error) {
      if (!(error instanceof ServerStartError)) throw error;
      startFailure = new GradeFailure(
        withTodo({
          kind: 'no-start',
          summary: error.message,
          hint: startHint(error),
          serverOutput: error.output.slice(-30),
        }),
      );
      throw startFailure;
    }
  }

  // Start loading the HTTP client now: it is ready by the time a behaviour needs it.
  void import('undici');

  afterAll(async () => {
    await server?.stop();
  });

  function behaviour(name: string, run: (t: Check) => Promise<void>, timeoutMs = 15_000): void {
    test(
      name,
      async ({ task }) => {
        try {
          await runBehaviour();
        } catch (error) {
          // Machine-readable outcome for Vitest's JSON reporter and the workbook's own tests.
          if (error instanceof GradeFailure) task.meta.failure = { kind: error.roundtrip.kind, summary: error.roundtrip.summary, seed: runSeed };
          throw error;
        }
      },
      timeoutMs,
    );

    async function runBehaviour() {
        const current = await runningServer();
        // Output of the behaviour before may still be in the pipe: let it land first.
        await current.barrier(limits.barrierMs);
        const mark = current.output.length;
        const check = new Check(current, new Random(runSeed, `${id}: ${name}`));
        try {
          await run(check);
        } catch (error) {
          if (!(error instanceof GradeFailure)) throw error;
          const details = error.roundtrip;
          details.exchange ??= check.lastExchange;
          details.seed = runSeed;
          // Everything the server printed before this point (a stack trace, a TODO) is read
          // before we judge: ordered evidence, however slowly this machine relays output.
          const responsive = await current.barrier(limits.barrierMs);
          details.serverOutput ??= current.outputSince(mark);
          if (!current.alive && details.kind !== 'crash') {
            details.kind = 'crash';
            details.summary = `${details.summary} ${exitDescription(current)}`;
          } else if (details.kind === 'timeout' && responsive) {
            // Not stuck in a loop, so it is waiting for something, or this machine is very busy.
            details.summary = `${details.summary} ${busyNote}`;
          }
          // Look for a TODO in everything the server printed; show only the end of it.
          Object.assign(details, withTodo(details));
          details.serverOutput = details.serverOutput.slice(-30);
          // A server stuck in a loop would time out every later behaviour too: start afresh.
          if (details.kind === 'timeout') await current.stop();
          throw error;
        }
    }
  }

  return { id, dir, behaviour };
}

const busyNote =
  'Your server is still running and free to answer, so it is probably waiting for something; ' +
  'if this machine is very busy, give it more time with ROUNDTRIP_REQUEST_TIMEOUT_MS=10000.';

function startHint(error: ServerStartError): string {
  switch (error.reason) {
    case 'no-entry':
      return 'Restore the file with `npm run reset`, or check that you are in the right lesson.';
    case 'wrong-port':
      return 'The grader picks a free port for every run and passes it in the PORT environment variable.';
    case 'timeout':
      return 'Run it yourself with `npm run serve` and watch what it prints.';
    case 'exited':
      return 'Read the error your server printed below; `npm run serve` shows the same thing.';
    case 'compile':
      return 'Fix the first problem listed: the file, line and column are above it. `npm run typecheck` finds type errors too.';
  }
}

function exitDescription(server: ServerHandle): string {
  const how = server.exitSignal ? `was killed by ${server.exitSignal}` : `exited with code ${server.exitCode}`;
  return `Your server process ${how} while handling it.`;
}

/** A failure caused by a `TODO:` error is "not implemented yet", whatever it looked like. */
function withTodo(details: FailureDetails): FailureDetails {
  const places = [
    ...(details.serverOutput ?? []).map((line) => line.text),
    details.exchange?.response?.bodyExcerpt ?? '',
    details.received ?? '',
  ];
  for (const text of places) {
    const todo = text.match(/\bTODO:[^\n]*/)?.[0];
    if (todo) return { ...details, kind: 'todo', todo: todo.trim() };
  }
  return details;
}
