import { readdirSync, readFileSync } from "node:fs";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "~/modules/accounts/api-tokens.server";
import { loadMemberships } from "~/modules/accounts/actor.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { translator } from "~/modules/i18n/i18n";
import { BREAKDOWNS } from "~/modules/reports/breakdowns";
import { MINIMUM_FOR_DERIVED, ROUNDING_BASE } from "~/modules/reports/disclosure.server";
import { equityColumns } from "~/modules/reports/labels";
import { loader as apiLoader } from "~/routes/api.v1.reports.equity";
import { loader as coordinatorHome } from "~/routes/coordinator._index";
import { loader as pageLoader } from "~/routes/reports.equity";
import { loader as csvLoader } from "~/routes/reports.equity[.csv]";
import { loader as impactLoader } from "~/routes/reports.impact";
import { cellsOf } from "../support/csv-attacks";
import { EQUITY_FROM } from "../support/equity-fixture";
import { contextFor, createPerson, settle, signedOutContext } from "../support/fixtures";
import { expectNoRawCount } from "../support/no-raw-count";
import { seedSmallCellsFixture } from "../support/small-cells-fixture";
import { createTestDatabase } from "../support/test-database";

/**
 * No figure bypasses the disclosure-control layer. Two checks:
 * - every route module that publishes figures about children is in RELEASE_ROUTES (a new
 *   one that reads the report modules fails here until it is added), and no route reads the
 *   unprotected tallies;
 * - every release route, in every format, breakdown and period and both languages, on a
 *   fixture whose true counts are mostly not multiples of 5, publishes only multiples of 5
 *   for counts and hours, and rates worked out from the published counts.
 */
const RELEASE_ROUTES = [
  "reports.equity.tsx",
  "reports.equity[.csv].ts",
  "api.v1.reports.equity.ts",
  "coordinator._index.tsx",
  // The child's voice (its own tests check its counts come through the layer: child-voice-report.test.ts).
  "reports.voice.tsx",
  // The impact report (issue 21): walked below, every figure of every section.
  "reports.impact.tsx",
  // The impact report's downloads (their own tests check every count cell: impact-exports.test.ts).
  "reports.impact[.pdf].ts",
  "reports.impact[.csv].ts",
  "reports.impact[.xlsx].ts",
];

let db: DB;
let close: () => Promise<void>;
let fixture: Awaited<ReturnType<typeof seedSmallCellsFixture>>;
const people: Record<string, AppLoadContext> = {};
let apiToken = "";

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  fixture = await seedSmallCellsFixture(db);
  const { north } = fixture;
  const specs = {
    coordinator: { areaId: north.id, role: "coordinator" },
    viewer: { areaId: north.id, role: "viewer" },
    school: { areaId: north.id, role: "school", schoolId: north.schools[1]!.id },
    provider: { areaId: north.id, role: "provider_owner", providerId: north.providers[0]!.id },
  } as const;
  for (const [name, spec] of Object.entries(specs)) {
    const person = await createPerson(db, { email: `${name}@releases.example`, ...spec });
    people[name] = await contextFor(db, person.userId, person.membershipId);
    if (name === "provider") {
      const [membership] = await loadMemberships(db, person.userId);
      apiToken = (await createApiToken(db, membership!, north.providers[0]!.id, { name: "Releases" })).token;
    }
  }
});
afterAll(async () => close());

const request = (path: string, headers: Record<string, string> = {}) => new Request(`http://pasbort.test${path}`, { headers });
interface Count {
  value: number;
  shown: string;
}
type Row = Record<string, unknown> & { enrolled: Count | null; active: Count; awards: Count | null; activeMostDeprived: Count | null };
interface Report {
  rows: Row[];
  total: Row;
  gap: Record<string, number | null>;
}

/** Every count is a multiple of 5; hours too; every rate is the ratio of published counts, only for groups published as at least 10. */
function expectProtected(report: Report) {
  for (const row of [...report.rows, report.total]) {
    for (const name of ["enrolled", "active", "awards", "activeMostDeprived"] as const) {
      const count = row[name];
      if (count === null) continue;
      expect(count.value % ROUNDING_BASE, `${name} ${count.value}`).toBe(0);
      expect(count.shown).toBe(String(count.value));
    }
    if (row.hours !== null) {
      expect((row.hours as number) % ROUNDING_BASE).toBe(0);
      expect(row.active.value).toBeGreaterThanOrEqual(MINIMUM_FOR_DERIVED);
    }
    const rate = (part: Count | null, whole: Count | null) =>
      part && whole && whole.value >= MINIMUM_FOR_DERIVED ? Math.round(Math.min(1, part.value / whole.value) * 10000) / 10000 : null;
    if (row.enrolled) expect(row.participationRate).toBe(rate(row.active, row.enrolled));
    expect(row.activeShare).toBe(rate(row.active, report.total.active));
    if (row.medianHoursPerActive !== null) expect(row.active.value).toBeGreaterThanOrEqual(MINIMUM_FOR_DERIVED);
  }
}

const unwrap = (result: unknown) => {
  const value = result as { data?: unknown };
  return (value && typeof value === "object" && "data" in value && "init" in value ? value.data : value) as { report: Report | null; errors: unknown };
};

