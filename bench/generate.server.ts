/**
 * The benchmark's synthetic dataset: one national-scale area over every Welsh local
 * authority, with real 2021 LSOAs (the `lsoa21` reference table, WIMD 2025; each one's 2011 LSOA
 * from the ONS lookup), schools, validated providers
 * and activities, three academic years of sessions and credits, and the awards the ledger
 * would have made of them.
 *
 * Built in bulk inside the database (insert … select from generate_series), so 5 million
 * credits take minutes, not hours. Deterministic: every pseudo-random choice is a hash of the
 * seed and a row number (hashint8extended), and every id is an md5 of the seed and the row,
 * so the same parameters give the same rows on PostgreSQL and PGlite. Nothing depends on
 * today: the history ends on `endOn` (a 31 August).
 *
 * The rows keep the ledger's rules by construction, so the checks the ledger makes one
 * credit at a time never need to run here:
 * - one credit per child and session: a child's credits fall on strictly increasing days,
 *   and a session is one activity on one day;
 * - the daily cap: at most one credit (≤ 2 hours) per child per day;
 * - every session has started, belongs to a validated activity of a validated provider
 *   whose validation covers it; no activity has a term cap;
 * - awards: every level at or below a child's hours (revoked credits not counted), reached
 *   on the day of the credit that crossed it — the rule of awards.server.ts syncAwards.
 *
 * Foreign keys are checked after the load (the test does), not row by row: the credit and
 * session inserts run with session_replication_role = replica, which skips the per-row
 * foreign key triggers and the credit_ledger_totals trigger (the others fire on update/delete):
 * the derived ledger totals (migration 0011) are rebuilt once after the load instead.
 */
import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { DB } from "../app/modules/db/database.server";
import { addDays } from "../app/modules/activities/uk-time.server";
import { defaultLadderRows } from "../app/modules/awards/default-ladder";
import { rebuildLedgerTotals } from "../app/modules/credits/ledger-totals.server";
import { formatPassportNumber, PASSPORT_ALPHABET, passportCheckCharacter } from "../app/modules/passports/passport-number";

export interface BenchScale {
  children: number;
  providers: number;
  activities: number;
  credits: number;
  /** Academic years of history, ending on endOn. */
  years: number;
  seed: number;
  /** The last day of the history: a 31 August. */
  endOn: string;
  /** Children who get exactly `heavyCredits` credits (the passport page's subject is the first). */
  heavyChildren: number;
  heavyCredits: number;
}

export const FULL_SCALE: BenchScale = {
  children: 100_000,
  providers: 2_000,
  activities: 20_000,
  credits: 5_000_000,
  years: 3,
  seed: 1,
  endOn: "2026-08-31",
  heavyChildren: 10,
  heavyCredits: 500,
};

export const SMALL_SCALE: BenchScale = {
  children: 5_000,
  providers: 100,
  activities: 1_000,
  credits: 100_000,
  years: 3,
  seed: 1,
  endOn: "2026-08-31",
  heavyChildren: 5,
  heavyCredits: 500,
};

export const BENCH_AREA_SLUG = "bench-wales";
export const BENCH_PASSPORT_PREFIX = "BW";
/** Share of children who take part at all, by WIMD quintile (1 = most deprived). */
const PARTICIPATION_BY_QUINTILE = [0.45, 0.55, 0.65, 0.72, 0.8];
const REVOKED_SHARE = 0.005;
const CHILDREN_PER_SCHOOL = 250;
const KINDS = ["sport", "volunteering", "nature", "arts", "stem", "reading", "community", "welsh"];

export interface GeneratedBench {
  areaId: string;
  /** Child number 0, who has `heavyCredits` credits. */
  heavyChildId: string;
  schools: number;
  sessions: number;
  /** 2021 LSOAs the homes were drawn from (1,917). */
  lsoas: number;
  from: string;
  to: string;
  timings: Record<string, number>;
}

