// Headless Chromium for the site's screenshots and the tests that need a real browser, through
// playwright-core and Debian's own Chromium (no browser download). Each launch
// gets a fresh profile in a temporary folder, removed again by close().
import fs from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { UserError } from '../grader/engine/user-error.ts';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it). Elsewhere, point ROUNDTRIP_CHROMIUM at one. */
export const chromiumPath = process.env.ROUNDTRIP_CHROMIUM ?? '/usr/bin/chromium';

/** Quiet, offline-friendly flags: no sandbox (containers), no GPU, no QUIC, no background traffic. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchedChromium {
  context: BrowserContext;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

/**
 * Starts headless Chromium with a fresh profile. A missing Chromium is an
 * error that says how to install it, so a test fails instead of skipping.
 * @example
 * const { context, close } = await launchChromium();
 * const page = await context.newPage();
 */
export async function launchChromium(): Promise<LaunchedChromium> {
  if (!fs.existsSync(chromiumPath)) {
    throw new UserError(
      `No Chromium at ${chromiumPath}. Install Debian's chromium package (\`apt-get install chromium\`), ` +
        'or set ROUNDTRIP_CHROMIUM to a Chromium or Chrome binary.',
    );
  }
  // Loaded here, not above: the grader's bundled harness loads this file, and only spec 13 needs a browser.
  const { chromium } = await import('playwright-core');
  // A browser with a fresh context, not a persistent profile: Playwright keeps the profile in a
  // temporary folder of its own and removes it on close, and a launch costs about a quarter less CPU.
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  try {
    const context = await browser.newContext();
    return {
      context,
      async close() {
        await browser.close().catch(() => {});
      },
    };
  } catch (error) {
    await browser.close().catch(() => {});
    throw error;
  }
}
