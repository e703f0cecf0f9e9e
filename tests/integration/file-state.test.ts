import { describe, expect, it } from "vitest";
import type { DB } from "~/modules/db/database.server";
import { db, reportsDb, setDb, setReportsDb } from "~/modules/db/db.server";
import { sendEmail } from "~/modules/email/email.server";
import { startFileAfresh } from "../support/file-state";
import { lastEmailTo, openMailbox } from "../support/outbox";
import { createTestDatabase } from "../support/test-database";

// The integration files share a worker's modules: what one file leaves in them must not reach the next.
describe("each integration file starts afresh", () => {
  it("with no database handle or mailbox left by the file before, and the environment put back when it ends", async () => {
    const before = { ...process.env };
    const restore = startFileAfresh();
    const previousFiles = {} as DB;
    setDb(previousFiles);
    setReportsDb({ db: previousFiles, health: async () => ({ source: "primary", state: null }) });
    const mailbox = openMailbox();
    process.env.PASBORT_LEFT_BY_A_FILE = "1";
    process.env.TEST_DB_KIND = "changed by a file";
    expect(db()).toBe(previousFiles);

    restore();
    expect(() => db()).toThrow(/has not been opened/);
    expect(() => reportsDb()).toThrow(/has not been opened/);
    expect(process.env).toEqual(before);

    // The mail transport is SMTP_URL's again: without one, nothing reaches the old mailbox.
    const { db: database, close } = await createTestDatabase({ reference: false });
    const saved = process.env.SMTP_URL;
    delete process.env.SMTP_URL;
    try {
      await sendEmail(database, { to: "guardian@example.org", subject: "Test", text: "Hello", language: "en" });
      expect(mailbox).toEqual([]);
      expect(await lastEmailTo(database, "guardian@example.org")).toMatchObject({ transport: "outbox" });
    } finally {
      if (saved !== undefined) process.env.SMTP_URL = saved;
      await close();
    }
  });
});
