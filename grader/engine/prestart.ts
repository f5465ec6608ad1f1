// Starting a learner's server takes about a tenth of a second, and Vitest
// takes longer than that to get ready. So the CLI starts the servers of the
// lessons it is about to check in the main thread, as soon as Vitest has
// loaded (their builds and ports are ready before that), and each lesson's
// spec (running in a worker thread of the same process) adopts its server over
// a BroadcastChannel. A spec that finds none, or needs a restart, starts its own.
// Each lesson has a channel of its own, so a message reaches only the worker
// grading that lesson; what the main thread says is sent in batches, once per
// turn of its event loop (a server that logs each request says a lot).
import { BroadcastChannel } from 'node:worker_threads';
import { LearnerServer, ServerStartError, waitForTrace, type OutputLine, type ReadMark, type ServerHandle, type StartFailureReason, type TraceEvent } from './server-process.ts';

const channelName = (id: string) => `roundtrip:servers:${id}`;

type ToMain = { type: 'adopt'; id: string } | { type: 'stop'; id: string } | { type: 'barrier'; id: string; seq: number; ms: number; read?: ReadMark };

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

/** What the main thread sent in one batch. */
function messagesOf(event: unknown): ToWorker[] {
  return dataOf<ToWorker[]>(event);
}

export interface PrestartedServers {
  /** Stops every server this started, adopted or not. */
  close(): Promise<void>;
}

/** Main thread: start these lessons' servers, a few at a time, and hand each to the spec that asks. */
export function prestartServers(lessons: { id: string; dir: string }[], startTimeoutMs: number, startAfter?: Promise<unknown>, concurrency = 3): PrestartedServers {
  const prestarter = new Prestarter(lessons, startTimeoutMs, startAfter, concurrency);
  return { close: () => prestarter.close() };
}

class Prestarter {
  private readonly channels = new Map<string, LessonChannel>();
  private readonly starts = new Map<string, Promise<LearnerServer>>();
  private readonly adopted = new Set<string>();
  private readonly queue: { id: string; dir: string }[];
  private active = 0;

  constructor(
    private readonly lessons: { id: string; dir: string }[],
    private readonly startTimeoutMs: number,
    private readonly startAfter: Promise<unknown> | undefined,
    private readonly concurrency: number,
  ) {
    this.queue = [...lessons];
    for (const { id } of lessons) this.channels.set(id, new LessonChannel(id, (message) => this.onMessage(message)));
    this.pump();
  }

  private start(id: string): Promise<LearnerServer> {
    let starting = this.starts.get(id);
    if (!starting) {
      const lesson = this.lessons.find((l) => l.id === id)!;
      this.active++;
      starting = LearnerServer.start({ dir: lesson.dir, startTimeoutMs: this.startTimeoutMs, startAfter: this.startAfter });
      this.starts.set(id, starting);
      void starting.catch(() => {}).finally(() => {
        this.active--;
        this.pump();
      });
    }
    return starting;
  }

  private pump(): void {
    while (this.active < this.concurrency && this.queue.length) {
      const next = this.queue.shift()!;
      if (!this.starts.has(next.id)) void this.start(next.id);
    }
  }

  private post(message: ToWorker): void {
    this.channels.get(message.id)!.post(message);
  }

  private onMessage(message: ToMain): void {
    if (message.type === 'stop') void this.starts.get(message.id)?.then((server) => server.stop(), () => {});
    else if (message.type === 'barrier') this.relayBarrier(message);
    else this.adopt(message.id);
  }

  /** Output is relayed as it arrives, so it reaches the worker before this answer does. */
  private relayBarrier({ id, seq, ms, read }: { id: string; seq: number; ms: number; read?: ReadMark }): void {
    void this.starts.get(id)?.then(
      (server) => server.barrier(ms, read).then((ok) => this.post({ id, type: 'barrier-passed', seq, ok })),
      () => this.post({ id, type: 'barrier-passed', seq, ok: false }),
    );
  }

