import { sql } from "kysely";
import type { DB } from "../db/database.server";

/** One child on a graduation's list. */
export interface EligibleChild {
  childId: string;
  givenName: string;
  familyName: string;
  schoolId: string | null;
  schoolName: string | null;
  /** The award the child graduates at: their highest award reached on or before the cut-off. */
  awardLevelId: string;
  awardNameEn: string;
  awardNameCy: string;
  thresholdHours: number;
  /** Hours earned on or before the cut-off (revoked credits left out). */
  hours: number;
  /** At least one guardian account is linked to the child. */
  guardianLinked: boolean;
  /** When the guardians with accounts were emailed an invitation, if they were. */
  invitedAt: Date | null;
  attended: boolean;
}

interface Row {
  child_id: string;
  given_name: string;
  family_name: string;
  school_id: string | null;
  school_name: string | null;
  award_level_id: string;
  name_en: string;
  name_cy: string;
  threshold_hours: number;
  quarter_hours: number | string;
  guardian_linked: boolean;
  invited_at: Date | string | null;
  attended: boolean | null;
}

/**
 * Who is on a graduation's list, in ONE set-based query (no query per child).
 *
 * Before the graduation is marked graduated, the list is live: every active child whose
 * highest award reached on or before the cut-off is above the last award they graduated with
 * — the highest award of their `graduate` rows in earlier graduations (cut-off before this
 * one's) that are marked graduated and that they attended. A child who did not attend is
 * therefore still on the next list. A flagged award (hours fell back below it) does not
 * count unless the coordinator kept it. Rows this graduation already has in `graduate`
 * (invitations sent, attendance recorded) only add invited_at and attended.
 *
 * Once the graduation is marked graduated, the list is its frozen `graduate` rows.
 *
 * Plan: hash joins over the area's awards, earlier graduates and children. Hours at the
 * cut-off are each child's current total (the derived ledger_child_total, migration 0011)
 * less the unrevoked credits earned after the cut-off (an index range scan on
 * credit (area_id, earned_on): a cut-off is recent, so they are few) — no pass over the
 * whole ledger. With a school filter, only that school's pupils. Guardians are one hashed
 * set, not a lookup per row. An unknown graduation gives an empty list.
 */
export async function graduationEligibility(
  db: DB,
  areaId: string,
  graduationId: string,
  options: { schoolId?: string | null } = {},
): Promise<EligibleChild[]> {
  const result = await eligibilityQuery(areaId, graduationId, options).execute(db);
  return result.rows.map((row) => ({
    childId: row.child_id,
    givenName: row.given_name,
    familyName: row.family_name,
    schoolId: row.school_id,
    schoolName: row.school_name,
    awardLevelId: row.award_level_id,
    awardNameEn: row.name_en,
    awardNameCy: row.name_cy,
    thresholdHours: Number(row.threshold_hours),
    hours: Number(row.quarter_hours) / 4,
    guardianLinked: Boolean(row.guardian_linked),
    invitedAt: row.invited_at === null ? null : new Date(row.invited_at),
    attended: Boolean(row.attended),
  }));
}

/** The query itself (exported for EXPLAIN in benchmarks). */
export function eligibilityQuery(areaId: string, graduationId: string, options: { schoolId?: string | null } = {}) {
  const schoolFilter = options.schoolId ? sql`and c.school_id = ${options.schoolId}` : sql``;
  // One school: only its pupils' totals and later credits.
  const creditSchoolFilter = options.schoolId
    ? sql`and cr.child_id in (select id from child where area_id = ${areaId} and school_id = ${options.schoolId})`
    : sql``;
  const totalSchoolFilter = options.schoolId
    ? sql`and t.child_id in (select id from child where area_id = ${areaId} and school_id = ${options.schoolId})`
    : sql``;
  return sql<Row>`
    with g as (
      select id, cutoff_on, graduated_at from graduation where area_id = ${areaId} and id = ${graduationId}
    ),
    graduated_before as (
      select gd.child_id, max(al.threshold_hours) as threshold_hours
      from graduate gd
      join graduation earlier on earlier.area_id = gd.area_id and earlier.id = gd.graduation_id
      join award_level al on al.area_id = gd.area_id and al.id = gd.award_level_id
      cross join g
      where gd.area_id = ${areaId}
        and gd.attended
        and earlier.graduated_at is not null
        and earlier.id <> g.id
        and earlier.cutoff_on < g.cutoff_on
      group by gd.child_id
    ),
    highest as (
      select a.child_id, max(al.threshold_hours) as threshold_hours
      from award a
      join award_level al on al.area_id = a.area_id and al.id = a.award_level_id
      cross join g
      where a.area_id = ${areaId}
        and g.graduated_at is null
        and a.reached_on <= g.cutoff_on
        and (a.flagged_at is null or a.kept_at is not null)
      group by a.child_id
    ),
    cohort as (
      select h.child_id, al.id as award_level_id
      from highest h
      join award_level al on al.area_id = ${areaId} and al.threshold_hours = h.threshold_hours
      left join graduated_before gb on gb.child_id = h.child_id
      where gb.threshold_hours is null or h.threshold_hours > gb.threshold_hours
      union all
      select gd.child_id, gd.award_level_id
      from graduate gd
      join g on g.id = gd.graduation_id and g.graduated_at is not null
      where gd.area_id = ${areaId}
    ),
    listed as (
      select cohort.child_id, cohort.award_level_id, c.given_name, c.family_name, c.school_id
      from cohort
      join child c on c.area_id = ${areaId} and c.id = cohort.child_id
      where c.status = 'active' ${schoolFilter}
    ),
    after_cutoff as (
      select cr.child_id, sum(cr.quarter_hours) as quarter_hours
      from credit cr
      where cr.area_id = ${areaId} and cr.revoked_at is null ${creditSchoolFilter}
        and cr.earned_on > (select cutoff_on from graduation where area_id = ${areaId} and id = ${graduationId})
      group by cr.child_id
    ),
    hours as (
      select t.child_id, t.quarter_hours - coalesce(ac.quarter_hours, 0) as quarter_hours
      from ledger_child_total t
      left join after_cutoff ac on ac.child_id = t.child_id
      where t.area_id = ${areaId} ${totalSchoolFilter}
    ),
    linked as (
      select distinct gc.child_id
      from guardian_child gc
      where gc.area_id = ${areaId}
    )
    select
      l.child_id,
      l.given_name,
      l.family_name,
      l.school_id,
      s.name as school_name,
      al.id as award_level_id,
      al.name_en,
      al.name_cy,
      al.threshold_hours,
      coalesce(hours.quarter_hours, 0) as quarter_hours,
      linked.child_id is not null as guardian_linked,
      mine.invited_at,
      mine.attended
    from listed l
    join award_level al on al.area_id = ${areaId} and al.id = l.award_level_id
    left join school s on s.area_id = ${areaId} and s.id = l.school_id
    left join hours on hours.child_id = l.child_id
    left join linked on linked.child_id = l.child_id
    left join graduate mine on mine.area_id = ${areaId} and mine.graduation_id = ${graduationId} and mine.child_id = l.child_id
    order by s.name nulls last, l.family_name, l.given_name, l.child_id
  `;
}
