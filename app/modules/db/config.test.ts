import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CREDENTIAL_KEY_SECRET_FILE, credentialKeySecret, demoFromEnv, DEMO_CREDENTIAL_KEY_SECRET, httpTimeoutsFromEnv } from "./config";

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

describe("CREDENTIAL_KEY_SECRET, which seals the Open Badges signing keys", () => {
  const folder = () => mkdtempSync(path.join(tmpdir(), "pasbort-key-secret-"));

  it("is the one given, of at least 32 characters", () => {
    expect(credentialKeySecret({ CREDENTIAL_KEY_SECRET: "x".repeat(32), DATABASE_URL: "postgres://db/pasbort" })).toBe("x".repeat(32));
    expect(() => credentialKeySecret({ CREDENTIAL_KEY_SECRET: "short" })).toThrow(/at least 32 characters/);
    expect(() => credentialKeySecret({ DATABASE_URL: "postgres://db/pasbort" })).toThrow(/required with DATABASE_URL/);
  });

  it("on a real embedded install without it, is a random secret kept in the database's folder, never the published demo value", () => {
    const first = folder();
    const second = folder();
    try {
      const secret = credentialKeySecret({ NODE_ENV: "production", PGLITE_DIR: first });
      expect(secret).not.toBe(DEMO_CREDENTIAL_KEY_SECRET);
      expect(secret.length).toBeGreaterThanOrEqual(32);
      const file = path.join(first, CREDENTIAL_KEY_SECRET_FILE);
      expect(readFileSync(file, "utf8").trim()).toBe(secret);
      // Readable by the server's own user only.
      expect(statSync(file).mode & 0o077).toBe(0);
      // The same secret at every start (it opens the keys it sealed); another install has its own.
      expect(credentialKeySecret({ NODE_ENV: "production", PGLITE_DIR: first })).toBe(secret);
      expect(credentialKeySecret({ NODE_ENV: "production", PGLITE_DIR: second })).not.toBe(secret);
      // The demo too: made-up badges, but the same rule, so a demo started again without DEMO=1 still opens its keys.
      expect(credentialKeySecret({ NODE_ENV: "production", DEMO: "1", PGLITE_DIR: first })).toBe(secret);
    } finally {
      rmSync(first, { recursive: true, force: true });
      rmSync(second, { recursive: true, force: true });
    }
  });

  it("refuses a key file that is not a secret of at least 32 characters, naming the file", () => {
    const dir = folder();
    try {
      writeFileSync(path.join(dir, CREDENTIAL_KEY_SECRET_FILE), "short\n");
      expect(() => credentialKeySecret({ NODE_ENV: "production", PGLITE_DIR: dir })).toThrow(/credential-key-secret.*at least 32 characters/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("in tests, whose databases live in memory, is the fixed value", () => {
    expect(credentialKeySecret({ NODE_ENV: "test" })).toBe(DEMO_CREDENTIAL_KEY_SECRET);
  });
});
