import { sql, type Kysely } from "kysely";

/**
 * Scanning, the session roster and the session's credit list read the ledger by session and
 * by provider: two indexes so those reads stay quick as the ledger grows (the session page
 * lists a session's credits; the roster and a provider's view of children ask "has this
 * child been credited by this provider before?"). No new tables: a credit is still only ever
 * written by issueCredit.
 */
const statements = [
  `create index credit_session_idx on credit (area_id, session_id)`,
  `create index credit_provider_child_idx on credit (area_id, provider_id, child_id)`,
];

export async function up(db: Kysely<unknown>) {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
