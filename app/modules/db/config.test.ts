import { describe, expect, it } from "vitest";
import { demoFromEnv } from "./config";

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
