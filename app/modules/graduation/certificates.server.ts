import { certificatesPdf, issueCertificates } from "../certificates/certificates.server";
import type { DB } from "../db/database.server";
import { graduationEligibility } from "./eligibility.server";
import { recordGraduationDownload, type GraduationActor } from "./graduations.server";

/**
 * One school's certificates for a graduation that has been marked graduated: a page per child
 * of that school who attended, at the award they graduated with (`school` "none" means the
 * children with no school). Issuing is idempotent (certificates.server.ts), so downloading
 * again prints the same certificates with the same serials. An award that has since been
 * flagged (and not kept) is left out until the coordinator decides about it.
 */
export async function graduationCertificatesPdf(db: DB, actor: GraduationActor, graduationId: string, school: string, origin: string) {
  const graduates = (await graduationEligibility(db, actor.areaId, graduationId)).filter((row) => row.attended && (row.schoolId ?? "none") === school);
  const usable = graduates.length
    ? await db
        .selectFrom("award")
        .select(["child_id", "award_level_id"])
        .where("area_id", "=", actor.areaId)
        .where(
          "child_id",
          "in",
          graduates.map((row) => row.childId),
        )
        .where((eb) => eb.or([eb("flagged_at", "is", null), eb("kept_at", "is not", null)]))
        .execute()
    : [];
  const keys = new Set(usable.map((row) => `${row.child_id}:${row.award_level_id}`));
  const awards = graduates
    .filter((row) => keys.has(`${row.childId}:${row.awardLevelId}`))
    .map((row) => ({ childId: row.childId, awardLevelId: row.awardLevelId }));
  const certificates = await issueCertificates(db, { areaId: actor.areaId, awards, graduationId, issuedBy: actor.userId, origin });
  await recordGraduationDownload(db, actor, graduationId, "certificates_pdf", { school, certificates: certificates.length });
  return { pdf: await certificatesPdf(certificates, { origin }), count: certificates.length };
}
