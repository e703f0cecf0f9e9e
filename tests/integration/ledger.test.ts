import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import { issueCredit, revokeCredit, type CreditRequest } from "~/modules/credits/ledger.server";
import type { DB } from "~/modules/db/database.server";
import { createPerson, insertSession, seedTwoAreas } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  areas = await seedTwoAreas(db);
});
afterAll(async () => close());

/** A new session of the north area's first activity, `hours` long, starting at `start`. */
async function newSession(start: string, quarterHours = 4, activity = 0) {
  return insertSession(db, { areaId: areas.north.id, activityId: areas.north.activities[activity]!.id, startsAt: new Date(start), minutes: quarterHours * 15, quarterHours });
}

function credit(overrides: Partial<CreditRequest> & { sessionId: string }): CreditRequest {
  return {
    areaId: areas.north.id,
    childId: areas.north.children[0]!.id,
    method: "passport_scan",
    issuedBy: null,
    idempotencyKey: randomUUID(),
    at: new Date(new Date("2026-10-01T00:00:00Z").getTime() + 30 * 86_400_000),
    ...overrides,
  };
}

async function membershipOf(role: Parameters<typeof createPerson>[1]["role"], extra: { providerId?: string; schoolId?: string } = {}): Promise<Membership> {
  const person = await createPerson(db, { email: `${role}-${randomUUID()}@test.example`, areaId: areas.north.id, role, ...extra });
  return (await loadMemberships(db, person.userId))[0]!;
}

