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
import { afterAll, beforeAll, describe, test, type TestContext } from 'vitest';
import { Check } from './check.ts';
import { compileServers } from './compile.ts';
import { GradeFailure, type FailureDetails, type FailureKind } from './failure.ts';
import { limits } from './limits.ts';
import { Random, runSeed } from './random.ts';
import { workerConfig, type WorkerConfig } from './worker-config.ts';
import { LearnerServer, ServerStartError, type ServerHandle } from './server-process.ts';

// The one door into the engine: a spec imports this module and nothing else of it.
export { Check, type Expectation } from './check.ts';
export { limits };
export { GradeFailure } from './failure.ts';
export type { HttpRequest } from './http-client.ts';
export { parseResponse, type RawOptions, type RawResponse, type RawResult } from './raw-client.ts';
export { header, headerValues, type Received } from './response.ts';
// For a request's `show`: how to write a command a learner can run by hand.
export { escapeRegExp, excerpt, handPort, netcatCommand, shellQuote } from './format.ts';
export { allowedMethods, clockAt, decodeHtml, labelledUtf8, quotedTextPattern, redirectTarget, stackTraceOrSource, startTags, tokenPattern, wrongCredentials } from './spec-helpers.ts';
export { deletes, formToken, setCookie, setCookies, showSetCookies, Visitor, type SetCookie } from './cookie-jar.ts';
export type { TraceEvent } from './server-process.ts';

/** Headless Chromium for a behaviour that drives a real browser; loaded only when one asks. */
export async function launchBrowser() {
  const { launchChromium } = await import('../../website/chromium.ts');
  return launchChromium();
}

declare module 'vitest' {
  interface TaskMeta {
    failure?: { kind: FailureKind; summary: string; seed: string };
  }
}

export interface LessonOptions {
  /** The server's entry file inside the exercise folder. */
  entry?: string;
  startTimeoutMs?: number;
  /**
   * node:http reads the requests (lessons 04 on), so a behaviour's requests may
   * share keep-alive connections, as a browser's do (see KeptConnections). Not
   * where the learner's own code reads the bytes: a parser that lost the end
   * of a body would fail the next request instead of its own. Own-stack runs
   * (lesson 13 on the learner's parser) never share.
   */
  keepAlive?: boolean;
}

export interface BehaviourOptions {
  /** Vitest's limit for the whole behaviour. */
  timeoutMs?: number;
  /**
   * Run this behaviour against a server of its own, started with these extra
   * environment variables (a short time-out to provoke, say), then stopped.
   * A function is asked as the server starts (a value that depends on the time).
   */
  serverEnv?: Record<string, string> | (() => Record<string, string>);
  /**
   * Not tried once another behaviour of the lesson failed (it is then skipped,
   * with this note): it repeats what the others check, only slower, and in a
   * way that explains less (a browser's run of the same form).
   */
  afterTheOthersPass?: string;
}

/** Crashes and hangs we restart from before giving up on the rest of the lesson. */
const maxRestarts = 3;

