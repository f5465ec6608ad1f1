// Type errors in a lesson's files, reported beside the grading (never changing
// its verdict). The check runs in a worker thread started before the grading,
// and its result is kept in .roundtrip/typecheck/ with a hash of every file the
// compiler read, so an unchanged lesson is never checked twice.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { graderRoot, stateDir } from './paths.ts';
import { writeFileAtomic } from './progress.ts';

export interface TypeDiagnostic {
  file: string;
  line: number;
  column: number;
  code: number;
  message: string;
}

interface Cached {
  /** Every file the compiler read (outside node_modules), with its content hash. */
  inputs: Record<string, string>;
  /** The lesson folder's own .ts files when checked: a new file means a new check. */
  files: string[];
  errors: TypeDiagnostic[];
}

const tsconfig = () => path.join(graderRoot, '..', 'tsconfig.json');
const hash = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 16);
const cacheFile = (dirs: string[]) => path.join(stateDir, 'typecheck', `${createHash('sha256').update(dirs.map((d) => path.resolve(d)).join('\n')).digest('hex').slice(0, 16)}.json`);

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

function fromCache(dirs: string[], files: string[]): TypeDiagnostic[] | undefined {
  try {
    const cached = JSON.parse(fs.readFileSync(cacheFile(dirs), 'utf8')) as Cached;
    if (cached.files.join('\n') !== files.join('\n') || hash(tsconfig()) !== cached.inputs[tsconfig()]) return undefined;
    const unchanged = Object.entries(cached.inputs).every(([file, digest]) => fs.existsSync(file) && hash(file) === digest);
    return unchanged ? cached.errors : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Type-checks lesson folders and what they import, as one program in a worker
 * thread; reports errors in files under `reportUnder` (the folder of lesson
 * folders checked). Never rejects: a compiler that cannot run gives no errors
 * rather than a false alarm.
 */
export async function typecheckLessons(dirs: string[], reportUnder: string, timeoutMs = 60_000): Promise<TypeDiagnostic[]> {
  const files = lessonFiles(dirs);
  if (!files.length) return [];
  const cached = fromCache(dirs, files);
  if (cached) return cached;
  const result = await inWorker(files, reportUnder, timeoutMs);
  if (!result) return [];
  const inputs = Object.fromEntries([...result.inputs, tsconfig()].map((file) => [file, hash(file)]));
  try {
    writeFileAtomic(cacheFile(dirs), JSON.stringify({ inputs, files, errors: result.errors } satisfies Cached));
  } catch {
    // No cache this time; the result stands.
  }
  return result.errors;
}

async function inWorker(files: string[], reportUnder: string, timeoutMs: number) {
  const worker = new Worker(path.join(graderRoot, 'engine', 'typecheck-worker.mjs'), {
    workerData: { tsconfig: tsconfig(), files, reportUnder: path.resolve(reportUnder) },
  });
  worker.unref();
  const result = await new Promise<{ errors: TypeDiagnostic[]; inputs: string[] } | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    timer.unref();
    worker.once('message', (message) => (clearTimeout(timer), resolve(message)));
    worker.once('error', () => (clearTimeout(timer), resolve(undefined)));
    worker.once('exit', () => (clearTimeout(timer), resolve(undefined)));
  });
  void worker.terminate();
  return result;
}
