// Learner servers run precompiled (grader/engine/compile.ts): stack traces
// must still name the learner's .ts file and line, each module keeps its own
// import.meta.dirname, syntax errors name file, line and column, and an
// unchanged exercise is not rebuilt. Copies built together (compileServers)
// are the same builds, kept and used as if each had been built alone.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { buildDirOf, CompileError, compileServer, compileServers, pruneBuilds } from '../grader/engine/compile.ts';
import { stateDir } from '../grader/engine/paths.ts';
import { LearnerServer } from '../grader/engine/server-process.ts';
import { originalLocations } from '../grader/engine/source-locations.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtrip-compile-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

test('a stack trace points at the line of the .ts file that threw', async () => {
  write('lib/fail.ts', ['// line 1', 'type Unused = { a: number };', '', 'export function fail(): never {', "  throw new Error('boom from line 5');", '}', ''].join('\n'));
  write(
    'server.ts',
    [
      "import net from 'node:net';",
      "import { fail } from './lib/fail.ts';",
      "console.log('dirname ' + import.meta.dirname);",
      'net.createServer().listen(Number(process.env.PORT), () => {',
      '  try { fail(); } catch (error) { console.error((error as Error).stack); }',
      '});',
      '',
    ].join('\n'),
  );
  const server = await LearnerServer.start({ dir, startTimeoutMs: 30_000 });
  try {
    await server.barrier(10_000);
    const text = server.output.map((l) => l.text).join('\n');
    expect(text).toContain('boom from line 5');
    expect(text).toMatch(new RegExp(`${path.join(dir, 'lib', 'fail.ts').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:9`));
    expect(text).toContain(`dirname ${dir}`);
  } finally {
    await server.stop();
  }
});

test('an uncaught error names the .ts file and line, and nothing of the bundle', async () => {
  write('crash/lib/fail.ts', ['// line 1', 'type Unused = { a: number };', '', 'export function fail(): never {', "  throw new Error('crash from line 5');", '}', ''].join('\n'));
  write('crash/server.ts', ["import net from 'node:net';", "import { fail } from './lib/fail.ts';", 'net.createServer().listen(Number(process.env.PORT), () => setTimeout(fail, 10));', ''].join('\n'));
  const server = await LearnerServer.start({ dir: path.join(dir, 'crash'), startTimeoutMs: 30_000 });
  try {
    expect(await server.waitForExit(10_000)).toBe(true);
    // The pipes may deliver the last lines just after the exit; Node's version comes last.
    const text = await outputOnceIt(server, 'Node.js v');
    const failFile = path.join(dir, 'crash', 'lib', 'fail.ts');
    // Node's heading above the code (file:line), then the frames (file:line:column).
    expect(text.split('\n')).toContain(`${failFile}:5`);
    expect(text).toContain(`${failFile}:5:9`);
    expect(text).not.toMatch(/server\.[cm]js/);
  } finally {
    await server.stop();
  }
});

// CommonJS starts faster (no ES module loader): every server that can be one is.
test.each([
  ['plain code', 'console.log(typeof this, import.meta.dirname === undefined);', 'cjs', 'undefined false'],
  ['a top-level await', 'const value = await Promise.resolve(42);\nconsole.log(value);', 'esm', '42'],
  ['import.meta.resolve', "console.log(typeof import.meta.resolve('node:fs'));", 'esm', 'string'],
])('a server with %s runs as %s, as it would as an ES module', async (name, code, format, printed) => {
  const entry = write(`format-${format}-${name.replace(/\W/g, '')}/server.ts`, `${code}\nexport {};\n`);
  const bundle = await compileServer(entry);
  expect(path.extname(bundle)).toBe(format === 'cjs' ? '.cjs' : '.mjs');
  const run = spawnSync(process.execPath, [bundle], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.stdout.trim()).toBe(printed);
});

test('a syntax error names the file, line and column', async () => {
  const entry = write('broken/server.ts', 'const a = 1;\nconst b = = 2;\n');
  const error = await compileServer(entry).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CompileError);
  expect((error as CompileError).message).toMatch(/broken\/server\.ts:2:11: Unexpected "="/);
});

test('an unchanged exercise is not rebuilt; a changed one is', async () => {
  const entry = write('cached/server.ts', 'console.log(1);\n');
  const first = await compileServer(entry);
  const builtAt = fs.statSync(first).mtimeMs;
  expect(await compileServer(entry)).toBe(first);
  expect(fs.statSync(first).mtimeMs).toBe(builtAt);
  write('cached/server.ts', 'console.log(22);\n');
  await compileServer(entry);
  expect(fs.readFileSync(first, 'utf8')).toContain('22');
});

