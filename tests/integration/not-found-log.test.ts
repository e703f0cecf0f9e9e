import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBuiltServer, type BuiltServer } from "../../scripts/built-server";
import { pgliteTemplateFile, testDatabaseKind } from "../support/test-database";

/** The compiled server: a 404 is one line in the log and a page in the visitor's language (issue 18), and what the log says about mail. On its own PGlite (a copy of the run's reference template: a first start is demo-switch.test.ts's), so once. */
let server: BuiltServer;

describe.runIf(testDatabaseKind() === "pglite")("server log", () => {
  beforeAll(async () => {
    server = await startBuiltServer({ startFrom: pgliteTemplateFile("reference") });
  }, 300_000);
  afterAll(async () => server?.stop());

  it("says at start-up, without SMTP_URL, that no email is sent and the outbox keeps no links", () => {
    expect(server.output()).toMatch(
      /^Mail: no SMTP_URL, so no email is sent \(password resets, invitations, confirmations\); the outbox lists them without their links\. Set SMTP_URL to send them\.$/m,
    );
  });

  it("writes one line for a page that is not there, with no stack trace", async () => {
    const before = server.output().length;
    const response = await fetch(`${server.url}/no-such-page-here`);
    expect(response.status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const logged = server.output().slice(before).trim().split("\n");
    expect(logged).toEqual(["404 GET /no-such-page-here"]);
  });

  it("answers a Welsh session's missing page in Welsh, titled as what it is", async () => {
    const response = await fetch(`${server.url}/no-such-page-here?lang=cy`);
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toMatch(/<html lang="cy"/);
    expect(html).toContain("<title>Heb ddod o hyd i&#x27;r dudalen – Pasbort</title>");
    // The choice is remembered: the next missing page, without ?lang, is Welsh too.
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const next = await (await fetch(`${server.url}/another/missing/page`, { headers: { Cookie: cookie } })).text();
    expect(next).toMatch(/<html lang="cy"/);
  });
});
