import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { DB } from "~/modules/db/database.server";
import { formatPassportNumber, PASSPORT_ALPHABET, passportCheckCharacter } from "~/modules/passports/passport-number";
import { seedEquityFixture } from "./equity-fixture";

/** The day after which one more quintile 1 child is registered (the overlapping-periods attack). */
export const LATE_REGISTRATION_DAY = "2026-12-31";

/**
 * The equity fixture (autumn term 2026) with the small cells that the five kinds of attack in
 * issue 15 need. On top of seedEquityFixture (quintile 1: 12 enrolled, 6 active; quintile 3:
 * 3, 1; quintile 5: 15, 9; not known: 2, 0):
 *
 * - quintile 2: 2 children, both active (a cross-breakdown total: the two most deprived
 *   fifths' line of the provider table less quintile 1 gives them away);
 * - Flintshire (outside the area, quintile of its LSOA): 4 children, all active, and 4 more
 *   active children of "not known" (the label bounds: two hidden "<5" cells adding up to 8);
 * - awards: 6 in quintile 1, 5 in quintile 5 and none elsewhere (hidden cells adding up to zero);
 * - the hidden groups' hours are the total's less the shown groups' (hours);
 * - one more quintile 1 child registered on 31 December (two overlapping periods).
 */
export async function seedSmallCellsFixture(db: DB) {
  const base = await seedEquityFixture(db);
  const { north } = base;
  const unchangedLsoa = async (la: string, quintile: number) =>
    (
      await db
        .selectFrom("lsoa")
        .innerJoin("lsoa11_lsoa21 as m", (join) => join.onRef("m.lsoa11_code", "=", "lsoa.code").on("m.change", "=", "U"))
        .innerJoin("lsoa21", "lsoa21.code", "m.lsoa21_code")
        .select(["lsoa.code", "lsoa21.wimd_quintile"])
        .where("lsoa.la_code", "=", la)
        .where("lsoa.wimd_quintile", "=", quintile)
        .whereRef("lsoa21.wimd_quintile", "=", "lsoa.wimd_quintile")
        .orderBy("lsoa.code")
        .executeTakeFirstOrThrow()
    ).code;
  const q2 = await unchangedLsoa("W06000006", 2);
  // Flintshire, in quintile 4 (which has nobody else in the fixture).
  const flint = await unchangedLsoa("W06000005", 4);

  let serial = 0;
  const addChild = async (home: string | null, createdAt = "2026-06-01T09:00:00Z") => {
    serial++;
    let body = "";
    for (let rest = serial; body.length < 6; rest = Math.floor(rest / 32)) body = PASSPORT_ALPHABET[rest % 32]! + body;
    const core = `S${body}`;
    const child = await db
      .insertInto("child")
      .values({
        area_id: north.id,
        passport_number: formatPassportNumber("NA", core + passportCheckCharacter(core)),
        passport_token: randomBytes(16).toString("hex"),
        given_name: `Small${serial}`,
        family_name: "Cells",
        birth_year: 2016,
        birth_month: 5,
        school_id: north.schools[1]!.id,
        home_lsoa_code: home,
        home_lsoa21_code: home,
      } as never)
      .returning("id")
      .executeTakeFirstOrThrow();
    await sql`update child set created_at = ${createdAt}::timestamptz where id = ${child.id}`.execute(db);
    return child.id;
  };
  let key = 0;
  const credit = (childId: string) =>
    db
      .insertInto("credit")
      .values({
        area_id: north.id,
        child_id: childId,
        provider_id: north.providers[0]!.id,
        activity_id: north.activities[0]!.id,
        session_id: north.sessions[0]!.id,
        quarter_hours: 4,
        earned_on: "2026-10-08",
        method: "passport_scan",
        idempotency_key: `small-cells-${key++}`,
      })
      .execute();

  const quintile2 = [await addChild(q2), await addChild(q2)];
  for (const id of quintile2) await credit(id);
  const flintshire: string[] = [];
  for (let i = 0; i < 4; i++) flintshire.push(await addChild(flint));
  for (const id of flintshire) await credit(id);
  const notKnown: string[] = [];
  for (let i = 0; i < 4; i++) notKnown.push(await addChild(null));
  for (const id of notKnown) await credit(id);
  const lateChild = await addChild(base.lsoas[1], `${LATE_REGISTRATION_DAY}T12:00:00Z`);

  // Awards: 6 in quintile 1 (the base has one: q1[0]), 5 in quintile 5.
  const level = await db
    .insertInto("award_level")
    .values({ area_id: north.id, threshold_hours: 2, name_en: "Second hour", name_cy: "Ail awr", stage: "undergraduate", tier: null })
    .returning("id")
    .executeTakeFirstOrThrow();
  const award = (childId: string) =>
    db.insertInto("award").values({ area_id: north.id, child_id: childId, award_level_id: level.id, reached_on: "2026-11-01" }).execute();
  for (const id of base.q1.slice(1, 6)) await award(id);
  for (const id of base.q5.slice(0, 5)) await award(id);

  return { ...base, quintile2, flintshire, notKnown, lateChild };
}
