import { recordAudit } from "../audit/audit.server";
import { childrenVisibleTo } from "../accounts/access.server";
import { forbidden, isUuid, notFound, type Membership } from "../accounts/actor.server";
import type { DB } from "../db/database.server";
import { lookupPostcode } from "../reference/postcodes.server";
import { sql } from "kysely";
import { protectCount, type ProtectedCount } from "../reports/disclosure.server";
import { sameArea } from "../db/same-area.server";

/**
 * Children waiting for a 2021 LSOA (issue 14): their 2011 LSOA was split in 2021, and without
 * the postcode (which is never kept) nobody can say which half they live in. They keep the
 * 2011 code (WIMD 2019 still places them), count as "not known" under WIMD 2025, and are asked
 * for again at the next natural moment: the guardian's next visit to their home page (after
 * signing in), or the school's next roster import with postcodes (roster.server.ts). The
 * postcode is looked up and forgotten again.
 */

export interface WaitingSchool {
  /** Null: children with no school. */
  schoolId: string | null;
  name: string | null;
  waiting: ProtectedCount;
}

/**
 * For the area's coordinator: how many active children wait, by school, through the same
 * disclosure control as every published count (rounded to a multiple of 5 by the children's
 * cell keys; the total is a count of its own).
 */
export async function childrenWaitingBySchool(db: DB, m: Membership): Promise<{ schools: WaitingSchool[]; total: ProtectedCount }> {
  if (m.role !== "coordinator") forbidden();
  const rows = await childrenVisibleTo(db, m)
    .leftJoin("school", sameArea("school.id", "child.school_id"))
    .select(["child.school_id", "school.name", (eb) => eb.fn.countAll<number>().as("waiting"), sql<number>`coalesce(sum(child.cell_key), 0)`.as("key_sum")])
    .where("child.home_lsoa_code", "is not", null)
    .where("child.home_lsoa21_code", "is", null)
    .groupBy(["child.school_id", "school.name"])
    .orderBy("school.name")
    .execute();
  const tallies = rows.map((row) => ({ count: Number(row.waiting), keySum: Number(row.key_sum) }));
  const total = { count: tallies.reduce((sum, t) => sum + t.count, 0), keySum: tallies.reduce((sum, t) => sum + t.keySum, 0) };
  return {
    schools: rows.map((row, i) => ({ schoolId: row.school_id, name: row.name, waiting: protectCount(tallies[i]!) })),
    total: protectCount(total),
  };
}

/** For a guardian: which of their own children wait (given names only, for the question). */
export async function guardiansChildrenWaiting(db: DB, m: Membership) {
  if (m.role !== "guardian") forbidden();
  return childrenVisibleTo(db, m)
    .select(["child.id", "child.given_name"])
    .where("child.home_lsoa_code", "is not", null)
    .where("child.home_lsoa21_code", "is", null)
    .orderBy("child.given_name")
    .execute();
}

export type PlaceResult = { ok: true } | { ok: false; error: `children.reask.errors.${"postcodeRequired" | "postcodeInvalid" | "postcodeUnknown"}` };

/**
 * A guardian gives the postcode of a waiting child: the child gets the LSOAs the postcode is
 * in on both geographies (the postcode's 2011 LSOA too, in case the family has moved); a
 * postcode outside Wales says the child now lives outside Wales. A postcode the directory
 * does not know, or knows only on the 2011 geography, changes nothing. The postcode goes no
 * further than the lookup: not into the child's row, not into the audit trail.
 */
export async function placeWaitingChild(db: DB, m: Membership, childId: string, postcode: string): Promise<PlaceResult> {
  if (m.role !== "guardian") forbidden();
  if (!isUuid(childId)) notFound();
  const child = await childrenVisibleTo(db, m)
    .select(["child.id", "child.home_lsoa21_code"])
    .where("child.id", "=", childId)
    .where("child.home_lsoa_code", "is not", null)
    .executeTakeFirst();
  if (!child) notFound();
  if (postcode.trim() === "") return { ok: false, error: "children.reask.errors.postcodeRequired" };
  const lookup = await lookupPostcode(db, postcode);
  if (lookup.status === "invalid") return { ok: false, error: "children.reask.errors.postcodeInvalid" };
  if (lookup.status === "unknown" || (lookup.status === "found" && !lookup.lsoa.code21)) return { ok: false, error: "children.reask.errors.postcodeUnknown" };
  const codes =
    lookup.status === "found" ? { home_lsoa_code: lookup.lsoa.code, home_lsoa21_code: lookup.lsoa.code21 } : { home_lsoa_code: null, home_lsoa21_code: null };
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("child").set(codes).where("area_id", "=", m.areaId).where("id", "=", child.id).execute();
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "child_home_placed",
      subjectType: "child",
      subjectId: child.id,
      details: { geography: "lsoa2021", outsideWales: lookup.status === "outsideWales" },
    });
  });
  return { ok: true };
}
