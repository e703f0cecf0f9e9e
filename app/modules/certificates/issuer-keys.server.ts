import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { sql } from "kysely";
import type { DB } from "../db/database.server";
import { credentialKeySecret } from "../db/config";
import { DID_V1, MULTIKEY_V1, type DidDocument } from "./document-loader.server";

/**
 * Each area's Open Badges issuer: a did:web on the deployment's own address
 * (`did:web:<host>:issuers:<area slug>`, published at /issuers/<slug>/did.json) and its
 * Ed25519 key pairs. The first key pair is made on first use; the secret key is sealed with
 * AES-256-GCM under a key derived from CREDENTIAL_KEY_SECRET, bound to its area and key number,
 * so a database dump alone signs nothing. Rotating makes a new signing key and retires the old
 * one: its secret is erased, its public key stays in the DID document, so every credential
 * already signed with it still verifies. See docs/credentials.md.
 */

const SEAL_VERSION = "v1";

/** Thrown when a sealed key cannot be opened: CREDENTIAL_KEY_SECRET is not the one it was sealed with. */
export class CredentialKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CredentialKeyError";
  }
}

/** The AES key that seals issuer keys, derived from CREDENTIAL_KEY_SECRET. */
export function credentialSealingKey(env: Record<string, string | undefined> = process.env): Buffer {
  return Buffer.from(hkdfSync("sha256", credentialKeySecret(env), "pasbort", "credential issuer keys v1", 32));
}

function aad(areaId: string, keyNumber: number) {
  return Buffer.from(`pasbort issuer key ${areaId} ${keyNumber}`, "utf8");
}

export function sealSecretKey(secretKeyMultibase: string, areaId: string, keyNumber: number, key = credentialSealingKey()) {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad(areaId, keyNumber));
  const sealed = Buffer.concat([cipher.update(secretKeyMultibase, "utf8"), cipher.final()]);
  return `${SEAL_VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url")}`;
}

export function openSecretKey(sealed: string, areaId: string, keyNumber: number, key = credentialSealingKey()) {
  const [version, body] = sealed.split(".", 2);
  if (version !== SEAL_VERSION || !body) throw new CredentialKeyError(`Issuer key ${keyNumber}: unknown sealing format.`);
  const bytes = Buffer.from(body, "base64url");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
    decipher.setAAD(aad(areaId, keyNumber));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    throw new CredentialKeyError(
      `Issuer key ${keyNumber} of area ${areaId} cannot be opened: CREDENTIAL_KEY_SECRET is not the one it was sealed with. ` +
        "Restore it, or rotate the key (npm run credentials:rotate-key) to sign with a new one.",
    );
  }
}

/** `did:web` for an area on a deployment address (a port is written %3A, as did:web says). */
export function issuerDidFor(baseUrl: string, areaSlug: string) {
  const url = new URL(baseUrl);
  return `did:web:${url.host.replace(":", "%3A")}:issuers:${encodeURIComponent(areaSlug)}`;
}

export const keyIdOf = (did: string, keyNumber: number) => `${did}#key-${keyNumber}`;

export interface Issuer {
  areaId: string;
  slug: string;
  did: string;
  baseUrl: string;
  nameEn: string;
  nameCy: string;
}

export interface SigningKey {
  issuer: Issuer;
  keyNumber: number;
  keyPair: Ed25519Multikey.Ed25519MultikeyPair;
}

// Opened keys, by area and key number: opening is cheap but a graduation signs hundreds at once.
const opened = new Map<string, Ed25519Multikey.Ed25519MultikeyPair>();

async function newKeyRow(areaId: string, did: string, keyNumber: number) {
  const keyPair = await Ed25519Multikey.generate({ controller: did, id: keyIdOf(did, keyNumber) });
  const exported = await keyPair.export({ publicKey: true, secretKey: true });
  return {
    area_id: areaId,
    key_number: keyNumber,
    public_key_multibase: exported.publicKeyMultibase,
    sealed_secret_key: sealSecretKey(exported.secretKeyMultibase!, areaId, keyNumber),
  };
}

/** The area's issuer, made (with its first key pair) on first use at `baseUrl`. */
export async function ensureIssuer(db: DB, areaId: string, baseUrl: string): Promise<Issuer> {
  const area = await db.selectFrom("area").select(["id", "slug", "name_en", "name_cy"]).where("id", "=", areaId).executeTakeFirstOrThrow();
  let row = await db.selectFrom("credential_issuer").select(["did", "base_url"]).where("area_id", "=", areaId).executeTakeFirst();
  if (!row) {
    const origin = new URL(baseUrl).origin;
    const did = issuerDidFor(origin, area.slug);
    // Made once: two first uses at the same time both end up with the same issuer and key 1.
    const first = await newKeyRow(areaId, did, 1);
    await db
      .insertInto("credential_issuer")
      .values({ area_id: areaId, did, base_url: origin })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await db
      .insertInto("credential_issuer_key")
      .values(first)
      .onConflict((oc) => oc.doNothing())
      .execute();
    row = await db.selectFrom("credential_issuer").select(["did", "base_url"]).where("area_id", "=", areaId).executeTakeFirstOrThrow();
  }
  return { areaId, slug: area.slug, did: row.did, baseUrl: row.base_url, nameEn: area.name_en, nameCy: area.name_cy };
}

