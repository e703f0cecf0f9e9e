/**
 * The topology test (issue 20): Pasbort past one machine, with the real components, each
 * started here on loopback ports of its own (from TOPOLOGY_PORT_FROM, default 57500):
 *
 *   client ── nginx (HTTP and HTTPS) ──┬── app server A ──┐
 *                                      └── app server B ──┴── PgBouncer (transaction mode) ── primary
 *                                                          └── reports ── streaming replica (pg_basebackup)
 *
 * It signs in through nginx (HTTPS detected from X-Forwarded-Proto, the client's address from
 * X-Forwarded-For with TRUST_PROXY=1), reads signed-in pages from both servers with one session,
 * counts one token's requests to both servers against one limit, issues credits through
 * either server, reads the report from the replica (a new credit shows once replayed, not
 * before; a replica paused past REPORTS_MAX_LAG_SECONDS hands reports to the primary), kills
 * one app server and keeps serving, stops the replica and keeps serving reports from the
 * primary, and checks that every acknowledged credit is in the ledger exactly once.
 *
 * Run: `npx tsx scripts/topology-test.ts` (builds the app first if there is no build). Needs
 * PostgreSQL's server binaries, pgbouncer, nginx and openssl; without them it skips, loudly,
 * except in CI (CI=true), where it fails. `.ci/run` installs them and runs it.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { parse as parseCsv } from "csv-parse/sync";
import { sql } from "kysely";
import pg from "pg";
import { API_TOKEN_PREFIX } from "~/modules/accounts/api-tokens.server";
import { hashPassword } from "~/modules/accounts/password.server";
import { hashSecretToken, newSecretToken } from "~/modules/accounts/secret-token.server";
import { ukDate } from "~/modules/activities/uk-time.server";
import { openDatabase, type DB } from "~/modules/db/database.server";
import { equityReport } from "~/modules/reports/equity.server";
import { academicYearOf } from "~/modules/reports/published-periods";
import { projectPath } from "~/modules/project-path.server";
import { generateBench, type BenchScale } from "../bench/generate.server";
import { LIVE_PROVIDERS, setUpLive } from "../bench/live.server";
import { findPgBin, freePort, startPostgres } from "../bench/postgres";
import { buildIfMissing } from "./built-server";

const CI = process.env.CI === "true" || process.env.CI === "1";
const PORT_FROM = Number(process.env.TOPOLOGY_PORT_FROM || 57500);
const ROOT = process.getuid?.() === 0;
/** The per-token limit both app servers share. */
const LIMIT = 40;
/** How far behind the replica may be before reports read the primary. */
const MAX_LAG_SECONDS = 6;
/** A tiny dataset: enough children and sessions for every credit to be a new child × session pair. */
const SCALE: BenchScale = {
  children: 400,
  providers: 20,
  activities: 40,
  credits: 2_000,
  years: 1,
  seed: 20,
  endOn: "2026-08-31",
  heavyChildren: 1,
  heavyCredits: 20,
};
/** The client's own loopback address, the proxy's another: the app must see the client's. */
const CLIENT_ADDRESS = "127.0.0.2";
const PROXY_ADDRESS = "127.0.0.3";

const started = Date.now();
const log = (line: string) => console.log(`[topology ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);
const cleanups: Array<() => void | Promise<void>> = [];

function fail(message: string): never {
  throw new Error(message);
}
function check(condition: unknown, message: string): asserts condition {
  if (!condition) fail(message);
}

// ---------------------------------------------------------------------------------------
// Processes

function which(name: string, candidates: string[]) {
  for (const candidate of candidates) if (existsSync(candidate)) return candidate;
  const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : null;
}

/** As the postgres user when root (PostgreSQL and PgBouncer refuse root), else as ourselves. */
function asPostgres(args: string[]) {
  const command = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const result = ROOT ? spawnSync("su", ["postgres", "-c", command], { encoding: "utf8" }) : spawnSync(args[0]!, args.slice(1), { encoding: "utf8" });
  if (result.status !== 0) fail(`${path.basename(args[0]!)} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

/** A temporary folder the postgres user owns. */
function folderForPostgres(name: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `pasbort-topology-${name}-`));
  if (ROOT) {
    const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
    chownSync(dir, id("-u"), id("-g"));
  }
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function pidFrom(file: string) {
  return Number(readFileSync(file, "utf8").trim().split("\n")[0]);
}

