// Type errors in a lesson's files, reported beside the grading (never changing
// its verdict). The check runs in a worker thread started before the grading,
// and its result is kept in .roundtrip/typecheck/ with a hash of every file the
// compiler read, so an unchanged lesson is never checked twice.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { graderRoot } from './paths.ts';
import { writeFileAtomic } from './progress.ts';

export interface TypeDiagnostic {
  file: string;
  line: number;
  column: number;
  code: number;
  message: string;
}

interface Cached {
  /** Every file the compiler read (outside node_modules), with its content hash; relative to the checked folder when inside it. */
  inputs: Record<string, string>;
  /** File names relative to the checked folder. */
  errors: TypeDiagnostic[];
}

const tsconfig = () => path.join(graderRoot, '..', 'tsconfig.json');
const digest = (data: string | Buffer) => createHash('sha256').update(data).digest('hex').slice(0, 16);
const hash = (file: string) => digest(fs.readFileSync(file));
// Beside the grader, keyed by content: the same files (after an undo, or in
// another copy of the workbook, as the workbook's own tests make) are checked once.
const besideGrader = (name: string) => path.join(graderRoot, '..', '.roundtrip', name);
const cacheDir = () => besideGrader('typecheck');
const keptResults = 200;
/** V8's code cache of the compiler itself (see typecheck-worker.mjs): one file per TypeScript and Node version. */
export const compilerCodeCacheDir = () => besideGrader('code-cache');

/** The .ts files of the lesson folders (templates, CSS and the like are not TypeScript). */
function lessonFiles(dirs: string[]): string[] {
  return dirs.flatMap((dir) => lessonFolderFiles(dir));
}

function lessonFolderFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.split(path.sep).includes('node_modules'))
    .map((name) => path.join(dir, name))
    .sort();
}

/** The cache entry for these files as they are now: their names within `root` and their contents. */
function cacheFile(files: string[], root: string): string {
  const parts = [fs.readFileSync(tsconfig(), 'utf8'), ...files.map((file) => `${path.relative(root, file)}\0${hash(file)}`)];
  return path.join(cacheDir(), `${digest(parts.join('\n'))}.json`);
}

const inRoot = (root: string, name: string) => (path.isAbsolute(name) ? name : path.join(root, name));

/** The errors found before for these files, if nothing they read has changed since. */
export function cachedTypeErrors(files: string[], root: string, entryFile = cacheFile(files, root)): TypeDiagnostic[] | undefined {
  try {
    const cached = JSON.parse(fs.readFileSync(entryFile, 'utf8')) as Cached;
    const unchanged = Object.entries(cached.inputs).every(([name, seen]) => {
      const file = inRoot(root, name);
      return fs.existsSync(file) && hash(file) === seen;
    });
    return unchanged ? cached.errors.map((e) => ({ ...e, file: inRoot(root, e.file) })) : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the errors under `entryFile`, the entry of the files as they were checked; not if one changed meanwhile. */
function saveTypeErrors(entryFile: string, files: string[], root: string, inputs: string[], errors: TypeDiagnostic[]): void {
  // A save during the check (watch mode) would file these errors under the new contents.
  if (cacheFile(files, root) !== entryFile) return;
  const relative = (file: string) => (file.startsWith(root + path.sep) ? path.relative(root, file) : file);
  const entry: Cached = {
    inputs: Object.fromEntries(inputs.map((file) => [relative(file), hash(file)])),
    errors: errors.map((e) => ({ ...e, file: relative(e.file) })),
  };
  try {
    writeFileAtomic(entryFile, JSON.stringify(entry));
    const kept = fs.readdirSync(cacheDir()).map((name) => path.join(cacheDir(), name));
    if (kept.length > keptResults) {
      const oldest = kept.map((file) => ({ file, at: fs.statSync(file).mtimeMs })).sort((a, b) => a.at - b.at);
      for (const { file } of oldest.slice(0, kept.length - keptResults)) fs.rmSync(file, { force: true });
    }
  } catch {
    // No cache this time; the result stands.
  }
}

/**
 * Type-checks lesson folders and what they import, as one program in a worker
 * thread; reports errors in files under `reportUnder` (the folder of lesson
 * folders checked). Never rejects: a compiler that cannot run gives no errors
 * rather than a false alarm.
 */
export function typecheckLessons(dirs: string[], reportUnder: string, timeoutMs = 60_000): Promise<TypeDiagnostic[]> {
  return checkWith(dirs, reportUnder, async (files, root) => {
    const worker = startWorker({ files, reportUnder: root });
    const result = await reply(worker, timeoutMs);
    void worker.terminate();
    return result;
  });
}

/**
 * Watch mode's type checker: one worker answers every check and keeps what it
 * parsed (the libraries, @types/node), so a check after a save takes about a
 * tenth of the first. Checks are answered one at a time, in order.
 */
export function typeCheckSession() {
  let worker: Worker | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const ask = (files: string[], root: string, timeoutMs: number) => {
    const answer = queue.then(async () => {
      worker ??= startWorker({});
      const result = await reply(worker, timeoutMs, (w) => w.postMessage({ files, reportUnder: root }));
      if (!result) {
        // A worker that failed or took too long is replaced at the next check.
        void worker?.terminate();
        worker = undefined;
      }
      return result;
    });
    queue = answer;
    return answer;
  };
  return {
    check: (dirs: string[], reportUnder: string, timeoutMs = 60_000) => checkWith(dirs, reportUnder, (files, root) => ask(files, root, timeoutMs)),
    /** Parses the lessons now, even when the cache knows their errors, so the first check after a save is quick too. */
    warm: (dirs: string[], reportUnder: string) => void ask(lessonFiles(dirs), path.resolve(reportUnder), 60_000),
    close: () => void worker?.terminate(),
  };
}

type WorkerResult = { errors: TypeDiagnostic[]; inputs: string[] };

/** Errors for the lesson folders: from the cache, or from `run` (then kept). Never rejects: a compiler that cannot run gives no errors rather than a false alarm. */
async function checkWith(dirs: string[], reportUnder: string, run: (files: string[], root: string) => Promise<WorkerResult | undefined>): Promise<TypeDiagnostic[]> {
  const files = lessonFiles(dirs);
  if (!files.length) return [];
  const root = path.resolve(reportUnder);
  const entryFile = cacheFile(files, root);
  const cached = cachedTypeErrors(files, root, entryFile);
  if (cached) return cached;
  const result = await run(files, root);
  if (!result) return [];
  saveTypeErrors(entryFile, files, root, result.inputs, result.errors);
  return result.errors;
}

function startWorker(request: { files?: string[]; reportUnder?: string }): Worker {
  const worker = new Worker(path.join(graderRoot, 'engine', 'typecheck-worker.mjs'), { workerData: { tsconfig: tsconfig(), codeCacheDir: compilerCodeCacheDir(), ...request } });
  worker.unref();
  return worker;
}

/** The worker's next answer (after `send`), or undefined if it fails, exits or takes longer than `timeoutMs`. */
function reply(worker: Worker, timeoutMs: number, send?: (worker: Worker) => void): Promise<WorkerResult | undefined> {
  return new Promise((resolve) => {
    const done = (result: WorkerResult | undefined) => {
      clearTimeout(timer);
      worker.off('message', done).off('error', failed).off('exit', failed);
      resolve(result);
    };
    const failed = () => done(undefined);
    const timer = setTimeout(failed, timeoutMs);
    timer.unref();
    worker.on('message', done).on('error', failed).on('exit', failed);
    send?.(worker);
  });
}
