import { PostgresAdapter, PostgresDialect, sql, type Kysely } from "kysely";

/** Kysely's own migration lock id, so an older Pasbort migrating beside a newer one still waits for it. */
const MIGRATION_LOCK_ID = sql.lit(BigInt("3853314791062309107"));

/**
 * Kysely's PostgreSQL adapter, with the migration lock held by the migrations' own transaction
 * (works through PgBouncer in transaction mode). Kysely 0.28 takes a session-level advisory
 * lock (pg_advisory_lock) before the migrations' transaction and releases it after: through
 * PgBouncer those are three transactions, perhaps on three server connections, so the unlock
 * can land where the lock is not, the lock stays held for that server connection's life, and
 * the next start-up waits on it for up to an hour. Here the lock is pg_advisory_xact_lock in
 * the one transaction that runs every pending migration (migrate.server.ts turns Kysely's
 * own transaction off), released by its commit or rollback wherever it ran.
 */
class MigrationLockInTransaction extends PostgresAdapter {
  override async acquireMigrationLock(db: Kysely<unknown>) {
    await sql`begin`.execute(db);
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`.execute(db);
  }

  override async releaseMigrationLock(db: Kysely<unknown>) {
    // A failed migration has already rolled back (migrate.server.ts); then this only warns.
    await sql`commit`.execute(db);
  }
}

/** The app's PostgreSQL dialect (for PostgreSQL and PGlite alike): Kysely's, with the migration lock above. */
export class AppPostgresDialect extends PostgresDialect {
  override createAdapter() {
    return new MigrationLockInTransaction();
  }
}
