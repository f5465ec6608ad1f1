// A spec talks to the engine through one door, the harness: it imports
// nothing else of the engine, never edits a recorded exchange (what is shown
// is always what was sent, built by the engine from the request's
// description), and draws random values only from the seeded stream, so a
// failing case can be replayed with ROUNDTRIP_SEED.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { specsDir } from '../grader/engine/paths.ts';

const specs = fs.readdirSync(specsDir).filter((f) => f.endsWith('.spec.ts'));

describe.each(specs)('%s', (file) => {
  const source = fs.readFileSync(path.join(specsDir, file), 'utf8');

  test('imports the harness and nothing else of the engine', () => {
    const imports = [...source.matchAll(/^\s*import\b[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
    expect(imports).toContain('../engine/harness.ts');
    expect(imports.filter((from) => from !== '../engine/harness.ts' && !from.startsWith('node:'))).toEqual([]);
  });

  test('never edits a recorded exchange', () => {
    const edits = source.split('\n').filter((line) => /\b(lastExchange|exchange)\b[\w.!?\]\[]*\s*(=|\?\?=)(?!=)/.test(line));
    expect(edits).toEqual([]);
  });

  test('takes random values from the seeded stream only (t.hex, t.random)', () => {
    expect(source).not.toMatch(/Math\.random|randomBytes|randomUUID|randomInt/);
  });
});
