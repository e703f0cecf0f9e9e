/** The benchmark's targets (issue 9) and the RESULTS.md table made from results.json. */

import type { ImpactBench } from "./impact.server";
import type { MobileBench } from "./mobile.server";

/** The phone pages' load within this many times the floor's (issue 18). */
export const MOBILE_LOAD_TARGET = 1.5;

export const TARGETS = {
  apiThroughputAt64: { min: 2000, unit: "credits/s", what: "Credit issuing through the API at 64 clients" },
  apiP99At64: { max: 50, unit: "ms", what: "p99 latency of credit issuing at 64 clients" },
  apiShareOfFloorAt64: { min: 0.2, unit: "", what: "API throughput ÷ SQL floor throughput at 64 clients" },
  passportMedian: { max: 20, unit: "ms", what: "Passport page (500 credits), median" },
  equityMedian: { max: 300, unit: "ms", what: "Equity report by quintile, one academic year" },
  eligibility: { max: 2000, unit: "ms", what: "Graduation eligibility list" },
  impactMedian: { max: 2000, unit: "ms", what: "Impact report, one academic year, the whole area" },
  serverMemory: { max: 300, unit: "MB", what: "Server peak RSS under load" },
} as const;

type Num = number | null | undefined;
interface Load {
  concurrency: number;
  requests: number;
  ok: number;
  errors: number;
  throughput: number;
  latencyMs: { p50: Num; p95: Num; p99: Num; max: Num };
  statusCodes?: Record<string, number>;
}
interface Timed {
  p50: Num;
  p95: Num;
  max?: Num;
  runs?: number;
  n?: number;
}
interface Side {
  dataset: Record<string, unknown>;
  api: Load[];
  floor?: Load[];
  ratio?: Array<{ concurrency: number; apiOverFloor: Num }>;
  /** The same API with API_CREDITS_PER_MINUTE=0, for the shared limit's cost. */
  apiWithoutLimit?: Load[];
  ratioWithoutLimit?: Array<{ concurrency: number; apiOverFloor: Num }>;
  passportPage: Timed & { requests: number; bytes?: number };
  passportPage50Credits?: (Timed & { requests: number; bytes?: number }) | null;
  passportLoader: Timed & { stamps: number };
  equity: Timed & { from: string; to: string };
  eligibility: (Timed & { listed?: Num; children?: number }) | { skipped: string };
  serverMemory: { atStartMb?: number; peakSampledMb: number; hwmMb: number; processes?: number; peakOneProcessMb?: number };
  credentials?: CredentialsBench;
  impact?: ImpactBench;
}
interface Rate {
  n: number;
  perSecond: number;
  p50: number;
  p95: number;
}
interface CredentialsBench {
  measuredAt: string;
  commit: string | null;
  loadAverageAtStart?: number[];
  floorSign: Rate;
  floorVerify: Rate;
  sign: Rate;
  verify: Rate;
  signOverFloor: number;
  verifyOverFloor: number;
  credentialBytes: number;
  graduation500: { children: number; runs: number; p50Ms: number; maxMs: number };
}

/** The Open Badges section (issue 17): signing and verifying next to their floor in the same run. */
function credentialsSection(c: CredentialsBench) {
  const row = (what: string, rate: Rate) => `| ${what} | ${fmt(rate.perSecond, 0)} | ${fmt(rate.p50, 3)} | ${fmt(rate.p95, 3)} | ${rate.n} |`;
  return [
    "## Open Badges: signing and verifying",
    "",
    `Measured ${c.measuredAt} on commit \`${c.commit ?? "unknown"}\`${c.loadAverageAtStart ? ` (load average ${c.loadAverageAtStart.join(", ")})` : ""}, in-process on PostgreSQL (bench/credentials.server.ts), one operation at a time. The floor is the same credential's JSON (${fmt(c.credentialBytes, 0)} bytes) through JSON.stringify and a plain Ed25519 signature (node:crypto), with no JSON-LD: what signing costs without the Data Integrity proof's canonicalisation.`,
    "",
    "| operation | per second | p50 ms | p95 ms | n |",
    "|---|--:|--:|--:|--:|",
    row("Floor: JSON.stringify + Ed25519 sign", c.floorSign),
    row("Floor: Ed25519 verify of the same bytes", c.floorVerify),
    row("Sign an OpenBadgeCredential (eddsa-rdfc-2022)", c.sign),
    row("/verify's whole check of a stored badge (signature, issuer, status list, dates)", c.verify),
    "",
    `Signing costs ${fmt(c.signOverFloor, 0)}× the floor and the whole check ${fmt(c.verifyOverFloor, 0)}× (it verifies two proofs, the badge's and its status list's, each canonicalised with RDFC-1.0). A graduation's certificates for ${c.graduation500.children} children, each signed and stored in one transaction (issueCertificates): ${fmt(c.graduation500.p50Ms / 1000, 1)} s median of ${c.graduation500.runs} runs (slowest ${fmt(c.graduation500.maxMs / 1000, 1)} s).`,
  ].join("\n");
}

