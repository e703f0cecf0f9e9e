import type { PGlite } from "@electric-sql/pglite";
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";

/**
 * Lets Kysely's own PostgresDialect drive PGlite, so the embedded database and a real
 * PostgreSQL run the very same queries. PGlite is one connection, so the "pool" lends it
 * to one borrower at a time: a transaction never interleaves with other queries.
 */
export class PGlitePool implements PostgresPool {
  #waiting: Array<() => void> = [];
  #busy = false;

  constructor(readonly pglite: PGlite) {}

  async connect(): Promise<PostgresPoolClient> {
    if (this.#busy) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#busy = true;
    let released = false;
    return {
      query: async <R>(sql: string, parameters: ReadonlyArray<unknown>) => {
        const result = await this.pglite.query<R>(sql, [...parameters]);
        return {
          command: (result.command ?? "SELECT").toUpperCase(),
          rowCount: result.affectedRows ?? result.rows.length,
          rows: result.rows,
        } as PostgresQueryResult<R>;
      },
      release: () => {
        if (released) return;
        released = true;
        const next = this.#waiting.shift();
        if (next) next();
        else this.#busy = false;
      },
    } as PostgresPoolClient;
  }

  async end() {
    if (!this.pglite.closed) await this.pglite.close();
  }
}
