import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const withPostgres = Boolean(process.env.TEST_DATABASE_URL);
// Builds the migrated, reference-loaded database once per run; each test file gets a copy.
const globalSetup = ["tests/support/test-database-templates.ts"];
// Integration files share their worker's modules and process: each file still opens a database of
// its own, and tests/support/each-file.ts gives it the process state a new one has (ADR 0038).
const integration = { isolate: false, globalSetup, setupFiles: ["tests/support/each-file.ts"] };

/**
 * Unit tests sit next to their modules; the integration suite runs on PGlite and, when
 * TEST_DATABASE_URL points at a PostgreSQL server, a second time on it.
 */
export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: PGlite instances are memory-hungry, so keep the number of workers small.
    maxWorkers: 2,
    projects: [
      { extends: true as const, test: { name: "unit", include: ["app/**/*.test.{ts,tsx}", "db/**/*.test.ts", "scripts/**/*.test.ts"] } },
      {
        extends: true as const,
        test: { name: "integration:pglite", include: ["tests/integration/**/*.test.ts"], env: { TEST_DB_KIND: "pglite" }, ...integration },
      },
      ...(withPostgres
        ? [
            {
              extends: true as const,
              test: { name: "integration:postgres", include: ["tests/integration/**/*.test.ts"], env: { TEST_DB_KIND: "postgres" }, ...integration },
            },
          ]
        : []),
    ],
  },
});
