import { ukDate } from "../activities/uk-time.server";
import { importedHistory } from "../certificates/transfer.server";
import { recordAudit } from "../audit/audit.server";
import { childrenVisibleTo } from "../accounts/access.server";
import { forbidden, isUuid, notFound, type Membership } from "../accounts/actor.server";
import type { DB } from "../db/database.server";
import { hourMinute } from "../graduation/graduations.server";
import { RETENTION_YEARS } from "./registration.server";
import { pupilRefHash, PREVIEW_LIFETIME_MS } from "./roster.server";
import { sameArea, sameAreaRef } from "../db/same-area.server";

/**
 * A guardian's rights over their child's data: a copy of everything held (right of access),
 * and withdrawal (erasure). Withdrawal anonymises rather than deletes: the credits stay as
 * anonymous counts, with the child's home LSOA, school and birth year, so the equity reports
 * do not change their past — but nothing left can name the child or lead back to the family.
 * The retention task does the same for children with no activity for RETENTION_YEARS.
 */

function requireGuardian(m: Membership) {
  if (m.role !== "guardian") forbidden();
}

/** Everything held about one child, for their guardian: the JSON download and the readable page. */
export async function exportChildData(db: DB, m: Membership, childId: string, now = new Date()) {
  requireGuardian(m);
  if (!isUuid(childId)) notFound();
  const child = await childrenVisibleTo(db, m)
    .leftJoin("school", sameArea("school.id", "child.school_id"))
    .leftJoin("lsoa", "lsoa.code", "child.home_lsoa_code")
    .innerJoin("area", "area.id", "child.area_id")
    .select([
      "child.id",
      "child.given_name",
      "child.family_name",
      "child.birth_year",
      "child.birth_month",
      "child.passport_number",
      "child.passport_issued_at",
      "child.preferred_language",
      "child.school_pupil_ref",
      "child.year_group",
      "child.class_name",
      "child.home_lsoa_code",
      "child.consent_version",
      "child.consent_at",
      "child.equity_consent_at",
      "child.efsm",
      "child.aln",
      "child.care_experienced",
      "child.young_carer",
      "child.registered_via",
      "child.created_at",
      "school.name as school_name",
      "lsoa.name as lsoa_name",
      "lsoa.la_name",
      "area.name_en as area_name_en",
      "area.name_cy as area_name_cy",
    ])
    .where("child.id", "=", childId)
    .executeTakeFirst();
  if (!child) notFound();

  const [consents, guardians, credits, replacements, lastActivity, claims, awards, certificates, graduations, signInCards, ratings, wishes, imported] =
    await Promise.all([
      db
        .selectFrom("child_consent")
        .select(["purpose", "version", "method", "given_at", "withdrawn_at"])
        .where("area_id", "=", m.areaId)
        .where("child_id", "=", child.id)
        .orderBy("given_at")
        .execute(),
      db
        .selectFrom("guardian_child as gc")
        .innerJoin("app_user", "app_user.id", "gc.user_id")
        .select(["app_user.display_name", "gc.user_id", "gc.created_at"])
        .where("gc.area_id", "=", m.areaId)
        .where("gc.child_id", "=", child.id)
        .execute(),
      db
        .selectFrom("credit")
        .innerJoin("activity", sameArea("activity.id", "credit.activity_id"))
        .innerJoin("provider", sameArea("provider.id", "credit.provider_id"))
        .select([
          "credit.earned_on",
          "credit.quarter_hours",
          "credit.method",
          "credit.created_at",
          "credit.revoked_at",
          "credit.revoke_reason",
          "activity.title_en",
          "activity.title_cy",
          "activity.category",
          "provider.name_en as provider_name_en",
          "provider.name_cy as provider_name_cy",
        ])
        .where("credit.area_id", "=", m.areaId)
        .where("credit.child_id", "=", child.id)
        .orderBy("credit.earned_on")
        .execute(),
      db
        .selectFrom("passport_replacement")
        .select("replaced_at")
        .where("area_id", "=", m.areaId)
        .where("child_id", "=", child.id)
        .orderBy("replaced_at")
        .execute(),
      lastActivityOf(db, m.areaId, child.id),
      db
        .selectFrom("credit_claim as claim")
        .innerJoin("activity", sameArea("activity.id", "claim.activity_id"))
        .select(["claim.created_at", "claim.status", "claim.reason", "claim.decided_at", "activity.title_en", "activity.title_cy"])
        .where("claim.area_id", "=", m.areaId)
        .where("claim.child_id", "=", child.id)
        .orderBy("claim.created_at")
        .execute(),
      db
        .selectFrom("award")
        .innerJoin("award_level as level", sameArea("level.id", "award.award_level_id"))
        .select(["level.name_en", "level.name_cy", "level.threshold_hours", "award.reached_on", "award.certified_at"])
        .where("award.area_id", "=", m.areaId)
        .where("award.child_id", "=", child.id)
        .orderBy("level.threshold_hours")
        .execute(),
      db
        .selectFrom("certificate")
        .leftJoin("badge_credential", sameArea("badge_credential.certificate_id", "certificate.id"))
        .select([
          "certificate.id",
          "certificate.serial",
          "certificate.award_name_en",
          "certificate.award_name_cy",
          "certificate.threshold_hours",
          "certificate.issued_at",
          "certificate.revoked_at",
          "certificate.revoke_reason",
          "badge_credential.credential",
        ])
        .where("certificate.area_id", "=", m.areaId)
        .where("certificate.child_id", "=", child.id)
        .orderBy("certificate.serial")
        .execute(),
      db
        .selectFrom("graduate")
        .innerJoin("graduation", sameArea("graduation.id", "graduate.graduation_id"))
        .select(["graduation.name", "graduation.held_on", "graduation.starts_at", "graduation.venue", "graduate.attended", "graduate.invited_at"])
        .where("graduate.area_id", "=", m.areaId)
        .where("graduate.child_id", "=", child.id)
        .orderBy("graduation.held_on")
        .execute(),
      // The child's own sign-in cards (issue 16): when each was made, last used and revoked.
      db
        .selectFrom("child_sign_in_card")
        .select(["created_at", "last_signed_in_at", "revoked_at"])
        .where("area_id", "=", m.areaId)
        .where("child_id", "=", child.id)
        .orderBy("created_at")
        .execute(),
      // The child's voice (issue 16): their ratings and what they would like to try.
      db
        .selectFrom("child_rating as rating")
        .innerJoin("activity", sameArea("activity.id", "rating.activity_id"))
        .select(["rating.term_from", "rating.face", "rating.likes", "rating.words", "rating.updated_at", "activity.title_en", "activity.title_cy"])
        .where("rating.area_id", "=", m.areaId)
        .where("rating.child_id", "=", child.id)
        .orderBy("rating.term_from")
        .execute(),
      db
        .selectFrom("child_wish")
        .select(["wish", "words", "created_at"])
        .where("area_id", "=", m.areaId)
        .where("child_id", "=", child.id)
        .orderBy("wish")
        .execute(),
      // Hours, awards and badges from another Children's University (ADR 0036): history, not this area's credits.
      importedHistory(db, m, child.id),
    ]);

  await recordAudit(db, { areaId: m.areaId, actorUserId: m.userId, action: "child_data_exported", subjectType: "child", subjectId: child.id });

  const keptUntil = new Date(lastActivity);
  keptUntil.setUTCFullYear(keptUntil.getUTCFullYear() + RETENTION_YEARS);
  return {
    exportedAt: now.toISOString(),
    heldBy: { en: child.area_name_en, cy: child.area_name_cy },
    child: {
      givenName: child.given_name,
      familyName: child.family_name,
      birthMonth: child.birth_month,
      birthYear: child.birth_year,
      passportNumber: child.passport_number,
      passportCardIssuedAt: child.passport_issued_at.toISOString(),
      preferredLanguage: child.preferred_language,
      school: child.school_name,
      schoolPupilReference: child.school_pupil_ref,
      yearGroup: child.year_group,
      className: child.class_name,
      homeNeighbourhood: child.home_lsoa_code ? { lsoaCode: child.home_lsoa_code, name: child.lsoa_name, localAuthority: child.la_name } : null,
      registeredAt: child.created_at.toISOString(),
      registeredBy: child.registered_via,
      equityDetails:
        child.equity_consent_at === null
          ? null
          : {
              consentGivenAt: child.equity_consent_at.toISOString(),
              freeSchoolMeals: child.efsm,
              additionalLearningNeeds: child.aln,
              careExperienced: child.care_experienced,
              youngCarer: child.young_carer,
            },
    },
    consents: consents.map((consent) => ({
      purpose: consent.purpose,
      version: consent.version,
      method: consent.method,
      givenAt: consent.given_at.toISOString(),
      withdrawnAt: consent.withdrawn_at?.toISOString() ?? null,
    })),
    guardians: guardians.map((guardian) => ({ name: guardian.display_name, linkedAt: guardian.created_at.toISOString(), you: guardian.user_id === m.userId })),
    credits: credits.map((credit) => ({
      date: credit.earned_on,
      hours: credit.quarter_hours / 4,
      activity: { en: credit.title_en, cy: credit.title_cy, category: credit.category },
      provider: { en: credit.provider_name_en, cy: credit.provider_name_cy },
      method: credit.method,
      recordedAt: credit.created_at.toISOString(),
      revoked: credit.revoked_at ? { at: credit.revoked_at.toISOString(), reason: credit.revoke_reason } : null,
    })),
    sessionCodeClaims: claims.map((claim) => ({
      claimedAt: claim.created_at.toISOString(),
      activity: { en: claim.title_en, cy: claim.title_cy },
      status: claim.status,
      decidedAt: claim.decided_at?.toISOString() ?? null,
      reason: claim.reason,
    })),
    awards: awards.map((award) => ({
      award: { en: award.name_en, cy: award.name_cy },
      hours: award.threshold_hours,
      reachedOn: award.reached_on,
      certified: award.certified_at !== null,
    })),
    certificates: certificates.map((certificate) => ({
      verificationId: certificate.id,
      serial: certificate.serial,
      award: { en: certificate.award_name_en, cy: certificate.award_name_cy },
      hours: certificate.threshold_hours,
      issuedAt: certificate.issued_at.toISOString(),
      revoked: certificate.revoked_at ? { at: certificate.revoked_at.toISOString(), reason: certificate.revoke_reason } : null,
      // The signed Open Badge, exactly as issued: it verifies anywhere, after this service is gone (docs/credentials.md).
      openBadge: certificate.credential ? (JSON.parse(certificate.credential) as unknown) : null,
    })),
    graduations: graduations.map((graduation) => ({
      name: graduation.name,
      heldOn: graduation.held_on,
      startsAt: hourMinute(graduation.starts_at),
      venue: graduation.venue,
      invitedAt: graduation.invited_at?.toISOString() ?? null,
      attended: graduation.attended,
    })),
    // The card's code and picture code are keys, not facts about the child: never exported.
    childSignInCards: signInCards.map((card) => ({
      madeAt: card.created_at.toISOString(),
      lastSignedInAt: card.last_signed_in_at?.toISOString() ?? null,
      revokedAt: card.revoked_at?.toISOString() ?? null,
    })),
    ratings: ratings.map((rating) => ({
      activity: { en: rating.title_en, cy: rating.title_cy },
      term: rating.term_from,
      face: rating.face,
      liked: rating.likes,
      words: rating.words,
      savedAt: rating.updated_at.toISOString(),
    })),
    wouldLikeToTry: wishes.map((wish) => ({ wish: wish.wish, words: wish.words, savedAt: wish.created_at.toISOString() })),
    importedHistory: imported,
    passportCardsReplaced: replacements.map((replacement) => replacement.replaced_at.toISOString()),
    retention: { lastActivity: ukDate(lastActivity), keptUntilWithoutActivity: ukDate(keptUntil) },
  };
}

