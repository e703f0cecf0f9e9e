import { sql, type RawBuilder } from "kysely";
import { addDays, ukInstant } from "../../activities/uk-time.server";
import type { DB } from "../../db/database.server";
import { keyedCount, tallyOf, type CellTally } from "../disclosure.server";
import { editionSource, scopedCtes, type EquityScope } from "../equity.server";
import type { PublishedPeriod } from "../published-periods";
import type { WimdEdition } from "../../reference/wimd-editions";

/**
 * The impact report's true tallies (issue 21), each count with its cell key: NOT for
 * publication. impact.server.ts publishes them through the disclosure-control layer; the
 * tests compare the two. Definitions are the equity report's (enrolled, active, hours,
 * awards: equity.server.ts), so a figure here is the equity report's figure for the same
 * children — the same cell, the same published value.
 */

export interface GroupTally {
  key: string | null;
  enrolled: CellTally;
  active: CellTally;
  quarterHours: number;
  medianQuarterHours: number | null;
  awards: CellTally;
  enrolledInPopulation: CellTally;
  /** Children who took part last year (and are enrolled this year), and of them who took part again. */
  activeLastYear: CellTally;
  activeAgain: CellTally;
}

export interface ReachTallies {
  total: GroupTally;
  quintile: GroupTally[];
  la: GroupTally[];
  school: GroupTally[];
}

/** The instant a period ends: midnight in Wales after its last day (as the equity report counts). */
export function periodEnd(to: string): Date {
  return ukInstant(addDays(to, 1), "00:00")!;
}

const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));

function groupTally(row: Record<string, unknown>, key: string | null): GroupTally {
  return {
    key,
    enrolled: tallyOf(row, "enrolled"),
    active: tallyOf(row, "active"),
    quarterHours: Number(row.quarter_hours ?? 0),
    medianQuarterHours: num(row.median_quarter_hours),
    awards: tallyOf(row, "awards"),
    enrolledInPopulation: tallyOf(row, "enrolled_in_population"),
    activeLastYear: tallyOf(row, "active_last_year"),
    activeAgain: tallyOf(row, "active_again"),
  };
}

/**
 * Reach, depth and persistence in one pass over the year's enrolled children: grouping sets
 * by quintile, local authority (of the home, under the edition) and school, and the total
 * (its own cell, never a sum). "Last year" is the academic year before, from the derived
 * per-term ledger (a row with hours has an unrevoked credit).
 */
export async function reachTallies(
  db: DB,
  scope: EquityScope,
  year: PublishedPeriod,
  lastYear: PublishedPeriod | null,
  edition: WimdEdition,
  populationLas: readonly string[],
): Promise<ReachTallies> {
  const key = sql.ref("e.cell_key");
  const lastActive = lastYear
    ? sql`select distinct t.child_id from ledger_child_term t
        where t.area_id = ${scope.areaId} and t.term_from >= ${lastYear.from} and t.term_from <= ${lastYear.to} and t.quarter_hours > 0`
    : sql`select null::uuid as child_id where false`;
  const birthYearEnd = Number(year.to.slice(0, 4));
  // Children of the ages the population figures cover, living in the scope's LAs (as the equity report's inPopulation).
  const inPopulation = populationLas.length
    ? sql`(l.la_code in (${sql.join(populationLas.map((la) => sql`${la}`))}) and ${birthYearEnd} - e.birth_year between 5 and 14)`
    : sql`false`;
  const result = await sql<Record<string, unknown>>`
    with ${scopedCtes(scope, year.from, year.to, edition)},
    last_active as materialized (${lastActive})
    select l.wimd_quintile::text as quintile, l.la_code, e.school_id::text as school_id,
      grouping(l.wimd_quintile, l.la_code, e.school_id) as g,
      ${keyedCount("enrolled", key)},
      ${keyedCount("active", key, { filter: sql`e.active_id is not null` })},
      coalesce(sum(e.qh), 0)::int as quarter_hours,
      percentile_cont(0.5) within group (order by e.qh) as median_quarter_hours,
      ${keyedCount("awards", key, { weight: sql`ca.n` })},
      ${keyedCount("enrolled_in_population", key, { filter: inPopulation })},
      ${keyedCount("active_last_year", key, { filter: sql`la.child_id is not null` })},
      ${keyedCount("active_again", key, { filter: sql`la.child_id is not null and e.active_id is not null` })}
    from enrolled e
    left join ${editionSource(edition).lsoa} l on l.code = e.home_lsoa_code
    left join child_awards ca on ca.child_id = e.id
    left join last_active la on la.child_id = e.id
    group by grouping sets ((l.wimd_quintile), (l.la_code), (e.school_id), ())`.execute(db);
  // grouping(): a bit per column, 0 where the row is grouped by it (quintile 011, LA 101, school 110, total 111).
  const of = (g: number, column: string) =>
    result.rows.filter((row) => Number(row.g) === g).map((row) => groupTally(row, (row[column] as string | null) ?? null));
  const total = result.rows.find((row) => Number(row.g) === 7);
  return {
    total: total ? groupTally(total, "total") : groupTally({}, "total"),
    quintile: of(3, "quintile"),
    la: of(5, "la_code"),
    school: of(6, "school_id"),
  };
}

