import { sql } from "kysely";
import { isUuid } from "../accounts/actor.server";
import type { DB } from "../db/database.server";

/**
 * Whether a session can earn credits at all: the one place that says so, for every way a
 * credit is issued (passport scan, session code, roster, import). The credit itself (caps,
 * the grace window after a session, one per child) is the credits module's business.
 *
 * A session earns credits only when
 * - it exists in the area and is not cancelled;
 * - it has started by `at` (a passport is never stamped for something that has not happened);
 * - its Learning Destination and its activity are both validated, and both validations run
 *   to at least the session's date in Wales. An expired validation therefore stops new
 *   credits on its own, with no job to run.
 */
export type NotCreditableReason =
  "SESSION_NOT_FOUND" | "SESSION_CANCELLED" | "SESSION_NOT_STARTED" | "PROVIDER_NOT_VALIDATED" | "ACTIVITY_NOT_VALIDATED" | "VALIDATION_EXPIRED";

export interface CreditableSession {
  sessionId: string;
  activityId: string;
  providerId: string;
  quarterHours: number;
  startsAt: Date;
  endsAt: Date;
  /** The session's date in Wales: what a credit's earned_on is. */
  earnedOn: string;
  /** The activity's cap on hours per child per term, if it has one. */
  termCapQuarterHours: number | null;
}

export type Creditability = { ok: true; session: CreditableSession } | { ok: false; reason: NotCreditableReason };

/** The rule lives in the database (`pasbort_session_creditability`, migration 0013), where the ledger's own checks use it too. */
export async function isCreditable(db: DB, areaId: string, sessionId: string, at: Date = new Date()): Promise<Creditability> {
  if (!isUuid(sessionId)) return { ok: false, reason: "SESSION_NOT_FOUND" };
  const { rows } = await sql<{
    reason: NotCreditableReason | null;
    session_id: string;
    activity_id: string;
    provider_id: string;
    quarter_hours: number;
    starts_at: Date;
    ends_at: Date;
    earned_on: string;
    term_cap_quarter_hours: number | null;
  }>`select * from pasbort_session_creditability(${areaId}, ${sessionId}, ${at})`.execute(db);
  const row = rows[0];
  if (!row) return { ok: false, reason: "SESSION_NOT_FOUND" };
  if (row.reason) return { ok: false, reason: row.reason };
  return {
    ok: true,
    session: {
      sessionId: row.session_id,
      activityId: row.activity_id,
      providerId: row.provider_id,
      quarterHours: row.quarter_hours,
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      earnedOn: row.earned_on,
      termCapQuarterHours: row.term_cap_quarter_hours,
    },
  };
}
