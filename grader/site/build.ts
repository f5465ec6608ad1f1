// Builds the lessons into a small static site: an index, one page per lesson
// with previous/next links, highlighted code, hints folded away, and one CSS
// file. Every link is relative and nothing is fetched from the network, so it
// works opened straight from disk (file://) and on any static host.
import fs from 'node:fs';
import path from 'node:path';
import { Marked, type Token, type Tokens } from 'marked';
import { readHints } from '../engine/lesson-text.ts';
import { discoverLessons, type Lesson } from '../engine/lessons.ts';
import { graderRoot, lessonsDir } from '../engine/paths.ts';
import { escapeHtml, highlight, highlights } from './highlight.ts';
import { Slugger, plainText } from './slug.ts';

/** Marks a folder as built by `npm run site`, so a rebuild may empty it. */
export const siteMarker = '.roundtrip-site';

export class SiteFolderError extends Error {}

export interface BuiltSite {
  outDir: string;
  index: string;
  pages: string[];
}

export function pageName(lesson: Lesson): string {
  return `${lesson.id}.html`;
}

export function buildSite(outDir: string, lessons: Lesson[] = discoverLessons()): BuiltSite {
  prepareFolder(outDir);
  fs.copyFileSync(path.join(graderRoot, 'site', 'style.css'), path.join(outDir, 'style.css'));
  const pages = lessons.map((lesson, i) => {
    const file = path.join(outDir, pageName(lesson));
    fs.writeFileSync(file, lessonPage(lesson, lessons[i - 1], lessons[i + 1], outDir));
    return file;
  });
  const index = path.join(outDir, 'index.html');
  fs.writeFileSync(index, indexPage(lessons));
  fs.writeFileSync(path.join(outDir, siteMarker), 'Built by `npm run site`: this folder is emptied and rebuilt each time.\n');
  return { outDir, index, pages };
}

/** An empty folder to write into; never one that holds anything but an earlier build. */
function prepareFolder(outDir: string): void {
  if (fs.existsSync(outDir)) {
    const entries = fs.readdirSync(outDir);
    if (entries.length && !entries.includes(siteMarker)) {
      throw new SiteFolderError(`${outDir} already holds files that \`npm run site\` did not make. Choose another folder with --out.`);
    }
    fs.rmSync(outDir, { recursive: true, force: true });
  }
  fs.mkdirSync(outDir, { recursive: true });
}

// ---------------------------------------------------------------------------
// Pages

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; img-src 'self' data:">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
${body}
</body>
</html>
`;
}

const lessonLabel = (lesson: Lesson) => `${lesson.id.slice(0, 2)} · ${lesson.title}`;

function navigation(previous: Lesson | undefined, next: Lesson | undefined, where: 'top' | 'bottom'): string {
  const link = (lesson: Lesson | undefined, rel: 'prev' | 'next') =>
    lesson
      ? `<a class="${rel}" rel="${rel}" href="${pageName(lesson)}">${rel === 'prev' ? '← ' : ''}${escapeHtml(lessonLabel(lesson))}${rel === 'next' ? ' →' : ''}</a>`
      : `<span class="${rel}"></span>`;
  return `<nav class="lesson-nav ${where}" aria-label="${where === 'top' ? 'Lessons' : 'Lessons (end of page)'}">
${link(previous, 'prev')}
<a class="index" rel="index" href="index.html">All lessons</a>
${link(next, 'next')}
</nav>`;
}

function lessonPage(lesson: Lesson, previous: Lesson | undefined, next: Lesson | undefined, outDir: string): string {
  const markdown = fs.readFileSync(lesson.lessonFile, 'utf8');
  const html = renderMarkdown(markdown, { from: lesson.lessonFile, outDir, hints: readHints(markdown).length });
  const check = `<p class="check">Check your exercise: <code>npm run check -- ${lesson.number}</code> · read it in the terminal: <code>npm run lesson -- ${lesson.number}</code></p>`;
  return page(
    `${lessonLabel(lesson)} · Roundtrip`,
    `${navigation(previous, next, 'top')}
<main class="lesson">
${html}
${check}
</main>
${navigation(previous, next, 'bottom')}`,
  );
}

function indexPage(lessons: Lesson[]): string {
  const items = lessons
    .map((lesson) => {
      const intro = firstParagraph(fs.readFileSync(lesson.lessonFile, 'utf8'));
      return `<li><a href="${pageName(lesson)}"><span class="number">${lesson.id.slice(0, 2)}</span> ${escapeHtml(lesson.title)}</a>${intro ? `\n<p>${intro}</p>` : ''}</li>`;
    })
    .join('\n');
  return page(
    'Roundtrip: the lessons',
    `<main class="index-page">
