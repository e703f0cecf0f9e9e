import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as vc from "@digitalbazaar/vc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentLoaderFor } from "~/modules/certificates/document-loader.server";
import { ownDidDocument } from "~/modules/certificates/issuer-keys.server";
import { statusListCredential } from "~/modules/certificates/status-list.server";
import type { DB } from "~/modules/db/database.server";
import { createTestDatabase } from "../support/test-database";

/*
 * The signed status lists are kept in memory between requests. Integration files share a worker's
 * modules (vitest.config.ts), and a restored backup or a second deployment can hold an area with
 * the same id: what one database signed must never be served for another.
 */
const AREA_ID = "5f0c2a4e-8d1b-4c3a-9e2f-1a2b3c4d5e6f";
const BASE_URL = "https://pasbort.example.org";
const databases: Array<Awaited<ReturnType<typeof createTestDatabase>>> = [];

beforeAll(async () => {
  for (let n = 0; n < 2; n++) {
    const database = await createTestDatabase({ reference: false });
    await database.db
      .insertInto("area")
      .values({ id: AREA_ID, slug: "north", name_en: "Area north", name_cy: "Ardal north", passport_prefix: "NA", settings: "{}" })
      .execute();
    databases.push(database);
  }
});

afterAll(async () => {
  for (const database of databases) await database.close();
});

async function verifiesWithKeysOf(db: DB, credential: Record<string, unknown>) {
  const documentLoader = documentLoaderFor((did) => ownDidDocument(db, did));
  const result = await vc.verifyCredential({
    credential,
    suite: new DataIntegrityProof({ cryptosuite }),
    documentLoader,
    checkStatus: async () => ({ verified: true }),
  });
  return result.verified as boolean;
}

describe("a status list kept in memory", () => {
  it("is signed with each database's own key, for the same area id in two databases", async () => {
    const [first, second] = databases.map((database) => database.db) as [DB, DB];
    const fromFirst = await statusListCredential(first, AREA_ID, BASE_URL, 1);
    const fromSecond = await statusListCredential(second, AREA_ID, BASE_URL, 1);
    expect(await verifiesWithKeysOf(first, fromFirst)).toBe(true);
    expect(await verifiesWithKeysOf(second, fromSecond)).toBe(true);
    expect(await verifiesWithKeysOf(second, fromFirst)).toBe(false);
    // Asked again, each database's list comes from memory, still its own.
    expect(await statusListCredential(second, AREA_ID, BASE_URL, 1)).toBe(fromSecond);
  });
});
