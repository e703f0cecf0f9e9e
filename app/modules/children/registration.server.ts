import { z } from "zod";
import { addMonths, ageAt, ukDate } from "../activities/uk-time.server";
import { recordAudit } from "../audit/audit.server";
import { forbidden, isUuid, type Membership } from "../accounts/actor.server";
import type { DB } from "../db/database.server";
import type { Insertable } from "kysely";
import type { ChildTable } from "../db/schema";
import type { FieldErrors } from "../forms/parse-form.server";
import { issuePassport } from "../passports/passport.server";
import { resolveHome } from "../reference/postcodes.server";
import { sameArea } from "../db/same-area.server";

/**
 * A guardian registers a child: the least we need to run a passport (name, birth month,
 * school, home neighbourhood, language), a consent that says in plain words what is kept and
 * why, and — only with a second, separate consent — the equity details the programme uses to
 * see whether it reaches the children who stand to gain most.
 */

/** The wording of the consent in force. A change of wording is a new version; records keep theirs. */
export const CONSENT_VERSION = "2026-09";
export const EQUITY_CONSENT_VERSION = "2026-09";
/** Children are kept this long after their last activity (see retention.server.ts). */
export const RETENTION_YEARS = 3;

/** Who a Children's University is for: from 4 (Reception) to 18. */
export const MIN_AGE = 4;
export const MAX_AGE = 18;

