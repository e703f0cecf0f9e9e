import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/modules/db/database.server";
import { translator } from "~/modules/i18n/i18n";
import { formatPassportNumber, PASSPORT_ALPHABET, passportCheckCharacter } from "~/modules/passports/passport-number";
import { checkPopulationCsv, importPopulationCsv, PopulationFileError } from "~/modules/reference/population.server";
import { recoverableEntries } from "~/modules/reports/disclosure";
import { equityCsv } from "~/modules/reports/equity-csv.server";
import { parseEquityQuery } from "~/modules/reports/equity-query.server";
import { equityReport, type EquityReport } from "~/modules/reports/equity.server";
import { EQUITY_FROM, EQUITY_TO, seedEquityFixture } from "../support/equity-fixture";
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
  it("counts the whole area by quintile, hiding rates where a count is hidden", async () => {
    const report = await equityReport(db, { areaId: fixture.north.id }, { ...period, by: "quintile" });
    expect(report.noCredits).toBe(false);
    expect(report.benchmark).toBe("lsoas");
    expect(report.total).toMatchObject({ enrolled: { value: 35 }, active: { value: 18 }, hours: 20, awards: { value: 6, shown: "6" } });
    // Quintile 3: 6 enrolled is shown, but 3 active / 3 not active are small: the count and
    // every rate built on it are hidden.
    const q3 = row(report, "3");
    expect(q3.enrolled).toEqual({ value: 6, shown: "6" });
    expect(q3.active).toEqual({ value: null, shown: "<5" });
    expect(q3.participationRate).toBeNull();
    expect(q3.hours).toBeNull();
    expect(q3.hoursPerEnrolled).toBeNull();
    expect(q3.medianHoursPerActive).toBeNull();
    // Awards: 6 given to quintile 5 in the term, one flagged and not kept → 5; kept one counts.
    expect(row(report, "5").awards).toEqual({ value: 5, shown: "5" });
    expect(row(report, "1").awards).toEqual({ value: null, shown: "<5" });
    // The gap is unchanged by the tiny school: 6/12 ÷ 9/15 = 0.5 ÷ 0.6 = 0.83; 8/12 − 9/15 = 0.07.
    expect(report.gap).toMatchObject({
      participationRatio: 0.83,
      participationDifference: -0.1,
      hoursRatio: 1.11,
      hoursDifference: 0.07,
      verdict: "withinChance",
    });
  });

  it("hides a second school where the total less the shown schools would give the tiny one away", async () => {
    const report = await equityReport(db, { areaId: fixture.north.id }, { ...period, by: "school" });
    const [s0, s1] = fixture.north.schools.map((school) => row(report, school.id));
    const tiny = row(report, tinySchool);
    expect(report.rows.map((r) => r.key)).toHaveLength(3);
    // Primary: Tiny school's 3 enrolled, 2 active, 1 not active.
    expect(tiny.enrolled).toEqual({ value: null, shown: "<5" });
    expect(tiny.active).toEqual({ value: null, shown: "<5" });
    // Were school 0 (13) and school 1 (19) both shown with the total (35), Tiny school would be
    // 35 − 13 − 19 = 3: the smaller school is hidden too, in every column (7 active, 6 not).
    expect(s0!.enrolled).toEqual({ value: null, shown: "*" });
    expect(s0!.active).toEqual({ value: null, shown: "*" });
    expect(s0!.participationRate).toBeNull();
    expect(s1!.enrolled).toEqual({ value: 19, shown: "19" });
    expect(s1!.active).toEqual({ value: 9, shown: "9" });
    expect(report.total).toMatchObject({ enrolled: { value: 35 }, active: { value: 18 } });
    // And no combination of shown rows and columns recovers a hidden entry.
    const values = [
      [7, 6, 13],
      [9, 10, 19],
      [2, 1, 3],
      [18, 17, 35],
    ];
    const published = [s0!, s1!, tiny, report.total];
    const hidden = published.map((r) => [r.active.value === null, r.enrolled!.value === null || r.active.value === null, r.enrolled!.value === null]);
    expect(recoverableEntries(values, hidden)).toEqual([]);
    // The CSV says the same.
    const csv = equityCsv(report, "en");
    expect(csv).toContain("Tiny school,<5,,,<5,,,,,<5");
  });

  it("shows a school with 3 pupils nothing but '<5', no rates and no gap", async () => {
    const report = await equityReport(db, { areaId: fixture.north.id, schoolId: tinySchool }, { ...period, by: "quintile" });
    expect(report.scope).toBe("school");
    expect(report.total.enrolled).toEqual({ value: null, shown: "<5" });
    expect(report.total.active).toEqual({ value: null, shown: "<5" });
    expect(report.total.participationRate).toBeNull();
    expect(report.total.hours).toBeNull();
    for (const r of report.rows) {
      expect(r.enrolled!.value).toBeNull();
      expect(r.active.value).toBeNull();
      expect(r.hoursPerEnrolled).toBeNull();
    }
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
      const autumn = await equityReport(db, { areaId: fixture.north.id }, { ...period, by: "quintile" });
      expect(row(autumn, "5").enrolled).toEqual({ value: 10, shown: "10" });
      // 9 active and 1 not active: the 1 is small, and the 9 would give it away from the 10.
      expect(row(autumn, "5").active).toEqual({ value: null, shown: "*" });
      expect(row(autumn, "5").participationRate).toBeNull();
      expect(autumn.total.enrolled?.value).toBe(30);
      const spring = await equityReport(db, { areaId: fixture.north.id }, { from: "2027-01-01", to: "2027-03-31", by: "quintile" });
      // Spring: the withdrawn child (quintile 5) earned nothing, so 14 of quintile 5 are enrolled.
      expect(row(spring, "5").enrolled).toEqual({ value: 14, shown: "14" });
    } finally {
      await sql`update child set created_at = '2026-06-01T09:00:00Z' where id in (${sql.join(late)})`.execute(db);
    }
  });
});

