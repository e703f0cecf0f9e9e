/**
 * `npm run bench [-- --small] [-- --no-build] [-- --no-pglite] [-- --only-credentials] [-- --only-mobile] [-- --only-impact]`: the benchmark (issue 9).
 *
 * Starts a PostgreSQL of its own (bench/postgres.ts), builds the synthetic dataset
 * (bench/generate.server.ts), then measures in one run:
 *  1. credit issuing through the real HTTP API (POST /api/v1/credits) at 1, 16 and 64
 *     concurrent clients (autocannon on loopback): throughput, p50/p95/p99, errors;
 *  2. the floor: the same credit INSERT straight through `pg` at the same concurrency;
 *  3. the guardian's passport page for a child with 500 credits (HTTP GET, signed in);
 *  4. the equity report by quintile for a full academic year;
 *  5. the graduation eligibility list over every child;
 *  6. the server's peak memory (RSS) under load;
 *  7. the embedded PGlite database with the --small dataset;
 *  8. Open Badges (issue 17): signing and verifying a credential against the floor of a plain
 *     Ed25519 signature of the same JSON, and a graduation's 500 certificates
 *     (bench/credentials.server.ts). `--only-credentials` runs just this part (on a PostgreSQL of
 *     its own, from port PG_PORT or 58600, with a 500-child dataset) and puts its numbers into
 *     the last results (results.json and RESULTS.md, or the -small ones with --small), dated.
 *  9. the main pages on a cheap phone over a weak signal (issue 18, bench/mobile.server.ts):
 *     Chromium's mobile profile, bytes, first contentful paint and load beside the same pages
 *     as plain HTML and CSS. `--only-mobile` runs just this part and merges it like
 *     --only-credentials. Its two servers listen on MOBILE_PORT_FROM and the next port (58700).
 * 10. the impact report (issue 21, bench/impact.server.ts): the whole area's report for the last
 *     academic year, beside a bare count of that year's credits and the equity report in the same
 *     run. `--only-impact` runs just this part on the dataset of the mode (full: 100,000 children,
 *     5 million credits, on a PostgreSQL of its own from PG_PORT or 58600) and merges it like
 *     --only-credentials.
 * Results: bench/results.json and bench/RESULTS.md (--small: bench/results-small.json and
 * bench/RESULTS-small.md). Everything it started is stopped, and its temporary folders
 * removed, at the end, on failure and on Ctrl-C. WEB_CONCURRENCY sets the server processes on
 * PostgreSQL (default: one, as the app's); BENCH_CPU_PROF=<folder> writes V8 CPU profiles of
 * the server.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { sql } from "kysely";
import pg from "pg";
import { openDatabase, type DB } from "~/modules/db/database.server";
import { prepareDatabase } from "~/modules/db/startup.server";
import { equityReport } from "~/modules/reports/equity.server";
import { passportSummary } from "~/modules/passports/passport-page.server";
import { benchImpact } from "./impact.server";
import { benchUuid, FULL_SCALE, generateBench, SMALL_SCALE, type BenchScale, type GeneratedBench } from "./generate.server";
import { freePort, startPostgres, type BenchPostgres } from "./postgres";
import { API_SLOTS, LIVE_PROVIDERS, LIVE_SLOTS, setUpLive, type Live } from "./live.server";
import { benchCredentials } from "./credentials.server";
import { benchMobile } from "./mobile.server";
import { formatResults, TARGETS } from "./report";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));
const small = args.has("--small");
const scale: BenchScale = small ? SMALL_SCALE : FULL_SCALE;
const CONCURRENCY = [1, 16, 64];
const LOAD_SECONDS = small ? 6 : 15;
const WARMUP_SECONDS = small ? 2 : 4;
const PASSPORT_REQUESTS = 200;
const REPORT_RUNS = 5;
/**
 * Server processes on PostgreSQL: one, the app's default, unless WEB_CONCURRENCY says otherwise.
 * On two cores shared with PostgreSQL and the load client a second process added no throughput
 * (946 vs 930 credits/s at 64 clients, small dataset) and ~180 MB (ADR 0015).
 */
const WEB_CONCURRENCY = Number(process.env.WEB_CONCURRENCY || 1);
/** The per-token rate limit stays on (its cost is measured), set far above what the run sends. */
const RATE_LIMIT_FOR_RUN = 100_000_000;

