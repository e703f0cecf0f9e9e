import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { DB } from "~/modules/db/database.server";
import { formatPassportNumber, PASSPORT_ALPHABET, passportCheckCharacter } from "~/modules/passports/passport-number";
import type { AppLoadContext } from "@remix-run/node";
import { contextFor, createPerson, seedTwoAreas } from "./fixtures";

/** The equity fixture's period: autumn term 2026. */
export const EQUITY_FROM = "2026-09-01";
export const EQUITY_TO = "2026-12-31";

/**
 * seedTwoAreas plus a north area (Wrexham, W06000006) whose children live in LSOAs of known
 * WIMD quintiles, with credits in and out of the autumn 2026 term and a revoked one:
 *
 * | group      | enrolled | active | hours | awards in period |
 * | quintile 1 |       12 |      6 |     8 | 1                |
 * | quintile 3 |        3 |      1 |     1 | 0                |
 * | quintile 5 |       15 |      9 |     9 | 0                |
 * | not known  |        2 |      0 |     0 | 0                |
 * | total      |       32 |     16 |    18 | 1                |
 *
 * Quintile 5 includes one withdrawn (anonymised) child with a credit in the term. Every
 * credit is one hour, except one quintile 1 child's second credit (2 hours, provider 1).
 * Provider 1 gave that credit and the fixture's north child 1's; provider 0 all the others.
 * Quintile 1 children go to school 0 (with the fixture's north child 0, quintile 5); the
 * others to school 1. The south area (Cardiff) keeps its two active children.
 */