describe("bad input", () => {
  it("says so when no credit was earned in the period, without inventing rates", async () => {
    const report = await equityReport(db, { areaId: fixture.north.id }, { from: "2027-01-01", to: "2027-03-31", by: "quintile" });
    expect(report.noCredits).toBe(true);
    // Enrolled children are still counted (34: everyone but the withdrawn child who earned in autumn).
    expect(report.total.enrolled).toEqual({ value: 34, shown: "34" });
    expect(report.total.active).toEqual({ value: null, shown: "<5" });
    expect(report.total.participationRate).toBeNull();
    expect(report.gap.participationRatio).toBeNull();
    expect(translator("en")("reports.summary.noCredits")).toMatch(/No credits were earned/);
    expect(translator("cy")("reports.summary.noCredits")).toMatch(/Ni enillwyd unrhyw gredydau/);
  });

  it("refuses an end before the start and a period of a year or more, in both languages", () => {
    const parse = (search: string) => parseEquityQuery(new URLSearchParams(search), new Date("2026-11-25T12:00:00Z"));
    expect(parse("period=custom&from=2026-12-31&to=2026-09-01")).toMatchObject({ ok: false, errors: { to: "reports.errors.toBeforeFrom" } });
    expect(parse("period=custom&from=2024-09-01&to=2026-08-31")).toMatchObject({ ok: false, errors: { to: "reports.errors.tooLong" } });
    expect(parse("period=custom&from=2026-09-01&to=2027-09-01")).toMatchObject({ ok: false, errors: { to: "reports.errors.tooLong" } });
    // A whole academic year (and the "this year" choice) is fine.
    expect(parse("period=custom&from=2026-09-01&to=2027-08-31")).toMatchObject({ ok: true, query: { from: "2026-09-01", to: "2027-08-31" } });
    expect(parse("period=year")).toMatchObject({ ok: true, query: { from: "2026-09-01", to: "2027-08-31" } });
    expect(translator("en")("reports.errors.toBeforeFrom")).toBe("The last day must be the same as or after the first day.");
    expect(translator("cy")("reports.errors.toBeforeFrom")).toBe("Rhaid i'r diwrnod olaf fod yr un diwrnod â'r diwrnod cyntaf neu ar ei ôl.");
    expect(translator("en")("reports.errors.tooLong")).toMatch(/^A report covers at most one year/);
    expect(translator("cy")("reports.errors.tooLong")).toMatch(/^Mae adroddiad yn cwmpasu blwyddyn ar y mwyaf/);
  });

  it("keeps children outside Wales or with no known LSOA in their own row", async () => {
    const report = await equityReport(db, { areaId: fixture.north.id }, { ...period, by: "decile" });
    expect(report.rows.at(-1)!.key).toBeNull();
    expect(report.rows.at(-1)!.enrolled).toEqual({ value: null, shown: "<5" });
    expect(report.total.enrolled?.value).toBe(35);
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
      // A real participation rate: quintile 1's 12 enrolled of its 200 × n(1) children.
      expect(row(report, "1").populationRate).toBeCloseTo(12 / population(1), 4);
      expect(row(report, "5").populationRate).toBeCloseTo(15 / population(5), 4);
      // Quintile 3's 6 enrolled are shown; quintile 2's (none) are hidden, and so is its rate.
      expect(row(report, "3").populationRate).toBeCloseTo(6 / population(3), 4);
      expect(row(report, "2").populationRate).toBeNull();
      expect(row(report, null).population).toBeNull();
      // The whole area's rate would need quintiles 2 and 4 (hidden) or "not known" (hidden): none.
      expect(report.total.population).toBe(all);
      expect(report.total.populationRate).toBeNull();
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