const name = (key: string) =>
  z
    .string({ error: `children.errors.${key}Required` })
    .trim()
    .min(1, { error: `children.errors.${key}Required` })
    .max(60, { error: `children.errors.${key}TooLong` })
    // Letters of any language, spaces, hyphens and apostrophes: enough for Siôn, Gwenllïan, O'Neill, Nowak-Jones.
    .regex(/^[\p{L}\p{M}][\p{L}\p{M} '’.-]*$/u, { error: `children.errors.${key}Letters` });

const yesNoUnsaid = z
  .enum(["yes", "no", ""])
  .optional()
  .transform((value) => (value === "yes" ? true : value === "no" ? false : null));

/**
 * `home`: the 2011 LSOA code, or "outside" for outside Wales / not known; `home21`: the 2021
 * LSOA code where the postcode gave it. One of the two codes is enough (resolveHome checks
 * and completes them).
 */
const homeField = z
  .string({ error: "children.errors.homeRequired" })
  .trim()
  .regex(/^(W01\d{6}|outside|)$/, { error: "children.errors.homeRequired" });
const home21Field = z
  .string()
  .trim()
  .regex(/^(W01\d{6}|)$/, { error: "children.errors.homeRequired" })
  .optional()
  .transform((value) => value || null);

export const childDetailsForm = z.object({
  givenName: name("givenName"),
  familyName: name("familyName"),
  birthMonth: z.coerce
    .number({ error: "children.errors.birthMonthRequired" })
    .int()
    .min(1, { error: "children.errors.birthMonthRequired" })
    .max(12, { error: "children.errors.birthMonthRequired" }),
  birthYear: z.coerce
    .number({ error: "children.errors.birthYearRequired" })
    .int({ error: "children.errors.birthYearRequired" })
    .min(1990, { error: "children.errors.birthYearRequired" }),
  school: z.string({ error: "children.errors.schoolRequired" }).trim().min(1, { error: "children.errors.schoolRequired" }),
  language: z.enum(["cy", "en"], { error: "children.errors.languageRequired" }),
  home: homeField,
  home21: home21Field,
  consent: z.literal("yes", { error: "consent.errors.required" }),
  equityConsent: z
    .enum(["yes"])
    .optional()
    .transform((value) => value === "yes"),
  efsm: yesNoUnsaid,
  aln: yesNoUnsaid,
  careExperienced: yesNoUnsaid,
  youngCarer: yesNoUnsaid,
});

export type ChildDetails = z.output<typeof childDetailsForm>;

/** A birth month a Children's University can take: not in the future, aged MIN_AGE to MAX_AGE. */
export function birthMonthError(birthYear: number, birthMonth: number, now: Date): string | null {
  const age = ageAt(birthYear, birthMonth, now);
  if (age < 0) return "children.errors.birthInFuture";
  if (age < MIN_AGE) return "children.errors.tooYoung";
  if (age > MAX_AGE) return "children.errors.tooOld";
  return null;
}

/** The schools a child can be registered at: the area's. */
export function areaSchools(db: DB, areaId: string) {
  return db.selectFrom("school").select(["id", "name"]).where("area_id", "=", areaId).orderBy("name").execute();
}

/** The date by which, without any activity, the record will be anonymised. */
export function retentionDate(from: Date) {
  return addMonths(ukDate(from), 12 * RETENTION_YEARS);
}

/** What each way in gives of a new child; insertChild adds the passport, area, retention and who registered. */
export type NewChildValues = Omit<
  Insertable<ChildTable>,
  "area_id" | "passport_number" | "passport_token" | "passport_issued_at" | "retention_until" | "registered_by" | "created_at"
>;

/**
 * A new child of the area with a new passport, as registration, a school's roster and a
 * transferred record make one (each says how in `registered_via`); returns its id.
 */
export async function insertChild(trx: DB, m: Membership, values: NewChildValues, now: Date): Promise<string> {
  const passport = await issuePassport(trx, m.areaId);
  const child = await trx
    .insertInto("child")
    .values({
      area_id: m.areaId,
      passport_number: passport.passportNumber,
      passport_token: passport.passportToken,
      passport_issued_at: now,
      ...values,
      retention_until: retentionDate(now),
      registered_by: m.userId,
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return child.id;
}

export type RegisterResult = { ok: true; childId: string } | { ok: false; errors: FieldErrors };

/**
 * Registers a child for the signed-in guardian, in one transaction: the child with a new
 * passport, the guardian link, and a consent record for each consent given. The postcode
 * never reaches this function — only the LSOA found from it.
 */
export async function registerChild(db: DB, m: Membership, input: ChildDetails, now = new Date()): Promise<RegisterResult> {
  if (m.role !== "guardian") forbidden();
  const errors: FieldErrors = {};
  const birthError = birthMonthError(input.birthYear, input.birthMonth, now);
  if (birthError) errors.birthYear = birthError;

  let schoolId: string | null = null;
  if (input.school !== "none") {
    const school = isUuid(input.school)
      ? await db.selectFrom("school").select("id").where("area_id", "=", m.areaId).where("id", "=", input.school).executeTakeFirst()
      : undefined;
    if (!school) errors.school = "children.errors.schoolRequired";
    else schoolId = school.id;
  }
  let homeLsoa: string | null = null;
  let homeLsoa21: string | null = null;
  if (input.home !== "outside") {
    const lsoa = await resolveHome(db, input.home || null, input.home21);
    if (!lsoa) errors.home = "children.errors.homeRequired";
    else [homeLsoa, homeLsoa21] = [lsoa.code, lsoa.code21];
  }
  if (Object.keys(errors).length) return { ok: false, errors };

  // The same child twice (a double tap, a second guardian unaware of the first): refused with a way forward.
  const duplicate = await db
    .selectFrom("child")
    .innerJoin("guardian_child as gc", sameArea("gc.child_id", "child.id"))
    .select("child.id")
    .where("child.area_id", "=", m.areaId)
    .where("gc.user_id", "=", m.userId)
    .where("child.status", "=", "active")
    .where((eb) => eb(eb.fn("lower", ["child.given_name"]), "=", input.givenName.toLowerCase()))
    .where((eb) => eb(eb.fn("lower", ["child.family_name"]), "=", input.familyName.toLowerCase()))
    .where("child.birth_year", "=", input.birthYear)
    .where("child.birth_month", "=", input.birthMonth)
    .executeTakeFirst();
  if (duplicate) return { ok: false, errors: { givenName: "children.errors.alreadyRegistered" } };

  const equity = input.equityConsent;
  const childId = await db.transaction().execute(async (trx) => {
    const id = await insertChild(
      trx,
      m,
      {
        given_name: input.givenName,
        family_name: input.familyName,
        birth_year: input.birthYear,
        birth_month: input.birthMonth,
        school_id: schoolId,
        home_lsoa_code: homeLsoa,
        // Null for a split 2011 LSOA chosen from the list: the child waits for a postcode (see waiting.server.ts).
        home_lsoa21_code: homeLsoa21,
        preferred_language: input.language,
        consent_version: CONSENT_VERSION,
        consent_at: now,
        equity_consent_at: equity ? now : null,
        efsm: equity ? input.efsm : null,
        aln: equity ? input.aln : null,
        care_experienced: equity ? input.careExperienced : null,
        young_carer: equity ? input.youngCarer : null,
        registered_via: "guardian",
      },
      now,
    );
    await trx.insertInto("guardian_child").values({ area_id: m.areaId, user_id: m.userId, child_id: id }).execute();
    const consents: Array<{ purpose: "passport" | "equity"; version: string }> = [{ purpose: "passport", version: CONSENT_VERSION }];
    if (equity) consents.push({ purpose: "equity", version: EQUITY_CONSENT_VERSION });
    for (const consent of consents) {
      await trx
        .insertInto("child_consent")
        .values({
          area_id: m.areaId,
          child_id: id,
          purpose: consent.purpose,
          version: consent.version,
          method: "guardian_form",
          given_by: m.userId,
          given_at: now,
        })
        .execute();
      await recordAudit(trx, {
        areaId: m.areaId,
        actorUserId: m.userId,
        action: "child_consent_given",
        subjectType: "child",
        subjectId: id,
        details: { purpose: consent.purpose, version: consent.version },
      });
    }
    // The audit trail says what happened, not who the child is: no names, no equity answers.
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "child_registered",
      subjectType: "child",
      subjectId: id,
      details: { via: "guardian", school: schoolId !== null, homeKnown: homeLsoa !== null || homeLsoa21 !== null, equityConsent: equity },
    });
    return id;
  });
  return { ok: true, childId };
}
