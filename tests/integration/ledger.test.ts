import { randomUUID } from "node:crypto";
import { Migrator, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import { issueCredit, revokeCredit, type CreditRequest } from "~/modules/credits/ledger.server";
import type { DB } from "~/modules/db/database.server";
import { createPerson, insertSession, seedTwoAreas } from "../support/fixtures";
import { loadLsoas } from "~/modules/reference/lsoa.server";
import { migrations } from "../../db/migrations";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";

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
  return insertSession(db, {
    areaId: areas.north.id,
    activityId: areas.north.activities[activity]!.id,
    startsAt: new Date(start),
    minutes: quarterHours * 15,
    quarterHours,
  });
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
    await db
      .updateTable("area")
      .set({ settings: JSON.stringify({ creditWindowMinutes: 60 }) })
      .where("id", "=", areas.north.id)
      .execute();
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

  it("keeps idempotency keys to their issuer: another provider's key neither answers nor blocks", async () => {
    const [own, other] = [areas.north.providers[0]!.id, areas.north.providers[1]!.id];
    const theirs = await newSession("2026-06-14T10:00:00Z", 4, 1);
    const at = new Date("2026-06-14T12:00:00Z");
    const key = randomUUID();
    const first = await issueCredit(db, credit({ sessionId: theirs, at, providerId: other, idempotencyKey: key }));
    expect(first).toMatchObject({ ok: true, replayed: false });
    // Their key, their session and child, from us: refused as the session's, never the first answer again.
    expect(await issueCredit(db, credit({ sessionId: theirs, at, providerId: own, idempotencyKey: key }))).toEqual({ ok: false, code: "WRONG_PROVIDER" });
    // The same key for one of our own sessions is ours to use.
    const ours = await newSession("2026-06-14T14:00:00Z", 4, 0);
    expect(await issueCredit(db, credit({ sessionId: ours, at: new Date("2026-06-14T15:00:00Z"), providerId: own, idempotencyKey: key }))).toMatchObject({
      ok: true,
      replayed: false,
    });
    // Their retry still gets their first answer; a second credit under one key of theirs is still a client bug.
    expect(await issueCredit(db, credit({ sessionId: theirs, at, providerId: other, idempotencyKey: key }))).toMatchObject({
      ok: true,
      replayed: true,
      credit: { id: first.ok ? first.credit.id : "" },
    });
    const theirNext = await newSession("2026-06-14T16:00:00Z", 4, 1);
    expect(await issueCredit(db, credit({ sessionId: theirNext, at: new Date("2026-06-14T17:00:00Z"), providerId: other, idempotencyKey: key }))).toEqual({
      ok: false,
      code: "IDEMPOTENCY_KEY_REUSED",
    });
    // A coordinator's scan (no provider of its own) is in the session's provider's scope: a retry replays.
    expect(await issueCredit(db, credit({ sessionId: theirs, at, idempotencyKey: key }))).toMatchObject({ ok: true, replayed: true });
  });

  it("checks the session's provider before answering a repeated key, even for a closed or cancelled session", async () => {
    const theirs = await newSession("2026-06-15T10:00:00Z", 4, 1);
    const key = randomUUID();
    expect(
      await issueCredit(db, credit({ sessionId: theirs, at: new Date("2026-06-15T11:00:00Z"), providerId: areas.north.providers[1]!.id, idempotencyKey: key })),
    ).toMatchObject({ ok: true });
    await db.updateTable("activity_session").set({ cancelled_at: new Date() }).where("id", "=", theirs).execute();
    const late = new Date("2026-06-25T11:00:00Z");
    expect(await issueCredit(db, credit({ sessionId: theirs, at: late, providerId: areas.north.providers[0]!.id, idempotencyKey: key }))).toEqual({
      ok: false,
      code: "WRONG_PROVIDER",
    });
    // The issuer's own retry, days later and after the cancellation, still gets its first answer.
    expect(await issueCredit(db, credit({ sessionId: theirs, at: late, providerId: areas.north.providers[1]!.id, idempotencyKey: key }))).toMatchObject({
      ok: true,
      replayed: true,
    });
  });

  it("refuses a session that overlaps one the child already has a credit for; touching is not overlapping", async () => {
    const childId = areas.north.children[1]!.id;
    const at = new Date("2026-11-16T20:00:00Z");
    // Four 90-minute sessions in one 90-minute slot, at two providers.
    const slot = await Promise.all([0, 1, 0, 1].map((activity) => newSession("2026-11-16T16:00:00Z", 6, activity)));
    const outcomes = [];
    for (const sessionId of slot) outcomes.push(await issueCredit(db, credit({ sessionId, at, childId })));
    expect(outcomes.map((outcome) => (outcome.ok ? "ok" : outcome.code))).toEqual(["ok", "OVERLAPPING_SESSION", "OVERLAPPING_SESSION", "OVERLAPPING_SESSION"]);
    // 17:00–18:00 overlaps 16:00–17:30 by half an hour; 17:30–18:30 only touches it; 15:00–16:00 touches it from before.
    expect(await issueCredit(db, credit({ sessionId: await newSession("2026-11-16T17:00:00Z", 4, 1), at, childId }))).toEqual({
      ok: false,
      code: "OVERLAPPING_SESSION",
    });
    expect(await issueCredit(db, credit({ sessionId: await newSession("2026-11-16T17:30:00Z", 4, 1), at, childId }))).toMatchObject({ ok: true });
    expect(await issueCredit(db, credit({ sessionId: await newSession("2026-11-16T15:00:00Z", 4, 0), at, childId }))).toMatchObject({ ok: true });
    // A longer session around the earlier ones (12:00–16:30) overlaps; another child is not affected.
    const longer = await newSession("2026-11-16T12:00:00Z", 18, 0);
    expect(await issueCredit(db, credit({ sessionId: longer, at, childId }))).toEqual({ ok: false, code: "OVERLAPPING_SESSION" });
    expect(await issueCredit(db, credit({ sessionId: slot[0]!, at, childId: areas.north.children[0]!.id }))).toMatchObject({ ok: true });
    // Once the first credit is revoked (a wrong scan), the overlapping session can be credited.
    const first = outcomes[0]!;
    if (!first.ok) throw new Error("the first credit was refused");
    await db.updateTable("credit").set({ revoked_at: new Date(), revoke_reason: "wrong session" }).where("id", "=", first.credit.id).execute();
    expect(await issueCredit(db, credit({ sessionId: slot[2]!, at, childId }))).toMatchObject({ ok: true });
    expect(
      await db
        .selectFrom("credit")
        .select("id")
        .where("child_id", "=", childId)
        .where("earned_on", "=", "2026-11-16")
        .where("revoked_at", "is", null)
        .execute(),
    ).toHaveLength(3);
  });

  it("gives exactly one credit when the same child is scanned for the same session twice at once", async () => {
    const sessionId = await newSession("2026-11-08T10:00:00Z");
    const at = new Date("2026-11-08T11:00:00Z");
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => issueCredit(db, credit({ sessionId, at }))));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.ok).map((outcome) => !outcome.ok && outcome.code)).toEqual([
      "ALREADY_CREDITED",
      "ALREADY_CREDITED",
      "ALREADY_CREDITED",
    ]);
    const rows = await db.selectFrom("credit").select("id").where("session_id", "=", sessionId).where("revoked_at", "is", null).execute();
    expect(rows).toHaveLength(1);
  });

  it("stops at the daily cap, even when scans arrive at once", async () => {
    await db
      .updateTable("area")
      .set({ settings: JSON.stringify({ dailyCapQuarterHours: 12 }) })
      .where("id", "=", areas.north.id)
      .execute();
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
    const audit = await db
      .selectFrom("audit_event")
      .select("details")
      .where("action", "=", "credit_revoked")
      .where("subject_id", "=", issued.credit.id)
      .executeTakeFirstOrThrow();
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
    await expect(db.updateTable("credit").set({ revoked_at: null, revoke_reason: null }).where("id", "=", revoked.id).execute()).rejects.toThrow(
      /cannot change/,
    );
  });

  it("keeps the audit trail append-only", async () => {
    await expect(db.deleteFrom("audit_event").execute()).rejects.toThrow(/append-only/);
    await expect(db.updateTable("audit_event").set({ action: "sign_in" }).execute()).rejects.toThrow(/append-only/);
  });
});

