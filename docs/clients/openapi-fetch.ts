// A typed Attest client from openapi-typescript (default options) and openapi-fetch. Generate the types once:
//   npx openapi-typescript http://127.0.0.1:3000/openapi.json -o attest.d.ts
// then run this with ATTEST_URL (the server) and ATTEST_KEY (an API key, for the write) set.
// test/generated-clients.test.ts generates, compiles (tsc --strict) and runs it against the seed data.
import createClient from 'openapi-fetch';
import type { components, paths } from './attest.js';

type Statement = components['schemas']['Statement'];

// Lists also answer CSV and NDJSON (`format`, Accept): the second type argument keeps the JSON media types
// (application/json, and application/problem+json for errors), which are what this program asks for.
const attest = createClient<paths, 'application/json' | 'application/problem+json'>({ baseUrl: process.env.ATTEST_URL ?? 'http://127.0.0.1:3000' });

// Statements by one speaker in March 2024, two a page, following the cursor to the end.
const statements: Statement[] = [];
let cursor: string | undefined;
let pages = 0;
do {
  const { data, error } = await attest.GET('/statements', {
    params: { query: { actor: ['miguel-diaz-canel'], from: '2024-03', to: '2024-03', limit: 2, cursor } },
  });
  if (error) throw new Error(`${error.status} ${error.detail}`);
  statements.push(...data.data);
  cursor = data.nextCursor ?? undefined;
  pages += 1;
} while (cursor);

// A statement with its citation, written with a key. Fields with defaults (tags, verification, involved) are left out.
const { data: created, error: refused, response } = await attest.POST('/statements', {
  headers: { authorization: `Bearer ${process.env.ATTEST_KEY}`, 'change-reason': 'Example client' },
  body: {
    speaker: 'miguel-diaz-canel',
    text: 'Written by the openapi-fetch example client.',
    language: 'en',
    kind: 'paraphrase',
    saidOn: '2024-04-02',
    citations: [{ sourceId: statements[0].citations[0].source.id, excerpt: 'The passage that carries it.', role: 'secondary' }],
  },
});
if (refused) throw new Error(`${refused.status} ${refused.detail}`);

// A refused request: the error is the typed problem document.
const { error: problem } = await attest.GET('/statements', { params: { query: { from: '2024-13' } } });

console.log(
  JSON.stringify({
    listed: statements.map((s) => `${s.saidOn} ${s.speaker?.slug ?? s.attributedTo}`),
    pages,
    created: { status: response.status, location: response.headers.get('location'), id: created.id, citations: created.citations.length },
    problem: { status: problem?.status, code: problem?.code, field: problem?.errors?.[0]?.field },
  }),
);
