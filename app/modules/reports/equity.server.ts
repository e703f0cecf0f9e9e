import { sql, type RawBuilder } from "kysely";
import { addDays, ukInstant } from "../activities/uk-time.server";
import { forbidden, type Membership } from "../accounts/actor.server";
import type { DB } from "../db/database.server";
import { termOf } from "../credits/terms";
import { splitPeriodByTerms } from "../credits/ledger-totals.server";
import { translator } from "../i18n/i18n";
import {
  keyedCount,
  PRECISION,
  protectCount,
  protectedPerChild,
  protectedPerPopulation,
  protectedRate,
  protectHours,
  protectMedian,
  tallyOf,
  type CellTally,
  type ProtectedCount,
  type ProtectedHours,
  type ProtectedRate,
} from "./disclosure.server";
import { isPublishedPeriod } from "./published-periods";
import { equityGap, type EquityGap } from "./equity-statistics";
import { DEFAULT_WIMD_EDITION, WIMD_EDITION_INFO, type WimdDomain, type WimdEdition } from "../reference/wimd-editions";

/**
 * Where an edition's figures are: its LSOA table, the child's column on that geography, and
 * the imported population on it. The one place the report's SQL depends on the edition.
 */
export function editionSource(edition: WimdEdition) {
  return edition === "wimd2019"
    ? { lsoa: sql.table("lsoa"), childLsoa: sql.ref("home_lsoa_code"), population: sql.table("lsoa_population"), populationLsoa: sql.ref("p.lsoa_code") }
    : {
        lsoa: sql.table("lsoa21"),
        childLsoa: sql.ref("home_lsoa21_code"),
        population: sql.table("lsoa21_population"),
        populationLsoa: sql.ref("p.lsoa21_code"),
      };
}

/**
 * A domain's quintile of an LSOA (`l`), derived from its domain rank with the edition's
 * quintile cut points, as the Welsh Government bands the overall rank. Tied ranks (the
 * published files give tied LSOAs the same, lower rank) fall in the same quintile. The
 * constants come from code, written into the SQL so that the expression in the select list
 * and in the group by are the same.
 */
function domainQuintile(domain: WimdDomain, edition: WimdEdition): RawBuilder<unknown> {
  const rank = sql.ref(`l.${domain}_rank`);
  const steps = WIMD_EDITION_INFO[edition].quintileStarts.map((start) => sql`(${rank} >= ${sql.raw(String(start))})::int`);
  return sql`(1 + ${sql.join(steps, sql` + `)})`;
}

/**
 * The equity report: who the programme reaches and who gets the most out of it, for a period
 * and a breakdown (see DESIGN.md, "Equity reporting"). All counting happens in the database
 * (group by), with each count's cell key; the numbers leave this module only through the
 * disclosure-control layer (disclosure.server.ts), so the page, the CSV and the API publish
 * exactly the same figures, and the same children get the same figure in every table.
 *
 * Definitions (the page states them where the figures are shown):
 * - Enrolled: children registered by the end of the period's last day in UK time (a past
 *   period is not diluted by children who joined later) and not withdrawn by then, plus
 *   withdrawn (anonymised) children who earned a credit in the period — so a withdrawal
 *   does not rewrite the past. A provider's enrolled children are those who took part with
 *   it in the period.
 * - Active: enrolled children with at least one credit (not revoked) earned in the period.
 * - Hours: credits (not revoked) earned in the period; awards: levels reached in it (an award
 *   flagged because revocations took the child back below it counts only if it was kept).
 * - Fair share: the area's share of LSOAs in the group (LSOAs hold roughly equal populations),
 *   or — when child-population figures (aged 5–14) are imported for every LSOA of the area —
 *   the group's share of the area's children, with a real participation rate (enrolled ÷
 *   population) for the whole area's report.
 * - Scope: a coordinator or viewer sees the whole area; a school its own pupils; provider
 *   staff (and API tokens) their own participants and only their own credits.
 */

import type { Breakdown } from "./breakdowns";

export { BREAKDOWNS, type Breakdown } from "./breakdowns";
/** Breakdowns whose groups split the children (each child in exactly one group). */
const PARTITIONS: readonly Breakdown[] = ["quintile", "decile", "la", "school"];

