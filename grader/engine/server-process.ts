// Runs a learner's server in a child process on a free port, and always stops it.
// The child is `node` itself (never npx, whose death would orphan the server),
// with TypeScript support from tsx and a small probe that reports where the
// server listens.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { TraceEvent } from '../../provided/trace.ts';
import { CompileError, compileServer } from './compile.ts';
import { graderRoot } from './paths.ts';
import { originalLocations } from './source-locations.ts';

export type { TraceEvent };

export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

export type StartFailureReason = 'exited' | 'timeout' | 'wrong-port' | 'no-entry' | 'compile';

export class ServerStartError extends Error {
  constructor(
    readonly reason: StartFailureReason,
    message: string,
    readonly output: OutputLine[],
  ) {
    super(message);
  }
}

export interface StartOptions {
  /** The exercise folder; its server.ts is the entry. */
  dir: string;
  entry?: string;
  /** A fixed port (for `npm run serve`); by default a free one is picked. */
  port?: number;
  startTimeoutMs?: number;
  /** Pass the child's output straight through instead of capturing it. */
  inheritOutput?: boolean;
  /** Extra environment variables for this server (a short time-out a behaviour provokes). */
  env?: Record<string, string>;
}

/** Starts on ports another process took meanwhile before giving up (see LearnerServer.start). */
const maxPortAttempts = 3;

/** How a barrier marker starts (see listen-probe.cjs); the barrier's number follows. */
const barrierMark = '\u0000roundtrip-barrier:';

const require = createRequire(path.join(graderRoot, 'engine', 'server-process.ts'));
const tsxLoader = pathToFileURL(require.resolve('tsx/esm')).href;
const listenProbe = path.join(graderRoot, 'engine/child/listen-probe.cjs');

/** What the harness needs of a running server. */
export interface ServerHandle {
  readonly port: number;
  readonly host: string;
  readonly output: OutputLine[];
  readonly traces: TraceEvent[];
  readonly alive: boolean;
  readonly exitCode: number | null;
  readonly exitSignal: NodeJS.Signals | null;
  /** How far the server's clock runs ahead of the real one: ROUNDTRIP_CLOCK_OFFSET_MS, when it was started with it (see listen-probe.cjs). */
  readonly clockOffsetMs: number;
  outputSince(mark: number): OutputLine[];
  /**
   * Resolves true once everything the server printed before now has arrived
   * in `output`; false when the server could not answer within `ms` (stuck in
   * a loop, or gone). With `read`, the server answers only once it has read
   * that many bytes on that connection, or it closed (see listen-probe.cjs).
   */
  barrier(ms: number, read?: ReadMark): Promise<boolean>;
  traceOf(id: string, ms?: number): Promise<TraceEvent[]>;
  stop(): Promise<void>;
}

/** A connection, by the client's port, and how many bytes the server must have read on it. */
export interface ReadMark {
  port: number;
  bytes: number;
}

/** Waits until a request's trace has its response event (or `ms` have passed). */
export async function waitForTrace(server: ServerHandle, id: string, ms = 1000): Promise<TraceEvent[]> {
  const deadline = Date.now() + ms;
  const events = () => server.traces.filter((e) => e.trace === id);
  while (!events().some((e) => e.stage === 'response') && Date.now() < deadline && server.alive) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return events();
}

/**
 * How much of a server's output the grader keeps: 8 Mi characters, thousands of
 * times what a lesson's server prints (a log line per request). A server that
 * prints without end must not fill the grader's memory.
 */
const outputLimitChars = 8 * 1024 * 1024;

/** Servers this process started and has not stopped yet. */
const running = new Set<LearnerServer>();

export class LearnerServer implements ServerHandle {
  readonly output: OutputLine[] = [];
  /** Events from the provided cycle tracer (lessons 06 on), in arrival order. */
  readonly traces: TraceEvent[] = [];
  /** 'barrier' (a marker arrived) and 'exit' (code, signal), for the barriers that wait on them. */
  // Any number of barriers may wait at once (copies graded side by side, requests in parallel).
  private readonly events = new EventEmitter().setMaxListeners(0);
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  /** Where to connect: the loopback address the server reported listening on. */
  host = '127.0.0.1';
  private readonly exited: Promise<void>;

