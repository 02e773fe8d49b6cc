import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY, useApp } from './helpers/app.js';
import { browserTestsRun, launchChromium } from './helpers/chromium.js';

// Swagger UI at /docs in a real browser, under the Content-Security-Policy it is served with
// (src/http/security.ts): it renders offline, Authorize works with a key, anonymous "Try it out"
// on a write gets 401 and changes nothing. Needs Chromium (`apt-get install -y chromium`); the page
// does not depend on the database, so this runs on the embedded one only.
const run = browserTestsRun('test/docs-browser.test.ts');

describe.skipIf(!run)('Swagger UI in Chromium', () => {
  const ctx = useApp({ seed: true });
  let browser: Browser;
  let page: Page;
  let base: string;
  const problems: string[] = [];
  const requests: { url: string; method: string; authorization?: string }[] = [];

  beforeAll(async () => {
    const address = ctx.app.server.address();
    if (!address || typeof address === 'string') {
      await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    }
    const { port } = ctx.app.server.address() as { port: number };
    base = `http://127.0.0.1:${port}`;
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('console', (m) => {
      // The browser logs every 4xx it receives; the 401 of an anonymous write is what the tests expect.
      if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) return;
      if (m.type() === 'error' || m.type() === 'warning' || m.text().startsWith('CSP')) problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), authorization: r.headers().authorization }));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.log(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
      );
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  const operation = (tag: string, operationId: string) => page.locator(`#operations-${tag}-${operationId}`);

  async function execute(tag: string, operationId: string, headers: Record<string, string> = {}) {
    const op = operation(tag, operationId);
    if (!(await op.locator('.try-out__btn').isVisible())) await op.locator('.opblock-summary').click();
    const tryOut = op.locator('.try-out__btn');
    if ((await tryOut.textContent())?.includes('Try it out')) await tryOut.click();
    for (const [name, value] of Object.entries(headers)) await op.locator(`tr[data-param-name="${name}"] input`).fill(value);
    await op.locator('.execute').click();
    const status = op.locator('.live-responses-table tr.response .response-col_status').first();
    await status.waitFor({ timeout: 15_000 });
    return Number(/\d{3}/.exec((await status.textContent()) ?? '')?.[0]);
  }

  it('renders every operation from this server alone, with no CSP violation or console error', async () => {
    const answer = await page.goto(`${base}/docs/`);
    expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(30);
    expect(await operation('Keys', 'createKey').count()).toBe(1);
    expect(requests.every((r) => r.url.startsWith(`${base}/`) || r.url.startsWith('data:'))).toBe(true);
    expect(problems).toEqual([]);
  });

  it('anonymous "Try it out" on a write gets 401 and deletes nothing', async () => {
    const before = await ctx.anon.get('/actors/miguel-diaz-canel').expect(200);
    expect(await execute('Actors', 'deleteActor', { 'change-reason': 'trying it out' })).toBe(401);
    await ctx.anon.get('/actors/miguel-diaz-canel').expect(200);
    expect((await ctx.anon.get('/actors/miguel-diaz-canel')).body).toEqual(before.body);
    const sent = requests.filter((r) => r.method === 'DELETE');
    expect(sent).toHaveLength(1);
    expect(sent[0].authorization).toBeUndefined();
  });

  it('Authorize takes a key, which then goes with every request, and survives a reload', async () => {
    await page.locator('.auth-wrapper .authorize').click();
    await page.locator('.auth-container input').fill(TEST_ADMIN_KEY);
    await page.locator('.auth-btn-wrapper .authorize').click();
    await page.locator('.auth-btn-wrapper .btn-done').click();

    const created = await execute('Actors', 'createActor');
    expect(created).toBe(201);
    const post = requests.filter((r) => r.method === 'POST' && r.url === `${base}/actors`).at(-1);
    expect(post?.authorization).toBe(`Bearer ${TEST_ADMIN_KEY}`);
    expect(await execute('Keys', 'listKeys')).toBe(200);

    await page.reload();
    await page.locator('.auth-wrapper .authorize').waitFor();
    expect(await page.locator('.auth-wrapper .authorize.locked').count()).toBe(1);
    expect(problems).toEqual([]);
  }, 90_000);
});
