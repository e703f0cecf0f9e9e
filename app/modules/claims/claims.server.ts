import { randomUUID } from "node:crypto";
import { ageAt } from "../activities/uk-time.server";
import { childrenVisibleTo } from "../accounts/access.server";
import { forbidden, isUuid, notFound, type Membership } from "../accounts/actor.server";
import { recordAudit } from "../audit/audit.server";
import { issueCredit, type CreditRefusal } from "../credits/ledger.server";
import type { DB } from "../db/database.server";
import type { ClaimCodeKind } from "../db/schema";
import type { ClaimOnlyRefusal } from "./refusals";
import { claimTicket, SCREEN_WINDOW_MS, TICKET_WINDOWS, type CodeRefusal } from "./session-code-token.server";
import { codeState, readToken, type CodeSession, type CodeState } from "./session-codes.server";
import { sameArea } from "../db/same-area.server";

/**
 * Claims by session code. A guardian opens a session's code and says which of their own
 * children were there. Each child is then either credited at once — through issueCredit,
 * the ledger's one door, with method "session_code", issued by the guardian, with a random
 * key in the guardian's own scope (nobody can guess it and send it first; a second claim is
 * ALREADY_CREDITED, never a second credit) — or, when the activity's claims need approval, a
 * pending claim that provider staff approve (the same ledger call, with the claim's key) or
 * reject with a reason the guardian sees. A claim's credit that staff revoked stays revoked:
 * claiming again does not bring it back.
 */

export type ClaimRefusal = CreditRefusal | ClaimOnlyRefusal;

/** At most this many children in one claim: a family, not a class. */
const MAX_CHILDREN = 20;
/** Decided claims stay on a guardian's home page this long. */
const RECENT_DAYS = 30;

/** A claim's idempotency key: random (see above). */
function claimKey() {
  return `claim:${randomUUID()}`;
}

function sessionSummary(session: CodeSession) {
  return {
    id: session.id,
    title_en: session.titleEn,
    title_cy: session.titleCy,
    providerNameEn: session.providerNameEn,
    providerNameCy: session.providerNameCy,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
  };
}

export type ChildStatus =
  { status: "available" } | { status: "credited" } | { status: "pending" } | { status: "refused"; code: ClaimRefusal; reason: string | null };

export interface ClaimChild {
  id: string;
  givenName: string;
  familyName: string;
  claim: ChildStatus;
}

export type OpenClaim =
  | { kind: "ticket"; ticket: string }
  | {
      kind: "form";
      session: ReturnType<typeof sessionSummary>;
      needsApproval: boolean;
      state: CodeState;
      children: ClaimChild[];
      /** When this page stops taking the form, in ms from now. */
      expiresInMs: number;
    }
  | { kind: "refused"; reason: CodeRefusal | "OTHER_AREA"; session: ReturnType<typeof sessionSummary> | null };

/**
 * A guardian opens `/claim/<token>`. A valid session code becomes a ticket bound to this
 * guardian (the page moves to it, so a slow phone keeps its 20 minutes); a ticket shows the
 * session and the guardian's children, each with what has already happened for them.
 * Codes that fail are recorded in the audit trail (repeated failures are worth seeing).
 */
export async function openClaim(db: DB, m: Membership, token: string | undefined, now = new Date()): Promise<OpenClaim> {
  if (m.role !== "guardian") forbidden();
  const reading = await readToken(db, token, now, { userId: m.userId, areaId: m.areaId, accept: ["screen", "poster", "ticket"] });
  if (!reading.ok) {
    await recordAudit(db, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "session_code_refused",
      subjectType: reading.session ? "activity_session" : undefined,
      subjectId: reading.session?.id,
      details: { reason: reading.reason },
    });
    return { kind: "refused", reason: reading.reason, session: reading.session ? sessionSummary(reading.session) : null };
  }
  const { session } = reading;
  if (reading.kind !== "ticket") return { kind: "ticket", ticket: claimTicket(session, reading.source, m.userId, now) };
  const ticketWindow = screenWindowOfTicket(token!);
  return {
    kind: "form",
    session: sessionSummary(session),
    needsApproval: session.claimsNeedApproval,
    state: await codeState(db, session, now),
    children: await childrenForClaim(db, m, session.id),
    expiresInMs: Math.max(0, (ticketWindow + TICKET_WINDOWS + 1) * SCREEN_WINDOW_MS - now.getTime()),
  };
}

