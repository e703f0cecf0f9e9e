/**
 * How long a person's session lasts (issue 13). Staff (coordinator, school, provider owner and
 * staff, viewer: every role but guardian) see many children's data on shared machines, so
 * they are signed out after 30 minutes without use and 12 hours after signing in at most.
 * Guardians see only their own children, often on their own phone: 7 days since last use.
 * Someone with a staff role and a guardian one is treated as staff.
 */
export interface SessionLifetime {
  idleMinutes: number;
  maxMinutes: number | null;
  /** Extend the expiry only once this many minutes of it have been used (one write per so often, not per request). */
  renewAfterMinutes: number;
}

export const STAFF_SESSION: SessionLifetime = { idleMinutes: 30, maxMinutes: 12 * 60, renewAfterMinutes: 1 };
export const GUARDIAN_SESSION: SessionLifetime = { idleMinutes: 7 * 24 * 60, maxMinutes: null, renewAfterMinutes: 3.5 * 24 * 60 };

export function sessionLifetime(staff: boolean) {
  return staff ? STAFF_SESSION : GUARDIAN_SESSION;
}

/** When a session that starts now ends if it is not used. */
export function firstExpiry(lifetime: SessionLifetime, now: Date) {
  return new Date(now.getTime() + lifetime.idleMinutes * 60_000);
}

/**
 * What a use at `now` does to a session: ends it (idle too long, or past its maximum), extends
 * it (never beyond its maximum), or leaves it.
 */
export function onUse(lifetime: SessionLifetime, session: { createdAt: Date; expiresAt: Date }, now: Date) {
  const hardEnd = lifetime.maxMinutes === null ? Infinity : session.createdAt.getTime() + lifetime.maxMinutes * 60_000;
  if (session.expiresAt.getTime() <= now.getTime() || hardEnd <= now.getTime()) return { ended: true as const };
  const target = Math.min(now.getTime() + lifetime.idleMinutes * 60_000, hardEnd);
  const usedSinceRenewal = target - session.expiresAt.getTime() >= lifetime.renewAfterMinutes * 60_000;
  // An expiry further off than this lifetime allows (set before the person became staff, say) is cut back.
  const tooFar = session.expiresAt.getTime() > target;
  return { ended: false as const, expiresAt: usedSinceRenewal || tooFar ? new Date(target) : null };
}