<h1>Roundtrip</h1>
<p class="tagline">Build the web’s request–response cycle yourself, in TypeScript, one graded lesson at a time.</p>
<p>Each lesson explains one step between a browser sending bytes and getting a page back, and gives you a small server to finish in <code>exercises/</code>. <code>npm run check -- N</code> grades it; <code>npm run hint -- N</code> gives the next hint.</p>
<ol class="lessons">
${items}
</ol>
</main>`,
  );
}

/** The sentence or two under a lesson's title, as inline HTML. */
function firstParagraph(markdown: string): string {
  const marked = new Marked();
  const tokens = marked.lexer(markdown);
  const title = tokens.findIndex((t) => t.type === 'heading' && (t as Tokens.Heading).depth === 1);
  const paragraph = tokens.slice(title + 1).find((t) => t.type === 'paragraph' || t.type === 'heading');
  return paragraph?.type === 'paragraph' ? marked.parseInline(paragraph.text, { async: false }) : '';
}

// ---------------------------------------------------------------------------
// Markdown

interface RenderContext {
  /** The Markdown file: relative links start from its folder. */
  from: string;
  outDir: string;
  hints: number;
}

export function renderMarkdown(markdown: string, context: RenderContext): string {
  const slugger = new Slugger();
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      heading({ tokens, depth }: Tokens.Heading) {
        return `<h${depth} id="${slugger.slug(plainText(tokens))}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
      code({ text, lang }: Tokens.Code) {
        const language = (lang ?? '').match(/^\S*/)![0].toLowerCase();
        const cls = language ? ` class="language-${escapeHtml(language)}"` : '';
        const body = highlights(language) ? highlight(text, language) : escapeHtml(text);
        // tabindex: a long diagram scrolls sideways with the keyboard too.
        return `<pre class="code${language === 'text' || !language ? ' plain' : ''}" tabindex="0"><code${cls}>${body}</code></pre>\n`;
      },
      link({ href, title, tokens }: Tokens.Link) {
        const external = /^[a-z][a-z0-9+.-]*:/i.test(href);
        const target = external ? href : siteHref(href, context);
        const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
        return `<a href="${escapeHtml(target)}"${titleAttr}${external ? ' rel="noopener noreferrer"' : ''}>${this.parser.parseInline(tokens)}</a>`;
      },
      image({ href, title, text }: Tokens.Image) {
        const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
        return `<img src="${escapeHtml(siteHref(href, context))}" alt="${escapeHtml(text)}"${titleAttr}>`;
      },
    },
  });
  const tokens = marked.lexer(markdown);
  foldHints(tokens, marked, context.hints);
  return marked.parser(tokens);
}

/**
 * A lesson link (`06-middleware.md#hints`) becomes that lesson's page; any
 * other relative link points back at the file in the repository.
 */
function siteHref(href: string, context: RenderContext): string {
  if (href.startsWith('#') || href.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(href)) return href;
  const [target = '', anchor] = href.split('#', 2) as [string, string | undefined];
  const resolved = path.resolve(path.dirname(context.from), decodeURI(target));
  const suffix = anchor === undefined ? '' : `#${anchor}`;
  if (path.dirname(resolved) === lessonsDir && resolved.endsWith('.md')) return `${path.basename(resolved, '.md')}.html${suffix}`;
  return encodeURI(path.relative(context.outDir, resolved).split(path.sep).join('/')) + suffix;
}

/** The numbered list under "## Hints" becomes one closed <details> per hint. */
function foldHints(tokens: Token[], marked: Marked, count: number): void {
  const start = tokens.findIndex((t) => t.type === 'heading' && (t as Tokens.Heading).depth === 2 && (t as Tokens.Heading).text.trim() === 'Hints');
  if (start === -1) return;
  for (let i = start + 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'heading' && (token as Tokens.Heading).depth <= 2) break;
    if (token.type !== 'list' || !(token as Tokens.List).ordered) continue;
    const items = (token as Tokens.List).items;
    const html = items
      .map((item, n) => {
        const body = marked.parser(item.tokens.map((t) => (t.type === 'text' ? ({ ...t, type: 'paragraph' } as Token) : t)));
        return `<details class="hint"><summary>Hint ${n + 1} of ${count || items.length}</summary>\n${body}</details>`;
      })
      .join('\n');
    tokens[i] = { type: 'html', raw: token.raw, pre: false, block: true, text: `<div class="hints">\n${html}\n</div>\n` } as Tokens.HTML;
  }
}