/**
 * BENCH_PORT_FROM: the first loopback port the run may use (PostgreSQL from there, the servers
 * from 20 above), for a machine where others have ports of their own; by default 56432 and 43000.
 */
const PORT_FROM = Number(process.env.BENCH_PORT_FROM || 0);
const PG_PORT_FROM = PORT_FROM || 56432;
const SERVER_PORT_FROM = PORT_FROM ? PORT_FROM + 20 : 43000;
const MOBILE_PORT_FROM = Number(process.env.MOBILE_PORT_FROM || 58700);
const mobilePorts = (): [number, number] => [MOBILE_PORT_FROM, MOBILE_PORT_FROM + 1];

const log = (line: string) => console.log(line);
const cleanups: Array<() => void | Promise<void>> = [];
let cleaning = false;
async function cleanup() {
  if (cleaning) return;
  cleaning = true;
  for (const task of cleanups.reverse()) {
    try {
      await task();
    } catch (error) {
      console.error("cleanup:", error);
    }
  }
}
/** Last resort on any exit (an uncaught error, a broken pipe): what can be stopped synchronously is. */
const exitHooks: Array<() => void> = [];
process.on("exit", () => {
  for (const hook of exitHooks) {
    try {
      hook();
    } catch {}
  }
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    try {
      console.error(`\n${signal}: stopping the benchmark and cleaning up…`);
    } catch {}
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------
// Statistics

function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return round(sorted[index]!);
}
const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;
function summarise(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? round(sorted.at(-1)!) : null,
  };
}
async function timeRuns<T>(runs: number, work: () => Promise<T>) {
  await work(); // warm-up, not counted
  const samples: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    last = await work();
    samples.push(performance.now() - started);
  }
  return { ...summarise(samples), runs, last: last! };
}

// ---------------------------------------------------------------------------------------
// The server under test

interface Server {
  url: string;
  pid: number;
  process: ChildProcess;
  rss: RssSampler;
  stop: () => Promise<void>;
}

