/**
 * `npm run credentials:rotate-key -- --area wrexham-flintshire [--area …]` or `-- --all`
 *
 * Gives each area named (or every area with an Open Badges issuer) a new signing key. The old
 * key's secret is erased; its public key stays in the area's DID document, so every badge
 * already issued still verifies, and new ones are signed with the new key. Rotating never needs
 * the old secret: this is also the way back after CREDENTIAL_KEY_SECRET was lost (set a new one
 * first). Status lists are signed again with the new key when next asked for. Messages are in
 * Welsh when LANG starts with "cy". With the embedded database, stop the server first.
 * See docs/credentials.md.
 */
import { parseArgs } from "node:util";
import { KeyRotationRefusal, rotateIssuerKeysOf } from "~/modules/certificates/issuer-keys.server";
import { migrateToLatest } from "~/modules/db/migrate.server";
import { translator } from "~/modules/i18n/i18n";
import { withDatabase } from "./with-database";

const t = translator(process.env.LANG?.toLowerCase().startsWith("cy") ? "cy" : "en");

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let args: { area?: string[]; all?: boolean; help?: boolean };
try {
  args = parseArgs({
    options: { area: { type: "string", multiple: true }, all: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    strict: true,
  }).values;
} catch (error) {
  fail(`${error instanceof Error ? error.message : String(error)}\n\n${t("credentials.rotate.usage")}`);
}
if (args.help) {
  console.log(t("credentials.rotate.usage"));
  process.exit(0);
}
if (Boolean(args.all) === Boolean(args.area?.length)) fail(t("credentials.rotate.usage"));

await withDatabase(async (db) => {
  await migrateToLatest(db);
  try {
    const rotated = await rotateIssuerKeysOf(db, args.all ? "all" : args.area!);
    if (rotated.length === 0) console.log(t("credentials.rotate.none"));
    for (const row of rotated) console.log(t("credentials.rotate.done", { slug: row.slug, key: `${row.did}#key-${row.keyNumber}` }));
  } catch (error) {
    if (error instanceof KeyRotationRefusal) fail(t(error.reason, { slug: error.slug }));
    throw error;
  }
});
