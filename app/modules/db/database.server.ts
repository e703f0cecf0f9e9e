import { mkdirSync, accessSync, constants } from "node:fs";
import { Kysely } from "kysely";
import pg from "pg";
import { PGlite, types as pgliteTypes } from "@electric-sql/pglite";
import { AppPostgresDialect } from "./dialect.server";
import { claimFolder } from "./folder-lock.server";
import { PGlitePool } from "./pglite-pool.server";
import { ConfigError, type DatabaseConfig } from "./config";
import type { Database } from "./schema";

export { ConfigError, configFromEnv, webConcurrency, type DatabaseConfig } from "./config";

export type DB = Kysely<Database>;

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

/** The pg pool behind each PostgreSQL handle, for the reports' router (reports-db.server.ts). */
const pools = new WeakMap<DB, pg.Pool>();

export function postgresPoolOf(db: DB): pg.Pool | null {
  return pools.get(db) ?? null;
}

/**
 * A pool of connections to one PostgreSQL (the primary, or the reports' replica).
 * `connectionTimeoutMillis`: a database that does not answer a new connection in time counts
 * as unavailable (503), not a hung request.
 */
export function postgresPool(url: string, poolSize: number, connectionTimeoutMillis = 5_000): pg.Pool {
  // JIT off: the app's queries are short or already planned around indexes, and JIT compiling
  // a report's plan cost more than it saved (ADR 0015).
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: "-c jit=off", connectionTimeoutMillis, keepAlive: true });
  // A connection dropped by the server must not crash the app. pg-pool listens for errors on
  // idle clients only, and a client lent to a query that fails emits 'error' too: with no
  // listener, Node ends the process. So every client gets one for its whole life; the failed
  // query rejects on its own (answered as 503), and the pool discards the broken client and
  // connects afresh for the next query.
  let lastReport = 0;
  const connectionLost = (error: Error) => {
    // One line per second at most: an outage breaks every connection at once.
    if (Date.now() - lastReport < 1_000) return;
    lastReport = Date.now();
    console.error(`PostgreSQL connection lost: ${error.message}`);
  };
  pool.on("connect", (client) => client.on("error", connectionLost));
  pool.on("error", connectionLost);
  return pool;
}

export async function openDatabase(config: DatabaseConfig): Promise<DB> {
  if (config.kind === "postgres") {
    const pool = postgresPool(config.url, config.poolSize ?? 10);
    const db = new Kysely<Database>({ dialect: new AppPostgresDialect({ pool }) });
    pools.set(db, pool);
    try {
      const client = await pool.connect();
      client.release();
    } catch (error) {
      await pool.end().catch(() => {});
      throw new ConfigError(`DATABASE_URL: cannot connect to PostgreSQL (${describe(error)}). Check the host, port, user, password and database name.`);
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
    ...(config.loadDataDir ? { loadDataDir: config.loadDataDir } : {}),
    parsers: { [pgliteTypes.INT8]: toNumber, [pgliteTypes.NUMERIC]: toNumber, [pgliteTypes.DATE]: asIs },
  });
  try {
    await pglite.waitReady;
  } catch (error) {
    throw new ConfigError(`PGLITE_DIR: cannot open the embedded database in ${config.dir} (${describe(error)}).`);
  }
  return new Kysely<Database>({ dialect: new AppPostgresDialect({ pool: new PGlitePool(pglite) }) });
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
