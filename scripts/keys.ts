// API keys from a shell, for when no server runs (or before the first start):
//
//   npm run keys -- create --name NAME --scope write|admin   the new key alone on the last line of stdout
//   npm run keys -- list [--json]
//   npm run keys -- revoke <id>
//
// It works on the database the server would use: DATABASE_URL, or else the embedded one in DATA_DIR
// (created and migrated if new; the seed data still loads on the server's first start).
// Exit codes: 0 done, 1 refused or failed, 2 bad usage.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { configSchema } from '../src/config.js';
import { ProblemError } from '../src/core/problems.js';
import type { Database } from '../src/db/database.js';
import { openMigratedDatabase } from '../src/db/open.js';
import { createKey, listKeys, revokeKey } from '../src/keys/repository.js';
import { KeyCreate, type Key } from '../src/keys/schemas.js';

const USAGE = `Usage:
  npm run keys -- create --name NAME --scope write|admin
  npm run keys -- list [--json]
  npm run keys -- revoke <id>

Uses DATABASE_URL, or else the embedded database in DATA_DIR (as the server does).`;

class UsageError extends Error {}

function usage(message: string): never {
  throw new UsageError(`${message}\n\n${USAGE}`);
}

/** A command checks its arguments before the database is opened, then runs on it. */
type Command = (args: string[]) => (db: Database) => Promise<void>;

const create: Command = (args) => {
  const { values, positionals } = parseArgs({
    args,
    options: { name: { type: 'string' }, scope: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length) usage(`Unexpected argument '${positionals[0]}'.`);
  const input = KeyCreate.safeParse({ name: values.name, scope: values.scope });
  if (!input.success) {
    const field = (i: z.core.$ZodIssue) => i.path[0] as 'name' | 'scope';
    usage(input.error.issues.map((i) => `--${field(i)}: ${values[field(i)] === undefined ? 'required' : i.message}`).join('\n'));
  }
  return async (db) => {
    const key = await createKey(db, input.data);
    console.log(`Created the ${key.scope} key '${key.name}' (id ${key.id}).`);
    console.log('Store it now: it is not shown again. Send it as "Authorization: Bearer <key>".');
    console.log(key.key);
  };
};

function table(keys: Key[]) {
  const rows = [
    ['ID', 'NAME', 'SCOPE', 'CREATED', 'LAST USED', 'REVOKED'],
    ...keys.map((k) => [k.id, k.name, k.scope, k.createdAt, k.lastUsedAt ?? '-', k.revokedAt ?? '-']),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const list: Command = (args) => {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
  return async (db) => {
    const keys = await listKeys(db);
    if (values.json) console.log(JSON.stringify(keys, null, 2));
    else
      console.log(keys.length ? table(keys) : 'No keys yet. Create one with: npm run keys -- create --name NAME --scope write');
  };
};

const revoke: Command = (args) => {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  if (positionals.length !== 1) usage('revoke takes one key id (see `npm run keys -- list`).');
  const id = positionals[0];
  if (!z.uuid().safeParse(id).success) usage(`'${id}' is not a key id (a UUID, as \`list\` shows).`);
  return async (db) => {
    const revoked = await revokeKey(db, id);
    if (!revoked) throw new ProblemError('not-found', `No API key with id '${id}'.`);
    console.log(`Revoked the key '${revoked.key.name}' (id ${id}) at ${revoked.key.revokedAt}; it no longer works.`);
  };
};

const COMMANDS: Record<string, Command> = { create, list, revoke };

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (!Object.hasOwn(COMMANDS, command)) usage(`Unknown command '${command}'.`);
  const run = COMMANDS[command](args);

  if (existsSync('.env')) process.loadEnvFile('.env');
  // Only what locates the database is read: a mistake elsewhere in the server's settings must not
  // keep an operator from managing keys.
  const config = configSchema.pick({ DATABASE_URL: true, DATA_DIR: true }).safeParse(process.env);
  if (!config.success) {
    throw new Error(
      `Invalid configuration:\n${config.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  const { db } = await openMigratedDatabase(config.data);
  try {
    await run(db);
  } finally {
    await db.close();
  }
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof UsageError) {
    console.error(err.message);
    process.exitCode = 2;
  } else if (err instanceof Error && err.name === 'DataDirLockedError') {
    // src/db/lock.ts: a server (or another `npm run keys`) has the embedded database open.
    console.error(err.message);
    console.error(
      'While the server runs, manage keys through it: POST /keys, GET /keys and DELETE /keys/{id} with an admin key (ADMIN_KEY).',
    );
    process.exitCode = 1;
  } else if (err instanceof ProblemError) {
    console.error(err.detail);
    process.exitCode = 1;
  } else if (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
    console.error(`${err.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
}
