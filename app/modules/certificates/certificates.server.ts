import { sql } from "kysely";
import { childrenInScope, type ChildPrincipal } from "../accounts/access.server";
import { isUuid, notFound, type Membership } from "../accounts/actor.server";
import { recordAudit } from "../audit/audit.server";
import type { DB } from "../db/database.server";
import { issueBadgeCredentials } from "./open-badges.server";
import { sameArea } from "../db/same-area.server";

/**
 * Certificates (issue 7). A certificate is printed for one award (a child reaching a level of
 * the ladder). It keeps a copy of the award's names and hours as they were, a serial number
 * (per area: 1, 2, 3 … without gaps) and its id, which is the public verification address
 * `/verify/<id>`. Asking again for an award that already has a valid certificate gives the
 * same certificate back, so reprinting never makes a second serial. A withdrawn award
 * revokes its certificate (revoked_at) — never deletes it.
 */

export interface CertificateRow {
  /** The public verification id: /verify/<id>. */
  id: string;
  areaId: string;
  serial: number;
  childId: string;
  awardLevelId: string;
  graduationId: string | null;
  awardNameEn: string;
  awardNameCy: string;
  thresholdHours: number;
  /** 'YYYY-MM-DD'. */
  reachedOn: string;
  issuedAt: Date;
  childGivenName: string;
  childFamilyName: string;
  schoolName: string | null;
  areaNameEn: string;
  areaNameCy: string;
}

export interface IssueCertificatesInput {
  areaId: string;
  awards: Array<{ childId: string; awardLevelId: string }>;
  graduationId?: string | null;
  /** The signed-in user issuing them (audited), or null for the system. */
  issuedBy: string | null;
  /** The deployment's address (publicOrigin): where the area's issuer is published if it is new. */
  origin: string;
}

/** Thrown when an award asked for does not exist (in this area), is flagged, or its child has been withdrawn. */
export class CertificateRefusal extends Error {
  constructor(
    readonly reason: "award_not_found" | "award_flagged" | "child_withdrawn",
    readonly childId: string,
    readonly awardLevelId: string,
  ) {
    super(`${reason}: child ${childId}, award level ${awardLevelId}`);
  }
}

function certificateQuery(db: DB) {
  return db
    .selectFrom("certificate")
    .innerJoin("child", sameArea("child.id", "certificate.child_id"))
    .innerJoin("area", "area.id", "certificate.area_id")
    .leftJoin("school", sameArea("school.id", "child.school_id"))
    .select([
      "certificate.id",
      "certificate.area_id",
      "certificate.serial",
      "certificate.child_id",
      "certificate.award_level_id",
      "certificate.graduation_id",
      "certificate.award_name_en",
      "certificate.award_name_cy",
      "certificate.threshold_hours",
      "certificate.reached_on",
      "certificate.issued_at",
      "child.given_name",
      "child.family_name",
      "school.name as school_name",
      "area.name_en as area_name_en",
      "area.name_cy as area_name_cy",
    ]);
}

type CertificateQueryRow = Awaited<ReturnType<ReturnType<typeof certificateQuery>["executeTakeFirstOrThrow"]>>;

function toRow(row: CertificateQueryRow): CertificateRow {
  return {
    id: row.id,
    areaId: row.area_id,
    serial: row.serial,
    childId: row.child_id,
    awardLevelId: row.award_level_id,
    graduationId: row.graduation_id,
    awardNameEn: row.award_name_en,
    awardNameCy: row.award_name_cy,
    thresholdHours: row.threshold_hours,
    reachedOn: row.reached_on,
    issuedAt: row.issued_at,
    childGivenName: row.given_name,
    childFamilyName: row.family_name,
    schoolName: row.school_name,
    areaNameEn: row.area_name_en,
    areaNameCy: row.area_name_cy,
  };
}

const awardKey = (childId: string, awardLevelId: string) => `${childId}:${awardLevelId}`;

