import { sql } from "kysely";
import type { Membership } from "../accounts/actor.server";
import { recordAudit } from "../audit/audit.server";
import type { DB } from "../db/database.server";
import { defaultAwardLadder } from "./default-ladder";
import { checkLadder, rowField, type LadderError, type LadderErrors, type LadderForm } from "./ladder";
import { sameArea } from "../db/same-area.server";

/**
 * An area coordinator's award ladder: reading it to edit, and saving a change. A change
 * never takes away an award already certified; after it, every child's awards in the area
 * are brought in step with the new ladder in the same transaction (resyncAreaAwards).
 */

export interface EditableLevel {
  id: string | null;
  thresholdHours: number;
  nameEn: string;
  nameCy: string;
  /** Children holding this level now, and how many of those awards are certified. */
  awards: number;
  certified: number;
}

/** The area's ladder in rising order; a fresh area with none yet is offered the national scheme. */
export async function ladderForEditing(db: DB, m: Membership): Promise<{ levels: EditableLevel[]; isDefault: boolean }> {
  const levels = await db
    .selectFrom("award_level")
    .leftJoin("award", sameArea("award.award_level_id", "award_level.id"))
    .select((eb) => [
      "award_level.id",
      "award_level.threshold_hours",
      "award_level.name_en",
      "award_level.name_cy",
      eb.fn.count<number>("award.child_id").as("awards"),
      eb.fn.count<number>("award.certified_at").as("certified"),
    ])
    .where("award_level.area_id", "=", m.areaId)
    .groupBy(["award_level.id", "award_level.threshold_hours", "award_level.name_en", "award_level.name_cy"])
    .orderBy("award_level.threshold_hours")
    .execute();
  if (!levels.length) {
    return {
      isDefault: true,
      levels: defaultAwardLadder().map((level) => ({
        id: null,
        thresholdHours: level.thresholdHours,
        nameEn: level.nameEn,
        nameCy: level.nameCy,
        awards: 0,
        certified: 0,
      })),
    };
  }
  return {
    isDefault: false,
    levels: levels.map((level) => ({
      id: level.id,
      thresholdHours: level.threshold_hours,
      nameEn: level.name_en,
      nameCy: level.name_cy,
      awards: level.awards,
      certified: level.certified,
    })),
  };
}

export interface ResyncCounts {
  reached: number;
  removed: number;
  flagged: number;
  unflagged: number;
}

export type SaveLadderResult = { ok: true; changed: boolean; resync: ResyncCounts | null } | { ok: false; errors: LadderErrors; formError: LadderError | null };

/** Larger than any threshold the form allows: a level moves out of the way here first. */
const PARKING = 1_000_000;

/**
 * Saves a coordinator's ladder. Refused, with nothing saved: a row that breaks the rules
 * (see ladder.ts), a form drawn from a ladder that has changed since (or from another area),
 * removing a level with certified awards or graduates, and raising a threshold above the
 * hours of a child whose award at that level is certified.
 */
