import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import { ukDate } from "~/modules/activities/uk-time.server";
import { revokeCredit } from "~/modules/credits/ledger.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { receivedKey, translator } from "~/modules/i18n/i18n";
import { impactReport, impactReportOrRelease, impactTallies, publishImpactRelease, type ImpactReport, type ImpactScope } from "~/modules/reports/impact.server";
import { impactCsv } from "~/modules/reports/impact-exports/csv.server";
import { findImpactRelease } from "~/modules/reports/impact/releases.server";
import { academicYearOf, publishedPeriod } from "~/modules/reports/published-periods";
import { action, loader } from "~/routes/reports.impact";
import { loader as csvLoader } from "~/routes/reports.impact[.csv]";
import { seedEquityFixture } from "../support/equity-fixture";
import { contextFor, createPerson, settle } from "../support/fixtures";
import { expectNoRawCount } from "../support/no-raw-count";
import { createTestDatabase } from "../support/test-database";

/**
 * Kept releases of the impact report (issue 21, ADR 0041): a coordinator publishes a year's
 * report for a scope and edition; from then on the report for that year is the one
 * published, figure for figure, whatever the year's records do (a credit revoked, an
 * activity's cost band edited), while the current figures move; next year compares with the
 * published figures; only coordinators publish, once, and only a year that is over.
 */

let db: DB;
let close: () => Promise<void>;
let fixture: Awaited<ReturnType<typeof seedEquityFixture>>;
let coordinator: Membership;
const people: Record<string, AppLoadContext> = {};
// The year 2026–27 is over on this day; 2027–28 has begun.
const TODAY = "2027-09-15";
const YEAR = publishedPeriod("2026-27", TODAY)!;
const NEXT = publishedPeriod("2027-28", TODAY)!;
const WREXHAM = "W06000006";

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  fixture = await seedEquityFixture(db);
  const { north } = fixture;
  // The offer: both activities validated before the year; activity 0 free.
  await db
    .updateTable("activity")
    .set({ la_code: WREXHAM, cost_band: "free", validated_at: new Date("2026-06-01T09:00:00Z") })
    .where("area_id", "=", north.id)
    .execute();
  const specs = {
    coordinator: { areaId: north.id, role: "coordinator" },
    viewer: { areaId: north.id, role: "viewer" },
    school: { areaId: north.id, role: "school", schoolId: north.schools[0]!.id },
    provider: { areaId: north.id, role: "provider_owner", providerId: north.providers[0]!.id },
    guardian: { areaId: north.id, role: "guardian", childIds: [fixture.q1[0]!] },
  } as const;
  for (const [name, spec] of Object.entries(specs)) {
    const person = await createPerson(db, { email: `${name}@impact-releases.example`, ...spec });
    people[name] = await contextFor(db, person.userId, person.membershipId);
    if (name === "coordinator") coordinator = (await loadMemberships(db, person.userId))[0]!;
  }
});
afterAll(async () => close());

const area = (): ImpactScope => ({ areaId: fixture.north.id, laCode: null, schoolId: null });
const query = (scope: Partial<ImpactScope> = {}) => ({
  year: YEAR,
  laCode: scope.laCode ?? null,
  schoolId: scope.schoolId ?? null,
  edition: "wimd2025" as const,
});
const withoutMark = (report: ImpactReport) => ({ ...report, published: null });
const AT = new Date("2027-09-20T10:00:00Z");