/** The impact report (issue 21) beside its floors, measured in the same run. */
function impactSection(i: ImpactBench) {
  return [
    "## The impact report (issue 21)",
    "",
    `Measured ${i.measuredAt} on commit \`${i.commit ?? "unknown"}\` (load average ${i.loadAverageAtStart.join(", ")}), in-process on PostgreSQL (bench/impact.server.ts): the whole area's report for ${i.year} (every section: reach by quintile, LA and school, growth over six terms and two years, persistence, depth, the offer, the child's voice), the median of ${i.runs} runs after a warm-up. The floors, in the same run: a bare \`count(*)\` of the year's ${fmt(i.floorCount.credits, 0)} credits, and the equity report by quintile for the same year (one pass over the year's children).`,
    "",
    "| measurement | p50 ms | p95 ms |",
    "|---|--:|--:|",
    `| Floor: count of the year's credits | ${fmt(i.floorCount.p50)} | ${fmt(i.floorCount.p95)} |`,
    `| Floor: equity report by quintile, ${i.year} | ${fmt(i.equity.p50)} | ${fmt(i.equity.p95)} |`,
    `| Impact report, ${i.year}, the whole area (${fmt(i.impact.enrolled, 0)} enrolled, ${fmt(i.impact.active, 0)} took part, as published) | ${fmt(i.impact.p50)} | ${fmt(i.impact.p95)} |`,
  ].join("\n");
}

interface Results {
  mobile?: MobileBench & { commit?: string | null; loadAverageAtStart?: number[] };
  /** The phone part's earlier runs (`--only-mobile` keeps them), newest first. */
  mobileEarlier?: (MobileBench & { commit?: string | null; loadAverageAtStart?: number[] })[];
  date: string;
  mode: string;
  commit: string | null;
  workingTreeChanged: boolean;
  machine: { cores: number; cpuModel: string | null; memoryGb: number; loadAverageAtStart: number[]; node: string };
  postgresql: { version: string; settings: Record<string, string>; appPoolSize: number; webConcurrency?: number; nodeArgs?: string[] };
  method: { loadSeconds: number; warmupSeconds: number; rateLimitPerMinute: number; liveProviders: number };
  postgres: Side;
  pglite: Side | null;
}

const fmt = (value: Num, digits = 1) =>
  value === null || value === undefined ? "–" : Number(value).toLocaleString("en-GB", { maximumFractionDigits: digits });

export function targetChecks(side: Side) {
  const at64 = side.api.find((r) => r.concurrency === 64);
  const floor64 = side.floor?.find((r) => r.concurrency === 64);
  const eligibility = "skipped" in side.eligibility ? null : side.eligibility.p50;
  const rows: Array<{ key: keyof typeof TARGETS; value: Num }> = [
    { key: "apiThroughputAt64", value: at64?.throughput },
    { key: "apiP99At64", value: at64?.latencyMs.p99 },
    { key: "apiShareOfFloorAt64", value: at64 && floor64?.throughput ? at64.throughput / floor64.throughput : null },
    { key: "passportMedian", value: side.passportPage.p50 },
    { key: "equityMedian", value: side.equity.p50 },
    { key: "eligibility", value: eligibility },
    ...(side.impact ? [{ key: "impactMedian" as const, value: side.impact.impact.p50 }] : []),
    { key: "serverMemory", value: side.serverMemory.peakSampledMb },
  ];
  return rows.map(({ key, value }) => {
    const target = TARGETS[key] as { min?: number; max?: number; unit: string; what: string };
    const pass = value === null || value === undefined ? null : target.min !== undefined ? value >= target.min : value < target.max!;
    return {
      key,
      what: target.what,
      target: target.min !== undefined ? `≥ ${fmt(target.min, 2)} ${target.unit}` : `< ${fmt(target.max, 0)} ${target.unit}`,
      value,
      unit: target.unit,
      pass,
    };
  });
}