export function gradeLesson(specUrl: string, options: LessonOptions = {}) {
  const id = path.basename(fileURLToPath(specUrl)).replace(/\.spec\.ts$/, '');
  const config = workerConfig();
  // On the own stack (lesson 13), the learner's parser reads the bytes: no shared connections.
  if (config.ownStack) options = { ...options, keepAlive: false };
  const graded = gradedFolders(id, options, config);
  // The folder whose behaviour runs now (behaviours of one spec run one at a time).
  let current = graded[0]!;

  // Copies of a lesson (check --copies) are bundled together first: see compileServers.
  if (graded.length > 1) beforeAll(() => compileServers(graded.map((folder) => path.resolve(folder.dir, options.entry ?? 'server.ts'))));
  afterAll(() => Promise.all(graded.map((folder) => folder.server.stop())));

  function behaviour(name: string, run: (t: Check) => Promise<void>, behaviourOptions: number | BehaviourOptions = {}): void {
    const { timeoutMs = 15_000, serverEnv, afterTheOthersPass } = typeof behaviourOptions === 'number' ? { timeoutMs: behaviourOptions } : behaviourOptions;
    for (const folder of graded) {
      if (folder.only && !folder.only.includes(name)) continue;
      folder.pending++;
      const begin = () => runIn(folder, `${id}: ${name}`, options, run, serverEnv);
      const outcome = serverEnv ? beginEarly(folder, begin) : undefined;
      const register = () =>
        test(
          name,
          async (context) => {
            current = folder;
            await behaviourTest(folder, outcome ?? begin, context, afterTheOthersPass);
          },
          timeoutMs,
        );
      if (folder.label === undefined) register();
      else describe(folder.label, register);
    }
  }

  /**
   * Random values for a spec's own helpers, outside a behaviour's `t`: one
   * stream per lesson from the run's seed, drawn in the (fixed) order the
   * behaviours run, so `ROUNDTRIP_SEED=<seed> npm run check -- N` replays them.
   */
  const random = new Random(runSeed, id);

  return {
    id,
    /** The lesson folder being graded (a copy's, when several are). */
    get dir() {
      return current.dir;
    },
    behaviour,
    random,
    /** With --own-stack (lesson 13): the lessons whose pieces are the learner's, e.g. ['02', '03']; undefined otherwise. */
    ownStack: config.ownStack ?? undefined,
  };
}

/**
 * A behaviour with a server of its own mostly waits (for a time-out it provokes,
 * say), and shares nothing with the others: it begins beside them, when its
 * folder's first behaviour does, and its test collects the outcome. The other
 * behaviours of a spec still run one at a time, against their shared server.
 */
function beginEarly(folder: GradedFolder, run: () => Promise<void>): () => Promise<void> {
  let outcome: Promise<void> | undefined;
  const begin = () => {
    if (outcome) return outcome;
    outcome = run();
    // Collected by its test; until then, a failure is not an unhandled rejection.
    outcome.catch(() => {});
    return outcome;
  };
  folder.early.push(begin);
  return begin;
}

/** The body of a behaviour's test: runs it (or collects its early outcome), and keeps what the reporters need. */
async function behaviourTest(folder: GradedFolder, outcome: () => Promise<void>, context: TestContext, afterTheOthersPass: string | undefined): Promise<void> {
  for (const begin of folder.early.splice(0)) begin();
  const notTried = afterTheOthersPass !== undefined && folder.failed > 0;
  try {
    if (!notTried) await outcome();
  } catch (error) {
    folder.failed++;
    // Machine-readable outcome for Vitest's JSON reporter and the workbook's own tests.
    if (error instanceof GradeFailure) context.task.meta.failure = { kind: error.roundtrip.kind, summary: error.roundtrip.summary, seed: runSeed };
    throw error;
  } finally {
    // A copy's server is not needed once its last behaviour ran (hundreds may follow).
    if (--folder.pending === 0 && folder.label !== undefined) await folder.server.stop();
  }
  if (notTried) context.skip(afterTheOthersPass);
}

/** Runs a behaviour against the folder's shared server, or a server of its own started with `serverEnv`. */
async function runIn(folder: GradedFolder, seedName: string, options: LessonOptions, run: (t: Check) => Promise<void>, serverEnv?: BehaviourOptions['serverEnv']) {
  const random = new Random(runSeed, seedName);
  if (!serverEnv) return runBehaviour(await folder.server.running(), random, run, options);
  const env = typeof serverEnv === 'function' ? serverEnv() : serverEnv;
  const own = await startServer(() => LearnerServer.start({ dir: folder.dir, entry: options.entry, env, startTimeoutMs: folder.server.startTimeoutMs }));
  try {
    await runBehaviour(own, random, run, options);
  } finally {
    await own.stop();
  }
}

/** A lesson folder a spec grades, with the server its behaviours share. */
interface GradedFolder {
  /** Set for a copy (check --copies): its describe block in the results. */
  label?: string;
  dir: string;
  only?: string[];
  server: SharedServer;
  /** Behaviours registered for it and not yet run. */
  pending: number;
  /** Behaviours of it that failed so far. */
  failed: number;
  /** Behaviours with a server of their own, to begin with its first behaviour (see beginEarly). */
  early: (() => void)[];
}

