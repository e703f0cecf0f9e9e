import type { Kysely } from "kysely";

/** Placeholder: filled in by the issue that owns it before it lands. */
export async function up(_db: Kysely<unknown>) {}