/** RSS of the server: its process and, in cluster mode (WEB_CONCURRENCY), its worker processes. */
class RssSampler {
  /** Peak of the sum over the processes, and the peak of any one process. */
  peakKb = 0;
  peakOneKb = 0;
  atStartKb = 0;
  private timer: NodeJS.Timeout | null = null;
  constructor(private readonly pid: number) {}
  private pids() {
    let children: number[] = [];
    try {
      children = readFileSync(`/proc/${this.pid}/task/${this.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {}
    return [this.pid, ...children];
  }
  read() {
    let rssKb = 0;
    let hwmKb = 0;
    let oneKb = 0;
    for (const pid of this.pids()) {
      try {
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        rssKb += rss;
        oneKb = Math.max(oneKb, rss);
        hwmKb += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      } catch {}
    }
    return { rssKb, hwmKb, oneKb, processes: this.pids().length };
  }
  start() {
    this.timer = setInterval(() => {
      const now = this.read();
      this.peakKb = Math.max(this.peakKb, now.rssKb);
      this.peakOneKb = Math.max(this.peakOneKb, now.oneKb);
    }, 100);
  }
  stopSampling() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
  summary() {
    const now = this.read();
    const mb = (kb: number) => round(kb / 1024, 1);
    return {
      processes: now.processes,
      atStartMb: mb(this.atStartKb),
      peakSampledMb: mb(this.peakKb),
      peakOneProcessMb: mb(this.peakOneKb),
      hwmMb: mb(now.hwmKb),
    };
  }
}

/** What `npm run serve` gives node (the heap cap, the compiled server), so the benchmark runs the server as production does. */
function serveArgs() {
  const script = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.serve ?? "";
  const words = script.trim().split(/\s+/);
  return words.slice(words.indexOf("node") + 1);
}

async function startServer(env: Record<string, string>, label: string): Promise<Server> {
  const port = await freePort(SERVER_PORT_FROM);
  // BENCH_CPU_PROF=<folder> writes a V8 CPU profile of the server (for finding where the time goes).
  const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_CPU_PROF] : [];
  const child = spawn(process.execPath, [...profile, ...serveArgs()], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      API_CREDITS_PER_MINUTE: String(RATE_LIMIT_FOR_RUN),
      // The benchmark's own data only: no demo seeded (it would be refused on the bench's data anyway).
      DEMO: "",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  };
  cleanups.push(stop);
  exitHooks.push(() => child.exitCode === null && child.kill("SIGKILL"));
  const deadline = Date.now() + 180_000;
  while (!output.includes("Pasbort is running")) {
    if (child.exitCode !== null) throw new Error(`The ${label} server stopped while starting:\n${output}`);
    if (Date.now() > deadline) throw new Error(`The ${label} server did not start in 3 minutes:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  log(`  ${label} server (pid ${child.pid}) at http://127.0.0.1:${port}`);
  const rss = new RssSampler(child.pid!);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  rss.atStartKb = rss.read().rssKb;
  rss.start();
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, process: child, rss, stop };
}

// ---------------------------------------------------------------------------------------
// (1) credits through the API

interface LoadResult {
  concurrency: number;
  seconds: number;
  requests: number;
  ok: number;
  errors: number;
  statusCodes: Record<string, number>;
  throughput: number;
  latencyMs: ReturnType<typeof summarise>;
}

/** Request j credits child j % C in API slot ⌊j / C⌋ at provider j % 16: every request a new child × session pair. */
function makeApiPairs(live: Live, children: number) {
  let next = 0;
  const capacity = children * API_SLOTS;
  return {
    capacity: () => capacity - next,
    take() {
      // Past the capacity, pairs repeat: those requests are refused (409) and counted as errors.
      const j = next++ % capacity;
      const provider = j % LIVE_PROVIDERS;
      const slot = Math.floor(j / children);
      return { token: live.tokens[provider]!, sessionId: live.sessions[provider]![slot]!, passport: live.passportTokens[j % children]!, key: `bench-api-${j}` };
    },
  };
}

async function apiLoad(server: Server, pairs: ReturnType<typeof makeApiPairs>, connections: number, seconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  const firstErrors: string[] = [];
  let finish: (result: autocannon.Result) => void = () => {};
  let fail: (error: Error) => void = () => {};
  const done = new Promise<autocannon.Result>((resolve, reject) => ((finish = resolve), (fail = reject)));
  const instance = autocannon(
    {
      url: server.url,
      connections,
      duration: seconds,
      requests: [
        {
          method: "POST",
          path: "/api/v1/credits",
          setupRequest: (request) => {
            const pair = pairs.take();
            return {
              ...request,
              headers: { "content-type": "application/json", authorization: `Bearer ${pair.token}`, "accept-language": "en" },
              body: JSON.stringify({ sessionId: pair.sessionId, passport: pair.passport, idempotencyKey: pair.key }),
            };
          },
        },
      ],
    },
    (error, result) => (error ? fail(error) : finish(result)),
  );
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
  });
  instance.on("reqError", (error: Error) => {
    statusCodes.socket = (statusCodes.socket ?? 0) + 1;
    if (firstErrors.length < 3) firstErrors.push(error.message);
  });
  const result = await done;
  const ok = statusCodes["201"] ?? 0;
  const requests = latencies.length + (statusCodes.socket ?? 0);
  if (firstErrors.length) log(`    errors: ${firstErrors.join("; ")}`);
  return {
    concurrency: connections,
    seconds: round(result.duration, 2),
    requests,
    ok,
    errors: requests - ok + (result.timeouts ?? 0),
    statusCodes,
    throughput: round(ok / result.duration, 1),
    latencyMs: summarise(latencies),
  };
}

// ---------------------------------------------------------------------------------------
// (2) the SQL floor: the ledger's INSERT, nothing else, at the same concurrency

