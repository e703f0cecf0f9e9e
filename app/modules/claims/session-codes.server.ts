import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { activitiesManagedBy, sessionsManagedBy } from "../accounts/access.server";
import { isUuid, notFound, type Membership } from "../accounts/actor.server";
import { countAttempt, type RateLimit } from "../accounts/rate-limit.server";
import { recordAudit } from "../audit/audit.server";
import { isCreditable, type NotCreditableReason } from "../credits/eligibility.server";
import { DEFAULT_CREDIT_WINDOW_MINUTES } from "../credits/ledger.server";
import type { DB } from "../db/database.server";
import type { AreaSettings } from "../db/schema";
import { qrDataUrl } from "./qr.server";
import {
  checkToken,
  claimTicket,
  decodeToken,
  DEFAULT_CLAIM_GRACE_MINUTES,
  formatShortCode,
  matchesShortCode,
  msUntilNextWindow,
  posterShortCode,
  screenWindow,
  SCREEN_WINDOW_MS,
  sessionCodeToken,
  shortCode,
  type CodeKind,
  type CodeRefusal,
  type SessionKey,
  type TokenKind,
} from "./session-code-token.server";
import { sameArea } from "../db/same-area.server";

/** A session as the claim pages need it: its key, what it is, and who runs it. */
export interface CodeSession extends SessionKey {
  activityId: string;
  providerId: string;
  titleEn: string | null;
  titleCy: string | null;
  providerNameEn: string;
  providerNameCy: string | null;
  claimsNeedApproval: boolean;
  cancelledAt: Date | null;
  graceMinutes: number;
  creditWindowMinutes: number;
}

export function claimUrl(origin: string, token: string) {
  return `${origin}/claim/${token}`;
}

function graceOf(settings: AreaSettings | null) {
  return settings?.claimGraceMinutes ?? DEFAULT_CLAIM_GRACE_MINUTES;
}

function codeSessionQuery(db: DB) {
  return db
    .selectFrom("activity_session as s")
    .innerJoin("area", "area.id", "s.area_id")
    .innerJoin("activity as a", sameArea("a.id", "s.activity_id"))
    .innerJoin("provider as p", sameArea("p.id", "a.provider_id"))
    .select([
      "s.id",
      "s.area_id",
      "s.claim_secret",
      "s.starts_at",
      "s.ends_at",
      "s.cancelled_at",
      "a.id as activity_id",
      "a.title_en",
      "a.title_cy",
      "a.claims_need_approval",
      "p.id as provider_id",
      "p.name_en as provider_name_en",
      "p.name_cy as provider_name_cy",
      "area.settings",
    ]);
}

type CodeSessionRow = Awaited<ReturnType<ReturnType<typeof codeSessionQuery>["executeTakeFirstOrThrow"]>>;

function toCodeSession(row: CodeSessionRow): CodeSession {
  return {
    id: row.id,
    areaId: row.area_id,
    claimSecret: row.claim_secret,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    activityId: row.activity_id,
    providerId: row.provider_id,
    titleEn: row.title_en,
    titleCy: row.title_cy,
    providerNameEn: row.provider_name_en,
    providerNameCy: row.provider_name_cy,
    claimsNeedApproval: row.claims_need_approval,
    cancelledAt: row.cancelled_at,
    graceMinutes: graceOf(row.settings),
    creditWindowMinutes: row.settings?.creditWindowMinutes ?? DEFAULT_CREDIT_WINDOW_MINUTES,
  };
}

export type TokenReading =
  { ok: true; session: CodeSession; kind: TokenKind; source: CodeKind } | { ok: false; reason: CodeRefusal | "OTHER_AREA"; session: CodeSession | null };

/**
 * Finds the session a token names and checks the token against it. The area comes from the
 * token's short area id (areas are few), then the session by (area, id) — every query on an
 * area's table is by its area. Anything wrong with the token is one answer, CODE_INVALID.
 * With `areaId`, a valid code of another area is OTHER_AREA (a guardian in the wrong area).
 */
