import { randomBytes, randomUUID } from "node:crypto";
import { formatPassportNumber, passportCheckCharacter } from "~/modules/passports/passport-number";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships } from "~/modules/accounts/actor.server";
import { defaultAwardLadder } from "~/modules/awards/default-ladder";
import { flaggedAwardCount, flaggedAwards, keepFlaggedAward, withdrawFlaggedAward } from "~/modules/awards/flagged.server";
import { issueCredit, revokeCredit } from "~/modules/credits/ledger.server";
import type { DB } from "~/modules/db/database.server";
import { createPerson, seedTwoAreas } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";
import { sameArea } from "~/modules/db/same-area.server";

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  areas = await seedTwoAreas(db);
  await db
    .insertInto("award_level")
    .values(
      defaultAwardLadder().map((level) => ({
        area_id: areas.north.id,
        threshold_hours: level.thresholdHours,
        name_en: level.nameEn,
        name_cy: level.nameCy,
        stage: level.stage,
        tier: level.tier,
      })),
    )
    .execute();
});
afterAll(async () => close());

/** An eight-hour day (or `quarterHours`) of the north area's first activity, credited to `childId` as it ends. */
async function creditDay(childId: string, day: string, quarterHours = 32) {
  const startsAt = new Date(`${day}T08:00:00Z`);
  const session = await db
    .insertInto("activity_session")
    .values({
      area_id: areas.north.id,
      activity_id: areas.north.activities[0]!.id,
      starts_at: startsAt,
      ends_at: new Date(startsAt.getTime() + quarterHours * 900_000),
      quarter_hours: quarterHours,
      claim_secret: randomBytes(32).toString("hex"),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const key = randomUUID();
  const outcome = await issueCredit(db, {
    areaId: areas.north.id,
    childId,
    sessionId: session.id,
    method: "roster",
    issuedBy: null,
    idempotencyKey: key,
    at: new Date(startsAt.getTime() + quarterHours * 900_000),
  });
  if (!outcome.ok) throw new Error(outcome.code);
  return { ...outcome, key, sessionId: session.id };
}

const awardsOf = (childId: string) =>
  db
    .selectFrom("award")
    .innerJoin("award_level", sameArea("award_level.id", "award.award_level_id"))
    .select(["award_level.threshold_hours", "award.reached_on", "award.flagged_at", "award.certified_at"])
    .where("award.child_id", "=", childId)
    .orderBy("award_level.threshold_hours")
    .execute();

describe("awards follow the ledger", () => {
  const childId = () => areas.north.children[0]!.id; // has one hour from the fixture

  it("reaches Bronze Undergraduate at 30 hours, on the day of the credit that crossed it, once", async () => {
    for (const day of ["2026-11-02", "2026-11-03", "2026-11-04"]) {
      expect((await creditDay(childId(), day)).awardsReached).toEqual([]);
    }
    const crossing = await creditDay(childId(), "2026-11-05");
    expect(crossing.childQuarterHours / 4).toBe(33);
    expect(crossing.awardsReached).toEqual([expect.objectContaining({ thresholdHours: 30, nameEn: "Bronze Undergraduate", nameCy: "Israddedig Efydd" })]);
    expect(await awardsOf(childId())).toEqual([expect.objectContaining({ threshold_hours: 30, reached_on: "2026-11-05", flagged_at: null })]);

    // A retry of the same scan changes nothing and reports no new award.
    const retry = await issueCredit(db, {
      areaId: areas.north.id,
      childId: childId(),
      sessionId: crossing.sessionId,
      method: "roster",
      issuedBy: null,
      idempotencyKey: crossing.key,
      at: new Date("2026-11-05T16:00:00Z"),
    });
    expect(retry).toMatchObject({ ok: true, replayed: true, awardsReached: [] });
    expect(await awardsOf(childId())).toHaveLength(1);
  });

  it("takes an uncertified award away when a revocation drops the child below it", async () => {
    const coordinator = await createPerson(db, { email: "coord-awards@test.example", areaId: areas.north.id, role: "coordinator" });
    const membership = (await loadMemberships(db, coordinator.userId))[0]!;
    const latest = await db.selectFrom("credit").select("id").where("child_id", "=", childId()).where("earned_on", "=", "2026-11-05").executeTakeFirstOrThrow();
    expect(await revokeCredit(db, membership, latest.id, "wrong day")).toEqual({ ok: true });
    expect(await awardsOf(childId())).toEqual([]);
  });

  it("flags a certified award instead of deleting it, and clears the flag when the hours come back", async () => {
    const child = areas.north.children[1]!.id;
    for (const day of ["2026-11-09", "2026-11-10", "2026-11-11"]) await creditDay(child, day);
    const crossing = await creditDay(child, "2026-11-12");
    expect(crossing.awardsReached.map((award) => award.thresholdHours)).toEqual([30]);
    await db.updateTable("award").set({ certified_at: new Date() }).where("child_id", "=", child).execute();

    const coordinator = await createPerson(db, { email: "coord-flags@test.example", areaId: areas.north.id, role: "coordinator" });
    const membership = (await loadMemberships(db, coordinator.userId))[0]!;
    const last = await db.selectFrom("credit").select("id").where("child_id", "=", child).where("earned_on", "=", "2026-11-12").executeTakeFirstOrThrow();
    await revokeCredit(db, membership, last.id, "not there");
    const flagged = await awardsOf(child);
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.flagged_at).toBeInstanceOf(Date);

    await creditDay(child, "2026-11-13");
    expect((await awardsOf(child))[0]!.flagged_at).toBeNull();
  });
});

let childCount = 0;
/** A new north child with no hours yet. */
async function newChild() {
  const body = `${++childCount + 4}BCDEFG`.slice(0, 7);
  const child = await db
    .insertInto("child")
    .values({
      area_id: areas.north.id,
      passport_number: formatPassportNumber("NA", body + passportCheckCharacter(body)),
      passport_token: randomBytes(16).toString("hex"),
      given_name: `Award${childCount}`,
      family_name: "Tester",
      birth_year: 2016,
      birth_month: 3,
      school_id: areas.north.schools[0]!.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return child.id;
}

const coordinatorMembership = async (email: string) => {
  const person = await createPerson(db, { email, areaId: areas.north.id, role: "coordinator" });
  return (await loadMemberships(db, person.userId))[0]!;
};

describe("crossing a threshold by quarter hours", () => {
  it("is not reached at 29.75 hours and is reached at exactly 30.00", async () => {
    const child = await newChild();
    for (const day of ["2026-09-01", "2026-09-02", "2026-09-03"]) await creditDay(child, day); // 24 hours
    const short = await creditDay(child, "2026-09-04", 23); // 29.75
    expect(short.childQuarterHours).toBe(119);
    expect(short.awardsReached).toEqual([]);
    expect(await awardsOf(child)).toEqual([]);
    const exact = await creditDay(child, "2026-09-05", 1); // 30.00
    expect(exact.childQuarterHours).toBe(120);
    expect(exact.awardsReached.map((award) => award.thresholdHours)).toEqual([30]);
    expect(await awardsOf(child)).toEqual([expect.objectContaining({ threshold_hours: 30, reached_on: "2026-09-05" })]);
  });

  it("is reached at 30.25 hours in one step from 29.00", async () => {
    const child = await newChild();
    for (const day of ["2026-09-01", "2026-09-02", "2026-09-03"]) await creditDay(child, day);
    expect((await creditDay(child, "2026-09-04", 20)).awardsReached).toEqual([]); // 29.00
    const over = await creditDay(child, "2026-09-05", 5); // 30.25
    expect(over.childQuarterHours).toBe(121);
    expect(over.awardsReached.map((award) => award.thresholdHours)).toEqual([30]);
  });
});

describe("a flagged award decided by the coordinator", () => {
  /** A child just over 30 hours with a certified Bronze award and a certificate for it. */
  async function certifiedChild() {
    const child = await newChild();
    for (const day of ["2026-08-03", "2026-08-04", "2026-08-05"]) await creditDay(child, day);
    await creditDay(child, "2026-08-06", 8); // 26 hours
    await creditDay(child, "2026-08-07", 24); // 32 hours: Bronze
    const level = await db
      .selectFrom("award_level")
      .select(["id", "name_en", "name_cy"])
      .where("area_id", "=", areas.north.id)
      .where("threshold_hours", "=", 30)
      .executeTakeFirstOrThrow();
    await db.updateTable("award").set({ certified_at: new Date() }).where("area_id", "=", areas.north.id).where("child_id", "=", child).execute();
    const serial = await db
      .selectFrom("certificate")
      .select((eb) => eb.fn.coalesce(eb.fn.max("serial"), eb.val(0)).as("n"))
      .executeTakeFirstOrThrow();
    const certificate = await db
      .insertInto("certificate")
      .values({
        area_id: areas.north.id,
        serial: Number(serial.n) + 1,
        child_id: child,
        award_level_id: level.id,
        award_name_en: level.name_en,
        award_name_cy: level.name_cy,
        threshold_hours: 30,
        reached_on: "2026-08-07",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { child, levelId: level.id, certificateId: certificate.id };
  }
  const revokeOn = async (m: Awaited<ReturnType<typeof coordinatorMembership>>, child: string, day: string) => {
    const credit = await db
      .selectFrom("credit")
      .select("id")
      .where("child_id", "=", child)
      .where("earned_on", "=", day)
      .where("revoked_at", "is", null)
      .executeTakeFirstOrThrow();
    expect(await revokeCredit(db, m, credit.id, "entered twice")).toEqual({ ok: true });
  };

  it("keep: the flag goes, and a later revocation does not flag it again", async () => {
    const m = await coordinatorMembership("coord-keep@test.example");
    const { child, levelId } = await certifiedChild();
    const before = await flaggedAwardCount(db, areas.north.id);
    await revokeOn(m, child, "2026-08-07"); // back to 26 hours
    expect(await flaggedAwardCount(db, areas.north.id)).toBe(before + 1);
    const listed = (await flaggedAwards(db, m)).find((award) => award.child_id === child);
    expect(listed).toMatchObject({
      award_level_id: levelId,
      threshold_hours: 30,
      quarter_hours: 104,
      school_name: "north school 1",
      given_name: expect.stringMatching(/^Award/),
    });

    await keepFlaggedAward(db, m, child, levelId);
    const kept = await db.selectFrom("award").selectAll().where("child_id", "=", child).executeTakeFirstOrThrow();
    expect(kept.flagged_at).toBeNull();
    expect(kept.kept_at).toBeInstanceOf(Date);
    expect(await flaggedAwardCount(db, areas.north.id)).toBe(before);

    await revokeOn(m, child, "2026-08-06"); // 24 hours: still below, and kept
    const after = await db.selectFrom("award").selectAll().where("child_id", "=", child).executeTakeFirstOrThrow();
    expect(after.flagged_at).toBeNull();
    expect(after.kept_at).toBeInstanceOf(Date);
    const audit = await db
      .selectFrom("audit_event")
      .select(["action", "subject_id"])
      .where("action", "=", "award_kept")
      .where("subject_id", "=", child)
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("withdraw: needs a reason; then the award is gone and its certificate revoked with the reason", async () => {
    const m = await coordinatorMembership("coord-withdraw@test.example");
    const { child, levelId, certificateId } = await certifiedChild();
    await revokeOn(m, child, "2026-08-07");
    expect(await withdrawFlaggedAward(db, m, child, levelId, "   ")).toEqual({ ok: false, error: "awards.flagged.errors.reasonRequired" });
    expect(await awardsOf(child)).toHaveLength(1);

    expect(await withdrawFlaggedAward(db, m, child, levelId, "Hours were entered twice — O'Neill's club")).toEqual({ ok: true, certificatesRevoked: 1 });
    expect(await awardsOf(child)).toEqual([]);
    const certificate = await db.selectFrom("certificate").selectAll().where("id", "=", certificateId).executeTakeFirstOrThrow();
    expect(certificate.revoked_at).toBeInstanceOf(Date);
    expect(certificate.revoke_reason).toBe("Hours were entered twice — O'Neill's club");
    const audit = await db
      .selectFrom("audit_event")
      .select("details")
      .where("action", "=", "award_withdrawn")
      .where("subject_id", "=", child)
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ awardLevelId: levelId, reason: "Hours were entered twice — O'Neill's club" });

    // Nothing left to decide: a second decision is a 404, not a second revocation.
    const again = await withdrawFlaggedAward(db, m, child, levelId, "again").catch((thrown: unknown) => thrown);
    expect((again as Response).status).toBe(404);
  });

  it("an award that is not flagged cannot be kept or withdrawn", async () => {
    const m = await coordinatorMembership("coord-notflagged@test.example");
    const { child, levelId } = await certifiedChild();
    // One at a time: a second refusal started alongside would reject before anything awaits it.
    for (const attempt of [() => keepFlaggedAward(db, m, child, levelId), () => withdrawFlaggedAward(db, m, child, levelId, "no")]) {
      expect(((await attempt().catch((thrown: unknown) => thrown)) as Response).status).toBe(404);
    }
    expect(await awardsOf(child)).toHaveLength(1);
  });
});

describe("the day an award is reached, in Wales", () => {
  it("is the Welsh date of the revocation that re-synced it, even between midnight and 01:00 in summer", async () => {
    // The south area has no ladder yet: two days credited, then a level added at one day's hours,
    // so the revocation below is what reaches it.
    const south = areas.south;
    const child = south.children[0]!.id;
    for (const day of ["2026-07-13", "2026-07-14"]) {
      const startsAt = new Date(`${day}T08:00:00Z`);
      const session = await db
        .insertInto("activity_session")
        .values({
          area_id: south.id,
          activity_id: south.activities[0]!.id,
          starts_at: startsAt,
          ends_at: new Date(startsAt.getTime() + 32 * 900_000),
          quarter_hours: 32,
          claim_secret: randomBytes(32).toString("hex"),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const outcome = await issueCredit(db, {
        areaId: south.id,
        childId: child,
        sessionId: session.id,
        method: "roster",
        issuedBy: null,
        idempotencyKey: randomUUID(),
        at: new Date(startsAt.getTime() + 32 * 900_000),
      });
      if (!outcome.ok) throw new Error(outcome.code);
    }
    const level = defaultAwardLadder()[0]!;
    await db
      .insertInto("award_level")
      .values({ area_id: south.id, threshold_hours: 8, name_en: level.nameEn, name_cy: level.nameCy, stage: level.stage, tier: level.tier })
      .execute();
    const coordinator = await createPerson(db, { email: "coord-south-awards@test.example", areaId: south.id, role: "coordinator" });
    const membership = (await loadMemberships(db, coordinator.userId))[0]!;
    const credit = await db.selectFrom("credit").select("id").where("child_id", "=", child).where("earned_on", "=", "2026-07-14").executeTakeFirstOrThrow();
    // 23:30 UTC on 15 July is 00:30 BST on 16 July in Wales.
    expect(await revokeCredit(db, membership, credit.id, "wrong child", new Date("2026-07-15T23:30:00Z"))).toEqual({ ok: true });
    expect(await awardsOf(child)).toEqual([expect.objectContaining({ threshold_hours: 8, reached_on: "2026-07-16" })]);
  });
});
