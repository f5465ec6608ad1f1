// A learner's server runs as plain JavaScript: the exercise is bundled with
// esbuild (a few milliseconds) and started with plain `node`, instead of
// loading a TypeScript loader into every server (a third of a second of CPU
// apiece). Stack traces still point at the learner's .ts lines: the bundle
// keeps an inline source map (see source-locations.ts).
// A build is reused while none of the files it read has changed.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';
import type { Message, Plugin } from 'esbuild';
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
}

/** Bundles `entry` (a .ts file) and returns the path of the JavaScript to run. */
export async function compileServer(entry: string): Promise<string> {
  const outDir = buildDirOf(entry);
  const outfile = path.join(outDir, 'server.mjs');
  const manifestFile = path.join(outDir, 'manifest.json');
  if (upToDate(outfile, manifestFile)) return outfile;

  const { build } = await import('esbuild');
  fs.mkdirSync(outDir, { recursive: true });
  // Written aside, then renamed: two builds at once (two checks, or a spec's own
  // start beside the CLI's prestart in the same process) never meet in one file.
  const temporary = `${outfile}.${process.pid}.${threadId}.${randomBytes(4).toString('hex')}.tmp.mjs`;
  try {
    const result = await build({
      entryPoints: [entry],
      outfile: temporary,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      sourcemap: 'inline',
      sourcesContent: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [ownLocation],
    });
    const inputs: Manifest['inputs'] = {};
    for (const input of Object.keys(result.metafile.inputs)) {
      const file = path.resolve(input);
      const stat = fs.statSync(file);
      inputs[file] = { size: stat.size, mtimeMs: stat.mtimeMs };
    }
    fs.renameSync(temporary, outfile);
    // Written in place: a reader that meets it half-written cannot parse it, and builds again.
    fs.writeFileSync(manifestFile, JSON.stringify({ inputs } satisfies Manifest));
    return outfile;
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    const errors = (error as { errors?: Message[] }).errors;
    if (!errors?.length) throw error;
    const problems = errors.map(describe);
    throw new CompileError(`Your code does not compile: ${problems[0]}`, problems);
  }
}

/** Where the build of `entry` is kept (one folder per entry file). */
export function buildDirOf(entry: string): string {
  return path.join(stateDir, 'build', createHash('sha256').update(entry).digest('hex').slice(0, 16));
}

function upToDate(outfile: string, manifestFile: string): boolean {
  try {
    const { inputs } = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
    if (!fs.existsSync(outfile)) return false;
    return Object.entries(inputs).every(([file, seen]) => {
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      return stat !== undefined && stat.size === seen.size && stat.mtimeMs === seen.mtimeMs;
    });
  } catch {
    return false;
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
