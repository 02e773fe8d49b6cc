import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Files that start servers, CLIs or a browser take the longest. Without timings from an earlier run (a fresh
// clone, CI) Vitest orders files by size, which left one of them running alone at the end: start them first.
class StartProcessesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    const sorted = await super.sort(files);
    const starts = (f: TestSpecification) => /node:child_process|playwright/.test(readFileSync(f.moduleId, 'utf8'));
    return [...sorted.filter(starts), ...sorted.filter((f) => !starts(f))];
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Migrates and seeds once per run; each file then opens its own copy (test/helpers/database.ts).
    globalSetup: ['test/helpers/global-setup.ts'],
    hookTimeout: 60_000,
    testTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is cores - 1 workers, one on this 2-core machine; a file spends much of its time
    // waiting on its database or on child processes, so two overlap well.
    maxWorkers: 2,
    // A worker runs its files one after another in one process, importing the app (Fastify, Prisma, zod
    // schemas, PGlite's WebAssembly) once rather than once per file: measured 40% less CPU. Each file still
    // gets its own database and app (useApp); a test that changes process-wide state (process.env, a
    // vi.mock, a spy, fake timers) must undo it in its own afterAll/afterEach.
    isolate: false,
    sequence: { sequencer: StartProcessesFirst },
  },
});
