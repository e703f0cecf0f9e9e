import type { DB } from "../db/database.server";
import { recordAudit } from "../audit/audit.server";
import { notFound, type Actor } from "./actor.server";

/** Makes one of the person's own memberships the one their session acts in. */
export async function switchMembership(db: DB, actor: Actor, membershipId: string) {
  const membership = actor.memberships.find((m) => m.id === membershipId);
  if (!membership) notFound();
  await db.updateTable("auth_session").set({ active_membership_id: membership.id }).where("id", "=", actor.sessionId).execute();
  await recordAudit(db, {
    areaId: membership.areaId,
    actorUserId: actor.userId,
    action: "membership_switched",
    subjectType: "membership",
    subjectId: membership.id,
    details: { role: membership.role },
  });
  return membership;
}