export interface EquityScope {
  areaId: string;
  schoolId?: string | null;
  providerId?: string | null;
  /** Only children living in this local authority (their home LSOA's, under the report's edition): the impact report's LA scope (issue 21). */
  laCode?: string | null;
}

/** Who may see the equity report, and over which children. Guardians may not. */
export function equityScopeFor(m: Membership): EquityScope {
  switch (m.role) {
    case "coordinator":
    case "viewer":
      return { areaId: m.areaId };
    case "school":
      return { areaId: m.areaId, schoolId: m.schoolId };
    case "provider_owner":
    case "provider_member":
      return { areaId: m.areaId, providerId: m.providerId };
    default:
      return forbidden();
  }
}

/** A published count (see disclosure.server.ts): a multiple of 5, within 4 of the true count. */
export type PublishedCount = ProtectedCount;

export interface EquityRow {
  /** The group: "1".."5", "1".."10", an LA code, a school or provider id, a category; null = not known / outside Wales / no school. */
  key: string | null;
  name: { en: string; cy: string } | null;
  /** Null where the breakdown does not split the enrolled children (provider, category). */
  enrolled: PublishedCount | null;
  /** Share of all enrolled children (0–1). */
  enrolledShare: ProtectedRate | null;
  /** The area's share of LSOAs (or of children aged 5–14, see `benchmark`) in this group (0–1), where that means something. */
  fairShare: number | null;
  /** Children aged 5–14 living in the area's LSOAs of this group (imported figures; public data). */
  population: number | null;
  /** Enrolled ÷ population: only with imported figures, for the whole area, and where enrolled is shown. */
  populationRate: ProtectedRate | null;
  active: PublishedCount;
  /** Active as a share of enrolled (0–1). */
  participationRate: ProtectedRate | null;
  /** This group's share of all active children (0–1), for the chart. */
  activeShare: ProtectedRate | null;
  hours: ProtectedHours | null;
  hoursPerEnrolled: ProtectedRate | null;
  hoursPerActive: ProtectedRate | null;
  medianHoursPerActive: ProtectedHours | null;
  awards: PublishedCount | null;
  /** Active children living in the two most deprived fifths (quintiles 1–2); null per quintile/decile/LA/school group. */
  activeMostDeprived: PublishedCount | null;
  activeMostDeprivedShare: ProtectedRate | null;
}

export interface EquityReport {
  from: string;
  to: string;
  by: Breakdown;
  /** The deprivation index the groups and the gap use (WIMD 2025 on 2021 LSOAs by default). */
  edition: WimdEdition;
  /** By quintile of one domain (derived from its ranks), or null: of the overall index. */
  domain: WimdDomain | null;
  scope: "area" | "school" | "provider";
  /** What the fair share is: the share of LSOAs, or of imported child-population figures. */
  benchmark: "lsoas" | "population";
  /** The published number of active children is 0 (none, or fewer than 5): say so rather than show empty rates. */
  noCredits: boolean;
  /** Not a published period (a term or an academic year): a coordinator's custom period, for internal use only. */
  internalUse: boolean;
  /** How precise the figures are (the disclosure-control layer's rounding), said on the page and in the API. */
  precision: typeof PRECISION;
  rows: EquityRow[];
  total: EquityRow;
  gap: EquityGap;
}

/** One group's tallies as counted in the database (each count with its cell key: see keyedCount). */
export interface RawStats {
  key: string | null;
  enrolled: CellTally;
  active: CellTally;
  quarter_hours: number;
  median_quarter_hours: number | null;
  awards: CellTally;
  active_deprived: CellTally;
  /** Enrolled children who count towards the rate per child population (inPopulation): a cell of its own. */
  enrolled_in_population: CellTally;
}

