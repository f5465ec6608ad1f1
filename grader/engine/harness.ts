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
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, test } from 'vitest';
import { GradeFailure, type Exchange, type FailureDetails, type FailureKind } from './failure.ts';
import { curlCommand, excerpt, handPort, netcatCommand, quoteBytes } from './format.ts';
import { sendHttp, type HttpRequest } from './http-client.ts';
import { exercisesDir } from './paths.ts';
import { sendRaw, type RawOptions, type RawResult } from './raw-client.ts';
import { header, type Received } from './response.ts';
import { limits } from './limits.ts';

export { limits };
import { adoptServer } from './prestart.ts';
import { LearnerServer, ServerStartError, type ServerHandle, type TraceEvent } from './server-process.ts';
import { formatTrace } from './trace-format.ts';

declare module 'vitest' {
  interface TaskMeta {
    failure?: { kind: FailureKind; summary: string };
  }
}

export interface Expectation {
  summary: string;
  expected?: string;
  received?: string;
  hint?: string;
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
          if (error instanceof GradeFailure) task.meta.failure = { kind: error.roundtrip.kind, summary: error.roundtrip.summary };
          throw error;
        }
      },
      timeoutMs,
    );

    async function runBehaviour() {
        const current = await runningServer();
        // Output of the behaviour before may still be on its way: let it land first.
        await quietOutput(current, 5, 100);
        const mark = current.output.length;
        const check = new Check(current);
        try {
          await run(check);
        } catch (error) {
          if (!(error instanceof GradeFailure)) throw error;
          // Let the server's last console lines (a stack trace, a TODO) arrive before we quote them.
          await quietOutput(current, 40, 600);
          const details = error.roundtrip;
          details.exchange ??= check.lastExchange;
          details.serverOutput ??= current.outputSince(mark);
          if (!current.alive && details.kind !== 'crash') {
            details.kind = 'crash';
            details.summary = `${details.summary} ${exitDescription(current)}`;
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

/** Waits until the server has printed nothing for `quietMs` (at most `maxMs` in all). */
async function quietOutput(server: ServerHandle, quietMs: number, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  let seen = server.output.length;
  let quietSince = Date.now();
  while (Date.now() < deadline && Date.now() - quietSince < quietMs) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (server.output.length !== seen) {
      seen = server.output.length;
      quietSince = Date.now();
    }
  }
}

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

/** What a behaviour receives: clients that record, and checks that explain. */
export class Check {
  lastExchange: Exchange | undefined;
  /** The trace of the last request sent with `trace: true`. */
  lastTrace: TraceEvent[] = [];

  constructor(readonly server: ServerHandle) {}

  /** An ordinary request through undici. */
  async request(request: HttpRequest): Promise<Received> {
    const traceId = request.trace ? `trace-${randomUUID()}` : undefined;
    const method = request.method ?? 'GET';
    const body = request.body === undefined ? undefined : Buffer.from(request.body).toString('utf8');
    const headerLines = Object.entries(request.headers ?? {}).map(([n, v]) => `${n}: ${v}\r\n`);
    this.lastExchange = {
      request: {
        command: curlCommand({ method, path: request.path, headers: request.headers, body }),
        raw: quoteBytes(`${method} ${request.path} HTTP/1.1\r\nhost: localhost:${handPort}\r\n${headerLines.join('')}\r\n${body ?? ''}`),
      },
    };
    try {
      // The trace header goes on the wire only: the command shown is the learner's request.
      const headers = traceId ? { ...request.headers, 'x-roundtrip-trace': traceId } : request.headers;
      const response = await sendHttp(this.server.host, this.server.port, { timeoutMs: limits.requestMs, ...request, headers });
      this.lastExchange.response = record(response);
      if (traceId) {
        this.lastTrace = await this.server.traceOf(traceId);
        this.lastExchange.trace = formatTrace(this.lastTrace);
      }
      return response;
    } catch (error) {
      const { kind, problem } = describeClientError(error, this.server);
      this.lastExchange.problem = problem;
      throw new GradeFailure({ kind, summary: problem, exchange: this.lastExchange, hint: clientErrorHint(kind) });
    }
  }

  /**
   * Sends bytes as they are, in one or more packets. Fails the check when no
   * response head arrives, unless `allowNoResponse` is set.
   */
  async raw(chunks: string | (string | Uint8Array)[], options: RawOptions & { allowNoResponse?: boolean } = {}): Promise<RawResult> {
    const list = typeof chunks === 'string' ? [chunks] : chunks;
    const sent = Buffer.concat(list.map((c) => Buffer.from(c)));
    this.lastExchange = { request: { command: netcatCommand(sent), raw: quoteBytes(sent) } };
    const result = await sendRaw(this.server.host, this.server.port, list, { timeoutMs: limits.requestMs, ...options });
    if (result.response) {
      this.lastExchange.response = { ...record(result.response), raw: quoteBytes(result.bytes) };
    } else if (result.bytes.length) {
      this.lastExchange.response = { statusLine: '(no complete head)', headers: [], bodyExcerpt: '', raw: quoteBytes(result.bytes) };
    }
    if (!result.response && !options.allowNoResponse) {
      const { kind, problem } = describeRawOutcome(result, this.server);
      this.lastExchange.problem = problem;
      throw new GradeFailure({ kind, summary: problem, exchange: this.lastExchange, hint: clientErrorHint(kind) });
    }
    return result;
  }

  /** Fails this behaviour with an explanation. */
  fail(expectation: Expectation, kind: FailureKind = 'mismatch'): never {
    throw new GradeFailure({ kind, ...expectation, exchange: this.lastExchange });
  }

  check(condition: boolean, expectation: Expectation): void {
    if (!condition) this.fail(expectation);
  }

  expectStatus(response: Received, status: number, hint?: string): void {
    this.check(response.status === status, {
      summary: `Expected status ${status}, got ${Number.isNaN(response.status) ? 'no valid status line' : response.status}.`,
      expected: String(status),
      received: response.statusLine,
      hint,
    });
  }

  expectHeader(response: Received, name: string, expected: string | RegExp, hint?: string): void {
    const value = header(response, name);
    const ok = value !== undefined && (typeof expected === 'string' ? value === expected : expected.test(value));
    this.check(ok, {
      summary: value === undefined ? `The response has no ${name} header.` : `The ${name} header is not right.`,
      expected: `${name}: ${typeof expected === 'string' ? expected : `a value matching ${expected}`}`,
      received: value === undefined ? '(no such header)' : `${name}: ${value}`,
      hint,
    });
  }

  /** The body parsed as JSON; a failure that says so when it is not JSON. */
  expectJson<T = unknown>(response: Received, explain: { summary?: string; hint?: string } = {}): T {
    try {
      return JSON.parse(response.text) as T;
    } catch {
      return this.fail({
        summary: explain.summary ?? 'The body is not valid JSON.',
        received: JSON.stringify(excerpt(response.text, 200)),
        hint: explain.hint,
      });
    }
  }

  expectBody(response: Received, expected: string | RegExp, hint?: string): void {
    const ok = typeof expected === 'string' ? response.text === expected : expected.test(response.text);
    this.check(ok, {
      summary: 'The body is not what was expected.',
      expected: typeof expected === 'string' ? JSON.stringify(expected) : `a body matching ${expected}`,
      received: JSON.stringify(excerpt(response.text, 200)),
      hint,
    });
  }
}

function record(response: Received) {
  return { statusLine: response.statusLine, headers: response.headers, bodyExcerpt: excerpt(response.text) };
}

function describeRawOutcome(result: RawResult, server: ServerHandle): { kind: FailureKind; problem: string } {
  if (result.errorCode === 'ECONNREFUSED') return { kind: 'connection', problem: 'The connection was refused: nothing is listening any more.' };
  if (result.errorCode === 'ECONNRESET') return { kind: 'connection', problem: 'Your server reset the connection instead of answering.' };
  if (result.timedOut) {
    return result.bytes.length
      ? { kind: 'timeout', problem: 'The response never finished: its head was not ended by an empty line (\\r\\n\\r\\n) in time.' }
      : { kind: 'timeout', problem: 'No response arrived within the time limit.' };
  }
  if (!server.alive) return { kind: 'crash', problem: 'Your server stopped before it answered.' };
  if (result.bytes.includes('\n\n')) {
    return { kind: 'mismatch', problem: 'The head ended with \\n\\n, not \\r\\n\\r\\n: every line of an HTTP head ends with CRLF (\\r\\n).' };
  }
  return result.bytes.length
    ? { kind: 'mismatch', problem: 'The connection closed before a complete response head (ending in \\r\\n\\r\\n) arrived.' }
    : { kind: 'mismatch', problem: 'Your server closed the connection without sending anything.' };
}

function describeClientError(error: unknown, server: ServerHandle): { kind: FailureKind; problem: string } {
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? String(error);
  if (!server.alive) return { kind: 'crash', problem: 'Your server stopped before it answered.' };
  if (code === 'ECONNREFUSED') return { kind: 'connection', problem: 'The connection was refused: nothing is listening any more.' };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return { kind: 'connection', problem: 'The connection was closed before a complete response arrived.' };
  if (/timeout/i.test(code) || /timeout|aborted/i.test(message)) return { kind: 'timeout', problem: 'No complete response arrived within the time limit.' };
  return { kind: 'mismatch', problem: `A real HTTP client could not read the response: ${message}` };
}

function clientErrorHint(kind: FailureKind): string | undefined {
  switch (kind) {
    case 'timeout':
      return 'Does every path through your code end the response? A Content-Length larger than the body also makes a client wait.';
    case 'crash':
      return "Read your server's output below: it usually ends with the error that stopped it.";
    case 'connection':
      return 'Make sure your code writes a response before it closes or destroys the socket.';
    default:
      return undefined;
  }
}