function loadTable(title: string, rows: Load[]) {
  const lines = [`| ${title} | requests | succeeded | errors | per second | p50 ms | p95 ms | p99 ms | max ms |`, "|---|--:|--:|--:|--:|--:|--:|--:|--:|"];
  for (const r of rows) {
    lines.push(
      `| ${r.concurrency} client${r.concurrency === 1 ? "" : "s"} | ${fmt(r.requests, 0)} | ${fmt(r.ok, 0)} | ${fmt(r.errors, 0)} | ${fmt(r.throughput, 0)} | ${fmt(r.latencyMs.p50)} | ${fmt(r.latencyMs.p95)} | ${fmt(r.latencyMs.p99)} | ${fmt(r.latencyMs.max)} |`,
    );
  }
  return lines.join("\n");
}

function ratioText(ratios: Array<{ concurrency: number; apiOverFloor: Num }> | undefined) {
  return (ratios ?? []).map((r) => `${r.concurrency} client${r.concurrency === 1 ? "" : "s"} ${fmt(r.apiOverFloor, 3)}`).join(", ");
}

function sideSection(name: string, side: Side) {
  const d = side.dataset as Record<string, number>;
  const out = [
    `### ${name}`,
    "",
    `Dataset: ${fmt(d.children, 0)} children, ${fmt(d.providers, 0)} providers, ${fmt(d.activities, 0)} activities, ${fmt(d.sessions, 0)} sessions, ${fmt(d.credits, 0)} credits over ${d.years} academic years; built in ${fmt(d.generateSeconds)} s${d.databaseMb ? ` (database ${fmt(d.databaseMb, 0)} MB, of which the credit table and its indexes ${fmt(d.creditTableMb, 0)} MB)` : ""}.`,
    "",
    loadTable("POST /api/v1/credits", side.api),
  ];
  if (side.floor) {
    out.push("", loadTable("SQL floor (INSERT)", side.floor), "");
    out.push(`API ÷ floor throughput: ${ratioText(side.ratio)}.`);
  }
  if (side.apiWithoutLimit?.length) {
    out.push(
      "",
      loadTable("POST /api/v1/credits, per-token limit off", side.apiWithoutLimit),
      "",
      `The same API with the per-token limit off (API_CREDITS_PER_MINUTE=0), after the runs above: API ÷ floor throughput ${ratioText(side.ratioWithoutLimit)}, against ${ratioText(side.ratio?.filter((r) => r.concurrency > 1))} with the limit counted in PostgreSQL for every scan (ADR 0028).`,
    );
  }
  const e = side.eligibility;
  out.push(
    "",
    "| measurement | p50 ms | p95 ms | runs |",
    "|---|--:|--:|--:|",
    `| Passport page, HTTP GET signed in, a child with 500 credits (the page lists ${side.passportLoader.stamps} stamps) | ${fmt(side.passportPage.p50)} | ${fmt(side.passportPage.p95)} | ${side.passportPage.requests} |`,
    ...(side.passportPage50Credits
      ? [
          `| Passport page, HTTP GET, a child with 50 credits (for comparison) | ${fmt(side.passportPage50Credits.p50)} | ${fmt(side.passportPage50Credits.p95)} | ${side.passportPage50Credits.requests} |`,
        ]
      : []),
    `| Passport loader (passportSummary) alone | ${fmt(side.passportLoader.p50)} | ${fmt(side.passportLoader.p95)} | ${side.passportLoader.runs} |`,
    `| Equity report by quintile, ${side.equity.from} to ${side.equity.to} | ${fmt(side.equity.p50)} | ${fmt(side.equity.p95)} | ${side.equity.runs} |`,
    "skipped" in e
      ? `| Graduation eligibility list | not measured: ${e.skipped} | | |`
      : `| Graduation eligibility list (${fmt(e.children, 0)} children, ${fmt(e.listed, 0)} listed) | ${fmt(e.p50)} | ${fmt(e.p95)} | ${e.runs} |`,
    "",
    `Server memory${side.serverMemory.processes && side.serverMemory.processes > 1 ? ` (${side.serverMemory.processes} processes: the primary and its workers, summed)` : ""}: RSS ${fmt(side.serverMemory.atStartMb)} MB once started; under load, peak RSS sampled every 100 ms ${fmt(side.serverMemory.peakSampledMb)} MB${side.serverMemory.peakOneProcessMb ? ` (one process at most ${fmt(side.serverMemory.peakOneProcessMb)} MB)` : ""}; VmHWM summed ${fmt(side.serverMemory.hwmMb)} MB.`,
  );
  return out.join("\n");
}

