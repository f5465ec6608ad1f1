// Vitest's worker threads, started before Vitest itself. A worker spends about
// 0.2 s loading Vitest's runtime before it can take a spec; Vitest starts one
// only once it has loaded and configured itself (another 0.3 s). Started here,
// at the very beginning of a check, the worker loads on the second core while
// this thread loads Vitest, and the grading pool adopts it instead of starting
// a new one. Watch mode keeps a spare loaded for the next save.
//
// The pool is Vitest's threads pool in all but the start: a worker is the same
// entry file with the same environment and flags. A spare that differs from
// what Vitest asks for (a Vitest upgrade that changes them) is not adopted:
// the pool starts a fresh worker, as Vitest would, and grading is unchanged.
import { createRequire } from 'node:module';
import path from 'node:path';
import { isatty } from 'node:tty';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PoolOptions, PoolRunnerInitializer, PoolWorker, WorkerRequest } from 'vitest/node';
import { undiciModules } from './http-client.ts';
import { graderRoot } from './paths.ts';

const require = createRequire(path.join(graderRoot, 'engine', 'warm-workers.ts'));
const vitestRoot = path.dirname(require.resolve('vitest/package.json'));
const vitestWorker = pathToFileURL(path.join(vitestRoot, 'dist', 'workers', 'threads.js')).href;
const graderWorker = path.join(graderRoot, 'engine', 'child', 'grader-worker.mjs');
/** The HTTP client every worker loads, and warms with one request, while it waits for its first spec. */
const httpClient = { Client: require.resolve(undiciModules.Client), request: require.resolve(undiciModules.request) };

/** What starting a worker takes: Vitest's threads pool passes these (see resolveOptions in its pool). */
interface WorkerSetup {
  env: Partial<NodeJS.ProcessEnv>;
  execArgv: string[];
}

interface Spare extends WorkerSetup {
  worker: Worker;
  exited: boolean;
}

/** The environment and flags Vitest 4 gives a threads worker, for a grader run with this process's environment. */
export function expectedSetup(watch: boolean): WorkerSetup {
  return {
    env: {
      ...process.env,
      TEST: 'true',
      VITEST: 'true',
      NODE_ENV: process.env.NODE_ENV || 'test',
      VITEST_MODE: watch ? 'WATCH' : 'RUN',
      FORCE_TTY: isatty(1) ? 'true' : '',
      // Vite's import.meta.env, which Vitest copies into the environment.
      BASE_URL: '/',
      MODE: 'test',
      DEV: '1',
      PROD: '',
    },
    execArgv: [
      ...process.execArgv.filter((flag) => /^--(cpu-prof|heap-prof|diagnostic-dir)/.test(flag)),
      '--experimental-import-meta-resolve',
      '--require',
      path.join(vitestRoot, 'suppress-warnings.cjs'),
      // Vite's resolve conditions for server code.
      '--conditions',
      'node',
      '--conditions',
      'development',
    ],
  };
}

export class WarmPool {
  private readonly spares: Spare[] = [];
  /** What a worker loads while it waits for its first spec (see child/grader-worker.mjs). */
  private readonly workerData: { vitestWorker: string; httpClient: typeof httpClient; harness?: string };
  /** Workers adopted from the spares, and started fresh (for the workbook's tests). */
  readonly counts = { adopted: 0, fresh: 0 };
  private keepSpare = false;

  /** `harness`: the CLI's bundle of the specs' harness, which workers then load early too (see grader-run.ts). */
  constructor(harness?: string) {
    this.workerData = { vitestWorker, httpClient, harness: harness && pathToFileURL(harness).href };
  }

  /** Starts `count` workers now; the pool hands them out as Vitest asks for workers. */
  prestart(count: number, setup: WorkerSetup): void {
    for (let i = 0; i < count; i++) this.spares.push(this.startSpare(setup));
  }

  /** Watch mode: after each worker ends, load another for the next save. */
  keepOneSpare(): void {
    this.keepSpare = true;
  }