/** The target's folder for this lesson, or every copy of it the run was given. */
function gradedFolders(id: string, options: LessonOptions, config: WorkerConfig): GradedFolder[] {
  const copies = config.copies.filter((copy) => copy.lesson === id);
  if (copies.length) {
    return copies.map((copy) => ({ ...copy, server: new SharedServer(copy.dir, options), pending: 0, failed: 0, early: [] }));
  }
  const dir = path.join(config.target, id);
  return [{ dir, server: new SharedServer(dir, options), pending: 0, failed: 0, early: [] }];
}

/** The server the behaviours of a lesson share: started once, again after a crash, at most so often. */
class SharedServer {
  private server: ServerHandle | undefined;
  private startFailure: GradeFailure | undefined;
  private restarts = 0;
  readonly startTimeoutMs: number;

  constructor(
    private readonly dir: string,
    private readonly options: LessonOptions,
  ) {
    this.startTimeoutMs = options.startTimeoutMs ?? limits.startMs;
  }

  async running(): Promise<ServerHandle> {
    if (this.startFailure) throw this.startFailure;
    if (this.server?.alive) return this.server;
    if (this.server && ++this.restarts > maxRestarts) {
      throw new GradeFailure({
        kind: 'crash',
        summary: `Your server crashed or hung ${maxRestarts + 1} times, so the rest of this lesson was not tried.`,
        hint: 'Fix the problem shown in the first failure above, then check again.',
      });
    }
    try {
      this.server = await startServer(() => LearnerServer.start({ dir: this.dir, entry: this.options.entry, startTimeoutMs: this.startTimeoutMs }));
      return this.server;
    } catch (error) {
      if (error instanceof GradeFailure) this.startFailure = error;
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }
}

/** Starts a server; a start that fails becomes the GradeFailure that explains it. */
async function startServer(start: () => Promise<ServerHandle>): Promise<ServerHandle> {
  try {
    return await start();
  } catch (error) {
    if (!(error instanceof ServerStartError)) throw error;
    throw new GradeFailure(withTodo({ kind: 'no-start', summary: error.message, hint: startHint(error), serverOutput: error.output.slice(-30) }));
  }
}

/** Runs one behaviour against `server`; a failure leaves with the evidence that explains it. */
async function runBehaviour(server: ServerHandle, random: Random, run: (t: Check) => Promise<void>, options: LessonOptions): Promise<void> {
  // Output of the behaviour before may still be in the pipe: let it land first.
  await server.barrier(limits.barrierMs);
  const mark = server.output.length;
  const check = new Check(server, random, { keepAlive: options.keepAlive });
  try {
    await run(check);
  } catch (error) {
    if (!(error instanceof GradeFailure)) throw error;
    error.roundtrip.exchange ??= check.lastExchange;
    await explain(error.roundtrip, server, mark);
    // A server stuck in a loop would time out every later behaviour too: start afresh.
    if (error.roundtrip.kind === 'timeout') await server.stop();
    throw error;
  } finally {
    await check.close();
  }
}

/** Completes a failure with what the server printed, and names a crash, a hang or a TODO as such. */
async function explain(details: FailureDetails, server: ServerHandle, mark: number): Promise<void> {
  details.seed = runSeed;
  // Everything the server printed before this point (a stack trace, a TODO) is read
  // before we judge: ordered evidence, however slowly this machine relays output.
  const responsive = await server.barrier(limits.barrierMs);
  details.serverOutput ??= server.outputSince(mark);
  if (!server.alive && details.kind !== 'crash') {
    details.kind = 'crash';
    details.summary = `${details.summary} ${exitDescription(server)}`;
  } else if (details.kind === 'timeout' && responsive) {
    // Not stuck in a loop, so it is waiting for something, or this machine is very busy.
    details.summary = `${details.summary} ${busyNote}`;
  }
  // Look for a TODO in everything the server printed; show only the end of it.
  Object.assign(details, withTodo(details));
  details.serverOutput = details.serverOutput.slice(-30);
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
