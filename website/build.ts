// Builds the lessons into a small static book: a sidebar with every lesson,
// a table of contents and heading anchors on each page, code coloured at build
// time (Shiki) with a copy button, hints folded away, and offline search. Every
// link is relative and nothing is fetched from the network, so it works opened
// straight from disk (file://) and on any static host.
import fs from 'node:fs';
import path from 'node:path';
import { Marked, type Token, type Tokens } from 'marked';
import { readHints, withoutComments } from '../grader/engine/lesson-text.ts';
import { discoverLessons, type Lesson } from '../grader/engine/lessons.ts';
import { lessonsDir, workbookRoot } from '../grader/engine/paths.ts';
import { UserError } from '../grader/engine/user-error.ts';
import { CodeColours, escapeHtml } from './highlight.ts';
import { searchScript, sectionsOf, type SearchSection } from './search-index.ts';
import { Slugger, plainText } from './slug.ts';

// From the workbook's root: the CLI runs this module bundled, elsewhere.
const assetsDir = path.join(workbookRoot, 'website', 'assets');

/** Marks a folder as built by `npm run site`, so a rebuild may empty it. */
export const siteMarker = '.roundtrip-site';


export interface BuiltSite {
  outDir: string;
  index: string;
  pages: string[];
}

export function pageName(lesson: Lesson): string {
  return `${lesson.id}.html`;
}

export async function buildSite(outDir: string, lessons: Lesson[] = discoverLessons()): Promise<BuiltSite> {
  prepareFolder(outDir);
  const colours = await CodeColours.load();
  for (const asset of fs.readdirSync(assetsDir)) fs.copyFileSync(path.join(assetsDir, asset), path.join(outDir, asset));
  const sections: SearchSection[] = [];
  const pages = lessons.map((lesson, i) => {
    const file = path.join(outDir, pageName(lesson));
    const { html, toc } = lessonHtml(lesson, outDir, colours);
    sections.push(...sectionsOf(html, pageName(lesson), lessonLabel(lesson)));
    fs.writeFileSync(file, lessonPage(lesson, lessons, i, html, toc));
    return file;
  });
  const index = path.join(outDir, 'index.html');
  fs.writeFileSync(index, indexPage(lessons));
  fs.writeFileSync(path.join(outDir, 'code.css'), colours.css());
  fs.writeFileSync(path.join(outDir, 'search-index.js'), searchScript(sections));
  fs.writeFileSync(path.join(outDir, siteMarker), 'Built by `npm run site`: this folder is emptied and rebuilt each time.\n');
  return { outDir, index, pages };
}

