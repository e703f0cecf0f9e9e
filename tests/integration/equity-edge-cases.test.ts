import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/modules/db/database.server";
import { translator } from "~/modules/i18n/i18n";
import { formatPassportNumber, PASSPORT_ALPHABET, passportCheckCharacter } from "~/modules/passports/passport-number";
import { checkPopulationCsv, importPopulationCsv, PopulationFileError } from "~/modules/reference/population.server";
import { equityCsv } from "~/modules/reports/equity-csv.server";
import { parseEquityQuery } from "~/modules/reports/equity-query.server";
import { equityReport, equityTallies, type EquityReport } from "~/modules/reports/equity.server";
import { protectCount } from "~/modules/reports/disclosure.server";
import { EQUITY_FROM, EQUITY_TO, seedEquityFixture } from "../support/equity-fixture";
import { reportWithTruth, truthFrom } from "../support/tallies";
import { createTestDatabase } from "../support/test-database";

/**
 * The equity fixture (see tests/support/equity-fixture.ts) plus, in this file only:
 * - a third north school, "Tiny school", with 3 pupils living in the quintile 3 LSOA, 2 of
 *   them with a one-hour credit in the term (provider 0);
 * - awards "First hour" reached in the term by six quintile 5 children, one of them flagged
 *   (revocations took the child back below it, not kept: not counted) and one flagged but
 *   kept by the coordinator (counted).
 *
 * Autumn term 2026, whole north area:
 *
 * | group      | enrolled | active | not active | hours | awards |
 * | quintile 1 |       12 |      6 |          6 |     8 |      1 |
 * | quintile 2 |        0 |      0 |          0 |     0 |      0 |
 * | quintile 3 |    3+3=6 |  1+2=3 |          3 |   1+2 |      0 |
 * | quintile 4 |        0 |      0 |          0 |     0 |      0 |
 * | quintile 5 |       15 |      9 |          6 |     9 |  6−1=5 |
 * | not known  |        2 |      0 |          2 |     0 |      0 |
 * | total      |       35 |     18 |         17 |    20 |      6 |
 *
 * By school: school 0 = the 12 quintile 1 children + the fixture's north child 0 (active):
 * 13 enrolled, 7 active; Tiny school 3 and 2; school 1 the rest: 35 − 13 − 3 = 19 enrolled,
 * 18 − 7 − 2 = 9 active.
 */

let db: DB;
let close: () => Promise<void>;
let fixture: Awaited<ReturnType<typeof seedEquityFixture>>;
let tinySchool = "";
const period = { from: EQUITY_FROM, to: EQUITY_TO };
const row = (report: EquityReport, key: string | null) => report.rows.find((r) => r.key === key)!;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  fixture = await seedEquityFixture(db);
  const { north } = fixture;
  tinySchool = (
    await db
      .insertInto("school")
      .values({ area_id: north.id, name: "Tiny school", la_code: "W06000006", lsoa_code: fixture.lsoas[3] })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const tiny: string[] = [];
  for (let i = 0; i < 3; i++) {
    const core = `TAAAA${PASSPORT_ALPHABET[i + 1]}`;
    const child = await db
      .insertInto("child")
      .values({
        area_id: north.id,
        passport_number: formatPassportNumber("NA", core + passportCheckCharacter(core)),
        passport_token: randomBytes(16).toString("hex"),
        given_name: `Tiny${i}`,
        family_name: "Pupil",
        birth_year: 2016,
        birth_month: 5,
        school_id: tinySchool,
        home_lsoa_code: fixture.lsoas[3],
        home_lsoa21_code: fixture.lsoas[3],
      } as never)
      .returning("id")
      .executeTakeFirstOrThrow();
    tiny.push(child.id);
  }
  for (const [i, childId] of tiny.slice(0, 2).entries()) {
    await db
      .insertInto("credit")
      .values({
        area_id: north.id,
        child_id: childId,
        provider_id: north.providers[0]!.id,
        activity_id: north.activities[0]!.id,
        session_id: north.sessions[0]!.id,
        quarter_hours: 4,
        earned_on: "2026-10-01",
        method: "passport_scan",
        idempotency_key: `tiny-${i}`,
      })
      .execute();
  }
  await sql`update child set created_at = '2026-06-01T09:00:00Z' where school_id = ${tinySchool}`.execute(db);

  const level = await db.selectFrom("award_level").select("id").where("area_id", "=", north.id).executeTakeFirstOrThrow();
  await db
    .insertInto("award")
    .values(fixture.q5.slice(0, 6).map((child_id) => ({ area_id: north.id, child_id, award_level_id: level.id, reached_on: "2026-10-01" })))
    .execute();
  await db
    .updateTable("award")
    .set({ flagged_at: new Date("2026-10-05T10:00:00Z") })
    .where("child_id", "=", fixture.q5[4]!)
    .execute();
  await db
    .updateTable("award")
    .set({ flagged_at: new Date("2026-10-05T10:00:00Z"), kept_at: new Date("2026-10-06T10:00:00Z") })
    .where("child_id", "=", fixture.q5[5]!)
    .execute();
});
afterAll(async () => close());

