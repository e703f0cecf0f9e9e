/**
 * The derived ledger totals (migration 0011_ledger_totals): ledger_child_term and
 * ledger_child_total follow every credit issued and revoked (whatever path wrote it), the
 * migration's backfill and the rebuild equal a fresh aggregate of `credit`, the SQL term
 * function draws the same terms as termOf, and the reports that read the totals give the
 * same figures as summing the credits.
 */
import { randomUUID } from "node:crypto";
import { Migrator, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrations } from "../../db/migrations";
import { generateBench, type BenchScale } from "../../bench/generate.server";
import { loadMemberships } from "~/modules/accounts/actor.server";
import { rebuildLedgerTotals, splitPeriodByTerms } from "~/modules/credits/ledger-totals.server";
import { issueCredit, revokeCredit } from "~/modules/credits/ledger.server";
import { termOf } from "~/modules/credits/terms";
import type { DB } from "~/modules/db/database.server";
import { migrateToLatest } from "~/modules/db/migrate.server";
import { graduationEligibility } from "~/modules/graduation/eligibility.server";
import { loadLsoas } from "~/modules/reference/lsoa.server";
import { equityTallies } from "~/modules/reports/equity.server";
import { createPerson, insertSession, seedTwoAreas } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";

type Areas = Awaited<ReturnType<typeof seedTwoAreas>>;

/** The totals as stored, and as a fresh aggregate of the unrevoked credits (rows of zero left out). */
async function storedAndFresh(db: DB) {
  const stored = await sql<{ row: string }>`
    select concat_ws('|', area_id, child_id, term_from, quarter_hours, credits) as row from ledger_child_term where credits > 0
    union all
    select concat_ws('|', area_id, child_id, 'total', quarter_hours) from ledger_child_total where quarter_hours > 0
    order by 1`.execute(db);
  const fresh = await sql<{ row: string }>`
    select concat_ws('|', area_id, child_id, pasbort_term_from(earned_on), sum(quarter_hours), count(*)) as row
    from credit where revoked_at is null group by area_id, child_id, pasbort_term_from(earned_on)
    union all
    select concat_ws('|', area_id, child_id, 'total', sum(quarter_hours)) from credit where revoked_at is null group by area_id, child_id
    order by 1`.execute(db);
  return { stored: stored.rows.map((r) => r.row), fresh: fresh.rows.map((r) => r.row) };
}

async function termRow(db: DB, childId: string, termFrom: string) {
  return db
    .selectFrom("ledger_child_term")
    .select(["quarter_hours", "credits"])
    .where("child_id", "=", childId)
    .where("term_from", "=", termFrom)
    .executeTakeFirst();
}

async function totalOf(db: DB, childId: string) {
  const row = await db.selectFrom("ledger_child_total").select("quarter_hours").where("child_id", "=", childId).executeTakeFirst();
  return row?.quarter_hours;
}

describe("the SQL term function", () => {
  let db: DB;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await createTestDatabase({ reference: false }));
  });
  afterAll(async () => close());

  it("agrees with termOf on every day of 2019–2031", async () => {
    const result = await sql<{ day: string; term_from: string }>`
      select to_char(d, 'YYYY-MM-DD') as day, to_char(pasbort_term_from(d::date), 'YYYY-MM-DD') as term_from
      from generate_series('2019-01-01'::date, '2031-12-31'::date, interval '1 day') d`.execute(db);
    expect(result.rows.length).toBe(4748);
    const disagree = result.rows.filter((row) => termOf(row.day).from !== row.term_from);
    expect(disagree).toEqual([]);
  });

  it("splits a period into whole terms and the partial terms at its edges", () => {
    expect(splitPeriodByTerms("2025-09-01", "2026-08-31")).toEqual({ wholeTerms: { from: "2025-09-01", to: "2026-04-01" }, partial: [] });
    expect(splitPeriodByTerms("2026-01-01", "2026-03-31")).toEqual({ wholeTerms: { from: "2026-01-01", to: "2026-01-01" }, partial: [] });
    expect(splitPeriodByTerms("2025-10-15", "2026-05-02")).toEqual({
      wholeTerms: { from: "2026-01-01", to: "2026-01-01" },
      partial: [
        { from: "2025-10-15", to: "2025-12-31" },
        { from: "2026-04-01", to: "2026-05-02" },
      ],
    });
    expect(splitPeriodByTerms("2026-02-03", "2026-02-20")).toEqual({ wholeTerms: null, partial: [{ from: "2026-02-03", to: "2026-02-20" }] });
    expect(splitPeriodByTerms("2026-02-03", "2026-02-02")).toEqual({ wholeTerms: null, partial: [] });
  });
});

