import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY, useApp } from './helpers/app.js';
import { browserTestsRun, launchChromium } from './helpers/chromium.js';

// Every operation of Swagger UI at /docs clicked in order, as a new user does on a fresh start: Authorize with
// a key, then "Try it out" and "Execute" with what the page fills in from the document's examples (only a
// required Change-Reason is typed). Every read and write example works, and none destroys seed data: a DELETE
// example names a seed record with a stale If-Match, so it answers 412 with the record's ETag. Needs Chromium
// (`apt-get install -y chromium`); the page does not depend on the database, so this runs on the embedded one.
const run = browserTestsRun('test/docs-examples-browser.test.ts');

describe.skipIf(!run)('every Swagger UI example, clicked in order with a key', () => {
  const ctx = useApp({ seed: true });
  let browser: Browser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`;
    browser = await launchChromium();
    page = await browser.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Every record's type and id, from the export of the whole record (citations are inline in theirs). */
  async function recordIds() {
    const res = await ctx.anon
      .get('/export')
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c));
        r.on('end', () => cb(null, text));
      });
    type Line = { type: string; id: string; citations?: { id: string }[] };
    const lines = (res.body as string)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line)
      .filter((l) => l.type !== 'revision');
    return lines.flatMap((l) => [`${l.type} ${l.id}`, ...(l.citations ?? []).map((c) => `citation ${c.id}`)]);
  }

  it('answers every read with 200 and every write as documented, and the seed data stays', async () => {
    const seed = await recordIds();
    expect(seed.filter((r) => r.startsWith('citation')).length).toBeGreaterThan(10);

    await page.goto(`${base}/docs/`);
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
    await page.locator('.auth-wrapper .authorize').click();
    await page.locator('.auth-container input').fill(TEST_ADMIN_KEY);
    await page.locator('.auth-btn-wrapper .authorize').click();
    await page.locator('.auth-btn-wrapper .btn-done').click();

    const results: Record<string, number> = {};
    const ids = await page.locator('.opblock').evaluateAll((els) => els.map((e) => e.id));
    for (const id of ids) {
      const op = page.locator(`#${id}`);
      await op.locator('.opblock-summary').click();
      // Try-it-out mode is on by default (uiConfig.tryItOutEnabled); the button then reads "Cancel".
      const tryOut = op.locator('.try-out__btn').first();
      if ((await tryOut.textContent())?.includes('Try it out')) await tryOut.click();
      // The only inputs a user must type: a reason where one is required (examples fill the rest).
      const reason = op.locator('tr[data-param-name="change-reason"]:has(.parameter__name.required) input');
      if ((await reason.count()) && !(await reason.inputValue())) await reason.fill('Trying the example');
      await op.locator('.execute').click();
      const status = op.locator('.live-responses-table tr.response .response-col_status').first();
      await status.waitFor({ timeout: 15_000 });
      const method = (await op.locator('.opblock-summary-method').textContent())?.trim() ?? '';
      results[`${method} ${id.replace(/^operations-[^-]+-/, '')}`] = Number(
        /\d{3}/.exec((await status.textContent()) ?? '')?.[0],
      );
      await op.locator('.opblock-summary').click();
    }

    const expected = Object.fromEntries(
      Object.keys(results).map((name) => {
        const [method] = name.split(' ');
        if (method === 'GET' || method === 'PATCH') return [name, 200];
        // A merge deletes the duplicate: like a DELETE, its example If-Match is stale (412).
        if (method === 'POST') return [name, name.endsWith('importRecords') ? 200 : name.endsWith('mergeActor') ? 412 : 201];
        // Refused, so the seed stays: the example If-Match is stale (412); the example key id names no key.
        return [name, name.endsWith('revokeKey') ? 404 : 412];
      }),
    );
    expect(Object.keys(results).length).toBeGreaterThan(40);
    expect(results).toEqual(expected);
    expect(await recordIds()).toEqual(expect.arrayContaining(seed));
  }, 420_000);
});
