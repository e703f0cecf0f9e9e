import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/modules/db/database.server";
import { translator } from "~/modules/i18n/i18n";
import { impactReport, type ImpactScope } from "~/modules/reports/impact.server";
import { impactTables } from "~/modules/reports/impact-exports/tables.server";
import { academicYearOf } from "~/modules/reports/published-periods";
import { ukDate } from "~/modules/activities/uk-time.server";
import { seedEquityFixture } from "../support/equity-fixture";
import { expectNoRawCount } from "../support/no-raw-count";
import { createTestDatabase } from "../support/test-database";

/**
 * The child's voice in a local authority's impact report (issue 21, ADR 0041): the ratings
 * and wishes of the children living in the LA (their home under the report's edition), not
 * the area's, through the disclosure layer, counts only (ADR 0029); the area's report keeps
 * every child's. Counts here are multiples of 5, so each is published as it is.
 */

let db: DB;
let close: () => Promise<void>;
let fixture: Awaited<ReturnType<typeof seedEquityFixture>>;
const WREXHAM = "W06000006";
const FLINTSHIRE = "W06000005";
const TODAY = ukDate(new Date());
const YEAR = academicYearOf(TODAY);

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  fixture = await seedEquityFixture(db);
  const { north } = fixture;
  await db.insertInto("area_local_authority").values({ area_id: north.id, la_code: FLINTSHIRE }).execute();
  // Five quintile 5 children (without credits) move to a Flintshire LSOA unchanged between the editions.
  const flintshire = await db
    .selectFrom("lsoa")
    .innerJoin("lsoa11_lsoa21 as m", (join) => join.onRef("m.lsoa11_code", "=", "lsoa.code").on("m.change", "=", "U"))
    .innerJoin("lsoa21", "lsoa21.code", "m.lsoa21_code")
    .select(["lsoa.code", "lsoa21.code as code21"])
    .where("lsoa.la_code", "=", FLINTSHIRE)
    .where("lsoa21.la_code", "=", FLINTSHIRE)
    .orderBy("lsoa.code")
    .executeTakeFirstOrThrow();
  const movers = fixture.q5.slice(6, 11);
  await db.updateTable("child").set({ home_lsoa_code: flintshire.code, home_lsoa21_code: flintshire.code21 }).where("id", "in", movers).execute();
  // Ratings this year: 10 Wrexham children happy with activity 0, the 5 Flintshire children unhappy with it.
  const wrexham = [...fixture.q1.slice(0, 5), ...fixture.q5.slice(0, 5)];
  const term = YEAR.from;
  await db
    .insertInto("child_rating")
    .values([
      ...wrexham.map((child) => ({ area_id: north.id, child_id: child, activity_id: north.activities[0]!.id, term_from: term, face: 5 })),
      ...movers.map((child) => ({ area_id: north.id, child_id: child, activity_id: north.activities[0]!.id, term_from: term, face: 1 })),
    ])
    .execute();
  // Wishes: the Wrexham children would like to try arts, the Flintshire ones STEM.
  await db
    .insertInto("child_wish")
    .values([
      ...wrexham.map((child) => ({ area_id: north.id, child_id: child, wish: "arts" as const })),
      ...movers.map((child) => ({ area_id: north.id, child_id: child, wish: "stem" as const })),
    ])
    .execute();
});
afterAll(async () => close());

const area = (): ImpactScope => ({ areaId: fixture.north.id, laCode: null, schoolId: null });

describe("the child's voice in an LA's impact report", () => {
  it("counts only the children living in the LA, under either edition, and says so in both languages", async () => {
    const [whole, wrexham, flintshire, wrexham2019] = await Promise.all([
      impactReport(db, area(), { year: YEAR, today: TODAY }),
      impactReport(db, { ...area(), laCode: WREXHAM }, { year: YEAR, today: TODAY }),
      impactReport(db, { ...area(), laCode: FLINTSHIRE }, { year: YEAR, today: TODAY }),
      impactReport(db, { ...area(), laCode: WREXHAM }, { year: YEAR, today: TODAY, edition: "wimd2019" }),
    ]);
    const bands = (report: typeof whole) => {
      const { happy, unhappy } = report.voice!.ratings.total.bands;
      return [happy.value, unhappy.value, report.voice!.ratings.total.ratings.value];
    };
    expect(bands(whole)).toEqual([10, 5, 15]);
    expect(bands(wrexham)).toEqual([10, 0, 10]);
    expect(bands(wrexham2019)).toEqual([10, 0, 10]);
    expect(bands(flintshire)).toEqual([0, 5, 5]);
    const wishes = (report: typeof whole, wish: string) => report.voice!.wishes!.rows.find((row) => row.wish === wish)!.childrenTotal.value;
    expect([wishes(whole, "arts"), wishes(whole, "stem")]).toEqual([10, 5]);
    expect([wishes(wrexham, "arts"), wishes(wrexham, "stem")]).toEqual([10, 0]);
    expect([wishes(flintshire, "arts"), wishes(flintshire, "stem")]).toEqual([0, 5]);
    expect([whole.voice!.children, wrexham.voice!.children]).toEqual(["area", "la"]);
    for (const report of [whole, wrexham, flintshire]) expectNoRawCount(report.voice);
    // Every activity is in Wrexham: Flintshire's children have none on offer in their LA.
    expect(flintshire.voice!.wishes!.rows.every((row) => row.offeredTotal === null || row.offeredTotal === 0)).toBe(true);

    for (const lang of ["cy", "en"] as const) {
      const t = translator(lang);
      const notes = (report: typeof whole) => impactTables(report, lang).find((table) => table.id === "voice-ratings")!.notes;
      expect(notes(wrexham)).toContain(t("impact.voice.childrenLa"));
      expect(notes(whole)).toContain(t("impact.voice.childrenArea"));
      expect(t("impact.voice.childrenLa")).not.toBe("impact.voice.childrenLa");
    }
  });

  it("words a name held in one language only in that language, in either language's tables (pick)", async () => {
    const report = await impactReport(db, area(), { year: YEAR, today: TODAY });
    const level = report.depth.awardsByLevel[0]!;
    const onlyEnglish = { ...report, depth: { ...report.depth, awardsByLevel: [{ ...level, name: { en: "First hour", cy: "" } }] } };
    const cell = (lang: "cy" | "en") => impactTables(onlyEnglish, lang).find((table) => table.id === "depth-levels")!.rows[0]!.cells[0];
    expect([cell("cy"), cell("en")]).toEqual(["First hour", "First hour"]);
  });
});
