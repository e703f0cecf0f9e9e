import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/modules/db/database.server";
import { parseEquityQuery } from "~/modules/reports/equity-query.server";
import { equityReport } from "~/modules/reports/equity.server";
import { equityCsv } from "~/modules/reports/equity-csv.server";
import { EQUITY_FROM, EQUITY_TO, seedEquityFixture } from "../support/equity-fixture";
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

  const enrolled = (report: Awaited<ReturnType<typeof equityReport>>) => Object.fromEntries(report.rows.map((row) => [row.key ?? "not known", row.enrolled?.shown]));

  it("places children by WIMD 2025 on their 2021 LSOA by default, split ones under not known", async () => {
    const report = await equityReport(db, { areaId: fixture.north.id }, period);
    expect(report.edition).toBe("wimd2025");
    expect(enrolled(report)).toEqual({ 1: "18", 2: "<5", 3: "<5", 4: "<5", 5: "<5", "not known": "7" });
    expect(report.total.enrolled?.value).toBe(32);
  });

  it("reproduces WIMD 2019 on the 2011 LSOAs when asked, every child placed", async () => {
    const report = await equityReport(db, { areaId: fixture.north.id }, { ...period, edition: "wimd2019" });
    expect(report.edition).toBe("wimd2019");
    expect(enrolled(report)).toEqual({ 1: "12", 2: "6", 3: "<5", 4: "5", 5: "<5", "not known": "<5" });
    expect(report.total.enrolled?.value).toBe(32);
  });

  it("reads the edition from the query, WIMD 2025 by default, and refuses an unknown one", () => {
    const parse = (search: string) => parseEquityQuery(new URLSearchParams(search), new Date("2026-10-01T12:00:00Z"));
    expect(parse("by=quintile")).toMatchObject({ ok: true, query: { edition: "wimd2025" } });
    expect(parse("edition=wimd2019")).toMatchObject({ ok: true, query: { edition: "wimd2019" } });
    expect(parse("edition=wimd2011")).toMatchObject({ ok: false, errors: { edition: "reports.errors.edition" } });
  });

  it("says in the CSV which edition its groups use, in the reader's language, with the licence", async () => {
    const lastLines = async (edition: "wimd2025" | "wimd2019", lang: "en" | "cy") =>
      equityCsv(await equityReport(db, { areaId: fixture.north.id }, { ...period, edition }), lang).trim().split("\r\n").slice(-2).map((line) => line.replace(/,+$/, ""));
    expect((await lastLines("wimd2019", "en"))[0]).toMatch(/^"?Deprivation: Welsh Index of Multiple Deprivation 2019, on the 2011 neighbourhoods/);
    expect((await lastLines("wimd2025", "en"))[0]).toMatch(/^"?Deprivation: Welsh Index of Multiple Deprivation 2025, on the 2021 neighbourhoods/);
    expect((await lastLines("wimd2019", "cy"))[0]).toMatch(/^"?Amddifadedd: Mynegai Amddifadedd Lluosog Cymru 2019/);
    expect((await lastLines("wimd2025", "en"))[1]).toMatch(/Open Government Licence v3\.0/);
  });
});