describe(`migration 0021 on a ledger with credits, on ${testDatabaseKind()}`, () => {
  it("puts every credit's key in its issuer's scope, revoked ones too, and lets two providers use one key", async () => {
    const { db: old, close: closeOld } = await createTestDatabase({ migrate: false });
    try {
      const migrator = new Migrator({ db: old, provider: { getMigrations: async () => migrations } });
      expect((await migrator.migrateTo("0015_wimd2025")).error).toBeUndefined();
      await loadLsoas(old);
      const seeded = await seedTwoAreas(old);
      const guardian = await createPerson(old, {
        email: "guardian@migration.example",
        areaId: seeded.north.id,
        role: "guardian",
        childIds: [seeded.north.children[0]!.id],
      });
      // A guardian's claim credit (under the old deterministic key), revoked: the guard (0005) forbids changing it, so the migration must not need to.
      const claimed = await sql<{ id: string }>`
        insert into credit (area_id, child_id, provider_id, activity_id, session_id, quarter_hours, earned_on, method, issued_by, idempotency_key, revoked_at, revoke_reason)
        values (${seeded.north.id}, ${seeded.north.children[0]!.id}, ${seeded.north.providers[1]!.id}, ${seeded.north.activities[1]!.id}, ${seeded.north.sessions[1]!.id},
                4, '2026-10-01', 'session_code', ${guardian.userId}, 'claim:old', now(), 'not there')
        returning id`.execute(old);

      const applied = await migrator.migrateTo("0021_ledger_key_scope");
      expect(applied.error).toBeUndefined();
      expect(applied.results?.map((result) => result.migrationName)).toContain("0021_ledger_key_scope");

      const scopes = await old.selectFrom("credit").select(["id", "provider_id", "idempotency_scope"]).orderBy("id").execute();
      expect(scopes).toHaveLength(5);
      for (const row of scopes) expect(row.idempotency_scope).toBe(row.id === claimed.rows[0]!.id ? guardian.userId : row.provider_id);

      // The fixture's credit of provider 0 used `fixture-north-0`; provider 1 may use it too now, for its own session.
      const session = await insertSession(old, {
        areaId: seeded.north.id,
        activityId: seeded.north.activities[1]!.id,
        startsAt: new Date("2026-11-20T16:00:00Z"),
        minutes: 60,
        quarterHours: 4,
      });
      const reused = await issueCredit(old, {
        areaId: seeded.north.id,
        childId: seeded.north.children[1]!.id,
        sessionId: session,
        providerId: seeded.north.providers[1]!.id,
        method: "passport_scan",
        issuedBy: null,
        idempotencyKey: "fixture-north-0",
        at: new Date("2026-11-20T17:00:00Z"),
      });
      expect(reused).toMatchObject({ ok: true, replayed: false });
    } finally {
      await closeOld();
    }
  });
});
