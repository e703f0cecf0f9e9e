import pg from "pg";
import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./unavailable.server";

describe("isDatabaseUnavailable", () => {
  it("is true of a connection that is refused, as when PostgreSQL is down", async () => {
    // A loopback port nothing listens on (the top of this project's test range).
    const pool = new pg.Pool({ connectionString: "postgres://postgres@127.0.0.1:58499/postgres", connectionTimeoutMillis: 2_000 });
    const error = await pool.query("select 1").catch((e: unknown) => e);
    await pool.end();
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("is true of PostgreSQL's shutdown and connection-exception states, and of a lost connection", () => {
    expect(isDatabaseUnavailable(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("the database system is starting up"), { code: "57P03" }))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
  });

  it("is false of a fault in a query, which stays a 500", () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('syntax error at or near "selec"'), { code: "42601" }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error("duplicate key value"), { code: "23505" }))).toBe(false);
    expect(isDatabaseUnavailable("not an error")).toBe(false);
  });
});
