// Every symbol and colour the CLI prints comes from here. Colour only ever
// repeats what a symbol or word already says, so output reads the same with
// NO_COLOR or when piped to a file.

export const symbols = {
  pass: '✓',
  fail: '×',
  todo: '○',
  pointer: '❯',
  bullet: '•',
  bar: '│',
  arrow: '→',
} as const;

function colourEnabled(): boolean {
  if ('NO_COLOR' in process.env && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return process.stdout.isTTY === true;
}

const enabled = colourEnabled();
const paint = (open: number, close: number) => (text: string) =>
  enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;

export const colour = {
  bold: paint(1, 22),
  dim: paint(2, 22),
  red: paint(31, 39),
  green: paint(32, 39),
  yellow: paint(33, 39),
  cyan: paint(36, 39),
};

/** "2 failed | 5 passed (7)": failures first, zero counts left out. */
export function totals(counts: { failed: number; passed: number; skipped?: number }): string {
  const parts = [
    counts.failed ? colour.red(`${counts.failed} failed`) : '',
    counts.passed ? colour.green(`${counts.passed} passed`) : '',
    counts.skipped ? colour.yellow(`${counts.skipped} skipped`) : '',
  ].filter(Boolean);
  const all = counts.failed + counts.passed + (counts.skipped ?? 0);
  return `${parts.join(' | ') || 'no tests'} ${colour.dim(`(${all})`)}`;
}

/** Indents every line of a block. */
export function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}
