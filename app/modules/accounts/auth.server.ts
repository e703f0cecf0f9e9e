import type { Session, User } from "lucia";
import type { DB } from "../db/database.server";
import { authenticateChild } from "../children/child-sign-in.server";
import { createLucia } from "./lucia.server";

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
 * cookie when the session was extended, a blank one when it had expired or was ended.
 */
export async function authenticate(db: DB, cookieHeader: string | null | undefined) {
  // A child's own session (issue 16) has its own cookie and lifetime (child-sign-in.server.ts),
  // and comes first: a child signed in on a grown-up's device reaches only their own pages
  // until they sign out, even while the grown-up's session is still there.
  const child = await authenticateChild(db, cookieHeader ?? "");
  if (child.signedIn) return child;
  const auth = lucia(db);
  const sessionId = auth.readSessionCookie(cookieHeader ?? "");
  if (!sessionId) return { signedIn: null, setCookie: child.setCookie };
  const { session, user } = await auth.validateSession(sessionId);
  if (!session || !user || session.childAreaId) return { signedIn: null, setCookie: auth.createBlankSessionCookie().serialize() };
  const setCookie = session.fresh ? auth.createSessionCookie(session.id).serialize() : child.setCookie;
  return { signedIn: { user, session } satisfies SignedIn, setCookie };
}

/** Starts a session; returns its Set-Cookie. */
export async function startSession(db: DB, userId: string, activeMembershipId: string | null) {
  const session = await lucia(db).createSession(userId, { activeMembershipId });
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
