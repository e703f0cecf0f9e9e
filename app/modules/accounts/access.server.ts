import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import type { DB } from "../db/database.server";
import { recordAudit } from "../audit/audit.server";
import { forbidden, isUuid, loadSignedInActor, notFound, signedInChild, type Actor, type Membership } from "./actor.server";
import { sameArea, sameAreaRef } from "../db/same-area.server";

/**
 * The gate of pages open to any signed-in grown-up, with a role or none yet (their account
 * page, accepting an invitation): signed out, off to sign in and back; a child's session, to the
 * child's passport. Pages for particular roles use requireActor.
 */
export function requireSignedIn(db: DB, request: Request, context: Pick<AppLoadContext, "signedIn">): Promise<Actor> {
  return loadSignedInActor(db, request, context);
}

/** A child signed in with their own card (issue 16): they may see themselves, nothing else. */
export interface ChildPrincipal {
  childId: string;
  areaId: string;
  sessionId: string;
}

/**
 * The gate of the child's own pages: a child's session, or off to the child's sign-in. A
 * grown-up's session is sent there too (a guardian reads the passport on their own pages).
 */
export function requireChild(context: Pick<AppLoadContext, "signedIn">): ChildPrincipal {
  const child = signedInChild(context.signedIn);
  if (!child) throw redirect("/child-sign-in");
  return child;
}

/** Children a scope may see: a membership's (below), or a signed-in child's own row only. */
export function childrenInScope(db: DB, scope: Membership | ChildPrincipal) {
  if ("role" in scope) return childrenVisibleTo(db, scope);
  return db.selectFrom("child").where("child.area_id", "=", scope.areaId).where("child.id", "=", scope.childId).where("child.status", "=", "active");
}

/**
 * Scoped queries: every read of children, sessions or credits starts here, already narrowed
 * to the membership's area and to what its role may see. A route cannot forget the check
 * because it has no other way in.
 */
export function childrenVisibleTo(db: DB, m: Membership) {
  // A withdrawn child is anonymous: no one opens the row again, it only counts in reports.
  const inArea = db.selectFrom("child").where("child.area_id", "=", m.areaId).where("child.status", "=", "active");
  switch (m.role) {
    case "coordinator":
      return inArea;
    case "school":
      return inArea.where("child.school_id", "=", m.schoolId);
    case "guardian":
      return inArea.where((eb) =>
        eb.exists(
          eb
            .selectFrom("guardian_child")
            .select("guardian_child.child_id")
            .where(sameAreaRef("guardian_child.child_id", "child.id"))
            .where("guardian_child.user_id", "=", m.userId),
        ),
      );
    case "provider_owner":
    case "provider_member":
      // Provider staff see the children who have taken part in their own activities.
      return inArea.where((eb) =>
        eb.exists(eb.selectFrom("credit").select("credit.id").where(sameAreaRef("credit.child_id", "child.id")).where("credit.provider_id", "=", m.providerId)),
      );
    case "viewer":
      return forbidden();
  }
}

/** Activity sessions a membership may manage: a provider's own, or all of the area for its coordinator. */
export function sessionsManagedBy(db: DB, m: Membership) {
  const inArea = db
    .selectFrom("activity_session")
    .innerJoin("activity", sameArea("activity.id", "activity_session.activity_id"))
    .where("activity_session.area_id", "=", m.areaId);
  switch (m.role) {
    case "coordinator":
      return inArea;
    case "provider_owner":
    case "provider_member":
      return inArea.where("activity.provider_id", "=", m.providerId);
    default:
      return forbidden();
  }
}

/**
 * Activities a membership may manage: its own provider's, or all of the area's for its
 * coordinator. Another provider's activity is simply not there (a 404, never a 403).
 */
export function activitiesManagedBy(db: DB, m: Membership) {
  const inArea = db.selectFrom("activity").where("activity.area_id", "=", m.areaId);
  switch (m.role) {
    case "coordinator":
      return inArea;
    case "provider_owner":
    case "provider_member":
      return inArea.where("activity.provider_id", "=", m.providerId);
    default:
      return forbidden();
  }
}

/** Credits a membership may see: its area, provider, school's pupils or own children. */
export function creditsVisibleTo(db: DB, m: Membership) {
  const inArea = db.selectFrom("credit").where("credit.area_id", "=", m.areaId);
  switch (m.role) {
    case "coordinator":
      return inArea;
    case "provider_owner":
    case "provider_member":
      return inArea.where("credit.provider_id", "=", m.providerId);
    case "school":
    case "guardian":
      return inArea.where("credit.child_id", "in", childrenVisibleTo(db, m).select("child.id"));
    case "viewer":
      return forbidden();
  }
}

/**
 * A child's record for someone allowed to see it, or a 404 that does not say whether the
 * child exists. Staff opening a record is written to the audit trail.
 */
export async function openChildRecord(db: DB, m: Membership, childId: string) {
  if (!isUuid(childId)) notFound();
  const child = await childrenVisibleTo(db, m)
    .select([
      "child.id",
      "child.area_id",
      "child.passport_number",
      "child.given_name",
      "child.family_name",
      "child.birth_year",
      "child.birth_month",
      "child.school_id",
      "child.preferred_language",
      "child.status",
    ])
    .where("child.id", "=", childId)
    .executeTakeFirst();
  if (!child) notFound();
  if (m.role !== "guardian") {
    await recordAudit(db, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "child_record_viewed",
      subjectType: "child",
      subjectId: child.id,
      details: { role: m.role },
    });
  }
  return child;
}
