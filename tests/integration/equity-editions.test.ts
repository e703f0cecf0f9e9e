import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/modules/db/database.server";
import { parseEquityQuery } from "~/modules/reports/equity-query.server";
import { equityReport, equityTallies } from "~/modules/reports/equity.server";
import { equityCsv } from "~/modules/reports/equity-csv.server";
import { EQUITY_FROM, EQUITY_TO, seedEquityFixture } from "../support/equity-fixture";
import { reportWithTruth } from "../support/tallies";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";

// W01000362: unchanged since 2011, quintile 2 in WIMD 2019 and 1 in WIMD 2025.
// W01000383: split in 2021 (quintile 4 in WIMD 2019); its children wait for a postcode.
const MOVES_QUINTILE = "W01000362";
const SPLIT = "W01000383";

describe(`the equity report under both WIMD editions on ${testDatabaseKind()}`, () => {
  let db: DB;
  let close: () => Promise<void>;
  let fixture: Awaited<ReturnType<typeof seedEquityFixture>>;
  const period = { from: EQUITY_FROM, to: EQUITY_TO, by: "quintile" as const };

  beforeAll(async () => {
    ({ db, close } = await createTestDatabase());
    fixture = await seedEquityFixture(db);
    // Of the 12 quintile-5 children added by the fixture: 6 move to MOVES_QUINTILE, 5 to SPLIT (2011 code only).
    await db.updateTable("child").set({ home_lsoa_code: MOVES_QUINTILE, home_lsoa21_code: MOVES_QUINTILE }).where("id", "in", fixture.q5.slice(0, 6)).execute();
    await db.updateTable("child").set({ home_lsoa_code: SPLIT, home_lsoa21_code: null }).where("id", "in", fixture.q5.slice(6, 11)).execute();
  });
  afterAll(() => close());

  const enrolled = (report: Awaited<ReturnType<typeof equityReport>>, truth: (key: string | null) => { enrolled: { count: number } }) =>
    Object.fromEntries(report.rows.map((row) => [row.key ?? "not known", truth(row.key).enrolled.count]));

  it("places children by WIMD 2025 on their 2021 LSOA by default, split ones under not known", async () => {
    const { report, truth, expectPublished } = await reportWithTruth(db, { areaId: fixture.north.id }, period);
    expect(report.edition).toBe("wimd2025");
    expect(enrolled(report, truth)).toEqual({ 1: 18, 2: 0, 3: 3, 4: 0, 5: 4, "not known": 7 });
    expect(truth("total").enrolled.count).toBe(32);
    expectPublished();
  });

  it("reproduces WIMD 2019 on the 2011 LSOAs when asked, every child placed", async () => {
    const { report, truth, expectPublished } = await reportWithTruth(db, { areaId: fixture.north.id }, { ...period, edition: "wimd2019" });
    expect(report.edition).toBe("wimd2019");
    expect(enrolled(report, truth)).toEqual({ 1: 12, 2: 6, 3: 3, 4: 5, 5: 4, "not known": 2 });
    expect(truth("total").enrolled.count).toBe(32);
    expectPublished();
  });

  it("reads the edition from the query, WIMD 2025 by default, and refuses an unknown one", () => {
    const parse = (search: string) => parseEquityQuery(new URLSearchParams(search), new Date("2026-10-01T12:00:00Z"));
    expect(parse("by=quintile")).toMatchObject({ ok: true, query: { edition: "wimd2025" } });
    expect(parse("edition=wimd2019")).toMatchObject({ ok: true, query: { edition: "wimd2019" } });
    expect(parse("edition=wimd2011")).toMatchObject({ ok: false, errors: { edition: "reports.errors.edition" } });
  });

  it("says in the CSV which edition its groups use, in the reader's language, with the licence", async () => {
    const lastLines = async (edition: "wimd2025" | "wimd2019", lang: "en" | "cy") =>
      equityCsv(await equityReport(db, { areaId: fixture.north.id }, { ...period, edition }), lang)
        .trim()
        .split("\r\n")
        .slice(-2)
        .map((line) => line.replace(/,+$/, ""));
    expect((await lastLines("wimd2019", "en"))[0]).toMatch(/^"?Deprivation: Welsh Index of Multiple Deprivation 2019, on the 2011 neighbourhoods/);
    expect((await lastLines("wimd2025", "en"))[0]).toMatch(/^"?Deprivation: Welsh Index of Multiple Deprivation 2025, on the 2021 neighbourhoods/);
    expect((await lastLines("wimd2019", "cy"))[0]).toMatch(/^"?Amddifadedd: Mynegai Amddifadedd Lluosog Cymru 2019/);
    expect((await lastLines("wimd2025", "en"))[1]).toMatch(/Open Government Licence v3\.0/);
  });
});

// The Welsh Government's quintile cut points of WIMD 2025 (the file's Guidance_sheet): the first rank of quintiles 2–5.
const WIMD2025_QUINTILE_STARTS = [383, 767, 1150, 1534];
const quintileOf = (rank: number) => 1 + WIMD2025_QUINTILE_STARTS.filter((start) => rank >= start).length;

describe(`the equity report by a WIMD domain's quintile on ${testDatabaseKind()}`, () => {
  let db: DB;
  let close: () => Promise<void>;
  let fixture: Awaited<ReturnType<typeof seedEquityFixture>>;
  const period = { from: EQUITY_FROM, to: EQUITY_TO, by: "quintile" as const };

  beforeAll(async () => {
    ({ db, close } = await createTestDatabase());
    fixture = await seedEquityFixture(db);
  });
  afterAll(() => close());

  it("groups children by the domain's quintile of their 2021 LSOA, derived from its rank, with the area's LSOAs as fair share", async () => {
    // The fixture's children live on three LSOAs (overall quintiles 1, 3 and 5). Take the first
    // domain in which one of those LSOAs falls in another quintile than overall: access to services.
    const homes = await db
      .selectFrom("child")
      .innerJoin("lsoa21", "lsoa21.code", "child.home_lsoa21_code")
      .select(["lsoa21.code", "lsoa21.wimd_quintile", "lsoa21.access_rank", (eb) => eb.fn.countAll<number>().as("children")])
      .where("child.area_id", "=", fixture.north.id)
      // Enrolled in the term: active, or withdrawn with a credit in it (the report's definition).
      .where((eb) =>
        eb.or([
          eb("child.status", "=", "active"),
          eb.exists(
            eb
              .selectFrom("credit")
              .select("credit.id")
              .whereRef("credit.child_id", "=", "child.id")
              .where("credit.revoked_at", "is", null)
              .where("credit.earned_on", ">=", EQUITY_FROM)
              .where("credit.earned_on", "<=", EQUITY_TO),
          ),
        ]),
      )
      .groupBy(["lsoa21.code", "lsoa21.wimd_quintile", "lsoa21.access_rank"])
      .execute();
    expect(homes.some((home) => quintileOf(home.access_rank) !== home.wimd_quintile)).toBe(true);

    const overall = await equityReport(db, { areaId: fixture.north.id }, period);
    const access = await equityReport(db, { areaId: fixture.north.id }, { ...period, domain: "access" });
    const accessTallies = await equityTallies(db, { areaId: fixture.north.id }, { ...period, domain: "access" });
    expect([access.domain, access.edition, overall.domain]).toEqual(["access", "wimd2025", null]);
    // Each access quintile holds the enrolled children of the LSOAs in it.
    for (const q of [1, 2, 3, 4, 5]) {
      const expected = homes.filter((home) => quintileOf(home.access_rank) === q).reduce((sum, home) => sum + Number(home.children), 0);
      expect(accessTallies.rows.find((row) => row.key === String(q))?.enrolled.count ?? 0, `access quintile ${q}`).toBe(expected);
    }
    // The same children in the total, so the same published total.
    expect(access.total.enrolled).toEqual(overall.total.enrolled);

    // Fair share: Wrexham's LSOAs by access quintile, counted here from the ranks.
    const wrexham = await db.selectFrom("lsoa21").select("access_rank").where("la_code", "=", "W06000006").execute();
    for (const q of [1, 2, 3, 4, 5]) {
      const share = wrexham.filter((l) => quintileOf(l.access_rank) === q).length / wrexham.length;
      expect(access.rows.find((row) => row.key === String(q))!.fairShare, `quintile ${q}`).toBeCloseTo(share, 4);
    }
  });

  it("puts LSOAs with tied domain ranks in the same quintile, as the published file ranks them", async () => {
    // Income has three tied pairs in WIMD 2025 (the file gives both the lower rank, and skips the next).
    const tied = await db
      .selectFrom("lsoa21")
      .select(["income_rank", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("income_rank")
      .having((eb) => eb.fn.countAll(), ">", 1)
      .orderBy("income_rank")
      .execute();
    expect(tied.map((row) => [row.income_rank, Number(row.n)])).toEqual([
      [267, 2],
      [1480, 2],
      [1592, 2],
    ]);
    // Both LSOAs of a tie count in one quintile of the income report's fair share: the Welsh
    // quintile sizes follow the cut points (382, 384, 383, 384, 384).
    const all = await db.selectFrom("lsoa21").select("income_rank").execute();
    const sizes = [1, 2, 3, 4, 5].map((q) => all.filter((l) => quintileOf(l.income_rank) === q).length);
    expect(sizes).toEqual([382, 384, 383, 384, 384]);
  });

  it("says in the report and the CSV that the groups are derived, and refuses a domain it does not know or without quintiles", async () => {
    const report = await equityReport(db, { areaId: fixture.north.id }, { ...period, domain: "income" });
    const csv = equityCsv(report, "cy");
    expect(csv).toContain("pumedau parth Incwm MALlC 2025 (cymdogaethau 2021), wedi'u deillio gan Pasbort");
    const parse = (search: string) => parseEquityQuery(new URLSearchParams(search), new Date("2026-10-01T12:00:00Z"));
    expect(parse("by=quintile&domain=education")).toMatchObject({ ok: true, query: { domain: "education" } });
    expect(parse("by=quintile")).toMatchObject({ ok: true, query: { domain: null } });
    expect(parse("by=quintile&domain=wealth")).toMatchObject({ ok: false, errors: { domain: "reports.errors.domain" } });
    expect(parse("by=school&domain=income")).toMatchObject({ ok: false, errors: { domain: "reports.errors.domainNeedsQuintile" } });
  });
});
