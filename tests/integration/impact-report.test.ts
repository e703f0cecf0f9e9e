import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/modules/db/database.server";
import { receivedKey, translator } from "~/modules/i18n/i18n";
import { protectCount, protectHours, protectMedian } from "~/modules/reports/disclosure.server";
import { equityReport } from "~/modules/reports/equity.server";
import { impactReport, impactTallies, type ImpactReport, type ImpactScope } from "~/modules/reports/impact.server";
import { publishedPeriod } from "~/modules/reports/published-periods";
import { seedEquityFixture } from "../support/equity-fixture";
import { expectNoRawCount } from "../support/no-raw-count";
import { createTestDatabase } from "../support/test-database";

/**
 * The impact report (issue 21) on the equity fixture (tests/support/equity-fixture.ts: its
 * autumn 2026 figures are the year 2026–27's, but for one credit on 31 August 2026, which is
 * 2025–26's) plus an offer, a graduation and ratings with known answers. Every figure is
 * checked against the layer's figure for its true tally, and against the equity report's
 * for the same children (the same cells must publish the same figures).
 */

let db: DB;
let close: () => Promise<void>;
let fixture: Awaited<ReturnType<typeof seedEquityFixture>>;
const TODAY = "2027-01-15";
const year = publishedPeriod("2026-27", TODAY)!;
const WREXHAM = "W06000006";

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  fixture = await seedEquityFixture(db);
  const { north } = fixture;
  // The offer: activity 0 in Wrexham, free, in Welsh; activity 1 paid, placed by its provider (Wrexham).
  await db
    .updateTable("activity")
    .set({ la_code: WREXHAM, welsh_language: true, validated_at: new Date("2026-06-01T09:00:00Z") })
    .where("id", "=", north.activities[0]!.id)
    .execute();
  await db
    .updateTable("activity")
    .set({ cost_band: "paid", validated_at: new Date("2026-06-01T09:00:00Z") })
    .where("id", "=", north.activities[1]!.id)
    .execute();
  await db
    .updateTable("provider")
    .set({ la_code: WREXHAM, validated_at: new Date("2026-06-01T09:00:00Z") })
    .where("area_id", "=", north.id)
    .execute();
  // A third activity validated only in 2024–25 (its decision ran out before the year): not in the offer.
  const old = await db
    .insertInto("activity")
    .values({
      area_id: north.id,
      provider_id: north.providers[0]!.id,
      title_en: "Old",
      category: "arts",
      credit_quarter_hours: 4,
      cost_band: "low",
      status: "withdrawn",
      la_code: WREXHAM,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("validation_decision")
    .values({
      area_id: north.id,
      provider_id: north.providers[0]!.id,
      activity_id: old.id,
      decision: "validated",
      criteria: "{}",
      validated_until: "2025-06-30",
      decided_at: new Date("2024-07-01T09:00:00Z"),
    })
    .execute();
  // A fourth, withdrawn now, but validated during the year (low cost): in the offer.
  const during = await db
    .insertInto("activity")
    .values({
      area_id: north.id,
      provider_id: north.providers[1]!.id,
      title_en: "Reading",
      category: "reading",
      credit_quarter_hours: 4,
      cost_band: "low",
      status: "withdrawn",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("validation_decision")
    .values({
      area_id: north.id,
      provider_id: north.providers[1]!.id,
      activity_id: during.id,
      decision: "validated",
      criteria: "{}",
      validated_until: "2027-10-31",
      decided_at: new Date("2026-10-01T09:00:00Z"),
    })
    .execute();
  // A graduation in the year: 7 quintile 1 children listed, 6 attended; one the year before.
  const level = await db.selectFrom("award_level").select("id").where("area_id", "=", north.id).executeTakeFirstOrThrow();
  const graduation = async (heldOn: string) =>
    (
      await db
        .insertInto("graduation")
        .values({ area_id: north.id, name: `Graduation ${heldOn}`, held_on: heldOn, venue: "Hall", cutoff_on: heldOn, created_by: null })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  const inYear = await graduation("2026-12-10");
  await db
    .insertInto("graduate")
    .values(
      fixture.q1.slice(0, 7).map((child, i) => ({ area_id: north.id, graduation_id: inYear, child_id: child, award_level_id: level.id, attended: i < 6 })),
    )
    .execute();
  const before = await graduation("2026-07-10");
  await db
    .insertInto("graduate")
    .values({ area_id: north.id, graduation_id: before, child_id: fixture.q1[8]!, award_level_id: level.id, attended: true })
    .execute();
  // Ratings in the year: 11 children rated activity 0 (sport): 8 happy, 3 okay.
  await db
    .insertInto("child_rating")
    .values(
      [...fixture.q1.slice(0, 6), ...fixture.q5.slice(0, 5)].map((child, i) => ({
        area_id: north.id,
        child_id: child,
        activity_id: north.activities[0]!.id,
        term_from: "2026-09-01",
        face: i < 8 ? 5 : 3,
      })),
    )
    .execute();
});
afterAll(async () => close());

const area = (): ImpactScope => ({ areaId: fixture.north.id, laCode: null, schoolId: null });
const report = (scope = area(), input: Partial<Parameters<typeof impactReport>[2]> = {}) => impactReport(db, scope, { year, today: TODAY, ...input });

describe("impact report: reach", () => {
  it("counts by quintile, LA and school with the equity report's definitions, published through the layer", async () => {
    const [published, tallies] = await Promise.all([report(), impactTallies(db, area(), { year, today: TODAY })]);
    const truth = (key: string | null) => tallies.reach.quintile.find((row) => row.key === key)!;
    const counts = (t: ReturnType<typeof truth>) => [t.enrolled.count, t.active.count, t.quarterHours / 4, t.awards.count];
    expect(counts(truth("1"))).toEqual([12, 6, 8, 1]);
    expect(counts(truth("3"))).toEqual([3, 1, 1, 0]);
    expect(counts(truth("5"))).toEqual([15, 9, 9, 0]);
    expect(counts(truth(null))).toEqual([2, 0, 0, 0]);
    expect(counts(tallies.reach.total)).toEqual([32, 16, 18, 1]);
    // Wrexham: everyone with a known home (30); schools: 13 and 19.
    expect(tallies.reach.la.find((row) => row.key === WREXHAM)!.enrolled.count).toBe(30);
    expect(tallies.reach.school.map((row) => row.enrolled.count).sort()).toEqual([13, 19]);

    expect(published.reach.byQuintile.map((row) => row.key)).toEqual(["1", "2", "3", "4", "5", null]);
    for (const row of [...published.reach.byQuintile, published.reach.total]) {
      const t = row.key === "total" ? tallies.reach.total : (tallies.reach.quintile.find((r) => r.key === row.key) ?? null);
      const tally = t ?? {
        enrolled: { count: 0, keySum: 0 },
        active: { count: 0, keySum: 0 },
        awards: { count: 0, keySum: 0 },
        quarterHours: 0,
        medianQuarterHours: null,
      };
      expect(row.enrolled).toEqual(protectCount(tally.enrolled));
      expect(row.active).toEqual(protectCount(tally.active));
      expect(row.awards).toEqual(protectCount(tally.awards));
      expect(row.hours).toEqual(protectHours(tally.quarterHours, tally.active, row.active));
      expect(row.medianHoursPerActive).toEqual(protectMedian(tally.medianQuarterHours, row.active));
    }
  });

  it("publishes the equity report's figures and gap for the same year (the same cells)", async () => {
    const [published, equity, byLa, bySchool] = await Promise.all([
      report(),
      equityReport(db, { areaId: fixture.north.id }, { from: year.from, to: year.to, by: "quintile" }),
      equityReport(db, { areaId: fixture.north.id }, { from: year.from, to: year.to, by: "la" }),
      equityReport(db, { areaId: fixture.north.id }, { from: year.from, to: year.to, by: "school" }),
    ]);
    const pick = (row: {
      key: string | null;
      enrolled: unknown;
      active: unknown;
      hours: unknown;
      participationRate: unknown;
      fairShare: unknown;
      awards: unknown;
    }) => ({
      key: row.key,
      enrolled: row.enrolled,
      active: row.active,
      hours: row.hours,
      participationRate: row.participationRate,
      fairShare: row.fairShare,
      awards: row.awards,
    });
    expect(published.reach.byQuintile.map(pick)).toEqual(equity.rows.map(pick));
    expect(published.reach.gap).toEqual(equity.gap);
    expect(published.reach.byLocalAuthority.map(pick)).toEqual(byLa.rows.map(pick));
    expect(published.reach.bySchool.map((row) => [row.key, row.enrolled, row.active])).toEqual(bySchool.rows.map((row) => [row.key, row.enrolled, row.active]));
    expect(pick({ ...published.reach.total, key: null })).toEqual(pick({ ...equity.total, key: null }));
  });

  it("a local authority's report is the LA's row of the area's (children living there), a school's its row", async () => {
    const [whole, la, school] = await Promise.all([
      report(),
      report({ ...area(), laCode: WREXHAM }),
      report({ ...area(), schoolId: fixture.north.schools[0]!.id }),
    ]);
    const wrexham = whole.reach.byLocalAuthority.find((row) => row.key === WREXHAM)!;
    expect(la.reach.total.enrolled).toEqual(wrexham.enrolled);
    expect(la.reach.total.active).toEqual(wrexham.active);
    expect(la.scope).toMatchObject({ kind: "la", laCode: WREXHAM, name: { en: "Wrexham", cy: "Wrecsam" } });
    // Nobody in the LA's report lives elsewhere or nowhere known.
    expect(la.reach.byQuintile.map((row) => row.key)).toEqual(["1", "2", "3", "4", "5"]);
    const schoolRow = whole.reach.bySchool.find((row) => row.key === fixture.north.schools[0]!.id)!;
    expect(school.reach.total.enrolled).toEqual(schoolRow.enrolled);
    expect(school.reach.bySchool.map((row) => row.key)).toEqual([fixture.north.schools[0]!.id]);
    expect(school.voice).toBeNull();
    expect(school.reach.total.populationRate).toBeNull();
  });
});

describe("impact report: growth and persistence", () => {
  it("counts term by term and year on year, each period its own cell", async () => {
    const [published, tallies] = await Promise.all([report(), impactTallies(db, area(), { year, today: TODAY })]);
    expect(published.growth.terms.map((term) => term.id)).toEqual(["2025-autumn", "2026-spring", "2026-summer", "2026-autumn", "2027-spring"]);
    const truth = (id: string) => tallies.growth.find((row) => row.periodId === id && row.key === "total")!;
    expect(truth("2026-summer").active.count).toBe(1);
    expect(truth("2026-autumn").active.count).toBe(16);
    expect(truth("2026-autumn").quarterHours).toBe(72);
    expect(truth("2027-spring")?.active.count ?? 0).toBe(0);
    expect(truth("2025-26").active.count).toBe(1);
    expect(truth("2026-27").active.count).toBe(16);
    for (const term of [...published.growth.terms, published.growth.thisYear, published.growth.lastYear!]) {
      const t = tallies.growth.find((row) => row.periodId === term.id && row.key === "total");
      expect(term.active).toEqual(protectCount(t?.active ?? { count: 0, keySum: 0 }));
      expect(term.enrolled).toEqual(protectCount(t?.enrolled ?? { count: 0, keySum: 0 }));
    }
    // The year in the growth section is the reach section's total: the same children, the same figures.
    expect(published.growth.thisYear.enrolled).toEqual(published.reach.total.enrolled);
    expect(published.growth.thisYear.active).toEqual(published.reach.total.active);
    expect(published.growth.thisYear.gap).toEqual(published.reach.gap);
    // Year on year: differences of published figures.
    expect(published.growth.yearOnYear!.activeChange).toBe(published.growth.thisYear.active.value - published.growth.lastYear!.active.value);
    // A term's figures are the equity report's for that term.
    const autumn = await equityReport(db, { areaId: fixture.north.id }, { from: "2026-09-01", to: "2026-12-31", by: "quintile" });
    const term = published.growth.terms.find((t) => t.id === "2026-autumn")!;
    expect([term.enrolled, term.active, term.hours, term.gap]).toEqual([autumn.total.enrolled, autumn.total.active, autumn.total.hours, autumn.gap]);
  });

  it("counts who took part last year and again this year, by quintile", async () => {
    const [published, tallies] = await Promise.all([report(), impactTallies(db, area(), { year, today: TODAY })]);
    // Only one quintile 1 child (credit on 31 August 2026) took part in 2025–26, and not again.
    const q1 = tallies.reach.quintile.find((row) => row.key === "1")!;
    expect([q1.activeLastYear.count, q1.activeAgain.count]).toEqual([1, 0]);
    expect([tallies.reach.total.activeLastYear.count, tallies.reach.total.activeAgain.count]).toEqual([1, 0]);
    expect(published.persistence.lastYearId).toBe("2025-26");
    expect(published.persistence.total.activeLastYear).toEqual(protectCount(tallies.reach.total.activeLastYear));
    expect(published.persistence.total.rate).toBeNull();
    expect(published.persistence.byQuintile[0]!.activeAgain).toEqual(protectCount(q1.activeAgain));
  });

  it("has no year before the first published year", async () => {
    const first = await report(area(), { year: publishedPeriod("2019-20", TODAY)! });
    expect(first.growth.lastYear).toBeNull();
    expect(first.persistence.lastYearId).toBeNull();
    expect(first.summary.map((line) => line.key)).toContain("impact.summary.noLastYear");
  });
});

describe("impact report: depth, offer and voice", () => {
  it("counts hours, awards by level and graduations through the layer", async () => {
    const [published, tallies] = await Promise.all([report(), impactTallies(db, area(), { year, today: TODAY })]);
    expect(tallies.depth.levels.map((level) => level.reached.count)).toEqual([1]);
    expect(published.depth.awardsByLevel[0]).toMatchObject({
      name: { en: "First hour", cy: "Awr gyntaf" },
      reached: protectCount(tallies.depth.levels[0]!.reached),
    });
    expect(tallies.depth.graduationsHeld).toBe(1);
    expect([tallies.depth.invited.count, tallies.depth.attended.count]).toEqual([7, 6]);
    expect(published.depth.graduationsHeld).toBe(1);
    expect(published.depth.graduatesInvited).toEqual(protectCount(tallies.depth.invited));
    expect(published.depth.graduatesAttended).toEqual(protectCount(tallies.depth.attended));
    expect(published.depth.hours).toEqual(published.reach.total.hours);
  });

  it("counts the offer validated in the year, and what is within reach of each quintile's neighbourhoods", async () => {
    const { offer } = await report();
    // Activities 0 (free, Welsh) and 1 (paid) and the one validated during the year (low cost, withdrawn since); not the one that ran out in 2025.
    expect(offer.activities).toBe(3);
    expect(offer.freeOrLowCost).toBe(2);
    expect(offer.welsh).toBe(1);
    expect(offer.freeOrLowCostShare).toBe(0.6667);
    expect(offer.destinations).toBe(2);
    expect(offer.reachRule).toBe("sameLocalAuthority");
    // The fourth activity has no LA of its own and its provider is in Wrexham: all three are in Wrexham, the area's one LA.
    expect(offer.byLocalAuthority).toEqual([{ key: WREXHAM, name: { en: "Wrexham", cy: "Wrecsam" }, activities: 3, freeOrLowCost: 2, welsh: 1 }]);
    const lsoas = await sql<{
      quintile: number;
      n: number;
    }>`select wimd_quintile as quintile, count(*)::int as n from lsoa21 where la_code = ${WREXHAM} group by 1`.execute(db);
    for (const row of offer.withinReach) {
      expect(row.lsoas).toBe(lsoas.rows.find((r) => r.quintile === Number(row.key))?.n ?? 0);
      if (row.lsoas > 0) expect(row).toMatchObject({ activitiesPerLsoa: 3, withFreeOrLowCost: 1, withWelsh: 1 });
    }
  });

  it("shows the children's ratings through the layer, and wishes only in the current year", async () => {
    const published = await report();
    expect(published.voice!.ratings.total.bands.happy).toEqual(expect.objectContaining({ value: expect.any(Number) }));
    expect([5, 10]).toContain(published.voice!.ratings.total.bands.happy.value);
    expect(published.voice!.wishes).not.toBeNull();
    const past = await report(area(), { year: publishedPeriod("2025-26", TODAY)! });
    expect(past.voice!.wishes).toBeNull();
  });
});

describe("impact report: disclosure control and the summary", () => {
  it("lets no raw count escape, in any section or scope", async () => {
    for (const scope of [area(), { ...area(), laCode: WREXHAM }, { ...area(), schoolId: fixture.north.schools[1]!.id }]) {
      const published = await report(scope);
      expect(expectNoRawCount(published)).toBeGreaterThan(50);
    }
  });

  it("reproduces exactly on rerun", async () => {
    expect(JSON.stringify(await report())).toBe(JSON.stringify(await report()));
  });

  it("writes the summary from fixed templates, in both languages, every key present in each", async () => {
    const published: ImpactReport = await report();
    const keys = published.summary.map((line) => line.key);
    expect(keys[0]).toMatch(/^impact\.summary\.reach/);
    expect(keys).toContain("impact.summary.caveatRounding");
    expect(keys).toContain("impact.summary.caveatInProgress");
    expect(keys.some((key) => key.startsWith("reports.summary.gap"))).toBe(true);
    for (const lang of ["cy", "en"] as const) {
      const t = translator(lang);
      for (const line of published.summary) {
        const text = t(receivedKey(line.key), line.values);
        expect(text, line.key).not.toBe(line.key);
        expect(text, line.key).not.toMatch(/\{\{/);
      }
    }
  });
});
