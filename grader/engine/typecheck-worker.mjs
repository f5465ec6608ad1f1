// Worker thread for typecheck.ts: type-checks lesson files with the
// TypeScript compiler API and the project's tsconfig.json. Plain JavaScript,
// so it runs without a TypeScript loader (and beside the bundled CLI).
//
// Started with workerData { tsconfig, codeCacheDir, files, reportUnder } it checks once.
// Watch mode keeps it and sends more checks as messages { files, reportUnder }:
// it keeps every parsed file (the libraries, @types/node) and parses again
// only a file that changed, so a check after a save takes a tenth of the first.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';

const { tsconfig } = workerData;
const compilerFile = createRequire(import.meta.url).resolve('typescript');
const codeCache = path.join(workerData.codeCacheDir, `typescript-${fileStamp(compilerFile)}-${process.version}-${process.arch}.bin`);
const { ts, saveCodeCache } = loadCompiler();
const config = ts.readConfigFile(tsconfig, ts.sys.readFile);
const options = { ...ts.parseJsonConfigFileContent(config.config, ts.sys, path.dirname(tsconfig)).options, noEmit: true, incremental: false };
const host = ts.createCompilerHost(options);
// As tsc itself does (TypeScript 5.3 on): JSDoc is parsed only where it can change a type error,
// in JavaScript files. @types/node is mostly JSDoc, and scanning it was a good part of a check.
host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
const parsed = new Map();
const parse = host.getSourceFile;
host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
  const stat = fs.statSync(fileName, { throwIfNoEntry: false });
  const version = stat ? `${stat.mtimeMs}:${stat.size}` : '';
  const kept = parsed.get(fileName);
  if (kept && kept.version === version) return kept.source;
  const source = parse.call(host, fileName, languageVersion, onError, shouldCreate);
  if (source) parsed.set(fileName, { version, source });
  return source;
};
let previous;

/** { files: absolute paths, reportUnder: folder } → errors in files under reportUnder, and every file read. */
function check({ files, reportUnder }) {
  const program = ts.createProgram({ rootNames: files, options, host, oldProgram: previous });
  previous = program;
  const errors = [];
  const inputs = [];
  for (const source of program.getSourceFiles()) {
    const file = path.resolve(source.fileName);
    if (file.includes(`${path.sep}node_modules${path.sep}`) || program.isSourceFileDefaultLibrary(source)) continue;
    inputs.push(file);
    if (!file.startsWith(reportUnder + path.sep)) continue;
    for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const { line, character } = source.getLineAndCharacterOfPosition(d.start ?? 0);
      errors.push({ file, line: line + 1, column: character + 1, code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') });
    }
  }
  return { errors, inputs: inputs.filter((f) => fs.existsSync(f)) };
}

/**
 * The compiler, compiled from V8's code cache when there is one. typescript.js
 * is 9 MB of JavaScript: compiling it took 0.43 s through import (which also
 * scans CommonJS for its export names), 0.16 s as a script, 0.07 s from the
 * cache; the functions the last check compiled come from the cache too, so
 * parsing and checking are quicker as well. Node 22's module.enableCompileCache
 * does this for every module; Node 20 has only vm.Script's cachedData.
 */
function loadCompiler() {
  const source = fs.readFileSync(compilerFile, 'utf8');
  let cachedData;
  try {
    cachedData = fs.readFileSync(codeCache);
  } catch {
    // No cache yet: this check makes it.
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: compilerFile, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(compilerFile), module, compilerFile, path.dirname(compilerFile));
  let fresh = cachedData === undefined || script.cachedDataRejected;
  return {
    ts: module.exports,
    /** After a check, so the cache holds what parsing and checking compiled; once. A lost race or a full disk only costs the next check its speed. */
    saveCodeCache: () => {
      if (!fresh) return;
      fresh = false;
      try {
        fs.mkdirSync(path.dirname(codeCache), { recursive: true });
        removeAbandoned(path.dirname(codeCache));
        const partial = `${codeCache}.${process.pid}.tmp`;
        fs.writeFileSync(partial, script.createCachedData());
        fs.renameSync(partial, codeCache);
      } catch {
        // Left without a cache.
      }
    },
  };
}

/** Partial caches of checks that were stopped while they wrote (a minute is far longer than a write takes). */
function removeAbandoned(dir) {
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (name.endsWith('.tmp') && Date.now() - fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs > 60_000) fs.rmSync(file, { force: true });
  }
}

/** Changes whenever the file does (an upgrade of TypeScript): V8 would reject the old cache anyway. */
function fileStamp(file) {
  const { size, mtimeMs } = fs.statSync(file);
  return `${size}-${Math.round(mtimeMs)}`;
}

function answer(request) {
  const result = check(request);
  // Before the answer: a one-off check's worker is ended as soon as it has answered.
  saveCodeCache();
  parentPort.postMessage(result);
}

if (workerData.files) answer(workerData);
parentPort.on('message', answer);
