// No block of six or more lines repeats inside grader/specs, within one spec or
// across two: a check written twice is a function (or a table of cases) not yet
// written once. Lines are compared with their white space trimmed; blank lines
// and lines of punctuation alone (`});`, `}`, `)`) are passed over, so a repeat
// cannot hide behind a closing brace.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { specsDir } from '../../grader/engine/paths.ts';

const minLines = 6;

interface SourceFile {
  name: string;
  text: string;
}

interface Repeat {
  first: string;
  again: string;
  lines: string[];
}

/** The lines that count, trimmed, each with its line number (from 1). */
function significantLines(text: string): { line: number; text: string }[] {
  return text
    .split('\n')
    .map((raw, index) => ({ line: index + 1, text: raw.trim() }))
    .filter(({ text }) => text !== '' && !/^[\s{}()[\];,.]*$/.test(text));
}

/** Every place where `min` consecutive significant lines stand again, after the first place they stand. */
function repeats(files: SourceFile[], min = minLines): Repeat[] {
  const seen = new Map<string, string>();
  const found: Repeat[] = [];
  for (const file of files) {
    const lines = significantLines(file.text);
    for (let start = 0; start + min <= lines.length; start++) {
      const window = lines.slice(start, start + min);
      const key = window.map((l) => l.text).join('\n');
      const where = `${file.name}:${window[0]!.line}-${window.at(-1)!.line}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, where);
      else found.push({ first, again: where, lines: window.map((l) => l.text) });
    }
  }
  return found;
}

/** One line a repeat, with the lines it shares, for the failure message. */
function describeRepeats(found: Repeat[]): string[] {
  return found.map(({ first, again, lines }) => `${again} repeats ${first}:\n    ${lines.join('\n    ')}`);
}

describe('the detector', () => {
  const block = ['const a = 1;', 'const b = 2;', 'const c = 3;', 'const d = 4;', 'const e = 5;', 'const f = 6;'];

  test('finds six lines written again in another file, whatever their indentation', () => {
    const found = repeats([
      { name: 'one.ts', text: ['// one', ...block].join('\n') },
      { name: 'two.ts', text: ['if (x) {', ...block.map((l) => `    ${l}`), '}'].join('\n') },
    ]);
    expect(found.map(({ first, again }) => `${again} ~ ${first}`)).toEqual(['two.ts:2-7 ~ one.ts:2-7']);
  });

  test('finds a repeat inside one file, across blank lines and closing punctuation', () => {
    const spaced = [...block.slice(0, 3), '', '});', ...block.slice(3)];
    const found = repeats([{ name: 'one.ts', text: [...block, 'other();', ...spaced].join('\n') }]);
    expect(found.map(({ first, again }) => `${again} ~ ${first}`)).toEqual(['one.ts:8-15 ~ one.ts:1-6']);
  });

  test('lets five lines repeat, and six lines that differ in one', () => {
    const five = block.slice(0, 5);
    const changed = [...block.slice(0, 5), 'const f = 7;'];
    expect(repeats([{ name: 'one.ts', text: [...five, 'x();', ...five, 'y();', ...block, 'z();', ...changed].join('\n') }])).toEqual([]);
  });
});

test(`no ${minLines} lines repeat inside grader/specs`, () => {
  const files = fs
    .readdirSync(specsDir)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => ({ name, text: fs.readFileSync(path.join(specsDir, name), 'utf8') }));
  expect(files.length).toBeGreaterThan(0);
  expect(describeRepeats(repeats(files)), 'Write the repeated lines once: a function of the spec, a table of cases, or a harness helper (grader/engine/spec-helpers.ts) when two specs share them.').toEqual([]);
});
