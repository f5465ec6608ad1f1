// The lesson site (`npm run site`), loaded from file:// in headless Chromium:
// every page loads without errors and without a single request leaving
// file://, its links resolve, the sidebar, previous/next/index and search lead
// where they should, headings have anchors and code has copy buttons, code is
// highlighted and styled, diagrams keep their shape, hints are folded, and
// nothing is wider than a phone.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readHints } from '../grader/engine/lesson-text.ts';
import { discoverLessons } from '../grader/engine/lessons.ts';
import { stateDir } from '../grader/engine/paths.ts';
import { launchChromium, type LaunchedChromium } from '../website/chromium.ts';
import { runCli } from './support/grade.ts';

const lessons = discoverLessons();
const outDir = path.join(stateDir, 'site-test', String(process.pid));
const highlighted = new Set(['ts', 'typescript', 'sh', 'bash', 'http', 'python', 'json']);

let context: BrowserContext;
let browser: LaunchedChromium | undefined;
/** Every URL any page asked for, and what was refused. */
const requested: string[] = [];

// The callbacks given to $eval run in Chromium; the project's tsconfig has no
// DOM library, so the one browser function they use is declared here.
declare function getComputedStyle(element: unknown): { color: string; fontFamily: string; whiteSpace: string; overflowX: string; display: string };

const pageUrl = (name: string) => pathToFileURL(path.join(outDir, name)).href;

beforeAll(async () => {
  const build = await runCli(['site', '--out', outDir]);
  expect(build.code, build.stderr).toBe(0);
  expect(build.stdout).toContain(`Built ${lessons.length} lesson pages`);

  browser = await launchChromium();
  context = browser.context;
  context.on('request', (request) => requested.push(request.url()));
  // Belt and braces: anything that is not a file is refused, and the test below fails on it.
  await context.route(/^(?!file:|data:)/, (route) => route.abort('blockedbyclient'));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  fs.rmSync(outDir, { recursive: true, force: true });
});

const desktop = { width: 1280, height: 720 };
const phone = { width: 390, height: 844 };

/** Opens a page in a window of `size` and collects what went wrong while it loaded. */
async function open(url: string, size = desktop): Promise<{ page: Page; problems: string[] }> {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize(size);
  const problems: string[] = [];
  page.removeAllListeners('console');
  page.removeAllListeners('pageerror');
  page.removeAllListeners('requestfailed');
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems };
}

