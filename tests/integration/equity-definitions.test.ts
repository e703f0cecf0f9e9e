import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/modules/db/database.server";
import { formatPassportNumber, PASSPORT_ALPHABET, passportCheckCharacter } from "~/modules/passports/passport-number";
import { BREAKDOWNS } from "~/modules/reports/breakdowns";
import { equityReport, periodCohort } from "~/modules/reports/equity.server";
import { EQUITY_FROM, EQUITY_TO, seedEquityFixture } from "../support/equity-fixture";
import { createTestDatabase } from "../support/test-database";

/**
 * The definitions the report's page states, child by child (periodCohort: who the report
 * counts), on the equity fixture plus edge-case children of the north area (Wrexham):
 * - registered at 00:30 BST on 1 September 2026 (23:30 UTC on 31 August): in the academic
 *   year 2026/27, not 2025/26; and one at 23:30 BST on 31 August, the other way round;
 * - registered at 00:30 GMT on 1 January 2027: not in the autumn term 2026;
 * - withdrawn after the autumn term (no credit in it): still counted in the autumn term;
 * - living in Cardiff (not the area's); aged 17, and aged 4, in 2026: enrolled, but not
 *   counted against the population of children aged 5–14 living in the area's LSOAs;
 * - a credit with provider 1 in the summer only: not one of provider 1's children in the autumn.
 */
let db: DB;
let close: () => Promise<void>;
let fixture: Awaited<ReturnType<typeof seedEquityFixture>>;
const edge: Record<string, string> = {};
const autumn = { from: EQUITY_FROM, to: EQUITY_TO };
const year2025 = { from: "2025-09-01", to: "2026-08-31" };

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  fixture = await seedEquityFixture(db);
  const { north } = fixture;
  const cardiff = await db.selectFrom("lsoa").select("code").where("la_code", "=", "W06000015").orderBy("code").executeTakeFirstOrThrow();
  let serial = 0;
  const addChild = async (name: string, values: { created_at: string; birth_year?: number; home?: string; withdrawn_at?: string }) => {
    serial++;
    const core = `D${"AAAA"}${PASSPORT_ALPHABET[serial]}`;
    const home = values.home ?? fixture.lsoas[3];
    const row = await db
      .insertInto("child")
      .values({
        area_id: north.id,
        passport_number: values.withdrawn_at ? null : formatPassportNumber("NA", core + passportCheckCharacter(core)),
        passport_token: values.withdrawn_at ? null : randomBytes(16).toString("hex"),
        given_name: values.withdrawn_at ? null : name,
        family_name: values.withdrawn_at ? null : "Edge",
        birth_year: values.birth_year ?? 2016,
        birth_month: values.withdrawn_at ? null : 3,
        school_id: north.schools[1]!.id,
        home_lsoa_code: home,
        home_lsoa21_code: home,
        created_at: new Date(values.created_at),
        ...(values.withdrawn_at ? { status: "withdrawn", withdrawn_at: new Date(values.withdrawn_at), withdrawn_reason: "guardian" } : {}),
      } as never)
      .returning("id")
      .executeTakeFirstOrThrow();
    edge[name] = row.id;
  };
  await addChild("earlyBird", { created_at: "2026-08-31T23:30:00Z" });
  await addChild("lateEvening", { created_at: "2026-08-31T22:30:00Z" });
  await addChild("newYear", { created_at: "2027-01-01T00:30:00Z" });
  await addChild("leftAfter", { created_at: "2026-06-01T09:00:00Z", withdrawn_at: "2027-01-10T10:00:00Z" });
  await addChild("livesInCardiff", { created_at: "2026-06-01T09:00:00Z", home: cardiff.code });
  await addChild("aged17", { created_at: "2026-06-01T09:00:00Z", birth_year: 2009 });
  await addChild("aged4", { created_at: "2026-06-01T09:00:00Z", birth_year: 2022 });
  await addChild("summerOnly", { created_at: "2026-06-01T09:00:00Z" });
  await db
    .insertInto("credit")
    .values({
      area_id: north.id,
      child_id: edge.summerOnly!,
      provider_id: north.providers[1]!.id,
      activity_id: north.activities[1]!.id,
      session_id: north.sessions[1]!.id,
      quarter_hours: 4,
      earned_on: "2026-07-01",
      method: "passport_scan",
      idempotency_key: "edge-summer",
    })
    .execute();
});
afterAll(async () => close());