function screenWindowOfTicket(ticket: string) {
  return Buffer.from(ticket, "base64url").readUInt32BE(22);
}

/** The guardian's children, and for each what already happened for this session. */
async function childrenForClaim(db: DB, m: Membership, sessionId: string): Promise<ClaimChild[]> {
  const children = await childrenVisibleTo(db, m)
    .select(["child.id", "child.given_name", "child.family_name"])
    .orderBy("child.given_name")
    .orderBy("child.id")
    .limit(MAX_CHILDREN)
    .execute();
  const statuses = await statusesFor(
    db,
    m.areaId,
    sessionId,
    children.map((child) => child.id),
  );
  return children.map((child) => ({
    id: child.id,
    givenName: child.given_name,
    familyName: child.family_name,
    claim: statuses.get(child.id) ?? { status: "available" },
  }));
}

/** Credited, waiting, or refused before (with the reason), per child, for one session. */
async function statusesFor(db: DB, areaId: string, sessionId: string, childIds: string[]) {
  const statuses = new Map<string, ChildStatus>();
  if (childIds.length === 0) return statuses;
  const claims = await db
    .selectFrom("credit_claim")
    .select(["child_id", "status", "reason", "refusal_code"])
    .where("area_id", "=", areaId)
    .where("session_id", "=", sessionId)
    .where("child_id", "in", childIds)
    .orderBy("created_at")
    .execute();
  for (const claim of claims) {
    if (claim.status === "pending") statuses.set(claim.child_id, { status: "pending" });
    else if (claim.status === "rejected") {
      const code = (claim.refusal_code ?? "CLAIM_REJECTED") as ClaimRefusal;
      statuses.set(claim.child_id, { status: "refused", code, reason: claim.reason });
    }
  }
  const credits = await db
    .selectFrom("credit")
    .select(["child_id", "revoked_at", "method"])
    .where("area_id", "=", areaId)
    .where("session_id", "=", sessionId)
    .where("child_id", "in", childIds)
    .execute();
  for (const credit of credits) {
    if (!credit.revoked_at) statuses.set(credit.child_id, { status: "credited" });
    // A claim's credit (method session_code) that staff took back: claiming again does not bring it back.
    else if (credit.method === "session_code" && !statuses.has(credit.child_id)) {
      statuses.set(credit.child_id, { status: "refused", code: "CREDIT_REVOKED", reason: null });
    }
  }
  return statuses;
}

export type ChildClaimResult = { childId: string; givenName: string; familyName: string } & (
  | { outcome: "added"; quarterHours: number; totalQuarterHours: number }
  | { outcome: "already" }
  | { outcome: "pending" }
  | { outcome: "refused"; code: ClaimRefusal; reason: string | null }
);

export type SubmitClaimResult =
  { ok: true; needsApproval: boolean; results: ChildClaimResult[] } | { ok: false; reason: CodeRefusal | "OTHER_AREA" | "NO_CHILD" };

/**
 * The guardian ticked children and sent the form. Only their own children count: any other
 * id in the form is ignored, unseen. Each child gets its own answer.
 */
