// Inline code in the terminal is literal: `&amp;` in a lesson stays `&amp;`
// (an HTML-escaping lesson teaches exactly those characters), while an entity
// in running text still shows as the character it stands for.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, onTestFinished, test, vi } from 'vitest';
import { renderMarkdown } from '../../grader/cli/terminal-markdown.ts';
import { workbookRoot } from '../../grader/engine/paths.ts';

test('inline code keeps its entities, in a paragraph and in a list item', async () => {
  vi.stubEnv('NO_COLOR', '1');
  onTestFinished(() => {
    vi.unstubAllEnvs();
  });
  const out = await renderMarkdown('Escape `&` as `&amp;` and `<` as `&lt;`.\n\n- `&quot;` and `&#39;`, text &amp; more\n', 80);
  expect(out).toContain('`&amp;`');
  expect(out).toContain('`&lt;`');
  expect(out).toContain('`&quot;` and `&#39;`');
  expect(out).toContain('text & more');
  expect(out).not.toContain('\uE001');
});

// cli-highlight would load highlight.js with all its languages, a tenth of a second of every
// `npm run lesson`: it gets the core with the lessons' languages. Checked in a process of its own,
// where nothing else has loaded highlight.js first.
test('code is coloured by language, with only the languages the lessons use loaded', () => {
  const script = [
    "Object.defineProperty(process.stdout, 'isTTY', { value: true });",
    "const { renderMarkdown } = await import('./grader/cli/terminal-markdown.ts');",
    "const out = await renderMarkdown('```ts\\nconst a: number = 1;\\n```\\n\\n```python\\ndef f(): pass\\n```\\n');",
    "const { createRequire } = await import('node:module');",
    "const fromCliHighlight = createRequire(createRequire(createRequire(import.meta.url).resolve('marked-terminal')).resolve('cli-highlight'));",
    "const hljs = fromCliHighlight('highlight.js');",
    'console.log(JSON.stringify({ out, languages: hljs.listLanguages().length }));',
  ].join('\n');
  const tsx = path.join(workbookRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const { NO_COLOR: _noColor, ...env } = process.env;
  const run = spawnSync(process.execPath, [tsx, '--input-type=module', '-e', script], { cwd: workbookRoot, encoding: 'utf8', env: { ...env, FORCE_COLOR: '3' } });
  expect(run.stderr).toBe('');
  const { out, languages } = JSON.parse(run.stdout) as { out: string; languages: number };
  expect(out).toContain('\u001b[34mconst\u001b[39m');
  expect(out).toContain('\u001b[34mdef\u001b[39m');
  expect(languages).toBeLessThan(20);
});