  /** Hands the server to the first spec that asks, and relays its output, traces and exit from then on. */
  private adopt(id: string): void {
    this.start(id).then(
      (server) => {
        if (this.adopted.has(id)) return this.post({ id, type: 'unavailable' });
        this.adopted.add(id);
        // Sent on its own, now: the worker listens for the output that follows only once it has this.
        this.channels.get(id)!.postNow({ id, type: 'adopted', port: server.port, host: server.host, output: [...server.output], traces: [...server.traces], exitCode: server.exitCode, exitSignal: server.exitSignal });
        server.events.on('output', (line: OutputLine) => this.post({ id, type: 'output', line }));
        server.events.on('trace', (traceEvent: TraceEvent) => this.post({ id, type: 'trace', event: traceEvent }));
        server.events.on('exit', (code: number | null, signal: NodeJS.Signals | null) => this.post({ id, type: 'exit', code, signal }));
      },
      (error: unknown) => {
        if (error instanceof ServerStartError) this.post({ id, type: 'start-failed', reason: error.reason, message: error.message, output: error.output });
        else this.post({ id, type: 'unavailable' });
      },
    );
  }

  async close(): Promise<void> {
    for (const channel of this.channels.values()) channel.close();
    await Promise.all([...this.starts.values()].map((s) => s.then((server) => server.stop(), () => {})));
  }
}

/** The main thread's end of one lesson's channel: messages to the worker go out in batches, in order. */
class LessonChannel {
  private readonly channel: BroadcastChannel;
  private outbox: ToWorker[] = [];

  constructor(id: string, onMessage: (message: ToMain) => void) {
    this.channel = new BroadcastChannel(channelName(id));
    this.channel.unref();
    this.channel.addEventListener('message', (event: unknown) => onMessage(dataOf<ToMain>(event)));
  }

  post(message: ToWorker): void {
    if (this.outbox.push(message) === 1) setImmediate(() => this.flush());
  }

  /** Sends what waits, then this, as a batch of its own. */
  postNow(message: ToWorker): void {
    this.flush();
    this.channel.postMessage([message]);
  }

  private flush(): void {
    const batch = this.outbox;
    this.outbox = [];
    if (batch.length) this.channel.postMessage(batch);
  }

  close(): void {
    this.flush();
    this.channel.close();
  }
}

/**
 * Worker thread: the server the main thread started for this lesson, a start
 * failure to report, or undefined when there is none to adopt.
 */
export async function adoptServer(id: string, waitMs: number): Promise<ServerHandle | ServerStartError | undefined> {
  const channel = new BroadcastChannel(channelName(id));
  channel.unref();
  const reply = await new Promise<ToWorker | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), waitMs);
    channel.addEventListener('message', function listen(event: unknown) {
      const message = messagesOf(event).find((m) => ['adopted', 'unavailable', 'start-failed'].includes(m.type));
      if (!message) return;
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
  /** The CLI starts no server on a moved clock. */
  readonly clockOffsetMs = 0;
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
        for (const message of messagesOf(event)) {
          if (message.type === 'output') this.output.push(message.line);
          else if (message.type === 'trace') this.traces.push(message.event);
          else if (message.type === 'exit') {
            this.exitCode = message.code;
            this.exitSignal = message.signal;
            resolve();
          }
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

  barrier(ms: number, read?: ReadMark): Promise<boolean> {
    if (!this.alive) return Promise.resolve(false);
    const seq = ++this.barriersAsked;
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.channel.removeEventListener('message', listen);
        resolve(ok);
      };
      const listen = (event: unknown) => {
        for (const message of messagesOf(event)) {
          if (message.type === 'barrier-passed' && message.seq === seq) done(message.ok);
          if (message.type === 'exit') done(false);
        }
      };
      // The main thread gives up after `ms`; this one waits a little longer for its answer.
      const timer = setTimeout(() => done(false), ms + 1000);
      this.channel.addEventListener('message', listen);
      this.channel.postMessage({ type: 'barrier', id: this.id, seq, ms, read } satisfies ToMain);
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
