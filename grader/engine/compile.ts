// A learner's server runs as plain JavaScript: the exercise is bundled with
// esbuild (a few milliseconds) and started with plain `node`, instead of
// loading a TypeScript loader into every server (a third of a second of CPU
// apiece). Stack traces still point at the learner's .ts lines: the bundle
// keeps an inline source map (see source-locations.ts).
// The bundle is CommonJS when it can be: Node then starts without its ES module
// loader, 5 ms of CPU less for each of the hundreds of servers a test run
// starts. The modules inside keep their ES semantics (strict mode, `this`
// undefined, their own import.meta locations); code that needs a real ES module,
// a top-level await or another use of import.meta, is bundled as one.
// A build is reused while none of the files it read has changed.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';
import type { BuildOptions, Message, Metafile, Plugin } from 'esbuild';
import { stateDir } from './paths.ts';

export class CompileError extends Error {
  constructor(
    message: string,
    /** One line per problem: "exercises/02-…/server.ts:12:5: Expected ";" but found "x"". */
    readonly problems: string[],
  ) {
    super(message);
  }
}

interface Manifest {
  /** Every file the build read, with the size and time it had then. */
  inputs: Record<string, { size: number; mtimeMs: number }>;
  /** The bundle's module format: server.cjs or server.mjs. */
  format: Format;
}

type Format = 'cjs' | 'esm';

/** How every server is bundled: one file of plain JavaScript, with its source map inside. */
const buildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  sourcesContent: false,
  metafile: true,
  logLevel: 'silent',
} satisfies BuildOptions;

/** Bundles `entry` (a .ts file) and returns the path of the JavaScript to run. */
export async function compileServer(entry: string): Promise<string> {
  const built = upToDate(entry);
  if (built) return built;

  const { build } = await import('esbuild');
  fs.mkdirSync(buildDirOf(entry), { recursive: true });
  // Written aside, then renamed: two builds at once (two checks, or two workers
  // of one check) never meet in one file.
  const temporary = (format: Format) => `${outfileOf(entry, format)}.${process.pid}.${threadId}.${randomBytes(4).toString('hex')}.tmp`;
  const attempt = async (format: Format) => {
    const outfile = temporary(format);
    try {
      const result = await build({ ...buildOptions, format, entryPoints: [entry], outfile, plugins: [ownLocation] });
      return { outfile, result };
    } catch (error) {
      fs.rmSync(outfile, { force: true });
      throw error;
    }
  };
  try {
    // CommonJS first; an ES module when that would change what the code does.
    let built = await attempt('cjs').catch((error: unknown) => {
      if (needsEsModule((error as { errors?: Message[] }).errors ?? [])) return undefined;
      throw error;
    });
    if (built && needsEsModule(built.result.warnings)) {
      fs.rmSync(built.outfile, { force: true });
      built = undefined;
    }
    const format: Format = built ? 'cjs' : 'esm';
    built ??= await attempt('esm');
    return keepBuild(entry, built.outfile, Object.keys(built.result.metafile.inputs), format);
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!errors?.length) throw error;
    const problems = errors.map(describe);
    throw new CompileError(`Your code does not compile: ${problems[0]}`, problems);
  }
}

/** esbuild's messages when CommonJS would change what the code does: a top-level await, or an import.meta it would leave empty. */
function needsEsModule(messages: Message[]): boolean {
  return messages.some((m) => m.id === 'empty-import-meta' || m.text.includes('Top-level await'));
}

/**
 * Bundles many entries in one run of esbuild, which then reads and parses the
 * modules they share once (a run that grades hundreds of copies of lessons:
 * about a third of the time of building them one by one). Entries already up to date are
 * left alone. Nothing is reported: when one entry does not compile, or needs to
 * be an ES module, none is kept, and compileServer builds each, and explains
 * its errors, as its server starts.
 */