type MobileRun = MobileBench & { commit?: string | null; loadAverageAtStart?: number[] };

function mobileSection(m: MobileRun, earlier: MobileRun[] = []) {
  const kb = (bytes: number) => fmt(bytes / 1024, 0);
  const p = m.profile;
  const ratio = (a: number | undefined, b: number) => (a === undefined || !Number.isFinite(a) ? "–" : fmt(a / b, 2));
  const ms = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? "–" : fmt(value, 0));
  const measuredOn = (run: MobileRun) =>
    `\`${(run.commit ?? "unknown").slice(0, 10)}\`${run.loadAverageAtStart ? ` (load average ${run.loadAverageAtStart.join(", ")})` : ""}`;
  const out = [
    "## The main pages on a cheap phone (issue 18)",
    "",
    `Measured ${m.measuredAt} on commit \`${m.commit ?? "unknown"}\`${m.loadAverageAtStart ? ` (load average ${m.loadAverageAtStart.join(", ")})` : ""} (bench/mobile.server.ts): Chromium's mobile profile (${p.device} in Playwright's devices) with ${p.latencyMs} ms round trip, ${fmt(p.downloadKbitPerSecond / 1000, 1)} Mbit/s down and ${fmt(p.uploadKbitPerSecond / 1000, 2)} Mbit/s up (CDP Network.emulateNetworkConditions) and the CPU ${p.cpuSlowdown}× slower (Emulation.setCPUThrottlingRate), every load with an empty cache, the median of ${m.runs} loads. The floor is the same page as plain HTML and CSS: the server's HTML for the same person saved without its scripts and preloads, served by a static server of the run with the same stylesheet and compression. Bytes are as received, compressed and with the HTTP headers (so a little above scripts/page-weight.ts's count); files are the responses received. FCP is first contentful paint: the page's content is visible and, since every page works without JavaScript, its links and forms work. Load is the load event: every script downloaded and evaluated. Hydrated is when React has hydrated the page (root.tsx's first effect), which comes after the load event; – for a page sent without React (ADR 0042: only the pages that need scripts get them).`,
    "",
    `| page | bytes KB | files | floor KB | FCP ms | floor FCP ms | FCP ÷ floor | load ms | floor load ms | load ÷ floor | target ≤ ${MOBILE_LOAD_TARGET}× | hydrated ms |`,
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|",
    ...m.pages.map(
      (row) =>
        `| ${row.page} | ${kb(row.app.bytes)} | ${ms(row.app.files)} | ${kb(row.floor.bytes)} | ${ms(row.app.firstContentfulPaintMs)} | ${ms(row.floor.firstContentfulPaintMs)} | ${ratio(row.app.firstContentfulPaintMs, row.floor.firstContentfulPaintMs)} | ${ms(row.app.loadMs)} | ${ms(row.floor.loadMs)} | ${fmt(row.loadRatio, 2)} | ${row.loadRatio <= MOBILE_LOAD_TARGET ? "pass" : "**miss**"} | ${ms(row.app.hydratedMs)} |`,
    ),
    "",
    "Where the time goes: docs/decisions/0039-mobile-load.md; which pages are sent without React, and the scanner's numbers: docs/decisions/0042-scripts-only-where-needed.md.",
  ];
  if (earlier.length) {
    const pages = m.pages.map((row) => row.page);
    out.push(
      "",
      "Earlier runs (load ÷ floor, then FCP ÷ floor FCP), newest first:",
      "",
      `| measured | commit | ${pages.join(" | ")} |`,
      `|---|---|${pages.map(() => "--:").join("|")}|`,
      ...[m, ...earlier].map(
        (run) =>
          `| ${run.measuredAt.slice(0, 16).replace("T", " ")} | ${measuredOn(run)} | ${pages
            .map((page) => {
              const row = run.pages.find((candidate) => candidate.page === page);
              return row ? `${fmt(row.loadRatio, 2)} / ${ratio(row.app.firstContentfulPaintMs, row.floor.firstContentfulPaintMs)}` : "–";
            })
            .join(" | ")} |`,
      ),
    );
  }
  return out.join("\n");
}

