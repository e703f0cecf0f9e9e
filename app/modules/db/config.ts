import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/*
 * Start-up settings, kept apart from the database drivers so that a process which only reads
 * them (the supervisor of several server processes) stays small.
 */

/**
 * Where the data lives: a real PostgreSQL, an embedded PGlite folder, or PGlite in memory (tests,
 * which start from a dumped data directory, loadDataDir, rather than run the migrations again).
 */
export type DatabaseConfig = { kind: "postgres"; url: string; poolSize?: number } | { kind: "pglite"; dir: string | null; loadDataDir?: Blob };

/** Thrown for a setting that stops start-up; its message is one line naming the setting. */
export class ConfigError extends Error {}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  if (env.DATABASE_URL) {
    const poolSize = Number(env.DATABASE_POOL_SIZE ?? 10);
    if (!Number.isInteger(poolSize) || poolSize < 1) {
      throw new ConfigError(`DATABASE_POOL_SIZE: "${env.DATABASE_POOL_SIZE}" is not a whole number of connections (1 or more).`);
    }
    return { kind: "postgres", url: env.DATABASE_URL, poolSize };
  }
  return { kind: "pglite", dir: path.resolve(env.PGLITE_DIR || ".data/pglite") };
}

/**
 * The site's address, for every link handed to someone else (emails, printed letters,
 * certificates): PUBLIC_URL, never a request's Host header, which whoever sends the request
 * chooses (a reset asked for with `Host: evil.example` would mail a link to evil.example). A
 * real install (NODE_ENV=production with DATABASE_URL) must set it; the embedded database may
 * default to its own address on this machine.
 */
export function publicOriginFromEnv(env: Record<string, string | undefined> = process.env): string {
  const configured = env.PUBLIC_URL?.trim();
  if (configured) {
    let url: URL | null = null;
    try {
      url = new URL(configured);
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || url.username || url.password) {
      throw new ConfigError(
        `PUBLIC_URL: "${configured}" is not a web address; set it to the address people use to reach Pasbort, e.g. PUBLIC_URL=https://pasbort.example.`,
      );
    }
    return url.origin;
  }
  if (env.NODE_ENV === "production" && env.DATABASE_URL) {
    throw new ConfigError(
      "PUBLIC_URL: not set. Set it to the address people use to reach Pasbort, e.g. PUBLIC_URL=https://pasbort.example: links in emails (password resets, invitations) and printed letters are built from it, never from the request.",
    );
  }
  return `http://localhost:${env.PORT || 3000}`;
}

/**
 * DEMO=1 (`npm run demo`): seed the made-up demo data on a new, empty database. Without it
 * nothing demo is seeded. Refused on a real install (NODE_ENV=production with DATABASE_URL):
 * there the demo is an explicit `npm run seed:demo`, which refuses a database with real data.
 */
export function demoFromEnv(env: Record<string, string | undefined> = process.env): boolean {
  const raw = env.DEMO?.trim() ?? "";
  if (raw === "" || raw === "0") return false;
  if (raw !== "1") throw new ConfigError(`DEMO: "${env.DEMO}" is not 1 or 0; set DEMO=1 to seed the demo data on a new, empty database.`);
  if (env.NODE_ENV === "production" && env.DATABASE_URL) {
    throw new ConfigError(
      "DEMO: not with DATABASE_URL in production, where demo accounts with a published password do not belong. For a demo on PostgreSQL, run `npm run seed:demo` on an empty database of its own.",
    );
  }
  return true;
}

/** Server processes: WEB_CONCURRENCY, default 1; several only with PostgreSQL (PGlite serves one process). */
export function webConcurrency(env: Record<string, string | undefined>, kind: DatabaseConfig["kind"]): number {
  const raw = env.WEB_CONCURRENCY;
  if (!raw) return 1;
  const workers = Number(raw);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    throw new ConfigError(`WEB_CONCURRENCY: "${raw}" is not a number of server processes (1 to 64).`);
  }
  if (workers > 1 && kind === "pglite") {
    throw new ConfigError("WEB_CONCURRENCY: the embedded database serves one process; set DATABASE_URL to run several.");
  }
  return workers;
}

export const CREDENTIAL_KEY_SECRET_FILE = "credential-key-secret";
/** What the tests' in-memory databases seal Open Badges issuer keys with. Published: never for real keys. */
export const DEMO_CREDENTIAL_KEY_SECRET = "pasbort-embedded-demo-credential-keys (not a secret: set CREDENTIAL_KEY_SECRET)";

/**
 * The secret that seals the areas' credential signing keys (docs/credentials.md): the one set,
 * required with a real PostgreSQL (DATABASE_URL), checked at start-up. An embedded install
 * without it makes a random one on first use and keeps it in its database folder, readable by
 * its own user only: a copy of that folder then carries its keys, as the embedded database's
 * backups say (docs/operations.md). Tests, in memory, use the fixed value.
 */