async function floorLoad(
  url: string,
  areaId: string,
  live: Live,
  seed: number,
  children: number,
  connections: number,
  seconds: number,
  offset: { next: number },
) {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  const earnedOn = new Date().toLocaleDateString("en-CA", { timeZone: "Europe/London" });
  const activityIds = live.liveProviderIds.map((_, p) => benchUuid(seed, "activity", p));
  const latencies: number[] = [];
  let errors = 0;
  const capacity = children * (LIVE_SLOTS - API_SLOTS);
  const text = `insert into credit (area_id, child_id, provider_id, activity_id, session_id, quarter_hours, earned_on, method, issued_by, idempotency_key)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                on conflict (area_id, idempotency_scope, idempotency_key) do nothing
                returning id, child_id, session_id, quarter_hours, earned_on`;
  const started = performance.now();
  const until = started + seconds * 1000;
  const worker = async () => {
    const client = await pool.connect();
    try {
      while (performance.now() < until && offset.next < capacity) {
        const j = offset.next++;
        const provider = j % LIVE_PROVIDERS;
        const slot = API_SLOTS + Math.floor(j / children);
        const t = performance.now();
        try {
          const result = await client.query({
            name: "bench-floor-insert",
            text,
            values: [
              areaId,
              benchUuid(seed, "child", j % children),
              live.liveProviderIds[provider],
              activityIds[provider],
              live.sessions[provider]![slot],
              1,
              earnedOn,
              "passport_scan",
              null,
              `bench-floor-${j}`,
            ],
          });
          if (result.rowCount !== 1) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t);
      }
    } finally {
      client.release();
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await pool.end();
  const ok = latencies.length - errors;
  return {
    concurrency: connections,
    seconds: round(elapsed),
    requests: latencies.length,
    ok,
    errors,
    throughput: round(ok / elapsed, 1),
    latencyMs: summarise(latencies),
  };
}

// ---------------------------------------------------------------------------------------
// (3) passport page over HTTP

async function passportPage(server: Server, live: Live, childId: string) {
  const url = `${server.url}/guardian/children/${childId}`;
  const get = async () => {
    const response = await fetch(url, { headers: { cookie: live.cookie, "accept-language": "cy" }, redirect: "manual" });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`The passport page answered ${response.status}: ${body.slice(0, 300)}`);
    return body.length;
  };
  for (let i = 0; i < 20; i++) await get();
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < PASSPORT_REQUESTS; i++) {
    const started = performance.now();
    bytes = await get();
    samples.push(performance.now() - started);
  }
  return { ...summarise(samples), requests: PASSPORT_REQUESTS, bytes };
}

// ---------------------------------------------------------------------------------------
// (4), (5) and the passport loader, in-process

async function inProcess(db: DB, bench: GeneratedBench, s: BenchScale, live: Live) {
  const year = Number(s.endOn.slice(0, 4));
  const from = `${year - 1}-09-01`;
  const to = `${year}-08-31`;
  const equity = await timeRuns(REPORT_RUNS, () => equityReport(db, { areaId: bench.areaId }, { from, to, by: "quintile" }));
  const membership = await db
    .selectFrom("membership")
    .innerJoin("app_user", "app_user.id", "membership.user_id")
    .select(["membership.id", "membership.area_id", "membership.user_id", "membership.role", "membership.school_id", "membership.provider_id"])
    .where("membership.area_id", "=", bench.areaId)
    .where("membership.role", "=", "guardian")
    .executeTakeFirstOrThrow();
  const m = {
    id: membership.id,
    areaId: membership.area_id,
    userId: membership.user_id,
    role: membership.role,
    schoolId: membership.school_id,
    providerId: membership.provider_id,
  };
  const loader = await timeRuns(50, () => passportSummary(db, m as never, bench.heavyChildId));
  const stamps = (loader.last as { stamps: unknown[] }).stamps.length;
  const eligibility = await timeEligibility(db, bench, s, live);
  return {
    equity: { from, to, by: "quintile", ...omitLast(equity), enrolled: equity.last.total.enrolled?.value ?? null, active: equity.last.total.active.value },
    passportLoader: { ...omitLast(loader), stamps },
    eligibility,
  };
}

function omitLast<T extends { last: unknown }>(value: T): Omit<T, "last"> {
  const { last: _last, ...rest } = value;
  return rest;
}