const TALLIES = ["enrolled", "active", "awards", "active_deprived", "enrolled_in_population"] as const;
/** A row of a stats query (counts and their keys in columns) as RawStats. */
function rawStats(row: Record<string, unknown>): RawStats {
  const tallies = Object.fromEntries(TALLIES.map((name) => [name, tallyOf(row, name)])) as Record<(typeof TALLIES)[number], CellTally>;
  return {
    key: (row.key as string | null) ?? null,
    ...tallies,
    quarter_hours: Number(row.quarter_hours ?? 0),
    median_quarter_hours: row.median_quarter_hours === null || row.median_quarter_hours === undefined ? null : Number(row.median_quarter_hours),
  };
}
const NO_TALLY: CellTally = { count: 0, keySum: 0 };

const PARTITION_KEY: Record<"quintile" | "decile" | "la" | "school" | "all", RawBuilder<unknown>> = {
  quintile: sql`l.wimd_quintile::text`,
  decile: sql`l.wimd_decile::text`,
  la: sql`l.la_code`,
  school: sql`e.school_id::text`,
  all: sql`'all'`,
};

/**
 * Each child's quarter-hours in the period (only children with at least one unrevoked credit
 * in it). For the whole area or a school: whole school terms from the derived
 * `ledger_child_term` (a term's row with quarter_hours > 0 has at least one unrevoked credit,
 * every credit being > 0), and only the partial terms at the edges of a custom period from
 * `credit` — an academic year or a term reads no credit at all. A provider counts only its own
 * credits, which the term table does not split: those come from `credit`.
 */
function childHours(scope: EquityScope, from: string, to: string) {
  if (scope.providerId) {
    return sql`
      select cr.child_id, sum(cr.quarter_hours)::int as qh
      from credit cr
      where cr.area_id = ${scope.areaId} and cr.revoked_at is null
        and cr.earned_on >= ${from} and cr.earned_on <= ${to} and cr.provider_id = ${scope.providerId}
      group by cr.child_id`;
  }
  const { wholeTerms, partial } = splitPeriodByTerms(from, to);
  const parts: RawBuilder<unknown>[] = [];
  if (wholeTerms) {
    parts.push(sql`
      select t.child_id, t.quarter_hours as qh
      from ledger_child_term t
      where t.area_id = ${scope.areaId} and t.term_from >= ${wholeTerms.from} and t.term_from <= ${wholeTerms.to}
        and t.quarter_hours > 0`);
  }
  for (const range of partial) {
    parts.push(sql`
      select cr.child_id, cr.quarter_hours as qh
      from credit cr
      where cr.area_id = ${scope.areaId} and cr.revoked_at is null
        and cr.earned_on >= ${range.from} and cr.earned_on <= ${range.to}`);
  }
  if (parts.length === 0) return sql`select null::uuid as child_id, 0 as qh where false`;
  return sql`
      select x.child_id, sum(x.qh)::int as qh
      from (${sql.join(parts, sql` union all `)}) x
      group by x.child_id`;
}

/**
 * The instant a period ends: midnight in Wales at the end of its last day (00:00 BST or GMT,
 * which is 23:00 UTC the day before in summer). Midnight always exists in the UK: the
 * clocks change at 01:00 and 02:00.
 */
function periodEnd(to: string): Date {
  return ukInstant(addDays(to, 1), "00:00")!;
}

/**
 * The scoped children and their hours and awards in the period, as common table expressions.
 * For the whole area, scoped_child and enrolled are each referenced once in the partition
 * query (a reference from an unused CTE counts too), so PostgreSQL inlines them and plans the
 * joins with the child table's statistics; a second reference would make it materialize them
 * and join the materialized rows without statistics (on the national benchmark that made the
 * report by quintile take about 375 ms instead of about 260 ms). A school or provider has few
 * enrolled children: there the awards are read for those children only.
 */
