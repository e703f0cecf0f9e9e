import { z } from "zod";
import { recordAudit } from "../audit/audit.server";
import type { DB } from "../db/database.server";
import type { Language, Role } from "../db/schema";
import { sendEmail } from "../email/email.server";
import type { FieldErrors } from "../forms/parse-form.server";
import { translator } from "../i18n/i18n";
import { displayNameField, languageField, newPasswordError, newPasswordField } from "./account-fields.server";
import { INVITABLE_ROLES, STAFF_INVITABLE_ROLES } from "./invitable-roles";
import { forbidden, homePathFor, loadMemberships, PROVIDER_ROLES, type Membership } from "./actor.server";
import { hashPassword } from "./password.server";
import { startSession } from "./auth.server";
import { isWellFormedToken, linkStateOf, type LinkState } from "./links.server";
import { hashSecretToken, newSecretToken } from "./secret-token.server";
import { emailField } from "./sign-in.server";
import { columns, pick } from "../i18n/bilingual";
import { sameArea } from "../db/same-area.server";

export const INVITATION_LIFETIME_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

const optionalId = z
  .string()
  .trim()
  .optional()
  .transform((value) => value || null);

/** The coordinator's form: anyone, in any role, in their own area. */
export const invitationForm = z
  .object({
    email: emailField,
    role: z.enum(INVITABLE_ROLES, { error: "invite.roleRequired" }),
    schoolId: optionalId,
    providerId: optionalId,
    language: languageField,
  })
  .superRefine((value, ctx) => {
    if (value.role === "school" && !value.schoolId) ctx.addIssue({ code: "custom", path: ["schoolId"], message: "invite.schoolRequired" });
    if (PROVIDER_ROLES.includes(value.role) && !value.providerId) {
      ctx.addIssue({ code: "custom", path: ["providerId"], message: "invite.providerRequired" });
    }
  });

/** A Learning Destination owner's form: their own staff only, so no provider to choose. */
export const staffInvitationForm = z.object({
  email: emailField,
  role: z.enum(STAFF_INVITABLE_ROLES, { error: "invite.roleRequired" }),
  language: languageField,
});

export interface InvitationInput {
  email: string;
  role: Role;
  schoolId?: string | null;
  providerId?: string | null;
  language: Language;
}

/**
 * Who may invite whom: a coordinator anyone into their own area (the area always comes from
 * the inviter's membership, never from the form); a Learning Destination owner only staff of
 * their own Learning Destination.
 */
function mayInvite(inviter: Membership, input: InvitationInput) {
  if (inviter.role === "coordinator") return true;
  if (inviter.role === "provider_owner") {
    return (STAFF_INVITABLE_ROLES as readonly Role[]).includes(input.role) && input.providerId === inviter.providerId;
  }
  return false;
}

/** Keeps only the place that goes with the role, so a school id cannot ride along on a viewer invitation. */
function placeFor(input: InvitationInput) {
  return {
    schoolId: input.role === "school" ? (input.schoolId ?? null) : null,
    providerId: PROVIDER_ROLES.includes(input.role) ? (input.providerId ?? null) : null,
  };
}

export type SendInvitationResult = { ok: true; invitationId: string } | { ok: false; errors: FieldErrors };

/**
 * Invites someone by email. The link carries a random token of which only the hash is
 * stored; it works once and for INVITATION_LIFETIME_DAYS. Refused with a 403 when the inviter
 * may not give that role; a school or Learning Destination outside the inviter's area is
 * answered as unknown, so nothing about other areas is revealed.
 */