async function timeEligibility(db: DB, bench: GeneratedBench, s: BenchScale, live: Live) {
  const file = path.join(root, "app/modules/graduation/eligibility.server.ts");
  if (!existsSync(file)) return { skipped: "app/modules/graduation/eligibility.server.ts does not exist yet" };
  const module = (await import(file)) as {
    graduationEligibility?: (db: DB, areaId: string, graduationId: string, options?: { schoolId?: string }) => Promise<unknown>;
  };
  if (typeof module.graduationEligibility !== "function") return { skipped: "graduationEligibility is not exported yet" };
  const graduation = await db
    .insertInto("graduation")
    .values({
      area_id: bench.areaId,
      name: "Benchmark graduation",
      held_on: `${s.endOn.slice(0, 4)}-10-15`,
      venue: "Neuadd y Meincnod",
      cutoff_on: s.endOn,
      created_by: live.coordinatorId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const timed = await timeRuns(3, () => module.graduationEligibility!(db, bench.areaId, graduation.id));
  const last = timed.last as unknown;
  const size = Array.isArray(last) ? last.length : Array.isArray((last as { rows?: unknown[] })?.rows) ? (last as { rows: unknown[] }).rows.length : null;
  return { ...omitLast(timed), children: s.children, listed: size };
}

// ---------------------------------------------------------------------------------------

function git(args: string[]) {
  const result = spawnSync("git", args, { cwd: root, encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : null;
}

async function benchPostgres(pgServer: BenchPostgres) {
  const db = await openDatabase({ kind: "postgres", url: pgServer.url, poolSize: 10 });
  cleanups.push(() => db.destroy());
  log("Preparing the database (migrations, LSOAs)…");
  await prepareDatabase(db, { seedDemo: false });
  log(`Generating the dataset (${scale.children} children, ${scale.providers} providers, ${scale.activities} activities, ${scale.credits} credits)…`);
  const started = performance.now();
  const bench = await generateBench(db, scale, log);
  const generateSeconds = round((performance.now() - started) / 1000, 1);
  const size = await sql<{
    db: number;
    credit: number;
  }>`select pg_database_size(current_database())::int8 as db, pg_total_relation_size('credit')::int8 as credit`.execute(db);
  const live = await setUpLive(db, bench, scale);

  log("Equity report, eligibility list and passport loader (in-process)…");
  const measured = await inProcess(db, bench, scale, live);
  log(
    `  equity p50 ${measured.equity.p50} ms; passport loader p50 ${measured.passportLoader.p50} ms; eligibility ${JSON.stringify(measured.eligibility).slice(0, 120)}`,
  );

  const impact = await benchImpact(db, bench.areaId, scale.endOn, log, git(["rev-parse", "HEAD"]));
  const credentials = await benchCredentials(db, bench.areaId, log);

  log("Starting the server on PostgreSQL…");
  const server = await startServer(
    { DATABASE_URL: pgServer.url, CREDENTIAL_KEY_SECRET: "bench-credential-key-secret-0123456789abcdef", WEB_CONCURRENCY: String(WEB_CONCURRENCY) },
    "PostgreSQL",
  );
  log("Passport page over HTTP…");
  const passport = await passportPage(server, live, bench.heavyChildId);
  log(`  p50 ${passport.p50} ms, p95 ${passport.p95} ms`);
  const passportTypical = live.typicalChildId ? await passportPage(server, live, live.typicalChildId) : null;
  if (passportTypical) log(`  a child with 50 credits: p50 ${passportTypical.p50} ms, p95 ${passportTypical.p95} ms`);

  const pairs = makeApiPairs(live, scale.children);
  log(`Warm-up: ${WARMUP_SECONDS} s at 16 clients…`);
  const warmup = await apiLoad(server, pairs, 16, WARMUP_SECONDS);
  const api: LoadResult[] = [];
  for (const c of CONCURRENCY) {
    const result = await apiLoad(server, pairs, c, LOAD_SECONDS);
    log(
      `  API ${c} clients: ${result.throughput}/s, p50 ${result.latencyMs.p50} p95 ${result.latencyMs.p95} p99 ${result.latencyMs.p99} ms, errors ${result.errors} ${JSON.stringify(result.statusCodes)}`,
    );
    api.push(result);
  }
  server.rss.stopSampling();
  const rss = { ...server.rss.summary(), webConcurrency: WEB_CONCURRENCY, pool: Number(process.env.DATABASE_POOL_SIZE ?? 10) };
  log(`  server RSS peak ${rss.peakSampledMb} MB over ${rss.processes} processes (one process at most ${rss.peakOneProcessMb} MB)`);
  await server.stop();
  // The same API with the per-token limit off: what counting every scan in PostgreSQL (shared
  // by every app server, ADR 0028) costs, measured in the same run.
  log("The API with the per-token limit off (API_CREDITS_PER_MINUTE=0), for the limit's cost…");
  const unlimitedServer = await startServer(
    {
      DATABASE_URL: pgServer.url,
      CREDENTIAL_KEY_SECRET: "bench-credential-key-secret-0123456789abcdef",
      WEB_CONCURRENCY: String(WEB_CONCURRENCY),
      API_CREDITS_PER_MINUTE: "0",
    },
    "PostgreSQL, no limit",
  );
  const unlimitedWarmup = await apiLoad(unlimitedServer, pairs, 16, WARMUP_SECONDS);
  const apiWithoutLimit: LoadResult[] = [];
  for (const c of CONCURRENCY.filter((c) => c > 1)) {
    const result = await apiLoad(unlimitedServer, pairs, c, LOAD_SECONDS);
    log(`  API without the limit, ${c} clients: ${result.throughput}/s, p50 ${result.latencyMs.p50} p99 ${result.latencyMs.p99} ms, errors ${result.errors}`);
    apiWithoutLimit.push(result);
  }
  unlimitedServer.rss.stopSampling();
  await unlimitedServer.stop();
  const floor: Awaited<ReturnType<typeof floorLoad>>[] = [];
  const offset = { next: 0 };
  for (const c of CONCURRENCY) {
    const result = await floorLoad(pgServer.url, bench.areaId, live, scale.seed, scale.children, c, LOAD_SECONDS, offset);
    log(
      `  SQL floor ${c} clients: ${result.throughput}/s, p50 ${result.latencyMs.p50} p95 ${result.latencyMs.p95} p99 ${result.latencyMs.p99} ms, errors ${result.errors}`,
    );
    floor.push(result);
  }
  const issued = await sql<{ n: number }>`select count(*)::int as n from credit where area_id = ${bench.areaId} and idempotency_key like 'bench-api-%'`.execute(
    db,
  );
  const apiOk = api.reduce((sum, r) => sum + r.ok, 0) + apiWithoutLimit.reduce((sum, r) => sum + r.ok, 0) + unlimitedWarmup.ok;
  const floorAt = (c: number) => floor.find((r) => r.concurrency === c)?.throughput;
  return {
    dataset: {
      ...scale,
      schools: bench.schools,
      sessions: bench.sessions,
      lsoas: bench.lsoas,
      generateSeconds,
      generateSteps: bench.timings,
      databaseMb: round(size.rows[0]!.db / 2 ** 20, 0),
      creditTableMb: round(size.rows[0]!.credit / 2 ** 20, 0),
    },
    api,
    // Every 201 answered (warm-up included) is a credit in the ledger, and no other API credit is.
    apiCreditsInLedger: issued.rows[0]!.n,
    apiCreditsAnswered201: apiOk + warmup.ok,
    floor,
    ratio: api.map((r, i) => ({ concurrency: r.concurrency, apiOverFloor: floor[i]!.throughput ? round(r.throughput / floor[i]!.throughput, 3) : null })),
    apiWithoutLimit,
    ratioWithoutLimit: apiWithoutLimit.map((r) => ({
      concurrency: r.concurrency,
      apiOverFloor: floorAt(r.concurrency) ? round(r.throughput / floorAt(r.concurrency)!, 3) : null,
    })),
    passportPage: passport,
    passportPage50Credits: passportTypical,
    ...measured,
    credentials: { measuredAt: new Date().toISOString(), commit: git(["rev-parse", "HEAD"]), ...credentials },
    impact,
    serverMemory: rss,
  };
}

/** `--only-credentials`: the Open Badges part alone, merged into the last results of this mode. */
async function onlyCredentials() {
  const pgServer = await startPostgres(log, { fromPort: Number(process.env.PG_PORT || 58600) });
  cleanups.push(() => pgServer.stop());
  exitHooks.push(() => pgServer.stop());
  const db = await openDatabase({ kind: "postgres", url: pgServer.url, poolSize: 4 });
  cleanups.push(() => db.destroy());
  await prepareDatabase(db, { seedDemo: false });
  const bench = await generateBench(
    db,
    { ...SMALL_SCALE, children: 600, providers: 5, activities: 20, credits: 2000, heavyChildren: 1, heavyCredits: 100 },
    log,
  );
  const credentials = await benchCredentials(db, bench.areaId, log);
  const file = small ? "results-small" : "results";
  const jsonPath = path.join(root, "bench", `${file}.json`);
  if (!existsSync(jsonPath)) throw new Error(`--only-credentials adds to bench/${file}.json, which does not exist yet: run the whole bench first.`);
  const results = JSON.parse(readFileSync(jsonPath, "utf8")) as { postgres: Record<string, unknown> };
  results.postgres.credentials = {
    measuredAt: new Date().toISOString(),
    commit: git(["rev-parse", "HEAD"]),
    loadAverageAtStart: os.loadavg().map((v) => round(v)),
    ...credentials,
  };
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(root, "bench", small ? "RESULTS-small.md" : "RESULTS.md"), formatResults(results));
  log(`Written the Open Badges numbers into bench/${file}.json and bench/${small ? "RESULTS-small.md" : "RESULTS.md"}.`);
}

/** `--only-impact`: the impact report alone (issue 21), on this mode's dataset, merged into the last results of this mode. */
async function onlyImpact() {
  const file = small ? "results-small" : "results";
  const jsonPath = path.join(root, "bench", `${file}.json`);
  if (!existsSync(jsonPath)) throw new Error(`--only-impact adds to bench/${file}.json, which does not exist yet: run the whole bench first.`);
  const pgServer = await startPostgres(log, { fromPort: Number(process.env.PG_PORT || 58600) });
  cleanups.push(() => pgServer.stop());
  exitHooks.push(() => pgServer.stop());
  const db = await openDatabase({ kind: "postgres", url: pgServer.url, poolSize: 10 });
  cleanups.push(() => db.destroy());
  await prepareDatabase(db, { seedDemo: false });
  log(`Generating the dataset (${scale.children} children, ${scale.credits} credits)…`);
  const bench = await generateBench(db, scale, log);
  const impact = await benchImpact(db, bench.areaId, scale.endOn, log, git(["rev-parse", "HEAD"]));
  const results = JSON.parse(readFileSync(jsonPath, "utf8")) as { postgres: Record<string, unknown> };
  results.postgres.impact = impact;
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(root, "bench", small ? "RESULTS-small.md" : "RESULTS.md"), formatResults(results));
  log(`Written the impact report's numbers into bench/${file}.json and bench/${small ? "RESULTS-small.md" : "RESULTS.md"}.`);
}

/** `--only-mobile`: the phone part alone (issue 18), merged into the last results of this mode. */
async function onlyMobile() {
  if (!args.has("--no-build")) {
    const build = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
    if (build.status !== 0) throw new Error("npm run build failed.");
  }
  const file = small ? "results-small" : "results";
  const jsonPath = path.join(root, "bench", `${file}.json`);
  if (!existsSync(jsonPath)) throw new Error(`--only-mobile adds to bench/${file}.json, which does not exist yet: run the whole bench first.`);
  const loadAverageAtStart = os.loadavg().map((v) => round(v));
  const mobile = await benchMobile(root, log, { ports: mobilePorts() });
  const results = JSON.parse(readFileSync(jsonPath, "utf8")) as Record<string, unknown>;
  // The runs before stay beside it (the ratio moves with the machine's load: one run says little).
  if (results.mobile) results.mobileEarlier = [results.mobile, ...((results.mobileEarlier as unknown[] | undefined) ?? [])].slice(0, 8);
  results.mobile = { ...mobile, commit: git(["rev-parse", "HEAD"]), loadAverageAtStart };
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(root, "bench", small ? "RESULTS-small.md" : "RESULTS.md"), formatResults(results));
  log(`Written the phone numbers into bench/${file}.json and bench/${small ? "RESULTS-small.md" : "RESULTS.md"}.`);
}

async function benchPglite() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pasbort-bench-pglite-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  exitHooks.push(() => rmSync(dir, { recursive: true, force: true }));
  const s = SMALL_SCALE;
  let db: DB | null = await openDatabase({ kind: "pglite", dir });
  log(`PGlite in ${dir}: preparing and generating the --small dataset…`);
  await prepareDatabase(db, { seedDemo: false });
  const started = performance.now();
  const bench = await generateBench(db, s, log);
  const generateSeconds = round((performance.now() - started) / 1000, 1);
  const live = await setUpLive(db, bench, s);
  const measured = await inProcess(db, bench, s, live);
  log(`  equity p50 ${measured.equity.p50} ms; passport loader p50 ${measured.passportLoader.p50} ms`);
  await db.destroy();
  db = null;
  // The app claims a PGlite folder with a pid file released at exit (folder-lock.server.ts): this process is done with it.
  const lock = path.join(dir, "pasbort.pid");
  if (existsSync(lock) && readFileSync(lock, "utf8").trim() === String(process.pid)) rmSync(lock);
  const server = await startServer({ PGLITE_DIR: dir, DATABASE_URL: "", WEB_CONCURRENCY: "1" }, "PGlite");
  const passport = await passportPage(server, live, bench.heavyChildId);
  log(`  passport page p50 ${passport.p50} ms, p95 ${passport.p95} ms`);
  const pairs = makeApiPairs(live, s.children);
  await apiLoad(server, pairs, 16, 2);
  const api: LoadResult[] = [];
  for (const c of CONCURRENCY) {
    const result = await apiLoad(server, pairs, c, small ? 5 : 8);
    log(
      `  PGlite API ${c} clients: ${result.throughput}/s, p50 ${result.latencyMs.p50} p95 ${result.latencyMs.p95} p99 ${result.latencyMs.p99} ms, errors ${result.errors} ${JSON.stringify(result.statusCodes)}`,
    );
    api.push(result);
  }
  server.rss.stopSampling();
  const rss = server.rss.summary();
  await server.stop();
  return { dataset: { ...s, sessions: bench.sessions, generateSeconds }, api, passportPage: passport, ...measured, serverMemory: rss };
}