export async function saveLadder(db: DB, m: Membership, form: LadderForm): Promise<SaveLadderResult> {
  const check = checkLadder(form);
  if (!check.ok) return check;
  const rowOf = new Map(form.rows.map((row, index) => [row.id, index] as const));

  return db.transaction().execute(async (trx): Promise<SaveLadderResult> => {
    // One ladder change at a time per area.
    await trx.selectFrom("area").select("id").where("id", "=", m.areaId).forUpdate().executeTakeFirstOrThrow();
    const current = await trx
      .selectFrom("award_level")
      .select(["id", "threshold_hours", "name_en", "name_cy", "stage", "tier"])
      .where("area_id", "=", m.areaId)
      .execute();
    const currentById = new Map(current.map((level) => [level.id, level]));
    const submittedIds = form.rows.map((row) => row.id).filter((id): id is string => id !== null);
    const stale =
      submittedIds.some((id) => !currentById.has(id)) ||
      new Set(submittedIds).size !== submittedIds.length ||
      current.some((level) => !submittedIds.includes(level.id)) ||
      // Rows without an id are the national scheme offered to an area with no ladder yet.
      (current.length > 0 && form.rows.some((row) => row.id === null));
    if (stale) return { ok: false, errors: {}, formError: { key: "awards.ladder.errors.stale" } };

    const errors: LadderErrors = {};
    const removed = check.removedIds;
    if (removed.length) {
      const [certified, graduates] = await Promise.all([
        trx
          .selectFrom("award")
          .select((eb) => ["award_level_id", eb.fn.countAll<number>().as("n")])
          .where("area_id", "=", m.areaId)
          .where("award_level_id", "in", removed)
          .where("certified_at", "is not", null)
          .groupBy("award_level_id")
          .execute(),
        trx
          .selectFrom("graduate")
          .select((eb) => ["award_level_id", eb.fn.countAll<number>().as("n")])
          .where("area_id", "=", m.areaId)
          .where("award_level_id", "in", removed)
          .groupBy("award_level_id")
          .execute(),
      ]);
      for (const { award_level_id, n } of certified) {
        const level = currentById.get(award_level_id)!;
        errors[rowField(rowOf.get(award_level_id)!, "remove")] = {
          key: "awards.ladder.errors.removeCertified",
          values: { row: rowOf.get(award_level_id)! + 1, name: level.name_en, nameCy: level.name_cy, hours: level.threshold_hours, count: n },
        };
      }
      for (const { award_level_id, n } of graduates) {
        const field = rowField(rowOf.get(award_level_id)!, "remove");
        if (errors[field]) continue;
        const level = currentById.get(award_level_id)!;
        errors[field] = {
          key: "awards.ladder.errors.removeGraduates",
          values: { row: rowOf.get(award_level_id)! + 1, name: level.name_en, nameCy: level.name_cy, hours: level.threshold_hours, count: n },
        };
      }
    }

    const raised = check.levels.filter((level) => level.id && level.thresholdHours > currentById.get(level.id)!.threshold_hours);
    for (const level of raised) {
      const before = currentById.get(level.id!)!.threshold_hours;
      // Certified awards at this level held by children with at least the old threshold but
      // fewer hours than the new one: the change would take them away.
      const counted = await sql<{ n: number }>`
        select count(*)::int as n
        from award a
        where a.area_id = ${m.areaId} and a.award_level_id = ${level.id} and a.certified_at is not null
          and (select coalesce(sum(c.quarter_hours), 0) from credit c
               where c.area_id = a.area_id and c.child_id = a.child_id and c.revoked_at is null)
              between ${before * 4} and ${level.thresholdHours * 4 - 1}`.execute(trx);
      const n = counted.rows[0]?.n ?? 0;
      if (n > 0) {
        const index = rowOf.get(level.id)!;
        errors[rowField(index, "threshold")] = {
          key: "awards.ladder.errors.raiseCertified",
          values: { row: index + 1, name: level.nameEn, nameCy: level.nameCy, hours: level.thresholdHours, before, count: n },
        };
      }
    }
    if (Object.keys(errors).length) return { ok: false, errors, formError: null };

    const changedLevels = check.levels.filter((level) => {
      if (!level.id) return false;
      const old = currentById.get(level.id)!;
      return old.threshold_hours !== level.thresholdHours || old.name_en !== level.nameEn || old.name_cy !== level.nameCy;
    });
    const addedLevels = check.levels.filter((level) => !level.id);
    if (!removed.length && !changedLevels.length && !addedLevels.length) return { ok: true, changed: false, resync: null };

    if (removed.length) {
      // Only uncertified awards are left at a removed level (certified ones refuse the change).
      await trx.deleteFrom("award").where("area_id", "=", m.areaId).where("award_level_id", "in", removed).execute();
      await trx.deleteFrom("award_level").where("area_id", "=", m.areaId).where("id", "in", removed).execute();
    }
    // Thresholds are unique per area: park the moved levels above every real threshold, then
    // bring them down, so swapping or shifting levels never collides half-way.
    for (const level of changedLevels) {
      await trx
        .updateTable("award_level")
        .set({ threshold_hours: PARKING + level.thresholdHours, name_en: level.nameEn, name_cy: level.nameCy, stage: level.stage })
        .where("area_id", "=", m.areaId)
        .where("id", "=", level.id!)
        .execute();
    }
    if (changedLevels.length) {
      await trx
        .updateTable("award_level")
        .set((eb) => ({ threshold_hours: eb("threshold_hours", "-", PARKING) }))
        .where("area_id", "=", m.areaId)
        .where("threshold_hours", ">", PARKING)
        .execute();
    }
    if (addedLevels.length) {
      await trx
        .insertInto("award_level")
        .values(
          addedLevels.map((level) => ({
            area_id: m.areaId,
            threshold_hours: level.thresholdHours,
            name_en: level.nameEn,
            name_cy: level.nameCy,
            stage: level.stage,
            tier: level.tier,
          })),
        )
        .execute();
    }
    const resync = await resyncAreaAwards(trx, m.areaId);
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "award_ladder_changed",
      subjectType: "area",
      subjectId: m.areaId,
      details: {
        removed: removed.map((id) => ({ id, hours: currentById.get(id)!.threshold_hours, nameEn: currentById.get(id)!.name_en })),
        changed: changedLevels.map((level) => {
          const old = currentById.get(level.id!)!;
          return {
            id: level.id,
            from: { hours: old.threshold_hours, nameEn: old.name_en, nameCy: old.name_cy },
            to: { hours: level.thresholdHours, nameEn: level.nameEn, nameCy: level.nameCy },
          };
        }),
        added: addedLevels.map((level) => ({ hours: level.thresholdHours, nameEn: level.nameEn, nameCy: level.nameCy })),
        awards: resync,
      },
    });
    return { ok: true, changed: true, resync };
  });
}

