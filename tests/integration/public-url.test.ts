import { spawnSync } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { projectPath } from "~/modules/project-path.server";
import { action as forgotAction } from "~/routes/forgot-password";
import { createPerson, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { lastEmailTo, lastMailTo, openMailbox } from "../support/outbox";
import { createTestDatabase } from "../support/test-database";

/** Links in emails come from configuration, never from the Host header of whoever asks. */

let db: DB;
let close: () => Promise<void>;
const saved = { PUBLIC_URL: process.env.PUBLIC_URL, PORT: process.env.PORT };

beforeAll(async () => {
  openMailbox();
  ({ db, close } = await createTestDatabase());
  setDb(db);
  const { north } = await seedTwoAreas(db);
  await createPerson(db, { email: "host-victim@test.example", areaId: north.id, role: "coordinator" });
});
afterAll(async () => close());
afterEach(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

/** A reset asked for as a browser sent to evil.example would ask (the URL is built from Host). */
async function resetAskedThroughEvilHost(clientAddress: string) {
  const request = new Request("http://evil.example/forgot-password", {
    method: "POST",
    body: new URLSearchParams({ email: "host-victim@test.example" }),
    headers: { Host: "evil.example", "X-Forwarded-Host": "evil.example" },
  });
  await settle(forgotAction({ request, params: {}, context: { ...signedOutContext, clientAddress } }));
  // What was sent, and the outbox's copy: neither may point to evil.example.
  expect((await lastEmailTo(db, "host-victim@test.example")).body_text).not.toContain("evil.example");
  return lastMailTo("host-victim@test.example").text;
}

describe("a password reset asked for with Host: evil.example", () => {
  it("links to PUBLIC_URL", async () => {
    process.env.PUBLIC_URL = "https://pasbort.example.org";
    const body = await resetAskedThroughEvilHost("10.30.0.1");
    expect(body).not.toContain("evil.example");
    expect(body).toMatch(/https:\/\/pasbort\.example\.org\/reset-password\/[A-Za-z0-9_-]{40,}/);
  });

  it("links, on the embedded database without PUBLIC_URL, to this machine's own address", async () => {
    delete process.env.PUBLIC_URL;
    process.env.PORT = "4123";
    const body = await resetAskedThroughEvilHost("10.30.0.2");
    expect(body).not.toContain("evil.example");
    expect(body).toMatch(/http:\/\/localhost:4123\/reset-password\/[A-Za-z0-9_-]{40,}/);
  });
});

describe("starting a real install", () => {
  /** server.ts as `npm run serve` runs it, stopped by its settings before it opens anything. */
  function start(env: Record<string, string>) {
    const clean = { ...process.env };
    delete clean.PUBLIC_URL;
    delete clean.DATABASE_URL;
    delete clean.CREDENTIAL_KEY_SECRET;
    return spawnSync(process.execPath, ["--import", "tsx", projectPath("server.ts")], {
      cwd: projectPath(),
      env: { ...clean, NODE_ENV: "production", PORT: "58199", HOST: "127.0.0.1", ...env },
      encoding: "utf8",
      timeout: 60_000,
    });
  }

  it("refuses to start without PUBLIC_URL, saying what to set", () => {
    const run = start({ DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(/^PUBLIC_URL: not set\. Set it to the address people use to reach Pasbort, e\.g\. PUBLIC_URL=https:\/\/pasbort\.example/);
  });

  it("refuses a PUBLIC_URL that is not a web address", () => {
    const run = start({ DATABASE_URL: "postgres://nobody@127.0.0.1:1/none", PUBLIC_URL: "pasbort.example" });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(/^PUBLIC_URL: "pasbort\.example" is not a web address/);
  });

  it("refuses to start on PostgreSQL without CREDENTIAL_KEY_SECRET, which seals the badge signing keys", () => {
    const run = start({ DATABASE_URL: "postgres://nobody@127.0.0.1:1/none", PUBLIC_URL: "https://pasbort.example" });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(/^CREDENTIAL_KEY_SECRET: required with DATABASE_URL/);
  });
});
