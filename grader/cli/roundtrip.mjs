// The entry point behind every npm script: `node grader/cli/roundtrip.mjs check 6`.
//
// Plain JavaScript, for speed. The commands are TypeScript; rather than load
// them through a TypeScript loader on every run (hooks that slow every later
// import, Vitest's included), they are bundled once with esbuild into
// .roundtrip/cli/, and bundled again only when a source file is newer.
import fs from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';

const cliDir = path.dirname(fileURLToPath(import.meta.url));
const graderDir = path.dirname(cliDir);
const commandsDir = path.join(cliDir, 'commands');
const commands = fs
  .readdirSync(commandsDir)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => name.slice(0, -3));
const [command = 'menu', ...args] = process.argv.slice(2);

if (['help', '--help', '-h'].includes(command)) {
  console.log(`Usage: node grader/cli/roundtrip.mjs <command> [options]   (npm run <command> -- [options])\nCommands: ${commands.join(', ')}.\n\`npm run <command> -- --help\` shows a command's options.`);
  process.exit(0);
}
if (!commands.includes(command)) {
  console.error(`Unknown command "${command}". Commands: ${commands.join(', ')}.`);
  process.exit(2);
}

// Node 22.1 and later can keep compiled code on disk: Vitest and Vite load
// faster from the second run on (the servers we start inherit the setting).
if (module.enableCompileCache) {
  process.env.NODE_COMPILE_CACHE ??= path.join(path.dirname(graderDir), '.roundtrip', 'compile-cache');
  module.enableCompileCache(process.env.NODE_COMPILE_CACHE);
}

// undici's HTTP parser is WebAssembly. V8 compiles it quickly, then again,
// optimized, in the background: about a tenth of a second of CPU in every
// grading worker, which a check never gets back, and which its exit waits for.
v8.setFlagsFromString('--liftoff-only');

// Bundled code cannot find its own folder from import.meta.url: tell it.
process.env.ROUNDTRIP_GRADER_ROOT = graderDir;

const outDir = path.join(path.dirname(graderDir), '.roundtrip', 'cli');
// The site builder lives beside the grader, in website/.
const newestSource = Math.max(...[graderDir, path.join(path.dirname(graderDir), 'website')].map(newestIn));
const bundle = await bundled(path.join(commandsDir, `${command}.ts`), path.join(outDir, `${command}.mjs`));
// The specs' harness too, for the grader's workers: loaded by Node itself, a
// worker has it ready before the first spec asks (see grader-run.ts). Without
// a source map: Vitest would decode a large inline one for every failure.
process.env.ROUNDTRIP_HARNESS_BUNDLE = await bundled(path.join(graderDir, 'engine', 'harness.ts'), path.join(outDir, 'harness.mjs'), false);
const { run } = await import(pathToFileURL(bundle).href);
const code = await run(args);
// Done: leave now rather than wait for idle handles (Vitest's pool, timers) to
// wind down, once everything written has been flushed.
process.stdout.write('', () => process.stderr.write('', () => process.exit(typeof code === 'number' ? code : 0)));

/** `entry` bundled into `out`, again only when a source file is newer. */
async function bundled(entry, out, sourcemap = 'inline') {
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= newestSource) return out;
  const { build } = await import('esbuild');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // Written aside, then renamed: parallel runs never load a half-written bundle.
  const temporary = `${out}.${process.pid}.tmp.mjs`;
  await build({
    entryPoints: [entry],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap,
    logLevel: 'error',
  });
  fs.renameSync(temporary, out);
  return out;
}

/** The time of the newest TypeScript file under `dir` (the specs aside: Vitest loads them). */
function newestIn(dir) {
  if (!fs.existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'specs') newest = Math.max(newest, newestIn(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}