export function formatResults(results: unknown) {
  const r = results as Results;
  const checks = targetChecks(r.postgres);
  const lines = [
    `# Benchmark results (${r.mode} run)`,
    "",
    `Run ${r.date} on commit \`${r.commit ?? "unknown"}\`${r.workingTreeChanged ? " (with uncommitted changes in the working tree)" : ""}: ${r.machine.cores} cores (${r.machine.cpuModel}), ${r.machine.memoryGb} GB memory, Node ${r.machine.node}, PostgreSQL ${r.postgresql.version}. Load average at the start: ${r.machine.loadAverageAtStart.join(", ")}.`,
    "",
    "Written by `npm run bench` (bench/run.ts); the machine-readable numbers are in " +
      (r.mode === "small" ? "bench/results-small.json" : "bench/results.json") +
      ".",
    "",
    "## Targets (PostgreSQL, 2-core machine)",
    "",
    "| target | required | measured | |",
    "|---|---|--:|---|",
    ...checks.map(
      (c) => `| ${c.what} | ${c.target} | ${fmt(c.value, c.unit ? 1 : 3)} ${c.unit} | ${c.pass === null ? "not measured" : c.pass ? "pass" : "**miss**"} |`,
    ),
    "",
    "The design changes made to reach the targets, and why the credit targets are out of reach on two shared cores: docs/decisions/0015-benchmark-findings.md. How far one PostgreSQL goes and the path past it: docs/scaling.md.",
    "",
    "## How it was measured",
    "",
    `- PostgreSQL started for the run in a temporary folder, on 127.0.0.1, as the \`postgres\` user; fsync=${r.postgresql.settings.fsync} and synchronous_commit=${r.postgresql.settings.synchronous_commit}: every commit waits for its WAL to reach the disk, as in production, so the numbers include durability. shared_buffers ${r.postgresql.settings.shared_buffers}, work_mem ${r.postgresql.settings.work_mem}. The app's pool: ${r.postgresql.appPoolSize} connections (DATABASE_POOL_SIZE).`,
    `- The server is the production build, started as \`npm run serve\` starts it (\`node ${(r.postgresql.nodeArgs ?? []).join(" ")}\`, NODE_ENV=production: the server compiled by \`npm run build\`), with WEB_CONCURRENCY=${r.postgresql.webConcurrency ?? 1} on PostgreSQL (above 1, cluster mode: a supervisor and that many server processes) and one process on PGlite. The load client (autocannon), the SQL floor's client, PostgreSQL and the server all share the machine's ${r.machine.cores} cores; the machine was also shared with other work (other helpers' tests and databases) during the run — see the load average above — so the numbers are a floor rather than a ceiling, and vary by ±30% from run to run.`,
    `- Credits: ${r.method.liveProviders} validated providers, each with an API token, run back-to-back quarter-hour sessions over the last 8 hours (a child is at one session at a time); every request credits a new child × session pair (a real passport token, a unique idempotency key) and must answer 201 — anything else counts as an error. Each level runs ${r.method.loadSeconds} s after a ${r.method.warmupSeconds} s warm-up. The per-token rate limit stays on (counted in PostgreSQL for every scan, as every app server shares it: ADR 0028), raised to ${fmt(r.method.rateLimitPerMinute, 0)} a minute for the run.`,
    "- The SQL floor: the ledger's own INSERT (same columns, same constraints, indexes and triggers, `on conflict … do nothing returning`), one statement per transaction through `pg`, at the same concurrency, nothing else: no checks, no audit row, no award sync, no HTTP.",
    "- Latencies are per request as the client saw them on loopback (autocannon's response times; performance.now() for the floor and the page). The passport page is a full server-rendered GET with a guardian's session cookie; in-process timings (loader, reports) are medians after one warm-up run.",
    "",
    "## PostgreSQL",
    "",
    sideSection("Results", r.postgres),
  ];
  if (r.postgres.credentials) lines.push("", credentialsSection(r.postgres.credentials));
  if (r.postgres.impact) lines.push("", impactSection(r.postgres.impact));
  if (r.mobile) lines.push("", mobileSection(r.mobile, r.mobileEarlier));
  if (r.pglite) {
    lines.push(
      "",
      "## Embedded PGlite (the default, with the --small dataset)",
      "",
      "PGlite is one connection inside the server process: requests queue for it, so throughput does not grow with clients and latency grows with the queue. The targets above are for PostgreSQL.",
      "",
      sideSection("Results", r.pglite),
    );
  }
  lines.push("");
  return lines.join("\n");
}
