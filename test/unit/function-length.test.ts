// No function in grader/ is longer than 60 lines: a longer one does several
// jobs, and splitting it by concern names each job. Nested functions count
// inside the function that holds them, as a reader meets them.
import fs from 'node:fs';
import path from 'node:path';
import type * as TS from 'typescript';
import { ts } from '../support/typescript.ts';
import { expect, test } from 'vitest';
import { graderRoot } from '../../grader/engine/paths.ts';

const maxLines = 60;


interface LongFunction {
  where: string;
  name: string;
  lines: number;
}

/** Every function-like node with a body longer than `max` lines, in one source file. */
function longFunctions(file: string, text: string, max = maxLines): LongFunction[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: LongFunction[] = [];
  const visit = (node: TS.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > max) found.push({ where: `${file}:${first + 1}`, name: functionName(node), lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function functionName(node: TS.SignatureDeclaration): string {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return '(anonymous)';
}

function sourceFiles(): string[] {
  return fs
    .readdirSync(graderRoot, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|mjs)$/.test(file) && !file.endsWith('.d.ts'))
    .map((file) => file.split(path.sep).join('/'))
    .sort();
}

test(`no function in grader/ is longer than ${maxLines} lines`, () => {
  const long = sourceFiles()
    .flatMap((file) => longFunctions(`grader/${file}`, fs.readFileSync(path.join(graderRoot, file), 'utf8')));
  const report = long.map((f) => `${f.where}: ${f.name} has ${f.lines} lines; split it by concern`).join('\n');
  expect(report, report).toBe('');
});

test('the measure counts a function from its first line to its last, nested ones included', () => {
  const body = Array.from({ length: 59 }, (_, i) => `  const a${i} = ${i};`).join('\n');
  expect(longFunctions('x.ts', `function ok() {\n${body.split('\n').slice(1).join('\n')}\n}`)).toEqual([]);
  const long = longFunctions('x.ts', `export function outer() {\n  const inner = () => {\n${body}\n  };\n}`);
  expect(long.map((f) => [f.name, f.lines])).toEqual([['outer', 63], ['inner', 61]]);
});
