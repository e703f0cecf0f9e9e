import { describe, expect, it } from "vitest";
import { demoFromEnv, httpTimeoutsFromEnv } from "./config";

describe("DEMO, the switch for the demo data", () => {
  it("is off unless set to 1", () => {
    expect(demoFromEnv({})).toBe(false);
    expect(demoFromEnv({ DEMO: "" })).toBe(false);
    expect(demoFromEnv({ DEMO: "0" })).toBe(false);
    expect(demoFromEnv({ DEMO: "1" })).toBe(true);
    // The embedded database in production, as `npm run demo` starts it.
    expect(demoFromEnv({ DEMO: "1", NODE_ENV: "production" })).toBe(true);
    expect(demoFromEnv({ DEMO: "1", DATABASE_URL: "postgres://localhost/pasbort_demo" })).toBe(true);
  });

  it("names DEMO when its value is not 1 or 0", () => {
    for (const wrong of ["yes", "true", "2"]) expect(() => demoFromEnv({ DEMO: wrong })).toThrow(/^DEMO: ".+" is not 1 or 0/);
  });

  it("is refused on a real install: PostgreSQL in production", () => {
    expect(() => demoFromEnv({ DEMO: "1", NODE_ENV: "production", DATABASE_URL: "postgres://db/pasbort" })).toThrow(
      /^DEMO: not with DATABASE_URL in production.*npm run seed:demo/,
    );
    expect(demoFromEnv({ DEMO: "0", NODE_ENV: "production", DATABASE_URL: "postgres://db/pasbort" })).toBe(false);
  });
});

describe("the HTTP server's timeouts", () => {
  it("default to 20 s for the headers, 120 s for the whole request, 5 s for an idle kept-alive connection, checked every 2 s", () => {
    expect(httpTimeoutsFromEnv({})).toEqual({ headersTimeout: 20_000, requestTimeout: 120_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 2_000 });
  });

  it("are set in seconds, fractions allowed", () => {
    expect(
      httpTimeoutsFromEnv({
        HTTP_HEADERS_TIMEOUT_SECONDS: "1.5",
        HTTP_REQUEST_TIMEOUT_SECONDS: "30",
        HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: "65",
        HTTP_CONNECTIONS_CHECK_SECONDS: "0.25",
      }),
    ).toEqual({ headersTimeout: 1_500, requestTimeout: 30_000, keepAliveTimeout: 65_000, connectionsCheckingInterval: 250 });
  });

  it("name the setting that is not a number of seconds, or a request timeout shorter than the headers'", () => {
    for (const wrong of ["0", "-1", "soon", "3601"]) {
      expect(() => httpTimeoutsFromEnv({ HTTP_HEADERS_TIMEOUT_SECONDS: wrong })).toThrow(/^HTTP_HEADERS_TIMEOUT_SECONDS: ".+" is not a number of seconds/);
    }
    expect(() => httpTimeoutsFromEnv({ HTTP_HEADERS_TIMEOUT_SECONDS: "30", HTTP_REQUEST_TIMEOUT_SECONDS: "10" })).toThrow(
      /^HTTP_REQUEST_TIMEOUT_SECONDS: must be at least HTTP_HEADERS_TIMEOUT_SECONDS/,
    );
  });
});