  /** Puts the .ts locations back into what a bundled server prints (see source-locations.ts). */
  private readonly locate: (text: string) => string;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly entry: string,
    bundle?: string,
    readonly clockOffsetMs = 0,
  ) {
    this.locate = bundle ? originalLocations(bundle) : (text) => text;
    running.add(this);
    const pidFile = registerPid(child.pid);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        // Processes the server started outlive it: stop them too.
        killTree(child);
        this.exitCode = code;
        this.exitSignal = signal;
        running.delete(this);
        if (pidFile) fs.rmSync(pidFile, { force: true });
        this.events.emit('exit', code, signal);
        resolve();
      });
    });
    child.on('message', (message: { type?: string; event?: TraceEvent }) => {
      if (message?.type === 'trace' && message.event) {
        this.traces.push(message.event);
      }
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream]?.setEncoding('utf8');
      let partial = '';
      child[stream]?.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop()!;
        for (const text of lines) {
          const at = text.indexOf(barrierMark);
          if (at === -1) {
            this.addOutput({ stream, text });
            continue;
          }
          if (at > 0) this.addOutput({ stream, text: text.slice(0, at) });
          this.barriersSeen[stream] = Number(text.slice(at + barrierMark.length));
          this.events.emit('barrier');
        }
      });
      child[stream]?.on('end', () => {
        if (partial) this.addOutput({ stream, text: partial });
        partial = '';
      });
    }
  }

  /** The last barrier marker read on each stream (see listen-probe.cjs). */
  private readonly barriersSeen = { stdout: 0, stderr: 0 };
  private barriersAsked = 0;

  async barrier(ms: number, read?: ReadMark): Promise<boolean> {
    if (!this.alive || !this.child.stdout || !this.child.stderr) return false;
    // A closed channel means the process is on its way out: let its exit be known before answering.
    if (!this.child.connected) return this.waitForExit(ms).then(() => false);
    const id = ++this.barriersAsked;
    const passed = () => this.barriersSeen.stdout >= id && this.barriersSeen.stderr >= id;
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.events.off('barrier', onBarrier);
        this.events.off('exit', onExit);
        resolve(ok);
      };
      const onBarrier = () => passed() && done(true);
      const onExit = () => done(false);
      const timer = setTimeout(() => done(false), ms);
      this.events.on('barrier', onBarrier);
      this.events.once('exit', onExit);
      this.child.send({ type: 'barrier', id, ms, read }, (error) => {
        if (error) void this.waitForExit(ms).then(() => done(false));
      });
    });
  }

  /** Characters of output kept so far; past outputLimitChars the rest is dropped, said once. */
  private outputKept = 0;

  private addOutput(line: OutputLine): void {
    if (this.outputKept > outputLimitChars) return;
    this.outputKept += line.text.length;
    if (this.outputKept > outputLimitChars) line = { stream: line.stream, text: `(Your server printed more than ${outputLimitChars / 1024 / 1024} MiB: the grader keeps no more of its output.)` };
    line.text = this.locate(line.text);
    this.output.push(line);
  }

  get alive(): boolean {
    return this.exitCode === null && this.exitSignal === null;
  }

  traceOf(id: string, ms?: number): Promise<TraceEvent[]> {
    return waitForTrace(this, id, ms);
  }

  /** Output lines from `mark` (an earlier `output.length`) on. */
  outputSince(mark: number): OutputLine[] {
    return this.output.slice(mark);
  }

  /** Resolves once the child is gone; kills it outright (it may be stuck in a loop). */
  async stop(): Promise<void> {
    if (this.alive) killTree(this.child);
    await this.exited;
  }

  /** Waits until the process has ended or `ms` have passed. */
  waitForExit(ms: number): Promise<boolean> {
    return Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref()),
    ]);
  }

  static async start(options: StartOptions): Promise<LearnerServer> {
    const entry = path.resolve(options.dir, options.entry ?? 'server.ts');
    if (!fs.existsSync(entry)) {
      throw new ServerStartError('no-entry', `There is no ${path.basename(entry)} in ${options.dir}.`, []);
    }
    const program = await runnable(entry);
    for (let attempt = 1; ; attempt++) {
      const port = options.port ?? (await freePort());
      // Node maps stack traces itself only where the grader does not read the output (see source-locations.ts).
      const nodeMapsTraces = options.inheritOutput || program.loader.length > 0;
      const child = spawn(
        process.execPath,
        [...program.loader, '--require', listenProbe, ...(nodeMapsTraces ? ['--enable-source-maps'] : []), program.file],
        {
          cwd: options.dir,
          env: { ...serverEnvironment(), ...options.env, PORT: String(port), NODE_ENV: 'development', NO_COLOR: '1', FORCE_COLOR: '0' },
          stdio: ['ignore', options.inheritOutput ? 'inherit' : 'pipe', options.inheritOutput ? 'inherit' : 'pipe', 'ipc'],
          // A process group of its own, so that whatever the server starts is stopped with it (killTree).
          detached: process.platform !== 'win32',
        },
      );
      const server = new LearnerServer(child, port, entry, nodeMapsTraces ? undefined : program.file, Number(options.env?.ROUNDTRIP_CLOCK_OFFSET_MS ?? 0));
      try {
        await server.waitUntilListening(options.startTimeoutMs ?? 10_000);
        return server;
      } catch (error) {
        // The free port we picked was taken before the server could listen on it
        // (any new socket, a client's too, may be given it): pick another.
        const portTaken = error instanceof ServerStartError && error.output.some((line) => line.text.includes('EADDRINUSE') && line.text.includes(`:${port}`));
        if (options.port !== undefined || !portTaken || attempt === maxPortAttempts) throw error;
      }
    }
  }

  private waitUntilListening(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const fail = async (reason: StartFailureReason, message: string) => {
        cleanup();
        await this.stop();
        // Give the pipes a moment to deliver a crash's last lines.
        await new Promise((r) => setTimeout(r, 20));
        reject(new ServerStartError(reason, message, [...this.output]));
      };
      const onMessage = (message: unknown) => {
        if (!isListening(message)) return;
        if (message.port === this.port) {
          if (message.address === '::1') this.host = '::1';
          cleanup();
          resolve();
        } else {
          void fail(
            'wrong-port',
            `Your server listens on port ${message.port}, but the grader started it with PORT=${this.port}. ` +
              'Listen on Number(process.env.PORT) (falling back to 3000 only when PORT is not set).',
          );
        }
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        void fail('exited', `Your server ${how} before it started listening.`);
      };
      const timer = setTimeout(() => {
        void fail(
          'timeout',
          `Your server did not start listening within ${timeoutMs / 1000} s. ` +
            'Does it call listen(), and does its start-up code ever finish (no endless loop)?',
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
    });
  }
}