export interface PeriodTally {
  periodId: string;
  /** "1".."5" for a quintile's row; "total" for the period's total; null: not known. */
  key: string | null;
  enrolled: CellTally;
  active: CellTally;
  quarterHours: number;
}

/**
 * Enrolled and active children and hours for several published periods (terms and years) at
 * once, in total and by quintile: the growth section and the trend of the gap. The
 * definitions are the equity report's for a published period (enrolled by its end, active
 * with hours in it from the per-term ledger), so each figure is the equity report's.
 */
export async function periodTallies(db: DB, scope: EquityScope, periods: readonly PublishedPeriod[], edition: WimdEdition): Promise<PeriodTally[]> {
  if (periods.length === 0) return [];
  const source = editionSource(edition);
  const values = sql.join(periods.map((p) => sql`(${p.id}::text, ${p.from}::date, ${p.to}::date, ${periodEnd(p.to).toISOString()}::timestamptz)`));
  const first = periods.reduce((min, p) => (p.from < min ? p.from : min), periods[0]!.from);
  const last = periods.reduce((max, p) => (p.to > max ? p.to : max), periods[0]!.to);
  const result = await sql<Record<string, unknown>>`
    with periods(id, p_from, p_to, p_end) as (values ${values}),
    sc as (
      select c.id, c.cell_key, c.created_at, c.status, c.withdrawn_at, c.${source.childLsoa} as home
      from child c
      where c.area_id = ${scope.areaId} ${childFilter(scope, edition)}
    ),
    cp as materialized (
      select p.id, t.child_id, sum(t.quarter_hours)::int as qh
      from ledger_child_term t join periods p on t.term_from >= p.p_from and t.term_from <= p.p_to
      where t.area_id = ${scope.areaId} and t.term_from >= ${first} and t.term_from <= ${last} and t.quarter_hours > 0
      group by 1, 2
    )
    select p.id as period_id, l.wimd_quintile::text as quintile, grouping(l.wimd_quintile) as g,
      ${keyedCount("enrolled", sql.ref("sc.cell_key"))},
      ${keyedCount("active", sql.ref("sc.cell_key"), { filter: sql`cp.child_id is not null` })},
      coalesce(sum(cp.qh), 0)::int as quarter_hours
    from periods p
    join sc on sc.created_at < p.p_end
    left join cp on cp.id = p.id and cp.child_id = sc.id
    left join ${source.lsoa} l on l.code = sc.home
    where sc.status = 'active' or sc.withdrawn_at >= p.p_end or cp.child_id is not null
    group by grouping sets ((p.id), (p.id, l.wimd_quintile))`.execute(db);
  return result.rows.map((row) => ({
    periodId: String(row.period_id),
    key: Number(row.g) === 1 ? "total" : ((row.quintile as string | null) ?? null),
    enrolled: tallyOf(row, "enrolled"),
    active: tallyOf(row, "active"),
    quarterHours: Number(row.quarter_hours ?? 0),
  }));
}

/** The scope's children among the area's (`c`): a school's pupils, or the children living in a local authority. */
function childFilter(scope: EquityScope, edition: WimdEdition): RawBuilder<unknown> {
  const source = editionSource(edition);
  const parts: RawBuilder<unknown>[] = [];
  if (scope.schoolId) parts.push(sql`and c.school_id = ${scope.schoolId}`);
  if (scope.laCode) parts.push(sql`and c.${source.childLsoa} in (select lc.code from ${source.lsoa} lc where lc.la_code = ${scope.laCode})`);
  return parts.length ? sql.join(parts, sql` `) : sql``;
}

export interface DepthTallies {
  levels: Array<{ levelId: string; nameEn: string; nameCy: string; thresholdHours: number; reached: CellTally }>;
  graduationsHeld: number;
  invited: CellTally;
  attended: CellTally;
}

/**
 * Awards reached in the year by level (one award is one child's: counted with its child's
 * key; an award flagged after revocations only if it was kept, as the equity report counts),
 * and the graduations held in the year with the scope's children listed for them and who came.
 */
