import path from "node:path";

/*
 * Start-up settings, kept apart from the database drivers so that a process which only reads
 * them (the supervisor of several server processes) stays small.
 */

/**
 * Where the data lives: a real PostgreSQL, an embedded PGlite folder, or PGlite in memory (tests,
 * which start from a dumped data directory, loadDataDir, rather than run the migrations again).
 */
export type DatabaseConfig =
  | { kind: "postgres"; url: string; poolSize?: number }
  | { kind: "pglite"; dir: string | null; loadDataDir?: Blob };

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