/** The ids in a built page, for links with a #fragment into it. */
function idsOf(file: string): Set<string> {
  return new Set([...fs.readFileSync(file, 'utf8').matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
}

describe('the lesson site, from file:// in Chromium', () => {
  test('the index lists every lesson, in order, and loads cleanly', async () => {
    const { page, problems } = await open(pageUrl('index.html'));
    const links = await page.$$eval('ol.lessons a', (as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
    expect(links).toEqual(lessons.map((l) => [`${l.id}.html`, `${l.id.slice(0, 2)} ${l.title}`]));
    expect(problems).toEqual([]);
  });

  // Each page is loaded once, on a phone (the site folds the lesson list as a page loads on a
  // narrow screen), then read in a desktop window: a page load is most of this file's time.
  test.each(lessons.map((l, i) => [l.id, i]))('%s loads without errors, fits a 390 px phone, and its links resolve', async (id, i) => {
    const lesson = lessons[i]!;
    const { page, problems } = await open(pageUrl(`${id}.html`), phone);
    expect(problems).toEqual([]);
    // On the phone nothing is wider than the screen (code and tables scroll on their own), and
    // the lesson list is folded away so the lesson comes first.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(phone.width);
    expect(await page.$eval('.sidebar .chapters', (d) => d.hasAttribute('open'))).toBe(false);
    await page.setViewportSize(desktop);
    expect(await page.title()).toBe(`${id.slice(0, 2)} · ${lesson.title} · Roundtrip`);

    // The stylesheet applied: the page is laid out by style.css, not browser defaults.
    expect(await page.$eval('.book', (b) => getComputedStyle(b).display)).toBe('grid');

    // The sidebar lists every lesson and marks this one; the contents list this page's sections.
    const sidebar = await page.$$eval('.sidebar .chapters a', (as) => as.map((a) => [a.getAttribute('href'), a.getAttribute('aria-current')]));
    expect(sidebar).toEqual(lessons.map((l) => [`${l.id}.html`, l.id === id ? 'page' : null]));
    const headings = await page.$$eval('main h2[id], main h3[id]', (hs) => hs.map((h) => h.id));
    expect(await page.$$eval('.toc a', (as) => as.map((a) => a.getAttribute('href')))).toEqual(headings.map((h) => `#${h}`));
    // Every section heading carries its own anchor.
    expect(await page.$$eval('main h2[id], main h3[id]', (hs) => hs.map((h) => h.querySelector('a.anchor')?.getAttribute('href')))).toEqual(
      headings.map((h) => `#${h}`),
    );
    // Every code block has a copy button; every table scrolls in its own box.
    expect(await page.$$('.code-box > button.copy')).toHaveLength((await page.$$('pre.code')).length);
    expect(await page.$$eval('table', (ts) => ts.every((t) => t.parentElement?.classList.contains('table-scroll')))).toBe(true);

    // Previous, next, index: present where they should be, top and bottom.
    const nav = await page.$$eval('nav.lesson-nav.top a', (as) => as.map((a) => `${a.getAttribute('rel')} ${a.getAttribute('href')}`));
    expect(nav).toEqual([
      ...(i > 0 ? [`prev ${lessons[i - 1]!.id}.html`] : []),
      'index index.html',
      ...(i < lessons.length - 1 ? [`next ${lessons[i + 1]!.id}.html`] : []),
    ]);
    expect(await page.$$('nav.lesson-nav.bottom a')).toHaveLength(nav.length);

    // Every link to a file resolves: the file exists, and so does its #fragment.
    const hrefs = (await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href') as string))).map((href) => new URL(href, page.url()).href);
    for (const href of hrefs.filter((h) => h.startsWith('file:'))) {
      const url = new URL(href);
      const file = fileURLToPath(url);
      expect(fs.existsSync(file), `${id}: a link to ${href}, which does not exist`).toBe(true);
      if (url.hash && file.endsWith('.html')) {
        expect(idsOf(file).has(decodeURIComponent(url.hash.slice(1))), `${id}: no ${url.hash} in ${path.basename(file)}`).toBe(true);
      }
    }
    // Everything else is a link to the web, never something the page loads.
    for (const href of hrefs.filter((h) => !h.startsWith('file:'))) expect(href).toMatch(/^(https?:|mailto:)/);

    // Code: highlighted where the language is known; diagrams in a monospace, scrolling <pre>.
    const blocks = await page.$$eval('pre.code', (pres) =>
      pres.map((pre) => {
        const code = pre.querySelector('code');
        const style = getComputedStyle(pre);
        const token = pre.querySelector('[class^="tok-"]');
        return {
          lang: (code?.className.match(/language-(\S+)/) ?? [])[1] ?? '',
          tokens: pre.querySelectorAll('[class^="tok-"]').length,
          coloured: token ? getComputedStyle(token).color !== style.color : false,
          font: style.fontFamily,
          whiteSpace: style.whiteSpace,
          overflowX: style.overflowX,
        };
      }),
    );
    for (const block of blocks) {
      expect(block.font, `${id}: a ${block.lang || 'plain'} block`).toMatch(/mono/i);
      expect(block.whiteSpace).toBe('pre');
      expect(block.overflowX).toBe('auto');
      if (highlighted.has(block.lang)) {
        expect(block.tokens, `${id}: a ${block.lang} block without highlighting`).toBeGreaterThan(0);
        expect(block.coloured, `${id}: ${block.lang} tokens are not coloured`).toBe(true);
      }
    }
    const markdown = fs.readFileSync(lesson.lessonFile, 'utf8');
    const fenced = [...markdown.matchAll(/^\s*(?:```|~~~)([\w-]+)/gm)].map((m) => m[1]!.toLowerCase());
    expect(blocks.filter((b) => highlighted.has(b.lang)).length).toBe(fenced.filter((l) => highlighted.has(l)).length);

    // Hints: one folded <details> each, none open.
    const hints = await page.$$eval('details.hint', (ds) => ds.map((d) => [d.hasAttribute('open'), d.querySelector('summary')?.textContent]));
    const expected = readHints(markdown);
    expect(hints).toEqual(expected.map((_, n) => [false, `Hint ${n + 1} of ${expected.length}`]));
  });

  // Each page's links were checked above (targets and order); here a click follows them,
  // from the index into the first lesson, on to the next, back from the last, and home.
  test('previous, next and "All lessons" are links a click follows', async () => {
    const { page } = await open(pageUrl('index.html'));
    await page.click('ol.lessons a >> nth=0');
    expect(page.url()).toBe(pageUrl(`${lessons[0]!.id}.html`));
    expect(await page.textContent('h1')).toContain(lessons[0]!.title);
    if (lessons.length > 1) {
      await page.click('nav.top a[rel=next]');
      expect(page.url()).toBe(pageUrl(`${lessons[1]!.id}.html`));
      await page.goto(pageUrl(`${lessons.at(-1)!.id}.html`), { waitUntil: 'load' });
      await page.click('nav.bottom a[rel=prev]');
      expect(page.url()).toBe(pageUrl(`${lessons.at(-2)!.id}.html`));
      expect(await page.textContent('h1')).toContain(lessons.at(-2)!.title);
    }
    await page.click('nav.bottom a[rel=index]');
    expect(page.url()).toBe(pageUrl('index.html'));
    // Let the page finish loading, so the next test does not abort its requests.
    await page.waitForLoadState('load');
  });

  test('the sidebar leads to any lesson, and search finds a section of a lesson', async () => {
    const { page, problems } = await open(pageUrl(`${lessons[0]!.id}.html`));
    const target = lessons.at(-1)!;
    await Promise.all([page.waitForURL(pageUrl(`${target.id}.html`), { waitUntil: 'load' }), page.click(`.sidebar a[href="${target.id}.html"]`)]);

    // A heading deep in one lesson, searched for by its words from another page.
    const [id, heading] = await page.$eval('main h3[id]', (h) => [h.id, h.textContent!.replace(/#$/, '').trim()]);
    await Promise.all([page.waitForURL(pageUrl(`${lessons[0]!.id}.html`), { waitUntil: 'load' }), page.click(`.sidebar a[href="${lessons[0]!.id}.html"]`)]);
    await page.fill('#search-box', heading);
    const first = page.locator('.search-results a').first();
    expect(await first.getAttribute('href')).toBe(`${target.id}.html#${id}`);
    await Promise.all([page.waitForURL(`${pageUrl(`${target.id}.html`)}#${id}`, { waitUntil: 'load' }), first.click()]);
    expect(await page.$(`[id="${id}"]`)).not.toBeNull();

    await page.fill('#search-box', 'zzqxv-nothing-like-this');
    expect(await page.textContent('.search-results')).toContain('No section mentions that.');
    expect(problems).toEqual([]);
  });

  test('a heading anchor links to its section, and the copy button copies the code', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => {});
    const { page, problems } = await open(pageUrl(`${lessons[0]!.id}.html`));
    const anchor = page.locator('main h2 a.anchor').first();
    const href = (await anchor.getAttribute('href'))!;
    await anchor.click();
    expect(new URL(page.url()).hash).toBe(href);

    const box = page.locator('.code-box').first();
    const code = await box.locator('code').textContent();
    await box.locator('button.copy').click();
    await page.waitForFunction('document.querySelector(".code-box button.copy").textContent !== "Copy"');
    expect(await box.locator('button.copy').textContent()).toBe('Copied');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(code);
    expect(problems).toEqual([]);
  });

  test('no request left file://', () => {
    expect(requested.length).toBeGreaterThan(lessons.length); // the pages and their CSS were seen
    expect(requested.filter((url) => !url.startsWith('file:'))).toEqual([]);
  });
});
