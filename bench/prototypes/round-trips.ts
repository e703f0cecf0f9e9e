/**
 * Prototype measurement for docs/decisions/0015 (not part of `npm run bench`, not used by the
 * app): the SQL work of one API credit on its success path — the same 18 statements the app
 * sends, with the same locks and commits — sent (a) one statement per round trip, as the app
 * does, and (b) all in one round trip, as a database function would. On the --small dataset.
 * Run: npx tsx bench/prototypes/round-trips.ts
 */
import pg from "pg";
import { startPostgres } from "../postgres";
import { openDatabase } from "~/modules/db/database.server";
import { prepareDatabase } from "~/modules/db/startup.server";
import { generateBench, SMALL_SCALE, benchUuid } from "../generate.server";
import { setUpLive } from "../live.server";
import { hashSecretToken } from "~/modules/accounts/secret-token.server";
const pgs = await startPostgres(console.log);
try {
  const db = await openDatabase({ kind: "postgres", url: pgs.url, poolSize: 10 });
  await prepareDatabase(db, { seedDemo: false });
  const bench = await generateBench(db, SMALL_SCALE, () => {});
  const live = await setUpLive(db, bench, SMALL_SCALE);
  await db.destroy();
  const A = bench.areaId; const C = SMALL_SCALE.children;
  const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;
  let j = 0;
  const statements = () => {
    const k = j++; const p = k % 16; const slot = Math.floor(k / C) + (mode === "batch" ? 8 : 0);
    const token = hashSecretToken(live.tokens[p]!); const pt = live.passportTokens[k % C]!; const s = live.sessions[p]![slot]!;
    const child = `(select id from child where area_id = ${lit(A)} and passport_token = ${lit(pt)})`;
    const key = lit(`exp-key-${mode}-${k}`);
    return [
      `insert into rate_limit (key, window_started_at, attempts) values (${lit("api-credits:" + p)}, now(), 1) on conflict (key) do update set attempts = case when rate_limit.window_started_at <= now() - interval '1 minute' then 1 else rate_limit.attempts + 1 end, window_started_at = case when rate_limit.window_started_at <= now() - interval '1 minute' then now() else rate_limit.window_started_at end returning attempts, window_started_at`,
      `select area_id, id, provider_id, revoked_at, last_used_at from api_token where token_hash = ${lit(token)}`,
      `select id, given_name, family_name from child where area_id = ${lit(A)} and status = 'active' and passport_token = ${lit(pt)}`,
      `begin`,
      `select id, status from child where area_id = ${lit(A)} and id = ${child} for update`,
      `select id, child_id, session_id, quarter_hours, earned_on from credit where area_id = ${lit(A)} and idempotency_key = ${key}`,
      `select s.id, s.starts_at, s.ends_at, s.quarter_hours, s.cancelled_at, a.id, a.status, a.validated_until, p.id, p.status, p.validated_until from activity_session s join activity a on a.area_id = s.area_id and a.id = s.activity_id join provider p on p.area_id = a.area_id and p.id = a.provider_id where s.area_id = ${lit(A)} and s.id = ${lit(s)}`,
      `select settings from area where id = ${lit(A)}`,
      `select id from credit where area_id = ${lit(A)} and child_id = ${child} and session_id = ${lit(s)} and revoked_at is null`,
      `select coalesce(sum(quarter_hours), 0) from credit where area_id = ${lit(A)} and child_id = ${child} and revoked_at is null and earned_on = current_date`,
      `select term_cap_quarter_hours from activity where area_id = ${lit(A)} and id = ${lit(benchUuid(1, "activity", p))}`,
      `insert into credit (area_id, child_id, provider_id, activity_id, session_id, quarter_hours, earned_on, method, issued_by, idempotency_key) values (${lit(A)}, ${child}, ${lit(benchUuid(1, "provider", p))}, ${lit(benchUuid(1, "activity", p))}, ${lit(s)}, 1, (select (starts_at at time zone 'Europe/London')::date from activity_session where area_id = ${lit(A)} and id = ${lit(s)}), 'passport_scan', null, ${key}) on conflict (area_id, idempotency_key) do nothing returning id, child_id, session_id, quarter_hours, earned_on`,
      `insert into audit_event (area_id, actor_user_id, action, subject_type, subject_id, details) values (${lit(A)}, null, 'credit_issued', 'credit', 'x', '{}')`,
      `select coalesce(sum(quarter_hours), 0) from credit where area_id = ${lit(A)} and child_id = ${child} and revoked_at is null`,
      `select id, threshold_hours, name_en, name_cy from award_level where area_id = ${lit(A)} order by threshold_hours`,
      `select award_level_id, certified_at, flagged_at from award where area_id = ${lit(A)} and child_id = ${child}`,
      `select coalesce(sum(quarter_hours), 0) from credit where area_id = ${lit(A)} and child_id = ${child} and revoked_at is null`,
      `commit`,
    ];
  };
  let mode = "trips";
  const pool = new pg.Pool({ connectionString: pgs.url, max: 64 });
  const run = async (c: number, seconds: number) => {
    const t = performance.now(); let n = 0; const lat: number[] = [];
    await Promise.all(Array.from({ length: c }, async () => {
      const client = await pool.connect();
      while (performance.now() - t < seconds * 1000) {
        const st = statements(); const t0 = performance.now();
        if (mode === "batch") await client.query(st.join(";\n")); else for (const q of st) await client.query(q);
        lat.push(performance.now() - t0); n++;
      }
      client.release();
    }));
    lat.sort((a, b) => a - b);
    console.log(`${mode} ${c} clients: ${(n / ((performance.now() - t) / 1000)).toFixed(0)}/s p50 ${lat[Math.floor(lat.length / 2)]!.toFixed(1)} p99 ${lat[Math.floor(lat.length * 0.99)]!.toFixed(1)} ms (18 statements)`);
  };
  for (const m of ["trips", "batch"]) { mode = m; j = 0; for (const c of [1, 16, 64]) await run(c, 5); }
  await pool.end();
} finally { pgs.stop(); }
