// Screenshots of the built site at a desktop and a phone width, for a review
// of the layout (`npm run site -- --screenshots`). Uses the same headless
// Chromium as the site's tests.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from './chromium.ts';

export const screenshotWidths = [1280, 390] as const;

/** Saves index and lesson pages at each width into `into`; returns the files written. */
export async function takeScreenshots(siteDir: string, pages: string[], into: string): Promise<string[]> {
  fs.mkdirSync(into, { recursive: true });
  const browser = await launchChromium();
  const written: string[] = [];
  try {
    const page = await browser.context.newPage();
    for (const width of screenshotWidths) {
      await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
      for (const name of pages) {
        await page.goto(pathToFileURL(path.join(siteDir, name)).href, { waitUntil: 'load' });
        const file = path.join(into, `${path.basename(name, '.html')}-${width}.png`);
        await page.screenshot({ path: file });
        written.push(file);
      }
    }
  } finally {
    await browser.close();
  }
  return written;
}