describe("exact figures with a tiny school and awards", () => {
  it("counts the whole area by quintile, with rates only where the published count is large enough", async () => {
    const { report, truth, expectPublished } = await reportWithTruth(db, { areaId: fixture.north.id }, { ...period, by: "quintile" });
    expect(report.noCredits).toBe(false);
    expect(report.benchmark).toBe("lsoas");
    const t = truth("total");
    expect([t.enrolled.count, t.active.count, t.quarter_hours / 4, t.awards.count]).toEqual([35, 18, 20, 6]);
    expect([truth("3").enrolled.count, truth("3").active.count]).toEqual([6, 3]);
    // Awards: 6 given to quintile 5 in the term, one flagged and not kept → 5; the kept one counts.
    expect([truth("5").awards.count, truth("1").awards.count]).toEqual([5, 1]);
    expectPublished();
    // Quintile 3 (6 enrolled) is published as 5 or 10: a rate only when it comes out as 10.
    const q3 = row(report, "3");
    if (q3.enrolled!.value < 10) expect([q3.participationRate, q3.hoursPerEnrolled]).toEqual([null, null]);
    expect(q3.hours).toBeNull(); // 3 active: published as 0 or 5, under 10
    // 6 of 12 against 9 of 15, known to within 4 children each: too few children to tell.
    expect(report.gap.verdict).toBe("withinChance");
  });

  it("publishes each school as a cell of its own, the tiny school as 0 or 5", async () => {
    const { report, truth, expectPublished } = await reportWithTruth(db, { areaId: fixture.north.id }, { ...period, by: "school" });
    const tiny = row(report, tinySchool);
    expect(report.rows.map((r) => r.key)).toHaveLength(3);
    expect([truth(tinySchool).enrolled.count, truth(tinySchool).active.count]).toEqual([3, 2]);
    expect([0, 5]).toContain(tiny.enrolled!.value);
    expect(tiny.participationRate).toBeNull();
    expectPublished();
    // The CSV says the same.
    const csv = equityCsv(report, "en");
    expect(csv).toContain(`Tiny school,${tiny.enrolled!.shown},`);
  });

  it("shows a school with 3 pupils no rates and no gap", async () => {
    const { report, expectPublished } = await reportWithTruth(db, { areaId: fixture.north.id, schoolId: tinySchool }, { ...period, by: "quintile" });
    expect(report.scope).toBe("school");
    expectPublished();
    expect([0, 5]).toContain(report.total.enrolled!.value);
    expect(report.total.participationRate).toBeNull();
    expect(report.total.hours).toBeNull();
    for (const r of report.rows) expect(r.hoursPerEnrolled).toBeNull();
    expect(report.gap).toEqual({
      participationRatio: null,
      participationDifference: null,
      hoursRatio: null,
      hoursDifference: null,
      q1: null,
      q5: null,
      participationDifferenceInterval: null,
      verdict: null,
    });
  });

  it("counts only children registered by the end of the period", async () => {
    // Five quintile 5 children who never earned a credit registered in January 2027: not
    // enrolled in the autumn term (15 − 5 = 10), enrolled in the spring term.
    const late = fixture.q5.slice(7, 12);
    await sql`update child set created_at = '2027-01-15T09:00:00Z' where id in (${sql.join(late)})`.execute(db);
    try {
      const autumn = await reportWithTruth(db, { areaId: fixture.north.id }, { ...period, by: "quintile" });
      expect([autumn.truth("5").enrolled.count, autumn.truth("total").enrolled.count]).toEqual([10, 30]);
      autumn.expectPublished();
      const spring = await reportWithTruth(db, { areaId: fixture.north.id }, { from: "2027-01-01", to: "2027-03-31", by: "quintile" });
      // Spring: the withdrawn child (quintile 5) earned nothing, so 14 of quintile 5 are enrolled.
      expect(spring.truth("5").enrolled.count).toBe(14);
      spring.expectPublished();
    } finally {
      await sql`update child set created_at = '2026-06-01T09:00:00Z' where id in (${sql.join(late)})`.execute(db);
    }
  });
});

