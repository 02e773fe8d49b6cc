import { describe, expect, it } from 'vitest';
import { useApp } from './helpers/app.js';

const ctx = useApp();

const API_HEADERS = {
  'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'cross-origin',
};

describe('security headers (helmet)', () => {
  it.each([
    ['a read', '/actors', 200, 'get'],
    ['the OpenAPI document', '/openapi.json', 200, 'get'],
    ['a probe', '/health', 200, 'get'],
    ['an unknown route', '/nothing-here', 404, 'get'],
    ['a refused write', '/actors', 401, 'post'],
  ] as const)('are on %s', async (_what, url, status, method) => {
    const res = await ctx.anon[method](url);
    expect(res.status).toBe(status);
    expect(res.headers).toMatchObject(API_HEADERS);
    expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
  });

  it('give Swagger UI a policy of its own: everything from this server, nothing inline', async () => {
    for (const url of ['/docs/', '/docs/static/swagger-ui-bundle.js', '/docs/static/swagger-initializer.js']) {
      const res = await ctx.anon.get(url).expect(200);
      const csp = res.headers['content-security-policy'];
      expect(csp, url).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https:|\*/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    // The page loads no CDN.
    const html = (await ctx.anon.get('/docs/').expect(200)).text;
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});