async function issueInTransaction(trx: DB, input: IssueCertificatesInput): Promise<CertificateRow[]> {
  const { areaId } = input;
  // One issuer at a time per area, so serials have no gaps or duplicates. "No key update"
  // does not block inserts elsewhere that only reference the area.
  await sql`select id from area where id = ${areaId} for no key update`.execute(trx);

  const wanted = [...new Map(input.awards.map((award) => [awardKey(award.childId, award.awardLevelId), award])).values()];
  if (wanted.length === 0) return [];
  for (const award of wanted) {
    if (!isUuid(award.childId) || !isUuid(award.awardLevelId)) throw new CertificateRefusal("award_not_found", award.childId, award.awardLevelId);
  }
  const childIds = [...new Set(wanted.map((award) => award.childId))];
  const awards = await trx
    .selectFrom("award")
    .innerJoin("award_level", sameArea("award_level.id", "award.award_level_id"))
    .innerJoin("child", sameArea("child.id", "award.child_id"))
    .select([
      "award.child_id",
      "award.award_level_id",
      "award.reached_on",
      "award.flagged_at",
      "award.kept_at",
      "award_level.name_en",
      "award_level.name_cy",
      "award_level.threshold_hours",
      "child.status",
    ])
    .where("award.area_id", "=", areaId)
    .where("award.child_id", "in", childIds)
    .execute();
  const awardsByKey = new Map(awards.map((award) => [awardKey(award.child_id, award.award_level_id), award]));
  for (const { childId, awardLevelId } of wanted) {
    const award = awardsByKey.get(awardKey(childId, awardLevelId));
    if (!award) throw new CertificateRefusal("award_not_found", childId, awardLevelId);
    if (award.status !== "active") throw new CertificateRefusal("child_withdrawn", childId, awardLevelId);
    // A flagged award waits for the coordinator: keep it (then it prints) or withdraw it.
    if (award.flagged_at && !award.kept_at) throw new CertificateRefusal("award_flagged", childId, awardLevelId);
  }

  const existing = await trx
    .selectFrom("certificate")
    .select(["id", "child_id", "award_level_id"])
    .where("area_id", "=", areaId)
    .where("child_id", "in", childIds)
    .where("revoked_at", "is", null)
    .execute();
  const existingByKey = new Map(existing.map((row) => [awardKey(row.child_id, row.award_level_id), row.id]));

  const { last } = await trx
    .selectFrom("certificate")
    .select((eb) => eb.fn.coalesce(eb.fn.max("serial"), sql<number>`0`).as("last"))
    .where("area_id", "=", areaId)
    .executeTakeFirstOrThrow();
  let serial = Number(last);

  const ids: string[] = [];
  const fresh: Array<{ childId: string; awardLevelId: string }> = [];
  for (const { childId, awardLevelId } of wanted) {
    const key = awardKey(childId, awardLevelId);
    const already = existingByKey.get(key);
    if (already) {
      ids.push(already);
      continue;
    }
    const award = awardsByKey.get(key)!;
    serial += 1;
    const created = await trx
      .insertInto("certificate")
      .values({
        area_id: areaId,
        serial,
        child_id: childId,
        award_level_id: awardLevelId,
        graduation_id: input.graduationId ?? null,
        award_name_en: award.name_en,
        award_name_cy: award.name_cy,
        threshold_hours: award.threshold_hours,
        reached_on: award.reached_on,
        issued_by: input.issuedBy,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    ids.push(created.id);
    fresh.push({ childId, awardLevelId });
    await recordAudit(trx, {
      areaId,
      actorUserId: input.issuedBy,
      action: "certificate_issued",
      subjectType: "certificate",
      subjectId: created.id,
      details: { serial, childId, awardLevelId, graduationId: input.graduationId ?? null },
    });
  }

  // Every award asked for is now certified (the first time only: the date is when it was first printed).
  for (const { childId, awardLevelId } of wanted) {
    await trx
      .updateTable("award")
      .set({ certified_at: new Date() })
      .where("area_id", "=", areaId)
      .where("child_id", "=", childId)
      .where("award_level_id", "=", awardLevelId)
      .where("certified_at", "is", null)
      .execute();
  }

  const rows = await certificateQuery(trx).where("certificate.area_id", "=", areaId).where("certificate.id", "in", ids).execute();
  const byId = new Map(rows.map((row) => [row.id, toRow(row)]));

  // Each certificate carries its signed Open Badge; one printed before credentials existed gets it now.
  const signed = await trx.selectFrom("badge_credential").select("certificate_id").where("certificate_id", "in", ids).execute();
  const hasCredential = new Set(signed.map((row) => row.certificate_id));
  await issueBadgeCredentials(
    trx,
    areaId,
    input.origin,
    [...byId.values()].filter((row) => !hasCredential.has(row.id)),
  );
  return ids.map((id) => byId.get(id)!);
}

/**
 * Issues one certificate per award (child × award level) in one transaction, in the order
 * given; an award that already has a valid (non-revoked) certificate gets that one back.
 * Serials are per area, without gaps or duplicates. Sets award.certified_at. Throws
 * CertificateRefusal (and issues nothing) if any award is missing, flagged or its child
 * withdrawn. Called inside a caller's transaction, it runs in that one.
 */
export async function issueCertificates(db: DB, input: IssueCertificatesInput): Promise<CertificateRow[]> {
  if (db.isTransaction) return issueInTransaction(db, input);
  return db.transaction().execute((trx) => issueInTransaction(trx, input));
}

/** An area's certificates by id (valid ones only), e.g. to print them again. */
export async function certificatesByIds(db: DB, areaId: string, ids: string[]): Promise<CertificateRow[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  const rows = await certificateQuery(db)
    .where("certificate.area_id", "=", areaId)
    .where("certificate.id", "in", valid)
    .where("certificate.revoked_at", "is", null)
    .where("child.status", "=", "active")
    .orderBy("certificate.serial")
    .execute();
  return rows.map(toRow);
}

// ---------------------------------------------------------------------------------------------
// The public verification page

export type Verification =
  | {
      kind: "valid";
      certificateId: string;
      /** Whether its Open Badge exists, at /credentials/<certificateId>. */
      hasBadge: boolean;
      givenName: string;
      familyInitial: string;
      awardNameEn: string;
      awardNameCy: string;
      thresholdHours: number;
      reachedOn: string;
      areaNameEn: string;
      areaNameCy: string;
    }
  | { kind: "revoked" }
  | { kind: "unknown" };

/**
 * What anyone may learn from a certificate's id: for a valid one the given name, family
 * initial, award, date and area — nothing more. An id that is not ours, or whose child has
 * been withdrawn (their data is anonymised), is simply unknown; a revoked certificate says so.
 */
export async function verifyCertificate(db: DB, id: string | undefined): Promise<Verification> {
  if (!id || !isUuid(id)) return { kind: "unknown" };
  const row = await db
    .selectFrom("certificate")
    .innerJoin("child", sameArea("child.id", "certificate.child_id"))
    .innerJoin("area", "area.id", "certificate.area_id")
    .leftJoin("badge_credential", sameArea("badge_credential.certificate_id", "certificate.id"))
    .select([
      "badge_credential.certificate_id as badge_id",
      "certificate.revoked_at",
      "certificate.award_name_en",
      "certificate.award_name_cy",
      "certificate.threshold_hours",
      "certificate.reached_on",
      "child.status",
      "child.given_name",
      "child.family_name",
      "area.name_en as area_name_en",
      "area.name_cy as area_name_cy",
    ])
    .where("certificate.id", "=", id)
    .executeTakeFirst();
  if (!row || row.status !== "active") return { kind: "unknown" };
  if (row.revoked_at) return { kind: "revoked" };
  return {
    kind: "valid",
    certificateId: id,
    hasBadge: row.badge_id !== null,
    givenName: row.given_name,
    familyInitial: Array.from(row.family_name.trim())[0]?.toLocaleUpperCase("en-GB") ?? "",
    awardNameEn: row.award_name_en,
    awardNameCy: row.award_name_cy,
    thresholdHours: row.threshold_hours,
    reachedOn: row.reached_on,
    areaNameEn: row.area_name_en,
    areaNameCy: row.area_name_cy,
  };
}

// ---------------------------------------------------------------------------------------------
// A family's certificates: the guardian's, or the child's own (issue 16)

export interface ChildAwardCertificate {
  awardLevelId: string;
  nameEn: string;
  nameCy: string;
  thresholdHours: number;
  reachedOn: string;
  /** Waiting for the coordinator (the hours fell back below it): no certificate until then. */
  flagged: boolean;
  certificate: { id: string; serial: number } | null;
}

/**
 * The awards a child has reached, highest last, with their certificates if printed: for the
 * child's guardian, or the child signed in with their own card (their own row only).
 */
export async function childAwardCertificates(db: DB, m: Membership | ChildPrincipal, childId: string) {
  if (!isUuid(childId)) notFound();
  const child = await childrenInScope(db, m).select(["child.id", "child.given_name", "child.family_name"]).where("child.id", "=", childId).executeTakeFirst();
  if (!child) notFound();
  const rows = await db
    .selectFrom("award")
    .innerJoin("award_level", sameArea("award_level.id", "award.award_level_id"))
    .leftJoin("certificate", (join) =>
      join
        .onRef("certificate.area_id", "=", "award.area_id")
        .onRef("certificate.child_id", "=", "award.child_id")
        .onRef("certificate.award_level_id", "=", "award.award_level_id")
        .on("certificate.revoked_at", "is", null),
    )
    .select([
      "award.award_level_id",
      "award.reached_on",
      "award.flagged_at",
      "award.kept_at",
      "award_level.name_en",
      "award_level.name_cy",
      "award_level.threshold_hours",
      "certificate.id as certificate_id",
      "certificate.serial",
    ])
    .where("award.area_id", "=", m.areaId)
    .where("award.child_id", "=", child.id)
    .orderBy("award_level.threshold_hours")
    .execute();
  const awards: ChildAwardCertificate[] = rows.map((row) => ({
    awardLevelId: row.award_level_id,
    nameEn: row.name_en,
    nameCy: row.name_cy,
    thresholdHours: row.threshold_hours,
    reachedOn: row.reached_on,
    flagged: Boolean(row.flagged_at && !row.kept_at),
    certificate: row.certificate_id && row.serial !== null ? { id: row.certificate_id, serial: row.serial } : null,
  }));
  return { child, awards };
}

/**
 * The certificate of one award a child has reached, printed now if it never was, for the
 * child's guardian or the child themselves (then issued by the system: a child is no user).
 * Another family's child (any other child, for a child), a child in another area, an award
 * not reached (or waiting for the coordinator) are all a 404.
 */
export async function familyCertificate(
  db: DB,
  m: Membership | ChildPrincipal,
  childId: string,
  awardLevelId: string,
  origin: string,
): Promise<CertificateRow> {
  if (!isUuid(childId) || !isUuid(awardLevelId)) notFound();
  const child = await childrenInScope(db, m).select("child.id").where("child.id", "=", childId).executeTakeFirst();
  if (!child) notFound();
  const issuedBy = "userId" in m ? m.userId : null;
  try {
    const [certificate] = await issueCertificates(db, { areaId: m.areaId, awards: [{ childId: child.id, awardLevelId }], issuedBy, origin });
    return certificate!;
  } catch (error) {
    if (error instanceof CertificateRefusal) notFound();
    throw error;
  }
}