/** A deterministic uuid for (seed, kind, number…): md5 of the words, shaped as a uuid. */
export function benchUuid(seed: number, kind: string, ...numbers: number[]) {
  const hex = md5Hex(`${seed}:${kind}:${numbers.join(":")}`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function md5Hex(text: string) {
  return createHash("md5").update(text).digest("hex");
}

/** The passport number of child n: a bijective scramble of n into seven characters, plus the check character. */
export function benchPassportNumber(seed: number, n: number) {
  const space = 2 ** 35;
  let x = (n * 2654435761 + seed * 1000003) % space;
  let body = "";
  for (let i = 0; i < 7; i++) {
    body += PASSPORT_ALPHABET[x % 32]!;
    x = Math.floor(x / 32);
  }
  return formatPassportNumber(BENCH_PASSPORT_PREFIX, body + passportCheckCharacter(body));
}

function daysBetween(from: string, to: string) {
  return Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000);
}

/**
 * Builds the dataset in an empty, migrated database with the LSOAs loaded. `log` hears each
 * step and how long it took.
 */
export async function generateBench(db: DB, scale: BenchScale, log: (line: string) => void = () => {}): Promise<GeneratedBench> {
  const s = scale;
  if (s.heavyChildren > s.children) throw new RangeError("heavyChildren must not exceed children.");
  const from = `${Number(s.endOn.slice(0, 4)) - s.years}-09-01`;
  const days = daysBetween(from, s.endOn) + 1;
  if (s.heavyCredits > days) throw new RangeError("heavyCredits must not exceed the days of history.");
  const period = Math.min(28, s.activities);
  const areaId = benchUuid(s.seed, "area");
  const seedText = String(s.seed);
  const timings: Record<string, number> = {};
  const step = async (name: string, work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    timings[name] = Math.round(performance.now() - started);
    log(`  ${name}: ${(timings[name] / 1000).toFixed(1)} s`);
  };
  const id = (kind: string, expr: string) => `md5('${seedText}:${kind}:' || ${expr})::uuid`;
  // u(tag, n): a pseudo-random number in [0, 1) from the seed, a tag and a row number.
  const u = (tag: number, expr: string) => `((hashint8extended((${expr})::int8, ${s.seed * 1000 + tag}) & 4294967295)::float8 / 4294967296.0)`;

  const lsoaCount = await sql<{ n: number }>`select count(*)::int as n from lsoa21`.execute(db).then((r) => r.rows[0]!.n);
  if (lsoaCount === 0) throw new Error("The benchmark needs the LSOA reference data: load it (loadReferenceData) first.");
  const schools = Math.max(1, Math.ceil(s.children / CHILDREN_PER_SCHOOL));

  let sessionCount = 0;
  await db.transaction().execute(async (trx) => {
    const run = (text: string) => sql.raw(text).execute(trx);
    await run(`set local session_replication_role = replica`);
    // Homes are 2021 LSOAs, quintiles WIMD 2025's. The 2011 LSOA: the same one (unchanged), the
    // one it was split from (exact in this direction), or for a 2021 LSOA made by a merger the
    // first of the merged ones (each lies wholly inside it; WIMD 2019 is the second edition here).
    await run(`create temporary table bench_lsoa on commit drop as
                 select row_number() over (order by l.code) - 1 as n, l.code, min(m.lsoa11_code) as code11, l.la_code, l.wimd_quintile
                 from lsoa21 l join lsoa11_lsoa21 m on m.lsoa21_code = l.code
                 group by l.code, l.la_code, l.wimd_quintile`);
    await run(`create unique index on bench_lsoa (n)`);

    await step("area, ladder, schools, providers, activities", async () => {
      await run(`insert into area (id, slug, name_en, name_cy, passport_prefix, settings)
                 values ('${areaId}', '${BENCH_AREA_SLUG}', 'Benchmark: Children''s University Wales', 'Meincnod: Prifysgol y Plant Cymru',
                         '${BENCH_PASSPORT_PREFIX}', '{"dailyCapQuarterHours": 32, "creditWindowMinutes": 2880}')`);
      await run(`insert into area_local_authority (area_id, la_code) select distinct '${areaId}'::uuid, la_code from lsoa21`);
      await trx
        .insertInto("award_level")
        .values(defaultLadderRows(areaId).map((level, i) => ({ ...level, id: benchUuid(s.seed, "level", i) })))
        .execute();
      await run(`insert into school (area_id, id, name, la_code, lsoa_code, lsoa21_code, welsh_medium, created_at)
                 select '${areaId}', ${id("school", "g")}, 'Ysgol Meincnod ' || g, l.la_code, l.code11, l.code, g % 4 = 0, '${from}T08:00:00Z'
                 from generate_series(0, ${schools - 1}) g join bench_lsoa l on l.n = (g * 7919) % ${lsoaCount}`);
      await run(`insert into provider (area_id, id, name_en, name_cy, kind, town, la_code, lsoa_code, lsoa21_code, status, validated_at, validated_until,
                                       safeguarding, decided_at, submitted_at, created_at)
                 select '${areaId}', ${id("provider", "g")}, 'Benchmark provider ' || g, 'Darparwr meincnod ' || g,
                        (array['${KINDS.join("','")}'])[1 + g % 8], 'Town ' || (g % 97), l.la_code, l.code11, l.code, 'validated',
                        '${addDays(from, -90)}T10:00:00Z', '2099-12-31', '{"dbs": true, "policy": true, "insurance": true}',
                        '${addDays(from, -90)}T10:00:00Z', '${addDays(from, -100)}T10:00:00Z', '${addDays(from, -100)}T10:00:00Z'
                 from generate_series(0, ${s.providers - 1}) g join bench_lsoa l on l.n = (g * 104729) % ${lsoaCount}`);
      // Activity a runs for 1 to 2 hours (4 + a % 5 quarter hours) and belongs to provider a % providers.
      await run(`insert into activity (area_id, id, provider_id, title_en, title_cy, category, credit_quarter_hours, cost_band,
                                       status, validated_at, validated_until, town, la_code, created_at)
                 select '${areaId}', ${id("activity", "g")}, ${id("provider", `(g % ${s.providers})`)},
                        'Benchmark activity ' || g, 'Gweithgaredd meincnod ' || g,
                        (array['sport','volunteering','nature','arts','stem','reading','community','welsh'])[1 + (g / ${s.providers}) % 8],
                        4 + g % 5, case when g % 3 = 0 then 'free' when g % 3 = 1 then 'low' else 'paid' end,
                        'validated', '${addDays(from, -90)}T10:00:00Z', '2099-12-31', 'Town ' || (g % 97), null, '${addDays(from, -100)}T10:00:00Z'
                 from generate_series(0, ${s.activities - 1}) g`);
    });

    // Activity a meets on every day d (counted from `from`) with (d + a) % period = 0, at 16:00 UTC (17:00 in summer: same day in Wales).
    await step("sessions", async () => {
      const result = await run(`insert into activity_session (area_id, id, activity_id, starts_at, ends_at, quarter_hours, claim_secret, created_at)
                 select '${areaId}', ${id("session", "a || ':' || d")}, ${id("activity", "a")},
                        ('${from}'::date + d) + time '16:00' at time zone 'UTC',
                        ('${from}'::date + d) + time '16:00' at time zone 'UTC' + (4 + a % 5) * interval '15 minutes',
                        4 + a % 5, md5('${seedText}:secret:' || a || ':' || d), '${addDays(from, -30)}T10:00:00Z'
                 from generate_series(0, ${s.activities - 1}) a
                 cross join lateral generate_series((${period} - a % ${period}) % ${period}, ${days - 1}, ${period}) d`);
      sessionCount = Number(result.numAffectedRows ?? 0);
    });

    await step("children", async () => {
      const numbers = Array.from({ length: s.children }, (_, n) => benchPassportNumber(s.seed, n));
      await sql`insert into child (area_id, id, passport_number, passport_token, given_name, family_name, birth_year, birth_month,
                                   school_id, home_lsoa_code, home_lsoa21_code, preferred_language, consent_version, consent_at, equity_consent_at,
                                   efsm, aln, year_group, registered_via, passport_issued_at, created_at)
                select ${areaId}::uuid, md5(${seedText} || ':child:' || (t.n - 1))::uuid, t.pn,
                       md5(${seedText} || ':token:' || (t.n - 1)) || substr(md5(${seedText} || ':token2:' || (t.n - 1)), 1, 11),
                       (array['Alaw','Bethan','Cai','Dylan','Elin','Ffion','Gethin','Harri','Iwan','Lowri','Mali','Nia','Osian','Rhys','Seren','Tomos'])[1 + (t.n - 1) % 16],
                       (array['Davies','Evans','Hughes','Jones','Lewis','Morgan','Owen','Price','Roberts','Thomas','Williams','Wyn'])[1 + ((t.n - 1) / 16) % 12],
                       2012 + (t.n - 1) % 8, 1 + (t.n - 1) % 12,
                       md5(${seedText} || ':school:' || ((t.n - 1) % ${schools}))::uuid, l.code11, l.code,
                       case when (t.n - 1) % 3 = 0 then 'en' else 'cy' end, '2023-1', ${from}::date - 10, ${from}::date - 10,
                       (t.n - 1) % 5 = 0, (t.n - 1) % 9 = 0, (t.n - 1) % 9 + 1, 'school_roster', ${from}::date - 10, ${from}::date - 10
                from unnest(${numbers}::text[]) with ordinality as t(pn, n)
                join bench_lsoa l on l.n = floor(${sql.raw(u(1, "t.n - 1"))} * ${lsoaCount})`.execute(trx);
      await run(`insert into child_consent (area_id, id, child_id, purpose, version, method, given_at)
                 select area_id, md5('${seedText}:consent:' || id)::uuid, id, 'passport', '2023-1', 'school_roster', created_at
                 from child where area_id = '${areaId}'`);
    });

    // How many credits each child gets: the first heavyChildren exactly heavyCredits; the rest
    // share what is left in proportion to a weight (zero for a child who does not take part,
    // which is likelier in the more deprived quintiles), rounded so the total is exact.
    await step("credit plan", async () => {
      const rest = s.credits - s.heavyChildren * s.heavyCredits;
      await run(`create temporary table bench_plan on commit drop as
                 with w as (
                   select g as n,
                     case when g < ${s.heavyChildren} then 0
                          when ${u(2, "g")} < (array[${PARTICIPATION_BY_QUINTILE.join(",")}])[l.wimd_quintile]
                            then least(4.0, 0.05 - ln(1 - ${u(3, "g")}))
                          else 0 end as w
                   from generate_series(0, ${s.children - 1}) g
                   join bench_lsoa l on l.n = floor(${u(1, "g")} * ${lsoaCount})
                 ),
                 shares as (select n, w, ${rest} * w / nullif(sum(w) over (), 0) as share from w),
                 floored as (select n, share, floor(coalesce(share, 0))::int as base from shares),
                 ranked as (
                   select n, base, row_number() over (order by coalesce(share, 0) - base desc, n) as r,
                          ${rest} - sum(base) over () as remainder
                   from floored
                 )
                 select n, case when n < ${s.heavyChildren} then ${s.heavyCredits}
                                else base + (case when r <= remainder then 1 else 0 end) end as credits
                 from ranked`);
      const check = await run(`select sum(credits)::int8 as total, max(credits)::int as most from bench_plan`);
      const row = check.rows[0] as { total: number | string; most: number };
      if (Number(row.total) !== s.credits) throw new Error(`Credit plan adds up to ${row.total}, not ${s.credits}.`);
      if (row.most > days) throw new Error(`A child would need ${row.most} credits in ${days} days.`);
    });

    const creditIndexes = await run(`select indexname, indexdef from pg_indexes i
                 where tablename = 'credit' and schemaname = current_schema()
                   and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`);
    await step("credits", async () => {
      // Plain indexes are rebuilt once after the load rather than row by row.
      for (const index of creditIndexes.rows as Array<{ indexname: string }>) await run(`drop index ${index.indexname}`);
      // Child n's k-th credit (of m): day k·D/m plus a jitter that keeps the days strictly rising;
      // on that day, one of the activities meeting that day (a ≡ −d mod period), picked by hash.
      await run(`insert into credit (area_id, id, child_id, provider_id, activity_id, session_id, quarter_hours, earned_on, method,
                                     issued_by, idempotency_key, created_at, revoked_at, revoke_reason)
                 select '${areaId}', ${id("credit", "x.n || ':' || x.k")}, ${id("child", "x.n")}, ${id("provider", `(x.a % ${s.providers})`)},
                        ${id("activity", "x.a")}, ${id("session", "x.a || ':' || x.d")}, 4 + x.a % 5, '${from}'::date + x.d,
                        case when x.k % 10 = 0 then 'session_code' else 'passport_scan' end, null,
                        'bench:' || x.n || ':' || x.k,
                        ('${from}'::date + x.d) + time '18:00' at time zone 'UTC',
                        case when x.revoked then ('${from}'::date + x.d + 1) + time '09:00' at time zone 'UTC' end,
                        case when x.revoked then 'Scanned the wrong card' end
                 from (
                   select p.n, k, day.d,
                          ((${period} - day.d % ${period}) % ${period})
                            + ${period} * floor(${u(5, "p.n * 1000 + k")} * ((${s.activities} - 1 - (${period} - day.d % ${period}) % ${period}) / ${period} + 1))::int as a,
                          ${u(6, "p.n * 1000 + k")} < ${REVOKED_SHARE} and p.n >= ${s.heavyChildren} as revoked
                   from bench_plan p
                   cross join lateral generate_series(0, p.credits - 1) k
                   cross join lateral (select floor(k * ${days}.0 / p.credits + ${u(4, "p.n * 1000 + k")} * (${days}.0 / p.credits - 1))::int as d) day
                   where p.credits > 0
                 ) x`);
      for (const index of creditIndexes.rows as Array<{ indexdef: string }>) await run(index.indexdef);
    });

    // The derived ledger sums (0011_ledger_totals): their trigger does not fire in replica mode.
    await step("ledger totals", () => rebuildLedgerTotals(trx, areaId));

    await step("awards", async () => {
      await run(`insert into award (area_id, child_id, award_level_id, reached_on, created_at)
                 select '${areaId}', x.child_id, l.id, x.earned_on, x.earned_on + time '18:00' at time zone 'UTC'
                 from (
                   select child_id, earned_on, quarter_hours,
                          sum(quarter_hours) over (partition by child_id order by earned_on, id) as reached
                   from credit where area_id = '${areaId}' and revoked_at is null
                 ) x
                 join award_level l on l.area_id = '${areaId}'
                   and l.threshold_hours * 4 <= x.reached and l.threshold_hours * 4 > x.reached - x.quarter_hours`);
    });
  });

  // VACUUM as well as ANALYZE: a live database is vacuumed by autovacuum, so its visibility map
  // is set and hint bits written; without it, the first reads of freshly loaded rows would
  // write them and index-only scans would visit the heap, which no real database does for long.
  await step("vacuum analyze", () => sql.raw(`vacuum analyze`).execute(db));
  return { areaId, heavyChildId: benchUuid(s.seed, "child", 0), schools, sessions: sessionCount, lsoas: lsoaCount, from, to: s.endOn, timings };
}
