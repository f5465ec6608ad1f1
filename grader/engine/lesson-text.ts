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

/** A rule the exercise states, and the behaviours of the spec that grade it. */
export interface Requirement {
  /** 1-based line of the item in the lesson file. */
  line: number;
  text: string;
  /** Behaviour names from `<!-- graded: a | b -->`; undefined when the item has none. */
  graded?: string[];
  /** The reason from `<!-- not graded: … -->`, for an item that states no rule. */
  notGraded?: string;
}

/**
 * The top-level list items of "## The exercise": each is a requirement and
 * ends with an HTML comment naming the behaviours that grade it, invisible on
 * GitHub, on the site and in the terminal.
 */
export function readRequirements(markdown: string): Requirement[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^## The exercise\s*$/.test(l));
  if (start === -1) return [];
  const items: Requirement[] = [];
  let inFence = false;
  let open: Requirement | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^## /.test(line) && !inFence) break;
    if (/^(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) {
      open = undefined;
      continue;
    }
    if (line.startsWith('- ')) {
      open = { line: i + 1, text: line.slice(2) };
      items.push(open);
    } else if (open && /^\s+\S/.test(line)) open.text += ' ' + line.trim();
    else open = undefined;
  }
  for (const item of items) {
    const graded = item.text.match(/<!--\s*graded:\s*([\s\S]*?)\s*-->/);
    const notGraded = item.text.match(/<!--\s*not graded:\s*([\s\S]*?)\s*-->/);
    if (graded) item.graded = graded[1]!.split('|').map((name) => name.trim()).filter(Boolean);
    if (notGraded) item.notGraded = notGraded[1];
    item.text = withoutComments(item.text).trim();
  }
  return items;
}

/** Markdown without its HTML comments (the requirement links, lint markers). */
export function withoutComments(markdown: string): string {
  // Odd parts are fenced code blocks, which keep their comments (an HTML example).
  return markdown
    .split(/(^(?:```|~~~)[^\n]*\n[\s\S]*?^(?:```|~~~)[ \t]*$)/m)
    .map((part, i) => (i % 2 ? part : part.replace(/[ \t]*<!--[\s\S]*?-->/g, '')))
    .join('');
}

/** Every behaviour name in a `<!-- graded: … -->` comment, wherever it stands in the lesson. */
export function readGradedNames(markdown: string): string[] {
  return [...markdown.matchAll(/<!--\s*graded:\s*([\s\S]*?)\s*-->/g)].flatMap((m) => m[1]!.split('|').map((name) => name.trim()).filter(Boolean));
}