describe("issuing a credit", () => {
  it("adds the session's hours to the child's total, once, and audits it", async () => {
    const sessionId = await newSession("2026-11-02T16:00:00Z");
    const at = new Date("2026-11-02T16:30:00Z");
    const first = await issueCredit(db, credit({ sessionId, at, idempotencyKey: "scan-1" }));
    expect(first).toMatchObject({ ok: true, replayed: false, credit: { quarterHours: 4, earnedOn: "2026-11-02" } });
    if (!first.ok) return;
    const audit = await db.selectFrom("audit_event").select("action").where("subject_id", "=", first.credit.id).executeTakeFirst();
    expect(audit?.action).toBe("credit_issued");

    const replay = await issueCredit(db, credit({ sessionId, at, idempotencyKey: "scan-1" }));
    expect(replay).toMatchObject({ ok: true, replayed: true, credit: { id: first.credit.id } });
    const again = await issueCredit(db, credit({ sessionId, at }));
    expect(again).toEqual({ ok: false, code: "ALREADY_CREDITED" });
    const otherChild = await issueCredit(db, credit({ sessionId, at, idempotencyKey: "scan-1", childId: areas.north.children[1]!.id }));
    expect(otherChild).toEqual({ ok: false, code: "IDEMPOTENCY_KEY_REUSED" });
    const rows = await db.selectFrom("credit").select("id").where("session_id", "=", sessionId).execute();
    expect(rows).toHaveLength(1);
  });

  it("only for a session that has started, and not long after it ended", async () => {
    const sessionId = await newSession("2026-11-03T16:00:00Z");
    expect(await issueCredit(db, credit({ sessionId, at: new Date("2026-11-03T15:59:00Z") }))).toEqual({ ok: false, code: "SESSION_NOT_STARTED" });
    expect(await issueCredit(db, credit({ sessionId, at: new Date("2026-11-05T17:01:00Z") }))).toEqual({ ok: false, code: "SESSION_CLOSED" });
    expect(await issueCredit(db, credit({ sessionId, at: new Date("2026-11-05T16:59:00Z") }))).toMatchObject({ ok: true });
  });

  it("follows the area's own window after a session", async () => {
    await db.updateTable("area").set({ settings: JSON.stringify({ creditWindowMinutes: 60 }) }).where("id", "=", areas.north.id).execute();
    try {
      const sessionId = await newSession("2026-11-04T16:00:00Z");
      expect(await issueCredit(db, credit({ sessionId, at: new Date("2026-11-04T18:01:00Z") }))).toEqual({ ok: false, code: "SESSION_CLOSED" });
      expect(await issueCredit(db, credit({ sessionId, at: new Date("2026-11-04T17:59:00Z") }))).toMatchObject({ ok: true });
    } finally {
      await db.updateTable("area").set({ settings: "{}" }).where("id", "=", areas.north.id).execute();
    }
  });

  it("never for a cancelled session, an expired validation, or another provider's session", async () => {
    const cancelled = await newSession("2026-11-06T16:00:00Z");
    await db.updateTable("activity_session").set({ cancelled_at: new Date() }).where("id", "=", cancelled).execute();
    const at = new Date("2026-11-06T17:00:00Z");
    expect(await issueCredit(db, credit({ sessionId: cancelled, at }))).toEqual({ ok: false, code: "SESSION_CANCELLED" });

    const sessionId = await newSession("2026-11-06T18:00:00Z");
    const later = new Date("2026-11-06T19:00:00Z");
    expect(await issueCredit(db, credit({ sessionId, at: later, providerId: areas.north.providers[1]!.id }))).toEqual({ ok: false, code: "WRONG_PROVIDER" });

    const provider = areas.north.providers[0]!.id;
    await db.updateTable("provider").set({ validated_until: "2026-11-05" }).where("id", "=", provider).execute();
    try {
      expect(await issueCredit(db, credit({ sessionId, at: later }))).toEqual({ ok: false, code: "VALIDATION_EXPIRED" });
    } finally {
      await db.updateTable("provider").set({ validated_until: "2099-12-31" }).where("id", "=", provider).execute();
    }
    expect(await issueCredit(db, credit({ sessionId, at: later, providerId: provider }))).toMatchObject({ ok: true });
  });

  it("keeps areas apart: another area's child or session is not found", async () => {
    const sessionId = await newSession("2026-11-07T16:00:00Z");
    const at = new Date("2026-11-07T17:00:00Z");
    expect(await issueCredit(db, credit({ sessionId, at, childId: areas.south.children[0]!.id }))).toEqual({ ok: false, code: "CHILD_NOT_FOUND" });
    expect(await issueCredit(db, credit({ sessionId: areas.south.sessions[0]!.id, at }))).toEqual({ ok: false, code: "SESSION_NOT_FOUND" });
    expect(await issueCredit(db, credit({ sessionId, at, areaId: areas.south.id }))).toEqual({ ok: false, code: "CHILD_NOT_FOUND" });
  });

  it("gives exactly one credit when the same child is scanned for the same session twice at once", async () => {
    const sessionId = await newSession("2026-11-08T10:00:00Z");
    const at = new Date("2026-11-08T11:00:00Z");
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => issueCredit(db, credit({ sessionId, at }))));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.ok).map((outcome) => !outcome.ok && outcome.code)).toEqual(["ALREADY_CREDITED", "ALREADY_CREDITED", "ALREADY_CREDITED"]);
    const rows = await db.selectFrom("credit").select("id").where("session_id", "=", sessionId).where("revoked_at", "is", null).execute();
    expect(rows).toHaveLength(1);
  });

  it("stops at the daily cap, even when scans arrive at once", async () => {
    await db.updateTable("area").set({ settings: JSON.stringify({ dailyCapQuarterHours: 12 }) }).where("id", "=", areas.north.id).execute();
    try {
      const sessions = await Promise.all(["09", "11", "13", "15", "17"].map((hour) => newSession(`2026-11-09T${hour}:00:00Z`)));
      const at = new Date("2026-11-09T19:00:00Z");
      const childId = areas.north.children[1]!.id;
      const outcomes = await Promise.all(sessions.map((sessionId) => issueCredit(db, credit({ sessionId, at, childId }))));
      expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(3);
      expect(outcomes.filter((outcome) => !outcome.ok).map((outcome) => !outcome.ok && outcome.code)).toEqual(["DAILY_CAP_REACHED", "DAILY_CAP_REACHED"]);
      const next = await newSession("2026-11-10T09:00:00Z");
      expect(await issueCredit(db, credit({ sessionId: next, at: new Date("2026-11-10T10:00:00Z"), childId }))).toMatchObject({ ok: true });
    } finally {
      await db.updateTable("area").set({ settings: "{}" }).where("id", "=", areas.north.id).execute();
    }
  });

  it("stops at an activity's term cap, and starts again next term", async () => {
    const activityId = areas.north.activities[1]!.id;
    await db.updateTable("activity").set({ term_cap_quarter_hours: 8 }).where("id", "=", activityId).execute();
    const childId = areas.north.children[0]!.id;
    const outcomes = [];
    for (const day of ["2026-11-11", "2026-11-18", "2026-11-25"]) {
      const sessionId = await newSession(`${day}T16:00:00Z`, 4, 1);
      outcomes.push(await issueCredit(db, credit({ sessionId, childId, at: new Date(`${day}T17:30:00Z`) })));
    }
    // Two one-hour sessions fill the two-hour cap; the third is refused.
    expect(outcomes.map((outcome) => (outcome.ok ? "ok" : outcome.code))).toEqual(["ok", "ok", "TERM_CAP_REACHED"]);
    const spring = await newSession("2027-01-13T16:00:00Z", 4, 1);
    expect(await issueCredit(db, credit({ sessionId: spring, childId, at: new Date("2027-01-13T17:30:00Z") }))).toMatchObject({ ok: true });
  });

  it("counts a term cap to the term's last day, on the session's date in Wales", async () => {
    const activityId = areas.north.activities[1]!.id;
    await db.updateTable("activity").set({ term_cap_quarter_hours: 8 }).where("id", "=", activityId).execute();
    const childId = areas.north.children[1]!.id;
    const outcomeAt = async (start: string) => {
      const sessionId = await newSession(start, 4, 1);
      const outcome = await issueCredit(db, credit({ sessionId, childId, at: new Date(new Date(start).getTime() + 90 * 60_000) }));
      return outcome.ok ? outcome.credit.earnedOn : outcome.code;
    };
    // Spring runs to 31 March; 23:30 GMT on 31 March 2027 is 00:30 on 1 April in Wales (summer time), so summer.
    expect(await outcomeAt("2027-01-05T10:00:00Z")).toBe("2027-01-05");
    expect(await outcomeAt("2027-03-31T10:00:00Z")).toBe("2027-03-31");
    expect(await outcomeAt("2027-03-31T14:00:00Z")).toBe("TERM_CAP_REACHED");
    expect(await outcomeAt("2027-03-31T23:30:00Z")).toBe("2027-04-01");
    // Summer runs to 31 August, autumn to 31 December.
    expect(await outcomeAt("2027-08-31T10:00:00Z")).toBe("2027-08-31");
    expect(await outcomeAt("2027-08-31T14:00:00Z")).toBe("TERM_CAP_REACHED");
    expect(await outcomeAt("2027-09-01T10:00:00Z")).toBe("2027-09-01");
    expect(await outcomeAt("2027-12-31T10:00:00Z")).toBe("2027-12-31");
    expect(await outcomeAt("2027-12-31T14:00:00Z")).toBe("TERM_CAP_REACHED");
    expect(await outcomeAt("2028-01-01T10:00:00Z")).toBe("2028-01-01");
  });
});