export type ChildDataExport = Awaited<ReturnType<typeof exportChildData>>;

/** The latest of: registration, a consent given (e.g. a guardian linked), a credit earned. */
async function lastActivityOf(db: DB, areaId: string, childId: string): Promise<Date> {
  const row = await db
    .selectFrom("child")
    .select((eb) => [
      "child.created_at",
      eb
        .selectFrom("credit")
        .select((inner) => inner.fn.max("credit.earned_on").as("last"))
        .where(sameAreaRef("credit.child_id", "child.id"))
        .as("last_credit"),
      eb
        .selectFrom("child_consent")
        .select((inner) => inner.fn.max("child_consent.given_at").as("last"))
        .where(sameAreaRef("child_consent.child_id", "child.id"))
        .as("last_consent"),
    ])
    .where("child.area_id", "=", areaId)
    .where("child.id", "=", childId)
    .executeTakeFirstOrThrow();
  const dates = [row.created_at, row.last_credit ? new Date(`${row.last_credit}T12:00:00Z`) : null, row.last_consent ? new Date(row.last_consent) : null];
  return new Date(Math.max(...dates.filter((date): date is Date => date !== null).map((date) => date.getTime())));
}

/**
 * Erases a child's identity in place. Kept: area, id, school, home LSOA, birth year,
 * preferred language, created date, and the credit rows (for the reports). Erased: names,
 * birth month, passport number and token, pupil reference, class, equity answers, consents,
 * replaced-card hashes, guardian links, pending link codes, session-code claims (which
 * tie a guardian to the child and may hold staff's free-text reasons), and the stored copies of
 * the child's Open Badges (which stay valid: not revoked). Runs in the caller's transaction.
 */
