// A typed Attest SDK from @hey-api/openapi-ts. Generate it once (the base URL comes from the document's server):
//   npx @hey-api/openapi-ts -i http://127.0.0.1:3000/openapi.json -o attest-sdk
// then run this with ATTEST_KEY (an API key, for the write) set.
// test/generated-clients.test.ts generates, compiles (tsc --strict) and runs it against the seed data.
import { client } from './attest-sdk/client.gen.js';
import { createStatement, listStatements, type Statement } from './attest-sdk/index.js';

// The key goes with the operations that declare the bearer scheme (the writes).
client.setConfig({ auth: process.env.ATTEST_KEY });

// Statements by one speaker in March 2024, two a page, following the cursor to the end.
const statements: Statement[] = [];
let cursor: string | undefined;
let pages = 0;
do {
  const { data, error } = await listStatements({
    query: { actor: ['miguel-diaz-canel'], from: '2024-03', to: '2024-03', limit: 2, cursor },
  });
  if (error) throw new Error(`${error.status} ${error.detail}`);
  statements.push(...data.data);
  cursor = data.nextCursor ?? undefined;
  pages += 1;
} while (cursor);

// A statement with its citation. Fields with defaults (tags, verification, involved) are left out.
const { data: created, error: refused, response } = await createStatement({
  headers: { 'change-reason': 'Example client' },
  body: {
    speaker: 'miguel-diaz-canel',
    text: 'Written by the hey-api example client.',
    language: 'en',
    kind: 'paraphrase',
    saidOn: '2024-04-02',
    citations: [{ sourceId: statements[0].citations[0].source.id, excerpt: 'The passage that carries it.', role: 'secondary' }],
  },
});
if (refused) throw new Error(`${refused.status} ${refused.detail}`);

// A refused request: the error is the typed problem document.
const { error: problem } = await listStatements({ query: { from: '2024-13' } });

console.log(
  JSON.stringify({
    listed: statements.map((s) => `${s.saidOn} ${s.speaker?.slug ?? s.attributedTo}`),
    pages,
    created: { status: response.status, location: response.headers.get('location'), id: created.id, citations: created.citations.length },
    problem: { status: problem?.status, code: problem?.code, field: problem?.errors?.[0]?.field },
  }),
);
