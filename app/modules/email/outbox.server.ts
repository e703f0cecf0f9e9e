import type { DB } from "../db/database.server";

/**
 * The outbox page exists for the embedded demo, where no mail server is set up and
 * invitation or reset links could not be followed otherwise. On a real deployment
 * (DATABASE_URL set) the page is hidden unless SHOW_OUTBOX=1 asks for it.
 */
export function outboxViewerEnabled(env: Record<string, string | undefined> = process.env) {
  return !env.DATABASE_URL || env.SHOW_OUTBOX === "1";
}

/** The latest emails sent on behalf of an area, newest first. */
export function listOutbox(db: DB, areaId: string, limit = 100) {
  return db
    .selectFrom("outbox_email")
    .select(["id", "to_email", "language", "subject", "body_text", "transport", "created_at"])
    .where("area_id", "=", areaId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}
