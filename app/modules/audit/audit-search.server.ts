import { sql } from "kysely";
import { z } from "zod";
import { forbidden, type Membership } from "../accounts/actor.server";
import type { DB } from "../db/database.server";
import { message, type MessageKey } from "../forms/messages";
import { parseForm, type FieldErrors } from "../forms/parse-form.server";
import type { AuditAction } from "./audit.server";

/**
 * Every audit action, for the search's action filter. A Record so that adding an action to
 * AuditAction without listing it here fails the type check; give it a label under
 * audit.actions in both languages too (a test checks).
 */
const ACTIONS: Record<AuditAction, true> = {
  sign_in: true,
  sign_in_failed: true,
  sign_out: true,
  password_reset_requested: true,
  password_reset: true,
  invitation_sent: true,
  invitation_accepted: true,
  membership_added: true,
  membership_switched: true,
  guardian_registered: true,
  email_confirmed: true,
  api_token_created: true,
  api_token_revoked: true,
  child_record_viewed: true,
  child_registered: true,
  child_consent_given: true,
  child_consent_withdrawn: true,
  child_data_exported: true,
  child_withdrawn: true,
  child_anonymised_retention: true,
  passport_replaced: true,
  passport_card_printed: true,
  passport_scanned: true,
  child_sign_in_card_created: true,
  child_sign_in_card_revoked: true,
  child_sign_in_failed: true,
  passport_token_refused: true,
  roster_previewed: true,
  roster_imported: true,
  roster_discarded: true,
  guardian_letters_printed: true,
  guardian_invited_to_child: true,
  guardian_linked_to_child: true,
  postcode_directory_imported: true,
  population_figures_imported: true,
  child_home_placed: true,
  provider_applied: true,
  provider_resubmitted: true,
  provider_validated: true,
  provider_changes_requested: true,
  provider_refused: true,
  activity_created: true,
  activity_updated: true,
  activity_validated: true,
  activity_changes_requested: true,
  activity_refused: true,
  sessions_created: true,
  session_cancelled: true,
  credit_issued: true,
  credit_revoked: true,
  claim_submitted: true,
  claim_approved: true,
  claim_rejected: true,
  claim_approval_changed: true,
  session_code_shown: true,
  session_code_refused: true,
  session_codes_reset: true,
  session_poster_printed: true,
  award_ladder_changed: true,
  award_kept: true,
  award_withdrawn: true,
  graduation_created: true,
  graduation_start_time_set: true,
  graduation_list_exported: true,
  graduation_letters_printed: true,
  graduation_invitations_emailed: true,
  graduation_attendance_recorded: true,
  graduation_graduated: true,
  graduation_certificates_printed: true,
  certificate_issued: true,
  certificate_revoked: true,
  records_exported: true,
  records_imported: true,
  impact_report_published: true,
};
export const AUDIT_ACTIONS = Object.keys(ACTIONS) as AuditAction[];

export const AUDIT_PAGE_SIZE = 50;

/** Days are the area's days: a coordinator in Wrexham means midnight in the UK, not UTC. */
const AREA_TIME_ZONE = "Europe/London";

/** An empty date box means no limit. */
const optionalDate = (error: MessageKey) => z.preprocess((value) => (value === "" ? undefined : value), z.iso.date({ error }).optional());

/** The search form (GET): every field optional; dates as the browser's date input sends them. */
export const auditFilterForm = z
  .object({
    action: z.enum(["", ...AUDIT_ACTIONS], { error: message("audit.actionInvalid") }).optional(),
    email: z
      .string()
      .trim()
      .toLowerCase()
      .max(254, { error: message("audit.emailTooLong") })
      .optional(),
    from: optionalDate(message("audit.fromInvalid")),
    to: optionalDate(message("audit.toInvalid")),
    // The "next page" link's cursor: anything but a positive whole number means the first page.
    before: z
      .string()
      .optional()
      .transform((value) => (Number.isSafeInteger(Number(value)) && Number(value) > 0 ? Number(value) : undefined)),
  })
  .refine((form) => !form.from || !form.to || form.from <= form.to, { path: ["to"], error: message("audit.toBeforeFrom") });

export interface AuditFilters {
  action?: AuditAction;
  /** All or part of the acting person's email address. */
  email?: string;
  /** Inclusive calendar days, YYYY-MM-DD. */
  from?: string;
  to?: string;
  /** Keyset cursor: only events older than this id (the "next page" link carries it). */
  before?: number;
}

export type ParsedAuditFilters =
  { ok: true; filters: AuditFilters; values: Record<string, string> } | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** Reads the filters from the page's query string. */
export function parseAuditFilters(params: URLSearchParams): ParsedAuditFilters {
  const parsed = parseForm(auditFilterForm, params);
  if (!parsed.ok) return parsed;
  const { action, email, from, to, before } = parsed.data;
  const filters: AuditFilters = {
    action: action || undefined,
    email: email || undefined,
    from: from || undefined,
    to: to || undefined,
    before,
  };
  const values = { action: action ?? "", email: email ?? "", from: from ?? "", to: to ?? "" };
  return { ok: true, filters, values };
}

/** `%` and `_` typed in the email box are matched literally. */
function likePattern(text: string) {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * A page of the coordinator's area's audit trail, newest first. Only coordinators search it,
 * and only ever their own area (events with no area, such as failed sign-ins for unknown
 * addresses, belong to no coordinator).
 */
export async function searchAuditEvents(db: DB, m: Membership, filters: AuditFilters, pageSize = AUDIT_PAGE_SIZE) {
  if (m.role !== "coordinator") forbidden();
  let query = db
    .selectFrom("audit_event")
    .leftJoin("app_user", "app_user.id", "audit_event.actor_user_id")
    .select([
      "audit_event.id",
      "audit_event.at",
      "audit_event.action",
      "audit_event.subject_type",
      "audit_event.subject_id",
      "audit_event.details",
      "app_user.email as actor_email",
      "app_user.display_name as actor_name",
    ])
    .where("audit_event.area_id", "=", m.areaId);
  if (filters.action) query = query.where("audit_event.action", "=", filters.action);
  if (filters.email) query = query.where("app_user.email", "like", likePattern(filters.email));
  if (filters.from) query = query.where("audit_event.at", ">=", sql<Date>`(${filters.from}::date)::timestamp at time zone ${AREA_TIME_ZONE}`);
  if (filters.to) query = query.where("audit_event.at", "<", sql<Date>`(${filters.to}::date + 1)::timestamp at time zone ${AREA_TIME_ZONE}`);
  if (filters.before) query = query.where("audit_event.id", "<", filters.before);
  // Ids grow with every insert, so they order events as they happened and make a cursor
  // that new events cannot shift (an offset would repeat rows as the trail grows).
  const rows = await query
    .orderBy("audit_event.id", "desc")
    .limit(pageSize + 1)
    .execute();
  const events = rows.slice(0, pageSize).map((row) => ({
    id: row.id,
    at: row.at,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    // Only a name (of a token, say) is shown from the details; the rest stays in the database.
    subjectName: typeof row.details?.name === "string" ? row.details.name : null,
    actorEmail: row.actor_email,
    actorName: row.actor_name,
  }));
  const nextBefore = rows.length > pageSize ? events[events.length - 1]!.id : null;
  return { events, nextBefore };
}