export function scopedCtes(scope: EquityScope, from: string, to: string, edition: WimdEdition) {
  const home = editionSource(edition).childLsoa;
  const schoolFilter = scope.schoolId ? sql`and c.school_id = ${scope.schoolId}` : sql``;
  const laFilter = scope.laCode ? sql`and c.${home} in (select lc.code from ${editionSource(edition).lsoa} lc where lc.la_code = ${scope.laCode})` : sql``;
  // A provider's children are those who took part with it in the period (an unrevoked credit).
  const participantFilter = scope.providerId
    ? sql`and exists (select 1 from credit x where x.area_id = c.area_id and x.child_id = c.id and x.provider_id = ${scope.providerId}
        and x.revoked_at is null and x.earned_on >= ${from} and x.earned_on <= ${to})`
    : sql``;
  const end = periodEnd(to);
  const awardsOfEnrolled = scope.schoolId || scope.providerId || scope.laCode ? sql`join enrolled e on e.id = a.child_id` : sql``;
  return sql`
    scoped_child as (
      select c.id, c.school_id, c.${home} as home_lsoa_code, c.status, c.withdrawn_at, c.birth_year, c.cell_key
      from child c
      where c.area_id = ${scope.areaId} and c.created_at < ${end} ${schoolFilter} ${laFilter} ${participantFilter}
    ),
    -- Hours are summed per child first (whole terms from ledger_child_term, edges from
    -- credit: see childHours), and only then matched to the scoped children: a hash of children, not of every credit.
    -- Materialized: computed once, never re-run per child in a nested loop (which a planner
    -- without statistics, e.g. a fresh PGlite, would otherwise choose).
    child_hours as materialized (${childHours(scope, from, to)}),
    enrolled as (
      select sc.id, sc.school_id, sc.home_lsoa_code, sc.birth_year, sc.cell_key, h.child_id as active_id, h.qh
      from scoped_child sc left join child_hours h on h.child_id = sc.id
      where sc.status = 'active' or sc.withdrawn_at >= ${end} or h.child_id is not null
    ),
    -- Awards in the period per child (for the whole area, every child's: only the enrolled
    -- children's are counted, by the left join from enrolled that reads them).
    child_awards as materialized (
      select a.child_id, count(*)::int as n
      from award a ${awardsOfEnrolled}
      where a.area_id = ${scope.areaId} and a.reached_on >= ${from} and a.reached_on <= ${to}
        and (a.flagged_at is null or a.kept_at is not null)
      group by a.child_id
    )`;
}

/** The ages the imported child-population figures cover (population_5_14). */
export const POPULATION_AGES = { from: 5, to: 14 } as const;

/**
 * Whether an enrolled child (`e`, home LSOA `l`) counts towards the rate per child
 * population: living in one of the area's own LSOAs, and of the ages the population figures
 * cover in the calendar year the period ends in (worked out from the year of birth, which a
 * withdrawal keeps: the month is erased). Children living elsewhere, or younger or older, are
 * enrolled but not in the population, so they would inflate the rate.
 */
function inPopulation(areaId: string, to: string): RawBuilder<boolean> {
  const year = Number(to.slice(0, 4));
  return sql<boolean>`(l.la_code in (select ala.la_code from area_local_authority ala where ala.area_id = ${areaId})
    and ${year} - e.birth_year between ${POPULATION_AGES.from} and ${POPULATION_AGES.to})`;
}

/**
 * Who the report counts for a period, child by child: the enrolled children, whether each
 * took part, and whether each counts towards the rate per child population. NOT for
 * publication (it names children): the tests of the definitions read it; the report counts
 * the same rows (scopedCtes) in the database.
 */
export async function periodCohort(db: DB, scope: EquityScope, input: { from: string; to: string; edition?: WimdEdition }) {
  const edition = input.edition ?? DEFAULT_WIMD_EDITION;
  const result = await sql<{ id: string; active: boolean; inPopulation: boolean }>`
    with ${scopedCtes(scope, input.from, input.to, edition)}
    select e.id, e.active_id is not null as active, coalesce(${inPopulation(scope.areaId, input.to)}, false) as "inPopulation"
    from enrolled e left join ${editionSource(edition).lsoa} l on l.code = e.home_lsoa_code`.execute(db);
  return result.rows;
}

/**
 * Counts per group and, in the same pass (rollup), for everyone: the grand total row is the
 * one with is_total set (its key is null, like the "not known" group's).
 */
