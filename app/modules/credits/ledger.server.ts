import { sql } from "kysely";
import type { DB } from "../db/database.server";
import type { AreaSettings, CreditMethod } from "../db/schema";
import { creditsVisibleTo } from "../accounts/access.server";
import { forbidden, isUuid, type Membership } from "../accounts/actor.server";
import { recordAudit } from "../audit/audit.server";
import { syncAwards, type ReachedAward } from "../awards/awards.server";
import { isCreditable, type NotCreditableReason } from "./eligibility.server";
import { termOf } from "./terms";

/** Area defaults where its settings say nothing: 8 hours a day, and two days to scan after a session ends. */
export const DEFAULT_DAILY_CAP_QUARTER_HOURS = 32;
export const DEFAULT_CREDIT_WINDOW_MINUTES = 48 * 60;
/** Provider staff may revoke their own credits for this long; coordinators at any time. */
export const STAFF_REVOKE_DAYS = 30;

export interface CreditRequest {
  areaId: string;
  childId: string;
  sessionId: string;
  method: CreditMethod;
  /** Who issued it: a staff member, a guardian claiming, or null for an API device. */
  issuedBy: string | null;
  /** Chosen by the client; replaying it returns the first result (offline scanners retry). */
  idempotencyKey: string;
  /** When set, the session must belong to this provider (staff and API tokens issue only their own). */
  providerId?: string | null;
  at?: Date;
}

export type CreditRefusal =
  | NotCreditableReason
  | "SESSION_CLOSED"
  | "WRONG_PROVIDER"
  | "CHILD_NOT_FOUND"
  | "CHILD_WITHDRAWN"
  | "ALREADY_CREDITED"
  | "DAILY_CAP_REACHED"
  | "TERM_CAP_REACHED"
  | "IDEMPOTENCY_KEY_REUSED";

export interface IssuedCredit {
  id: string;
  childId: string;
  sessionId: string;
  quarterHours: number;
  earnedOn: string;
}

export type CreditOutcome =
  | { ok: true; replayed: boolean; credit: IssuedCredit; childQuarterHours: number; awardsReached: ReachedAward[] }
  | { ok: false; code: CreditRefusal };

/**
 * The one door into the ledger. Every rule that makes a credit trustworthy is checked here,
 * in one transaction that holds the child's row, so two scans at once cannot both slip
 * under a cap. Credits are only ever added; mistakes are revoked, never edited.
 */
export async function issueCredit(db: DB, request: CreditRequest): Promise<CreditOutcome> {
  const at = request.at ?? new Date();
  // Called inside a transaction (a claim being approved), it runs in it: claim and credit commit together.
  const inTransaction = <T>(work: (trx: DB) => Promise<T>) => (db.isTransaction ? work(db) : db.transaction().execute(work));
  return inTransaction(async (trx) => {
    const child = await trx
      .selectFrom("child")
      .select(["id", "status"])
      .where("area_id", "=", request.areaId)
      .where("id", "=", request.childId)
      .forUpdate()
      .executeTakeFirst();

    const earlier = await findByIdempotencyKey(trx, request.areaId, request.idempotencyKey);
    if (earlier) return replay(trx, earlier, request);
    if (!child) return refuse("CHILD_NOT_FOUND");
    if (child.status !== "active") return refuse("CHILD_WITHDRAWN");

    const creditable = await isCreditable(trx, request.areaId, request.sessionId, at);
    if (!creditable.ok) return refuse(creditable.reason);
    const session = creditable.session;
    if (request.providerId && request.providerId !== session.providerId) return refuse("WRONG_PROVIDER");

    const area = await areaForCredit(trx, request.areaId);
    const windowMinutes = area.settings.creditWindowMinutes ?? DEFAULT_CREDIT_WINDOW_MINUTES;
    if (at.getTime() > session.endsAt.getTime() + windowMinutes * 60_000) return refuse("SESSION_CLOSED");

    // The child's ledger read once for every cap: a busy session must not cost a query per rule.
    const term = termOf(session.earnedOn);
    const ledger = await trx
      .selectFrom("credit")
      .select([
        sql<number>`coalesce(sum(quarter_hours), 0)`.as("total"),
        sql<number>`coalesce(sum(quarter_hours) filter (where earned_on = ${session.earnedOn}), 0)`.as("same_day"),
        sql<number>`coalesce(sum(quarter_hours) filter (where activity_id = ${session.activityId} and earned_on between ${term.from} and ${term.to}), 0)`.as("in_term"),
        sql<boolean>`coalesce(bool_or(session_id = ${session.sessionId}), false)`.as("already"),
      ])
      .where("area_id", "=", request.areaId)
      .where("child_id", "=", request.childId)
      .where("revoked_at", "is", null)
      .executeTakeFirstOrThrow();
    if (ledger.already) return refuse("ALREADY_CREDITED");
    const dailyCap = area.settings.dailyCapQuarterHours ?? DEFAULT_DAILY_CAP_QUARTER_HOURS;
    if (ledger.same_day + session.quarterHours > dailyCap) return refuse("DAILY_CAP_REACHED");
    if (session.termCapQuarterHours && ledger.in_term + session.quarterHours > session.termCapQuarterHours) return refuse("TERM_CAP_REACHED");

    const inserted = await trx
      .insertInto("credit")
      .values({
        area_id: request.areaId,
        child_id: request.childId,
        provider_id: session.providerId,
        activity_id: session.activityId,
        session_id: session.sessionId,
        quarter_hours: session.quarterHours,
        earned_on: session.earnedOn,
        method: request.method,
        issued_by: request.issuedBy,
        idempotency_key: request.idempotencyKey,
      })
      // The same key sent at the same moment for another child: the first one wins.
      .onConflict((oc) => oc.columns(["area_id", "idempotency_key"]).doNothing())
      .returning(["id", "child_id", "session_id", "quarter_hours", "earned_on"])
      .executeTakeFirst();
    if (!inserted) return refuse("IDEMPOTENCY_KEY_REUSED");
    await recordAudit(trx, {
      areaId: request.areaId,
      actorUserId: request.issuedBy,
      action: "credit_issued",
      subjectType: "credit",
      subjectId: inserted.id,
      details: { childId: request.childId, sessionId: session.sessionId, method: request.method, quarterHours: inserted.quarter_hours },
    });
    // Awards follow the ledger in the same transaction, so a credit and its award stand or fall
    // together. A credit only adds hours, so awards can change only if it crosses a threshold.
    const total = ledger.total + inserted.quarter_hours;
    const crosses = area.thresholdQuarterHours.some((threshold) => threshold > ledger.total && threshold <= total);
    const awardsReached = crosses ? await syncAwards(trx, request.areaId, request.childId, session.earnedOn) : [];
    return { ok: true as const, replayed: false, credit: toIssued(inserted), childQuarterHours: total, awardsReached };
  });
}