/**
 * Brings every child's awards in an area in step with the ledger and the ladder, in a few
 * set-based statements (the same rules as syncAwards, child by child): a level the child's
 * hours reach is awarded, dated the day of the credit that crossed it; a level they no
 * longer reach loses an uncertified award, flags a certified one (unless the coordinator
 * kept it), and a flagged award the hours reach again is unflagged. Call inside a transaction.
 */
export async function resyncAreaAwards(db: DB, areaId: string): Promise<ResyncCounts> {
  const inserted = await sql<{ n: number }>`
    with running as (
      select child_id, earned_on,
        sum(quarter_hours) over w as upto,
        sum(quarter_hours) over w - quarter_hours as before
      from credit
      where area_id = ${areaId} and revoked_at is null
      window w as (partition by child_id order by earned_on, created_at, id rows between unbounded preceding and current row)
    ),
    crossed as (
      select r.child_id, l.id as award_level_id, min(r.earned_on) as reached_on
      from running r
      join award_level l on l.area_id = ${areaId} and l.threshold_hours * 4 > r.before and l.threshold_hours * 4 <= r.upto
      group by r.child_id, l.id
    ),
    inserted as (
      insert into award (area_id, child_id, award_level_id, reached_on)
      select ${areaId}::uuid, child_id, award_level_id, reached_on from crossed
      on conflict (area_id, child_id, award_level_id) do nothing
      returning 1
    )
    select count(*)::int as n from inserted`.execute(db);

  const changed = await sql<{ removed: number; flagged: number; unflagged: number }>`
    with totals as (
      select child_id, sum(quarter_hours) as qh
      from credit
      where area_id = ${areaId} and revoked_at is null
      group by child_id
    ),
    standing as (
      select a.child_id, a.award_level_id, a.certified_at, a.flagged_at, a.kept_at,
        l.threshold_hours * 4 <= coalesce(t.qh, 0) as reached
      from award a
      join award_level l on l.area_id = a.area_id and l.id = a.award_level_id
      left join totals t on t.child_id = a.child_id
      where a.area_id = ${areaId}
    ),
    removed as (
      delete from award a using standing s
      where a.area_id = ${areaId} and a.child_id = s.child_id and a.award_level_id = s.award_level_id
        and not s.reached and s.certified_at is null
      returning 1
    ),
    flagged as (
      update award a set flagged_at = now() from standing s
      where a.area_id = ${areaId} and a.child_id = s.child_id and a.award_level_id = s.award_level_id
        and not s.reached and s.certified_at is not null and s.flagged_at is null and s.kept_at is null
      returning 1
    ),
    unflagged as (
      update award a set flagged_at = null from standing s
      where a.area_id = ${areaId} and a.child_id = s.child_id and a.award_level_id = s.award_level_id
        and s.reached and s.flagged_at is not null
      returning 1
    )
    select (select count(*) from removed)::int as removed, (select count(*) from flagged)::int as flagged, (select count(*) from unflagged)::int as unflagged`.execute(
    db,
  );

  return { reached: inserted.rows[0]?.n ?? 0, ...(changed.rows[0] ?? { removed: 0, flagged: 0, unflagged: 0 }) };
}