export async function submitClaim(db: DB, m: Membership, ticket: string | undefined, childIds: string[], now = new Date()): Promise<SubmitClaimResult> {
  if (m.role !== "guardian") forbidden();
  const reading = await readToken(db, ticket, now, { userId: m.userId, areaId: m.areaId, accept: ["ticket"] });
  if (!reading.ok) return { ok: false, reason: reading.reason };
  const { session } = reading;

  const wanted = [...new Set(childIds.filter(isUuid).map((id) => id.toLowerCase()))].slice(0, MAX_CHILDREN);
  const children = wanted.length
    ? await childrenVisibleTo(db, m)
        .select(["child.id", "child.given_name", "child.family_name"])
        .where("child.id", "in", wanted)
        .orderBy("child.given_name")
        .execute()
    : [];
  if (children.length === 0) return { ok: false, reason: "NO_CHILD" };

  const before = await statusesFor(
    db,
    m.areaId,
    session.id,
    children.map((child) => child.id),
  );
  // Whether the session can take claims at all is the same for every child: asked once.
  const state = await codeState(db, session, now);
  const sessionRefusal: ClaimRefusal | null =
    state.state === "notStarted" ? "SESSION_NOT_STARTED" : state.state === "closed" ? "SESSION_CLOSED" : state.state === "refused" ? state.reason : null;

  const results: ChildClaimResult[] = [];
  for (const child of children) {
    const who = { childId: child.id, givenName: child.given_name, familyName: child.family_name };
    const earlier = before.get(child.id);
    let result: ChildClaimResult;
    if (earlier?.status === "credited") result = { ...who, outcome: "already" };
    else if (earlier?.status === "pending") result = { ...who, outcome: "pending" };
    else if (earlier?.status === "refused" && earlier.code !== "ALREADY_CREDITED")
      result = { ...who, outcome: "refused", code: earlier.code, reason: earlier.reason };
    else if (sessionRefusal) result = { ...who, outcome: "refused", code: sessionRefusal, reason: null };
    else if (session.claimsNeedApproval) result = await addPendingClaim(db, m, session, reading.source, who, now);
    else result = await creditNow(db, m, session, who, now);
    const { claimId, ...shown } = result as ChildClaimResult & { claimId?: string };
    results.push(shown);
    // One entry per child claimed, whatever came of it; a waiting claim is its own subject.
    await recordAudit(db, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "claim_submitted",
      subjectType: claimId ? "credit_claim" : "activity_session",
      subjectId: claimId ?? session.id,
      details: {
        childId: child.id,
        sessionId: session.id,
        codeKind: reading.source,
        outcome: shown.outcome,
        ...(shown.outcome === "refused" ? { code: shown.code } : {}),
      },
    });
  }
  return { ok: true, needsApproval: session.claimsNeedApproval, results };
}

type Who = { childId: string; givenName: string; familyName: string };

async function creditNow(db: DB, m: Membership, session: CodeSession, who: Who, now: Date): Promise<ChildClaimResult> {
  const outcome = await issueCredit(db, {
    areaId: m.areaId,
    childId: who.childId,
    sessionId: session.id,
    method: "session_code",
    issuedBy: m.userId,
    idempotencyKey: claimKey(),
    at: now,
  });
  if (!outcome.ok)
    return outcome.code === "ALREADY_CREDITED" ? { ...who, outcome: "already" } : { ...who, outcome: "refused", code: outcome.code, reason: null };
  return { ...who, outcome: "added", quarterHours: outcome.credit.quarterHours, totalQuarterHours: outcome.childQuarterHours };
}

async function isRevoked(db: DB, areaId: string, creditId: string) {
  const row = await db.selectFrom("credit").select("revoked_at").where("area_id", "=", areaId).where("id", "=", creditId).executeTakeFirst();
  return Boolean(row?.revoked_at);
}

async function addPendingClaim(
  db: DB,
  m: Membership,
  session: CodeSession,
  source: ClaimCodeKind,
  who: Who,
  now: Date,
): Promise<ChildClaimResult & { claimId?: string }> {
  const key = claimKey();
  const inserted = await db
    .insertInto("credit_claim")
    .values({
      area_id: m.areaId,
      child_id: who.childId,
      session_id: session.id,
      activity_id: session.activityId,
      provider_id: session.providerId,
      claimed_by: m.userId,
      code_kind: source,
      idempotency_key: key,
      created_at: now,
    })
    // Two taps at once: one pending claim, and both hear "waiting".
    .onConflict((oc) => oc.columns(["area_id", "child_id", "session_id"]).where("status", "=", "pending").doNothing())
    .returning("id")
    .executeTakeFirst();
  return { ...who, outcome: "pending", claimId: inserted?.id };
}

/** Claims a membership may see and decide: its provider's, or all of its area's for the coordinator. */
export function claimsManagedBy(db: DB, m: Membership) {
  const inArea = db.selectFrom("credit_claim").where("credit_claim.area_id", "=", m.areaId);
  switch (m.role) {
    case "coordinator":
      return inArea;
    case "provider_owner":
    case "provider_member":
      return inArea.where("credit_claim.provider_id", "=", m.providerId);
    default:
      return forbidden();
  }
}

/**
 * Claims waiting for the provider, oldest first, grouped by session. Staff see what they
 * need to recognise a child — given name, family initial and age — and no more.
 */
