import { mkdirSync, accessSync, constants } from "node:fs";
import path from "node:path";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { PGlite, types as pgliteTypes } from "@electric-sql/pglite";
import { claimFolder } from "./folder-lock.server";
import { PGlitePool } from "./pglite-pool.server";
import type { Database } from "./schema";

export type DB = Kysely<Database>;

/** Where the data lives: a real PostgreSQL, an embedded PGlite folder, or PGlite in memory (tests). */
export type DatabaseConfig =
  | { kind: "postgres"; url: string; poolSize?: number }
  | { kind: "pglite"; dir: string | null };

/** Thrown for a setting that stops start-up; its message is one line naming the setting. */
export class ConfigError extends Error {}

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

/**
 * Both drivers return the same JS types: counts and sums (int8, numeric) as numbers, and
 * calendar dates as 'YYYY-MM-DD' strings (a Date would shift them by the time zone).
 */
const toNumber = (value: string) => Number(value);
const asIs = (value: string) => value;
pg.types.setTypeParser(INT8, toNumber);
pg.types.setTypeParser(NUMERIC, toNumber);
pg.types.setTypeParser(DATE, asIs);

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

export async function openDatabase(config: DatabaseConfig): Promise<DB> {
  if (config.kind === "postgres") {
    // JIT off: the app's queries are short or already planned around indexes, and JIT compiling
    // a report's plan cost more than it saved (ADR 0015).
    const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize ?? 10, options: "-c jit=off" });
    // An idle connection dropped by the server must not crash the app; the next query reconnects.
    pool.on("error", (error) => console.error(`PostgreSQL connection lost: ${error.message}`));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    try {
      const client = await pool.connect();
      client.release();
    } catch (error) {
      await pool.end().catch(() => {});
      throw new ConfigError(
        `DATABASE_URL: cannot connect to PostgreSQL (${describe(error)}). Check the host, port, user, password and database name.`,
      );
    }
    return db;
  }

  if (config.dir) {
    ensureWritableFolder(config.dir);
    const holder = claimFolder(config.dir);
    if (holder !== null) {
      throw new ConfigError(
        `PGLITE_DIR: the embedded database in ${config.dir} is already in use by process ${holder}. Stop that Pasbort first, or set PGLITE_DIR to another folder.`,
      );
    }
  }
  const pglite = new PGlite({
    ...(config.dir ? { dataDir: config.dir } : {}),
    parsers: { [pgliteTypes.INT8]: toNumber, [pgliteTypes.NUMERIC]: toNumber, [pgliteTypes.DATE]: asIs },
  });
  try {
    await pglite.waitReady;
  } catch (error) {
    throw new ConfigError(`PGLITE_DIR: cannot open the embedded database in ${config.dir} (${describe(error)}).`);
  }
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: new PGlitePool(pglite) }) });
}

function ensureWritableFolder(dir: string) {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new ConfigError(`PGLITE_DIR: the folder ${dir} cannot be created or written (${describe(error)}).`);
  }
}

function describe(error: unknown) {
  if (error instanceof Error) {
    return error.message.split("\n")[0] || (error as NodeJS.ErrnoException).code || error.name;
  }
  return String(error);
}