export async function seedEquityFixture(db: DB) {
  const areas = await seedTwoAreas(db);
  const { north, south } = areas;
  await db
    .insertInto("area_local_authority")
    .values([
      { area_id: north.id, la_code: "W06000006" },
      { area_id: south.id, la_code: "W06000015" },
    ])
    .execute();
  // Unchanged LSOAs in the same quintile under WIMD 2019 and WIMD 2025, so the table holds for both editions.
  const lsoaOf = async (quintile: number) =>
    (
      await db
        .selectFrom("lsoa")
        .innerJoin("lsoa11_lsoa21 as m", (join) => join.onRef("m.lsoa11_code", "=", "lsoa.code").on("m.change", "=", "U"))
        .innerJoin("lsoa21", "lsoa21.code", "m.lsoa21_code")
        .select("lsoa.code")
        .where("lsoa.la_code", "=", "W06000006")
        .where("lsoa.wimd_quintile", "=", quintile)
        .where("lsoa21.wimd_quintile", "=", quintile)
        .orderBy("lsoa.code")
        .executeTakeFirstOrThrow()
    ).code;
  const q = { 1: await lsoaOf(1), 3: await lsoaOf(3), 5: await lsoaOf(5) };
  // The fixture's two north children move to quintile 5.
  await db.updateTable("child").set({ home_lsoa_code: q[5], home_lsoa21_code: q[5] }).where("area_id", "=", north.id).execute();

  let serial = 0;
  const addChild = async (home: string | null, schoolIndex: 0 | 1, withdrawn = false) => {
    serial++;
    let body = "";
    for (let rest = serial; body.length < 6; rest = Math.floor(rest / 32)) body = PASSPORT_ALPHABET[rest % 32]! + body;
    const core = `E${body}`;
    const values = withdrawn
      ? {
          area_id: north.id,
          birth_year: 2016,
          school_id: north.schools[schoolIndex]!.id,
          home_lsoa_code: home,
          home_lsoa21_code: home,
          status: "withdrawn" as const,
          withdrawn_at: new Date("2026-11-20T10:00:00Z"),
          withdrawn_reason: "guardian" as const,
        }
      : {
          area_id: north.id,
          passport_number: formatPassportNumber("NA", core + passportCheckCharacter(core)),
          passport_token: randomBytes(16).toString("hex"),
          given_name: `Equity${serial}`,
          family_name: "Fixture",
          birth_year: 2016,
          birth_month: 3,
          school_id: north.schools[schoolIndex]!.id,
          home_lsoa_code: home,
          home_lsoa21_code: home,
        };
    return (
      await db
        .insertInto("child")
        .values(values as never)
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  };
  let key = 0;
  const credit = async (childId: string, options: { provider?: 0 | 1; on?: string; quarterHours?: number; revoked?: boolean } = {}) => {
    const p = options.provider ?? 0;
    const row = await db
      .insertInto("credit")
      .values({
        area_id: north.id,
        child_id: childId,
        provider_id: north.providers[p]!.id,
        activity_id: north.activities[p]!.id,
        session_id: north.sessions[p]!.id,
        quarter_hours: options.quarterHours ?? 4,
        earned_on: options.on ?? "2026-10-01",
        method: "passport_scan",
        idempotency_key: `equity-${key++}`,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (options.revoked)
      await db
        .updateTable("credit")
        .set({ revoked_at: new Date("2026-10-02T10:00:00Z"), revoke_reason: "mistake" })
        .where("id", "=", row.id)
        .execute();
  };

  // Quintile 1: 12 children at school 0; 6 active (one with an extra 2 hours at provider 1),
  // one with only a credit before the term, one with only a revoked credit.
  const q1: string[] = [];
  for (let i = 0; i < 12; i++) q1.push(await addChild(q[1], 0));
  for (let i = 0; i < 6; i++) await credit(q1[i]!);
  await credit(q1[0]!, { provider: 1, quarterHours: 8 });
  await credit(q1[6]!, { on: "2026-08-31" });
  await credit(q1[7]!, { revoked: true });
  // Quintile 3: 3 children, 1 active.
  const q3 = [await addChild(q[3], 1), await addChild(q[3], 1), await addChild(q[3], 1)];
  await credit(q3[0]!);
  // Quintile 5: the 2 fixture children (already credited on 2026-10-01), 12 more (6 active),
  // and a withdrawn child who earned in the term; a withdrawn child who did not is not counted.
  const q5: string[] = [];
  for (let i = 0; i < 12; i++) q5.push(await addChild(q[5], 1));
  for (let i = 0; i < 6; i++) await credit(q5[i]!);
  const withdrawn = await addChild(q[5], 1, true);
  await credit(withdrawn);
  await addChild(q[5], 1, true);
  // Not known: 2 children, no credits.
  await addChild(null, 1);
  await addChild(null, 1);

  // Awards: one quintile 1 child reached a level in the term; another before it.
  const level = await db
    .insertInto("award_level")
    .values({ area_id: north.id, threshold_hours: 1, name_en: "First hour", name_cy: "Awr gyntaf", stage: "undergraduate", tier: null })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("award").values({ area_id: north.id, child_id: q1[0]!, award_level_id: level.id, reached_on: "2026-10-01" }).execute();
  await db.insertInto("award").values({ area_id: north.id, child_id: q1[6]!, award_level_id: level.id, reached_on: "2026-08-31" }).execute();

  // Everyone registered before the term (a report counts children registered by its end).
  await sql`update child set created_at = '2026-06-01T09:00:00Z' where area_id in (${north.id}, ${south.id})`.execute(db);

  return { ...areas, lsoas: q, q1, q3, q5 };
}

/**
 * The report pages' readers over the equity fixture, each signed in (its context) under
 * `<name>@<domain>`: the north area's coordinator and viewer, the south's viewer, a school's and a
 * provider's staff and a guardian of a child of the most deprived fifth.
 */
export async function reportReaders(db: DB, fixture: Awaited<ReturnType<typeof seedEquityFixture>>, domain: string) {
  const { north, south } = fixture;
  const specs = {
    coordinator: { areaId: north.id, role: "coordinator" },
    viewer: { areaId: north.id, role: "viewer" },
    southViewer: { areaId: south.id, role: "viewer" },
    school: { areaId: north.id, role: "school", schoolId: north.schools[0]!.id },
    provider: { areaId: north.id, role: "provider_owner", providerId: north.providers[0]!.id },
    guardian: { areaId: north.id, role: "guardian", childIds: [fixture.q1[0]!] },
  } as const;
  const readers: Record<string, { context: AppLoadContext; userId: string }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const person = await createPerson(db, { email: `${name.toLowerCase()}@${domain}`, ...spec });
    readers[name] = { context: await contextFor(db, person.userId, person.membershipId), userId: person.userId };
  }
  return readers as Record<keyof typeof specs, { context: AppLoadContext; userId: string }>;
}
