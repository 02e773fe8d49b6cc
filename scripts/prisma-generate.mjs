// Runs `prisma generate` without downloading anything. The CLI would first
// fetch a native schema engine from Prisma's CDN, which generation with the
// `prisma-client` generator never uses; pointing PRISMA_SCHEMA_ENGINE_BINARY
// at any existing file skips that download. Migrations use the WebAssembly
// engine instead (src/db/migrations.ts).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const result = spawnSync(process.execPath, [fileURLToPath(import.meta.resolve('prisma/build/index.js')), 'generate'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? fileURLToPath(import.meta.url),
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
process.exit(result.status ?? 1);
