import { createHash, randomBytes } from "node:crypto";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as vc from "@digitalbazaar/vc";
import type { DB } from "../db/database.server";
import { CREDENTIALS_V2, OPEN_BADGES_V3 } from "./document-loader.server";
import { credentialLoader } from "./resolver.server";
import { signingKey, type Issuer, type SigningKey } from "./issuer-keys.server";
import { statusEntryFor } from "./status-list.server";

/**
 * Open Badges 3.0 `OpenBadgeCredential`s (W3C Verifiable Credentials 2.0), signed with a Data
 * Integrity proof, cryptosuite eddsa-rdfc-2022, by the area's issuer key. One credential per
 * certificate, signed when the certificate is issued and kept exactly as signed. The child is
 * named only by a salted SHA-256 hash of their passport number (an OB3 IdentityObject); a
 * guardian can ask for a copy that also carries the child's name (signed then, never stored).
 */

export type OpenBadgeCredential = Record<string, unknown> & {
  id: string;
  type: string[];
  issuer: { id: string; [key: string]: unknown };
  validFrom: string;
  proof?: Record<string, unknown>;
};

export interface CertificateForBadge {
  id: string;
  serial: number;
  awardLevelId: string;
  awardNameEn: string;
  awardNameCy: string;
  thresholdHours: number;
  reachedOn: string;
  issuedAt: Date;
  graduationId: string | null;
}

/** Whole seconds, as XML Schema dateTime with Z (what wallets and verifiers expect). */
export const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

export const credentialUrl = (issuer: Pick<Issuer, "baseUrl">, certificateId: string) => `${issuer.baseUrl}/credentials/${certificateId}`;
export const issuerProfileUrl = (issuer: Pick<Issuer, "baseUrl" | "slug">) => `${issuer.baseUrl}/issuers/${encodeURIComponent(issuer.slug)}`;

/** OB3 IdentityObject: "sha256$" + hex(SHA-256(identifier + salt)). */
export function hashedIdentity(identifier: string, salt: string) {
  return `sha256$${createHash("sha256")
    .update(identifier + salt, "utf8")
    .digest("hex")}`;
}

function hoursEn(hours: number) {
  return `${hours} ${hours === 1 ? "hour" : "hours"}`;
}

export function buildOpenBadgeCredential(input: {
  issuer: Issuer;
  certificate: CertificateForBadge;
  passportNumber: string;
  salt?: string;
  childName?: string;
  id?: string;
}): OpenBadgeCredential {
  const { issuer, certificate } = input;
  const salt = input.salt ?? randomBytes(16).toString("hex");
  const hours = certificate.thresholdHours;
  const name = `${certificate.awardNameCy} · ${certificate.awardNameEn}`;
  const identifier: Array<Record<string, unknown>> = [
    { type: "IdentityObject", identityHash: hashedIdentity(input.passportNumber, salt), identityType: "identifier", hashed: true, salt },
  ];
  if (input.childName) identifier.push({ type: "IdentityObject", identityHash: input.childName, identityType: "name", hashed: false });
  return {
    "@context": [CREDENTIALS_V2, OPEN_BADGES_V3],
    id: input.id ?? credentialUrl(issuer, certificate.id),
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name,
    description:
      `Gwobr Prifysgol y Plant am ${hours} awr o ddysgu y tu allan i'r ysgol. · ` +
      `A Children's University award for ${hoursEn(hours)} of learning outside school.`,
    issuer: {
      id: issuer.did,
      type: ["Profile"],
      name: `${issuer.nameCy} · ${issuer.nameEn}`,
      url: issuerProfileUrl(issuer),
    },
    validFrom: isoSeconds(certificate.issuedAt),
    awardedDate: `${certificate.reachedOn}T00:00:00Z`,
    credentialSubject: {
      type: ["AchievementSubject"],
      identifier,
      achievement: {
        id: `${issuerProfileUrl(issuer)}/achievements/${certificate.awardLevelId}`,
        type: ["Achievement"],
        achievementType: certificate.graduationId ? "Certificate" : "Award",
        name,
        description: `${hours} awr o ddysgu · ${hoursEn(hours)} of learning`,
        criteria: {
          narrative:
            `Cofnodi ${hours} awr o ddysgu gyda Chyrchfannau Dysgu dilys Prifysgol y Plant. · ` +
            `Record ${hoursEn(hours)} of learning at validated Children's University Learning Destinations.`,
        },
      },
    },
    credentialStatus: statusEntryFor(issuer, certificate.serial),
  };
}

/** Signs a credential with the key given (its proof is dated now). */
export async function signCredential(db: DB, key: SigningKey, credential: OpenBadgeCredential): Promise<OpenBadgeCredential> {
  const suite = new DataIntegrityProof({ signer: key.keyPair.signer(), cryptosuite });
  return (await vc.issue({ credential, suite, documentLoader: credentialLoader(db) })) as OpenBadgeCredential;
}

/**
 * Signs and stores the credentials of certificates just issued (inside the caller's
 * transaction): one signing key look-up for the whole batch.
 */
export async function issueBadgeCredentials(db: DB, areaId: string, baseUrl: string, certificates: Array<CertificateForBadge & { childId: string }>) {
  if (certificates.length === 0) return;
  const key = await signingKey(db, areaId, baseUrl);
  const passports = await db
    .selectFrom("child")
    .select(["id", "passport_number"])
    .where("area_id", "=", areaId)
    .where("id", "in", [...new Set(certificates.map((row) => row.childId))])
    .execute();
  const passportOf = new Map(passports.map((row) => [row.id, row.passport_number]));
  const rows = [];
  for (const certificate of certificates) {
    const unsigned = buildOpenBadgeCredential({ issuer: key.issuer, certificate, passportNumber: passportOf.get(certificate.childId)! });
    rows.push({ certificate_id: certificate.id, area_id: areaId, credential: JSON.stringify(await signCredential(db, key, unsigned)) });
  }
  for (let start = 0; start < rows.length; start += 200) {
    await db
      .insertInto("badge_credential")
      .values(rows.slice(start, start + 200))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** A stored credential, as issued. */
export async function storedCredential(db: DB, certificateId: string): Promise<OpenBadgeCredential | null> {
  const row = await db.selectFrom("badge_credential").select("credential").where("certificate_id", "=", certificateId).executeTakeFirst();
  return row ? (JSON.parse(row.credential) as OpenBadgeCredential) : null;
}