export async function sendInvitation(db: DB, inviter: Membership, input: InvitationInput, origin: string, now = new Date()): Promise<SendInvitationResult> {
  if (!mayInvite(inviter, input)) forbidden();
  const { schoolId, providerId } = placeFor(input);
  const areaId = inviter.areaId;

  const area = await db.selectFrom("area").select(["name_en", "name_cy"]).where("id", "=", areaId).executeTakeFirstOrThrow();
  let placeName: string | null = null;
  if (schoolId) {
    const school = isUuid(schoolId)
      ? await db.selectFrom("school").select("name").where("area_id", "=", areaId).where("id", "=", schoolId).executeTakeFirst()
      : undefined;
    if (!school) return { ok: false, errors: { schoolId: "invite.schoolUnknown" } };
    placeName = school.name;
  }
  if (providerId) {
    const provider = isUuid(providerId)
      ? await db.selectFrom("provider").select(["name_en", "name_cy"]).where("area_id", "=", areaId).where("id", "=", providerId).executeTakeFirst()
      : undefined;
    if (!provider) return { ok: false, errors: { providerId: "invite.providerUnknown" } };
    placeName = pick(columns(provider, "name"), input.language);
  }

  const alreadyMember = await db
    .selectFrom("membership")
    .innerJoin("app_user", "app_user.id", "membership.user_id")
    .select("membership.id")
    .where("membership.area_id", "=", areaId)
    .where("app_user.email", "=", input.email)
    .where("membership.role", "=", input.role)
    .where("membership.school_id", schoolId ? "=" : "is", schoolId)
    .where("membership.provider_id", providerId ? "=" : "is", providerId)
    .executeTakeFirst();
  if (alreadyMember) return { ok: false, errors: { email: "invite.alreadyMember" } };

  const inviterUser = await db.selectFrom("app_user").select("display_name").where("id", "=", inviter.userId).executeTakeFirstOrThrow();
  const token = newSecretToken();
  const invitation = await db
    .insertInto("invitation")
    .values({
      area_id: areaId,
      email: input.email,
      role: input.role,
      school_id: schoolId,
      provider_id: providerId,
      language: input.language,
      token_hash: hashSecretToken(token),
      invited_by: inviter.userId,
      expires_at: new Date(now.getTime() + INVITATION_LIFETIME_DAYS * DAY_MS),
    })
    .returning("id")
    .executeTakeFirstOrThrow();

  // Written in the invitation's language: the person has no account yet to hold a preference.
  const t = translator(input.language);
  const role = t(`roles.${input.role}`);
  const link = `${origin}/invite/${token}`;
  await sendEmail(db, {
    to: input.email,
    language: input.language,
    areaId,
    subject: t("emails.invitation.subject", { area: pick(columns(area, "name"), input.language) }),
    text: t("emails.invitation.body", {
      inviter: inviterUser.display_name,
      area: pick(columns(area, "name"), input.language),
      role: placeName ? `${role} (${placeName})` : role,
      link,
      days: INVITATION_LIFETIME_DAYS,
    }),
    // An invitation to a new address makes an account there: only the invited person may use it.
    secrets: [link],
  });
  await recordAudit(db, {
    areaId,
    actorUserId: inviter.userId,
    action: "invitation_sent",
    subjectType: "invitation",
    subjectId: invitation.id,
    details: { email: input.email, role: input.role, schoolId, providerId, language: input.language },
  });
  return { ok: true, invitationId: invitation.id };
}

/** Invitations not yet accepted and still usable: all of the area's for a coordinator, their own staff's for an owner. */
export async function listPendingInvitations(db: DB, m: Membership, now = new Date()) {
  if (m.role !== "coordinator" && m.role !== "provider_owner") forbidden();
  let query = db
    .selectFrom("invitation")
    .leftJoin("school", sameArea("school.id", "invitation.school_id"))
    .leftJoin("provider", sameArea("provider.id", "invitation.provider_id"))
    .select([
      "invitation.id",
      "invitation.email",
      "invitation.role",
      "invitation.language",
      "invitation.created_at",
      "invitation.expires_at",
      "school.name as school_name",
      "provider.name_en as provider_name",
    ])
    .where("invitation.area_id", "=", m.areaId)
    .where("invitation.accepted_at", "is", null)
    .where("invitation.expires_at", ">", now)
    .orderBy("invitation.created_at", "desc");
  if (m.role === "provider_owner") query = query.where("invitation.provider_id", "=", m.providerId);
  return query.execute();
}

/** The schools and Learning Destinations of the coordinator's area, for the invitation form. */
export async function invitationPlaces(db: DB, m: Membership) {
  const [schools, providers] = await Promise.all([
    db.selectFrom("school").select(["id", "name"]).where("area_id", "=", m.areaId).orderBy("name").execute(),
    db.selectFrom("provider").select(["id", "name_en", "name_cy"]).where("area_id", "=", m.areaId).orderBy("name_en").execute(),
  ]);
  return { schools, providers };
}

/** The people working for the owner's Learning Destination. */
export async function listProviderStaff(db: DB, m: Membership) {
  if (m.role !== "provider_owner") forbidden();
  return db
    .selectFrom("membership")
    .innerJoin("app_user", "app_user.id", "membership.user_id")
    .select(["membership.id", "membership.role", "app_user.display_name", "app_user.email", "membership.created_at"])
    .where("membership.area_id", "=", m.areaId)
    .where("membership.provider_id", "=", m.providerId)
    .where("membership.role", "in", [...STAFF_INVITABLE_ROLES])
    .orderBy("app_user.display_name")
    .execute();
}

