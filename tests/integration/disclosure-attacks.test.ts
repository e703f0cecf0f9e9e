import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { loader as pageLoader } from "~/routes/reports.equity";
import { EQUITY_FROM, EQUITY_TO } from "../support/equity-fixture";
import { contextFor, createPerson, settle } from "../support/fixtures";
import { LATE_REGISTRATION_DAY, seedSmallCellsFixture } from "../support/small-cells-fixture";
import { createTestDatabase } from "../support/test-database";

/**
 * The five kinds of attack of issue 15, run as an analyst would run them on what the report
 * publishes (the page's data, as a viewer or a coordinator gets it), on a fixture with small
 * cells. Each works out the bounds a published figure puts on the true count — from the
 * figure and what the page says about its precision, and from the labels ("<5": 0–4, "*": at
 * least 5) where there are labels — and combines them by addition and subtraction. A count
 * is recovered when its bounds meet in one value. Every attack worked before the
 * disclosure-control layer (see the commit that added this file); none does now, and the
 * true count always lies within the bounds (the stated precision is honest).
 */

let db: DB;
let close: () => Promise<void>;
let fixture: Awaited<ReturnType<typeof seedSmallCellsFixture>>;
const people: Record<string, AppLoadContext> = {};

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  fixture = await seedSmallCellsFixture(db);
  for (const role of ["viewer", "coordinator"] as const) {
    const person = await createPerson(db, { email: `${role}@attacks.example`, areaId: fixture.north.id, role });
    people[role] = await contextFor(db, person.userId, person.membershipId);
  }
});
afterAll(async () => close());

interface Count {
  value: number | null;
  shown: string;
}
interface Interval {
  lo: number;
  hi: number;
}
type Report = NonNullable<Awaited<ReturnType<typeof publishedReport>>>;

/** What the page publishes for a search, or the status it refused it with. */
async function published(person: "viewer" | "coordinator", search: string) {
  const result = await settle(pageLoader({ request: new Request(`http://pasbort.test/reports/equity?${search}`), context: people[person]!, params: {} }));
  if (result instanceof Response) return { status: result.status, report: null };
  // A refusal the page explains is data with a status (Remix's data()).
  const data = result as unknown as { report: unknown } | { data: { report: unknown }; init: { status?: number } | null };
  if ("data" in data) return { status: data.init?.status ?? 200, report: data.data.report as Record<string, unknown> | null };
  return { status: 200, report: data.report as Record<string, unknown> | null };
}
async function publishedReport(person: "viewer" | "coordinator", search: string) {
  const { report } = await published(person, search);
  expect(report).not.toBeNull();
  return report as unknown as {
    rows: Array<{ key: string | null; enrolled: Count | null; active: Count; awards: Count | null; hours: number | null | { value: number } }>;
    total: { enrolled: Count | null; active: Count; awards: Count | null; activeMostDeprived: Count | null; hours: number | null | { value: number } };
    precision?: { count: number; hours: number };
  };
}

const term = `period=custom&from=${EQUITY_FROM}&to=${EQUITY_TO}`;
const publishedTerm = "period=2026-autumn";

/** The bounds a published count puts on the true one. */
function bounds(count: Count | null, report: Report): Interval {
  if (!count) return { lo: 0, hi: Infinity };
  if (count.value === null) return count.shown === "*" ? { lo: 5, hi: Infinity } : { lo: 0, hi: 4 };
  const plusMinus = report.precision?.count ?? 0;
  return { lo: Math.max(0, count.value - plusMinus), hi: count.value + plusMinus };
}
function hoursBounds(hours: number | null | { value: number }, report: Report): Interval {
  if (hours === null) return { lo: 0, hi: Infinity };
  const value = typeof hours === "number" ? hours : hours.value;
  const plusMinus = report.precision?.hours ?? 0;
  return { lo: Math.max(0, value - plusMinus), hi: value + plusMinus };
}
const minus = (a: Interval, b: Interval): Interval => ({ lo: a.lo - b.hi, hi: a.hi - b.lo });
const plus = (a: Interval, b: Interval): Interval => ({ lo: a.lo + b.lo, hi: a.hi + b.hi });
const meet = (...all: Interval[]): Interval => ({ lo: Math.max(0, ...all.map((i) => i.lo)), hi: Math.min(...all.map((i) => i.hi)) });
const row = (report: Report, key: string | null) => report.rows.find((r) => r.key === key)!;

