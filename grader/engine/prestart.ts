// Starting a learner's server takes about a quarter of a second, and Vitest
// takes longer than that to get ready. So the CLI starts the servers of the
// lessons it is about to check at once, in the main thread, and each lesson's
// spec (running in a worker thread of the same process) adopts its server over
// a BroadcastChannel. A spec that finds none, or needs a restart, starts its own.
import { BroadcastChannel } from 'node:worker_threads';
import { LearnerServer, ServerStartError, waitForTrace, type OutputLine, type ServerHandle, type StartFailureReason, type TraceEvent } from './server-process.ts';

const channelName = 'roundtrip:servers';

type ToMain = { type: 'adopt'; id: string } | { type: 'stop'; id: string } | { type: 'barrier'; id: string; seq: number; ms: number };

interface Snapshot {
  port: number;
  host: string;
  output: OutputLine[];
  traces: TraceEvent[];
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
}

type ToWorker = { id: string } & (
  | ({ type: 'adopted' } & Snapshot)
  | { type: 'unavailable' }
  | { type: 'start-failed'; reason: StartFailureReason; message: string; output: OutputLine[] }
  | { type: 'output'; line: OutputLine }
  | { type: 'trace'; event: TraceEvent }
  | { type: 'exit'; code: number | null; signal: NodeJS.Signals | null }
  | { type: 'barrier-passed'; seq: number; ok: boolean }
);

function dataOf<T>(event: unknown): T {
  return (event as { data: T }).data;
}

/** Main thread: start these lessons' servers, a few at a time, and hand each to the spec that asks. */
export function prestartServers(lessons: { id: string; dir: string }[], startTimeoutMs: number, concurrency = 2) {
  const channel = new BroadcastChannel(channelName);
  channel.unref();
  const starts = new Map<string, Promise<LearnerServer>>();
  const adopted = new Set<string>();
  const queue = [...lessons];
  let active = 0;

  const start = (id: string): Promise<LearnerServer> => {
    let starting = starts.get(id);
    if (!starting) {
      const lesson = lessons.find((l) => l.id === id)!;
      active++;
      starting = LearnerServer.start({ dir: lesson.dir, startTimeoutMs });
      starts.set(id, starting);
      void starting.catch(() => {}).finally(() => {
        active--;
        pump();
      });
    }
    return starting;
  };
  const pump = () => {
    while (active < concurrency && queue.length) {
      const next = queue.shift()!;
      if (!starts.has(next.id)) start(next.id);
    }
  };
  const post = (message: ToWorker) => channel.postMessage(message);

  channel.addEventListener('message', (event: unknown) => {
    const message = dataOf<ToMain>(event);
    if (!lessons.some((l) => l.id === message.id)) return;
    if (message.type === 'stop') {
      void starts.get(message.id)?.then((server) => server.stop(), () => {});
      return;
    }
    if (message.type === 'barrier') {
      // Output is relayed as it arrives, so it reaches the worker before this answer does.
      const { id, seq, ms } = message;
      void starts.get(id)?.then(
        (server) => server.barrier(ms).then((ok) => post({ id, type: 'barrier-passed', seq, ok })),
        () => post({ id, type: 'barrier-passed', seq, ok: false }),
      );
      return;
    }
    const { id } = message;
    start(id).then(
      (server) => {
        if (adopted.has(id)) return post({ id, type: 'unavailable' });
        adopted.add(id);
        post({ id, type: 'adopted', port: server.port, host: server.host, output: [...server.output], traces: [...server.traces], exitCode: server.exitCode, exitSignal: server.exitSignal });
        server.events.on('output', (line: OutputLine) => post({ id, type: 'output', line }));
        server.events.on('trace', (traceEvent: TraceEvent) => post({ id, type: 'trace', event: traceEvent }));
        server.events.on('exit', (code: number | null, signal: NodeJS.Signals | null) => post({ id, type: 'exit', code, signal }));
      },
      (error: unknown) => {
        if (error instanceof ServerStartError) post({ id, type: 'start-failed', reason: error.reason, message: error.message, output: error.output });
        else post({ id, type: 'unavailable' });
      },
    );
  });
  pump();

  return {
    /** Stops every server this started, adopted or not. */
    async close(): Promise<void> {
      channel.close();
      await Promise.all([...starts.values()].map((s) => s.then((server) => server.stop(), () => {})));
    },
  };
}

