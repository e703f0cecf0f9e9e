import { parseArgs } from "node:util";
import type { DB } from "~/modules/db/database.server";
import { migrateToLatest } from "~/modules/db/migrate.server";
import { loadReferenceData } from "~/modules/reference/lsoa.server";

type FlagOptions = Record<string, { type: "string" | "boolean" }>;
type FlagValues<O extends FlagOptions> = { [K in keyof O]?: O[K]["type"] extends "string" ? string : boolean };

/**
 * The arguments of an import command, `FILE [--option …]`: with --help, a wrong option or not
 * exactly one file, the usage line is printed and the command ends.
 */
export function fileAndOptions<O extends FlagOptions>(usage: string, options: O): { file: string; values: FlagValues<O> } {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(1);
  }
  if (parsed.values.help || parsed.positionals.length !== 1) {
    console.log(usage);
    process.exit(parsed.values.help ? 0 : 1);
  }
  return { file: parsed.positionals[0]!, values: parsed.values as FlagValues<O> };
}

/** An import checks against the LSOAs: bring the schema up to date and load them on a database that has none yet. */
export async function prepareForImport(db: DB) {
  await migrateToLatest(db);
  if (!(await db.selectFrom("lsoa21").select("code").limit(1).executeTakeFirst())) await loadReferenceData(db);
}