describe("bad input", () => {
  it("says so when no credit was earned in the period, without inventing rates", async () => {
    const { report, truth } = await reportWithTruth(db, { areaId: fixture.north.id }, { from: "2027-01-01", to: "2027-03-31", by: "quintile" });
    expect(report.noCredits).toBe(true);
    // Enrolled children are still counted (34: everyone but the withdrawn child who earned in autumn).
    expect(truth("total").enrolled.count).toBe(34);
    expect(report.total.active.value).toBe(0);
    expect(report.total.participationRate).toBe(0);
    expect(report.gap.participationRatio).toBeNull();
    expect(translator("en")("reports.summary.noCredits")).toMatch(/No credits, or too few to show, were earned/);
    expect(translator("cy")("reports.summary.noCredits")).toMatch(/Ni enillwyd unrhyw gredydau/);
  });

  it("refuses an end before the start and a period of a year or more, in both languages", () => {
    const parse = (search: string) => parseEquityQuery(new URLSearchParams(search), new Date("2026-11-25T12:00:00Z"), { allowCustom: true });
    expect(parse("period=custom&from=2026-12-31&to=2026-09-01")).toMatchObject({ ok: false, errors: { to: "reports.errors.toBeforeFrom" } });
    expect(parse("period=custom&from=2024-09-01&to=2026-08-31")).toMatchObject({ ok: false, errors: { to: "reports.errors.tooLong" } });
    expect(parse("period=custom&from=2026-09-01&to=2027-09-01")).toMatchObject({ ok: false, errors: { to: "reports.errors.tooLong" } });
    // A whole academic year (and the "this year" choice) is fine.
    expect(parse("period=custom&from=2026-09-01&to=2027-08-31")).toMatchObject({
      ok: true,
      query: { period: "2026-27", from: "2026-09-01", to: "2027-08-31" },
    });
    expect(parse("period=year")).toMatchObject({ ok: true, query: { period: "2026-27", from: "2026-09-01", to: "2027-08-31" } });
    expect(translator("en")("reports.errors.toBeforeFrom")).toBe("The last day must be the same as or after the first day.");
    expect(translator("cy")("reports.errors.toBeforeFrom")).toBe("Rhaid i'r diwrnod olaf fod yr un diwrnod â'r diwrnod cyntaf neu ar ei ôl.");
    expect(translator("en")("reports.errors.tooLong")).toMatch(/^A report covers at most one year/);
    expect(translator("cy")("reports.errors.tooLong")).toMatch(/^Mae adroddiad yn cwmpasu blwyddyn ar y mwyaf/);
  });

  it("keeps children outside Wales or with no known LSOA in their own row", async () => {
    const { report, truth, expectPublished } = await reportWithTruth(db, { areaId: fixture.north.id }, { ...period, by: "decile" });
    expect(report.rows.at(-1)!.key).toBeNull();
    expect([truth(null).enrolled.count, truth("total").enrolled.count]).toEqual([2, 35]);
    expectPublished();
  });
});

