import type { Session, User } from "lucia";
import type { DB } from "../db/database.server";
import { authenticateChild } from "../children/child-sign-in.server";
import { createLucia, KyselyLuciaAdapter } from "./lucia.server";
import { firstExpiry, onUse, sessionLifetime } from "./session-lifetime";

/** Who a request is from: a person, or a child signed in with their own card (`session.childAreaId` set). */
export type SignedIn = { user: User; session: Session };

const instances = new WeakMap<DB, ReturnType<typeof createLucia>>();

/** The Lucia instance for a database (one per handle, so tests can run several). */
export function lucia(db: DB) {
  let instance = instances.get(db);
  if (!instance) {
    instance = createLucia(db);
    instances.set(db, instance);
  }
  return instance;
}

/**
 * Who sent this request, from the session cookie, and the Set-Cookie to send back: a renewed
 * cookie when a guardian's session was extended, a blank one when it had expired or was ended.
 * A person's session is checked and extended here, by its lifetime (session-lifetime.ts:
 * staff 30 minutes idle and 12 hours at most), not by Lucia's single one.
 */
export async function authenticate(db: DB, cookieHeader: string | null | undefined, now = new Date()) {
  // A child's own session (issue 16) has its own cookie and lifetime (child-sign-in.server.ts),
  // and comes first: a child signed in on a grown-up's device reaches only their own pages
  // until they sign out, even while the grown-up's session is still there.
  const child = await authenticateChild(db, cookieHeader ?? "");
  if (child.signedIn) return child;
  const auth = lucia(db);
  const sessionId = auth.readSessionCookie(cookieHeader ?? "");
  if (!sessionId) return { signedIn: null, setCookie: child.setCookie };
  const adapter = new KyselyLuciaAdapter(db);
  const [stored, storedUser] = await adapter.getSessionAndUser(sessionId);
  if (!stored || !storedUser || stored.attributes.childAreaId) return { signedIn: null, setCookie: auth.createBlankSessionCookie().serialize() };
  const staff = stored.attributes.staff === true;
  const use = onUse(sessionLifetime(staff), { createdAt: stored.attributes.createdAt!, expiresAt: stored.expiresAt }, now);
  if (use.ended) {
    await adapter.deleteSession(stored.id);
    return { signedIn: null, setCookie: auth.createBlankSessionCookie().serialize() };
  }
  if (use.expiresAt) await adapter.updateSessionExpiration(stored.id, use.expiresAt);
  const expiresAt = use.expiresAt ?? stored.expiresAt;
  const { createdAt: _createdAt, staff: _staff, ...attributes } = stored.attributes;
  const session: Session = { id: stored.id, userId: stored.userId, expiresAt, fresh: use.expiresAt !== null, ...attributes };
  const user: User = { id: storedUser.id, ...storedUser.attributes };
  // A staff cookie is not re-sent on renewal: the server holds its expiry.
  const setCookie = session.fresh && !staff ? auth.createSessionCookie(session.id).serialize() : child.setCookie;
  return { signedIn: { user, session } satisfies SignedIn, setCookie };
}

/** Starts a session with its holder's lifetime (staff: 30 minutes until used again); returns its Set-Cookie. */
export async function startSession(db: DB, userId: string, activeMembershipId: string | null, now = new Date()) {
  const session = await lucia(db).createSession(userId, { activeMembershipId });
  const staff = await db.selectFrom("membership").select("id").where("user_id", "=", userId).where("role", "<>", "guardian").executeTakeFirst();
  if (staff) {
    session.expiresAt = firstExpiry(sessionLifetime(true), now);
    await db.updateTable("auth_session").set({ expires_at: session.expiresAt }).where("id", "=", session.id).execute();
  }
  return { session, setCookie: lucia(db).createSessionCookie(session.id).serialize() };
}

export async function endSession(db: DB, sessionId: string) {
  await lucia(db).invalidateSession(sessionId);
  return lucia(db).createBlankSessionCookie().serialize();
}

/** Ends every session of a person, e.g. after a password reset. */
export async function endAllSessions(db: DB, userId: string) {
  await lucia(db).invalidateUserSessions(userId);
}