/** The area's current signing key (made on first use). */
export async function signingKey(db: DB, areaId: string, baseUrl: string): Promise<SigningKey> {
  const issuer = await ensureIssuer(db, areaId, baseUrl);
  const row = await db
    .selectFrom("credential_issuer_key")
    .select(["key_number", "public_key_multibase", "sealed_secret_key"])
    .where("area_id", "=", areaId)
    .where("retired_at", "is", null)
    .executeTakeFirstOrThrow();
  const cacheKey = `${areaId}:${row.key_number}:${row.public_key_multibase}`;
  let keyPair = opened.get(cacheKey);
  if (!keyPair) {
    keyPair = await Ed25519Multikey.from({
      id: keyIdOf(issuer.did, row.key_number),
      controller: issuer.did,
      type: "Multikey",
      publicKeyMultibase: row.public_key_multibase,
      secretKeyMultibase: openSecretKey(row.sealed_secret_key!, areaId, row.key_number),
    });
    opened.set(cacheKey, keyPair);
  }
  return { issuer, keyNumber: row.key_number, keyPair };
}

/**
 * A new signing key for the area; the old one is retired (its secret erased, its public key
 * still published). Credentials already issued keep verifying. Returns the new key number.
 */
export async function rotateIssuerKey(db: DB, areaId: string, baseUrl: string): Promise<number> {
  const issuer = await ensureIssuer(db, areaId, baseUrl);
  const run = async (trx: DB) => {
    await sql`select area_id from credential_issuer where area_id = ${areaId} for update`.execute(trx);
    const { last } = await trx
      .selectFrom("credential_issuer_key")
      .select((eb) => eb.fn.max("key_number").as("last"))
      .where("area_id", "=", areaId)
      .executeTakeFirstOrThrow();
    const next = Number(last ?? 0) + 1;
    await trx
      .updateTable("credential_issuer_key")
      .set({ retired_at: new Date(), sealed_secret_key: null })
      .where("area_id", "=", areaId)
      .where("retired_at", "is", null)
      .execute();
    await trx
      .insertInto("credential_issuer_key")
      .values(await newKeyRow(areaId, issuer.did, next))
      .execute();
    return next;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** The DID document of one of this deployment's issuers: every key it ever signed with. */
export async function ownDidDocument(db: DB, did: string): Promise<DidDocument | null> {
  const issuer = await db.selectFrom("credential_issuer").select(["area_id", "did"]).where("did", "=", did).executeTakeFirst();
  if (!issuer) return null;
  const keys = await db
    .selectFrom("credential_issuer_key")
    .select(["key_number", "public_key_multibase"])
    .where("area_id", "=", issuer.area_id)
    .orderBy("key_number")
    .execute();
  const methods = keys.map((key) => ({ id: keyIdOf(did, key.key_number), type: "Multikey", controller: did, publicKeyMultibase: key.public_key_multibase }));
  return { "@context": [DID_V1, MULTIKEY_V1], id: did, verificationMethod: methods, assertionMethod: methods.map((method) => method.id) };
}

/** The issuer of an area slug, if it has one (for the public documents under /issuers/<slug>). */
export async function issuerBySlug(db: DB, slug: string) {
  return db
    .selectFrom("credential_issuer")
    .innerJoin("area", "area.id", "credential_issuer.area_id")
    .select(["credential_issuer.area_id", "credential_issuer.did", "credential_issuer.base_url", "area.slug", "area.name_en", "area.name_cy"])
    .where("area.slug", "=", slug)
    .executeTakeFirst();
}

/** Thrown by `rotateIssuerKeysOf` for an area that is not there or has no issuer yet (i18n key and slug). */
export class KeyRotationRefusal extends Error {
  constructor(
    readonly reason: "credentials.rotate.unknownArea" | "credentials.rotate.noIssuer",
    readonly slug: string,
  ) {
    super(`${reason}: ${slug}`);
    this.name = "KeyRotationRefusal";
  }
}

/**
 * `npm run credentials:rotate-key`: a new signing key for each area named (by slug), or for
 * every area with an issuer (`"all"`, e.g. after CREDENTIAL_KEY_SECRET was lost: rotating never
 * opens the old secret). All or nothing: an unknown slug, or an area that has no issuer yet
 * (its first key is made when its first badge is), refuses the whole run before any rotation.
 */
export async function rotateIssuerKeysOf(db: DB, slugs: string[] | "all") {
  const query = db
    .selectFrom("area")
    .leftJoin("credential_issuer", "credential_issuer.area_id", "area.id")
    .select(["area.id", "area.slug", "credential_issuer.did", "credential_issuer.base_url"])
    .orderBy("area.slug");
  const rows = slugs === "all" ? (await query.execute()).filter((row) => row.did !== null) : await query.where("area.slug", "in", slugs).execute();
  if (slugs !== "all") {
    for (const slug of slugs) {
      const row = rows.find((candidate) => candidate.slug === slug);
      if (!row) throw new KeyRotationRefusal("credentials.rotate.unknownArea", slug);
      if (!row.did) throw new KeyRotationRefusal("credentials.rotate.noIssuer", slug);
    }
  }
  return db.transaction().execute(async (trx) => {
    const rotated = [];
    for (const row of rows) {
      const keyNumber = await rotateIssuerKey(trx, row.id, row.base_url!);
      rotated.push({ slug: row.slug, did: row.did!, keyNumber });
    }
    return rotated;
  });
}
