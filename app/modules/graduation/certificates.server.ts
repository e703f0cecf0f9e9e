import { certificatesPdf } from "../certificates/certificate-pdf.server";
import { issueCertificates } from "../certificates/certificates.server";
import type { DB } from "../db/database.server";
import { graduationEligibility } from "./eligibility.server";
import { recordGraduationDownload, type GraduationActor } from "./graduations.server";

/**
 * A graduation's certificates, once it has been marked graduated: a page per child who
 * attended, at the award they graduated with; of one school (`school` "none" means the
 * children with no school) or, when `school` is null, of every school in one file, school by
 * school as the list is (to print once and hand out by school). Issuing is idempotent
 * (certificates.server.ts), so downloading again prints the same certificates with the same
 * serials. An award that has since been flagged (and not kept) is left out until the
 * coordinator decides about it.
 */
export async function graduationCertificatesPdf(db: DB, actor: GraduationActor, graduationId: string, school: string | null, origin: string) {
  const graduates = (await graduationEligibility(db, actor.areaId, graduationId)).filter(
    (row) => row.attended && (school === null || (row.schoolId ?? "none") === school),
  );
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
  const order = new Map(graduates.map((row, index) => [row.childId, index]));
  const certificates = (await issueCertificates(db, { areaId: actor.areaId, awards, graduationId, issuedBy: actor.userId, origin })).sort(
    (a, b) => order.get(a.childId)! - order.get(b.childId)!,
  );
  await recordGraduationDownload(db, actor, graduationId, "certificates_pdf", { school: school ?? "all", certificates: certificates.length });
  return { pdf: await certificatesPdf(certificates, { origin }), count: certificates.length };
}
