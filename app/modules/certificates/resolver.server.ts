import type { DB } from "../db/database.server";
import { documentLoaderFor, type DidDocument } from "./document-loader.server";
import { ownDidDocument } from "./issuer-keys.server";
import { statusListCredential } from "./status-list.server";

/**
 * Where this app finds issuers and status lists when it signs or verifies: its own areas'
 * issuers (DID documents and live status lists), read from its database, the same documents
 * it publishes at /issuers/<slug>/... for everyone else; and the issuers of other Children's
 * Universities whose records a coordinator imported and chose to trust (trusted_issuer: their
 * DID documents and status lists as the transfer file carried them, transfer.server.ts).
 */

export type IssuerSource = { kind: "own" } | { kind: "transferred"; trustedAt: Date };

/** An issuer's DID document and where it came from, or null for an issuer unknown here. */
export async function resolveIssuer(db: DB, did: string): Promise<{ document: DidDocument; source: IssuerSource } | null> {
  const own = await ownDidDocument(db, did);
  if (own) return { document: own, source: { kind: "own" } };
  const trusted = await db.selectFrom("trusted_issuer").select(["did_document", "updated_at"]).where("did", "=", did).executeTakeFirst();
  if (trusted) return { document: JSON.parse(trusted.did_document) as DidDocument, source: { kind: "transferred", trustedAt: trusted.updated_at } };
  return null;
}

export async function resolveDid(db: DB, did: string): Promise<DidDocument | null> {
  return (await resolveIssuer(db, did))?.document ?? null;
}

/** A trusted issuer's status list credential by URL, as it was handed over. */
async function transferredStatusList(db: DB, url: string): Promise<unknown | null> {
  const rows = await db.selectFrom("trusted_issuer").select("status_lists").execute();
  for (const row of rows) {
    const found = (JSON.parse(row.status_lists) as Array<{ id?: unknown }>).find((list) => list.id === url);
    if (found) return found;
  }
  return null;
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
  return transferredStatusList(db, url);
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
