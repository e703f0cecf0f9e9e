import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as vc from "@digitalbazaar/vc";
import { createList } from "@digitalbazaar/vc-bitstring-status-list";
import type { DB } from "../db/database.server";
import { CREDENTIALS_V2, documentLoaderFor } from "./document-loader.server";
import { signingKey, type Issuer } from "./issuer-keys.server";

/**
 * Revocation through a W3C Bitstring Status List published by the app at
 * /issuers/<slug>/status/<n>. A credential's index is its certificate's serial (per area,
 * without gaps), so no index is ever allocated twice; list n holds serials
 * (n-1)·131072 … n·131072-1 (131,072 bits, the specification's minimum, 16 KB before gzip).
 * The list credential is signed by the area's current key when it is asked for, and signed
 * again only after a revocation changes it.
 */

export const STATUS_LIST_LENGTH = 131_072;

export function statusListUrl(issuer: Pick<Issuer, "baseUrl" | "slug">, listNumber: number) {
  return `${issuer.baseUrl}/issuers/${encodeURIComponent(issuer.slug)}/status/${listNumber}`;
}

export function statusEntryFor(issuer: Pick<Issuer, "baseUrl" | "slug">, serial: number) {
  const listNumber = Math.floor(serial / STATUS_LIST_LENGTH) + 1;
  const index = serial % STATUS_LIST_LENGTH;
  const list = statusListUrl(issuer, listNumber);
  return {
    id: `${list}#${index}`,
    type: "BitstringStatusListEntry",
    statusPurpose: "revocation",
    statusListIndex: String(index),
    statusListCredential: list,
  };
}

// Per database handle: the same area id in another database (a restored backup, a test's
// second database) has other keys and other revocations.
const signedByDb = new WeakMap<DB, Map<string, { fingerprint: string; credential: Record<string, unknown> }>>();

/** The signed status list credential `listNumber` of an area (made with the issuer if need be). */
export async function statusListCredential(db: DB, areaId: string, baseUrl: string, listNumber: number) {
  const first = (listNumber - 1) * STATUS_LIST_LENGTH;
  const revoked = await db
    .selectFrom("certificate")
    .select("serial")
    .where("area_id", "=", areaId)
    .where("revoked_at", "is not", null)
    .where("serial", ">=", first)
    .where("serial", "<", first + STATUS_LIST_LENGTH)
    .orderBy("serial")
    .execute();
  const key = await signingKey(db, areaId, baseUrl);
  const fingerprint = `${key.keyNumber}:${revoked.map((row) => row.serial).join(",")}`;
  const cacheKey = `${areaId}:${listNumber}`;
  let signed = signedByDb.get(db);
  if (!signed) signedByDb.set(db, (signed = new Map()));
  const cached = signed.get(cacheKey);
  if (cached?.fingerprint === fingerprint) return cached.credential;

  const list = await createList({ length: STATUS_LIST_LENGTH });
  for (const { serial } of revoked) list.setStatus(serial - first, true);
  const id = statusListUrl(key.issuer, listNumber);
  const credential = {
    "@context": [CREDENTIALS_V2],
    id,
    type: ["VerifiableCredential", "BitstringStatusListCredential"],
    issuer: key.issuer.did,
    validFrom: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    credentialSubject: { id: `${id}#list`, type: "BitstringStatusList", statusPurpose: "revocation", encodedList: await list.encode() },
  };
  const suite = new DataIntegrityProof({ signer: key.keyPair.signer(), cryptosuite });
  const result = await vc.issue({ credential, suite, documentLoader: documentLoaderFor(async () => null) });
  signed.set(cacheKey, { fingerprint, credential: result });
  return result;
}