describe("publishing a year's impact report", () => {
  it("keeps the report as published, figure for figure, while the year's records and the current figures change", async () => {
    const before = await impactReport(db, area(), { year: YEAR, today: TODAY });
    const beforeLa = await impactReport(db, { ...area(), laCode: WREXHAM }, { year: YEAR, today: TODAY });
    const published = await publishImpactRelease(db, coordinator, query(), { today: TODAY });
    expect(published.ok).toBe(true);
    expect((await publishImpactRelease(db, coordinator, query({ laCode: WREXHAM }), { today: TODAY })).ok).toBe(true);

    // The year's records change: every credit of the quintile 1 children in the year revoked, and the free activity now paid.
    const credits = await db
      .selectFrom("credit")
      .select("id")
      .where("area_id", "=", fixture.north.id)
      .where("child_id", "in", fixture.q1)
      .where("earned_on", ">=", YEAR.from)
      .where("revoked_at", "is", null)
      .execute();
    expect(credits.length).toBe(7);
    for (const credit of credits) expect(await revokeCredit(db, coordinator, credit.id, "entered twice")).toEqual({ ok: true });
    await db.updateTable("activity").set({ cost_band: "paid" }).where("id", "=", fixture.north.activities[0]!.id).execute();

    // The current figures move (16 children took part, now 10; one of the two free activities is paid)…
    const current = await impactReport(db, area(), { year: YEAR, today: TODAY });
    const tallies = await impactTallies(db, area(), { year: YEAR, today: TODAY });
    expect(tallies.reach.total.active.count).toBe(10);
    expect(current.reach.total.active.value).toBe(10);
    expect([15, 20]).toContain(before.reach.total.active.value);
    expect([current.offer.freeOrLowCost, before.offer.freeOrLowCost]).toEqual([1, 2]);
    expect(current.reach.byQuintile[0]!.active.value).toBe(0);
    expect(before.reach.byQuintile[0]!.active.value).toBeGreaterThan(0);

    // …the kept release does not: the same object, the same CSV to the byte, marked with its date.
    const release = (await findImpactRelease(db, area(), YEAR.id, "wimd2025"))!;
    expect(withoutMark(release.report)).toEqual(before);
    expect(JSON.stringify(withoutMark(release.report), Object.keys(flatKeys(before)).sort())).toBe(
      JSON.stringify(before, Object.keys(flatKeys(before)).sort()),
    );
    for (const lang of ["cy", "en"] as const) expect(impactCsv(withoutMark(release.report), lang, AT)).toBe(impactCsv(before, lang, AT));
    expect(release.report.published).toEqual({ at: release.publishedAt.toISOString() });
    expectNoRawCount(release.report);
    const la = (await findImpactRelease(db, { ...area(), laCode: WREXHAM }, YEAR.id, "wimd2025"))!;
    expect(withoutMark(la.report)).toEqual(beforeLa);

    // What a reader is shown: the release, or the current figures when asked for them.
    const shown = await impactReportOrRelease(db, area(), { year: YEAR, today: TODAY, edition: "wimd2025" });
    expect(shown.report).toEqual(release.report);
    const asked = await impactReportOrRelease(db, area(), { year: YEAR, today: TODAY, edition: "wimd2025", current: true });
    expect(asked.report).toEqual(current);
    expect(asked.release!.publishedAt).toEqual(release.publishedAt);
    // Another edition or a school has no release: worked out now.
    expect((await impactReportOrRelease(db, area(), { year: YEAR, today: TODAY, edition: "wimd2019" })).release).toBeNull();
    expect(
      (await impactReportOrRelease(db, { ...area(), schoolId: fixture.north.schools[0]!.id }, { year: YEAR, today: TODAY, edition: "wimd2025" })).release,
    ).toBeNull();

    // Next year compares with the published figures of this year, not its current ones.
    const next = await impactReport(db, area(), { year: NEXT, today: TODAY });
    expect(next.growth.lastYear).toEqual(release.report.growth.thisYear);
    expect(next.growth.lastYear!.active).not.toEqual(current.growth.thisYear.active);
    expect(next.growth.lastYearPublishedAt).toBe(release.publishedAt.toISOString());
    for (const id of ["2026-autumn", "2027-spring", "2027-summer"]) {
      expect(next.growth.terms.find((term) => term.id === id)).toEqual(release.report.growth.terms.find((term) => term.id === id));
    }
    expect(next.growth.yearOnYear!.activeChange).toBe(next.growth.thisYear.active.value - release.report.growth.thisYear.active.value);
    // Without a release (WIMD 2019), last year is worked out now.
    const next2019 = await impactReport(db, area(), { year: NEXT, today: TODAY, edition: "wimd2019" });
    expect(next2019.growth.lastYearPublishedAt).toBeNull();
    expect(next2019.growth.lastYear!.active.value).toBe(10);
  });

  it("refuses a second publication of the same report (it is never replaced), a year not yet over, and anyone but a coordinator", async () => {
    const again = await publishImpactRelease(db, coordinator, query(), { today: TODAY });
    expect(again).toEqual({ ok: false, status: 409, formError: "impact.publish.errors.published" });
    const notOver = await publishImpactRelease(db, coordinator, { ...query(), year: NEXT }, { today: TODAY });
    expect(notOver).toEqual({ ok: false, status: 400, formError: "impact.publish.errors.inProgress" });
    for (const key of ["impact.publish.errors.published", "impact.publish.errors.inProgress"]) {
      for (const lang of ["cy", "en"] as const) expect(translator(lang)(receivedKey(key))).not.toBe(key);
    }
    const viewer = (
      await loadMemberships(
        db,
        (await db.selectFrom("app_user").select("id").where("email", "=", "viewer@impact-releases.example").executeTakeFirstOrThrow()).id,
      )
    )[0]!;
    const refused = (await settle(publishImpactRelease(db, viewer, { ...query(), edition: "wimd2019" }, { today: TODAY }))) as Response;
    expect(refused.status).toBe(403);
    expect(await findImpactRelease(db, area(), YEAR.id, "wimd2019")).toBeNull();
    const rows = await db.selectFrom("impact_release").select(["year", "la_code", "published_by"]).where("area_id", "=", fixture.north.id).execute();
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.published_by === coordinator.userId)).toBe(true);
    const audit = await db.selectFrom("audit_event").select("details").where("action", "=", "impact_report_published").execute();
    expect(audit).toHaveLength(2);
  });
});