async function partitionStats(
  db: DB,
  scope: EquityScope,
  from: string,
  to: string,
  by: keyof typeof PARTITION_KEY,
  edition: WimdEdition,
  domain: WimdDomain | null = null,
) {
  const key = by === "quintile" && domain ? sql`${domainQuintile(domain, edition)}::text` : PARTITION_KEY[by];
  const key_ = sql.ref("e.cell_key");
  const result = await sql<Record<string, unknown> & { is_total: number }>`
    with ${scopedCtes(scope, from, to, edition)}
    select ${key} as key, ${by === "all" ? sql`1` : sql`grouping(${key})`} as is_total,
      ${keyedCount("enrolled", key_)},
      ${keyedCount("active", key_, { filter: sql`e.active_id is not null` })},
      coalesce(sum(e.qh), 0)::int as quarter_hours,
      percentile_cont(0.5) within group (order by e.qh) as median_quarter_hours,
      ${keyedCount("awards", key_, { weight: sql`ca.n` })},
      ${keyedCount("active_deprived", key_, { filter: sql`e.active_id is not null and l.wimd_quintile in (1, 2)` })},
      ${keyedCount("enrolled_in_population", key_, { filter: inPopulation(scope.areaId, to) })}
    from enrolled e
    left join ${editionSource(edition).lsoa} l on l.code = e.home_lsoa_code
    left join child_awards ca on ca.child_id = e.id
    ${by === "all" ? sql`` : sql`group by rollup (${key})`}`.execute(db);
  const zero: RawStats = {
    key: "all",
    enrolled: NO_TALLY,
    active: NO_TALLY,
    quarter_hours: 0,
    median_quarter_hours: null,
    awards: NO_TALLY,
    active_deprived: NO_TALLY,
    enrolled_in_population: NO_TALLY,
  };
  const total = result.rows.find((row) => Number(row.is_total) === 1);
  return { rows: result.rows.filter((row) => Number(row.is_total) !== 1).map(rawStats), total: total ? { ...rawStats(total), key: "all" } : zero };
}

async function overlappingStats(db: DB, scope: EquityScope, from: string, to: string, by: "provider" | "category", edition: WimdEdition) {
  const source = editionSource(edition);
  const key = by === "provider" ? sql`pc.provider_id::text` : sql`a.category::text`;
  const creditProvider = scope.providerId ? sql`and cr.provider_id = ${scope.providerId}` : sql``;
  const result = await sql<Record<string, unknown>>`
    with ${scopedCtes(scope, from, to, edition)},
    period_credit as (
      select cr.child_id, cr.provider_id, cr.activity_id, cr.quarter_hours
      from credit cr
      join scoped_child sc on sc.id = cr.child_id
      where cr.area_id = ${scope.areaId} and cr.revoked_at is null
        and cr.earned_on >= ${from} and cr.earned_on <= ${to} ${creditProvider}
    ),
    group_child as (
      select ${key} as key, pc.child_id, sum(pc.quarter_hours)::int as qh
      from period_credit pc
      join activity a on a.area_id = ${scope.areaId} and a.id = pc.activity_id
      group by 1, 2
    )
    select g.key,
      ${keyedCount("active", sql.ref("c.cell_key"))},
      sum(g.qh)::int as quarter_hours,
      percentile_cont(0.5) within group (order by g.qh) as median_quarter_hours,
      ${keyedCount("active_deprived", sql.ref("c.cell_key"), { filter: sql`l.wimd_quintile in (1, 2)` })}
    from group_child g
    join child c on c.area_id = ${scope.areaId} and c.id = g.child_id
    left join ${source.lsoa} l on l.code = c.${source.childLsoa}
    group by g.key`.execute(db);
  return result.rows.map(rawStats);
}

/**
 * How many of the area's LSOAs fall in each quintile, decile or LA, and how many children
 * aged 5–14 live in them (the imported figures' sum: used only when areaBenchmark says they
 * cover every LSOA of the area).
 */
export async function lsoaCounts(
  db: DB,
  areaId: string,
  by: "quintile" | "decile" | "la",
  edition: WimdEdition,
  domain: WimdDomain | null = null,
  laCode: string | null = null,
) {
  const source = editionSource(edition);
  const key =
    by === "quintile"
      ? domain
        ? sql`${domainQuintile(domain, edition)}::text`
        : sql`l.wimd_quintile::text`
      : by === "decile"
        ? sql`l.wimd_decile::text`
        : sql`l.la_code`;
  const result = await sql<{ key: string; lsoas: number; la_name: string; with_population: number; population: number | null }>`
    select ${key} as key, count(*)::int as lsoas, max(l.la_name) as la_name,
      count(${source.populationLsoa})::int as with_population, sum(p.population_5_14)::int as population
    from ${source.lsoa} l join area_local_authority ala on ala.la_code = l.la_code
    left join ${source.population} p on ${source.populationLsoa} = l.code
    where ala.area_id = ${areaId} ${laCode ? sql`and l.la_code = ${laCode}` : sql``}
    group by 1`.execute(db);
  return result.rows;
}