describe("revoking a credit", () => {
  it("lets provider staff revoke their own provider's credits within 30 days, with a reason", async () => {
    const sessionId = await newSession("2026-11-12T16:00:00Z");
    const issued = await issueCredit(db, credit({ sessionId, at: new Date("2026-11-12T17:00:00Z"), childId: areas.north.children[1]!.id }));
    if (!issued.ok) throw new Error(issued.code);
    const own = await membershipOf("provider_member", { providerId: areas.north.providers[0]!.id });
    const other = await membershipOf("provider_owner", { providerId: areas.north.providers[1]!.id });

    expect(await revokeCredit(db, own, issued.credit.id, "  ")).toEqual({ ok: false, code: "REASON_REQUIRED" });
    expect(await revokeCredit(db, other, issued.credit.id, "scanned the wrong child")).toEqual({ ok: false, code: "NOT_FOUND" });
    const late = new Date(Date.now() + 31 * 86_400_000);
    expect(await revokeCredit(db, own, issued.credit.id, "scanned the wrong child", late)).toEqual({ ok: false, code: "TOO_LATE" });
    expect(await revokeCredit(db, own, issued.credit.id, "scanned the wrong child")).toEqual({ ok: true });
    expect(await revokeCredit(db, own, issued.credit.id, "again")).toEqual({ ok: false, code: "ALREADY_REVOKED" });

    const row = await db.selectFrom("credit").selectAll().where("id", "=", issued.credit.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ quarter_hours: 4, revoke_reason: "scanned the wrong child", revoked_by: own.userId });
    const audit = await db.selectFrom("audit_event").select("details").where("action", "=", "credit_revoked").where("subject_id", "=", issued.credit.id).executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ reason: "scanned the wrong child" });

    // The session can be credited again, properly this time; revoked hours no longer count.
    const reissued = await issueCredit(db, credit({ sessionId, at: new Date("2026-11-12T17:30:00Z"), childId: areas.north.children[1]!.id }));
    expect(reissued).toMatchObject({ ok: true, replayed: false });
  });

  it("lets a coordinator revoke any of the area's credits at any time, and nobody else", async () => {
    const coordinator = await membershipOf("coordinator");
    const late = new Date(Date.now() + 400 * 86_400_000);
    expect(await revokeCredit(db, coordinator, areas.north.credits[1]!.id, "duplicate from an import", late)).toEqual({ ok: true });
    expect(await revokeCredit(db, coordinator, areas.south.credits[0]!.id, "not mine")).toEqual({ ok: false, code: "NOT_FOUND" });
    for (const role of ["school", "guardian", "viewer"] as const) {
      const m = await membershipOf(role, role === "school" ? { schoolId: areas.north.schools[0]!.id } : {});
      await expect(revokeCredit(db, m, areas.north.credits[0]!.id, "let me")).rejects.toMatchObject({ status: 403 });
    }
  });
});

describe("the database guards the ledger", () => {
  it("refuses to delete a credit or change its facts", async () => {
    const id = areas.north.credits[0]!.id;
    await expect(db.deleteFrom("credit").where("id", "=", id).execute()).rejects.toThrow(/never deleted/);
    await expect(db.updateTable("credit").set({ quarter_hours: 40 }).where("id", "=", id).execute()).rejects.toThrow(/never edited/);
    const row = await db.selectFrom("credit").select("quarter_hours").where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.quarter_hours).toBe(4);
  });

  it("refuses to change a revocation once made", async () => {
    const revoked = await db.selectFrom("credit").select("id").where("revoked_at", "is not", null).executeTakeFirstOrThrow();
    await expect(db.updateTable("credit").set({ revoked_at: null, revoke_reason: null }).where("id", "=", revoked.id).execute()).rejects.toThrow(/cannot change/);
  });

  it("keeps the audit trail append-only", async () => {
    await expect(db.deleteFrom("audit_event").execute()).rejects.toThrow(/append-only/);
    await expect(db.updateTable("audit_event").set({ action: "sign_in" }).execute()).rejects.toThrow(/append-only/);
  });
});
