/**
 * `npm run import:postcodes -- FILE [--wales-only] [--all]`
 *
 * Loads an ONS postcode directory (NSPL or ONSPD CSV) into postcode_lsoa, streaming the file
 * so the 2.7 million rows of a quarterly release need little memory. By default only
 * postcodes whose LSOA is in the WIMD table are kept; --all keeps every postcode with an LSOA
 * (so a postcode in England is recognised as outside Wales), --wales-only keeps W01 LSOAs.
 * Both geographies are kept where the file has them (lsoa11cd, lsoa21cd); a file naming a
 * Welsh LSOA its geography does not have is refused whole, with the lines at fault.
 * With the embedded database, stop the server first: PGlite must not be opened twice.
 */
import { recordAudit } from "~/modules/audit/audit.server";
import { importPostcodeDirectory } from "~/modules/reference/postcodes.server";
import { fileAndOptions, prepareForImport } from "./import-command";
import { withDatabase } from "./with-database";

const usage = "Usage: npm run import:postcodes -- FILE.csv [--wales-only] [--all]";
const { file, values } = fileAndOptions(usage, { "wales-only": { type: "boolean" }, all: { type: "boolean" } });

await withDatabase(async (db) => {
  // The LSOAs decide which postcodes are kept: load them first on a database that has none yet.
  await prepareForImport(db);
  const started = Date.now();
  const report = await importPostcodeDirectory(db, file, {
    walesOnly: values["wales-only"],
    all: values.all,
    onProgress: (rows) => console.log(`  ${rows.toLocaleString("en-GB")} rows read…`),
  });
  await recordAudit(db, { action: "postcode_directory_imported", details: { file: file.split("/").pop(), ...report } });
  const n = (value: number) => value.toLocaleString("en-GB");
  const geography = { lsoa2011: "2011 LSOAs only", lsoa2021: "2021 LSOAs only", "lsoa2011+lsoa2021": "2011 and 2021 LSOAs" }[report.geography];
  console.log(`Postcode directory (${report.layout} layout, ${geography}: ${report.lsoaColumn}) loaded in ${Math.round((Date.now() - started) / 1000)} s:`);
  console.log(`  rows read:                         ${n(report.rowsRead)}`);
  console.log(`  postcodes kept:                    ${n(report.kept)}`);
  console.log(`  skipped, no LSOA:                  ${n(report.skippedNoLsoa)}`);
  if (values["wales-only"]) console.log(`  skipped, outside Wales:            ${n(report.skippedNotWales)}`);
  if (!values.all) console.log(`  skipped, outside Wales:            ${n(report.skippedUnknownLsoa)}`);
  console.log(`  skipped, not a valid postcode:     ${n(report.skippedBadPostcode)}`);
});
