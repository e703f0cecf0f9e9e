import { randomInt } from "node:crypto";
import { Cookie, Lucia, TimeSpan } from "lucia";
import { z } from "zod";
import { childrenVisibleTo } from "../accounts/access.server";
import { forbidden, isUuid, notFound, signedInChild, type Membership } from "../accounts/actor.server";
import type { SignedIn } from "../accounts/auth.server";
import { KyselyLuciaAdapter } from "../accounts/lucia.server";
import { hashPassword, timingSafeDummyHash, verifyPassword } from "../accounts/password.server";
import { countAttempts, overLimit, PER_ADDRESS, type RateLimit } from "../accounts/rate-limit.server";
import { recordAudit } from "../audit/audit.server";
import type { DB } from "../db/database.server";
import { PICTURE_FIELDS, PICTURES, type Picture } from "./pictures";
import { sameArea } from "../db/same-area.server";

/**
 * A child's own sign-in (issue 16), built to the ICO Children's code: no email address, a
 * card with a short code (and its QR code) and a picture code the child chose with a
 * guardian. It opens only the child's own pages (CHILD_PATHS); the guardian (or the school,
 * for its pupils) makes, replaces and revokes the card and sees when it was last used.
 */

/** Card codes: eight letters and digits, none that look alike (no 0/O, 1/I/L). */
const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const CODE_LENGTH = 8;

/**
 * Wrong picture codes a card may have in 15 minutes, and then a short wait: the limit lifts by
 * itself (the code says a child must never be locked out until an adult steps in).
 */
export const PER_CARD: RateLimit = { limit: 5, windowMinutes: 15 };

/**
 * A child's session: short (an hour, renewed while used) and held in a cookie with no
 * Max-Age, so it ends when the browser closes on a shared device. It is a row of the one
 * session table, validated by the same Lucia adapter as everyone's; its own cookie name keeps
 * a child's session from ever being read with a grown-up's lifetime (and the other way round).
 */
export const CHILD_SESSION_LIFETIME = new TimeSpan(1, "h");
export const CHILD_SESSION_COOKIE = "pasbort_child";

const instances = new WeakMap<DB, Lucia>();
export function childLucia(db: DB) {
  let instance = instances.get(db);
  if (!instance) {
    instance = new Lucia(new KyselyLuciaAdapter(db), {
      sessionExpiresIn: CHILD_SESSION_LIFETIME,
      sessionCookie: {
        name: CHILD_SESSION_COOKIE,
        expires: false,
        attributes: { secure: process.env.NODE_ENV === "production", sameSite: "lax" },
      },
      getUserAttributes: (attributes) => attributes,
      getSessionAttributes: (attributes) => attributes,
    });
    instances.set(db, instance);
  }
  return instance;
}

/**
 * The cookie of a child's session, without Max-Age or Expires, so the browser forgets it when
 * it closes. (Lucia's `expires: false` means the opposite: a cookie kept for 400 days.)
 */
function childSessionCookie(db: DB, sessionId: string) {
  const cookie = childLucia(db).createSessionCookie(sessionId);
  return new Cookie(cookie.name, cookie.value, { ...cookie.attributes, maxAge: undefined, expires: undefined }).serialize();
}

/** The child's session from its cookie, or null; a person's session id in this cookie is refused. */
export async function authenticateChild(db: DB, cookieHeader: string) {
  const auth = childLucia(db);
  const sessionId = auth.readSessionCookie(cookieHeader);
  if (!sessionId) return { signedIn: null, setCookie: null };
  const { session, user } = await auth.validateSession(sessionId);
  if (!session || !user || !session.childAreaId) return { signedIn: null, setCookie: auth.createBlankSessionCookie().serialize() };
  const setCookie = session.fresh ? childSessionCookie(db, session.id) : null;
  return { signedIn: { user, session }, setCookie };
}

/** The blank cookie that ends a child's session in the browser. */
export function blankChildCookie(db: DB) {
  return childLucia(db).createBlankSessionCookie().serialize();
}

/**
 * The paths a child's session may ask for; everything else is refused before it reaches a
 * route (server.ts), and every staff or guardian loader refuses a child anyway (requireActor).
 * Remix asks for a page's data at `<page>.data` (single fetch) and for routes at `/__manifest`.
 */