/** Every key anywhere in a value (for a key-ordered JSON text: jsonb keeps no key order). */
function flatKeys(value: unknown, keys: Record<string, true> = {}): Record<string, true> {
  if (Array.isArray(value)) for (const item of value) flatKeys(item, keys);
  else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      keys[key] = true;
      flatKeys(child, keys);
    }
  }
  return keys;
}

const post = (fields: Record<string, string>, context: AppLoadContext) =>
  settle(
    action({
      request: new Request("http://pasbort.test/reports/impact", { method: "POST", body: new URLSearchParams(fields) }),
      context,
      params: {},
    }),
  );
type Refusal = { init: { status: number } | null; data: { errors: Record<string, string> | null; formError: string | null } };

describe("the page's publish action (a year that is over by the clock: 2025–26)", () => {
  const today = ukDate(new Date());
  const past = academicYearOf(`${Number(today.slice(0, 4)) - (Number(today.slice(5, 7)) >= 9 ? 1 : 2)}-09-01`);

  it("lets a coordinator publish, then shows the release on the page and in the downloads, marked in both languages, with the current figures one link away", async () => {
    const done = (await post({ year: past.id, la: "", school: "", edition: "wimd2025" }, people.coordinator!)) as Response;
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe(`/reports/impact?year=${past.id}&edition=wimd2025&published=1`);

    const load = async (search: string) => {
      const loaded = (await loader({ request: new Request(`http://pasbort.test/reports/impact?${search}`), context: people.viewer!, params: {} })) as {
        report: ImpactReport;
        release: { publishedAt: string | null; current: boolean; canPublish: boolean };
      };
      return loaded;
    };
    const page = await load(`year=${past.id}`);
    expect(page.report.published).not.toBeNull();
    expect(page.release).toMatchObject({ current: false, canPublish: false });
    expect(page.release.publishedAt).toBe(page.report.published!.at);
    const currentPage = await load(`year=${past.id}&figures=current`);
    expect(currentPage.report.published).toBeNull();
    expect(currentPage.release.current).toBe(true);

    const csv = async (search: string, lang: string) => {
      const response = (await settle(
        csvLoader({ request: new Request(`http://pasbort.test/reports/impact.csv?${search}&lang=${lang}`), context: people.viewer!, params: {} }),
      )) as Response;
      expect(response.status).toBe(200);
      return response.text();
    };
    expect(await csv(`year=${past.id}`, "en")).toMatch(/Published,Published on \d+ \w+ \d{4}\. These are the figures as published/);
    expect(await csv(`year=${past.id}`, "cy")).toMatch(/Cyhoeddwyd,Cyhoeddwyd ar \d+ \S+ \d{4}\. Dyma'r ffigurau fel y'u cyhoeddwyd/);
    expect(await csv(`year=${past.id}&figures=current`, "en")).toMatch(
      /Not the published report,"?These are the figures as they are now, not the report published on/,
    );
    expect(await csv(`year=${past.id}&figures=current`, "cy")).toMatch(/Nid yr adroddiad a gyhoeddwyd,"?Dyma'r ffigurau fel y maent nawr/);
  });

  it("refuses viewers, schools, providers and guardians (403), publishes nothing for them", async () => {
    for (const person of ["viewer", "school", "provider", "guardian"]) {
      const refused = (await post({ year: past.id, edition: "wimd2019" }, people[person]!)) as Response;
      expect(refused.status, person).toBe(403);
    }
    expect(await findImpactRelease(db, area(), past.id, "wimd2019")).toBeNull();
  });

  it("answers bad input, a year in progress and a second publication with 4xx and the reason in both languages", async () => {
    const cases: Array<[Record<string, string>, number, Record<string, string> | null, string | null]> = [
      [{ year: "2018-19", edition: "wimd2025" }, 400, { year: "impact.errors.year" }, null],
      [{ year: "<script>", edition: "wimd2025" }, 400, { year: "impact.errors.year" }, null],
      [{ year: past.id, edition: "wimd2031" }, 400, { edition: "impact.errors.edition" }, null],
      [{ year: past.id, edition: "wimd2025", school: "not-a-school" }, 400, { school: "impact.errors.school" }, null],
      [{ year: past.id, edition: "wimd2025", la: WREXHAM, school: fixture.north.schools[0]!.id }, 400, { school: "impact.errors.both" }, null],
      [{ year: academicYearOf(today).id, edition: "wimd2025" }, 400, null, "impact.publish.errors.inProgress"],
      [{ year: past.id, edition: "wimd2025", la: WREXHAM }, 409, null, "impact.publish.errors.published"],
    ];
    // Wrexham's report is published first, so the last case is its second publication.
    expect(((await post({ year: past.id, edition: "wimd2025", la: WREXHAM }, people.coordinator!)) as Response).status).toBe(302);
    for (const [fields, status, errors, formError] of cases) {
      const answer = (await post(fields, people.coordinator!)) as Refusal;
      expect([answer.init?.status, answer.data.errors, answer.data.formError], JSON.stringify(fields)).toEqual([status, errors, formError]);
      for (const key of [...Object.values(errors ?? {}), ...(formError ? [formError] : [])]) {
        for (const lang of ["cy", "en"] as const) expect(translator(lang)(receivedKey(key))).not.toBe(key);
      }
    }
    // Not a form at all: refused before anything is read.
    const json = (await action({
      request: new Request("http://pasbort.test/reports/impact", { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } }),
      context: people.coordinator!,
      params: {},
    }).catch((thrown: unknown) => thrown)) as { init: { status: number } };
    expect(json.init.status).toBe(415);
  });
});