describe("one disclosure-control layer, no bypass", () => {
  it("lists every route that publishes figures about children, and no route reads the unprotected tallies", () => {
    const routes = readdirSync("app/routes");
    for (const file of routes) {
      const source = readFileSync(`app/routes/${file}`, "utf8");
      expect(source, file).not.toMatch(/equityTallies|impactTallies|CellTally|keyedCount|cell_key|tallies\.server/);
      const publishes = /modules\/reports\/(equity|disclosure|child-voice\.server|impact)|childrenWaitingBySchool/.test(source);
      if (publishes) expect(RELEASE_ROUTES, `${file} publishes figures: walk it in this test`).toContain(file);
    }
    for (const file of RELEASE_ROUTES) expect(routes).toContain(file);
  });

  const periods = ["period=2026-autumn", "period=2026-27", `period=custom&from=${EQUITY_FROM}&to=2026-11-30`];
  for (const by of BREAKDOWNS) {
    it(`publishes only protected figures by ${by}: page, CSV (Welsh and English) and API, every period`, async () => {
      for (const period of periods) {
        for (const person of ["coordinator", "viewer", "school", "provider"]) {
          const search = `${period}&by=${by}`;
          const page = unwrap(await settle(pageLoader({ request: request(`/reports/equity?${search}`), context: people[person]!, params: {} })));
          if (period.includes("custom") && person !== "coordinator") {
            expect(page.report).toBeNull();
            continue;
          }
          const report = page.report!;
          expectProtected(report);
          // The CSV has exactly the page's figures, in both languages.
          for (const lang of ["cy", "en"] as const) {
            const response = (await csvLoader({
              request: request(`/reports/equity.csv?${search}&lang=${lang}`),
              context: people[person]!,
              params: {},
            })) as Response;
            const cells = cellsOf(await response.text());
            const t = translator(lang);
            const columns = equityColumns(report as never);
            expect(cells[0]).toEqual(columns.map((column) => t(`reports.columns.${column}`)));
            for (const [i, row] of [...report.rows, report.total].entries()) {
              for (const [j, column] of columns.entries()) {
                if (["enrolled", "active", "awards", "activeMostDeprived"].includes(column))
                  expect(cells[i + 1]![j]).toBe((row[column] as Count | null)?.shown ?? "");
                if (column === "hours") expect(cells[i + 1]![j]).toBe(row.hours === null ? "" : String(row.hours));
              }
            }
          }
        }
        if (!period.includes("custom")) {
          const api = await apiLoader({
            request: request(`/api/v1/reports/equity?${period}&by=${by}`, { Authorization: `Bearer ${apiToken}` }),
            context: signedOutContext,
            params: {},
          });
          expect(api.status).toBe(200);
          expectProtected(await api.json());
        }
      }
    });
  }

  it("the impact report publishes only protected figures: every section, year and scope, for a coordinator and a viewer", async () => {
    const { north } = fixture;
    for (const person of ["coordinator", "viewer"]) {
      for (const year of ["2026-27", "2025-26"]) {
        for (const scope of ["", "&la=W06000006", `&school=${north.schools[1]!.id}`]) {
          const loaded = unwrap(await impactLoader({ request: request(`/reports/impact?year=${year}${scope}`), context: people[person]!, params: {} }));
          const report = loaded.report as unknown as Record<string, never> & {
            reach: { total: Row; byQuintile: Row[]; byLocalAuthority: Row[]; bySchool: Row[] };
            growth: { terms: Row[] };
            persistence: { byQuintile: Array<{ activeLastYear: Count; activeAgain: Count; rate: number | null }> };
          };
          expect(expectNoRawCount(report), `${person} ${year}${scope}`).toBeGreaterThan(40);
          const rate = (part: Count, whole: Count) =>
            whole.value >= MINIMUM_FOR_DERIVED ? Math.round(Math.min(1, part.value / whole.value) * 10000) / 10000 : null;
          const { reach } = report;
          for (const row of [reach.total, ...reach.byQuintile, ...reach.byLocalAuthority, ...reach.bySchool, ...report.growth.terms]) {
            expect(row.participationRate).toBe(rate(row.active, row.enrolled!));
            if (row.hours !== null) expect(row.active.value).toBeGreaterThanOrEqual(MINIMUM_FOR_DERIVED);
          }
          for (const row of report.persistence.byQuintile) expect(row.rate).toBe(rate(row.activeAgain, row.activeLastYear));
        }
      }
    }
    for (const person of ["school", "provider"]) {
      const refused = await settle(impactLoader({ request: request("/reports/impact"), context: people[person]!, params: {} }));
      expect((refused as Response).status).toBe(403);
    }
  });

  it("the coordinator's home publishes its counts through the layer too", async () => {
    await db.updateTable("child").set({ home_lsoa21_code: null }).where("id", "in", fixture.q1.slice(0, 7)).execute();
    const home = (await coordinatorHome({ request: request("/coordinator"), context: people.coordinator!, params: {} })) as {
      waiting: { schools: Array<{ waiting: Count }>; total: Count };
    };
    expect(home.waiting.schools.length).toBeGreaterThan(0);
    for (const count of [...home.waiting.schools.map((s) => s.waiting), home.waiting.total]) expect(count.value % ROUNDING_BASE).toBe(0);
  });
});