export async function pendingClaimsForStaff(db: DB, m: Membership, options: { sessionId?: string } = {}) {
  let query = claimsManagedBy(db, m)
    .innerJoin("child", sameArea("child.id", "credit_claim.child_id"))
    .innerJoin("activity_session as s", sameArea("s.id", "credit_claim.session_id"))
    .innerJoin("activity as a", sameArea("a.id", "credit_claim.activity_id"))
    .select([
      "credit_claim.id",
      "credit_claim.created_at",
      "credit_claim.code_kind",
      "child.given_name",
      "child.family_name",
      "child.birth_year",
      "child.birth_month",
      "s.id as session_id",
      "s.starts_at",
      "s.ends_at",
      "a.title_en",
      "a.title_cy",
    ])
    .where("credit_claim.status", "=", "pending")
    .where("child.status", "=", "active");
  if (options.sessionId) {
    if (!isUuid(options.sessionId)) notFound();
    query = query.where("credit_claim.session_id", "=", options.sessionId);
  }
  const rows = await query.orderBy("s.starts_at").orderBy("credit_claim.created_at").limit(500).execute();
  const sessions = new Map<
    string,
    {
      id: string;
      startsAt: Date;
      endsAt: Date;
      title_en: string | null;
      title_cy: string | null;
      claims: Array<{ id: string; createdAt: Date; codeKind: ClaimCodeKind; givenName: string; familyInitial: string; age: number }>;
    }
  >();
  for (const row of rows) {
    let group = sessions.get(row.session_id);
    if (!group) {
      group = { id: row.session_id, startsAt: row.starts_at, endsAt: row.ends_at, title_en: row.title_en, title_cy: row.title_cy, claims: [] };
      sessions.set(row.session_id, group);
    }
    group.claims.push({
      id: row.id,
      createdAt: row.created_at,
      codeKind: row.code_kind,
      givenName: row.given_name,
      familyInitial: row.family_name.slice(0, 1),
      age: ageAt(row.birth_year, row.birth_month, row.starts_at),
    });
  }
  return [...sessions.values()];
}

export type Decision = { decision: "approve" } | { decision: "reject"; reason: string };

export type DecisionOutcome =
  | { ok: true; status: "approved" }
  | { ok: true; status: "rejected"; refusalCode: ClaimRefusal | null }
  | { ok: false; code: "ALREADY_DECIDED" | "REASON_REQUIRED" };

/**
 * Approves or rejects one waiting claim of the membership's provider (another provider's is
 * a 404). Approving issues the credit through the ledger inside the same transaction as the
 * claim's update, with the claim's key and the time the claim was made: a claim made in
 * time is not refused because staff decided it the next week. When the ledger refuses (the
 * child was scanned meanwhile, a cap was reached), the claim is closed with that reason.
 */
export async function decideClaim(db: DB, m: Membership, claimId: string, decision: Decision, now = new Date()): Promise<DecisionOutcome> {
  if (!isUuid(claimId)) notFound();
  const reason = decision.decision === "reject" ? decision.reason.trim() : null;
  return db.transaction().execute(async (trx) => {
    const claim = await claimsManagedBy(trx, m)
      .innerJoin("child", sameArea("child.id", "credit_claim.child_id"))
      .selectAll("credit_claim")
      .where("credit_claim.id", "=", claimId)
      .where("child.status", "=", "active")
      .forUpdate("credit_claim")
      .executeTakeFirst();
    if (!claim) notFound();
    if (claim.status !== "pending") return { ok: false as const, code: "ALREADY_DECIDED" as const };
    const decided = { decided_by: m.userId, decided_at: now };
    const audit = { areaId: m.areaId, actorUserId: m.userId, subjectType: "credit_claim", subjectId: claim.id };

    if (reason !== null) {
      if (reason.length < 3 || reason.length > 500) return { ok: false as const, code: "REASON_REQUIRED" as const };
      await trx
        .updateTable("credit_claim")
        .set({ status: "rejected", reason, ...decided })
        .where("area_id", "=", m.areaId)
        .where("id", "=", claim.id)
        .execute();
      await recordAudit(trx, { ...audit, action: "claim_rejected", details: { childId: claim.child_id, sessionId: claim.session_id, reason, role: m.role } });
      return { ok: true as const, status: "rejected" as const, refusalCode: null };
    }

    const outcome = await issueCredit(trx, {
      areaId: m.areaId,
      childId: claim.child_id,
      sessionId: claim.session_id,
      providerId: claim.provider_id,
      method: "session_code",
      issuedBy: claim.claimed_by,
      idempotencyKey: claim.idempotency_key,
      at: claim.created_at,
    });
    let refusal: ClaimRefusal | null = outcome.ok ? null : outcome.code;
    if (outcome.ok && outcome.replayed && (await isRevoked(trx, m.areaId, outcome.credit.id))) refusal = "CREDIT_REVOKED";
    if (outcome.ok && !refusal) {
      await trx
        .updateTable("credit_claim")
        .set({ status: "approved", credit_id: outcome.credit.id, ...decided })
        .where("area_id", "=", m.areaId)
        .where("id", "=", claim.id)
        .execute();
      await recordAudit(trx, {
        ...audit,
        action: "claim_approved",
        details: { childId: claim.child_id, sessionId: claim.session_id, creditId: outcome.credit.id, role: m.role },
      });
      return { ok: true as const, status: "approved" as const };
    }
    await trx
      .updateTable("credit_claim")
      .set({ status: "rejected", refusal_code: refusal, ...decided })
      .where("area_id", "=", m.areaId)
      .where("id", "=", claim.id)
      .execute();
    await recordAudit(trx, {
      ...audit,
      action: "claim_rejected",
      details: { childId: claim.child_id, sessionId: claim.session_id, refusalCode: refusal, role: m.role },
    });
    return { ok: true as const, status: "rejected" as const, refusalCode: refusal };
  });
}

