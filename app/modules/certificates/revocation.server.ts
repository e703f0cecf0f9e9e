import { forbidden, isUuid, notFound, type Membership } from "../accounts/actor.server";
import { recordAudit } from "../audit/audit.server";
import type { DB } from "../db/database.server";
import { sameArea } from "../db/same-area.server";

/**
 * A coordinator revokes one certificate of their area, with a reason: the certificate and its
 * Open Badge are then revoked everywhere at once (the published Bitstring Status List sets the
 * certificate's serial, /verify and /verify/<id> say so), never deleted. The award itself stays
 * on the child's record, so a new certificate (a new serial, a new badge) can be printed for it:
 * this is for a certificate or badge that must no longer be trusted (made in error, a named copy
 * shared by mistake). To take an award away, revoke the credits behind it (the award is then
 * flagged, and withdrawing it revokes its certificates: awards/flagged.server.ts).
 */

export const MAX_REVOKE_REASON_LENGTH = 500;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function requireCoordinator(m: Membership) {
  if (m.role !== "coordinator") forbidden();
}

export type CertificateSearch = { ok: true; certificateId: string } | { ok: false; error: string };

/** A certificate of the coordinator's area by its printed number (serial) or its verification code or address. */
export async function findAreaCertificate(db: DB, m: Membership, typed: string): Promise<CertificateSearch> {
  requireCoordinator(m);
  const text = typed.normalize("NFC").trim();
  if (!text) return { ok: false, error: "certificates.revoke.errors.searchRequired" };
  const uuid = text.match(UUID)?.[0]?.toLowerCase();
  const serial = /^#?\s*0*([1-9][0-9]{0,8})$/.exec(text)?.[1];
  if (!uuid && !serial) return { ok: false, error: "certificates.revoke.errors.searchInvalid" };
  const query = db.selectFrom("certificate").select("id").where("area_id", "=", m.areaId);
  const row = await (uuid ? query.where("id", "=", uuid) : query.where("serial", "=", Number(serial))).executeTakeFirst();
  if (!row) return { ok: false, error: "certificates.revoke.errors.notFound" };
  return { ok: true, certificateId: row.id };
}

/** One certificate of the coordinator's area, for the revoke screen; another area's is a 404. */
export async function areaCertificate(db: DB, m: Membership, certificateId: string) {
  requireCoordinator(m);
  if (!isUuid(certificateId)) notFound();
  const row = await db
    .selectFrom("certificate")
    .innerJoin("child", sameArea("child.id", "certificate.child_id"))
    .leftJoin("badge_credential", sameArea("badge_credential.certificate_id", "certificate.id"))
    .select([
      "certificate.id",
      "certificate.serial",
      "certificate.award_name_en",
      "certificate.award_name_cy",
      "certificate.threshold_hours",
      "certificate.reached_on",
      "certificate.issued_at",
      "certificate.revoked_at",
      "certificate.revoke_reason",
      "child.status as child_status",
      "child.given_name",
      "child.family_name",
      "badge_credential.certificate_id as badge_id",
    ])
    .where("certificate.area_id", "=", m.areaId)
    .where("certificate.id", "=", certificateId)
    .executeTakeFirst();
  if (!row) notFound();
  return {
    id: row.id,
    serial: row.serial,
    awardNameEn: row.award_name_en,
    awardNameCy: row.award_name_cy,
    thresholdHours: row.threshold_hours,
    reachedOn: row.reached_on,
    issuedAt: row.issued_at,
    revokedAt: row.revoked_at,
    revokeReason: row.revoke_reason,
    // A withdrawn child's name is erased: the certificate is shown by its number only.
    childName: row.child_status === "active" ? `${row.given_name ?? ""} ${row.family_name ?? ""}`.trim() : null,
    hasBadge: row.badge_id !== null,
  };
}

export type RevokeResult = { ok: true; serial: number } | { ok: false; error: string };

/**
 * Revokes a certificate of the coordinator's area with their reason (audited). Another area's
 * certificate is a 404, any other role a 403; an empty or over-long reason, or a certificate
 * already revoked, is an error key (nothing changes).
 */
export async function revokeCertificate(db: DB, m: Membership, certificateId: string, rawReason: string, now = new Date()): Promise<RevokeResult> {
  requireCoordinator(m);
  if (!isUuid(certificateId)) notFound();
  const reason = rawReason.normalize("NFC").trim();
  return db.transaction().execute(async (trx) => {
    const certificate = await trx
      .selectFrom("certificate")
      .select(["id", "serial", "child_id", "award_level_id", "revoked_at"])
      .where("area_id", "=", m.areaId)
      .where("id", "=", certificateId)
      .forUpdate()
      .executeTakeFirst();
    if (!certificate) notFound();
    if (certificate.revoked_at) return { ok: false, error: "certificates.revoke.errors.alreadyRevoked" };
    if (!reason) return { ok: false, error: "certificates.revoke.errors.reasonRequired" };
    if (reason.length > MAX_REVOKE_REASON_LENGTH) return { ok: false, error: "certificates.revoke.errors.reasonTooLong" };
    await trx
      .updateTable("certificate")
      .set({ revoked_at: now, revoke_reason: reason })
      .where("area_id", "=", m.areaId)
      .where("id", "=", certificate.id)
      .execute();
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "certificate_revoked",
      subjectType: "certificate",
      subjectId: certificate.id,
      details: { serial: certificate.serial, childId: certificate.child_id, awardLevelId: certificate.award_level_id, reason },
    });
    return { ok: true, serial: certificate.serial };
  });
}
