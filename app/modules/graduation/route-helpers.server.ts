import { isUuid, notFound, requireActor } from "../accounts/actor.server";
import type { AppLoadContext } from "@remix-run/node";
import type { DB } from "../db/database.server";
import { areaSchools, loadGraduation } from "./graduations.server";

/**
 * The gate of every graduation page, file and action: the area's coordinator only (anyone
 * else is refused with 403 by requireActor); a graduation of another area, or a school filter
 * naming a school that is not the area's, is simply not there (404).
 */
export async function requireGraduation(db: DB, request: Request, context: Pick<AppLoadContext, "signedIn">, graduationId: string | undefined) {
  const { actor, membership } = await requireActor(db, request, context, ["coordinator"]);
  if (!graduationId || !isUuid(graduationId)) notFound();
  const graduation = await loadGraduation(db, membership.areaId, graduationId);
  if (!graduation) notFound();
  return { actor, membership, graduation, who: { areaId: membership.areaId, userId: actor.userId } };
}

/** The school filter of a request (?school=<id>), checked against the area's schools. */
export async function schoolFilter(db: DB, areaId: string, value: string | null) {
  const schools = await areaSchools(db, areaId);
  if (!value) return { schools, school: null };
  const school = schools.find((candidate) => candidate.id === value);
  if (!school) notFound();
  return { schools, school };
}
