// Reads the parts of a lesson's Markdown that the CLI and the tests need:
// its "## " sections, and the numbered hints under "## Hints".

export interface Section {
  title: string;
  /** The section's Markdown, without its heading. */
  body: string;
}

export function readSections(markdown: string): Section[] {
  const sections: Section[] = [];
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^(```|~~~)/.test(line)) inFence = !inFence;
    const heading = !inFence && line.match(/^## (.+)$/);
    if (heading) sections.push({ title: heading[1]!.trim(), body: '' });
    else if (sections.length) sections.at(-1)!.body += line + '\n';
  }
  return sections;
}

/** The items of the numbered list under "## Hints", in order. */
export function readHints(markdown: string): string[] {
  const body = readSections(markdown).find((s) => s.title === 'Hints')?.body ?? '';
  const hints: string[] = [];
  for (const line of body.split('\n')) {
    const item = line.match(/^\d+\.\s+(.*)$/);
    if (item) hints.push(item[1]!);
    else if (hints.length && /^\s+\S/.test(line)) hints[hints.length - 1] += ' ' + line.trim();
  }
  return hints;
}

/** The lesson without its hints, which are handed out one at a time instead. */
export function withoutHints(markdown: string, hintCommand: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^## Hints\s*$/.test(l));
  if (start === -1) return markdown;
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end === -1) end = lines.length;
  const note = ['## Hints', '', `Stuck? \`${hintCommand}\` shows the hints one at a time, from a nudge to nearly the answer.`, ''];
  return [...lines.slice(0, start), ...note, ...lines.slice(end)].join('\n');
}
