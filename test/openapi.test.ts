import { readFile } from 'node:fs/promises';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { collectResponseExamples } from '../src/http/openapi-examples.js';
import { TEST_ADMIN_KEY, useApp } from './helpers/app.js';

const ctx = useApp({ seed: true });

type Operation = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  parameters?: { in: string; name: string; schema: { example?: unknown }; description?: string }[];
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string }; example?: unknown; examples?: unknown }> }>;
};

async function operations() {
  const doc = (await ctx.api.get('/openapi.json').expect(200)).body;
  const ops: [string, Operation][] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
    for (const [method, op] of Object.entries(item)) ops.push([`${method.toUpperCase()} ${path}`, op]);
  }
  return { doc, ops };
}

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document without dangling references', async () => {
    const { doc } = await operations();
    expect(doc.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy();
  });

  it('gives every operation an id, a summary, a tag and problem+json errors', async () => {
    const { ops } = await operations();
    expect(ops.length).toBeGreaterThan(20);
    for (const [name, op] of ops) {
      expect(op.operationId, name).toBeTruthy();
      expect(op.summary, name).toBeTruthy();
      expect(op.tags?.length, name).toBeGreaterThan(0);
      for (const [status, res] of Object.entries(op.responses)) {
        if (Number(status) >= 400)
          expect(res.content?.['application/problem+json']?.schema.$ref, `${name} ${status}`).toBe(
            '#/components/schemas/Problem',
          );
      }
    }
  });

  it('has path examples that exist in the seed data, so "Try it out" works on a fresh start', async () => {
    const { ops } = await operations();
    for (const [name, op] of ops) {
      const path = name.split(' ')[1];
      for (const p of op.parameters ?? []) {
        if (p.in !== 'path') continue;
        expect(p.schema.example, `${name} ${p.name}`).toBeDefined();
        if (!name.startsWith('GET')) continue;
        const url = path.replace(`{${p.name}}`, String(p.schema.example));
        const res = await ctx.api.get(url);
        expect(res.status, url).toBe(200);
      }
    }
  });

  it('matches the committed docs/openapi.json (run `npm run openapi` after changing the contract)', async () => {
    const { doc } = await operations();
    const committed = JSON.parse(await readFile(new URL('../docs/openapi.json', import.meta.url), 'utf8'));
    // The served copy names the server it came from (test/public-url.test.ts); the committed one `npm start`'s address.
    expect(committed.servers).toEqual([expect.objectContaining({ url: 'http://127.0.0.1:3000' })]);
    expect({ ...doc, servers: committed.servers }).toEqual(committed);
  });

  it('gives every response with a body an example (a list the seed leaves empty has no NDJSON line to show)', async () => {
    const { doc, ops } = await operations();
    const missing: string[] = [];
    for (const [name, op] of ops) {
      for (const [status, res] of Object.entries(op.responses)) {
        for (const [media, content] of Object.entries(res.content ?? {}) as [
          string,
          { example?: unknown; examples?: unknown },
        ][]) {
          if (content.example !== undefined || content.examples !== undefined) continue;
          const page = res.content?.['application/json'] as { examples?: Record<string, { $ref: string }> } | undefined;
          const ref =
            Object.values(page?.examples ?? {})[0]
              ?.$ref.split('/')
              .pop() ?? '';
          const empty = (doc.components.examples[ref]?.value as { data?: unknown[] } | undefined)?.data?.length === 0;
          if (!(media === 'application/x-ndjson' && empty)) missing.push(`${name} ${status} ${media}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  // After the tests that read the seed: it writes (a key, an import), as `npm run openapi` does on its own database.
  // That database is the embedded one; on PostgreSQL /ready names another database and /changes cursors count
  // other transactions.
  it.skipIf(!!process.env.TEST_DATABASE_URL)(
    'shows what the seed data answers (run `npm run openapi` after changing the seed or a schema)',
    async () => {
      const committed = JSON.parse(await readFile(new URL('../docs/openapi-examples.json', import.meta.url), 'utf8'));
      expect(await collectResponseExamples(ctx.app, TEST_ADMIN_KEY)).toEqual(committed);
    },
  );

  it('serves Swagger UI from local assets', async () => {
    const page = await ctx.api.get('/docs/').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    await ctx.api.get('/docs/static/swagger-ui-bundle.js').expect(200);
  });
});