function refuse(code: CreditRefusal): CreditOutcome {
  return { ok: false, code };
}

/**
 * The area's settings and its ladder's thresholds (in quarter hours). The row is held FOR KEY
 * SHARE, as syncAwards does, so a ladder change in progress is waited for, not half-read.
 */
async function areaForCredit(db: DB, areaId: string): Promise<{ settings: AreaSettings; thresholdQuarterHours: number[] }> {
  const area = await db
    .selectFrom("area")
    .select((eb) => [
      "settings",
      eb
        .selectFrom("award_level")
        .select(sql<number[]>`coalesce(json_agg(threshold_hours * 4), '[]'::json)`.as("thresholds"))
        .whereRef("award_level.area_id", "=", "area.id")
        .as("thresholds"),
    ])
    .where("id", "=", areaId)
    .forKeyShare()
    .executeTakeFirstOrThrow();
  return { settings: area.settings ?? {}, thresholdQuarterHours: area.thresholds ?? [] };
}

function findByIdempotencyKey(db: DB, areaId: string, key: string) {
  return db
    .selectFrom("credit")
    .select(["id", "child_id", "session_id", "quarter_hours", "earned_on"])
    .where("area_id", "=", areaId)
    .where("idempotency_key", "=", key)
    .executeTakeFirst();
}

type CreditRow = NonNullable<Awaited<ReturnType<typeof findByIdempotencyKey>>>;

function toIssued(row: CreditRow): IssuedCredit {
  return { id: row.id, childId: row.child_id, sessionId: row.session_id, quarterHours: row.quarter_hours, earnedOn: row.earned_on };
}

/** A retried request gets the first answer again; the same key for a different credit is a client bug, said so. */
async function replay(db: DB, earlier: CreditRow, request: CreditRequest): Promise<CreditOutcome> {
  if (earlier.child_id !== request.childId || earlier.session_id !== request.sessionId) return refuse("IDEMPOTENCY_KEY_REUSED");
  const total = await db
    .selectFrom("credit")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("quarter_hours"), sql<number>`0`).as("quarter_hours"))
    .where("area_id", "=", request.areaId)
    .where("child_id", "=", request.childId)
    .where("revoked_at", "is", null)
    .executeTakeFirstOrThrow();
  return { ok: true, replayed: true, credit: toIssued(earlier), childQuarterHours: total.quarter_hours, awardsReached: [] };
}

export type RevokeOutcome = { ok: true } | { ok: false; code: "NOT_FOUND" | "ALREADY_REVOKED" | "TOO_LATE" | "REASON_REQUIRED" };

/**
 * Takes a mistaken credit back: the row stays, marked revoked, with who, when and why.
 * Provider staff may revoke their own provider's credits for 30 days; coordinators any of
 * their area's, at any time. Nobody else may revoke.
 */
export async function revokeCredit(db: DB, m: Membership, creditId: string, reason: string, now = new Date()): Promise<RevokeOutcome> {
  if (!["coordinator", "provider_owner", "provider_member"].includes(m.role)) forbidden();
  const why = reason.trim();
  if (why.length < 3) return { ok: false, code: "REASON_REQUIRED" };
  if (!isUuid(creditId)) return { ok: false, code: "NOT_FOUND" };
  return db.transaction().execute(async (trx) => {
    const credit = await creditsVisibleTo(trx, m)
      .select(["credit.id", "credit.created_at", "credit.revoked_at", "credit.child_id"])
      .where("credit.id", "=", creditId)
      .forUpdate()
      .executeTakeFirst();
    if (!credit) return { ok: false as const, code: "NOT_FOUND" as const };
    if (credit.revoked_at) return { ok: false as const, code: "ALREADY_REVOKED" as const };
    const ageDays = (now.getTime() - credit.created_at.getTime()) / 86_400_000;
    if (m.role !== "coordinator" && ageDays > STAFF_REVOKE_DAYS) return { ok: false as const, code: "TOO_LATE" as const };
    await trx
      .updateTable("credit")
      .set({ revoked_at: now, revoked_by: m.userId, revoke_reason: why })
      .where("area_id", "=", m.areaId)
      .where("id", "=", credit.id)
      .execute();
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "credit_revoked",
      subjectType: "credit",
      subjectId: credit.id,
      details: { childId: credit.child_id, reason: why, role: m.role },
    });
    await syncAwards(trx, m.areaId, credit.child_id, now.toISOString().slice(0, 10));
    return { ok: true as const };
  });
}
