import type { Migration } from "kysely";
import * as m0001 from "./0001_initial";
import * as m0002 from "./0002_accounts";
import * as m0003 from "./0003_activities";
import * as m0004 from "./0004_passports";
import * as m0005 from "./0005_ledger_guards";
import * as m0006 from "./0006_claims";
import * as m0007 from "./0007_scanning";
import * as m0008 from "./0008_awards";
import * as m0009 from "./0009_graduations";
import * as m0010 from "./0010_lsoa_population";
import * as m0011 from "./0011_ledger_totals";
import * as m0012 from "./0012_graduation_start_time";
import * as m0013 from "./0013_credit_in_one_call";
import * as m0015 from "./0015_wimd2025";
import * as m0018 from "./0018_sign_in_backoff";
import * as m0020 from "./0020_child_sign_in";
import * as m0021 from "./0021_ledger_key_scope";
import * as m0023 from "./0023_open_badges";
import * as m0025 from "./0025_cell_keys";
import * as m0026 from "./0026_rate_limit_unlogged";
import * as m0027 from "./0027_credential_transfer";
import * as m0031 from "./0031_transferred_children";
import * as m0032 from "./0032_impact_releases";

/**
 * Every migration, in order. Listed here rather than read from the folder so that the
 * server bundle, the CLI and the tests all run exactly the same set. Forward-only: add a
 * new numbered file, never edit one that has shipped.
 */
export const migrations: Record<string, Migration> = {
  "0001_initial": m0001,
  "0002_accounts": m0002,
  "0003_activities": m0003,
  "0004_passports": m0004,
  "0005_ledger_guards": m0005,
  "0006_claims": m0006,
  "0007_scanning": m0007,
  "0008_awards": m0008,
  "0009_graduations": m0009,
  "0010_lsoa_population": m0010,
  "0011_ledger_totals": m0011,
  "0012_graduation_start_time": m0012,
  "0013_credit_in_one_call": m0013,
  "0015_wimd2025": m0015,
  "0018_sign_in_backoff": m0018,
  "0020_child_sign_in": m0020,
  "0021_ledger_key_scope": m0021,
  "0023_open_badges": m0023,
  "0025_cell_keys": m0025,
  "0026_rate_limit_unlogged": m0026,
  "0027_credential_transfer": m0027,
  "0031_transferred_children": m0031,
  "0032_impact_releases": m0032,
};
