// npm run openapi — writes docs/openapi.json, the committed copy of the API contract. A test fails when it
// differs from what the code serves, so contract changes show up in review.
import { writeFile } from 'node:fs/promises';
import { buildApp } from '../src/app.js';
import { openDatabase } from '../src/db/database.js';

const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
const app = await buildApp({ database: db });
await app.ready();
await writeFile(new URL('../docs/openapi.json', import.meta.url), `${JSON.stringify(app.swagger(), null, 2)}\n`);
await app.close();
await db.close();
console.log('Wrote docs/openapi.json');
