import { describe, expect, it } from "vitest";
import type { DB } from "~/modules/db/database.server";
import { db, reportsDb, setDb, setReportsDb } from "~/modules/db/db.server";
import { startFileAfresh } from "../support/file-state";

// The integration files share a worker's modules: what one file leaves in them must not reach the next.
describe("each integration file starts afresh", () => {
  it("with no database handle left by the file before, and the environment put back when it ends", async () => {
    const before = { ...process.env };
    const restore = startFileAfresh();
    const previousFiles = {} as DB;
    setDb(previousFiles);
    setReportsDb({ db: previousFiles, health: async () => ({ source: "primary", state: null }) });
    process.env.PASBORT_LEFT_BY_A_FILE = "1";
    process.env.TEST_DB_KIND = "changed by a file";
    expect(db()).toBe(previousFiles);

    restore();
    expect(() => db()).toThrow(/has not been opened/);
    expect(() => reportsDb()).toThrow(/has not been opened/);
    expect(process.env).toEqual(before);
  });
});