async function groupNames(db: DB, scope: EquityScope, by: Breakdown, keys: string[], edition: WimdEdition) {
  const names = new Map<string, { en: string; cy: string }>();
  if (by === "school") {
    let query = db.selectFrom("school").select(["id", "name"]).where("area_id", "=", scope.areaId);
    if (scope.schoolId) query = query.where("id", "=", scope.schoolId);
    for (const school of await query.execute()) names.set(school.id, { en: school.name, cy: school.name });
  } else if (by === "provider") {
    if (keys.length) {
      const rows = await db.selectFrom("provider").select(["id", "name_en", "name_cy"]).where("area_id", "=", scope.areaId).where("id", "in", keys).execute();
      for (const p of rows) names.set(p.id, { en: p.name_en, cy: p.name_cy ?? p.name_en });
    }
  } else if (by === "la") {
    const codes = [...keys, ...(await lsoaCounts(db, scope.areaId, "la", edition)).map((row) => row.key)];
    if (codes.length) {
      const rows = await db
        .selectFrom(edition === "wimd2019" ? "lsoa" : "lsoa21")
        .select(["la_code", "la_name"])
        .distinct()
        .where("la_code", "in", codes)
        .execute();
      // The reference data names LAs in English only; the locale files have both (localAuthorities.<code>).
      const [cy, en] = [translator("cy"), translator("en")];
      for (const la of rows) {
        names.set(la.la_code, {
          en: en(`localAuthorities.${la.la_code}`, { defaultValue: la.la_name }),
          cy: cy(`localAuthorities.${la.la_code}`, { defaultValue: la.la_name }),
        });
      }
    }
  }
  return names;
}

const round = (value: number, places = 4) => Math.round(value * 10 ** places) / 10 ** places;

/**
 * The true counts behind the report, with their cell keys: NOT for publication. Only
 * equityReport (which publishes them through the disclosure-control layer) and the tests of
 * the definitions read them; no route may (tests/integration/disclosure-routes.test.ts).
 */
export async function equityTallies(
  db: DB,
  scope: EquityScope,
  input: { from: string; to: string; by: Breakdown; edition?: WimdEdition; domain?: WimdDomain | null },
): Promise<{ rows: RawStats[]; total: RawStats }> {
  const { from, to, by } = input;
  const edition = input.edition ?? DEFAULT_WIMD_EDITION;
  const domain = by === "quintile" ? (input.domain ?? null) : null;
  // Partitions: the groups and the total in one query; overlapping groups need the total apart.
  if (PARTITIONS.includes(by)) return partitionStats(db, scope, from, to, by as "quintile" | "decile" | "la" | "school", edition, domain);
  const rows = await overlappingStats(db, scope, from, to, by as "provider" | "category", edition);
  return { rows, total: (await partitionStats(db, scope, from, to, "all", edition)).total };
}

/**
 * The equity report for a period (from/to inclusive, 'YYYY-MM-DD') and breakdown, with
 * disclosure control applied.
 */