/**
 * The grader's environment, less NODE_EXTRA_CA_CERTS: Node 20 reads and parses
 * that file of certificates as it starts (30 ms of CPU per process for a
 * 200 KB bundle, more than the server's own start-up). A workbook server makes
 * no TLS connection, and it is started hundreds of times in the test suite.
 */
function serverEnvironment(): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _certificates, ...env } = process.env;
  return env;
}

/** The JavaScript to run for `entry`, or the TypeScript itself with tsx when esbuild is unavailable. */
async function runnable(entry: string): Promise<{ file: string; loader: string[] }> {
  try {
    return { file: await compileServer(entry), loader: [] };
  } catch (error) {
    if (error instanceof CompileError) {
      throw new ServerStartError('compile', [error.message, ...error.problems.slice(1, 5)].join('\n'), []);
    }
    return { file: entry, loader: ['--import', tsxLoader] };
  }
}

function isListening(message: unknown): message is { type: 'listening'; port: number; address: string } {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'listening';
}

/** Asks the OS for a port nobody uses, so parallel runs never collide. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Kills a server and every process it started (its process group: it was
 * spawned detached), outright: it may be stuck in a loop. Synchronous, for exit handlers.
 */
function killTree(child: ChildProcess): void {
  killGroupOf(child.pid);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** SIGKILL to the process group led by `pid`, or to `pid` alone where it leads none (Windows, or already gone). */
function killGroupOf(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  for (const target of process.platform === 'win32' ? [pid] : [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
      return true;
    } catch {
      // No such group (or process): try the next.
    }
  }
  return false;
}

/** Last resort for abrupt endings: kill whatever is still running, synchronously. */
export function killAllServers(): void {
  for (const server of running) killTree(server.child);
}

process.once('exit', killAllServers);

/**
 * Specs run in Vitest's workers, which can be torn down before their cleanup
 * runs. Each server's pid is also written to ROUNDTRIP_PID_DIR, when the CLI
 * sets it, so the CLI can kill what is left when the run ends or is interrupted.
 */
function registerPid(pid: number | undefined): string | undefined {
  const dir = process.env.ROUNDTRIP_PID_DIR;
  if (!dir || pid === undefined) return undefined;
  const file = path.join(dir, String(pid));
  fs.writeFileSync(file, '');
  return file;
}

/** Kills every server listed in a pid folder. Synchronous, so it works in exit handlers. */
export function killRegistered(dir: string): number {
  let killed = 0;
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (killGroupOf(Number(name))) killed++;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return killed;
}