export function credentialKeySecret(env: Record<string, string | undefined> = process.env): string {
  const configured = env.CREDENTIAL_KEY_SECRET?.trim();
  if (configured) return checkedSecret(configured, "CREDENTIAL_KEY_SECRET");
  if (env.DATABASE_URL) {
    throw new ConfigError("CREDENTIAL_KEY_SECRET: required with DATABASE_URL; it seals the keys that sign Open Badges (docs/credentials.md).");
  }
  if (env.NODE_ENV === "test") return DEMO_CREDENTIAL_KEY_SECRET;
  const file = path.join(path.resolve(env.PGLITE_DIR || ".data/pglite"), CREDENTIAL_KEY_SECRET_FILE);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    // "wx": two processes racing here keep the first one's secret.
    try {
      writeFileSync(file, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return checkedSecret(readFileSync(file, "utf8").trim(), file);
}

function checkedSecret(secret: string, source: string) {
  if (secret.length < 32) throw new ConfigError(`${source}: use at least 32 characters (e.g. \`openssl rand -base64 32\`).`);
  return secret;
}

/** Where reports read (docs/scaling.md): a streaming replica of DATABASE_URL, and how far behind it may be. */
export interface ReportsConfig {
  url: string;
  poolSize: number;
  /** Further behind the primary than this, and reports read the primary instead. */
  maxLagSeconds: number;
}

/** REPORTS_DATABASE_URL (unset: reports read the primary) and REPORTS_MAX_LAG_SECONDS (default 10). */
export function reportsConfigFromEnv(env: Record<string, string | undefined>, kind: DatabaseConfig["kind"]): ReportsConfig | null {
  const url = env.REPORTS_DATABASE_URL?.trim();
  if (!url) return null;
  if (kind !== "postgres") throw new ConfigError("REPORTS_DATABASE_URL: a replica of PostgreSQL; set DATABASE_URL to the primary as well.");
  const maxLagSeconds = Number(env.REPORTS_MAX_LAG_SECONDS ?? 10);
  if (!Number.isFinite(maxLagSeconds) || maxLagSeconds <= 0) {
    throw new ConfigError(`REPORTS_MAX_LAG_SECONDS: "${env.REPORTS_MAX_LAG_SECONDS}" is not a number of seconds (more than 0).`);
  }
  const poolSize = Number(env.REPORTS_DATABASE_POOL_SIZE ?? 5);
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw new ConfigError(`REPORTS_DATABASE_POOL_SIZE: "${env.REPORTS_DATABASE_POOL_SIZE}" is not a whole number of connections (1 or more).`);
  }
  return { url, poolSize, maxLagSeconds };
}

/** How long the HTTP server waits for a client, in milliseconds (node:http's settings of the same names). */
export interface HttpTimeouts {
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  connectionsCheckingInterval: number;
}

/**
 * The HTTP server's timeouts (docs/operations.md), in seconds in the environment. A client
 * that opens a connection and sends its request's headers slowly, or not at all, is answered
 * 408 and cut off after HTTP_HEADERS_TIMEOUT_SECONDS, so idle sockets do not pile up; the whole
 * request (a roster upload) may take HTTP_REQUEST_TIMEOUT_SECONDS; an idle kept-alive connection
 * is closed after HTTP_KEEP_ALIVE_TIMEOUT_SECONDS (behind a proxy, longer than the proxy's own
 * idle timeout). Connections are checked against the first two every
 * HTTP_CONNECTIONS_CHECK_SECONDS, so one is closed at most that much later.
 */
export function httpTimeoutsFromEnv(env: Record<string, string | undefined> = process.env): HttpTimeouts {
  const seconds = (name: string, fallback: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback * 1000;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0 || value > 3600)
      throw new ConfigError(`${name}: "${raw}" is not a number of seconds (more than 0, at most 3600).`);
    return Math.round(value * 1000);
  };
  const timeouts = {
    headersTimeout: seconds("HTTP_HEADERS_TIMEOUT_SECONDS", 20),
    requestTimeout: seconds("HTTP_REQUEST_TIMEOUT_SECONDS", 120),
    keepAliveTimeout: seconds("HTTP_KEEP_ALIVE_TIMEOUT_SECONDS", 5),
    connectionsCheckingInterval: seconds("HTTP_CONNECTIONS_CHECK_SECONDS", 2),
  };
  // node:http refuses a request timeout shorter than the headers' (the headers are part of the request).
  if (timeouts.requestTimeout < timeouts.headersTimeout) {
    throw new ConfigError("HTTP_REQUEST_TIMEOUT_SECONDS: must be at least HTTP_HEADERS_TIMEOUT_SECONDS (the headers are part of the request).");
  }
  return timeouts;
}