export async function equityReport(
  db: DB,
  scope: EquityScope,
  input: { from: string; to: string; by: Breakdown; edition?: WimdEdition; domain?: WimdDomain | null },
): Promise<EquityReport> {
  const { from, to, by } = input;
  const edition = input.edition ?? DEFAULT_WIMD_EDITION;
  // A domain's quintiles replace the index's only in the report by quintile (the query refuses it elsewhere).
  const domain = by === "quintile" ? (input.domain ?? null) : null;
  const partition = PARTITIONS.includes(by);
  const { rows: raw, total } = await equityTallies(db, scope, { from, to, by, edition, domain });

  // The groups to show: every quintile/decile and every LA or school of the area, then any found.
  const byKey = new Map(raw.map((row) => [row.key, row]));
  const fair = by === "quintile" || by === "decile" || by === "la" ? await lsoaCounts(db, scope.areaId, by, edition, domain) : [];
  // Real figures replace the approximation only when they cover every LSOA of the area:
  // a benchmark made of part population and part LSOA count would be wrong.
  const benchmark = await areaBenchmark(db, scope.areaId, edition);
  const usePopulation = benchmark === "population" && fair.length > 0;
  const fairTotal = fair.reduce((sum, row) => sum + (usePopulation ? (row.population ?? 0) : row.lsoas), 0);
  const showPopulationRate = usePopulation && !scope.schoolId && !scope.providerId;
  let keys: Array<string | null>;
  if (by === "quintile") keys = ["1", "2", "3", "4", "5"];
  else if (by === "decile") keys = Array.from({ length: 10 }, (_, i) => String(i + 1));
  else keys = [];
  const names = await groupNames(
    db,
    scope,
    by,
    raw.map((row) => row.key).filter((key): key is string => key !== null),
    edition,
  );
  if (by === "la") keys.push(...fair.map((row) => row.key).sort());
  if (by === "school") keys.push(...[...names.entries()].sort((a, b) => a[1].en.localeCompare(b[1].en)).map(([id]) => id));
  for (const row of raw) if (row.key !== null && !keys.includes(row.key)) keys.push(row.key);
  if (by === "provider") keys.sort((a, b) => (names.get(a!)?.en ?? "").localeCompare(names.get(b!)?.en ?? ""));
  if (by === "category") keys.sort();
  // "Not known / outside Wales" (or "no school") only when someone is in it.
  if (partition && byKey.has(null) && byKey.get(null)!.enrolled.count > 0) keys.push(null);

  const zero: RawStats = {
    key: null,
    enrolled: NO_TALLY,
    active: NO_TALLY,
    quarter_hours: 0,
    median_quarter_hours: null,
    awards: NO_TALLY,
    active_deprived: NO_TALLY,
    enrolled_in_population: NO_TALLY,
  };
  const stats = keys.map((key) => ({ ...zero, ...byKey.get(key), key }));

  // Disclosure control: every count is its own cell (the total too, never a sum of the
  // published groups), and every rate, hours figure and median is worked out from published
  // figures only (disclosure.server.ts). Overlapping groups (provider, category) have no
  // enrolled children of their own.
  const totalEnrolled = protectCount(total.enrolled);
  const totalActive = protectCount(total.active);
  const publish = (row: RawStats, fairShare: number | null, name: EquityRow["name"], withEnrolled: boolean): EquityRow => {
    const enrolled = withEnrolled ? protectCount(row.enrolled) : null;
    const active = protectCount(row.active);
    const hours = protectHours(row.quarter_hours, row.active, active);
    const deprived = withEnrolled ? null : protectCount(row.active_deprived);
    return {
      key: row.key,
      name,
      enrolled,
      population: null,
      populationRate: null,
      enrolledShare: enrolled ? protectedRate(enrolled, totalEnrolled) : null,
      fairShare,
      active,
      participationRate: enrolled ? protectedRate(active, enrolled) : null,
      activeShare: protectedRate(active, totalActive),
      hours,
      hoursPerEnrolled: protectedPerChild(hours, enrolled),
      hoursPerActive: protectedPerChild(hours, active),
      medianHoursPerActive: protectMedian(row.median_quarter_hours, active),
      awards: withEnrolled ? protectCount(row.awards) : null,
      activeMostDeprived: deprived,
      activeMostDeprivedShare: deprived ? protectedRate(deprived, active) : null,
    };
  };

  const rows = stats.map((row) => {
    const fairRow = fair.find((f) => f.key === row.key);
    const fairShare =
      fair.length && row.key !== null && fairTotal > 0 ? (fairRow ? round((usePopulation ? (fairRow.population ?? 0) : fairRow.lsoas) / fairTotal) : 0) : null;
    const name = by === "quintile" || by === "decile" || by === "category" || row.key === null ? null : (names.get(row.key) ?? null);
    const published = publish(row, fairShare, name, partition);
    if (usePopulation && fairRow) {
      published.population = fairRow.population;
      published.populationRate =
        showPopulationRate && fairRow.population ? protectedPerPopulation(protectCount(row.enrolled_in_population), fairRow.population) : null;
    }
    return published;
  });

  // The total row: its own cells. The two most deprived fifths' line is published with the
  // provider and category tables (a cell of its own, like every other).
  const totalRow = { ...publish(total, fair.length ? 1 : null, null, true), key: null };
  totalRow.enrolledShare = partition ? protectedRate(totalEnrolled, totalEnrolled) : null;
  if (!partition) {
    totalRow.activeMostDeprived = protectCount(total.active_deprived);
    totalRow.activeMostDeprivedShare = protectedRate(totalRow.activeMostDeprived, totalRow.active);
  }

  if (usePopulation) {
    totalRow.population = fairTotal;
    totalRow.populationRate = showPopulationRate && fairTotal > 0 ? protectedPerPopulation(protectCount(total.enrolled_in_population), fairTotal) : null;
  }

  const quintileRows = by === "quintile" ? rows : (await equityReport(db, scope, { from, to, by: "quintile", edition })).rows;
  const gap = equityGap(
    quintileRows.find((row) => row.key === "1"),
    quintileRows.find((row) => row.key === "5"),
  );

  return {
    from,
    to,
    by,
    edition,
    domain,
    scope: scope.schoolId ? "school" : scope.providerId ? "provider" : "area",
    benchmark,
    noCredits: totalRow.active.value === 0,
    internalUse: !isPublishedPeriod(from, to),
    precision: PRECISION,
    rows,
    total: totalRow,
    gap,
  };
}

