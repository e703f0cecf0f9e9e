import { randomInt } from "node:crypto";
import { z } from "zod";
import { languageField } from "../accounts/account-fields.server";
import { emailField } from "../accounts/sign-in.server";
import { recordAudit } from "../audit/audit.server";
import { childrenVisibleTo } from "../accounts/access.server";
import { forbidden, isUuid, notFound, type Actor, type Membership } from "../accounts/actor.server";
import { linkStateOf, type LinkState } from "../accounts/links.server";
import { countAttempts } from "../accounts/rate-limit.server";
import { hashSecretToken, newSecretToken } from "../accounts/secret-token.server";
import type { DB } from "../db/database.server";
import type { Language } from "../db/schema";
import { sendEmail } from "../email/email.server";
import { translator } from "../i18n/i18n";
import { PASSPORT_ALPHABET } from "../passports/passport-number";
import { CONSENT_VERSION } from "./registration.server";
import { sameArea, sameAreaRef } from "../db/same-area.server";

/**
 * Connecting a guardian to a child already in Pasbort: a school prints a letter with a
 * one-time code per child (for children imported from a roster), or a child's guardian
 * invites a second one by email. Codes and links are stored as hashes, work once, expire,
 * and a newer letter cancels the older one.
 */

export const LETTER_LIFETIME_DAYS = 90;
export const GUARDIAN_INVITE_LIFETIME_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Typing a letter code: generous for a parent with a smudged letter, far too few to guess 2⁵⁰ codes. */
const CODE_ATTEMPTS = { limit: 10, windowMinutes: 15 };

