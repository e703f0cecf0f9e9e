import { randomBytes } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import {
  claimsForGuardian,
  decideClaim,
  openClaim,
  pendingClaimCount,
  pendingClaimsForStaff,
  submitClaim,
  approveAllForSession,
} from "~/modules/claims/claims.server";
import { claimTicket, sessionCodeToken, type SessionKey } from "~/modules/claims/session-code-token.server";
import { withdrawChild } from "~/modules/children/data-rights.server";
import { issueCredit, revokeCredit } from "~/modules/credits/ledger.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import type { Role } from "~/modules/db/schema";
import { action as claimAction, loader as claimLoader } from "~/routes/claim.$token";
import { loader as guardianHomeLoader } from "~/routes/guardian._index";
import { action as claimsAction, loader as claimsLoader } from "~/routes/provider.claims";
import { loader as sessionPageLoader } from "~/routes/provider.sessions.$sessionId";
import { contextFor, createPerson, insertSession, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
const people: Record<string, { userId: string; membership: Membership; context: AppLoadContext }> = {};
/** The children of the two families: A has children 0 and 2, B has child 1. */
const family: { a: string[]; b: string[] } = { a: [], b: [] };

/** A session of the north area: activity 0 is provider 0's (credits at once), activity 1 provider 1's (needs approval). */
async function newSession(start: Date, activity = 0, minutes = 60) {
  return insertSession(db, { areaId: areas.north.id, activityId: areas.north.activities[activity]!.id, startsAt: start, minutes, quarterHours: 4 });
}

async function keyOf(sessionId: string): Promise<SessionKey> {
  const row = await db
    .selectFrom("activity_session")
    .select(["id", "area_id", "claim_secret", "starts_at", "ends_at"])
    .where("id", "=", sessionId)
    .executeTakeFirstOrThrow();
  return { id: row.id, areaId: row.area_id, claimSecret: row.claim_secret, startsAt: row.starts_at, endsAt: row.ends_at };
}

async function ticketFor(sessionId: string, who: string, now: Date) {
  return claimTicket(await keyOf(sessionId), "screen", people[who]!.userId, now);
}

async function creditsFor(sessionId: string) {
  return db.selectFrom("credit").select(["child_id", "method", "issued_by", "idempotency_key", "revoked_at"]).where("session_id", "=", sessionId).execute();
}

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  const { north } = areas;
  // A third child in the north, a sibling for family A.
  const sibling = await db
    .insertInto("child")
    .values({
      area_id: north.id,
      passport_number: "NA-9AAA-AAAA",
      passport_token: randomBytes(16).toString("hex"),
      given_name: "Sibling",
      family_name: "North",
      birth_year: 2017,
      birth_month: 3,
      school_id: north.schools[0]!.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  family.a = [north.children[0]!.id, sibling.id];
  family.b = [north.children[1]!.id];
  await db.updateTable("activity").set({ claims_need_approval: true }).where("id", "=", north.activities[1]!.id).execute();
  const specs: Record<string, { role: Role; providerId?: string; schoolId?: string; childIds?: string[] }> = {
    guardianA: { role: "guardian", childIds: family.a },
    guardianB: { role: "guardian", childIds: family.b },
    owner0: { role: "provider_owner", providerId: north.providers[0]!.id },
    member1: { role: "provider_member", providerId: north.providers[1]!.id },
    coordinator: { role: "coordinator" },
    school: { role: "school", schoolId: north.schools[0]!.id },
    viewer: { role: "viewer" },
  };
  for (const [name, spec] of Object.entries(specs)) {
    const person = await createPerson(db, { email: `${name.toLowerCase()}@claims.example`, areaId: north.id, ...spec });
    const membership = (await loadMemberships(db, person.userId))[0]!;
    people[name] = { userId: person.userId, membership, context: await contextFor(db, person.userId, person.membershipId) };
  }
});
afterAll(async () => close());

const A = () => people.guardianA!.membership;

describe("a guardian claims with a session code", () => {
  const start = new Date("2026-12-10T16:00:00Z");
  const now = new Date("2026-12-10T16:20:00Z");
  /** The n-th hour-long slot before `start`: each test its own, since a child cannot be credited for two sessions at once. */
  const slot = (k: number) => new Date(start.getTime() - (k - 1) * 3_600_000);

  it("turns a valid code into a ticket of their own, showing only their children", async () => {
    const sessionId = await newSession(slot(1));
    const code = sessionCodeToken(await keyOf(sessionId), "screen", now);
    const opened = await openClaim(db, A(), code, now);
    expect(opened.kind).toBe("ticket");
    if (opened.kind !== "ticket") return;
    const page = await openClaim(db, A(), opened.ticket, now);
    expect(page).toMatchObject({
      kind: "form",
      needsApproval: false,
      state: { state: "open" },
      session: { id: sessionId, title_en: "Football", providerNameEn: "north provider 1" },
    });
    if (page.kind !== "form") return;
    expect(page.children.map((child) => child.id).sort()).toEqual([...family.a].sort());
    expect(page.children.every((child) => child.claim.status === "available")).toBe(true);
    // Guardian B cannot use A's ticket.
    expect(await openClaim(db, people.guardianB!.membership, opened.ticket, now)).toMatchObject({ kind: "refused", reason: "CODE_INVALID", session: null });
  });

  it("credits their own children at once, with the total, and only once however often they claim", async () => {
    const sessionId = await newSession(slot(2));
    const ticket = await ticketFor(sessionId, "guardianA", now);
    const first = await submitClaim(db, A(), ticket, family.a, now);
    expect(first).toMatchObject({ ok: true, needsApproval: false });
    if (!first.ok) return;
    expect(first.results.map((result) => result.outcome)).toEqual(["added", "added"]);
    const child0 = first.results.find((result) => result.childId === family.a[0]);
    // Child 0 already had the fixture's hour: now two.
    expect(child0).toMatchObject({ outcome: "added", quarterHours: 4, totalQuarterHours: 8 });

    const again = await submitClaim(db, A(), ticket, family.a, now);
    expect(again.ok && again.results.map((result) => result.outcome)).toEqual(["already", "already"]);
    const twice = await Promise.all([submitClaim(db, A(), ticket, [family.a[0]!], now), submitClaim(db, A(), ticket, [family.a[0]!], now)]);
    expect(twice.map((result) => result.ok && result.results[0]!.outcome)).toEqual(["already", "already"]);

    const credits = await creditsFor(sessionId);
    expect(credits).toHaveLength(2);
    for (const credit of credits) {
      expect(credit).toMatchObject({ method: "session_code", issued_by: people.guardianA!.userId, revoked_at: null });
      // The server's own key, unguessable: nothing in it names the session or the child, so nobody can send it first.
      expect(credit.idempotency_key).toMatch(/^claim:[0-9a-f-]{36}$/);
      expect(credit.idempotency_key).not.toContain(sessionId);
      expect(credit.idempotency_key).not.toContain(credit.child_id);
    }
    const audit = await db.selectFrom("audit_event").select("details").where("action", "=", "claim_submitted").where("subject_id", "=", sessionId).execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(audit[0]!.details).toMatchObject({ codeKind: "screen", outcome: "added" });
  });

  it("gives two people claiming at once one credit", async () => {
    const sessionId = await newSession(slot(3));
    const ticket = await ticketFor(sessionId, "guardianA", now);
    const outcomes = await Promise.all([1, 2, 3].map(() => submitClaim(db, A(), ticket, [family.a[1]!], now)));
    expect(outcomes.map((outcome) => outcome.ok && outcome.results[0]!.outcome).sort()).toEqual(["added", "already", "already"]);
    expect(await creditsFor(sessionId)).toHaveLength(1);
  });

  it("ignores another family's child put in the form", async () => {
    const sessionId = await newSession(slot(4));
    const ticket = await ticketFor(sessionId, "guardianA", now);
    expect(await submitClaim(db, A(), ticket, family.b, now)).toEqual({ ok: false, reason: "NO_CHILD" });
    const mixed = await submitClaim(db, A(), ticket, [...family.b, family.a[0]!, "not-a-uuid", areas.south.children[0]!.id], now);
    expect(mixed.ok && mixed.results.map((result) => result.childId)).toEqual([family.a[0]]);
    expect((await creditsFor(sessionId)).map((credit) => credit.child_id)).toEqual([family.a[0]]);
  });

  it("refuses for a session not started, closed, or cancelled", async () => {
    const later = await newSession(new Date("2026-12-10T18:00:00Z"));
    const early = await submitClaim(db, A(), await ticketFor(later, "guardianA", now), [family.a[0]!], now);
    expect(early.ok && early.results[0]).toMatchObject({ outcome: "refused", code: "SESSION_NOT_STARTED" });

    const old = await newSession(new Date("2026-12-01T16:00:00Z"));
    const lateNow = new Date("2026-12-10T16:00:00Z");
    const closed = await submitClaim(db, A(), await ticketFor(old, "guardianA", lateNow), [family.a[0]!], lateNow);
    expect(closed.ok && closed.results[0]).toMatchObject({ outcome: "refused", code: "SESSION_CLOSED" });

    const cancelled = await newSession(slot(5));
    await db.updateTable("activity_session").set({ cancelled_at: now }).where("id", "=", cancelled).execute();
    const refused = await submitClaim(db, A(), await ticketFor(cancelled, "guardianA", now), [family.a[0]!], now);
    expect(refused.ok && refused.results[0]).toMatchObject({ outcome: "refused", code: "SESSION_CANCELLED" });
    expect(await db.selectFrom("credit").select("id").where("session_id", "in", [later, old, cancelled]).execute()).toEqual([]);
  });

  it("does not bring back a credit that staff took back", async () => {
    const sessionId = await newSession(slot(6));
    const ticket = await ticketFor(sessionId, "guardianA", now);
    const added = await submitClaim(db, A(), ticket, [family.a[0]!], now);
    expect(added.ok && added.results[0]!.outcome).toBe("added");
    const credit = await db.selectFrom("credit").select("id").where("session_id", "=", sessionId).executeTakeFirstOrThrow();
    expect(await revokeCredit(db, people.owner0!.membership, credit.id, "Was not at the session")).toEqual({ ok: true });
    const again = await submitClaim(db, A(), ticket, [family.a[0]!], now);
    expect(again.ok && again.results[0]).toMatchObject({ outcome: "refused", code: "CREDIT_REVOKED" });
    const page = await openClaim(db, A(), ticket, now);
    expect(page.kind === "form" && page.children.find((child) => child.id === family.a[0])?.claim).toEqual({
      status: "refused",
      code: "CREDIT_REVOKED",
      reason: null,
    });
  });

  it("refuses an expired ticket", async () => {
    const sessionId = await newSession(slot(7));
    const ticket = await ticketFor(sessionId, "guardianA", now);
    const later = new Date(now.getTime() + 25 * 60_000);
    expect(await submitClaim(db, A(), ticket, family.a, later)).toEqual({ ok: false, reason: "CODE_EXPIRED" });
  });
});

describe("claims that need the provider's approval", () => {
  const start = new Date("2026-12-11T16:00:00Z");
  const now = new Date("2026-12-11T16:30:00Z");
  /** The n-th hour-long slot before `start`: each test its own, since a child cannot be credited for two sessions at once. */
  const slot = (k: number) => new Date(start.getTime() - (k - 1) * 3_600_000);
  const member1 = () => people.member1!.membership;

  it("wait for approval, then approving adds the credit with the claim's key", async () => {
    const sessionId = await newSession(slot(1), 1);
    const result = await submitClaim(db, A(), await ticketFor(sessionId, "guardianA", now), [family.a[0]!], now);
    expect(result).toMatchObject({ ok: true, needsApproval: true, results: [{ outcome: "pending" }] });
    // Asking again: still one claim waiting.
    await submitClaim(db, A(), await ticketFor(sessionId, "guardianA", now), [family.a[0]!], now);
    expect(await creditsFor(sessionId)).toEqual([]);
    expect(await pendingClaimCount(db, member1(), sessionId)).toBe(1);

    const waiting = await claimsForGuardian(db, A(), now);
    expect(waiting.find((claim) => claim.status === "pending")).toMatchObject({ givenName: "Child0", title_en: "Football" });

    const queue = await pendingClaimsForStaff(db, member1(), { sessionId });
    expect(queue).toHaveLength(1);
    const claim = queue[0]!.claims[0]!;
    // Staff see a given name, a family initial and an age: no more.
    expect(claim).toMatchObject({ givenName: "Child0", familyInitial: "n", age: 10, codeKind: "screen" });
    expect(Object.keys(claim).sort()).toEqual(["age", "codeKind", "createdAt", "familyInitial", "givenName", "id"]);

    // Decided a week later: the claim was made in time, so the credit is added.
    const decidedAt = new Date("2026-12-18T10:00:00Z");
    expect(await decideClaim(db, member1(), claim.id, { decision: "approve" }, decidedAt)).toEqual({ ok: true, status: "approved" });
    const credits = await creditsFor(sessionId);
    const row = await db.selectFrom("credit_claim").selectAll().where("id", "=", claim.id).executeTakeFirstOrThrow();
    expect(credits).toEqual([
      { child_id: family.a[0], method: "session_code", issued_by: people.guardianA!.userId, idempotency_key: row.idempotency_key, revoked_at: null },
    ]);
    expect(row.idempotency_key).toMatch(/^claim:[0-9a-f-]{36}$/);
    expect(row).toMatchObject({ status: "approved", decided_by: people.member1!.userId });
    expect(row.credit_id).toBeTruthy();
    expect(await decideClaim(db, member1(), claim.id, { decision: "approve" }, decidedAt)).toEqual({ ok: false, code: "ALREADY_DECIDED" });
    expect(await creditsFor(sessionId)).toHaveLength(1);
    const audit = await db.selectFrom("audit_event").select(["action", "actor_user_id"]).where("subject_id", "=", claim.id).orderBy("id").execute();
    expect(audit).toEqual([
      { action: "claim_submitted", actor_user_id: people.guardianA!.userId },
      { action: "claim_approved", actor_user_id: people.member1!.userId },
    ]);
    const home = await claimsForGuardian(db, A(), decidedAt);
    expect(home.find((item) => item.id === claim.id)).toMatchObject({ status: "approved" });
  });

  it("rejected: no credit, and the guardian sees the reason — and cannot simply claim again", async () => {
    const sessionId = await newSession(slot(2), 1);
    await submitClaim(db, A(), await ticketFor(sessionId, "guardianA", now), [family.a[1]!], now);
    const claim = (await pendingClaimsForStaff(db, member1(), { sessionId }))[0]!.claims[0]!;
    expect(await decideClaim(db, member1(), claim.id, { decision: "reject", reason: " x " }, now)).toEqual({ ok: false, code: "REASON_REQUIRED" });
    expect(await decideClaim(db, member1(), claim.id, { decision: "reject", reason: "Sibling was not at football this week" }, now)).toEqual({
      ok: true,
      status: "rejected",
      refusalCode: null,
    });
    expect(await creditsFor(sessionId)).toEqual([]);
    const home = await claimsForGuardian(db, A(), now);
    expect(home.find((item) => item.id === claim.id)).toMatchObject({ status: "rejected", reason: "Sibling was not at football this week", refusalCode: null });
    const page = await openClaim(db, A(), await ticketFor(sessionId, "guardianA", now), now);
    expect(page.kind === "form" && page.children.find((child) => child.id === family.a[1])?.claim).toEqual({
      status: "refused",
      code: "CLAIM_REJECTED",
      reason: "Sibling was not at football this week",
    });
    const again = await submitClaim(db, A(), await ticketFor(sessionId, "guardianA", now), [family.a[1]!], now);
    expect(again.ok && again.results[0]).toMatchObject({ outcome: "refused", code: "CLAIM_REJECTED" });
    expect(await pendingClaimCount(db, member1(), sessionId)).toBe(0);
  });

  it("closes the claim with the ledger's reason when the credit cannot be added", async () => {
    const sessionId = await newSession(slot(3), 1);
    await submitClaim(db, A(), await ticketFor(sessionId, "guardianA", now), [family.a[0]!], now);
    // Meanwhile staff scanned the passport.
    const scan = await issueCredit(db, {
      areaId: areas.north.id,
      childId: family.a[0]!,
      sessionId,
      method: "passport_scan",
      issuedBy: people.member1!.userId,
      idempotencyKey: "scan-meanwhile",
      at: now,
    });
    expect(scan.ok).toBe(true);
    const claim = (await pendingClaimsForStaff(db, member1(), { sessionId }))[0]!.claims[0]!;
    expect(await decideClaim(db, member1(), claim.id, { decision: "approve" }, now)).toEqual({ ok: true, status: "rejected", refusalCode: "ALREADY_CREDITED" });
    expect(await creditsFor(sessionId)).toHaveLength(1);
  });

  it("stays consistent when people act at once: one waiting claim, one decision", async () => {
    const sessionId = await newSession(slot(4), 1);
    const ticket = await ticketFor(sessionId, "guardianA", now);
    const submits = await Promise.all([1, 2, 3].map(() => submitClaim(db, A(), ticket, [family.a[0]!], now)));
    expect(submits.map((result) => result.ok && result.results[0]!.outcome)).toEqual(["pending", "pending", "pending"]);
    const rows = await db.selectFrom("credit_claim").select("id").where("session_id", "=", sessionId).execute();
    expect(rows).toHaveLength(1);
    const claimId = rows[0]!.id;
    const coordinator = people.coordinator!.membership;
    const decisions = await Promise.all([
      decideClaim(db, member1(), claimId, { decision: "approve" }, now),
      decideClaim(db, coordinator, claimId, { decision: "reject", reason: "Not on the register" }, now),
      decideClaim(db, member1(), claimId, { decision: "approve" }, now),
    ]);
    expect(decisions.filter((decision) => decision.ok)).toHaveLength(1);
    expect(decisions.filter((decision) => !decision.ok)).toEqual([
      { ok: false, code: "ALREADY_DECIDED" },
      { ok: false, code: "ALREADY_DECIDED" },
    ]);
    const claim = await db.selectFrom("credit_claim").select(["status", "credit_id"]).where("id", "=", claimId).executeTakeFirstOrThrow();
    const credits = await creditsFor(sessionId);
    // Approved with exactly its credit, or rejected with none: never a credit behind a rejection.
    expect(claim.status === "approved" ? credits.length === 1 && Boolean(claim.credit_id) : credits.length === 0).toBe(true);
  });

  it("approves a whole session's claims at once", async () => {
    const sessionId = await newSession(slot(5), 1);
    await submitClaim(db, A(), await ticketFor(sessionId, "guardianA", now), family.a, now);
    await submitClaim(db, people.guardianB!.membership, await ticketFor(sessionId, "guardianB", now), family.b, now);
    expect(await pendingClaimCount(db, member1(), sessionId)).toBe(3);
    expect(await approveAllForSession(db, member1(), sessionId, now)).toEqual({ approved: 3, notAdded: 0 });
    expect(await creditsFor(sessionId)).toHaveLength(3);
  });

  it("belong to their provider only: another provider's staff get a 404", async () => {
    const sessionId = await newSession(slot(6), 1);
    await submitClaim(db, A(), await ticketFor(sessionId, "guardianA", now), [family.a[0]!], now);
    const claim = (await pendingClaimsForStaff(db, member1(), { sessionId }))[0]!.claims[0]!;
    const owner0 = people.owner0!.membership;
    expect(await pendingClaimsForStaff(db, owner0)).toEqual([]);
    expect(await pendingClaimCount(db, owner0)).toBe(0);
    const refused = await settle(decideClaim(db, owner0, claim.id, { decision: "approve" }, now));
    expect((refused as Response).status).toBe(404);
    const rejected = await settle(decideClaim(db, owner0, claim.id, { decision: "reject", reason: "Not ours to decide" }, now));
    expect((rejected as Response).status).toBe(404);
    // The coordinator of the area sees it.
    expect((await pendingClaimsForStaff(db, people.coordinator!.membership, { sessionId }))[0]!.claims).toHaveLength(1);
    expect(await creditsFor(sessionId)).toEqual([]);
  });
});

describe("the claim page", () => {
  const request = (path: string, init?: RequestInit) => new Request(`http://pasbort.test${path}`, init);
  const post = (path: string, fields: Array<[string, string]>) =>
    request(path, { method: "POST", body: new URLSearchParams(fields), headers: { "Content-Type": "application/x-www-form-urlencoded" } });
  type Loaded = { data: Record<string, unknown> & { kind: string }; init: ResponseInit | null };
  let sessionId: string;
  let code: string;

  beforeAll(async () => {
    sessionId = await newSession(new Date(Date.now() - 15 * 60_000), 0);
    code = sessionCodeToken(await keyOf(sessionId), "poster");
  });

  it("signed out shows only a sign-in prompt that comes back, without looking at the code", async () => {
    for (const token of [code, "tampered-code"]) {
      const page = (await claimLoader({ request: request(`/claim/${token}`), context: signedOutContext, params: { token } })) as unknown as Loaded;
      expect(page.data).toEqual({ kind: "signedOut" });
      expect(new Headers(page.init?.headers).get("Cache-Control")).toBe("no-store");
    }
  });

  it("for a guardian moves to a ticket, shows the form, and credits a ticked child", async () => {
    const context = people.guardianA!.context;
    const moved = await settle(claimLoader({ request: request(`/claim/${code}`), context, params: { token: code } }));
    expect((moved as Response).status).toBe(302);
    const location = (moved as Response).headers.get("Location")!;
    expect(location).toMatch(/^\/claim\/[A-Za-z0-9_-]{78}$/);
    const ticket = location.split("/").pop()!;

    const page = (await claimLoader({ request: request(location), context, params: { token: ticket } })) as unknown as Loaded;
    expect(page.data).toMatchObject({ kind: "form", needsApproval: false });
    expect((page.data.children as Array<{ id: string }>).map((child) => child.id).sort()).toEqual([...family.a].sort());

    const none = (await claimAction({ request: post(location, []), context, params: { token: ticket } })) as unknown as Loaded;
    expect(none.init?.status).toBe(400);
    expect(none.data).toMatchObject({ ok: false, error: { field: "child", key: "claims.errors.pickChild" } });

    const done = (await claimAction({
      request: post(location, [
        ["child", family.a[0]!],
        ["child", family.b[0]!],
      ]),
      context,
      params: { token: ticket },
    })) as unknown as Loaded;
    expect(done.data).toMatchObject({ ok: true, results: [{ childId: family.a[0], outcome: "added" }] });
    expect((done.data.results as unknown[]).length).toBe(1);
    expect((await creditsFor(sessionId)).map((credit) => credit.child_id)).toEqual([family.a[0]]);
  });

  it("says clearly when a code is not valid or has expired", async () => {
    const context = people.guardianA!.context;
    const tampered = code.slice(0, 20) + (code[20] === "A" ? "B" : "A") + code.slice(21);
    const invalid = (await claimLoader({ request: request(`/claim/${tampered}`), context, params: { token: tampered } })) as unknown as Loaded;
    expect(invalid.init?.status).toBe(404);
    expect(invalid.data).toMatchObject({ kind: "refused", reason: "CODE_INVALID", session: null });

    const old = sessionCodeToken(await keyOf(sessionId), "screen", new Date(Date.now() - 5 * 60_000));
    const expired = (await claimLoader({ request: request(`/claim/${old}`), context, params: { token: old } })) as unknown as Loaded;
    expect(expired.init?.status).toBe(410);
    expect(expired.data).toMatchObject({ kind: "refused", reason: "CODE_EXPIRED", fromTicket: false });
    const refusedAudit = await db
      .selectFrom("audit_event")
      .select("details")
      .where("action", "=", "session_code_refused")
      .where("actor_user_id", "=", people.guardianA!.userId)
      .execute();
    expect(refusedAudit.map((event) => event.details)).toEqual(expect.arrayContaining([{ reason: "CODE_INVALID" }, { reason: "CODE_EXPIRED" }]));

    const oldTicket = claimTicket(await keyOf(sessionId), "screen", people.guardianA!.userId, new Date(Date.now() - 30 * 60_000));
    const timedOut = (await claimLoader({ request: request(`/claim/${oldTicket}`), context, params: { token: oldTicket } })) as unknown as Loaded;
    expect(timedOut.data).toMatchObject({ kind: "refused", reason: "CODE_EXPIRED", fromTicket: true });
  });

  it("politely refuses people who are not guardians", async () => {
    for (const who of ["owner0", "school", "viewer", "coordinator"]) {
      const page = (await claimLoader({ request: request(`/claim/${code}`), context: people[who]!.context, params: { token: code } })) as unknown as Loaded;
      expect(page.init?.status, who).toBe(403);
      expect(page.data).toEqual({ kind: "notGuardian", canSwitch: false });
      const posted = await settle(
        claimAction({ request: post(`/claim/${code}`, [["child", family.a[0]!]]), context: people[who]!.context, params: { token: code } }),
      );
      expect((posted as Response).status).toBe(403);
    }
  });
});

describe("the provider's claims page", () => {
  const request = (path: string, init?: RequestInit) => new Request(`http://pasbort.test${path}`, init);
  const post = (fields: Record<string, string>) =>
    request("/provider/claims", { method: "POST", body: new URLSearchParams(fields), headers: { "Content-Type": "application/x-www-form-urlencoded" } });
  const now = new Date(Date.now() - 5 * 60_000);
  let sessionId: string;

  beforeAll(async () => {
    // Ended before the claim page's session (above) began: the same children are claimed in both.
    sessionId = await newSession(new Date(Date.now() - 80 * 60_000), 1);
    await submitClaim(db, A(), await ticketFor(sessionId, "guardianA", now), family.a, now);
  });

  it("lists the provider's waiting claims, and is a 403 for viewers, schools and guardians", async () => {
    const page = (await claimsLoader({ request: request(`/provider/claims?session=${sessionId}`), context: people.member1!.context, params: {} })) as {
      sessions: Array<{ id: string; claims: unknown[] }>;
    };
    expect(page.sessions).toHaveLength(1);
    expect(page.sessions[0]!.claims).toHaveLength(2);
    const other = (await claimsLoader({ request: request(`/provider/claims?session=${sessionId}`), context: people.owner0!.context, params: {} })) as {
      sessions: unknown[];
    };
    expect(other.sessions).toEqual([]);
    for (const who of ["viewer", "school", "guardianA"]) {
      const refused = await settle(claimsLoader({ request: request("/provider/claims"), context: people[who]!.context, params: {} }));
      expect((refused as Response).status, who).toBe(403);
    }
    const sessionPage = (await sessionPageLoader({
      request: request(`/provider/sessions/${sessionId}`),
      context: people.member1!.context,
      params: { sessionId },
    })) as { pendingClaims: number };
    expect(sessionPage.pendingClaims).toBe(2);
  });

  it("approves and rejects through the form; another provider's claim is a 404", async () => {
    const queue = (await pendingClaimsForStaff(db, people.member1!.membership, { sessionId }))[0]!.claims;
    expect(queue).toHaveLength(2);
    const [first, second] = [queue[0]!, queue[1]!];

    const foreign = await settle(claimsAction({ request: post({ intent: "approve", claimId: first.id }), context: people.owner0!.context, params: {} }));
    expect((foreign as Response).status).toBe(404);

    const approved = await settle(claimsAction({ request: post({ intent: "approve", claimId: first.id }), context: people.member1!.context, params: {} }));
    expect((approved as Response).status).toBe(302);
    expect((approved as Response).headers.get("Location")).toBe("/provider/claims?done=approved");

    const noReason = (await claimsAction({
      request: post({ intent: "reject", claimId: second.id }),
      context: people.member1!.context,
      params: {},
    })) as unknown as {
      data: { errors: Record<string, string> };
      init: ResponseInit;
    };
    expect(noReason.init.status).toBe(400);
    expect(noReason.data.errors).toEqual({ [`reason-${second.id}`]: "claims.staff.reasonRequired" });
    const rejected = await settle(
      claimsAction({
        request: post({ intent: "reject", claimId: second.id, [`reason-${second.id}`]: "Not on the register" }),
        context: people.member1!.context,
        params: {},
      }),
    );
    expect((rejected as Response).headers.get("Location")).toBe("/provider/claims?done=rejected");
    expect(await creditsFor(sessionId)).toHaveLength(1);

    const home = (await guardianHomeLoader({ request: request("/guardian"), context: people.guardianA!.context, params: {} })) as {
      claims: Array<{ status: string; reason: string | null }>;
    };
    expect(home.claims).toEqual(
      expect.arrayContaining([expect.objectContaining({ status: "rejected", reason: "Not on the register" }), expect.objectContaining({ status: "approved" })]),
    );
  });
});

describe("withdrawing a child", () => {
  it("erases the child's claims, staff's reasons with them, and keeps the credits", async () => {
    const start = new Date("2026-12-12T16:00:00Z");
    const now = new Date("2026-12-12T16:30:00Z");
    const B = () => people.guardianB!.membership;
    const member1 = () => people.member1!.membership;
    const childId = family.b[0]!;
    const sessionId = await newSession(start, 1);
    await submitClaim(db, B(), await ticketFor(sessionId, "guardianB", now), [childId], now);
    const claim = (await pendingClaimsForStaff(db, member1(), { sessionId }))[0]!.claims[0]!;
    await decideClaim(db, member1(), claim.id, { decision: "reject", reason: "Not on the register that day" }, now);
    const creditsBefore = await db.selectFrom("credit").select("id").where("child_id", "=", childId).execute();

    expect(await withdrawChild(db, B(), childId, true, now)).toEqual({ ok: true });
    expect(await db.selectFrom("credit_claim").select("id").where("child_id", "=", childId).execute()).toEqual([]);
    const creditsAfter = await db.selectFrom("credit").select("id").where("child_id", "=", childId).execute();
    expect(creditsAfter).toEqual(creditsBefore);
  });
});