export async function readToken(
  db: DB,
  token: string | undefined,
  now: Date,
  options: { userId?: string; areaId?: string; accept: ReadonlyArray<TokenKind> },
): Promise<TokenReading> {
  const decoded = decodeToken(token);
  if (!decoded || !options.accept.includes(decoded.kind)) return { ok: false, reason: "CODE_INVALID", session: null };
  const areas = await db
    .selectFrom("area")
    .select("id")
    .where(sql<string>`left(replace(cast(id as text), '-', ''), 8)`, "=", decoded.areaPrefix)
    .execute();
  if (areas.length === 0) return { ok: false, reason: "CODE_INVALID", session: null };
  const row = await codeSessionQuery(db)
    .where(
      "s.area_id",
      "in",
      areas.map((area) => area.id),
    )
    .where("s.id", "=", decoded.sessionId)
    .executeTakeFirst();
  if (!row) return { ok: false, reason: "CODE_INVALID", session: null };
  const session = toCodeSession(row);
  const check = checkToken(decoded, session, now, { graceMinutes: session.graceMinutes, userId: options.userId });
  if (!check.ok) return { ok: false, reason: check.reason, session: check.reason === "CODE_INVALID" ? null : session };
  if (options.areaId && options.areaId !== session.areaId) return { ok: false, reason: "OTHER_AREA", session: null };
  return { ok: true, session, kind: check.kind, source: check.source };
}

/** Whether the session can take claims now, and if not why: for the staff pages' notices. */
export type CodeState = { state: "open" } | { state: "notStarted" } | { state: "closed" } | { state: "refused"; reason: NotCreditableReason };

export async function codeState(db: DB, session: CodeSession, now: Date): Promise<CodeState> {
  const creditable = await isCreditable(db, session.areaId, session.id, now);
  if (!creditable.ok) return creditable.reason === "SESSION_NOT_STARTED" ? { state: "notStarted" } : { state: "refused", reason: creditable.reason };
  if (now.getTime() > session.endsAt.getTime() + session.creditWindowMinutes * 60_000) return { state: "closed" };
  return { state: "open" };
}

/** A session of the staff member's provider (or area, for its coordinator), with its key; a 404 otherwise. */
export async function sessionForCodes(db: DB, m: Membership, sessionId: string): Promise<CodeSession> {
  if (!isUuid(sessionId)) notFound();
  // The scoped query decides who may see it (and refuses other roles); the key comes after.
  const managed = await sessionsManagedBy(db, m).select("activity_session.id").where("activity_session.id", "=", sessionId).executeTakeFirst();
  if (!managed) notFound();
  const row = await codeSessionQuery(db).where("s.area_id", "=", m.areaId).where("s.id", "=", sessionId).executeTakeFirstOrThrow();
  return toCodeSession(row);
}

/** The screen's code now: the QR image, the address it holds, the short number, and when it changes. */
export async function currentScreenCode(session: CodeSession, origin: string, now: Date) {
  const token = sessionCodeToken(session, "screen", now);
  const url = claimUrl(origin, token);
  const nextChangeInMs = msUntilNextWindow(now);
  return {
    url,
    qr: await qrDataUrl(url),
    shortCode: formatShortCode(shortCode(session, screenWindow(now))),
    nextChangeInMs,
    // Accepted for this window and the next: how long the code on screen keeps working.
    validForMs: nextChangeInMs + SCREEN_WINDOW_MS,
  };
}

/** Showing a session's code is recorded once an hour per person, not every 30 seconds. */
async function auditOncePerHour(db: DB, m: Membership, action: "session_code_shown", session: CodeSession, now: Date) {
  const recent = await db
    .selectFrom("audit_event")
    .select("id")
    .where("area_id", "=", m.areaId)
    .where("at", ">", new Date(now.getTime() - 3_600_000))
    .where("action", "=", action)
    .where("actor_user_id", "=", m.userId)
    .where("subject_id", "=", session.id)
    .executeTakeFirst();
  if (recent) return;
  await recordAudit(db, { areaId: m.areaId, actorUserId: m.userId, action, subjectType: "activity_session", subjectId: session.id, details: { role: m.role } });
}

function describe(session: CodeSession) {
  return {
    id: session.id,
    activityId: session.activityId,
    title_en: session.titleEn,
    title_cy: session.titleCy,
    providerNameEn: session.providerNameEn,
    providerNameCy: session.providerNameCy,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    claimsNeedApproval: session.claimsNeedApproval,
  };
}

/** The full-screen code page: the session, whether claims work now, and the code when they can. */
export async function sessionCodePage(db: DB, m: Membership, sessionId: string, origin: string, now = new Date()) {
  const session = await sessionForCodes(db, m, sessionId);
  const state = await codeState(db, session, now);
  const showCode = state.state === "open" || state.state === "notStarted";
  if (showCode) await auditOncePerHour(db, m, "session_code_shown", session, now);
  return {
    session: describe(session),
    state,
    code: showCode ? await currentScreenCode(session, origin, now) : null,
  };
}