async function main() {
  const startedAt = new Date();
  if (!args.has("--no-build")) {
    log("Building the app (npm run build)…");
    const build = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
    if (build.status !== 0) throw new Error("npm run build failed.");
  } else if (!existsSync(path.join(root, "build/index.js"))) {
    throw new Error("--no-build: there is no build/index.js; run npm run build first.");
  }
  const pgServer = await startPostgres(log, { fromPort: PG_PORT_FROM });
  cleanups.push(() => pgServer.stop());
  exitHooks.push(() => pgServer.stop());
  const postgres = await benchPostgres(pgServer);
  const pglite = args.has("--no-pglite") ? null : await benchPglite();
  log("The main pages in Chromium's mobile profile, beside plain HTML and CSS…");
  const mobileLoadAverage = os.loadavg().map((v) => round(v));
  const mobile = { ...(await benchMobile(root, log, { ports: mobilePorts() })), commit: git(["rev-parse", "HEAD"]), loadAverageAtStart: mobileLoadAverage };
  const cpus = os.cpus();
  const results = {
    date: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    mode: small ? "small" : "full",
    commit: git(["rev-parse", "HEAD"]),
    workingTreeChanged: (git(["status", "--porcelain"]) ?? "").length > 0,
    machine: {
      cores: cpus.length,
      cpuModel: cpus[0]?.model ?? null,
      memoryGb: round(os.totalmem() / 2 ** 30, 1),
      loadAverageAtStart: os.loadavg().map((v) => round(v)),
      node: process.version,
      platform: `${os.type()} ${os.release()}`,
    },
    postgresql: {
      version: pgServer.version,
      settings: pgServer.settings,
      appPoolSize: Number(process.env.DATABASE_POOL_SIZE ?? 10),
      webConcurrency: WEB_CONCURRENCY,
      nodeArgs: serveArgs(),
    },
    method: {
      loadSeconds: LOAD_SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      rateLimitPerMinute: RATE_LIMIT_FOR_RUN,
      liveProviders: LIVE_PROVIDERS,
      passportRequests: PASSPORT_REQUESTS,
      reportRuns: REPORT_RUNS,
    },
    targets: TARGETS,
    postgres,
    pglite,
    mobile,
  };
  const file = small ? "results-small" : "results";
  const previousPath = path.join(root, "bench", `${file}.json`);
  const previous = existsSync(previousPath) ? (JSON.parse(readFileSync(previousPath, "utf8")) as { mobile?: unknown; mobileEarlier?: unknown[] }) : null;
  const withHistory = previous?.mobile ? { ...results, mobileEarlier: [previous.mobile, ...(previous.mobileEarlier ?? [])].slice(0, 8) } : results;
  writeFileSync(path.join(root, "bench", `${file}.json`), `${JSON.stringify(withHistory, null, 2)}\n`);
  writeFileSync(path.join(root, "bench", small ? "RESULTS-small.md" : "RESULTS.md"), formatResults(withHistory));
  log(`Written bench/${file}.json and bench/${small ? "RESULTS-small.md" : "RESULTS.md"}.`);
}

(args.has("--only-credentials") ? onlyCredentials() : args.has("--only-mobile") ? onlyMobile() : args.has("--only-impact") ? onlyImpact() : main())
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
