// Inline code in the terminal is literal: `&amp;` in a lesson stays `&amp;`
// (an HTML-escaping lesson teaches exactly those characters), while an entity
// in running text still shows as the character it stands for.
import { expect, onTestFinished, test, vi } from 'vitest';
import { renderMarkdown } from '../../grader/cli/terminal-markdown.ts';

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