describe("the totals follow the ledger", () => {
  let db: DB;
  let close: () => Promise<void>;
  let areas: Areas;

  beforeAll(async () => {
    ({ db, close } = await createTestDatabase());
    areas = await seedTwoAreas(db);
  });
  afterAll(async () => close());

  async function newSession(start: string, quarterHours = 4) {
    return insertSession(db, {
      areaId: areas.north.id,
      activityId: areas.north.activities[0]!.id,
      startsAt: new Date(start),
      minutes: quarterHours * 15,
      quarterHours,
    });
  }

  async function issue(childId: string, start: string, quarterHours: number) {
    const sessionId = await newSession(start, quarterHours);
    const outcome = await issueCredit(db, {
      areaId: areas.north.id,
      childId,
      method: "passport_scan",
      issuedBy: null,
      idempotencyKey: randomUUID(),
      sessionId,
      at: new Date(new Date(start).getTime() + 10 * 60_000),
    });
    if (!outcome.ok) throw new Error(outcome.code);
    return outcome.credit;
  }

  it("the fixtures' credits are counted", async () => {
    const child = areas.north.children[0]!.id;
    expect(await termRow(db, child, "2026-09-01")).toEqual({ quarter_hours: 4, credits: 1 });
    expect(await totalOf(db, child)).toBe(4);
  });

  it("adds what issueCredit issues and subtracts what revokeCredit revokes, per term and in total", async () => {
    const child = areas.north.children[1]!.id;
    const coordinator = await createPerson(db, { email: `coordinator-${randomUUID()}@test.example`, areaId: areas.north.id, role: "coordinator" });
    const m = (await loadMemberships(db, coordinator.userId))[0]!;

    const autumn = await issue(child, "2026-11-02T16:00:00Z", 6);
    const spring1 = await issue(child, "2027-02-02T16:00:00Z", 8);
    const spring2 = await issue(child, "2027-03-31T16:00:00Z", 2);
    // The fixture's credit (4, on 2026-10-01) plus 6 in autumn; 10 in spring.
    expect(await termRow(db, child, "2026-09-01")).toEqual({ quarter_hours: 10, credits: 2 });
    expect(await termRow(db, child, "2027-01-01")).toEqual({ quarter_hours: 10, credits: 2 });
    expect(await totalOf(db, child)).toBe(20);

    expect(await revokeCredit(db, m, spring1.id, "scanned the wrong card")).toMatchObject({ ok: true });
    expect(await termRow(db, child, "2027-01-01")).toEqual({ quarter_hours: 2, credits: 1 });
    expect(await totalOf(db, child)).toBe(12);
    // A second revocation is refused and changes nothing.
    expect(await revokeCredit(db, m, spring1.id, "again")).toMatchObject({ ok: false });
    expect(await totalOf(db, child)).toBe(12);

    // Every credit of a term revoked: its row stays, at zero.
    expect(await revokeCredit(db, m, spring2.id, "scanned the wrong card")).toMatchObject({ ok: true });
    expect(await termRow(db, child, "2027-01-01")).toEqual({ quarter_hours: 0, credits: 0 });
    expect(await termRow(db, child, "2026-09-01")).toEqual({ quarter_hours: 10, credits: 2 });
    expect(await totalOf(db, child)).toBe(10);
    expect(autumn.quarterHours).toBe(6);

    const { stored, fresh } = await storedAndFresh(db);
    expect(stored).toEqual(fresh);
  });

  it("follows a credit written straight into the table, and ignores one inserted already revoked", async () => {
    const child = areas.north.children[0]!.id;
    const sessionId = await newSession("2027-05-05T16:00:00Z", 3);
    const base = {
      area_id: areas.north.id,
      child_id: child,
      provider_id: areas.north.providers[0]!.id,
      activity_id: areas.north.activities[0]!.id,
      session_id: sessionId,
      quarter_hours: 3,
      earned_on: "2027-05-05",
      method: "import" as const,
    };
    await db
      .insertInto("credit")
      .values({ ...base, idempotency_key: `direct-revoked-${randomUUID()}`, revoked_at: new Date(), revoke_reason: "imported by mistake" })
      .execute();
    expect(await termRow(db, child, "2027-04-01")).toBeUndefined();
    expect(await totalOf(db, child)).toBe(4);

    const inserted = await db
      .insertInto("credit")
      .values({ ...base, idempotency_key: `direct-${randomUUID()}` })
      .returning("id")
      .executeTakeFirstOrThrow();
    expect(await termRow(db, child, "2027-04-01")).toEqual({ quarter_hours: 3, credits: 1 });
    expect(await totalOf(db, child)).toBe(7);

    // A duplicate skipped by `on conflict do nothing` adds nothing.
    await sql`insert into credit (area_id, child_id, provider_id, activity_id, session_id, quarter_hours, earned_on, method, idempotency_key)
      values (${base.area_id}, ${child}, ${base.provider_id}, ${base.activity_id}, ${sessionId}, 3, '2027-05-05', 'import', ${`dup-${randomUUID()}`})
      on conflict do nothing`.execute(db);
    expect(await totalOf(db, child)).toBe(7);

    // Revoked straight in the table: subtracted; other revocation columns changing later is refused by the guard anyway.
    await db.updateTable("credit").set({ revoked_at: new Date(), revoke_reason: "imported twice" }).where("id", "=", inserted.id).execute();
    expect(await termRow(db, child, "2027-04-01")).toEqual({ quarter_hours: 0, credits: 0 });
    expect(await totalOf(db, child)).toBe(4);
    // Credits of the other area are untouched.
    expect(await totalOf(db, areas.south.children[0]!.id)).toBe(4);

    const { stored, fresh } = await storedAndFresh(db);
    expect(stored).toEqual(fresh);
  });

  it("a rollback leaves the totals as they were", async () => {
    const child = areas.north.children[0]!.id;
    const before = await totalOf(db, child);
    const sessionId = await newSession("2027-06-01T16:00:00Z", 4);
    await expect(
      db.transaction().execute(async (trx) => {
        await trx
          .insertInto("credit")
          .values({
            area_id: areas.north.id,
            child_id: child,
            provider_id: areas.north.providers[0]!.id,
            activity_id: areas.north.activities[0]!.id,
            session_id: sessionId,
            quarter_hours: 4,
            earned_on: "2027-06-01",
            method: "import",
            idempotency_key: `rolled-back-${randomUUID()}`,
          })
          .execute();
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await totalOf(db, child)).toBe(before);
  });
});

describe("the backfill and the rebuild", () => {
  it("the migration fills the totals from the credits already in the ledger", async () => {
    const { db, close } = await createTestDatabase({ migrate: false });
    try {
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      const upTo = await migrator.migrateTo("0010_lsoa_population");
      expect(upTo.error).toBeUndefined();
      await loadLsoas(db);
      const areas = await seedTwoAreas(db);
      // One more credit for child 0 in another term, and a revoked one for child 1.
      const north = areas.north;
      for (const [key, earnedOn, revoked] of [
        ["later", "2027-02-01", false],
        ["revoked", "2026-10-02", true],
      ] as const) {
        const sessionId = await insertSession(db, {
          areaId: north.id,
          activityId: north.activities[0]!.id,
          startsAt: new Date(`${earnedOn}T16:00:00Z`),
          minutes: 60,
          quarterHours: 4,
        });
        await db
          .insertInto("credit")
          .values({
            area_id: north.id,
            child_id: north.children[revoked ? 1 : 0]!.id,
            provider_id: north.providers[0]!.id,
            activity_id: north.activities[0]!.id,
            session_id: sessionId,
            quarter_hours: 4,
            earned_on: earnedOn,
            method: "import",
            idempotency_key: key,
            revoked_at: revoked ? new Date() : null,
            revoke_reason: revoked ? "wrong child" : null,
          })
          .execute();
      }
      await migrateToLatest(db);
      const { stored, fresh } = await storedAndFresh(db);
      expect(stored).toHaveLength(9); // 5 children's terms (north child 0 has two) + 4 totals
      expect(stored).toEqual(fresh);
      expect(await totalOf(db, north.children[0]!.id)).toBe(8);
      expect(await totalOf(db, north.children[1]!.id)).toBe(4);
    } finally {
      await close();
    }
  });

  it("rebuildLedgerTotals gives the same rows as the trigger", async () => {
    const { db, close } = await createTestDatabase();
    try {
      const areas = await seedTwoAreas(db);
      const before = await storedAndFresh(db);
      await rebuildLedgerTotals(db, areas.north.id);
      const after = await storedAndFresh(db);
      expect(after.stored).toEqual(before.stored);
      expect(after.stored).toEqual(after.fresh);
    } finally {
      await close();
    }
  });
});

describe("reports read the totals and give the figures the credits give", () => {
  const TINY: BenchScale = {
    children: 60,
    providers: 4,
    activities: 30,
    credits: 1500,
    years: 3,
    seed: 11,
    endOn: "2026-08-31",
    heavyChildren: 2,
    heavyCredits: 120,
  };
  let db: DB;
  let close: () => Promise<void>;
  let areaId: string;

  beforeAll(async () => {
    ({ db, close } = await createTestDatabase());
    ({ areaId } = await generateBench(db, TINY));
  }, 120_000);
  afterAll(async () => close());

  it("the generator's bulk load leaves the totals equal to the credits (it rebuilds them)", async () => {
    const { stored, fresh } = await storedAndFresh(db);
    expect(stored.length).toBeGreaterThan(100);
    expect(stored).toEqual(fresh);
  });

  it("the equity report's active children, hours and median match a sum of the credits, for years, terms and custom periods", async () => {
    const periods = [
      ["2025-09-01", "2026-08-31"], // an academic year: whole terms only
      ["2024-09-01", "2026-08-31"], // two years
      ["2026-01-01", "2026-03-31"], // one term
      ["2025-10-15", "2026-05-02"], // partial terms at both edges, one whole term between
      ["2026-02-03", "2026-02-20"], // inside one term
      ["2023-09-01", "2023-12-31"], // the first term of the history
    ] as const;
    for (const [from, to] of periods) {
      const [expected] = (
        await sql<{ active: number; quarter_hours: number; median: number | null }>`
          with h as (
            select cr.child_id, sum(cr.quarter_hours)::int as qh
            from credit cr join child c on c.area_id = cr.area_id and c.id = cr.child_id
            where cr.area_id = ${areaId} and cr.revoked_at is null and cr.earned_on between ${from} and ${to}
              and c.created_at < ${to}::date + 1
            group by cr.child_id
          )
          select count(*)::int as active, coalesce(sum(qh), 0)::int as quarter_hours,
            percentile_cont(0.5) within group (order by qh) as median
          from h`.execute(db)
      ).rows;
      // The report's true tallies (before disclosure control, which rounds what it publishes).
      const { total } = await equityTallies(db, { areaId }, { from, to, by: "quintile" });
      const period = `${from}..${to}`;
      expect({ period, active: total.active.count, quarterHours: total.quarter_hours, median: total.median_quarter_hours }).toEqual({
        period,
        active: expected!.active,
        quarterHours: expected!.quarter_hours,
        median: expected!.median === null ? null : Number(expected!.median),
      });
      expect(expected!.active).toBeGreaterThan(0);
    }
  });

  it("the eligibility list's hours at the cut-off match a sum of the credits", async () => {
    const graduation = await db
      .insertInto("graduation")
      .values({ area_id: areaId, name: "Summer graduation", held_on: "2026-07-10", venue: "The hall", cutoff_on: "2026-05-31" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const list = await graduationEligibility(db, areaId, graduation.id);
    expect(list.length).toBeGreaterThan(10);
    const sums = await sql<{ child_id: string; qh: number }>`
      select child_id, sum(quarter_hours)::int as qh from credit
      where area_id = ${areaId} and revoked_at is null and earned_on <= '2026-05-31'
      group by child_id`.execute(db);
    const expected = new Map(sums.rows.map((row) => [row.child_id, row.qh / 4]));
    expect(list.map((child) => [child.childId, child.hours])).toEqual(list.map((child) => [child.childId, expected.get(child.childId) ?? 0]));
    // Some listed children earned credits after the cut-off, so the subtraction is tested.
    const later = await sql<{
      n: number;
    }>`select count(distinct child_id)::int as n from credit where area_id = ${areaId} and revoked_at is null and earned_on > '2026-05-31'`.execute(db);
    expect(later.rows[0]!.n).toBeGreaterThan(0);
  });
});