function isUuid(value: string) {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

async function findInvitation(db: DB, token: string | undefined) {
  if (!isWellFormedToken(token)) return undefined;
  return db
    .selectFrom("invitation")
    .innerJoin("area", "area.id", "invitation.area_id")
    .leftJoin("school", sameArea("school.id", "invitation.school_id"))
    .leftJoin("provider", sameArea("provider.id", "invitation.provider_id"))
    .select([
      "invitation.area_id",
      "invitation.id",
      "invitation.email",
      "invitation.role",
      "invitation.school_id",
      "invitation.provider_id",
      "invitation.language",
      "invitation.expires_at",
      "invitation.accepted_at",
      "area.name_en as area_name_en",
      "area.name_cy as area_name_cy",
      "school.name as school_name",
      "provider.name_en as provider_name_en",
      "provider.name_cy as provider_name_cy",
    ])
    .where("invitation.token_hash", "=", hashSecretToken(token))
    .executeTakeFirst();
}

export type InvitationView =
  | { state: Exclude<LinkState, "valid"> }
  | {
      state: "valid";
      /** What the page should offer: create an account, accept as the signed-in person, or sign in first. */
      next: "createAccount" | "accept" | "signIn" | "wrongAccount";
      invitation: {
        email: string;
        role: Role;
        language: Language;
        areaNameEn: string;
        areaNameCy: string;
        placeNameEn: string | null;
        placeNameCy: string | null;
      };
    };

/** What opening an invitation link shows, for whoever is (or is not) signed in. Changes nothing. */
export async function viewInvitation(db: DB, token: string | undefined, signedInEmail: string | null, now = new Date()): Promise<InvitationView> {
  const row = await findInvitation(db, token);
  const state = linkStateOf(row && { used: row.accepted_at !== null, expiresAt: row.expires_at }, now);
  if (state !== "valid" || !row) return { state: state === "valid" ? "invalid" : state };
  const account = await db.selectFrom("app_user").select("id").where("email", "=", row.email).executeTakeFirst();
  const next = !account ? "createAccount" : signedInEmail === row.email ? "accept" : signedInEmail ? "wrongAccount" : "signIn";
  return {
    state,
    next,
    invitation: {
      email: row.email,
      role: row.role,
      language: row.language,
      areaNameEn: row.area_name_en,
      areaNameCy: row.area_name_cy,
      placeNameEn: row.school_name ?? row.provider_name_en,
      placeNameCy: row.school_name ?? row.provider_name_cy ?? row.provider_name_en,
    },
  };
}

export const newAccountForm = z.object({ displayName: displayNameField, password: newPasswordField });

export type AcceptResult =
  | { ok: true; userId: string; membershipId: string; home: string; setCookie: string | null }
  | { ok: false; errors: FieldErrors }
  | { ok: false; state: Exclude<LinkState, "valid"> | "signIn" | "wrongAccount" };

/**
 * Uses the invitation up, in one statement, so it works once even when two people race
 * with the same link. Runs inside the caller's transaction.
 */
async function claimInvitation(db: DB, token: string, userId: string, now: Date) {
  return db
    .updateTable("invitation")
    .set({ accepted_at: now, accepted_by: userId })
    .where("token_hash", "=", hashSecretToken(token))
    .where("accepted_at", "is", null)
    .where("expires_at", ">", now)
    .returning(["area_id", "id", "email", "role", "school_id", "provider_id"])
    .executeTakeFirst();
}

/** Adds the invited membership, or finds it when the person already had it. */
async function addMembership(db: DB, invitation: { area_id: string; role: Role; school_id: string | null; provider_id: string | null }, userId: string) {
  const inserted = await db
    .insertInto("membership")
    .values({ area_id: invitation.area_id, user_id: userId, role: invitation.role, school_id: invitation.school_id, provider_id: invitation.provider_id })
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, added: true };
  const existing = await db
    .selectFrom("membership")
    .select("id")
    .where("area_id", "=", invitation.area_id)
    .where("user_id", "=", userId)
    .where("role", "=", invitation.role)
    .where("school_id", invitation.school_id ? "=" : "is", invitation.school_id)
    .where("provider_id", invitation.provider_id ? "=" : "is", invitation.provider_id)
    .executeTakeFirstOrThrow();
  return { id: existing.id, added: false };
}