/**
 * Worker thread: the server the main thread started for this lesson, a start
 * failure to report, or undefined when there is none to adopt.
 */
export async function adoptServer(id: string, waitMs: number): Promise<ServerHandle | ServerStartError | undefined> {
  if (process.env.ROUNDTRIP_PRESTART !== '1') return undefined;
  const channel = new BroadcastChannel(channelName);
  channel.unref();
  const reply = await new Promise<ToWorker | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), waitMs);
    channel.addEventListener('message', function listen(event: unknown) {
      const message = dataOf<ToWorker>(event);
      if (message.id !== id || !['adopted', 'unavailable', 'start-failed'].includes(message.type)) return;
      clearTimeout(timer);
      channel.removeEventListener('message', listen);
      resolve(message);
    });
    channel.postMessage({ type: 'adopt', id } satisfies ToMain);
  });
  if (reply?.type === 'adopted') return new AdoptedServer(id, channel, reply);
  channel.close();
  if (reply?.type === 'start-failed') return new ServerStartError(reply.reason, reply.message, reply.output);
  return undefined;
}

/** A server the main thread runs, seen from a worker: the same handle as one of our own. */
class AdoptedServer implements ServerHandle {
  readonly port: number;
  readonly host: string;
  readonly output: OutputLine[];
  readonly traces: TraceEvent[];
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  private exited: Promise<void>;

  constructor(
    private readonly id: string,
    private readonly channel: BroadcastChannel,
    snapshot: Snapshot,
  ) {
    ({ port: this.port, host: this.host, output: this.output, traces: this.traces, exitCode: this.exitCode, exitSignal: this.exitSignal } = snapshot);
    this.exited = new Promise((resolve) => {
      if (!this.alive) return resolve();
      channel.addEventListener('message', (event: unknown) => {
        const message = dataOf<ToWorker>(event);
        if (message.id !== id) return;
        if (message.type === 'output') this.output.push(message.line);
        else if (message.type === 'trace') this.traces.push(message.event);
        else if (message.type === 'exit') {
          this.exitCode = message.code;
          this.exitSignal = message.signal;
          resolve();
        }
      });
    });
  }

  get alive(): boolean {
    return this.exitCode === null && this.exitSignal === null;
  }

  outputSince(mark: number): OutputLine[] {
    return this.output.slice(mark);
  }

  private barriersAsked = 0;

  barrier(ms: number): Promise<boolean> {
    if (!this.alive) return Promise.resolve(false);
    const seq = ++this.barriersAsked;
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.channel.removeEventListener('message', listen);
        resolve(ok);
      };
      const listen = (event: unknown) => {
        const message = dataOf<ToWorker>(event);
        if (message.id === this.id && message.type === 'barrier-passed' && message.seq === seq) done(message.ok);
        if (message.id === this.id && message.type === 'exit') done(false);
      };
      // The main thread gives up after `ms`; this one waits a little longer for its answer.
      const timer = setTimeout(() => done(false), ms + 1000);
      this.channel.addEventListener('message', listen);
      this.channel.postMessage({ type: 'barrier', id: this.id, seq, ms } satisfies ToMain);
    });
  }

  traceOf(traceId: string, ms?: number): Promise<TraceEvent[]> {
    return waitForTrace(this, traceId, ms);
  }

  async stop(): Promise<void> {
    if (this.alive) {
      this.channel.postMessage({ type: 'stop', id: this.id } satisfies ToMain);
      await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
    }
    this.channel.close();
  }
}