export function childMayRequest(method: string, pathname: string) {
  if (method === "GET" && pathname === "/__manifest") return true;
  const page = pathname.endsWith(".data") ? pathname.slice(0, -".data".length) : pathname;
  if (page === "/me" || page.startsWith("/me/")) return true;
  if (page === "/child-sign-in") return true;
  return method === "POST" && page === "/logout";
}

/**
 * What the server answers a child's session asking for any other path: a page is sent back to
 * the child's passport; anything else (a form, a page's data, a download, the API) is refused.
 */
export function childRefusal(signedIn: SignedIn | null, method: string, pathname: string) {
  if (!signedInChild(signedIn) || childMayRequest(method, pathname)) return null;
  if ((method === "GET" || method === "HEAD") && !pathname.endsWith(".data")) return { redirectTo: "/me", text: "" };
  return { redirectTo: null, text: "Dim ond dy basbort di all y sesiwn hon ei agor.\nThis sign-in opens only your own passport." };
}

/** A card code as typed or scanned: upper case, without spaces or dashes. */
export function normaliseCode(value: string) {
  return value.toUpperCase().replace(/[\s-]/g, "");
}

/** A card code as printed, in two halves: ABCD-EFGH. */
export function formatCode(code: string) {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

function newCode() {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

const pictureField = z.enum(PICTURES, { error: "childSignIn.errors.pictureCode" });

/** The picture code as one string to hash. */
function pictureCodeText(pictures: readonly Picture[]) {
  return pictures.join("-");
}

/** Guardians of the child, or the school of the pupil, manage the card. */
const CARD_ROLES = ["guardian", "school"] as const;

async function childForCard(db: DB, m: Membership, childId: string) {
  if (!(CARD_ROLES as readonly string[]).includes(m.role)) forbidden();
  if (!isUuid(childId)) notFound();
  const child = await childrenVisibleTo(db, m).select(["child.id", "child.area_id", "child.given_name"]).where("child.id", "=", childId).executeTakeFirst();
  if (!child) notFound();
  return child;
}

/**
 * Makes the child a new card with the picture code chosen with them; a card already in use is
 * revoked (and its sessions ended), so a lost card stops working the moment it is replaced.
 */
export async function createChildCard(db: DB, m: Membership, childId: string, pictures: Picture[]) {
  const child = await childForCard(db, m, childId);
  const pictureCodeHash = await hashPassword(pictureCodeText(pictures));
  const code = await db.transaction().execute(async (trx) => {
    await revokeInUse(trx, m, child.id);
    for (let attempt = 0; ; attempt++) {
      const candidate = newCode();
      const inserted = await trx
        .insertInto("child_sign_in_card")
        .values({ area_id: m.areaId, child_id: child.id, code: candidate, picture_code_hash: pictureCodeHash, created_by: m.userId })
        .onConflict((oc) => oc.column("code").doNothing())
        .returning("code")
        .executeTakeFirst();
      if (inserted) return inserted.code;
      if (attempt > 5) throw new Error("No free child sign-in code");
    }
  });
  await recordAudit(db, { areaId: m.areaId, actorUserId: m.userId, action: "child_sign_in_card_created", subjectType: "child", subjectId: child.id });
  return { code };
}

async function revokeInUse(db: DB, m: Membership, childId: string) {
  const revoked = await db
    .updateTable("child_sign_in_card")
    .set({ revoked_at: new Date(), revoked_by: m.userId })
    .where("area_id", "=", m.areaId)
    .where("child_id", "=", childId)
    .where("revoked_at", "is", null)
    .returning("id")
    .execute();
  await endChildSessions(db, m.areaId, childId);
  return revoked.length > 0;
}

/** Ends every session of a child (a revoked or replaced card, a withdrawal). */
export async function endChildSessions(db: DB, areaId: string, childId: string) {
  await db.deleteFrom("auth_session").where("child_area_id", "=", areaId).where("child_id", "=", childId).execute();
}

/** Revokes the child's card: it never signs in again, and any session it started ends now. */
export async function revokeChildCard(db: DB, m: Membership, childId: string) {
  const child = await childForCard(db, m, childId);
  const revoked = await revokeInUse(db, m, child.id);
  if (revoked) {
    await recordAudit(db, { areaId: m.areaId, actorUserId: m.userId, action: "child_sign_in_card_revoked", subjectType: "child", subjectId: child.id });
  }
  return { revoked };
}

/** The card in use (if any) and when the child last signed in with any card. */
export async function childCardStatus(db: DB, m: Membership, childId: string) {
  const child = await childForCard(db, m, childId);
  const cards = await db
    .selectFrom("child_sign_in_card")
    .select(["code", "created_at", "last_signed_in_at", "revoked_at"])
    .where("area_id", "=", m.areaId)
    .where("child_id", "=", child.id)
    .orderBy("created_at", "desc")
    .execute();
  const inUse = cards.find((card) => card.revoked_at === null) ?? null;
  const signIns = cards.map((card) => card.last_signed_in_at).filter((at): at is Date => at !== null);
  const lastSignedInAt = signIns.length ? new Date(Math.max(...signIns.map((at) => at.getTime()))) : null;
  return {
    child,
    card: inUse && { code: inUse.code, createdAt: inUse.created_at, lastSignedInAt: inUse.last_signed_in_at },
    lastSignedInAt,
  };
}

/** The picture code as a form sends it: one radio group per place (picture1 … picture4). */
const pictureFields = Object.fromEntries(PICTURE_FIELDS.map((name) => [name, pictureField])) as Record<(typeof PICTURE_FIELDS)[number], typeof pictureField>;
const picturesOf = (fields: Record<(typeof PICTURE_FIELDS)[number], Picture>): Picture[] => PICTURE_FIELDS.map((name) => fields[name]);

/** A guardian (or school) choosing the picture code with the child. */
export const pictureCodeForm = z.object(pictureFields).transform((fields) => ({ pictures: picturesOf(fields) }));

export const childSignInForm = z
  .object({
    code: z
      .string({ error: "childSignIn.errors.code" })
      .transform(normaliseCode)
      .pipe(z.string().regex(new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`), { error: "childSignIn.errors.code" })),
    ...pictureFields,
  })
  .transform((fields) => ({ code: fields.code, pictures: picturesOf(fields) }));

export type ChildSignInResult =
  { ok: true; setCookie: string; childId: string } | { ok: false; reason: "invalid" } | { ok: false; reason: "rateLimited"; retryAfterMinutes: number };

/**
 * Checks a card code and picture code. An unknown code and a wrong picture code answer the
 * same, after the same work. Wrong tries are limited per card (5 in 15 minutes, then a short
 * wait that ends by itself) and per client address (as for grown-ups' sign-in: a school's
 * pupils share one).
 */
export async function signInChild(db: DB, input: { code: string; pictures: Picture[] }, clientAddress: string, now = new Date()): Promise<ChildSignInResult> {
  const limits: Array<[string, RateLimit]> = [
    [`child-sign-in:card:${input.code}`, PER_CARD],
    [`child-sign-in:address:${clientAddress}`, PER_ADDRESS],
  ];
  const limit = await overLimit(db, limits, now);
  if (!limit.allowed) return { ok: false, reason: "rateLimited", retryAfterMinutes: limit.retryAfterMinutes };
  const card = await db
    .selectFrom("child_sign_in_card")
    .innerJoin("child", sameArea("child.id", "child_sign_in_card.child_id"))
    .select(["child_sign_in_card.area_id", "child_sign_in_card.id", "child_sign_in_card.child_id", "child_sign_in_card.picture_code_hash"])
    .where("child_sign_in_card.code", "=", input.code)
    .where("child_sign_in_card.revoked_at", "is", null)
    .where("child.status", "=", "active")
    .executeTakeFirst();
  const valid = await verifyPassword(card?.picture_code_hash ?? (await timingSafeDummyHash()), pictureCodeText(input.pictures));
  if (!card || !valid) {
    await countAttempts(db, limits, now);
    if (card) {
      await recordAudit(db, { areaId: card.area_id, action: "child_sign_in_failed", subjectType: "child", subjectId: card.child_id });
    }
    return { ok: false, reason: "invalid" };
  }
  // No audit event for a sign-in that worked: the card's last_signed_in_at is the only record
  // kept of a child's sign-ins (data minimised); failures are audited, as for grown-ups.
  const auth = childLucia(db);
  const session = await auth.createSession(card.child_id, { activeMembershipId: null, childAreaId: card.area_id });
  await db.updateTable("child_sign_in_card").set({ last_signed_in_at: now }).where("area_id", "=", card.area_id).where("id", "=", card.id).execute();
  return { ok: true, setCookie: childSessionCookie(db, session.id), childId: card.child_id };
}

/** Ends a child's session (signing out); returns the blank cookie. */
export async function signOutChild(db: DB, sessionId: string) {
  await childLucia(db).invalidateSession(sessionId);
  return blankChildCookie(db);
}