export async function depthTallies(db: DB, scope: EquityScope, year: PublishedPeriod, edition: WimdEdition): Promise<DepthTallies> {
  const filter = childFilter(scope, edition);
  const levels = await sql<Record<string, unknown>>`
    select al.id, al.name_en, al.name_cy, al.threshold_hours,
      ${keyedCount("reached", sql.ref("c.cell_key"), { filter: sql`c.id is not null` })}
    from award_level al
    left join award a on a.area_id = al.area_id and a.award_level_id = al.id
      and a.reached_on >= ${year.from} and a.reached_on <= ${year.to} and (a.flagged_at is null or a.kept_at is not null)
    left join child c on c.area_id = a.area_id and c.id = a.child_id ${filter}
    where al.area_id = ${scope.areaId}
    group by al.id, al.name_en, al.name_cy, al.threshold_hours
    order by al.threshold_hours, al.name_en`.execute(db);
  const graduations = await sql<Record<string, unknown>>`
    select (select count(*)::int from graduation g where g.area_id = ${scope.areaId} and g.held_on >= ${year.from} and g.held_on <= ${year.to}) as held,
      ${keyedCount("invited", sql.ref("c.cell_key"))},
      ${keyedCount("attended", sql.ref("c.cell_key"), { filter: sql`gr.attended` })}
    from graduate gr
    join graduation g on g.area_id = gr.area_id and g.id = gr.graduation_id
    join child c on c.area_id = gr.area_id and c.id = gr.child_id ${filter}
    where gr.area_id = ${scope.areaId} and g.held_on >= ${year.from} and g.held_on <= ${year.to}`.execute(db);
  const row = graduations.rows[0] ?? {};
  return {
    levels: levels.rows.map((level) => ({
      levelId: String(level.id),
      nameEn: String(level.name_en),
      nameCy: String(level.name_cy),
      thresholdHours: Number(level.threshold_hours),
      reached: tallyOf(level, "reached"),
    })),
    graduationsHeld: Number(row.held ?? 0),
    invited: tallyOf(row, "invited"),
    attended: tallyOf(row, "attended"),
  };
}

export interface OfferedActivity {
  laCode: string | null;
  freeOrLowCost: boolean;
  welsh: boolean;
}

/**
 * The offer in the year: activities (and Learning Destinations) validated at some time in it —
 * a validation decision in force during the year (decided before its end, valid until on or
 * after its start), or the current validation if it overlaps the year. An activity is where
 * it happens: its local authority, or its provider's. Not about children: published as it is.
 */
export async function offerInYear(db: DB, areaId: string, year: PublishedPeriod, laCode: string | null) {
  const end = periodEnd(year.to);
  const inForce = (column: RawBuilder<unknown>, extra: RawBuilder<unknown>) => sql`(exists (
      select 1 from validation_decision d
      where d.area_id = ${areaId} and ${extra} and d.decision = 'validated'
        and d.decided_at < ${end} and (d.validated_until is null or d.validated_until >= ${year.from})
    ) or (coalesce(${column}.validated_at, ${column}.created_at) < ${end} and ${column}.validated_until >= ${year.from}))`;
  const laFilter = laCode ? sql`and coalesce(a.la_code, p.la_code) = ${laCode}` : sql``;
  const activities = await sql<{ la_code: string | null; free_or_low: boolean; welsh: boolean }>`
    select coalesce(a.la_code, p.la_code) as la_code, a.cost_band in ('free', 'low') as free_or_low, a.welsh_language as welsh
    from activity a join provider p on p.area_id = a.area_id and p.id = a.provider_id
    where a.area_id = ${areaId} ${laFilter} and ${inForce(sql.ref("a"), sql`d.activity_id = a.id`)}`.execute(db);
  const providerLa = laCode ? sql`and p.la_code = ${laCode}` : sql``;
  const destinations = await sql<{ n: number }>`
    select count(*)::int as n from provider p
    where p.area_id = ${areaId} ${providerLa} and ${inForce(sql.ref("p"), sql`d.provider_id = p.id and d.activity_id is null`)}`.execute(db);
  return {
    destinations: Number(destinations.rows[0]?.n ?? 0),
    activities: activities.rows.map((row): OfferedActivity => ({ laCode: row.la_code, freeOrLowCost: Boolean(row.free_or_low), welsh: Boolean(row.welsh) })),
  };
}

/** The scope's LSOAs by quintile and local authority (the area's LAs, or the one LA), under the edition. */
export async function lsoasByQuintileAndLa(db: DB, areaId: string, edition: WimdEdition, laCode: string | null) {
  const source = editionSource(edition);
  const result = await sql<{ quintile: number; la_code: string; lsoas: number }>`
    select l.wimd_quintile as quintile, l.la_code, count(*)::int as lsoas
    from ${source.lsoa} l join area_local_authority ala on ala.la_code = l.la_code
    where ala.area_id = ${areaId} ${laCode ? sql`and l.la_code = ${laCode}` : sql``}
    group by 1, 2`.execute(db);
  return result.rows.map((row) => ({ quintile: Number(row.quintile), laCode: row.la_code, lsoas: Number(row.lsoas) }));
}
