import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBuiltServer, type BuiltServer } from "../../scripts/built-server";
import { testDatabaseKind } from "../support/test-database";

/** The compiled server's log: a 404 is one line (issue 18), and what it says about mail. On its own PGlite, so once. */
let server: BuiltServer;

describe.runIf(testDatabaseKind() === "pglite")("server log", () => {
  beforeAll(async () => {
    server = await startBuiltServer();
  }, 300_000);
  afterAll(async () => server?.stop());

  it("says at start-up, without SMTP_URL, that no email is sent and the outbox keeps no links", () => {
    expect(server.output()).toMatch(/^Mail: no SMTP_URL, so no email is sent \(password resets, invitations, confirmations\); the outbox lists them without their links\. Set SMTP_URL to send them\.$/m);
  });

  it("writes one line for a page that is not there, with no stack trace", async () => {
    const before = server.output().length;
    const response = await fetch(`${server.url}/no-such-page-here`);
    expect(response.status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const logged = server.output().slice(before).trim().split("\n");
    expect(logged).toEqual(["404 GET /no-such-page-here"]);
  });
});