/** A fresh screen code for the page's script, or null when the session takes no claims now. */
export async function freshScreenCode(db: DB, m: Membership, sessionId: string, origin: string, now = new Date()) {
  const session = await sessionForCodes(db, m, sessionId);
  const state = await codeState(db, session, now);
  if (state.state !== "open" && state.state !== "notStarted") return null;
  return currentScreenCode(session, origin, now);
}

/**
 * The printable poster: a code that works from the session's start to its end plus the
 * area's grace time. Nothing to print once that has passed, or for a session that cannot
 * earn credits. Opening it is recorded (it is how posters get printed).
 */
export async function sessionPosterPage(db: DB, m: Membership, sessionId: string, origin: string, now = new Date()) {
  const session = await sessionForCodes(db, m, sessionId);
  const state = await codeState(db, session, now);
  const validUntil = new Date(session.endsAt.getTime() + session.graceMinutes * 60_000);
  const printable = (state.state === "open" || state.state === "notStarted") && now.getTime() <= validUntil.getTime();
  let poster: { url: string; qr: string; shortCode: string; claimAddress: string } | null = null;
  if (printable) {
    const url = claimUrl(origin, sessionCodeToken(session, "poster", now));
    // For phones that cannot scan: the address to open and the number to type there.
    poster = { url, qr: await qrDataUrl(url), shortCode: formatShortCode(posterShortCode(session)), claimAddress: `${new URL(origin).host}/claim` };
    await recordAudit(db, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "session_poster_printed",
      subjectType: "activity_session",
      subjectId: session.id,
      details: { role: m.role, validUntil: validUntil.toISOString() },
    });
  }
  return { session: describe(session), state, validFrom: session.startsAt, validUntil, poster };
}

/**
 * Makes every code of the session stop working at once — screens, posters, and guardians'
 * open claim pages — by giving it a new secret. For a poster photographed and shared.
 */
export async function resetSessionCodes(db: DB, m: Membership, sessionId: string) {
  const session = await sessionForCodes(db, m, sessionId);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("activity_session")
      .set({ claim_secret: randomBytes(32).toString("hex") })
      .where("area_id", "=", m.areaId)
      .where("id", "=", session.id)
      .execute();
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "session_codes_reset",
      subjectType: "activity_session",
      subjectId: session.id,
      details: { role: m.role },
    });
  });
}

/** Turns the provider's approval of code claims on or off for the session's activity. */
export async function setClaimsNeedApproval(db: DB, m: Membership, sessionId: string, needApproval: boolean) {
  const session = await sessionForCodes(db, m, sessionId);
  const activity = await activitiesManagedBy(db, m).select("activity.id").where("activity.id", "=", session.activityId).executeTakeFirst();
  if (!activity) notFound();
  if (session.claimsNeedApproval === needApproval) return;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("activity").set({ claims_need_approval: needApproval }).where("area_id", "=", m.areaId).where("id", "=", activity.id).execute();
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "claim_approval_changed",
      subjectType: "activity",
      subjectId: activity.id,
      details: { needApproval, role: m.role },
    });
  });
}

/** Typed codes: per guardian, as many tries as a fumbling thumb needs, far too few to guess 8 digits. */
export const TYPED_CODE_LIMIT: RateLimit = { limit: 10, windowMinutes: 15 };

export type TypedCodeResult = { ok: true; ticket: string } | { ok: false; reason: "CODE_NOT_FOUND" | "RATE_LIMITED"; retryAfterMinutes?: number };

/**
 * A guardian typed the short number from a screen or a poster: find the session running now
 * in their area whose number it is, and give them a ticket for it.
 */
export async function claimByTypedCode(db: DB, m: Membership, typed: string, now = new Date()): Promise<TypedCodeResult> {
  const attempt = await countAttempt(db, `claim-code:${m.userId}`, TYPED_CODE_LIMIT, now);
  if (!attempt.allowed) return { ok: false, reason: "RATE_LIMITED", retryAfterMinutes: attempt.retryAfterMinutes };
  const rows = await codeSessionQuery(db)
    .where("s.area_id", "=", m.areaId)
    .where("s.cancelled_at", "is", null)
    .where("s.starts_at", "<=", now)
    // Running now, or just finished: the screen is still up, or the poster still works.
    .where("s.ends_at", ">=", new Date(now.getTime() - 24 * 3_600_000))
    .limit(1000)
    .execute();
  const match = rows.map(toCodeSession).find((session) => matchesShortCode(session, typed, now, session.graceMinutes));
  if (!match) return { ok: false, reason: "CODE_NOT_FOUND" };
  return { ok: true, ticket: claimTicket(match, "typed", m.userId, now) };
}
