// npm run openapi — writes docs/openapi.json, the committed copy of the API contract, and
// docs/openapi-examples.json, the seed data's answers that it shows as response examples. A test fails when
// either differs from what the code serves, so contract changes show up in review.
import { writeFile } from 'node:fs/promises';
import { buildApp } from '../src/app.js';
import { openDatabase } from '../src/db/database.js';
import { applyMigrations } from '../src/db/migrations.js';
import { collectResponseExamples } from '../src/http/openapi-examples.js';
import { loadSeed } from '../src/seed/load.js';

const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
await applyMigrations(db.migrationAdapter());
await loadSeed(db);
// The document is built once per app, with the examples file as it was: one app asks, a second one writes.
const adminKey = 'openapi-examples-admin-key-0123456789abcdef';
const asker = await buildApp({ database: db, adminKey });
await asker.ready();
const examples = await collectResponseExamples(asker, adminKey);
await asker.close();
await writeFile(new URL('../docs/openapi-examples.json', import.meta.url), `${JSON.stringify(examples, null, 2)}\n`);
const app = await buildApp({ database: db });
await app.ready();
await writeFile(new URL('../docs/openapi.json', import.meta.url), `${JSON.stringify(app.swagger(), null, 2)}\n`);
await app.close();
await db.close();
console.log('Wrote docs/openapi.json and docs/openapi-examples.json');