describe("local authority names", () => {
  it("names Wrexham in Welsh on Welsh pages and CSVs", async () => {
    const report = await equityReport(db, { areaId: fixture.north.id }, { ...period, by: "la" });
    expect(row(report, "W06000006").name).toEqual({ cy: "Wrecsam", en: "Wrexham" });
    expect(equityCsv(report, "cy")).toContain("\r\nWrecsam,");
    expect(equityCsv(report, "en")).toContain("\r\nWrexham,");
  });
});

// These figures are imported by 2011 LSOA (lsoa_population), so these use WIMD 2019.
describe("child-population figures", () => {
  const wrexhamLsoas = async () => db.selectFrom("lsoa").select(["code", "wimd_quintile"]).where("la_code", "=", "W06000006").orderBy("code").execute();

  it("checks every line and imports nothing when one is wrong", async () => {
    const known = new Set((await wrexhamLsoas()).map((l) => l.code));
    const [a, b] = [...known];
    const text = ["lsoa_code,population_5_14", `${a},120`, "W01999999,80", `${b},lots`, `${b},-4`, `${a},130`, ","].join("\n");
    let error: unknown;
    try {
      checkPopulationCsv(text, known);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PopulationFileError);
    expect((error as PopulationFileError).problems).toEqual([
      { line: 3, message: 'LSOA code "W01999999" is not a Welsh LSOA in the WIMD 2019 table' },
      { line: 4, message: 'population "lots" is not a whole number' },
      { line: 5, message: `LSOA ${b} is given twice (first on line 4)` },
      { line: 5, message: 'population "-4" is negative' },
      { line: 6, message: `LSOA ${a} is given twice (first on line 2)` },
      { line: 7, message: "no LSOA code" },
      { line: 7, message: "no population figure" },
    ]);
    expect((error as PopulationFileError).message).toBe("5 lines have problems; nothing was imported.");
    await expect(importPopulationCsv(db, text, "bad.csv")).rejects.toThrow(/nothing was imported/);
    expect(await db.selectFrom("lsoa_population").selectAll().execute()).toEqual([]);
  });

  it("keeps the LSOA benchmark until figures cover every LSOA of the area, then uses the population", async () => {
    const lsoas = await wrexhamLsoas();
    try {
      // Figures for half of Wrexham: not enough, the benchmark stays the share of LSOAs.
      const half = lsoas.slice(0, Math.floor(lsoas.length / 2));
      const first = await importPopulationCsv(db, half.map((l) => `${l.code},50`).join("\n"), "half.csv", "lsoa2011");
      expect(first).toMatchObject({ rowsRead: half.length, added: half.length, replaced: 0, totalPopulation: 50 * half.length });
      expect((await equityReport(db, { areaId: fixture.north.id }, { ...period, by: "quintile", edition: "wimd2019" })).benchmark).toBe("lsoas");

      // All of Wrexham: 200 children aged 5–14 in each quintile 1 LSOA, 50 in every other one.
      const csv = "\uFEFFLSOA code,Population aged 5-14\r\n" + lsoas.map((l) => `${l.code},${l.wimd_quintile === 1 ? 200 : 50}`).join("\r\n");
      const second = await importPopulationCsv(db, csv, "all.csv");
      // Told by its codes: Holt 1 (W01000383) is a 2011 LSOA only (split in 2021).
      expect(second.geography).toBe("lsoa2011");
      expect(second).toMatchObject({ rowsRead: lsoas.length, replaced: half.length, added: lsoas.length - half.length, lsoasWithFigures: lsoas.length });
      const report = await equityReport(db, { areaId: fixture.north.id }, { ...period, by: "quintile", edition: "wimd2019" });
      expect(report.benchmark).toBe("population");
      const n = (q: number) => lsoas.filter((l) => l.wimd_quintile === q).length;
      const population = (q: number) => n(q) * (q === 1 ? 200 : 50);
      const all = [1, 2, 3, 4, 5].reduce((sum, q) => sum + population(q), 0);
      for (const q of [1, 2, 3, 4, 5]) {
        const r = row(report, String(q));
        expect(r.population).toBe(population(q) || null);
        expect(r.fairShare).toBeCloseTo(population(q) / all, 4);
      }
      // A real participation rate: each quintile's enrolled residents of the population's ages (a
      // published count of its own) over its 200 × n(1) (or 50 × n) children.
      const truth = truthFrom(await equityTallies(db, { areaId: fixture.north.id }, { ...period, by: "quintile", edition: "wimd2019" }));
      for (const q of ["1", "3", "5"]) {
        expect(row(report, q).populationRate).toBeCloseTo(protectCount(truth(q).enrolled_in_population).value / population(Number(q)), 4);
      }
      expect(row(report, null).population).toBeNull();
      expect(report.total.population).toBe(all);
      expect(report.total.populationRate).toBeCloseTo(protectCount(truth("total").enrolled_in_population).value / all, 4);
      // The CSV has the population and the rate; a school's report has no rate (its pupils are not the area's children).
      expect(equityCsv(report, "en").split("\r\n")[0]).toContain("Children aged 5–14 living there,Enrolled (share of children aged 5–14)");
      const school = await equityReport(
        db,
        { areaId: fixture.north.id, schoolId: fixture.north.schools[0]!.id },
        { ...period, by: "quintile", edition: "wimd2019" },
      );
      expect(school.benchmark).toBe("population");
      expect(row(school, "1").populationRate).toBeNull();
      expect(equityCsv(school, "en").split("\r\n")[0]).not.toContain("Enrolled (share of children aged 5–14)");
    } finally {
      await db.deleteFrom("lsoa_population").execute();
    }
  });

  it("takes figures by 2021 LSOA for WIMD 2025, told by the header or the codes, and refuses a file that mixes the two", async () => {
    const lsoas21 = await db.selectFrom("lsoa21").select(["code", "wimd_quintile"]).where("la_code", "=", "W06000006").orderBy("code").execute();
    try {
      // Wrexham's 84 LSOAs of 2021, with the ONS header; 100 children in each.
      const csv = "LSOA21CD,Population aged 5 to 14\n" + lsoas21.map((l) => `${l.code},100`).join("\n");
      const report = await importPopulationCsv(db, csv, "mid-2022.csv");
      expect(report).toMatchObject({ geography: "lsoa2021", rowsRead: 84, added: 84, lsoasWithFigures: 84, lsoasInWales: 1917 });
      expect(await db.selectFrom("lsoa_population").selectAll().execute()).toEqual([]);
      const equity = await equityReport(db, { areaId: fixture.north.id }, { ...period, by: "quintile" });
      expect([equity.edition, equity.benchmark, equity.total.population]).toEqual(["wimd2025", "population", 8400]);
      expect(row(equity, "3").population).toBe(19 * 100); // Wrexham: 19 LSOAs in quintile 3 of WIMD 2025
      // WIMD 2019 has no figures on its own geography: its benchmark stays the share of LSOAs.
      expect((await equityReport(db, { areaId: fixture.north.id }, { ...period, by: "quintile", edition: "wimd2019" })).benchmark).toBe("lsoas");

      // No header: the codes tell (a 2021 LSOA that 2011 did not have, W01001971).
      expect(await importPopulationCsv(db, "W01001971,70\nW01001972,80", "halves.csv")).toMatchObject({ geography: "lsoa2021", replaced: 2 });
      // Both kinds in one file: refused, nothing changed.
      await expect(importPopulationCsv(db, "W01001971,1\nW01000383,2", "mixed.csv")).rejects.toThrow(
        "The file mixes LSOAs of 2011 and of 2021 (W01000383 on line 2 is a 2011 one, W01001971 on line 1 a 2021 one); nothing was imported.",
      );
      // A 2011-only code under a 2021 header: refused with the line.
      const wrong = await importPopulationCsv(db, "lsoa21cd,population\nW01000383,5", "wrong.csv").catch((error: PopulationFileError) => error);
      expect((wrong as PopulationFileError).problems).toEqual([
        { line: 2, message: 'LSOA code "W01000383" is not a Welsh LSOA in the WIMD 2025 table (2021 LSOAs)' },
      ]);
      expect(
        (await db.selectFrom("lsoa21_population").select("population_5_14").where("lsoa21_code", "=", "W01001971").executeTakeFirstOrThrow()).population_5_14,
      ).toBe(70);
    } finally {
      await db.deleteFrom("lsoa21_population").execute();
    }
  });
});