  /** The pool to give Vitest as its `pool` option. */
  initializer(): PoolRunnerInitializer {
    return { name: 'roundtrip-threads', createPoolWorker: (options) => new WarmWorker(options, this) };
  }

  /** A loaded worker for this setup, or a fresh one. */
  take(setup: WorkerSetup): Worker {
    const index = this.spares.findIndex((spare) => !spare.exited && sameSetup(spare, setup));
    if (index === -1) {
      this.counts.fresh++;
      return this.newWorker(setup);
    }
    this.counts.adopted++;
    const [spare] = this.spares.splice(index, 1);
    spare!.worker.ref();
    return spare!.worker;
  }

  /** Told that a worker ended: in watch mode, the next one starts loading now. */
  ended(setup: WorkerSetup): void {
    if (this.keepSpare && this.spares.length === 0) this.spares.push(this.startSpare(setup));
  }

  private startSpare(setup: WorkerSetup): Spare {
    const worker = this.newWorker(setup);
    // A spare never keeps the process alive; the pool refs it again when it hands it out.
    worker.unref();
    const spare: Spare = { ...setup, worker, exited: false };
    worker.once('exit', () => (spare.exited = true));
    // An error (a spare that failed to load) ends it; the pool then starts a fresh one.
    worker.on('error', () => {});
    return spare;
  }

  private newWorker(setup: WorkerSetup): Worker {
    return new Worker(graderWorker, { env: setup.env, execArgv: setup.execArgv, workerData: this.workerData, stdout: true, stderr: true });
  }

  /** Stops the spares no run took. */
  async close(): Promise<void> {
    this.keepSpare = false;
    await Promise.all(this.spares.splice(0).map((spare) => spare.worker.terminate()));
  }
}

function sameSetup(a: WorkerSetup, b: WorkerSetup): boolean {
  const keys = Object.keys(a.env);
  return (
    a.execArgv.join('\0') === b.execArgv.join('\0') &&
    keys.length === Object.keys(b.env).length &&
    keys.every((key) => a.env[key] === b.env[key])
  );
}

/** Vitest's ThreadsPoolWorker, except that its thread may come already loaded from the pool. */
class WarmWorker implements PoolWorker {
  readonly name = 'roundtrip-threads';
  private thread: Worker | undefined;
  private readonly setup: WorkerSetup;
  private readonly output: VitestOutput;

  constructor(
    options: PoolOptions,
    private readonly pool: WarmPool,
  ) {
    this.setup = { env: options.env, execArgv: options.execArgv };
    const { outputStream, errorStream } = options.project.vitest.logger;
    this.output = { stdout: outputStream as NodeJS.WriteStream, stderr: errorStream as NodeJS.WriteStream };
  }

  on(event: string, callback: (arg: unknown) => void): void {
    this.running.on(event, callback);
  }

  off(event: string, callback: (arg: unknown) => void): void {
    this.running.off(event, callback);
  }

  send(message: WorkerRequest): void {
    this.running.postMessage(message);
  }

  async start(): Promise<void> {
    // Called again when Vitest reuses the worker for the next spec.
    if (this.thread) return;
    this.thread = this.pool.take(this.setup);
    pipeOutput(this.thread, this.output, true);
  }

  async stop(): Promise<void> {
    const thread = this.running;
    this.thread = undefined;
    await thread.terminate();
    pipeOutput(thread, this.output, false);
    this.pool.ended(this.setup);
  }

  deserialize(data: unknown): unknown {
    return data;
  }

  private get running(): Worker {
    if (!this.thread) throw new Error('The grader worker was stopped or never started.');
    return this.thread;
  }
}

interface VitestOutput {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** A worker's output goes to Vitest's streams, as in its own pool; each worker is one more listener on them. */
function pipeOutput(thread: Worker, output: VitestOutput, connect: boolean): void {
  for (const [from, to] of [[thread.stdout, output.stdout], [thread.stderr, output.stderr]] as const) {
    to.setMaxListeners(to.getMaxListeners() + (connect ? 1 : -1));
    if (connect) from.pipe(to);
    else from.unpipe(to);
  }
}
