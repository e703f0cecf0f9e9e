import type { DB } from "../../db/database.server";
import type { WimdEdition } from "../../reference/wimd-editions";
import type { ImpactReport } from "./types";

/**
 * Kept releases of the impact report (ADR 0041, migration 0032): the report object as a
 * coordinator published it, for one scope (the area, an LA or a school), academic year and
 * WIMD edition. Read here; published by publishImpactRelease (impact.server.ts).
 */

export interface ReleaseScope {
  areaId: string;
  laCode: string | null;
  schoolId: string | null;
}

export interface ImpactRelease {
  report: ImpactReport;
  publishedAt: Date;
  publishedBy: string | null;
}

/** The kept release for a scope, year ("2025-26") and edition, marked with when it was published; null if none. */
export async function findImpactRelease(db: DB, scope: ReleaseScope, year: string, edition: WimdEdition): Promise<ImpactRelease | null> {
  const row = await db
    .selectFrom("impact_release")
    .select(["report", "published_at", "published_by"])
    .where("area_id", "=", scope.areaId)
    .where("year", "=", year)
    .where("edition", "=", edition)
    .where((eb) => (scope.laCode ? eb("la_code", "=", scope.laCode) : eb("la_code", "is", null)))
    .where((eb) => (scope.schoolId ? eb("school_id", "=", scope.schoolId) : eb("school_id", "is", null)))
    .executeTakeFirst();
  if (!row) return null;
  // jsonb comes back parsed from node-postgres and PGlite alike; text only from an unusual driver.
  const stored = (typeof row.report === "string" ? JSON.parse(row.report) : row.report) as ImpactReport;
  const publishedAt = new Date(row.published_at);
  return { report: { ...stored, published: { at: publishedAt.toISOString() } }, publishedAt, publishedBy: row.published_by };
}
