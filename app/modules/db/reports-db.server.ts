import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from "kysely";
import type pg from "pg";
import type { ReportsConfig } from "./config";
import { postgresPool, postgresPoolOf, type DB } from "./database.server";
import type { Database } from "./schema";
import { isDatabaseUnavailable } from "./unavailable.server";

/**
 * Reports on a streaming replica (REPORTS_DATABASE_URL), falling back to the primary while the
 * replica is down or further behind than REPORTS_MAX_LAG_SECONDS. The choice is made for each
 * connection a query borrows, so a report keeps working the moment the replica stops, and goes
 * back to it once it has caught up. Only reads that nothing then writes from use it (db.server.ts).
 */
export type ReplicaState =
  { replica: "ok"; lagSeconds: number } | { replica: "lagging"; lagSeconds: number; maxLagSeconds: number } | { replica: "unavailable"; reason: string };

export interface ReportsHealth {
  /** Where reports read just now. */
  source: "replica" | "primary";
  state: ReplicaState | null;
}

/** How long one look at the replica's lag stands: a report asks at most once a second. */
const RECHECK_MS = 1_000;
/** A replica that does not answer this fast counts as unavailable. */
const CHECK_TIMEOUT_MS = 2_000;

/**
 * How far the replica is behind, read from the replica itself: none when it has replayed all
 * the WAL the primary had flushed just before we asked (an idle primary writes nothing, so the
 * time of the last replayed commit says nothing about lag then); otherwise the age of the last
 * commit it has replayed, which is at least the real lag.
 */
export async function replicaLag(replica: pg.Pool, primary: pg.Pool): Promise<number> {
  const flushed = await primary.query<{ lsn: string }>("select pg_current_wal_flush_lsn()::text as lsn");
  const { rows } = await replica.query<{ recovering: boolean; caught_up: boolean | null; replay_age: number | null }>(
    `select pg_is_in_recovery() as recovering,
            pg_last_wal_replay_lsn() >= $1::pg_lsn as caught_up,
            extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as replay_age`,
    [flushed.rows[0]!.lsn],
  );
  const row = rows[0]!;
  // Not in recovery: a primary of its own (a promoted replica), as current as it gets.
  if (!row.recovering || row.caught_up) return 0;
  return Math.max(0, row.replay_age ?? Number.POSITIVE_INFINITY);
}

/** A pool that lends a replica connection while the replica is usable, a primary one otherwise. */
export class ReportsPool implements PostgresPool {
  #state: ReplicaState | null = null;
  #checkedAt = 0;
  #checking: Promise<ReplicaState> | null = null;

  constructor(
    readonly replica: pg.Pool,
    readonly primary: pg.Pool,
    readonly maxLagSeconds: number,
    readonly log: (line: string) => void = console.error,
  ) {}

  async connect(): Promise<PostgresPoolClient> {
    const state = await this.current();
    if (state.replica === "ok") {
      try {
        return await this.replica.connect();
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        this.#record({ replica: "unavailable", reason: reasonOf(error) });
      }
    }
    return this.primary.connect();
  }

  /** Where reports read now and why, looked at afresh (for /healthz). */
  async health(): Promise<ReportsHealth> {
    const state = await this.check();
    return { source: state.replica === "ok" ? "replica" : "primary", state };
  }

  /**
   * The last look at the replica if it is recent, else a new one (one at a time). While the
   * replica is not usable, reports do not wait for the next look: they read the primary and
   * the look runs beside them (a replica that does not answer would hold every report).
   */
  current(): Promise<ReplicaState> {
    const state = this.#state;
    if (state && Date.now() - this.#checkedAt < RECHECK_MS) return Promise.resolve(state);
    const looking = this.check();
    return state && state.replica !== "ok" ? Promise.resolve(state) : looking;
  }

  check(): Promise<ReplicaState> {
    this.#checking ??= this.#look().finally(() => (this.#checking = null));
    return this.#checking;
  }

  async #look(): Promise<ReplicaState> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    });
    let state: ReplicaState;
    try {
      const lagSeconds = await Promise.race([replicaLag(this.replica, this.primary), timeout]);
      state = lagSeconds <= this.maxLagSeconds ? { replica: "ok", lagSeconds } : { replica: "lagging", lagSeconds, maxLagSeconds: this.maxLagSeconds };
    } catch (error) {
      state = { replica: "unavailable", reason: reasonOf(error) };
    } finally {
      clearTimeout(timer);
    }
    this.#record(state);
    return state;
  }

  /** Keeps the state; says so in the log when reports move between the replica and the primary. */
  #record(state: ReplicaState) {
    const before = this.#state?.replica ?? "ok";
    this.#state = state;
    this.#checkedAt = Date.now();
    if (state.replica === before) return;
    if (state.replica === "ok") this.log("Reports read the replica (REPORTS_DATABASE_URL) again: it has caught up.");
    else if (state.replica === "lagging") {
      this.log(
        `Reports read the primary: the replica (REPORTS_DATABASE_URL) is ${formatLag(state.lagSeconds)} behind, more than REPORTS_MAX_LAG_SECONDS=${state.maxLagSeconds}.`,
      );
    } else this.log(`Reports read the primary: the replica (REPORTS_DATABASE_URL) is unavailable (${state.reason}).`);
  }

  async end() {
    await this.replica.end();
  }
}

function formatLag(seconds: number) {
  return Number.isFinite(seconds) ? `${seconds.toFixed(1)} s` : "an unknown time";
}

function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors[0]) return reasonOf(error.errors[0]);
  if (error instanceof Error) return error.message.split("\n")[0] || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}

/** The reports' handle over a replica of `primary` (a PostgreSQL handle from openDatabase). */
export function openReportsDatabase(config: ReportsConfig, primary: DB, log?: (line: string) => void): { db: DB; pool: ReportsPool } {
  const primaryPool = postgresPoolOf(primary);
  if (!primaryPool) throw new Error("openReportsDatabase: the primary is not a PostgreSQL handle.");
  const pool = new ReportsPool(postgresPool(config.url, config.poolSize, CHECK_TIMEOUT_MS), primaryPool, config.maxLagSeconds, log);
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}
