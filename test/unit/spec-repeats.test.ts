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

interface Place {
  file: string;
  /** Line numbers (from 1) of the first and last line of the run. */
  from: number;
  to: number;
}

interface Repeat {
  first: Place;
  again: Place;
  lines: string[];
}

const show = (place: Place) => `${place.file}:${place.from}-${place.to}`;

/** The lines that count, trimmed, each with its line number (from 1). */
function significantLines(text: string): { line: number; text: string }[] {
  return text
    .split('\n')
    .map((raw, index) => ({ line: index + 1, text: raw.trim() }))
    .filter(({ text }) => text !== '' && !/^[\s{}()[\];,.]*$/.test(text));
}

/**
 * Every place where `min` or more consecutive significant lines stand again,
 * after the first place they stand: one entry a run, however long.
 */
function repeats(files: SourceFile[], min = minLines): Repeat[] {
  // Each window of `min` lines, by its text: where it first stands (file and window index).
  const seen = new Map<string, { place: Place; index: number }>();
  const found: Repeat[] = [];
  for (const file of files) {
    const lines = significantLines(file.text);
    // The run being extended: its last window here, and the last window it repeats.
    let run: { repeat: Repeat; index: number; earlier: { file: string; index: number } } | undefined;
    for (let index = 0; index + min <= lines.length; index++) {
      const window = lines.slice(index, index + min);
      const key = window.map((l) => l.text).join('\n');
      const place = { file: file.name, from: window[0]!.line, to: window.at(-1)!.line };
      const earlier = seen.get(key);
      if (earlier === undefined) {
        seen.set(key, { place, index });
        run = undefined;
      } else if (run && run.index === index - 1 && run.earlier.file === earlier.place.file && run.earlier.index === earlier.index - 1) {
        // The same run goes on, one line further on both sides.
        run.repeat.again.to = place.to;
        run.repeat.first.to = earlier.place.to;
        run.repeat.lines.push(window.at(-1)!.text);
        run = { ...run, index, earlier: { file: earlier.place.file, index: earlier.index } };
      } else {
        const repeat = { first: { ...earlier.place }, again: place, lines: window.map((l) => l.text) };
        found.push(repeat);
        run = { repeat, index, earlier: { file: earlier.place.file, index: earlier.index } };
      }
    }
  }
  return found;
}

/** One entry a repeat, with the lines it shares, for the failure message. */
function describeRepeats(found: Repeat[]): string[] {
  return found.map(({ first, again, lines }) => `${show(again)} repeats ${show(first)}:\n    ${lines.join('\n    ')}`);
}

describe('the detector', () => {
  const block = ['const a = 1;', 'const b = 2;', 'const c = 3;', 'const d = 4;', 'const e = 5;', 'const f = 6;'];

  test('finds six lines written again in another file, whatever their indentation', () => {
    const found = repeats([
      { name: 'one.ts', text: ['// one', ...block].join('\n') },
      { name: 'two.ts', text: ['if (x) {', ...block.map((l) => `    ${l}`), '}'].join('\n') },
    ]);
    expect(found.map(({ first, again }) => `${show(again)} ~ ${show(first)}`)).toEqual(['two.ts:2-7 ~ one.ts:2-7']);
  });

  test('finds a repeat inside one file, across blank lines and closing punctuation', () => {
    const spaced = [...block.slice(0, 3), '', '});', ...block.slice(3)];
    const found = repeats([{ name: 'one.ts', text: [...block, 'other();', ...spaced].join('\n') }]);
    expect(found.map(({ first, again }) => `${show(again)} ~ ${show(first)}`)).toEqual(['one.ts:8-15 ~ one.ts:1-6']);
  });

  test('reports a longer repeat once, with all its lines', () => {
    const longer = [...block, 'const g = 7;', 'const h = 8;'];
    const found = repeats([{ name: 'one.ts', text: [...longer, 'other();', ...longer].join('\n') }]);
    expect(found.map(({ first, again, lines }) => `${show(again)} ~ ${show(first)} (${lines.length} lines)`)).toEqual(['one.ts:10-17 ~ one.ts:1-8 (8 lines)']);
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