async function anonymise(trx: DB, areaId: string, childId: string, reason: "guardian" | "retention", now: Date) {
  await trx
    .updateTable("child")
    .set({
      given_name: null,
      family_name: null,
      birth_month: null,
      passport_number: null,
      passport_token: null,
      school_pupil_ref: null,
      class_name: null,
      consent_version: null,
      consent_at: null,
      equity_consent_at: null,
      efsm: null,
      aln: null,
      care_experienced: null,
      young_carer: null,
      retention_until: null,
      registered_by: null,
      status: "withdrawn",
      withdrawn_at: now,
      withdrawn_reason: reason,
    })
    .where("area_id", "=", areaId)
    .where("id", "=", childId)
    .execute();
  await trx.deleteFrom("guardian_child").where("area_id", "=", areaId).where("child_id", "=", childId).execute();
  await trx.deleteFrom("child_link").where("area_id", "=", areaId).where("child_id", "=", childId).execute();
  await trx.deleteFrom("child_consent").where("area_id", "=", areaId).where("child_id", "=", childId).execute();
  await trx.deleteFrom("passport_replacement").where("area_id", "=", areaId).where("child_id", "=", childId).execute();
  await trx.deleteFrom("credit_claim").where("area_id", "=", areaId).where("child_id", "=", childId).execute();
  // The child's own sign-in (issue 16): sessions end and the cards, with their sign-in times, go.
  await trx.deleteFrom("auth_session").where("child_area_id", "=", areaId).where("child_id", "=", childId).execute();
  await trx.deleteFrom("child_sign_in_card").where("area_id", "=", areaId).where("child_id", "=", childId).execute();
  // The child's voice goes with them too: ratings and wishes are theirs, not the area's.
  await trx.deleteFrom("child_rating").where("area_id", "=", areaId).where("child_id", "=", childId).execute();
  await trx.deleteFrom("child_wish").where("area_id", "=", areaId).where("child_id", "=", childId).execute();
  // History brought from another Children's University (ADR 0036): its names, old passport
  // number and badges go; the hashed passport key stays, so the same file imported again does
  // not bring the child back.
  await trx
    .updateTable("transferred_record")
    .set({ given_name: "", family_name: "", birth_year: null, record: "{}", badges: "[]" })
    .where("area_id", "=", areaId)
    .where("child_id", "=", childId)
    .execute();
  // Awards the child keeps (issue 17): their certificates are NOT revoked, so every badge the
  // family downloaded still verifies, here and anywhere. Our stored copies go (they hold the
  // hashed passport number), and /credentials/<id> and /verify/<id> no longer answer for them.
  await trx
    .deleteFrom("badge_credential")
    .where("area_id", "=", areaId)
    .where("certificate_id", "in", (eb) =>
      eb.selectFrom("certificate").select("certificate.id").where("certificate.area_id", "=", areaId).where("certificate.child_id", "=", childId),
    )
    .execute();
}

