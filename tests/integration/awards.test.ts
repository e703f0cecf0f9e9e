import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships } from "~/modules/accounts/actor.server";
import { defaultAwardLadder } from "~/modules/awards/default-ladder";
import { issueCredit, revokeCredit } from "~/modules/credits/ledger.server";
import type { DB } from "~/modules/db/database.server";
import { createPerson, seedTwoAreas } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  areas = await seedTwoAreas(db);
  await db
    .insertInto("award_level")
    .values(defaultAwardLadder().map((level) => ({ area_id: areas.north.id, threshold_hours: level.thresholdHours, name_en: level.nameEn, name_cy: level.nameCy, stage: level.stage, tier: level.tier })))
    .execute();
});
afterAll(async () => close());

/** An eight-hour day of the north area's first activity, credited to `childId` as it ends. */
async function creditDay(childId: string, day: string) {
  const startsAt = new Date(`${day}T08:00:00Z`);
  const session = await db
    .insertInto("activity_session")
    .values({
      area_id: areas.north.id,
      activity_id: areas.north.activities[0]!.id,
      starts_at: startsAt,
      ends_at: new Date(startsAt.getTime() + 8 * 3600_000),
      quarter_hours: 32,
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
    at: new Date(startsAt.getTime() + 8 * 3600_000),
  });
  if (!outcome.ok) throw new Error(outcome.code);
  return { ...outcome, key, sessionId: session.id };
}

const awardsOf = (childId: string) =>
  db
    .selectFrom("award")
    .innerJoin("award_level", (join) => join.onRef("award_level.area_id", "=", "award.area_id").onRef("award_level.id", "=", "award.award_level_id"))
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
