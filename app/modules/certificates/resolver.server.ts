import type { DB } from "../db/database.server";
import { documentLoaderFor, type DidDocument } from "./document-loader.server";
import { ownDidDocument } from "./issuer-keys.server";
import { statusListCredential } from "./status-list.server";

/**
 * Where this app finds issuers and status lists when it signs or verifies: its own areas'
 * issuers (DID documents and live status lists), read from its database, the same documents
 * it publishes at /issuers/<slug>/... for everyone else.
 */

export async function resolveDid(db: DB, did: string): Promise<DidDocument | null> {
  return ownDidDocument(db, did);
}

const STATUS_PATH = /^\/issuers\/([^/]+)\/status\/([1-9][0-9]{0,5})$/;

/** One of our status list credentials by URL (built now), or null. */
export async function statusListByUrl(db: DB, url: string): Promise<unknown | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const match = parsed.pathname.match(STATUS_PATH);
  if (match) {
    const own = await db
      .selectFrom("credential_issuer")
      .innerJoin("area", "area.id", "credential_issuer.area_id")
      .select(["credential_issuer.area_id", "credential_issuer.base_url"])
      .where("credential_issuer.base_url", "=", parsed.origin)
      .where("area.slug", "=", decodeURIComponent(match[1]!))
      .executeTakeFirst();
    if (own) return statusListCredential(db, own.area_id, own.base_url, Number(match[2]));
  }
  return null;
}

/** The document loader for signing and verifying in this app: bundled contexts, DIDs and status lists from the database. */
export function credentialLoader(db: DB): DocumentLoader {
  const base = documentLoaderFor((did) => resolveDid(db, did));
  return async (url: string) => {
    if (/^https?:\/\//.test(url) && url.includes("/status/")) {
      const list = await statusListByUrl(db, url);
      if (list) return { contextUrl: null, documentUrl: url, document: list };
    }
    return base(url);
  };
}
