// Lesson 13's guestbook in a real browser: the reference solution, started the
// way the grader starts a learner's server, driven by headless Chromium. The
// form really posts and the browser really follows the 303; a script typed
// into an entry must not run; the stylesheet must apply, and come back 304.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Page, Response as BrowserResponse } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { solutionsDir } from '../grader/engine/paths.ts';
import { LearnerServer } from '../grader/engine/server-process.ts';
import { launchChromium, type LaunchedChromium } from '../website/chromium.ts';
import { selectedLessons } from './support/selection.ts';

// The callbacks given to evaluate() run in Chromium; the project's tsconfig has
// no DOM library, so the one browser function they use is declared here.
declare function getComputedStyle(element: unknown): { backgroundColor: string };

const lessonId = '13-the-whole-cycle';
const hex = () => randomBytes(4).toString('hex');

let browser: LaunchedChromium;
let server: LearnerServer;
let page: Page;
let origin: string;
/** Every response the page received, in order. */
const responses: BrowserResponse[] = [];
/** Messages of the dialogs (alert, confirm, prompt) that opened: there must be none. */
const dialogs: string[] = [];

// Part of lesson 13: skipped only when ROUNDTRIP_LESSONS picks other lessons.
describe.skipIf(!selectedLessons().some((l) => l.id === lessonId))('the guestbook in Chromium', () => {
  beforeAll(async () => {
    // Chromium first: when it is missing, this fails at once and says how to install it.
    browser = await launchChromium();
    server = await LearnerServer.start({ dir: path.join(solutionsDir, lessonId), startTimeoutMs: 30_000 });
    origin = `http://${server.host.includes(':') ? `[${server.host}]` : server.host}:${server.port}`;
    page = await browser.context.newPage();
    page.on('response', (response) => responses.push(response));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Fills the form and signs; resolves once the browser has followed the redirect and loaded the new page. */
  async function signAs(name: string, message: string): Promise<BrowserResponse> {
    await page.fill('#name', name);
    await page.fill('#message', message);
    const [post] = await Promise.all([page.waitForResponse((response) => response.request().method() === 'POST'), page.click('form.sign button')]);
    // The URL is / before and after: only the thank-you (with this name) says the new page is there.
    await page.getByText(`Thank you for signing, ${name}!`).waitFor();
    await page.waitForLoadState('load');
    return post;
  }

  test('loads the guestbook, styled by static/style.css', async () => {
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    expect(await page.title()).toMatch(/Guestbook/);
    const css = responses.find((r) => r.url() === `${origin}/static/style.css`);
    expect(css?.status()).toBe(200);
    expect(await css!.headerValue('etag')).toMatch(/^(W\/)?"/);
    // style.css paints the page #fdf6e3: only a stylesheet that arrived and applied does that.
    const background = await page.locator('body').evaluate((body) => getComputedStyle(body).backgroundColor);
    expect(background).toBe('rgb(253, 246, 227)');
  });

  test('signs the guestbook: the form posts, the browser follows the 303 back to /, and the entry is there', async () => {
    const name = `Ada ${hex()}`;
    const message = `Signed in a real browser, ${hex()}.`;
    const post = await signAs(name, message);
    expect(post.status()).toBe(303);
    expect(post.url()).toBe(`${origin}/entries`);
    expect(page.url()).toBe(`${origin}/`);
    await expect(page.locator('.entry .message').first().textContent()).resolves.toBe(message);
    await expect(page.locator('.flash').textContent()).resolves.toBe(`Thank you for signing, ${name}!`);
    // The session remembers the name for the next entry.
    await expect(page.inputValue('#name')).resolves.toBe(name);
  });

  test('shows a script typed into an entry as text, and never runs it', async () => {
    const name = `"><img src=x onerror=alert("name")> ${hex()}`;
    const message = `<script>alert("message")</script><img src=x onerror=alert("img")> ${hex()}`;
    const post = await signAs(name, message);
    expect(post.status()).toBe(303);
    const entry = page.locator('.entry').first();
    await expect(entry.locator('.message').textContent()).resolves.toBe(message);
    await expect(entry.locator('.by').textContent()).resolves.toContain(name);
    // The name is back in the form's value="…" too: still one attribute, holding the text.
    await expect(page.inputValue('#name')).resolves.toBe(name);
    expect(await page.locator('main img, main script').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  test('keeps the CSRF token in a cookie scripts may read, and the session in an HttpOnly one', async () => {
    const cookies = await browser.context.cookies(origin);
    const csrf = cookies.find((c) => c.name === 'csrftoken');
    const session = cookies.find((c) => c.name === 'sessionid');
    expect(csrf, JSON.stringify(cookies)).toMatchObject({ path: '/', httpOnly: false, sameSite: 'Lax', secure: false });
    expect(session, JSON.stringify(cookies)).toMatchObject({ path: '/', httpOnly: true, sameSite: 'Lax', secure: false });
    // The form carries the same token as the cookie.
    await expect(page.inputValue('input[name="csrfmiddlewaretoken"]')).resolves.toBe(csrf!.value);
    // No Max-Age on the CSRF cookie would make it a session cookie (expires -1); it lasts about a year.
    expect(csrf!.expires * 1000 - Date.now()).toBeGreaterThan(300 * 24 * 3600 * 1000);
  });

  test('asks for the stylesheet again on reload and hears 304 Not Modified', async () => {
    const before = responses.length;
    await page.reload({ waitUntil: 'load' });
    const css = responses.slice(before).filter((r) => r.url() === `${origin}/static/style.css`);
    expect(css.map((r) => r.status())).toEqual([304]);
    expect(await css[0]!.request().headerValue('if-none-match')).toMatch(/^(W\/)?"/);
    // The copy in the cache still applies.
    const background = await page.locator('body').evaluate((body) => getComputedStyle(body).backgroundColor);
    expect(background).toBe('rgb(253, 246, 227)');
  });
});
