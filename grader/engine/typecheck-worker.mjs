// Worker thread for typecheck.ts: type-checks lesson files with the
// TypeScript compiler API and the project's tsconfig.json. Plain JavaScript,
// so it runs without a TypeScript loader (and beside the bundled CLI).
//
// Started with workerData { tsconfig, files, reportUnder } it checks once.
// Watch mode keeps it and sends more checks as messages { files, reportUnder }:
// it keeps every parsed file (the libraries, @types/node) and parses again
// only a file that changed, so a check after a save takes a tenth of the first.
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import ts from 'typescript';

const { tsconfig } = workerData;
const config = ts.readConfigFile(tsconfig, ts.sys.readFile);
const options = { ...ts.parseJsonConfigFileContent(config.config, ts.sys, path.dirname(tsconfig)).options, noEmit: true, incremental: false };
const host = ts.createCompilerHost(options);
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

if (workerData.files) parentPort.postMessage(check(workerData));
parentPort.on('message', (request) => parentPort.postMessage(check(request)));
