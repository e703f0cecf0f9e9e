/**
 * The benchmark's data generator (bench/generate.server.ts), at a tiny scale: it makes what
 * it was asked for, the same rows for the same seed, credits the ledger would have accepted,
 * and the awards the ledger would have made of them. (The benchmark itself measures; this
 * only checks correctness.)
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchPassportNumber, benchUuid, generateBench, type BenchScale, type GeneratedBench } from "../../bench/generate.server";
import { parsePassportNumber } from "~/modules/passports/passport-number";
import type { DB } from "~/modules/db/database.server";
import { createTestDatabase } from "../support/test-database";

const TINY: BenchScale = {
  children: 60,
  providers: 4,
  activities: 30,
  credits: 1500,
  years: 3,
  seed: 7,
  endOn: "2026-08-31",
  heavyChildren: 2,
  heavyCredits: 120,
};

async function rows<T>(db: DB, query: ReturnType<typeof sql<T>>) {
  return (await query.execute(db)).rows;
}

/** A fingerprint of every generated row that matters, in a fixed order. */
async function fingerprint(db: DB, areaId: string) {
  const [row] = await rows<{ credits: string; children: string; sessions: string; awards: string }>(
    db,
    sql`select
      (select md5(string_agg(concat_ws('|', id, child_id, provider_id, activity_id, session_id, quarter_hours, earned_on, method, idempotency_key, revoked_at), ',' order by id)) from credit where area_id = ${areaId}) as credits,
      (select md5(string_agg(concat_ws('|', id, passport_number, passport_token, given_name, family_name, school_id, home_lsoa_code, home_lsoa21_code), ',' order by id)) from child where area_id = ${areaId}) as children,
      (select md5(string_agg(concat_ws('|', id, activity_id, starts_at, ends_at, quarter_hours), ',' order by id)) from activity_session where area_id = ${areaId}) as sessions,
      (select md5(string_agg(concat_ws('|', child_id, award_level_id, reached_on), ',' order by child_id, award_level_id)) from award where area_id = ${areaId}) as awards`,
  );
  return row;
}