/** An empty folder to write into; never one that holds anything but an earlier build. */
function prepareFolder(outDir: string): void {
  if (fs.existsSync(outDir)) {
    const entries = fs.readdirSync(outDir);
    if (entries.length && !entries.includes(siteMarker)) {
      throw new UserError(`${outDir} already holds files that \`npm run site\` did not make. Choose another folder with --out.`);
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
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="style.css">
<link rel="stylesheet" href="code.css">
<script src="search-index.js" defer></script>
<script src="site.js" defer></script>
</head>
<body>
${body}
</body>
</html>
`;
}

const lessonLabel = (lesson: Lesson) => `${lesson.id.slice(0, 2)} · ${lesson.title}`;

/** Every lesson, the current one marked; on a phone it folds into one line. */
function sidebar(lessons: Lesson[], current: Lesson | undefined): string {
  const items = lessons
    .map((lesson) => {
      const here = lesson === current ? ' aria-current="page"' : '';
      return `<li><a href="${pageName(lesson)}"${here}><span class="number">${lesson.id.slice(0, 2)}</span> ${escapeHtml(lesson.title)}</a></li>`;
    })
    .join('\n');
  return `<nav class="sidebar" aria-label="Lessons">
<a class="home" href="index.html">Roundtrip</a>
<div class="search" role="search">
<label for="search-box">Search the lessons</label>
<input id="search-box" type="search" placeholder="Search the lessons" autocomplete="off">
<ol class="search-results" aria-live="polite"></ol>
</div>
<details class="chapters" open>
<summary>Lessons</summary>
<ol>
${items}
</ol>
</details>
</nav>`;
}

function navigation(previous: Lesson | undefined, next: Lesson | undefined, where: 'top' | 'bottom'): string {
  const link = (lesson: Lesson | undefined, rel: 'prev' | 'next') =>
    lesson
      ? `<a class="${rel}" rel="${rel}" href="${pageName(lesson)}">${rel === 'prev' ? '← ' : ''}${escapeHtml(lessonLabel(lesson))}${rel === 'next' ? ' →' : ''}</a>`
      : `<span class="${rel}"></span>`;
  return `<nav class="lesson-nav ${where}" aria-label="${where === 'top' ? 'Previous and next' : 'Previous and next (end of page)'}">
${link(previous, 'prev')}
<a class="index" rel="index" href="index.html">All lessons</a>
${link(next, 'next')}
</nav>`;
}

interface TocEntry {
  depth: number;
  id: string;
  text: string;
}

function tableOfContents(toc: TocEntry[]): string {
  const items = toc.map((h) => `<li class="depth-${h.depth}"><a href="#${escapeHtml(h.id)}">${escapeHtml(h.text)}</a></li>`).join('\n');
  return `<nav class="toc" aria-label="On this page">
<p class="toc-title">On this page</p>
<ol>
${items}
</ol>
</nav>`;
}

function lessonHtml(lesson: Lesson, outDir: string, colours: CodeColours): { html: string; toc: TocEntry[] } {
  const markdown = withoutComments(fs.readFileSync(lesson.lessonFile, 'utf8'));
  const toc: TocEntry[] = [];
  const html = renderMarkdown(markdown, { from: lesson.lessonFile, outDir, hints: readHints(markdown).length, colours, toc });
  return { html, toc };
}

function lessonPage(lesson: Lesson, lessons: Lesson[], i: number, html: string, toc: TocEntry[]): string {
  const [previous, next] = [lessons[i - 1], lessons[i + 1]];
  const check = `<p class="check">Check your exercise: <code>npm run check -- ${lesson.number}</code> · read it in the terminal: <code>npm run lesson -- ${lesson.number}</code></p>`;
  return page(
    `${lessonLabel(lesson)} · Roundtrip`,
    `<div class="book">
${sidebar(lessons, lesson)}
<div class="page">
${navigation(previous, next, 'top')}
<main class="lesson">
${html}
${check}
</main>
${navigation(previous, next, 'bottom')}
</div>
${tableOfContents(toc.filter((h) => h.depth >= 2 && h.depth <= 3))}
</div>`,
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
    `<div class="book">
${sidebar(lessons, undefined)}
<div class="page">
<main class="index-page">
<h1>Roundtrip</h1>
<p class="tagline">Build the web’s request–response cycle yourself, in TypeScript, one graded lesson at a time.</p>
<p>Each lesson explains one step between a browser sending bytes and getting a page back, and gives you a small server to finish in <code>exercises/</code>. <code>npm run check -- N</code> grades it; <code>npm run hint -- N</code> gives the next hint.</p>
<ol class="lessons">
${items}
</ol>
</main>
</div>
</div>`,
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
  colours: CodeColours;
  /** Filled with the page's headings, for its table of contents. */
  toc: TocEntry[];
}

export function renderMarkdown(markdown: string, context: RenderContext): string {
  const slugger = new Slugger();
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      heading({ tokens, depth }: Tokens.Heading) {
        const text = plainText(tokens);
        const id = slugger.slug(text);
        context.toc.push({ depth, id, text });
        // The anchor: a link to send a classmate straight to this section.
        const anchor = depth > 1 ? `<a class="anchor" href="#${id}" aria-label="Link to this section">#</a>` : '';
        return `<h${depth} id="${id}">${this.parser.parseInline(tokens)}${anchor}</h${depth}>\n`;
      },
      code({ text, lang }: Tokens.Code) {
        const language = (lang ?? '').match(/^\S*/)![0].toLowerCase();
        const cls = language ? ` class="language-${escapeHtml(language)}"` : '';
        const body = context.colours.highlight(text, language);
        // tabindex: a long diagram scrolls sideways with the keyboard too.
        return `<pre class="code${context.colours.knows(language) ? '' : ' plain'}" tabindex="0"><code${cls}>${body}</code></pre>\n`;
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
  // A wide table scrolls inside its own box on a phone instead of widening the page.
  return marked.parser(tokens).replace(/<table>/g, '<div class="table-scroll" tabindex="0"><table>').replace(/<\/table>/g, '</table></div>');
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
    // The lesson folds its hints in one <details> for GitHub; here each hint gets its own.
    if (token.type === 'html' && /^\s*<\/?(details|summary)\b/.test((token as Tokens.HTML).text)) {
      tokens[i] = { type: 'space', raw: token.raw } as Tokens.Space;
      continue;
    }
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
