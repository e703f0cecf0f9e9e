#!/usr/bin/env node
/**
 * `npm test`: every suite. Lint, the type check, unit and integration tests (vitest; the integration suite runs a
 * second time on PostgreSQL when TEST_DATABASE_URL is set), the i18n check, the page-weight
 * budget, then the browser tests in Chromium.
 */
import { spawnSync } from "node:child_process";

const steps = [
  ["lint and format", "npm", ["run", "lint"]],
  // Also checks every translation key against the strings (typed-keys.d.ts).
  ["type check", "npm", ["run", "typecheck"]],
  ["i18n completeness", "npx", ["tsx", "scripts/i18n-check.ts"]],
  ["unit and integration tests", "npx", ["vitest", "run"]],
  // Builds the app, serves it on a fresh demo database, prints each main page's weight.
  ["page-weight budget", "npx", ["tsx", "scripts/page-weight.ts"]],
  ["browser tests", "node", ["scripts/e2e.mjs"]],
];

if (!process.env.TEST_DATABASE_URL) {
  console.log("TEST_DATABASE_URL is not set: the integration suite runs on PGlite only.");
}

const failed = [];
for (const [name, command, args] of steps) {
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(command, args, { stdio: "inherit", env: process.env });
  if (result.status !== 0) failed.push(name);
}
console.log(`\nsteps: ${steps.length - failed.length} passed, ${failed.length} failed`);
if (failed.length) {
  console.error(`Failed: ${failed.join(", ")}`);
  process.exit(1);
}
