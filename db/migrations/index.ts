import type { Migration } from "kysely";
import * as m0001 from "./0001_initial";
import * as m0002 from "./0002_accounts";

/**
 * Every migration, in order. Listed here rather than read from the folder so that the
 * server bundle, the CLI and the tests all run exactly the same set. Forward-only: add a
 * new numbered file, never edit one that has shipped.
 */
export const migrations: Record<string, Migration> = {
  "0001_initial": m0001,
  "0002_accounts": m0002,
};
