import type { ChildPrincipal } from "../accounts/access.server";
import { isUuid, notFound, type Membership } from "../accounts/actor.server";
import { qrDataUrl } from "../claims/qr.server";
import type { DB } from "../db/database.server";
import { familyCertificate } from "./certificates.server";
import { signingKey } from "./issuer-keys.server";
import { signCredential, storedCredential, type OpenBadgeCredential } from "./open-badges.server";
import { sameArea } from "../db/same-area.server";

/**
 * The Open Badges a family takes away: one award's credential for its guardian (made with its
 * certificate the first time), and the public copy at the credential's own address, which is
 * where the certificate's QR code and a wallet's "add from link" lead.
 */

type IdentityObject = { type: string; identityType: string; identityHash: string; hashed: boolean; salt?: string };

/**
 * The stored credential, or with `withName` a copy that also names the child (an unhashed
 * IdentityObject, as Open Badges 3.0 allows), signed now and never stored: the guardian
 * chooses to share the name. Same id, same status entry, so revoking one revokes both. For the
 * child's guardian, or the child signed in on their own passport (their own awards only), with
 * familyCertificate's scope and refusals.
 */
export async function guardianCredential(
  db: DB,
  m: Membership | ChildPrincipal,
  childId: string,
  awardLevelId: string,
  origin: string,
  options: { withName: boolean },
) {
  const certificate = await familyCertificate(db, m, childId, awardLevelId, origin);
  const stored = await storedCredential(db, certificate.id);
  if (!stored) throw new Error(`Certificate ${certificate.id} has no credential.`);
  const childName = `${certificate.childGivenName} ${certificate.childFamilyName}`.trim();
  if (!options.withName) return { certificate, credential: stored };

  const { proof: _proof, ...unsigned } = stored;
  const subject = unsigned.credentialSubject as { identifier: IdentityObject[] } & Record<string, unknown>;
  const identifier = [
    ...subject.identifier.filter((item) => item.identityType !== "name"),
    { type: "IdentityObject", identityType: "name", identityHash: childName, hashed: false },
  ];
  const named = { ...unsigned, credentialSubject: { ...subject, identifier } } as OpenBadgeCredential;
  const key = await signingKey(db, m.areaId, origin);
  return { certificate, credential: await signCredential(db, key, named) };
}

/**
 * The credential at its own address, for anyone who has it (the id is as unguessable as the
 * certificate's, and the credential names no one). A withdrawn child's is gone, like its
 * certificate's verification page.
 */
export async function publicCredential(db: DB, certificateId: string | undefined): Promise<OpenBadgeCredential> {
  if (!certificateId || !isUuid(certificateId)) notFound();
  const row = await db
    .selectFrom("badge_credential")
    .innerJoin("certificate", sameArea("certificate.id", "badge_credential.certificate_id"))
    .innerJoin("child", sameArea("child.id", "certificate.child_id"))
    .select("badge_credential.credential")
    .where("badge_credential.certificate_id", "=", certificateId)
    .where("child.status", "=", "active")
    .executeTakeFirst();
  if (!row) notFound();
  return JSON.parse(row.credential) as OpenBadgeCredential;
}

/**
 * For the page that offers badges (the guardian's, the child's own): each certificate's badge
 * address (the credential's own `id`, where a wallet's "add from link" fetches it) and a QR code
 * of it as an image a phone's wallet app can scan. Certificates of other areas, or without a
 * stored badge, are left out.
 */
export async function walletLinks(db: DB, areaId: string, certificateIds: string[]): Promise<Map<string, { url: string; qr: string }>> {
  const ids = certificateIds.filter(isUuid);
  const links = new Map<string, { url: string; qr: string }>();
  if (ids.length === 0) return links;
  const rows = await db
    .selectFrom("badge_credential")
    .select(["certificate_id", "credential"])
    .where("area_id", "=", areaId)
    .where("certificate_id", "in", ids)
    .execute();
  for (const row of rows) {
    const { id } = JSON.parse(row.credential) as OpenBadgeCredential;
    links.set(row.certificate_id, { url: id, qr: await qrDataUrl(id) });
  }
  return links;
}