/** Ten characters from the passport alphabet (no 0/O, 1/I), as `ABCDE-FGHJK`: 50 bits. */
export function newLetterCode() {
  let code = "";
  for (let i = 0; i < 10; i++) code += PASSPORT_ALPHABET[randomInt(PASSPORT_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** A code as typed (any case, with or without spaces and hyphens) reduced to what was printed. */
export function normaliseLetterCode(input: string) {
  const compact = input.toUpperCase().replace(/[\s-]/g, "");
  if (!/^[2-9A-HJ-NP-Z]{10}$/.test(compact)) return null;
  return `${compact.slice(0, 5)}-${compact.slice(5)}`;
}

export interface Letter {
  childId: string;
  givenName: string;
  familyName: string;
  yearGroup: number | null;
  className: string | null;
  code: string;
  expiresAt: Date;
}

/**
 * New letter codes for the school's children chosen by year group and/or class (or all), or
 * for a coordinator the area's transferred children without a guardian: each replaces any
 * earlier unused letter for that child. Returns the codes to print; they
 * exist in plain form only in this answer.
 */
export async function createLetters(
  db: DB,
  m: Membership,
  filter: { yearGroup?: number | null; className?: string | null; onlyWithoutGuardian?: boolean },
  now = new Date(),
): Promise<Letter[]> {
  if (m.role !== "school" && m.role !== "coordinator") forbidden();
  return db.transaction().execute(async (trx) => {
    let query = childrenVisibleTo(trx, m).select([
      "child.id",
      "child.given_name",
      "child.family_name",
      "child.year_group",
      "child.class_name",
      "child.preferred_language",
    ]);
    if (filter.yearGroup !== undefined && filter.yearGroup !== null) query = query.where("child.year_group", "=", filter.yearGroup);
    if (filter.className) query = query.where("child.class_name", "=", filter.className);
    // A coordinator's letters are for the children received from another Children's University
    // (ADR 0036): they have no school here to print them, and no guardian yet.
    if (m.role === "coordinator") query = query.where("child.registered_via", "=", "transfer");
    if (filter.onlyWithoutGuardian || m.role === "coordinator") {
      query = query.where((eb) => eb.not(eb.exists(eb.selectFrom("guardian_child as gc").select("gc.child_id").where(sameAreaRef("gc.child_id", "child.id")))));
    }
    const children = await query.orderBy("child.class_name").orderBy("child.family_name").orderBy("child.given_name").execute();
    const letters: Letter[] = [];
    const expiresAt = new Date(now.getTime() + LETTER_LIFETIME_DAYS * DAY_MS);
    for (const child of children) {
      await trx
        .updateTable("child_link")
        .set({ revoked_at: now })
        .where("area_id", "=", m.areaId)
        .where("child_id", "=", child.id)
        .where("kind", "=", "letter")
        .where("used_at", "is", null)
        .where("revoked_at", "is", null)
        .execute();
      const code = newLetterCode();
      await trx
        .insertInto("child_link")
        .values({
          area_id: m.areaId,
          child_id: child.id,
          kind: "letter",
          secret_hash: hashSecretToken(code),
          language: child.preferred_language,
          created_by: m.userId,
          created_at: now,
          expires_at: expiresAt,
        })
        .execute();
      letters.push({
        childId: child.id,
        givenName: child.given_name,
        familyName: child.family_name,
        yearGroup: child.year_group,
        className: child.class_name,
        code,
        expiresAt,
      });
    }
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "guardian_letters_printed",
      subjectType: m.role === "school" ? "school" : "area",
      subjectId: m.role === "school" ? m.schoolId : m.areaId,
      details: { letters: letters.length, yearGroup: filter.yearGroup ?? null, className: filter.className ?? null },
    });
    return letters;
  });
}

/** The form a guardian fills in to invite a second guardian. */
export const guardianInviteForm = z.object({ email: emailField, language: languageField });

export type InviteResult = { ok: true } | { ok: false; errors: Record<string, string> };

/**
 * A guardian invites a second guardian (the other parent, a carer) to the child's passport.
 * Only the guardian's agreement is needed: the link goes to the email they give, and only the
 * account with that email can use it.
 */
export async function inviteSecondGuardian(
  db: DB,
  m: Membership,
  childId: string,
  input: { email: string; language: Language },
  origin: string,
  now = new Date(),
): Promise<InviteResult> {
  if (m.role !== "guardian") forbidden();
  if (!isUuid(childId)) notFound();
  const child = await childrenVisibleTo(db, m).select(["child.id", "child.given_name"]).where("child.id", "=", childId).executeTakeFirst();
  if (!child) notFound();
  const self = await db.selectFrom("app_user").select(["email", "display_name"]).where("id", "=", m.userId).executeTakeFirstOrThrow();
  if (self.email === input.email) return { ok: false, errors: { email: "guardians.errors.yourOwnEmail" } };
  const already = await db
    .selectFrom("guardian_child as gc")
    .innerJoin("app_user", "app_user.id", "gc.user_id")
    .select("gc.user_id")
    .where("gc.area_id", "=", m.areaId)
    .where("gc.child_id", "=", child.id)
    .where("app_user.email", "=", input.email)
    .executeTakeFirst();
  if (already) return { ok: false, errors: { email: "guardians.errors.alreadyLinked" } };
  const pending = await db
    .selectFrom("child_link")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("area_id", "=", m.areaId)
    .where("child_id", "=", child.id)
    .where("kind", "=", "guardian_invite")
    .where("used_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirstOrThrow();
  if (Number(pending.n) >= 5) return { ok: false, errors: { email: "guardians.errors.tooManyInvites" } };

  const token = newSecretToken();
  const link = await db
    .insertInto("child_link")
    .values({
      area_id: m.areaId,
      child_id: child.id,
      kind: "guardian_invite",
      secret_hash: hashSecretToken(token),
      email: input.email,
      language: input.language,
      created_by: m.userId,
      created_at: now,
      expires_at: new Date(now.getTime() + GUARDIAN_INVITE_LIFETIME_DAYS * DAY_MS),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const t = translator(input.language);
  const linkUrl = `${origin}/link-child/${token}`;
  await sendEmail(db, {
    to: input.email,
    language: input.language,
    areaId: m.areaId,
    subject: t("guardians.email.subject", { name: child.given_name }),
    text: t("guardians.email.body", { inviter: self.display_name, name: child.given_name, link: linkUrl, days: GUARDIAN_INVITE_LIFETIME_DAYS }),
    secrets: [linkUrl],
  });
  await recordAudit(db, {
    areaId: m.areaId,
    actorUserId: m.userId,
    action: "guardian_invited_to_child",
    subjectType: "child",
    subjectId: child.id,
    details: { linkId: link.id },
  });
  return { ok: true };
}

/** The guardians linked to a child, for the page where a guardian invites another. */
export async function childGuardians(db: DB, m: Membership, childId: string) {
  if (!isUuid(childId)) notFound();
  const child = await childrenVisibleTo(db, m).select(["child.id", "child.given_name", "child.family_name"]).where("child.id", "=", childId).executeTakeFirst();
  if (!child) notFound();
  const guardians = await db
    .selectFrom("guardian_child as gc")
    .innerJoin("app_user", "app_user.id", "gc.user_id")
    .select(["app_user.display_name", "gc.created_at", "gc.user_id"])
    .where("gc.area_id", "=", m.areaId)
    .where("gc.child_id", "=", child.id)
    .orderBy("gc.created_at")
    .execute();
  return { child, guardians: guardians.map((g) => ({ displayName: g.display_name, since: g.created_at, isYou: g.user_id === m.userId })) };
}

type LinkRow = {
  area_id: string;
  id: string;
  child_id: string;
  kind: "letter" | "guardian_invite";
  email: string | null;
  used_at: Date | null;
  revoked_at: Date | null;
  expires_at: Date;
};

async function findLink(db: DB, secret: string): Promise<(LinkRow & { given_name: string }) | undefined> {
  return db
    .selectFrom("child_link")
    .innerJoin("child", sameArea("child.id", "child_link.child_id"))
    .select([
      "child_link.area_id",
      "child_link.id",
      "child_link.child_id",
      "child_link.kind",
      "child_link.email",
      "child_link.used_at",
      "child_link.revoked_at",
      "child_link.expires_at",
      "child.given_name",
    ])
    .where("child_link.secret_hash", "=", hashSecretToken(secret))
    .where("child.status", "=", "active")
    .executeTakeFirst();
}

/** The secret in a link or a typed code, as it was hashed when created. */
function secretFrom(input: { token?: string; code?: string }) {
  if (input.token) return /^[A-Za-z0-9_-]{40,60}$/.test(input.token) ? input.token : null;
  return input.code ? normaliseLetterCode(input.code) : null;
}

export type ChildLinkView =
  { state: Exclude<LinkState, "valid"> | "rateLimited" | "wrongAccount" } | { state: "valid"; givenName: string; kind: "letter" | "guardian_invite" };

/**
 * What a link or code is, for the signed-in person about to use it. The child's given name is
 * shown only to someone holding a valid code for them (on paper from school, or by email).
 * Letter codes are short, so looking them up counts against a rate limit.
 */
export async function viewChildLink(db: DB, actor: Actor, input: { token?: string; code?: string }, now = new Date()): Promise<ChildLinkView> {
  if (input.code !== undefined) {
    const limit = await countAttempts(db, [[`child-link:${actor.userId}`, CODE_ATTEMPTS]], now);
    if (!limit.allowed) return { state: "rateLimited" };
  }
  const secret = secretFrom(input);
  const link = secret ? await findLink(db, secret) : undefined;
  if (link && input.code !== undefined && link.kind !== "letter") return { state: "invalid" };
  const state = linkStateOf(link && { used: link.used_at !== null || link.revoked_at !== null, expiresAt: link.expires_at }, now);
  if (state !== "valid" || !link) return { state: state === "valid" ? "invalid" : state };
  if (link.kind === "guardian_invite" && link.email !== actor.email) return { state: "wrongAccount" };
  return { state: "valid", givenName: link.given_name, kind: link.kind };
}

export type RedeemResult =
  { ok: true; childId: string; membershipId: string } | { ok: false; state: Exclude<ChildLinkView["state"], "valid"> | "consentRequired" };

/**
 * Uses a link or code up (once, even when two people race), after the person has agreed to
 * the passport consent: links them to the child as a guardian, adding a guardian membership
 * in the child's area when they have none, and makes it the session's active one.
 */
export async function redeemChildLink(
  db: DB,
  actor: Actor,
  input: { token?: string; code?: string; consent: boolean },
  now = new Date(),
): Promise<RedeemResult> {
  const view = await viewChildLink(db, actor, input, now);
  if (view.state !== "valid") return { ok: false, state: view.state };
  if (!input.consent) return { ok: false, state: "consentRequired" };
  const secret = secretFrom(input)!;
  const outcome = await db.transaction().execute(async (trx) => {
    const link = await trx
      .updateTable("child_link")
      .set({ used_at: now, used_by: actor.userId })
      .where("secret_hash", "=", hashSecretToken(secret))
      .where("used_at", "is", null)
      .where("revoked_at", "is", null)
      .where("expires_at", ">", now)
      .returning(["area_id", "child_id", "kind"])
      .executeTakeFirst();
    if (!link) return null;
    await trx
      .insertInto("membership")
      .values({ area_id: link.area_id, user_id: actor.userId, role: "guardian" })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const membership = await trx
      .selectFrom("membership")
      .select("id")
      .where("area_id", "=", link.area_id)
      .where("user_id", "=", actor.userId)
      .where("role", "=", "guardian")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("guardian_child")
      .values({ area_id: link.area_id, user_id: actor.userId, child_id: link.child_id, created_at: now })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await trx
      .insertInto("child_consent")
      .values({
        area_id: link.area_id,
        child_id: link.child_id,
        purpose: "passport",
        version: CONSENT_VERSION,
        method: "guardian_link",
        given_by: actor.userId,
        given_at: now,
      })
      .execute();
    await trx.updateTable("auth_session").set({ active_membership_id: membership.id }).where("id", "=", actor.sessionId).execute();
    await recordAudit(trx, {
      areaId: link.area_id,
      actorUserId: actor.userId,
      action: "guardian_linked_to_child",
      subjectType: "child",
      subjectId: link.child_id,
      details: { via: link.kind },
    });
    return { childId: link.child_id, membershipId: membership.id };
  });
  return outcome ? { ok: true, ...outcome } : { ok: false, state: "used" };
}
