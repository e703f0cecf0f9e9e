/**
 * Prototype measurement for docs/decisions/0015 (not part of `npm run bench`, not used by the
 * app): pre-aggregated ledger tables — one row per child and school term, and each child's
 * total — on the full dataset: the equity report's core query and the eligibility list read
 * from them (checked to give the same figures as from `credit`), and what keeping them by a
 * trigger costs each credit INSERT. Run: npx tsx bench/prototypes/pre-aggregates.ts [--small]
 */
import { writeFileSync } from "node:fs";
import { sql } from "kysely";
import pg from "pg";
import { startPostgres } from "../postgres";
import { openDatabase } from "~/modules/db/database.server";
import { prepareDatabase } from "~/modules/db/startup.server";
import { generateBench, FULL_SCALE, SMALL_SCALE, benchUuid } from "../generate.server";
import { equityReport } from "~/modules/reports/equity.server";
import { graduationEligibility, eligibilityQuery } from "~/modules/graduation/eligibility.server";
const scale = process.argv.includes("--small") ? SMALL_SCALE : FULL_SCALE;
const pgs = await startPostgres(console.log);
const out: string[] = [];
const say = (s: string) => { console.log(s); out.push(s); };
try {
  const db = await openDatabase({ kind: "postgres", url: pgs.url, poolSize: 4 });
  await prepareDatabase(db, { seedDemo: false });
  const bench = await generateBench(db, scale, console.log);
  const A = bench.areaId;
  const grad = await db.insertInto("graduation").values({ area_id: A, name: "G", held_on: "2026-10-15", venue: "V", cutoff_on: "2026-08-31" }).returning("id").executeTakeFirstOrThrow();
  const time = async (label: string, work: () => Promise<unknown>, runs = 3) => {
    await work(); const t: number[] = [];
    for (let i = 0; i < runs; i++) { const s = performance.now(); await work(); t.push(performance.now() - s); }
    t.sort((a, b) => a - b); say(`${label}: median ${t[Math.floor(t.length / 2)]!.toFixed(0)} ms (${t.map((x) => x.toFixed(0)).join(", ")})`);
  };
  await time("equityReport as is", () => equityReport(db, { areaId: A }, { from: "2025-09-01", to: "2026-08-31", by: "quintile" }), 1);
  await time("eligibility as is", () => graduationEligibility(db, A, grad.id), 1);
  // Pre-aggregates, as the ledger would keep them (built here in bulk).
  let t = performance.now();
  await sql.raw(`create table ledger_child_term (area_id uuid not null, child_id uuid not null, term_from date not null, quarter_hours int not null, credits int not null, primary key (area_id, child_id, term_from))`).execute(db);
  await sql.raw(`insert into ledger_child_term select area_id, child_id,
      case when extract(month from earned_on) >= 9 then make_date(extract(year from earned_on)::int, 9, 1)
           when extract(month from earned_on) <= 3 then make_date(extract(year from earned_on)::int, 1, 1)
           else make_date(extract(year from earned_on)::int, 4, 1) end, sum(quarter_hours), count(*)
    from credit where revoked_at is null group by 1, 2, 3`).execute(db);
  await sql.raw(`create index ledger_child_term_period on ledger_child_term (area_id, term_from) include (child_id, quarter_hours)`).execute(db);
  await sql.raw(`create table ledger_child_total (area_id uuid not null, child_id uuid not null, quarter_hours int not null, primary key (area_id, child_id))`).execute(db);
  await sql.raw(`insert into ledger_child_total select area_id, child_id, sum(quarter_hours) from credit where revoked_at is null group by 1, 2`).execute(db);
  await sql.raw(`vacuum analyze ledger_child_term, ledger_child_total`).execute(db);
  const rows = await sql<{ n: number; m: number }>`select (select count(*)::int from ledger_child_term) as n, (select count(*)::int from ledger_child_total) as m`.execute(db);
  say(`pre-aggregates built in ${(performance.now() - t).toFixed(0)} ms: ${rows.rows[0]!.n} child×term rows, ${rows.rows[0]!.m} child totals`);
  // The equity partition query (quintile and the total in one pass, grouping sets) over the term table.
  const equityNew = () => sql`
    with scoped_child as (select c.id, c.school_id, c.home_lsoa_code, c.status from child c where c.area_id = ${A}),
    child_hours as (select child_id, sum(quarter_hours)::int as qh from ledger_child_term where area_id = ${A} and term_from >= '2025-09-01' and term_from <= '2026-04-01' group by child_id),
    enrolled as (select sc.* from scoped_child sc left join child_hours h on h.child_id = sc.id where sc.status = 'active' or h.child_id is not null),
    child_awards as (select a.child_id, count(*)::int as n from award a where a.area_id = ${A} and a.reached_on >= '2025-09-01' and a.reached_on <= '2026-08-31' group by a.child_id)
    select l.wimd_quintile::text as key, count(*)::int as enrolled, count(h.child_id)::int as active, coalesce(sum(h.qh), 0)::int as quarter_hours,
      percentile_cont(0.5) within group (order by h.qh) as median_quarter_hours, coalesce(sum(ca.n), 0)::int as awards
    from enrolled e left join lsoa l on l.code = e.home_lsoa_code left join child_hours h on h.child_id = e.id left join child_awards ca on ca.child_id = e.id
    group by grouping sets ((l.wimd_quintile), ())`.execute(db);
  const equityOld = () => sql`
    with scoped_child as (select c.id, c.school_id, c.home_lsoa_code, c.status from child c where c.area_id = ${A}),
    child_hours as (select child_id, sum(quarter_hours)::int as qh from credit where area_id = ${A} and revoked_at is null and earned_on >= '2025-09-01' and earned_on <= '2026-08-31' group by child_id),
    enrolled as (select sc.* from scoped_child sc left join child_hours h on h.child_id = sc.id where sc.status = 'active' or h.child_id is not null),
    child_awards as (select a.child_id, count(*)::int as n from award a where a.area_id = ${A} and a.reached_on >= '2025-09-01' and a.reached_on <= '2026-08-31' group by a.child_id)
    select l.wimd_quintile::text as key, count(*)::int as enrolled, count(h.child_id)::int as active, coalesce(sum(h.qh), 0)::int as quarter_hours,
      percentile_cont(0.5) within group (order by h.qh) as median_quarter_hours, coalesce(sum(ca.n), 0)::int as awards
    from enrolled e left join lsoa l on l.code = e.home_lsoa_code left join child_hours h on h.child_id = e.id left join child_awards ca on ca.child_id = e.id
    group by grouping sets ((l.wimd_quintile), ())`.execute(db);
  const a = await equityOld(); const b = await equityNew();
  say(`same figures from credit and from the term table: ${JSON.stringify(a.rows) === JSON.stringify(b.rows)}`);
  await time("equity, one pass with grouping sets, from credit", equityOld);
  await time("equity, one pass with grouping sets, from ledger_child_term", equityNew);
  // Eligibility: hours at the cut-off = the child's total − credits earned after the cut-off.
  const compiled = eligibilityQuery(A, grad.id).compile(db);
  const hoursCte = /hours as \(\s*select cr\.child_id[\s\S]*?group by cr\.child_id\s*\)/;
  if (!hoursCte.test(compiled.sql)) throw new Error("hours CTE not found");
  const newSql = compiled.sql.replace(hoursCte, `hours as (
      select t.child_id, t.quarter_hours - coalesce(later.qh, 0) as quarter_hours
      from ledger_child_total t cross join g
      left join (select cr.child_id, sum(cr.quarter_hours) as qh from credit cr cross join g where cr.area_id = '${A}' and cr.revoked_at is null and cr.earned_on > g.cutoff_on group by cr.child_id) later on later.child_id = t.child_id
      where t.area_id = '${A}')`);
  const pool = new pg.Pool({ connectionString: pgs.url, max: 1 });
  const r1 = await pool.query(compiled.sql, compiled.parameters as unknown[]); const r2 = await pool.query(newSql, compiled.parameters as unknown[]);
  say(`eligibility same rows: ${JSON.stringify(r1.rows) === JSON.stringify(r2.rows)} (${r1.rows.length})`);
  await time("eligibility query as is (raw)", () => pool.query(compiled.sql, compiled.parameters as unknown[]));
  await time("eligibility with ledger_child_total", () => pool.query(newSql, compiled.parameters as unknown[]));
  // What keeping them costs each credit: the floor insert with and without the maintaining trigger.
  const today = new Date().toISOString().slice(0, 10);
  const sess = await db.insertInto("activity_session").values(Array.from({ length: 64 }, () => ({ area_id: A, activity_id: benchUuid(scale.seed, "activity", 0), starts_at: new Date(Date.now() - 3600e3), ends_at: new Date(Date.now() - 1800e3), quarter_hours: 1, claim_secret: "x" }))).returning("id").execute();
  let j = 0;
  const floor = async (label: string) => {
    const ipool = new pg.Pool({ connectionString: pgs.url, max: 16 }); const start = performance.now(); let n = 0;
    await Promise.all(Array.from({ length: 16 }, async () => { const c = await ipool.connect(); while (performance.now() - start < 8000) { const k = j++; await c.query(`insert into credit (area_id, child_id, provider_id, activity_id, session_id, quarter_hours, earned_on, method, idempotency_key) values ($1, $2, $3, $4, $5, 1, $6, 'passport_scan', $7) on conflict (area_id, idempotency_key) do nothing returning id`, [A, benchUuid(scale.seed, "child", k % scale.children), benchUuid(scale.seed, "provider", 0), benchUuid(scale.seed, "activity", 0), sess[Math.floor(k / scale.children)]!.id, today, `exp4-${k}`]); n++; } c.release(); }));
    await ipool.end(); say(`${label}: ${(n / ((performance.now() - start) / 1000)).toFixed(0)} inserts/s at 16 clients`);
  };
  await floor("floor insert, no trigger");
  await sql.raw(`create function ledger_keep() returns trigger language plpgsql as $$
    declare t date := case when extract(month from new.earned_on) >= 9 then make_date(extract(year from new.earned_on)::int, 9, 1)
                          when extract(month from new.earned_on) <= 3 then make_date(extract(year from new.earned_on)::int, 1, 1)
                          else make_date(extract(year from new.earned_on)::int, 4, 1) end;
    begin
      insert into ledger_child_term values (new.area_id, new.child_id, t, new.quarter_hours, 1)
        on conflict (area_id, child_id, term_from) do update set quarter_hours = ledger_child_term.quarter_hours + excluded.quarter_hours, credits = ledger_child_term.credits + 1;
      insert into ledger_child_total values (new.area_id, new.child_id, new.quarter_hours)
        on conflict (area_id, child_id) do update set quarter_hours = ledger_child_total.quarter_hours + excluded.quarter_hours;
      return null;
    end $$`).execute(db);
  await sql.raw(`create trigger ledger_keep after insert on credit for each row execute function ledger_keep()`).execute(db);
  await floor("floor insert, with the maintaining trigger");
  writeFileSync("bench/prototypes/pre-aggregates.txt", `${out.join("\n")}\n`);
  await pool.end(); await db.destroy();
} finally { pgs.stop(); }
