// Provided: the cycle tracer's probe. The framework pieces of lessons 06 and later
// call traceStep() at each stage of a request; each event goes to the grader
// (or `npm run trace`) over the IPC channel they start the server with.
// Only a request that asks for it, with the X-Roundtrip-Trace header, is
// traced; running the server by hand, there is no channel and tracing costs nothing.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Middleware } from './http.ts';

export type TraceStage =
  | 'request'
  | 'middleware:in'
  | 'middleware:out'
  | 'route'
  | 'view'
  | 'render'
  | 'error'
  | 'response'
  // Own-stack mode only (provided/own-stack.ts): whose code read, built, parsed and wrote.
  | 'parse'
  | 'objects'
  | 'body'
  | 'serialize';

export interface TraceEvent {
  /** Which request: its X-Roundtrip-Trace header's value. */
  trace: string;
  stage: TraceStage;
  /** The middleware, route, view or template concerned. */
  name: string;
  detail?: string;
  /** Milliseconds since the request arrived. */
  ms: number;
}

interface ActiveTrace {
  id: string;
  started: number;
}

const active = new AsyncLocalStorage<ActiveTrace>();

/** The header a client sets to name its request in the trace. */
export const traceHeader = 'x-roundtrip-trace';

/** Runs `handle` for one request, traced when it names a trace (nobody reads the trace of the others). */
export function withTrace<T>(id: string | undefined, handle: () => Promise<T>): Promise<T> {
  if (!id) return handle();
  return active.run({ id, started: performance.now() }, handle);
}

/** Records one stage of the current request. Outside a request it does nothing. */
export function traceStep(stage: TraceStage, name: string, detail?: string): void {
  const current = active.getStore();
  if (!current || !process.send) return;
  const event: TraceEvent = { trace: current.id, stage, name, detail, ms: performance.now() - current.started };
  process.send({ type: 'trace', event });
}

const alreadyTraced = new WeakSet<Middleware>();

/** Wraps a middleware so the tracer sees it on the way in and on the way out (once, however often it is wrapped). */
export function traced(middleware: Middleware): Middleware {
  if (alreadyTraced.has(middleware)) return middleware;
  const name = middleware.displayName ?? (middleware.name || 'middleware');
  const layer: Middleware = (next) => {
    const handler = middleware(next);
    return async (request) => {
      traceStep('middleware:in', name);
      try {
        return await handler(request);
      } finally {
        traceStep('middleware:out', name);
      }
    };
  };
  layer.displayName = name;
  alreadyTraced.add(layer);
  return layer;
}
