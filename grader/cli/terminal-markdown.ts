// Markdown for an 80-column terminal (marked-terminal, adjusted): code blocks
// keep their lines (a wide one runs past the edge rather than break mid-token),
// list items wrap between words with a hanging indent, and tables shrink their
// widest columns to fit, wrapping cells between words. Colour only on a
// terminal, none with NO_COLOR.
import { createRequire, type Module } from 'node:module';
import type { Tokens } from 'marked';

/** Stands for '&' in inline code until the end, out of reach of unescaping. */
const ampersand = '\uE001';

/** Marks code lines so that list wrapping leaves them alone; removed at the end. */
const keep = '\uE000';
const ansi = /\u001b\[[0-9;]*m/g;
const visible = (text: string) => [...text.replace(ansi, '').replaceAll(keep, '')].length;

export async function renderMarkdown(markdown: string, width = Math.min(process.stdout.columns || 80, 100)): Promise<string> {
  // marked-terminal colours through chalk: tell chalk before it loads.
  const plain = !process.stdout.isTTY || ('NO_COLOR' in process.env && process.env.NO_COLOR !== '');
  if (plain) process.env.FORCE_COLOR = '0';
  highlightOnlyLessonLanguages();
  const { Marked } = await import('marked');
  const { markedTerminal } = await import('marked-terminal');
  const tableOptions: Record<string, unknown> = {};
  const extension = markedTerminal({
    width,
    reflowText: true,
    tab: 2,
    tableOptions,
    // Without colour, inline code keeps its backticks: it must still read as code.
    ...(plain ? { codespan: (code: string) => `\`${code}\`` } : {}),
  } as never) as { renderer: Record<string, (this: unknown, ...args: unknown[]) => string> };
  const base = { ...extension.renderer };
  extension.renderer.code = function (...args) {
    return base.code!.apply(this, args).split('\n').map((line) => (line.trim() ? keep + line : line)).join('\n');
  };
  // Code is literal, but marked-terminal unescapes the paragraph or list around
  // it, which would turn `&amp;` into `&`: keep its '&' out of reach until the end.
  extension.renderer.codespan = function (token) {
    const text = typeof token === 'string' ? token : (token as Tokens.Codespan).text;
    const literal = text.replaceAll('&', ampersand);
    return base.codespan!.call(this, typeof token === 'string' ? literal : { ...(token as Tokens.Codespan), text: literal });
  };
  extension.renderer.list = function (...args) {
    return wrapListLines(base.list!.apply(this, args), width);
  };
  extension.renderer.table = function (token) {
    for (const key of Object.keys(tableOptions)) delete tableOptions[key];
    Object.assign(tableOptions, fittedColumns(token as Tokens.Table, width));
    return base.table!.call(this, token);
  };
  const marked = new Marked(extension as never);
  // marked-terminal prints the inline Markdown of list items raw (**, `, links); render it.
  marked.use({
    renderer: {
      text(token: Tokens.Text | Tokens.Escape) {
        return 'tokens' in token && token.tokens ? this.parser.parseInline(token.tokens) : token.text;
      },
    },
  });
  return marked.parse(markdown, { async: false }).replaceAll(keep, '').replaceAll(ampersand, '&');
}

/** The languages of the lessons' code blocks (`ts`, `sh`, `text`, …, by their aliases). */
const lessonLanguages = ['typescript', 'javascript', 'bash', 'shell', 'python', 'xml', 'css', 'json', 'http', 'nginx', 'diff', 'plaintext'];

/**
 * marked-terminal colours code through cli-highlight, which loads highlight.js
 * with all its 190 languages: 0.1 s of the 0.28 s a `npm run lesson` takes.
 * Give cli-highlight, in the require cache, highlight.js's core with the
 * languages the lessons use instead (a block without a language is guessed
 * among those).
 */
function highlightOnlyLessonLanguages(): void {
  try {
    const require = createRequire(createRequire(import.meta.url).resolve('marked-terminal'));
    const fromCliHighlight = createRequire(require.resolve('cli-highlight'));
    const full = fromCliHighlight.resolve('highlight.js');
    if (require.cache[full]) return;
    const core = fromCliHighlight('highlight.js/lib/core') as { registerLanguage(name: string, language: unknown): void };
    for (const name of lessonLanguages) core.registerLanguage(name, fromCliHighlight(`highlight.js/lib/languages/${name}`));
    require.cache[full] = { id: full, filename: full, loaded: true, exports: core } as Module;
  } catch {
    // Another layout of node_modules: cli-highlight loads highlight.js whole, as it would anyway.
  }
}

/** Lines wider than `width` wrapped between words, under their own text (after the bullet). */
export function wrapListLines(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((line) => {
      if (line.includes(keep) || visible(line) <= width) return [line];
      const [, lead = '', rest = ''] = /^((?:\s|\u001b\[[0-9;]*m)*(?:(?:[*•-]|\d+\.) )?)(.*)$/s.exec(line)!;
      const hanging = ' '.repeat(visible(lead));
      const out: string[] = [];
      let current = lead;
      let empty = true;
      for (const word of rest.split(' ')) {
        if (!empty && visible(current) + 1 + visible(word) > width) {
          out.push(current);
          current = hanging + word;
        } else {
          current += (empty ? '' : ' ') + word;
        }
        empty = false;
      }
      return [...out, current];
    })
    .join('\n');
}

/** cli-table3 column widths that fit `width`: the widest columns give way first. */
export function fittedColumns(token: Tokens.Table, width: number): { colWidths?: number[]; wordWrap?: boolean } {
  const plain = (text: string) => text.replace(/`/g, '').replace(/\*\*/g, '');
  const natural = token.header.map((cell, i) => Math.max(plain(cell.text).length, ...token.rows.map((row) => plain(row[i]?.text ?? '').length)) + 2);
  const borders = natural.length + 1;
  if (natural.reduce((a, b) => a + b, 0) + borders <= width) return {};
  const widths = [...natural];
  while (widths.reduce((a, b) => a + b, 0) + borders > width) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= 8) break;
    widths[widest]!--;
  }
  return { colWidths: widths, wordWrap: true };
}
