// Worker thread for typecheck.ts: type-checks one lesson's files with the
// TypeScript compiler API and the project's tsconfig.json. Plain JavaScript,
// so it runs without a TypeScript loader (and beside the bundled CLI).
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import ts from 'typescript';

/** workerData: { tsconfig, files: [absolute paths], reportUnder: folder } */
const { tsconfig, files, reportUnder } = workerData;
const config = ts.readConfigFile(tsconfig, ts.sys.readFile);
const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, path.dirname(tsconfig));
const program = ts.createProgram(files, { ...options, noEmit: true, incremental: false });
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
parentPort.postMessage({ errors, inputs: inputs.filter((f) => fs.existsSync(f)) });