export type WithdrawResult = { ok: true } | { ok: false; error: "dataRights.errors.confirmRequired" };

/**
 * A guardian withdraws a child, after confirming. When the school imported the child, a hash
 * of the pupil reference is kept so that next term's roster does not bring them back.
 */
export async function withdrawChild(db: DB, m: Membership, childId: string, confirmed: boolean, now = new Date()): Promise<WithdrawResult> {
  requireGuardian(m);
  if (!isUuid(childId)) notFound();
  if (!confirmed) {
    // Still a 404 for a child who is not theirs, before saying anything about the form.
    const visible = await childrenVisibleTo(db, m).select("child.id").where("child.id", "=", childId).executeTakeFirst();
    if (!visible) notFound();
    return { ok: false, error: "dataRights.errors.confirmRequired" };
  }
  await db.transaction().execute(async (trx) => {
    const child = await childrenVisibleTo(trx, m)
      .select(["child.id", "child.school_id", "child.school_pupil_ref"])
      .where("child.id", "=", childId)
      .forUpdate()
      .executeTakeFirst();
    if (!child) notFound();
    if (child.school_id && child.school_pupil_ref) {
      await trx
        .insertInto("roster_opt_out")
        .values({ area_id: m.areaId, school_id: child.school_id, pupil_ref_hash: pupilRefHash(m.areaId, child.school_id, child.school_pupil_ref) })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    await anonymise(trx, m.areaId, child.id, "guardian", now);
    await recordAudit(trx, { areaId: m.areaId, actorUserId: m.userId, action: "child_withdrawn", subjectType: "child", subjectId: child.id });
  });
  return { ok: true };
}

export interface RetentionReport {
  anonymised: number;
  previewsExpired: number;
  linksDeleted: number;
}

/**
 * The daily retention task: anonymises every active child with no activity (registration,
 * consent, credit) for RETENTION_YEARS, expires roster previews older than a day, and
 * deletes used or expired link codes after 30 days (an invitation holds an email address).
 * Idempotent: a second run the same day finds nothing more to do.
 */
export async function runRetention(db: DB, now = new Date()): Promise<RetentionReport> {
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - RETENTION_YEARS);
  const cutoffDate = ukDate(cutoff);
  const stale = await db
    .selectFrom("child")
    .select(["child.area_id", "child.id"])
    .where("child.status", "=", "active")
    .where("child.created_at", "<", cutoff)
    .where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom("credit").select("credit.id").where(sameAreaRef("credit.child_id", "child.id")).where("credit.earned_on", ">=", cutoffDate)),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("child_consent")
            .select("child_consent.id")
            .where(sameAreaRef("child_consent.child_id", "child.id"))
            .where("child_consent.given_at", ">=", cutoff),
        ),
      ),
    )
    .execute();

  let anonymised = 0;
  for (const child of stale) {
    // One transaction per child: a long run never holds everything, and a re-run resumes.
    await db.transaction().execute(async (trx) => {
      const still = await trx
        .selectFrom("child")
        .select("id")
        .where("area_id", "=", child.area_id)
        .where("id", "=", child.id)
        .where("status", "=", "active")
        .forUpdate()
        .executeTakeFirst();
      if (!still) return;
      await anonymise(trx, child.area_id, child.id, "retention", now);
      await recordAudit(trx, {
        areaId: child.area_id,
        action: "child_anonymised_retention",
        subjectType: "child",
        subjectId: child.id,
        details: { years: RETENTION_YEARS },
      });
      anonymised++;
    });
  }

  const previews = await db
    .updateTable("roster_import")
    .set({ status: "expired", pending_rows: null })
    .where("status", "=", "previewed")
    .where("uploaded_at", "<", new Date(now.getTime() - PREVIEW_LIFETIME_MS))
    .executeTakeFirst();
  const monthAgo = new Date(now.getTime() - 30 * 24 * 60 * 60 * 1000);
  const links = await db
    .deleteFrom("child_link")
    .where((eb) => eb.or([eb("expires_at", "<", monthAgo), eb("used_at", "<", monthAgo), eb("revoked_at", "<", monthAgo)]))
    .executeTakeFirst();
  return { anonymised, previewsExpired: Number(previews.numUpdatedRows), linksDeleted: Number(links.numDeletedRows) };
}
