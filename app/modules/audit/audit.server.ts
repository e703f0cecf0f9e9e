import type { DB } from "../db/database.server";

export type AuditAction =
  | "sign_in"
  | "sign_in_failed"
  | "sign_out"
  | "password_reset_requested"
  | "password_reset"
  | "invitation_sent"
  | "invitation_accepted"
  | "membership_added"
  | "membership_switched"
  | "guardian_registered"
  | "email_confirmed"
  | "api_token_created"
  | "api_token_revoked"
  | "child_record_viewed";

export interface AuditEntry {
  areaId?: string | null;
  actorUserId?: string | null;
  action: AuditAction;
  subjectType?: string;
  subjectId?: string;
  details?: Record<string, unknown>;
}

/** Appends to the audit trail. The table is append-only: nothing updates or deletes it. */
export async function recordAudit(db: DB, entry: AuditEntry) {
  await db
    .insertInto("audit_event")
    .values({
      area_id: entry.areaId ?? null,
      actor_user_id: entry.actorUserId ?? null,
      action: entry.action,
      subject_type: entry.subjectType ?? null,
      subject_id: entry.subjectId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}
