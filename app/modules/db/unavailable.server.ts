/**
 * Whether an error means the database cannot be reached just now (connection refused, reset
 * or lost, PostgreSQL shutting down or starting up, no connection within the pool's timeout,
 * PGlite closed), as opposed to a fault in a query: the first is answered 503 with
 * Retry-After, so a client retries with the same idempotency key; the second is a 500.
 */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
// SQLSTATE class 08 (connection exception); 57P01–57P03: admin shutdown, crash shutdown, cannot connect now.
const SQLSTATES = /^(08...|57P0[123])$/;
const MESSAGES = /Connection terminated|not queryable|timeout exceeded when trying to connect|PGlite is closed|Cannot use a pool after calling end/i;

/** Seconds a client is asked to wait before trying again. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (NETWORK_CODES.has(code) || SQLSTATES.test(code))) return true;
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnavailable)) return true;
    if (MESSAGES.test(e.message)) return true;
  }
  return false;
}
