/**
 * `npm run import:population -- FILE.csv [--source "ONS mid-2022 estimates"] [--geography 2011|2021]`
 *
 * Loads child-population figures per LSOA (CSV: LSOA code, population aged 5–14; a header
 * line is optional) into lsoa21_population (2021 LSOAs, for WIMD 2025) or lsoa_population
 * (2011 LSOAs, for WIMD 2019): --geography, else the header (lsoa21cd, lsoa11cd), else the
 * codes say which; a file mixing the two is refused. Every row is checked first — an unknown LSOA code,
 * a population that is not a whole number or is negative, an LSOA given twice — and if any
 * row is bad nothing is imported and every problem is listed with its line number. A good
 * file is imported in one transaction: its LSOAs' figures are added or replaced, others kept.
 * With the embedded database, stop the server first: PGlite must not be opened twice.
 */
import { recordAudit } from "~/modules/audit/audit.server";
import { importPopulationFile, PopulationFileError } from "~/modules/reference/population.server";
import { fileAndOptions, prepareForImport } from "./import-command";
import { withDatabase } from "./with-database";

const usage = 'Usage: npm run import:population -- FILE.csv [--source "where the figures come from"] [--geography 2011|2021]';
const { file, values } = fileAndOptions(usage, { source: { type: "string" }, geography: { type: "string" } });
if (values.geography !== undefined && values.geography !== "2011" && values.geography !== "2021") {
  console.error(`--geography must be 2011 or 2021.\n${usage}`);
  process.exit(1);
}
const geography = values.geography === "2011" ? "lsoa2011" : values.geography === "2021" ? "lsoa2021" : undefined;

await withDatabase(async (db) => {
  await prepareForImport(db);
  let report;
  try {
    report = await importPopulationFile(db, file, values.source ?? null, geography);
  } catch (error) {
    if (!(error instanceof PopulationFileError)) throw error;
    console.error(error.problems.length ? `${file}: ${error.message}` : error.message);
    const shown = error.problems.slice(0, 100);
    for (const problem of shown) console.error(`  line ${problem.line}: ${problem.message}`);
    if (error.problems.length > shown.length) console.error(`  … and ${error.problems.length - shown.length} more.`);
    process.exitCode = 1;
    return;
  }
  await recordAudit(db, { action: "population_figures_imported", details: { file: file.split("/").pop(), ...report } });
  const n = (value: number) => value.toLocaleString("en-GB");
  console.log(`Child population (aged 5–14) by ${report.geography === "lsoa2021" ? "2021 LSOA (WIMD 2025)" : "2011 LSOA (WIMD 2019)"} imported from ${file}:`);
  console.log(`  LSOAs in the file:        ${n(report.rowsRead)} (${n(report.added)} new, ${n(report.replaced)} replaced)`);
  console.log(`  children aged 5–14:       ${n(report.totalPopulation)}`);
  console.log(`  LSOAs of Wales with figures now: ${n(report.lsoasWithFigures)} of ${n(report.lsoasInWales)}`);
});