const ids = (cohort: Array<{ id: string }>) => new Set(cohort.map((child) => child.id));

describe("children enrolled in a period", () => {
  it("are those registered by the end of its last day in UK time, not UTC", async () => {
    const area = { areaId: fixture.north.id };
    const previousYear = ids(await periodCohort(db, area, year2025));
    expect(previousYear.has(edge.earlyBird!)).toBe(false);
    expect(previousYear.has(edge.lateEvening!)).toBe(true);
    const term = ids(await periodCohort(db, area, autumn));
    expect(term.has(edge.earlyBird!)).toBe(true);
    expect(term.has(edge.newYear!)).toBe(false);
  });

  it("include a child withdrawn after the period: a later withdrawal does not rewrite it", async () => {
    const area = { areaId: fixture.north.id };
    expect(ids(await periodCohort(db, area, autumn)).has(edge.leftAfter!)).toBe(true);
    // Withdrawing another child now (after the term) leaves the term's figures as they were.
    const before = await equityReport(db, area, { ...autumn, by: "quintile" });
    const cohortBefore = await periodCohort(db, area, autumn);
    await db
      .updateTable("child")
      .set({ status: "withdrawn", withdrawn_at: new Date("2027-02-01T10:00:00Z"), withdrawn_reason: "guardian", given_name: null, family_name: null })
      .where("id", "=", fixture.q1[8]!)
      .execute();
    expect(await periodCohort(db, area, autumn)).toEqual(cohortBefore);
    expect(await equityReport(db, area, { ...autumn, by: "quintile" })).toEqual(before);
  });

  it("for a provider, are the children who took part with it in the period", async () => {
    const provider1 = { areaId: fixture.north.id, providerId: fixture.north.providers[1]!.id };
    const cohort = await periodCohort(db, provider1, autumn);
    expect(ids(cohort).has(edge.summerOnly!)).toBe(false);
    expect(cohort.length).toBeGreaterThan(0);
    expect(cohort.every((child) => child.active)).toBe(true);
  });
});

describe("the rate per child population", () => {
  it("counts only the area's own resident children of the ages the population covers (5–14)", async () => {
    const cohort = await periodCohort(db, { areaId: fixture.north.id }, autumn);
    const of = (name: string) => cohort.find((child) => child.id === edge[name])!;
    for (const name of ["livesInCardiff", "aged17", "aged4"]) {
      expect(of(name), name).toMatchObject({ inPopulation: false });
    }
    expect(of("earlyBird")).toMatchObject({ inPopulation: true });
    // The fixture's children live in Wrexham and were born in 2016 (aged 10 in 2026).
    expect(cohort.find((child) => child.id === fixture.q1[0])).toMatchObject({ inPopulation: true });
  });
});

describe("totals", () => {
  it("agree in every breakdown, and a provider's enrolled children are the ones who took part", async () => {
    const scopes = {
      area: { areaId: fixture.north.id },
      school: { areaId: fixture.north.id, schoolId: fixture.north.schools[1]!.id },
      provider: { areaId: fixture.north.id, providerId: fixture.north.providers[0]!.id },
    };
    for (const [name, scope] of Object.entries(scopes)) {
      const totals = new Set<string>();
      for (const by of BREAKDOWNS) {
        const { total } = await equityReport(db, scope, { ...autumn, by });
        totals.add(JSON.stringify({ enrolled: total.enrolled, active: total.active, awards: total.awards, hours: total.hours }));
        // Its enrolled children are the ones who took part with it: the same children, the same published figure.
        if (name === "provider") expect(total.enrolled, by).toEqual(total.active);
      }
      expect([...totals], name).toHaveLength(1);
    }
  });
});