function stopPid(file: string, signal: NodeJS.Signals) {
  try {
    process.kill(pidFrom(file), signal);
  } catch {}
}

async function until<T>(
  what: string | (() => string),
  attempt: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await attempt();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      fail(`Timed out waiting for ${typeof what === "string" ? what : what()}${lastError ? ` (last error: ${String(lastError)})` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// ---------------------------------------------------------------------------------------
// HTTP from the client's own address

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const target = new URL(url);
  const transport = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      target,
      {
        method: options.method ?? "GET",
        headers: { ...(options.body ? { "Content-Length": String(Buffer.byteLength(options.body)) } : {}), ...options.headers },
        localAddress: CLIENT_ADDRESS,
        agent: false,
        // nginx's certificate is made for this run (self-signed).
        rejectUnauthorized: false,
        timeout: 30_000,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

// ---------------------------------------------------------------------------------------

interface AppServer {
  name: string;
  port: number;
  child: ChildProcess;
  output: () => string;
}

function startApp(name: string, port: number, env: Record<string, string>): AppServer {
  const child = spawn(process.execPath, ["--max-old-space-size=192", projectPath("build/server/server.js")], {
    cwd: projectPath(),
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return { name, port, child, output: () => output };
}

async function main() {
  const pgBin = findPgBin();
  const tools = {
    initdb: pgBin && existsSync(path.join(pgBin, "initdb")) ? path.join(pgBin, "initdb") : null,
    pg_basebackup: pgBin && existsSync(path.join(pgBin, "pg_basebackup")) ? path.join(pgBin, "pg_basebackup") : null,
    pgbouncer: which("pgbouncer", ["/usr/sbin/pgbouncer"]),
    nginx: which("nginx", ["/usr/sbin/nginx"]),
    openssl: which("openssl", ["/usr/bin/openssl"]),
  };
  const missing = Object.entries(tools)
    .filter(([, found]) => !found)
    .map(([name]) => name);
  if (missing.length) {
    const message = `The topology test needs ${missing.join(", ")} (Debian: apt-get install postgresql pgbouncer nginx openssl).`;
    if (CI) fail(`${message} CI must have them (.ci/run installs them).`);
    console.error(
      `\n${"!".repeat(100)}\n!! SKIPPED: ${message}\n!! Not tested here: PgBouncer, the streaming replica, nginx and two app servers together.\n${"!".repeat(100)}\n`,
    );
    return;
  }
  const pgCtl = path.join(pgBin!, "pg_ctl");
  buildIfMissing();

  // Ports of our own, each the next free one from TOPOLOGY_PORT_FROM.
  const taken = new Set<number>();
  const nextPort = async () => {
    let from = PORT_FROM;
    for (;;) {
      const port = await freePort(from);
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
      from = port + 1;
    }
  };

  // --- The primary, and a streaming replica made from it with pg_basebackup.
  const primary = await startPostgres(log, {
    fromPort: await nextPort(),
    name: "pasbort-topology-primary",
    settings: { fsync: "off", max_connections: "100", wal_level: "replica", max_wal_senders: "4", shared_buffers: "128MB", jit: "off" },
  });
  taken.add(primary.port);
  cleanups.push(() => primary.stop());
  const replicaPort = await nextPort();
  const replicaDir = folderForPostgres("replica");
  asPostgres([tools.pg_basebackup!, "-h", "127.0.0.1", "-p", String(primary.port), "-U", "postgres", "-D", replicaDir, "-R", "-X", "stream", "-c", "fast"]);
  const replicaStart = [
    pgCtl,
    "-D",
    replicaDir,
    "-l",
    path.join(replicaDir, "server.log"),
    "-w",
    "-o",
    `-p ${replicaPort} -c listen_addresses=127.0.0.1 -k ${replicaDir} -c hot_standby=on`,
    "start",
  ];
  asPostgres(replicaStart);
  let replicaRunning = true;
  cleanups.push(() => {
    if (replicaRunning)
      spawnSync(
        ROOT ? "su" : pgCtl,
        ROOT ? ["postgres", "-c", `${pgCtl} -D ${replicaDir} -m immediate -w stop`] : ["-D", replicaDir, "-m", "immediate", "-w", "stop"],
      );
  });
  const replicaUrl = `postgres://postgres@127.0.0.1:${replicaPort}/postgres`;
  const replica = new pg.Pool({ connectionString: replicaUrl, max: 2 });
  replica.on("error", () => {});
  cleanups.push(() => replica.end().catch(() => {}));
  const recovering = await replica.query<{ r: boolean }>("select pg_is_in_recovery() as r");
  check(recovering.rows[0]!.r, "The replica is not in recovery: pg_basebackup -R did not make a standby.");
  log(`primary on ${primary.port}, streaming replica on ${replicaPort} (pg_basebackup)`);

  // --- PgBouncer in transaction mode in front of the primary.
  const bouncerPort = await nextPort();
  const bouncerDir = folderForPostgres("pgbouncer");
  writeFileSync(path.join(bouncerDir, "userlist.txt"), `"postgres" ""\n`);
  writeFileSync(
    path.join(bouncerDir, "pgbouncer.ini"),
    [
      "[databases]",
      `pasbort = host=127.0.0.1 port=${primary.port} dbname=postgres`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${bouncerPort}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${bouncerDir}/userlist.txt`,
      "pool_mode = transaction",
      "max_client_conn = 200",
      "default_pool_size = 8",
      // node-postgres sends no other start-up parameter; the app's "-c jit=off" is set on the database instead (docs/operations.md).
      "ignore_startup_parameters = options",
      `logfile = ${bouncerDir}/pgbouncer.log`,
      `pidfile = ${bouncerDir}/pgbouncer.pid`,
      "",
    ].join("\n"),
  );
  if (ROOT) spawnSync("chown", ["-R", "postgres:postgres", bouncerDir]);
  asPostgres([tools.pgbouncer!, "-d", path.join(bouncerDir, "pgbouncer.ini")]);
  cleanups.push(() => stopPid(path.join(bouncerDir, "pgbouncer.pid"), "SIGINT"));
  const admin = new pg.Pool({ connectionString: primary.url, max: 2 });
  admin.on("error", () => {});
  cleanups.push(() => admin.end().catch(() => {}));
  await admin.query("alter database postgres set jit = off");
  log(`PgBouncer (transaction mode) on ${bouncerPort}`);

  // --- Two app servers, started at once: both migrate through PgBouncer (one waits for the other's lock).
  const appPorts = [await nextPort(), await nextPort()];
  const appEnv = {
    DATABASE_URL: `postgres://postgres@127.0.0.1:${bouncerPort}/pasbort`,
    DATABASE_POOL_SIZE: "4",
    REPORTS_DATABASE_URL: replicaUrl,
    REPORTS_MAX_LAG_SECONDS: String(MAX_LAG_SECONDS),
    TRUST_PROXY: "1",
    PUBLIC_URL: "https://pasbort.test",
    CREDENTIAL_KEY_SECRET: "topology-test-credential-key-secret-0123456789",
    API_CREDITS_PER_MINUTE: String(LIMIT),
  };
  const apps = [startApp("A", appPorts[0]!, appEnv), startApp("B", appPorts[1]!, appEnv)];
  for (const app of apps) {
    await until(
      `app server ${app.name} to start`,
      () => {
        if (app.child.exitCode !== null) fail(`App server ${app.name} stopped while starting:\n${app.output()}`);
        return app.output().includes("Pasbort is running");
      },
      180_000,
    );
  }
  // Both migrated through PgBouncer at once: the migrations' lock went with their transaction (no session lock left behind).
  const advisory = await admin.query<{ n: number }>("select count(*)::int as n from pg_locks where locktype = 'advisory'");
  check(advisory.rows[0]!.n === 0, `${advisory.rows[0]!.n} advisory locks are still held after the migrations ran through PgBouncer`);
  log(`app servers A on ${appPorts[0]} and B on ${appPorts[1]}, both through PgBouncer (both migrated, no lock left behind)`);

  // --- nginx in front, over HTTP and HTTPS (a certificate made for the run).
  const nginxDir = folderForPostgres("nginx");
  const [httpPort, httpsPort] = [await nextPort(), await nextPort()];
  spawnSync(tools.openssl!, [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=pasbort.test",
    "-days",
    "1",
    "-keyout",
    path.join(nginxDir, "key.pem"),
    "-out",
    path.join(nginxDir, "cert.pem"),
  ]);
  writeFileSync(
    path.join(nginxDir, "nginx.conf"),
    `worker_processes 1;
pid ${nginxDir}/nginx.pid;
error_log ${nginxDir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${nginxDir}/body;
  proxy_temp_path ${nginxDir}/proxy;
  fastcgi_temp_path ${nginxDir}/fastcgi;
  uwsgi_temp_path ${nginxDir}/uwsgi;
  scgi_temp_path ${nginxDir}/scgi;
  upstream pasbort {
    server 127.0.0.1:${appPorts[0]} max_fails=1 fail_timeout=30s;
    server 127.0.0.1:${appPorts[1]} max_fails=1 fail_timeout=30s;
  }
  proxy_set_header Host $host;
  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto $scheme;
  proxy_bind ${PROXY_ADDRESS};
  proxy_next_upstream error timeout;
  # Which app server answered: for this test only.
  add_header X-Upstream $upstream_addr always;
  server {
    listen 127.0.0.1:${httpPort};
    location / { proxy_pass http://pasbort; }
  }
  server {
    listen 127.0.0.1:${httpsPort} ssl;
    ssl_certificate ${nginxDir}/cert.pem;
    ssl_certificate_key ${nginxDir}/key.pem;
    location / { proxy_pass http://pasbort; }
  }
}
`,
  );
  if (ROOT) spawnSync("chown", ["-R", "postgres:postgres", nginxDir]);
  asPostgres([tools.nginx!, "-p", nginxDir, "-e", path.join(nginxDir, "error.log"), "-c", path.join(nginxDir, "nginx.conf")]);
  cleanups.push(() => stopPid(path.join(nginxDir, "nginx.pid"), "SIGTERM"));
  const viaHttp = `http://127.0.0.1:${httpPort}`;
  const viaHttps = `https://127.0.0.1:${httpsPort}`;
  await until("nginx to answer", async () => (await request(`${viaHttp}/healthz`)).status === 200);
  log(`nginx on ${httpPort} (HTTP) and ${httpsPort} (HTTPS)`);

  // --- Data, written straight to the primary: a small area, 16 providers with tokens and sessions, a coordinator who signs in.
  const db: DB = await openDatabase({ kind: "postgres", url: primary.url, poolSize: 3 });
  cleanups.push(() => db.destroy());
  // The report as the app publishes it from each database (rounded by the disclosure layer), to compare pages with.
  const replicaDb: DB = await openDatabase({ kind: "postgres", url: replicaUrl, poolSize: 2 });
  cleanups.push(() => replicaDb.destroy());
  const bench = await generateBench(db, SCALE);
  const live = await setUpLive(db, bench, SCALE);
  const password = "topology-heather-moor-kestrel-42";
  const coordinator = await db
    .insertInto("app_user")
    .values({ email: "coordinator@topology.test", display_name: "Coordinator", password_hash: await hashPassword(password), preferred_language: "en" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("membership").values({ area_id: bench.areaId, user_id: coordinator.id, role: "coordinator" }).execute();
  const limitToken = `${API_TOKEN_PREFIX}${newSecretToken()}`;
  const limitTokenRow = await db
    .insertInto("api_token")
    .values({
      area_id: bench.areaId,
      provider_id: live.liveProviderIds[0]!,
      name: "limit",
      token_hash: hashSecretToken(limitToken),
      token_hint: limitToken.slice(-4),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  log(`data: ${SCALE.children} children, ${LIVE_PROVIDERS} providers with tokens and sessions`);

  // --- 1. Signing in through nginx: HTTPS seen through X-Forwarded-Proto, the client's own address through X-Forwarded-For.
  const signInBody = (pw: string) => new URLSearchParams({ email: "coordinator@topology.test", password: pw, redirectTo: "" }).toString();
  const form = { "Content-Type": "application/x-www-form-urlencoded" };
  const wrong = await request(`${viaHttps}/login`, {
    method: "POST",
    headers: { ...form, "X-Forwarded-For": "203.0.113.9" },
    body: signInBody("not-the-password"),
  });
  check(wrong.status === 400 || wrong.status === 401, `A wrong password through nginx answered ${wrong.status}`);
  const keys = (await db.selectFrom("rate_limit").select("key").execute()).map((row) => row.key);
  check(keys.includes(`sign-in:address:${CLIENT_ADDRESS}`), `The sign-in limit did not count the client's address ${CLIENT_ADDRESS}: ${keys.join(", ")}`);
  check(
    !keys.some((key) => key.includes(PROXY_ADDRESS) || key.includes("203.0.113.9")),
    `The sign-in limit counted nginx's or a forged address: ${keys.join(", ")}`,
  );
  const signedIn = await request(`${viaHttps}/login`, { method: "POST", headers: form, body: signInBody(password) });
  check(signedIn.status === 303 || signedIn.status === 302, `Signing in through nginx answered ${signedIn.status}: ${signedIn.body.slice(0, 300)}`);
  const setCookie = [signedIn.headers["set-cookie"] ?? []].flat();
  const sessionCookie = setCookie.find((cookie) => /^pasbort_session=/.test(cookie));
  check(
    sessionCookie && /;\s*Secure/i.test(sessionCookie) && /;\s*HttpOnly/i.test(sessionCookie),
    `The session cookie is not Secure and HttpOnly: ${setCookie.join(" | ")}`,
  );
  check(
    String(signedIn.headers["strict-transport-security"] ?? "").startsWith("max-age="),
    "No HSTS header on an answer that came over HTTPS (X-Forwarded-Proto: https)",
  );
  const plain = await request(`${viaHttp}/healthz`);
  check(!plain.headers["strict-transport-security"], "HSTS sent on an answer over plain HTTP");
  const cookie = sessionCookie.split(";")[0]!;
  // No sticky sessions: the one cookie works on both app servers.
  const upstreams = new Set<string>();
  for (let i = 0; i < 6; i++) {
    const page = await request(`${viaHttps}/reports/equity`, { headers: { Cookie: cookie } });
    check(page.status === 200, `The equity report page through nginx answered ${page.status}`);
    upstreams.add(String(page.headers["x-upstream"]));
  }
  check(upstreams.size === 2, `The signed-in pages were served by ${[...upstreams].join(", ")}, not both app servers`);
  log("signed in through nginx (HTTPS from X-Forwarded-Proto, client address from X-Forwarded-For); one session on both servers");

  // --- 2. One limit across both servers: LIMIT requests allowed in all, whichever server takes them.
  const limitStatuses: number[] = [];
  for (let i = 0; i < LIMIT + 6; i++) {
    const server = `http://127.0.0.1:${appPorts[i % 2]}`;
    const answer = await request(`${server}/api/v1/credits`, {
      method: "POST",
      headers: { Authorization: `Bearer ${limitToken}`, "Content-Type": "application/json" },
      body: "{}",
    });
    limitStatuses.push(answer.status);
  }
  const limited = limitStatuses.filter((status) => status === 429).length;
  check(
    limited === 6 && limitStatuses.slice(0, LIMIT).every((status) => status === 400),
    `Across both servers the limit of ${LIMIT} let through ${limitStatuses.length - limited}: ${limitStatuses.join(",")}`,
  );
  const counted = await db.selectFrom("rate_limit").select("attempts").where("key", "=", `api-credits:${limitTokenRow.id}`).executeTakeFirstOrThrow();
  check(counted.attempts === LIMIT + 6, `The shared count is ${counted.attempts}, not ${LIMIT + 6}`);
  log(`one token's limit of ${LIMIT} a minute held across both servers (${LIMIT} answered, 6 refused with 429)`);

  // --- Credits: each a new child × session pair, sent until acknowledged with the same key (as the scanner retries).
  const acked = new Map<string, string>();
  let nextPair = 0;
  const provider0Pairs = () => {
    // Provider 0's sessions: child c, slot s. Each child once per slot.
    const j = nextPair++;
    return { provider: 0, slot: Math.floor(j / 100), child: j % 100 };
  };
  const creditThrough = async (base: string, pair: { provider: number; slot: number; child: number }) => {
    const key = `topology-${pair.provider}-${pair.slot}-${pair.child}-${randomUUID()}`;
    const body = JSON.stringify({ sessionId: live.sessions[pair.provider]![pair.slot]!, passport: live.passportTokens[pair.child]!, idempotencyKey: key });
    for (let attempt = 0; ; attempt++) {
      const answer = await request(`${base}/api/v1/credits`, {
        method: "POST",
        headers: { Authorization: `Bearer ${live.tokens[pair.provider]!}`, "Content-Type": "application/json" },
        body,
      }).catch((error: Error) => ({ status: 0, headers: {}, body: error.message }) as Answer);
      if (answer.status === 201 || answer.status === 200) {
        const credit = JSON.parse(answer.body) as { credit: { id: string } };
        acked.set(key, credit.credit.id);
        return { upstream: String(answer.headers["x-upstream"] ?? base) };
      }
      // 502/503 or a dropped connection while a server stops: the scanner sends the same key again.
      if (![0, 502, 503, 504].includes(answer.status) || attempt > 50) fail(`A credit answered ${answer.status}: ${answer.body.slice(0, 300)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  // The coordinator's equity report over this academic year, as its CSV (the page's figures), through nginx.
  const today = ukDate(new Date());
  const yearStart = academicYearOf(today).from;
  const reportedHours = async () => {
    const query = new URLSearchParams({ from: yearStart, to: today, by: "quintile" });
    const answer = await request(`${viaHttps}/reports/equity.csv?${query}`, { headers: { Cookie: cookie, "Accept-Language": "en" } });
    check(answer.status === 200, `The report through nginx answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    const [header, ...rows] = parseCsv(answer.body, { bom: true, relax_column_count: true }) as string[][];
    const column = header!.indexOf("Hours");
    const total = rows.find((row) => row[0] === "Total");
    check(column > 0 && total, `The report's CSV has no Hours column or Total row:\n${answer.body.slice(0, 500)}`);
    return total[column] ? Number(total[column]) : null;
  };
  const publishedHours = async (on: DB) =>
    (await equityReport(on, { areaId: bench.areaId }, { from: yearStart, to: today, by: "quintile" })).total.hours as number | null;
  const ledgerHours = async () => {
    const { rows } = await sql<{ hours: number }>`
      select coalesce(sum(quarter_hours), 0)::float8 / 4 as hours from credit
      where area_id = ${bench.areaId} and revoked_at is null and earned_on >= ${yearStart}`.execute(db);
    // As the report shows hours: to one decimal place.
    return Math.round(rows[0]!.hours * 10) / 10;
  };
  const primaryFlushed = async () => (await admin.query<{ lsn: string }>("select pg_current_wal_flush_lsn()::text as lsn")).rows[0]!.lsn;
  const replayedUpTo = async (lsn: string) =>
    (await replica.query<{ done: boolean }>("select pg_last_wal_replay_lsn() >= $1::pg_lsn as done", [lsn])).rows[0]!.done;
  type Health = { reports: { source: string; state: { replica: string } | null } };
  const health = async (base = viaHttp) => JSON.parse((await request(`${base}/healthz`)).body) as Health;
  /** Where reports read on every app server still running (each looks at the replica for itself). */
  const everyServer = async (test: (health: Health) => boolean) => {
    const running = apps.filter((app) => app.child.exitCode === null && app.child.signalCode === null);
    return (await Promise.all(running.map((app) => health(`http://127.0.0.1:${app.port}`)))).every(test);
  };

  // --- 3. Credits through either server, through nginx; the report reads them from the replica once replayed.
  const servedBy = new Set<string>();
  for (let i = 0; i < 24; i++) servedBy.add((await creditThrough(viaHttp, provider0Pairs())).upstream);
  check(servedBy.size === 2, `nginx sent the credits to ${[...servedBy].join(", ")}, not both app servers`);
  for (let i = 0; i < 4; i++) await creditThrough(`http://127.0.0.1:${appPorts[i % 2]}`, provider0Pairs());
  const hoursBefore = await publishedHours(db);
  let lastReported: number | null = null;
  await until(
    () => `the report to show every credit (${hoursBefore} hours in the ledger; the report says ${lastReported})`,
    async () => (lastReported = await reportedHours()) === hoursBefore,
    30_000,
  );
  check(await everyServer((h) => h.reports.source === "replica"), "Reports do not read the replica");
  // Paused replay: a new credit is in the ledger but not in the report, which reads the replica.
  await creditThrough(viaHttp, provider0Pairs());
  const lsn = await primaryFlushed();
  await until("the replica to replay the last credit", () => replayedUpTo(lsn), 30_000);
  await replica.query("select pg_wal_replay_pause()");
  const ledgerReplayed = await ledgerHours();
  await creditThrough(viaHttp, provider0Pairs());
  check((await ledgerHours()) > ledgerReplayed, "The last credit did not add hours");
  // Published hours are rounded to 5, so the two may agree; the replica's own figure is the test.
  const hoursReplayed = await publishedHours(replicaDb);
  const hoursNow = await publishedHours(db);
  const fromReplica = await reportedHours();
  check(
    fromReplica === hoursReplayed,
    `With replay paused the report showed ${fromReplica} hours; the replica has ${hoursReplayed}, the primary ${hoursNow} (reports did not read the replica)`,
  );
  log(`credits through both servers; the report read the replica (${fromReplica} hours, the primary has ${hoursNow} while replay is paused)`);
  // Past REPORTS_MAX_LAG_SECONDS behind, reports read the primary and the log says so.
  await until("reports to leave the lagging replica", () => everyServer((h) => h.reports.state?.replica === "lagging"), (MAX_LAG_SECONDS + 30) * 1000);
  check((await reportedHours()) === hoursNow, "A lagging replica's report did not come from the primary");
  await until(
    "the log to say reports read the primary",
    () => apps.some((app) => /Reports read the primary: the replica \(REPORTS_DATABASE_URL\) is .* behind/.test(app.output())),
    10_000,
  );
  await replica.query("select pg_wal_replay_resume()");
  await until("reports to go back to the replica", () => everyServer((h) => h.reports.source === "replica"), 30_000);
  check(
    apps.some((app) => app.output().includes("Reports read the replica (REPORTS_DATABASE_URL) again")),
    "The log does not say reports went back to the replica",
  );
  log(`a replica more than ${MAX_LAG_SECONDS} s behind handed reports to the primary, and got them back once caught up`);

  // --- 4. One app server killed while credits flow through nginx: nothing lost, nothing twice.
  const [a, b] = apps as [AppServer, AppServer];
  for (let i = 0; i < 30; i++) {
    if (i === 8) a.child.kill("SIGKILL");
    // Other providers' tokens (each has its limit) and other children (a child is at one session at a time).
    await creditThrough(viaHttp, { provider: 1 + (i % (LIVE_PROVIDERS - 1)), slot: 0, child: 100 + i });
  }
  await until("app server A to have stopped", () => a.child.signalCode === "SIGKILL", 10_000);
  for (let i = 0; i < 5; i++) {
    const page = await request(`${viaHttps}/reports/equity`, { headers: { Cookie: cookie } });
    check(page.status === 200, `After server A stopped, a signed-in page answered ${page.status}`);
    check(String(page.headers["x-upstream"]).endsWith(`:${appPorts[1]}`), `After server A stopped, nginx answered from ${String(page.headers["x-upstream"])}`);
  }
  log("app server A killed mid-stream: every credit acknowledged through B, signed-in pages still served");

  // --- 5. The replica stopped: reports go on from the primary.
  asPostgres([pgCtl, "-D", replicaDir, "-m", "fast", "-w", "stop"]);
  replicaRunning = false;
  const hoursFinal = await publishedHours(db);
  check((await reportedHours()) === hoursFinal, "With the replica stopped, the report did not come from the primary");
  const down = await health();
  check(
    down.reports.source === "primary" && down.reports.state?.replica === "unavailable",
    `/healthz with the replica stopped: ${JSON.stringify(down.reports)}`,
  );
  check(/Reports read the primary: the replica \(REPORTS_DATABASE_URL\) is unavailable/.test(b.output()), "The log does not say the replica is unavailable");
  log("replica stopped: reports served from the primary, /healthz says so");

  // --- 6. Every acknowledged credit in the ledger exactly once, and no other.
  const rows = await db
    .selectFrom("credit")
    .select(["id", "idempotency_key"])
    .where("area_id", "=", bench.areaId)
    .where("idempotency_key", "like", "topology-%")
    .execute();
  const byKey = new Map<string, string[]>();
  for (const row of rows) byKey.set(row.idempotency_key, [...(byKey.get(row.idempotency_key) ?? []), row.id]);
  check(rows.length === acked.size, `${acked.size} credits acknowledged, ${rows.length} in the ledger`);
  for (const [key, id] of acked) {
    const ids = byKey.get(key) ?? [];
    check(ids.length === 1 && ids[0] === id, `Credit ${key}: acknowledged as ${id}, in the ledger as ${ids.join(", ") || "nothing"}`);
  }
  log(`every one of ${acked.size} acknowledged credits is in the ledger exactly once`);
}

let failed = false;
main()
  .catch((error: unknown) => {
    failed = true;
    console.error(`\nTOPOLOGY TEST FAILED: ${error instanceof Error ? error.message : String(error)}`);
  })
  .finally(async () => {
    for (const task of cleanups.reverse()) {
      try {
        await task();
      } catch {}
    }
    if (!failed) log("passed");
    process.exit(failed ? 1 : 0);
  });