/** Approves every waiting claim of one session, one by one (each its own transaction). */
export async function approveAllForSession(db: DB, m: Membership, sessionId: string, now = new Date()) {
  if (!isUuid(sessionId)) notFound();
  const pending = await claimsManagedBy(db, m)
    .select("credit_claim.id")
    .where("credit_claim.session_id", "=", sessionId)
    .where("credit_claim.status", "=", "pending")
    .execute();
  let approved = 0;
  let notAdded = 0;
  for (const claim of pending) {
    const outcome = await decideClaim(db, m, claim.id, { decision: "approve" }, now).catch((error: unknown) => {
      if (error instanceof Response && error.status === 404) return null; // a withdrawn child: nothing to approve
      throw error;
    });
    if (outcome?.ok && outcome.status === "approved") approved++;
    else if (outcome?.ok) notAdded++;
  }
  return { approved, notAdded };
}

/**
 * A guardian's claims: those waiting, and those decided in the last 30 days with the
 * outcome (and staff's reason), for the home page.
 */
export async function claimsForGuardian(db: DB, m: Membership, now = new Date()) {
  if (m.role !== "guardian") forbidden();
  const since = new Date(now.getTime() - RECENT_DAYS * 86_400_000);
  const rows = await db
    .selectFrom("credit_claim")
    .innerJoin("child", sameArea("child.id", "credit_claim.child_id"))
    .innerJoin("activity_session as s", sameArea("s.id", "credit_claim.session_id"))
    .innerJoin("activity as a", sameArea("a.id", "credit_claim.activity_id"))
    .select([
      "credit_claim.id",
      "credit_claim.status",
      "credit_claim.reason",
      "credit_claim.refusal_code",
      "credit_claim.created_at",
      "credit_claim.decided_at",
      "child.given_name",
      "s.starts_at",
      "s.ends_at",
      "a.title_en",
      "a.title_cy",
    ])
    .where("credit_claim.area_id", "=", m.areaId)
    .where("credit_claim.child_id", "in", childrenVisibleTo(db, m).select("child.id"))
    .where((eb) => eb.or([eb("credit_claim.status", "=", "pending"), eb("credit_claim.decided_at", ">=", since)]))
    .orderBy("credit_claim.created_at", "desc")
    .limit(50)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    reason: row.reason,
    refusalCode: (row.refusal_code ?? null) as ClaimRefusal | null,
    givenName: row.given_name,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    title_en: row.title_en,
    title_cy: row.title_cy,
  }));
}

/** How many claims wait for this membership's decision: for a link on the provider's pages. */
export async function pendingClaimCount(db: DB, m: Membership, sessionId?: string) {
  let query = claimsManagedBy(db, m)
    .innerJoin("child", sameArea("child.id", "credit_claim.child_id"))
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("credit_claim.status", "=", "pending")
    .where("child.status", "=", "active");
  if (sessionId) query = query.where("credit_claim.session_id", "=", sessionId);
  return Number((await query.executeTakeFirstOrThrow()).n);
}
