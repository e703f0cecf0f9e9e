/**
 * `npm run i18n:check`: every string must exist in both Welsh and English. Fails listing the
 * keys found in one language only, or left empty.
 */
import { compareLocales } from "~/modules/i18n/completeness";
import { resources } from "~/modules/i18n/i18n";

const problems = compareLocales(resources.cy.translation, resources.en.translation);
if (problems.length) {
  console.error(`i18n check failed: ${problems.length} problem(s)`);
  for (const problem of problems) console.error(`- ${problem}`);
  process.exit(1);
}
console.log("i18n check passed: every key exists in Welsh and English.");
