import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ukDate } from "~/modules/activities/uk-time.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { translator } from "~/modules/i18n/i18n";
import { impactReport } from "~/modules/reports/impact.server";
import { academicYearOf } from "~/modules/reports/published-periods";
import { loader } from "~/routes/reports.impact";
import { reportReaders, seedEquityFixture } from "../support/equity-fixture";
import { settle, signedOutContext } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";
import { expectNoRawCount } from "../support/no-raw-count";

/**
 * Who may open /reports/impact and what the loader gives them (issue 21): the area's
 * coordinators and viewers, their own area only; everyone else is refused, and bad choices get
 * their reason (400) in both languages with the form.
 */

let db: DB;
let close: () => Promise<void>;
let fixture: Awaited<ReturnType<typeof seedEquityFixture>>;
const people: Record<string, AppLoadContext> = {};
const request = (path: string) => new Request(`http://pasbort.test${path}`);

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  fixture = await seedEquityFixture(db);
  const { north } = fixture;
  for (const [name, reader] of Object.entries(await reportReaders(db, fixture, "impact.example"))) people[name] = reader.context;
  people.child = {
    signedIn: { user: { id: north.children[0]!.id }, session: { id: "s", childAreaId: north.id } },
    cspNonce: "test",
    clientAddress: "127.0.0.1",
  } as never;
});
afterAll(async () => close());

type Loaded = Exclude<Awaited<ReturnType<typeof loader>>, Response>;
type PageData = Exclude<Loaded, { init: unknown }> | Extract<Loaded, { init: unknown }>["data"];
async function page(person: string, search = ""): Promise<PageData & { status: number }> {
  const loaded = (await loader({ request: request(`/reports/impact${search ? `?${search}` : ""}`), context: people[person]!, params: {} })) as Loaded;
  return "init" in loaded && "data" in loaded ? { ...loaded.data, status: loaded.init?.status ?? 200 } : { ...(loaded as PageData), status: 200 };
}

describe("/reports/impact", () => {
  it("shows a coordinator and a viewer the area's report for this year, the module's figures exactly", async () => {
    const today = ukDate(new Date());
    for (const person of ["coordinator", "viewer"]) {
      const data = await page(person);
      expect(data.status).toBe(200);
      expect(data.report!.year).toBe(academicYearOf(today).id);
      expect(data.report!.scope.kind).toBe("area");
      expectNoRawCount(data.report);
      const direct = await impactReport(db, { areaId: fixture.north.id, laCode: null, schoolId: null }, { year: academicYearOf(today), today });
      expect(JSON.parse(JSON.stringify(data.report))).toEqual(JSON.parse(JSON.stringify(direct)));
    }
    const la = await page("viewer", "year=2026-27&la=W06000006");
    expect(la.report!.scope).toMatchObject({ kind: "la", laCode: "W06000006" });
    const school = await page("viewer", `year=2025-26&school=${fixture.north.schools[1]!.id}`);
    expect(school.report!.scope).toMatchObject({ kind: "school", schoolId: fixture.north.schools[1]!.id });
    expect(school.report!.year).toBe("2025-26");
  });

  it("keeps another area to its own children, and refuses it this area's school or LA (400, with the reason)", async () => {
    const south = await page("southViewer", "year=2026-27");
    expect(south.report!.scope.areaId).toBe(fixture.south.id);
    // The south fixture's two children.
    expect(south.report!.reach.total.enrolled.value).toBeLessThanOrEqual(5);
    expect(south.schools.map((s) => s.id)).not.toContain(fixture.north.schools[0]!.id);
    const school = await page("southViewer", `school=${fixture.north.schools[0]!.id}`);
    expect([school.status, school.report, school.errors]).toEqual([400, null, { school: "impact.errors.school" }]);
    const la = await page("southViewer", "la=W06000006");
    expect([la.status, la.errors]).toEqual([400, { la: "impact.errors.la" }]);
  });

  it("refuses a school, a provider and a guardian (403), sends a child to their passport and a visitor to sign in", async () => {
    for (const person of ["school", "provider", "guardian"]) {
      const refused = await settle(loader({ request: request("/reports/impact"), context: people[person]!, params: {} }));
      expect((refused as Response).status, person).toBe(403);
    }
    const child = (await settle(loader({ request: request("/reports/impact"), context: people.child!, params: {} }))) as Response;
    expect([child.status, child.headers.get("Location")]).toEqual([302, "/me"]);
    const visitor = (await settle(loader({ request: request("/reports/impact?year=2026-27"), context: signedOutContext, params: {} }))) as Response;
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent("/reports/impact?year=2026-27")}`);
  });

  it("refuses an unknown or future year, an LA and a school together, and an unknown edition (400), each reason in both languages", async () => {
    const cases = [
      ["year=2018-19", { year: "impact.errors.year" }],
      ["year=2040-41", { year: "impact.errors.year" }],
      ["year=2026-28", { year: "impact.errors.year" }],
      ["year=<script>", { year: "impact.errors.year" }],
      [`la=W06000006&school=${fixture.north.schools[0]!.id}`, { school: "impact.errors.both" }],
      ["school=not-a-school", { school: "impact.errors.school" }],
      ["edition=wimd2031", { edition: "impact.errors.edition" }],
    ] as const;
    for (const [search, errors] of cases) {
      const data = await page("coordinator", search);
      expect([data.status, data.report, data.errors], search).toEqual([400, null, errors]);
      for (const key of Object.values(errors)) for (const lang of ["cy", "en"] as const) expect(translator(lang)(key)).not.toBe(key);
    }
  });
});