test('copies built together are kept as if each had been built alone: used without a rebuild, and a change still rebuilds one', async () => {
  const shared = write('batch/shared.ts', ['// line 1', 'export function fail(): never {', "  throw new Error('boom from line 3');", '}', ''].join('\n'));
  const entries = ['a', 'b', 'c'].map((copy) =>
    write(`batch/${copy}/server.ts`, [`import { fail } from '../shared.ts';`, `console.log('copy ${copy} in ' + import.meta.dirname);`, 'try { fail(); } catch (error) { console.error((error as Error).stack); }', ''].join('\n')),
  );
  await compileServers(entries);
  for (const [index, entry] of entries.entries()) {
    const built = await compileServer(entry);
    const at = fs.statSync(built).mtimeMs;
    // Already there: compileServer keeps it as it is.
    expect(await compileServer(entry)).toBe(built);
    expect(fs.statSync(built).mtimeMs).toBe(at);
    // Its own import.meta.dirname, and a source map that leads back to the shared .ts file.
    const run = spawnSync(process.execPath, [built], { encoding: 'utf8' });
    expect(run.stdout).toContain(`copy ${'abc'[index]} in ${path.dirname(entry)}`);
    expect(originalLocations(built)(run.stderr)).toContain(`${shared}:3:9`);
  }
  // Each build knows the shared file it read: a change there builds each one again.
  const before = fs.readFileSync(await compileServer(entries[0]!), 'utf8');
  write('batch/shared.ts', fs.readFileSync(shared, 'utf8').replace('boom from line 3', 'bang from line 3'));
  expect(fs.readFileSync(await compileServer(entries[0]!), 'utf8')).not.toBe(before);
  expect(fs.readFileSync(await compileServer(entries[0]!), 'utf8')).toContain('bang from line 3');
});

test('a batch with one copy that does not compile keeps none, and that copy still gets its own error', async () => {
  const good = write('mixed/good/server.ts', "console.log('good');\n");
  const bad = write('mixed/bad/server.ts', 'const a = = 1;\n');
  await compileServers([good, bad]);
  const error = await compileServer(bad).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CompileError);
  expect((error as CompileError).message).toMatch(/mixed\/bad\/server\.ts:1:11: Unexpected "="/);
  expect(fs.readFileSync(await compileServer(good), 'utf8')).toContain("console.log(\"good\")");
});

/** Everything the server printed, once a line holds `needle` (or after 10 s). */
async function outputOnceIt(server: LearnerServer, needle: string): Promise<string> {
  const text = () => server.output.map((l) => l.text).join('\n');
  for (const deadline = Date.now() + 10_000; !text().includes(needle) && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 20));
  return text();
}

test('builds whose files are gone, and unfinished ones an hour old, are pruned; the others stay', async () => {
  const scratch = path.join(stateDir, 'scratch', `prune-${process.pid}`);
  const entry = path.join(scratch, 'gone', 'server.ts');
  const kept = path.join(scratch, 'kept', 'server.ts');
  for (const file of [entry, kept]) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "import './lib.ts';\n");
    fs.writeFileSync(path.join(path.dirname(file), 'lib.ts'), 'export {};\n');
    await compileServer(file);
  }
  // Unfinished builds: one just begun (another run's, say), one left two hours ago.
  const unfinished = path.join(stateDir, 'build', `unfinished-${process.pid}`);
  const abandoned = path.join(stateDir, 'build', `abandoned-${process.pid}`);
  fs.mkdirSync(unfinished, { recursive: true });
  fs.mkdirSync(abandoned, { recursive: true });
  const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
  fs.utimesSync(abandoned, twoHoursAgo, twoHoursAgo);
  try {
    // One file of a build gone is enough: that build can never be used again.
    fs.rmSync(path.join(path.dirname(entry), 'lib.ts'));
    pruneBuilds();
    expect(fs.existsSync(buildDirOf(entry))).toBe(false);
    expect(fs.existsSync(buildDirOf(kept))).toBe(true);
    expect(fs.existsSync(unfinished)).toBe(true);
    expect(fs.existsSync(abandoned)).toBe(false);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(unfinished, { recursive: true, force: true });
    pruneBuilds();
  }
});