async function auditAcceptance(
  db: DB,
  invitation: { area_id: string; id: string; role: Role },
  userId: string,
  membership: { id: string; added: boolean },
  newAccount: boolean,
) {
  await recordAudit(db, {
    areaId: invitation.area_id,
    actorUserId: userId,
    action: "invitation_accepted",
    subjectType: "invitation",
    subjectId: invitation.id,
    details: { newAccount },
  });
  if (membership.added) {
    await recordAudit(db, {
      areaId: invitation.area_id,
      actorUserId: userId,
      action: "membership_added",
      subjectType: "membership",
      subjectId: membership.id,
      details: { role: invitation.role, invitationId: invitation.id },
    });
  }
}

async function failedState(db: DB, token: string, now: Date): Promise<AcceptResult> {
  const view = await viewInvitation(db, token, null, now);
  return { ok: false, state: view.state === "valid" ? "invalid" : view.state };
}

/**
 * Accepts an invitation for an email that has no account yet: creates the account (its email
 * counts as confirmed, since the link was sent there), the membership and a session.
 */
export async function acceptInvitationWithNewAccount(
  db: DB,
  token: string,
  input: { displayName: string; password: string },
  now = new Date(),
): Promise<AcceptResult> {
  const view = await viewInvitation(db, token, null, now);
  if (view.state !== "valid") return { ok: false, state: view.state };
  if (view.next !== "createAccount") return { ok: false, state: "signIn" };
  const passwordError = newPasswordError(input.password, [view.invitation.email, input.displayName]);
  if (passwordError) return { ok: false, errors: { password: passwordError } };
  // Hashing is slow: done before the transaction so PGlite's single connection is not held meanwhile.
  const passwordHash = await hashPassword(input.password);

  const outcome = await db
    .transaction()
    .execute(async (trx) => {
      const user = await trx
        .insertInto("app_user")
        .values({
          email: view.invitation.email,
          display_name: input.displayName,
          password_hash: passwordHash,
          preferred_language: view.invitation.language,
          email_verified_at: now,
        })
        .onConflict((oc) => oc.column("email").doNothing())
        .returning("id")
        .executeTakeFirst();
      if (!user) return { taken: true as const };
      const invitation = await claimInvitation(trx, token, user.id, now);
      if (!invitation) throw new InvitationGone();
      const membership = await addMembership(trx, invitation, user.id);
      await auditAcceptance(trx, invitation, user.id, membership, true);
      return { taken: false as const, userId: user.id, membershipId: membership.id };
    })
    .catch((error: unknown) => {
      if (error instanceof InvitationGone) return null;
      throw error;
    });
  if (!outcome) return failedState(db, token, now);
  // Someone created the account between the page and the form: they must sign in instead.
  if (outcome.taken) return { ok: false, state: "signIn" };
  const memberships = await loadMemberships(db, outcome.userId);
  const { setCookie } = await startSession(db, outcome.userId, outcome.membershipId);
  return {
    ok: true,
    userId: outcome.userId,
    membershipId: outcome.membershipId,
    setCookie,
    home: homePathFor(memberships.find((m) => m.id === outcome.membershipId) ?? null),
  };
}

/**
 * Accepts an invitation as the signed-in person, who must be the one it was sent to. The new
 * membership becomes the session's active one, so they land where it applies.
 */
export async function acceptInvitationAsSignedIn(
  db: DB,
  token: string,
  signedIn: { userId: string; email: string; sessionId: string },
  now = new Date(),
): Promise<AcceptResult> {
  const view = await viewInvitation(db, token, signedIn.email, now);
  if (view.state !== "valid") return { ok: false, state: view.state };
  if (view.next === "wrongAccount") return { ok: false, state: "wrongAccount" };
  if (view.next !== "accept") return { ok: false, state: "signIn" };
  const outcome = await db
    .transaction()
    .execute(async (trx) => {
      const invitation = await claimInvitation(trx, token, signedIn.userId, now);
      if (!invitation) throw new InvitationGone();
      const membership = await addMembership(trx, invitation, signedIn.userId);
      await trx.updateTable("auth_session").set({ active_membership_id: membership.id }).where("id", "=", signedIn.sessionId).execute();
      await auditAcceptance(trx, invitation, signedIn.userId, membership, false);
      return { membershipId: membership.id };
    })
    .catch((error: unknown) => {
      if (error instanceof InvitationGone) return null;
      throw error;
    });
  if (!outcome) return failedState(db, token, now);
  const memberships = await loadMemberships(db, signedIn.userId);
  return {
    ok: true,
    userId: signedIn.userId,
    membershipId: outcome.membershipId,
    setCookie: null,
    home: homePathFor(memberships.find((m) => m.id === outcome.membershipId) ?? null),
  };
}

/** Rolls the transaction back when the link was used up or expired meanwhile. */
class InvitationGone extends Error {}