export async function compileServers(entries: string[]): Promise<void> {
  const stale = [...new Set(entries)].filter((entry) => fs.existsSync(entry) && !upToDate(entry));
  if (stale.length < 2) return;
  const { build } = await import('esbuild');
  // Beside the builds, so that the source maps' relative paths stay right when each moves into place.
  const staging = path.join(stateDir, 'build', `batch-${process.pid}-${threadId}-${randomBytes(4).toString('hex')}`);
  try {
    const result = await build({ ...buildOptions, format: 'cjs', entryPoints: stale.map((entry, index) => ({ in: entry, out: String(index) })), outdir: staging, outExtension: { '.js': '.cjs' }, plugins: [ownLocation] });
    if (needsEsModule(result.warnings)) return;
    for (const [output, { entryPoint }] of Object.entries(result.metafile.outputs)) {
      const entry = stale[Number(path.basename(output, '.cjs'))];
      if (entry !== undefined && entryPoint !== undefined) keepBuild(entry, path.resolve(output), readFrom(result.metafile, entryPoint), 'cjs');
    }
  } catch {
    // Built one by one instead, each as its server starts.
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Every file one entry of a batch read, type-only imports included: its imports, followed from the entry. */
function readFrom(metafile: Metafile, entryPoint: string): string[] {
  const seen = new Set([entryPoint]);
  for (const file of seen) for (const { path: imported, external } of metafile.inputs[file]?.imports ?? []) if (!external) seen.add(imported);
  return [...seen].filter((file) => file in metafile.inputs);
}

/** Moves a finished bundle into `entry`'s build folder, with the list of files it read; returns where it is now. */
function keepBuild(entry: string, bundle: string, inputs: string[], format: Format): string {
  const manifest: Manifest = { inputs: {}, format };
  for (const input of inputs) {
    const file = path.resolve(input);
    const stat = fs.statSync(file);
    manifest.inputs[file] = { size: stat.size, mtimeMs: stat.mtimeMs };
  }
  const outfile = outfileOf(entry, format);
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  fs.renameSync(bundle, outfile);
  // Written in place: a reader that meets it half-written cannot parse it, and builds again.
  fs.writeFileSync(manifestOf(entry), JSON.stringify(manifest));
  return outfile;
}

const outfileOf = (entry: string, format: Format) => path.join(buildDirOf(entry), format === 'cjs' ? 'server.cjs' : 'server.mjs');
const manifestOf = (entry: string) => path.join(buildDirOf(entry), 'manifest.json');

/** Where the build of `entry` is kept (one folder per entry file). */
export function buildDirOf(entry: string): string {
  return path.join(stateDir, 'build', createHash('sha256').update(entry).digest('hex').slice(0, 16));
}

/**
 * Removes the builds that can never be used again: those whose files are gone
 * (a copy graded and deleted, a scratch workbook of the tests), and unfinished
 * ones left for an hour (a build cut short). Each build is a folder of its own,
 * so without this they pile up, run after run. Returns how many it removed.
 */
export function pruneBuilds(): number {
  const now = Date.now();
  const root = path.join(stateDir, 'build');
  let removed = 0;
  for (const name of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    const dir = path.join(root, name);
    if (usable(dir, now)) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    removed++;
  }
  return removed;
}

/** Whether a build folder may still serve: all its files exist, or it is an hour old at most and not finished. */
function usable(dir: string, now: number): boolean {
  try {
    const { inputs } = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    return Object.keys(inputs).every((file) => fs.existsSync(file));
  } catch {
    const made = fs.statSync(dir, { throwIfNoEntry: false })?.mtimeMs;
    return made !== undefined && now - made < 60 * 60 * 1000;
  }
}

/** The bundle of `entry`, when it was built from the files as they are now. */
function upToDate(entry: string): string | undefined {
  try {
    const { inputs, format } = JSON.parse(fs.readFileSync(manifestOf(entry), 'utf8')) as Manifest;
    const outfile = outfileOf(entry, format);
    if (!fs.existsSync(outfile)) return undefined;
    const unchanged = Object.entries(inputs).every(([file, seen]) => {
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      return stat !== undefined && stat.size === seen.size && stat.mtimeMs === seen.mtimeMs;
    });
    return unchanged ? outfile : undefined;
  } catch {
    return undefined;
  }
}

/**
 * In one bundle every module would share the bundle's own location: give each
 * TypeScript file back its own `import.meta.dirname`, `filename` and `url`.
 * A file without `import.meta` is left to esbuild, which reads it itself.
 */
const ownLocation: Plugin = {
  name: 'own-location',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
      const source = sourceOf(args.path);
      if (!source.includes('import.meta.')) return undefined;
      const contents = source
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path))
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
      return { contents, loader: 'ts' };
    });
  },
};

/** Files read for builds, while unchanged: the provided code is in every build of a run that grades many copies. */
const sources = new Map<string, { size: number; mtimeMs: number; text: string }>();

function sourceOf(file: string): string {
  const { size, mtimeMs } = fs.statSync(file);
  const kept = sources.get(file);
  if (kept && kept.size === size && kept.mtimeMs === mtimeMs) return kept.text;
  const text = fs.readFileSync(file, 'utf8');
  sources.set(file, { size, mtimeMs, text });
  return text;
}

function describe(message: Message): string {
  const where = message.location ? `${path.relative(process.cwd(), path.resolve(message.location.file))}:${message.location.line}:${message.location.column + 1}: ` : '';
  return `${where}${message.text}`;
}