/**
 * Whether child-population figures cover every LSOA of the area's local authorities (then
 * they are the benchmark), or not (then the share of LSOAs is).
 */
export async function areaBenchmark(db: DB, areaId: string, edition: WimdEdition = DEFAULT_WIMD_EDITION): Promise<"lsoas" | "population"> {
  const source = editionSource(edition);
  const row = await sql<{ lsoas: number; with_population: number }>`
    select count(*)::int as lsoas, count(${source.populationLsoa})::int as with_population
    from ${source.lsoa} l join area_local_authority ala on ala.la_code = l.la_code
    left join ${source.population} p on ${source.populationLsoa} = l.code
    where ala.area_id = ${areaId}`.execute(db);
  const counts = row.rows[0];
  return counts && counts.lsoas > 0 && counts.with_population === counts.lsoas ? "population" : "lsoas";
}

export { REPORT_ROLES } from "./breakdowns";

export interface TermGap {
  term: "autumn" | "spring" | "summer";
  /** The year the term is in (autumn 2026, spring 2027…). */
  year: number;
  from: string;
  to: string;
  q1ParticipationRate: number | null;
  q5ParticipationRate: number | null;
  gap: EquityGap;
}

/**
 * The quintile 1 vs 5 gap over the last `count` school terms up to the one `today` is in,
 * oldest first, each through the same disclosure control (a side too small to show gives no gap).
 */
export async function quintileGapTrend(
  db: DB,
  scope: EquityScope,
  today: string,
  count = 6,
  edition: WimdEdition = DEFAULT_WIMD_EDITION,
  domain: WimdDomain | null = null,
): Promise<TermGap[]> {
  const terms: Array<ReturnType<typeof termOf>> = [];
  for (let day = today; terms.length < count;) {
    const term = termOf(day);
    terms.unshift(term);
    day = addDays(term.from, -1);
  }
  const trend: TermGap[] = [];
  for (const term of terms) {
    // One edition throughout: a trend never mixes indexes.
    const report = await equityReport(db, scope, { from: term.from, to: term.to, by: "quintile", edition, domain });
    trend.push({
      term: term.name,
      year: Number(term.from.slice(0, 4)),
      from: term.from,
      to: term.to,
      q1ParticipationRate: report.rows.find((row) => row.key === "1")?.participationRate ?? null,
      q5ParticipationRate: report.rows.find((row) => row.key === "5")?.participationRate ?? null,
      gap: report.gap,
    });
  }
  return trend;
}