describe("benchmark data generator", () => {
  let first: Awaited<ReturnType<typeof createTestDatabase>>;
  let second: Awaited<ReturnType<typeof createTestDatabase>>;
  let bench: GeneratedBench;

  beforeAll(async () => {
    first = await createTestDatabase();
    second = await createTestDatabase();
    bench = await generateBench(first.db, TINY);
    await generateBench(second.db, TINY);
  }, 120_000);

  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it("makes what the scale asks for", async () => {
    const db = first.db;
    const [counts] = await rows<Record<string, number>>(
      db,
      sql`select
        (select count(*)::int from child where area_id = ${bench.areaId}) as children,
        (select count(*)::int from provider where area_id = ${bench.areaId} and status = 'validated') as providers,
        (select count(*)::int from activity where area_id = ${bench.areaId} and status = 'validated') as activities,
        (select count(*)::int from credit where area_id = ${bench.areaId}) as credits,
        (select count(*)::int from award_level where area_id = ${bench.areaId}) as levels,
        (select count(*)::int from school where area_id = ${bench.areaId}) as schools,
        (select count(*)::int from activity_session where area_id = ${bench.areaId}) as sessions,
        (select count(*)::int from area_local_authority where area_id = ${bench.areaId}) as las,
        (select count(*)::int from child c where area_id = ${bench.areaId} and not exists (select 1 from lsoa l where l.code = c.home_lsoa_code)) as children_outside_wales`,
    );
    expect(counts).toEqual({
      children: 60,
      providers: 4,
      activities: 30,
      credits: 1500,
      levels: 30,
      schools: 1,
      sessions: bench.sessions,
      las: 22,
      children_outside_wales: 0,
    });
    expect(bench.sessions).toBeGreaterThan(1000);
    // The heavy children have exactly their credits, none revoked; the first is the passport page's subject.
    const heavy = await rows<{ child_id: string; n: number }>(
      db,
      sql`select child_id, count(*)::int as n from credit where area_id = ${bench.areaId} and revoked_at is null
          and child_id in (${benchUuid(TINY.seed, "child", 0)}, ${benchUuid(TINY.seed, "child", 1)}) group by child_id order by child_id`,
    );
    expect(heavy.map((row) => row.n)).toEqual([120, 120]);
    expect(bench.heavyChildId).toBe(benchUuid(TINY.seed, "child", 0));
  });

  it("homes children, schools and providers on 2021 LSOAs, each 2011 LSOA the lookup's, and each WIMD 2025 quintile its share", async () => {
    const db = first.db;
    // Every row's pair of codes is one row of the ONS lookup: none waits for a postcode.
    const [faults] = await rows<Record<string, number>>(
      db,
      sql`select
        (select count(*)::int from child c where area_id = ${bench.areaId}
           and not exists (select 1 from lsoa11_lsoa21 m where m.lsoa11_code = c.home_lsoa_code and m.lsoa21_code = c.home_lsoa21_code)) as children,
        (select count(*)::int from school s where area_id = ${bench.areaId}
           and not exists (select 1 from lsoa11_lsoa21 m where m.lsoa11_code = s.lsoa_code and m.lsoa21_code = s.lsoa21_code)) as schools,
        (select count(*)::int from provider p where area_id = ${bench.areaId}
           and not exists (select 1 from lsoa11_lsoa21 m where m.lsoa11_code = p.lsoa_code and m.lsoa21_code = p.lsoa21_code)) as providers`,
    );
    expect(faults).toEqual({ children: 0, schools: 0, providers: 0 });
    expect(bench.lsoas).toBe(1917);
    // Homes are drawn uniformly over the 1,917 LSOAs of 2021, so each quintile holds about
    // its share (WIMD 2025 quintiles hold 383 or 384 LSOAs): within four binomial standard
    // deviations. The heavy children are included: they are drawn like the rest.
    const quintiles = await rows<{ quintile: number; lsoas: number; children: number }>(
      db,
      sql`select l.wimd_quintile as quintile, count(distinct l.code)::int as lsoas, count(c.id)::int as children
          from lsoa21 l left join child c on c.area_id = ${bench.areaId} and c.home_lsoa21_code = l.code
          group by 1 order by 1`,
    );
    expect(quintiles.map((row) => row.quintile)).toEqual([1, 2, 3, 4, 5]);
    for (const row of quintiles) {
      const share = row.lsoas / 1917;
      const expected = TINY.children * share;
      expect(Math.abs(row.children - expected), `quintile ${row.quintile}`).toBeLessThan(4 * Math.sqrt(expected * (1 - share)));
    }
    expect(quintiles.reduce((sum, row) => sum + row.children, 0)).toBe(TINY.children);
  });

  it("gives the same rows for the same seed", async () => {
    const a = await fingerprint(first.db, bench.areaId);
    const b = await fingerprint(second.db, bench.areaId);
    expect(a?.credits).toMatch(/^[0-9a-f]{32}$/);
    expect(b).toEqual(a);
  });

  it("makes credits the ledger would have accepted", async () => {
    const db = first.db;
    const [broken] = await rows<Record<string, number>>(
      db,
      sql`select
        -- one credit per child and session, and the daily cap (8 hours)
        (select count(*)::int from (select child_id, session_id from credit where area_id = ${bench.areaId} and revoked_at is null group by 1, 2 having count(*) > 1) x) as twice,
        (select count(*)::int from (select child_id, earned_on from credit where area_id = ${bench.areaId} and revoked_at is null group by 1, 2 having sum(quarter_hours) > 32) x) as over_daily_cap,
        -- the credit matches its session, activity and provider, and the session had started
        (select count(*)::int from credit cr
           left join activity_session s on s.area_id = cr.area_id and s.id = cr.session_id
           left join activity a on a.area_id = cr.area_id and a.id = cr.activity_id
           left join provider p on p.area_id = cr.area_id and p.id = cr.provider_id
           left join child c on c.area_id = cr.area_id and c.id = cr.child_id
          where cr.area_id = ${bench.areaId}
            and (s.id is null or a.id is null or p.id is null or c.id is null
                 or s.activity_id <> cr.activity_id or a.provider_id <> cr.provider_id
                 or s.quarter_hours <> cr.quarter_hours or (s.starts_at at time zone 'Europe/London')::date <> cr.earned_on
                 or s.starts_at > cr.created_at or s.cancelled_at is not null
                 or a.status <> 'validated' or a.validated_until < cr.earned_on
                 or p.status <> 'validated' or p.validated_until < cr.earned_on
                 or a.term_cap_quarter_hours is not null or c.status <> 'active')) as mismatched,
        (select count(*)::int from activity_session s where area_id = ${bench.areaId}
           and not exists (select 1 from activity a where a.area_id = s.area_id and a.id = s.activity_id)) as orphan_sessions,
        (select count(*)::int from child c where area_id = ${bench.areaId} and school_id is not null
           and not exists (select 1 from school s where s.area_id = c.area_id and s.id = c.school_id)) as orphan_children,
        (select count(*)::int from credit where area_id = ${bench.areaId} and earned_on not between ${bench.from} and ${bench.to}) as outside_history`,
    );
    expect(broken).toEqual({ twice: 0, over_daily_cap: 0, mismatched: 0, orphan_sessions: 0, orphan_children: 0, outside_history: 0 });
  });

  it("keeps awards in step with hours, as syncAwards does", async () => {
    const db = first.db;
    // Every level at or below a child's hours is held, and no other; reached on the day the
    // running total (oldest first) crossed the level.
    const [diff] = await rows<{ missing: number; extra: number; wrong_day: number; awards: number }>(
      db,
      sql`with totals as (
            select c.id as child_id, coalesce(sum(cr.quarter_hours), 0) as qh
            from child c left join credit cr on cr.area_id = c.area_id and cr.child_id = c.id and cr.revoked_at is null
            where c.area_id = ${bench.areaId} group by c.id
          ),
          expected as (
            select t.child_id, l.id as award_level_id,
              (select min(x.earned_on) from (
                 select earned_on, sum(quarter_hours) over (order by earned_on, id) as running
                 from credit where area_id = ${bench.areaId} and child_id = t.child_id and revoked_at is null) x
               where x.running >= l.threshold_hours * 4) as reached_on
            from totals t join award_level l on l.area_id = ${bench.areaId} and l.threshold_hours * 4 <= t.qh
          ),
          actual as (select child_id, award_level_id, reached_on from award where area_id = ${bench.areaId})
          select
            (select count(*)::int from expected e where not exists (select 1 from actual a where a.child_id = e.child_id and a.award_level_id = e.award_level_id)) as missing,
            (select count(*)::int from actual a where not exists (select 1 from expected e where a.child_id = e.child_id and a.award_level_id = e.award_level_id)) as extra,
            (select count(*)::int from actual a join expected e using (child_id, award_level_id) where a.reached_on <> e.reached_on) as wrong_day,
            (select count(*)::int from actual) as awards`,
    );
    expect(diff).toMatchObject({ missing: 0, extra: 0, wrong_day: 0 });
    expect(diff!.awards).toBeGreaterThan(0);
  });

  it("leaves the derived ledger sums as the trigger would have kept them", async () => {
    const [diff] = await rows<{ term: number; total: number; terms: number }>(
      first.db,
      sql`with t as (
            select child_id, pasbort_term_from(earned_on) as term_from, sum(quarter_hours)::int as qh, count(*)::int as n
            from credit where area_id = ${bench.areaId} and revoked_at is null group by 1, 2
          ),
          c as (select child_id, sum(quarter_hours)::int as qh from credit where area_id = ${bench.areaId} and revoked_at is null group by 1)
          select
            (select count(*)::int from t full join (select * from ledger_child_term where area_id = ${bench.areaId}) l using (child_id, term_from)
              where l.quarter_hours is distinct from t.qh or l.credits is distinct from t.n) as term,
            (select count(*)::int from c full join (select * from ledger_child_total where area_id = ${bench.areaId}) l using (child_id)
              where l.quarter_hours is distinct from c.qh) as total,
            (select count(*)::int from t) as terms`,
    );
    expect(diff).toMatchObject({ term: 0, total: 0 });
    expect(diff!.terms).toBeGreaterThan(0);
  });

  it("gives every child a passport number with a valid check character, and distinct tokens", async () => {
    const children = await first.db.selectFrom("child").select(["passport_number", "passport_token"]).where("area_id", "=", bench.areaId).execute();
    expect(children.every((child) => parsePassportNumber(child.passport_number!) === child.passport_number)).toBe(true);
    expect(new Set(children.map((child) => child.passport_token)).size).toBe(60);
    expect(new Set(children.map((child) => child.passport_number)).size).toBe(60);
    expect(children.map((child) => child.passport_number)).toContain(benchPassportNumber(TINY.seed, 0));
  });
});
