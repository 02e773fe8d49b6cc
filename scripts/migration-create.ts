// npm run db:migration -- <name> — writes prisma/migrations/<timestamp>_<name>/migration.sql from the
// difference between the migrations folder and prisma/schema.prisma. The migrations are replayed into a
// throw-away in-memory PGlite, so no database needs to be running.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { pgliteExtensions } from '../src/db/extensions.js';
import { createMigration } from '../src/db/migrations.js';

const name = process.argv[2];
if (!name) {
  console.error('Usage: npm run db:migration -- <name>   e.g. npm run db:migration -- add_figure_unit');
  process.exit(2);
}
const pglite = await PGlite.create('memory://', { extensions: await pgliteExtensions() });
try {
  const file = await createMigration(name, new PrismaPGlite(pglite));
  console.log(
    file ? `Wrote ${file}\nReview it, then run npm run db:migrate.` : 'schema.prisma and the migrations agree: nothing to write.',
  );
} finally {
  await pglite.close();
}
