import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); the browser tests skip, saying so, without it. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether a browser test runs: with Chromium, and on the embedded database only (Swagger UI does not
 * depend on the database, and one run is enough).
 */
export function browserTestsRun(file: string): boolean {
  if (!existsSync(CHROMIUM)) console.warn(`${file} skipped: no ${CHROMIUM} (apt-get install -y chromium)`);
  return existsSync(CHROMIUM) && !process.env.TEST_DATABASE_URL;
}

/** Headless Chromium that asks nothing of the network by itself (no updates, sync or background requests). */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
