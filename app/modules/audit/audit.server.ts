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
  | "child_record_viewed"
  // Children and passports (issue 5).
  | "child_registered"
  | "child_consent_given"
  | "child_consent_withdrawn"
  | "child_data_exported"
  | "child_withdrawn"
  | "child_anonymised_retention"
  | "passport_replaced"
  | "passport_card_printed"
  | "passport_scanned"
  // A child's own sign-in (issue 16).
  | "child_sign_in_card_created"
  | "child_sign_in_card_revoked"
  | "child_sign_in_failed"
  | "passport_token_refused"
  | "roster_previewed"
  | "roster_imported"
  | "roster_discarded"
  | "guardian_letters_printed"
  | "guardian_invited_to_child"
  | "guardian_linked_to_child"
  | "postcode_directory_imported"
  | "population_figures_imported"
  | "child_home_placed"
  // Learning Destinations, activities and sessions (issue 4).
  | "provider_applied"
  | "provider_resubmitted"
  | "provider_validated"
  | "provider_changes_requested"
  | "provider_refused"
  | "activity_created"
  | "activity_updated"
  | "activity_validated"
  | "activity_changes_requested"
  | "activity_refused"
  | "sessions_created"
  | "session_cancelled"
  // Credits (issue 6).
  | "credit_issued"
  | "credit_revoked"
  // Session codes and claims (issue 6).
  | "claim_submitted"
  | "claim_approved"
  | "claim_rejected"
  | "claim_approval_changed"
  | "session_code_shown"
  | "session_code_refused"
  | "session_codes_reset"
  | "session_poster_printed"
  // Award ladder and flagged awards (issue 7).
  | "award_ladder_changed"
  | "award_kept"
  | "award_withdrawn"
  // Graduations (issue 7).
  | "graduation_created"
  | "graduation_start_time_set"
  | "graduation_list_exported"
  | "graduation_letters_printed"
  | "graduation_invitations_emailed"
  | "graduation_attendance_recorded"
  | "graduation_graduated"
  | "graduation_certificates_printed"
  // Certificates (issue 7).
  | "certificate_issued"
  | "certificate_revoked"
  // Records moved between Children's Universities (issue 17).
  | "records_exported"
  | "records_imported"
  // The annual impact report's kept releases (issue 21).
  | "impact_report_published";

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