/** Not pinned to one value, and the truth within the bounds. */
function expectNotRecovered(interval: Interval, truth: number) {
  expect(interval.lo).toBeLessThanOrEqual(truth);
  expect(interval.hi).toBeGreaterThanOrEqual(truth);
  expect(interval.hi - interval.lo, `pinned to ${interval.lo}`).toBeGreaterThan(0);
}

describe("the five kinds of attack on the equity report", () => {
  it("1. a total of one breakdown (the two most deprived fifths, by provider) less the cells of another (quintile 1) gives quintile 2 away", async () => {
    const byProvider = await publishedReport("viewer", `${term}&by=provider`);
    const byQuintile = await publishedReport("viewer", `${term}&by=quintile`);
    const mostDeprived = bounds(byProvider.total.activeMostDeprived, byProvider);
    const quintile2 = meet(minus(mostDeprived, bounds(row(byQuintile, "1").active, byQuintile)), bounds(row(byQuintile, "2").active, byQuintile));
    expectNotRecovered(quintile2, 2);
  });

  it("2. the bounds the labels give (hidden but small, never negative) pin two hidden cells that add up to 8", async () => {
    const byLa = await publishedReport("viewer", `${term}&by=la`);
    const hidden = minus(bounds(byLa.total.active, byLa), bounds(row(byLa, "W06000006").active, byLa));
    const flintshire = bounds(row(byLa, "W06000005").active, byLa);
    const notKnown = bounds(row(byLa, null).active, byLa);
    expectNotRecovered(meet(flintshire, minus(hidden, notKnown)), 4);
    expectNotRecovered(meet(notKnown, minus(hidden, flintshire)), 4);
  });

  it("3. hidden cells that must add up to zero (awards outside quintiles 1 and 5) are each zero", async () => {
    const byQuintile = await publishedReport("viewer", `${term}&by=quintile`);
    const shown = plus(bounds(row(byQuintile, "1").awards, byQuintile), bounds(row(byQuintile, "5").awards, byQuintile));
    const rest = minus(bounds(byQuintile.total.awards, byQuintile), shown);
    for (const key of ["2", "3", "4", null]) expectNotRecovered(meet(rest, bounds(row(byQuintile, key).awards, byQuintile)), 0);
  });

  it("4. hours, from the total less the shown groups', give the hidden groups' hours and so the children behind them", async () => {
    const byLa = await publishedReport("viewer", `${term}&by=la`);
    const hiddenHours = minus(hoursBounds(byLa.total.hours, byLa), hoursBounds(row(byLa, "W06000006").hours, byLa));
    // 8 children with an hour each: pinned to the quarter-hour before.
    expect(hiddenHours.lo).toBeLessThanOrEqual(8);
    expect(hiddenHours.hi).toBeGreaterThanOrEqual(8);
    expect(hiddenHours.hi - hiddenHours.lo).toBeGreaterThanOrEqual(1);
    // A group too small to show has no hours shown at all.
    expect(row(byLa, "W06000005").hours).toBeNull();
  });

  it("5. two overlapping periods a day apart: the difference is the one child registered on the last day", async () => {
    const dayBefore = `period=custom&from=${EQUITY_FROM}&to=2026-12-30&by=quintile`;
    const lastDay = `period=custom&from=${EQUITY_FROM}&to=${LATE_REGISTRATION_DAY}&by=quintile`;
    // A viewer may not ask for either custom period (published periods only)…
    const viewerFirst = await published("viewer", dayBefore);
    if (viewerFirst.report) {
      const first = viewerFirst.report as unknown as Report;
      const second = await publishedReport("viewer", lastDay);
      expectNotRecovered(meet(minus(bounds(row(second, "1").enrolled, second), bounds(row(first, "1").enrolled, first))), 1);
    } else {
      expect(viewerFirst.status).toBe(403);
    }
    // …and a coordinator who may, for internal use, learns nothing certain from the difference.
    const first = await publishedReport("coordinator", dayBefore);
    const second = await publishedReport("coordinator", lastDay);
    expectNotRecovered(meet(minus(bounds(row(second, "1").enrolled, second), bounds(row(first, "1").enrolled, first))), 1);
    // The published term is the same figure as the custom period that covers it.
    expect(row(await publishedReport("viewer", `${publishedTerm}&by=quintile`), "1").enrolled).toEqual(row(second, "1").enrolled);
  });
});
