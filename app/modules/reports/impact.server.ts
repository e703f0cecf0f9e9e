import { forbidden, type Membership } from "../accounts/actor.server";
import { localAuthoritiesOf } from "../activities/places.server";
import { recordAudit } from "../audit/audit.server";
import type { DB } from "../db/database.server";
import { translator } from "../i18n/i18n";
import { ratingsSummary, wishesAgainstOffer, type VoiceScope } from "./child-voice.server";
import {
  PRECISION,
  protectCount,
  protectedPerChild,
  protectedPerPopulation,
  protectedRate,
  protectHours,
  protectMedian,
  type ProtectedCount,
} from "./disclosure.server";
import { equityGap } from "./equity-statistics";
import { areaBenchmark, lsoaCounts, type EquityScope } from "./equity.server";
import { academicYearOf, PUBLISHED_SINCE, termPeriodOf, type PublishedPeriod } from "./published-periods";
import { DEFAULT_WIMD_EDITION, WIMD_EDITIONS, type WimdEdition } from "../reference/wimd-editions";
import { choice, flag, message, trimmedText } from "../forms/fields.server";
import { parseForm } from "../forms/parse-form.server";
import { queryValues } from "../forms/read-form.server";
import { impactSummary } from "./impact/summary.server";
import {
  depthTallies,
  lsoasByQuintileAndLa,
  offerInYear,
  periodTallies,
  reachTallies,
  type GroupTally,
  type OfferedActivity,
  type PeriodTally,
} from "./impact/tallies.server";
import { findImpactRelease, type ImpactRelease } from "./impact/releases.server";
import type {
  Bilingual,
  GrowthPeriod,
  GrowthSection,
  ImpactReport,
  ImpactRow,
  ImpactScopeInfo,
  OfferReachRow,
  OfferSection,
  PersistenceRow,
  YearOnYear,
} from "./impact/types";

export type * from "./impact/types";

/**
 * The annual impact report for the Public Services Board (issue 21): reach, growth,
 * persistence, depth, the offer and the child's voice for an academic year and a scope (the
 * area, one of its local authorities, or one of its schools). Every figure about children is
 * counted in the database with its cell key (impact/tallies.server.ts) and published through
 * the disclosure-control layer here; definitions are the equity report's, so a figure here
 * and the equity report's for the same children and period are the same cell, and agree.
 * The choices (the "within reach" rule, the summary's templates) are in ADR 0035.
 */

/** Who may open the impact report: the area's coordinators and viewers (the Board's readers). */
export const IMPACT_ROLES = ["coordinator", "viewer"] as const;

export interface ImpactScope {
  areaId: string;
  laCode: string | null;
  schoolId: string | null;
}

/** The area a membership may report on; anyone but a coordinator or viewer is refused (403). */
export function impactAreaFor(m: Membership): string {
  if (m.role !== "coordinator" && m.role !== "viewer") forbidden();
  return m.areaId;
}

/** The terms of an academic year that have started by `today`, in order. */
function termsOf(year: PublishedPeriod, today: string): PublishedPeriod[] {
  return [`${year.year}-09-01`, `${year.year + 1}-01-01`, `${year.year + 1}-04-01`].map(termPeriodOf).filter((term) => term.from <= today);
}

/** The academic year before, or null before the first published year. */
export function yearBefore(year: PublishedPeriod): PublishedPeriod | null {
  const before = academicYearOf(`${year.year - 1}-09-01`);
  return before.from < PUBLISHED_SINCE ? null : before;
}

/**
 * The true tallies behind a report: NOT for publication (tests and audits only; no route may
 * read them: tests/integration/disclosure-routes.test.ts).
 */
export async function impactTallies(db: DB, scope: ImpactScope, input: { year: PublishedPeriod; today: string; edition?: WimdEdition }) {
  const edition = input.edition ?? DEFAULT_WIMD_EDITION;
  const { year, today } = input;
  const lastYear = yearBefore(year);
  const equityScope: EquityScope = { areaId: scope.areaId, schoolId: scope.schoolId, laCode: scope.laCode };
  const populationLas = scope.schoolId ? [] : scope.laCode ? [scope.laCode] : await localAuthoritiesOf(db, scope.areaId);
  const periods = [...(lastYear ? termsOf(lastYear, today) : []), ...termsOf(year, today), ...(lastYear ? [lastYear] : []), year];
  const [reach, growth, depth] = await Promise.all([
    reachTallies(db, equityScope, year, lastYear, edition, populationLas),
    periodTallies(db, equityScope, periods, edition),
    depthTallies(db, equityScope, year, edition),
  ]);
  return { reach, growth, depth, periods, lastYear };
}

const ZERO = { count: 0, keySum: 0 };
const round = (value: number, places = 4) => Math.round(value * 10 ** places) / 10 ** places;
const emptyGroup = (key: string | null): GroupTally => ({
  key,
  enrolled: ZERO,
  active: ZERO,
  quarterHours: 0,
  medianQuarterHours: null,
  awards: ZERO,
  enrolledInPopulation: ZERO,
  activeLastYear: ZERO,
  activeAgain: ZERO,
});

function laNames(codes: Iterable<string>): Map<string, Bilingual> {
  const [cy, en] = [translator("cy"), translator("en")];
  return new Map(
    [...codes].map((code) => [
      code,
      { en: en(`localAuthorities.${code}`, { defaultValue: code }), cy: cy(`localAuthorities.${code}`, { defaultValue: code }) },
    ]),
  );
}

/** The report for an academic year and a scope, every figure about children published through the disclosure-control layer. */
export async function impactReport(
  db: DB,
  scope: ImpactScope,
  input: { year: PublishedPeriod; today: string; edition?: WimdEdition; now?: Date },
): Promise<ImpactReport> {
  const edition = input.edition ?? DEFAULT_WIMD_EDITION;
  const { year, today } = input;
  const tallies = await impactTallies(db, scope, { year, today, edition });
  const { reach, lastYear } = tallies;

  // Fair shares: the scope's LSOAs (or children aged 5–14 where imported for every LSOA of the area), by quintile and LA.
  const benchmark = await areaBenchmark(db, scope.areaId, edition);
  const usePopulation = benchmark === "population";
  const [fairQuintile, fairLa, schools, area, lsoaGrid] = await Promise.all([
    lsoaCounts(db, scope.areaId, "quintile", edition, null, scope.laCode),
    lsoaCounts(db, scope.areaId, "la", edition, null, scope.laCode),
    db.selectFrom("school").select(["id", "name", "la_code"]).where("area_id", "=", scope.areaId).orderBy("name").execute(),
    db.selectFrom("area").select(["name_en", "name_cy"]).where("id", "=", scope.areaId).executeTakeFirstOrThrow(),
    lsoasByQuintileAndLa(db, scope.areaId, edition, scope.laCode),
  ]);
  const fairWeight = (row: { lsoas: number; population: number | null }) => (usePopulation ? (row.population ?? 0) : row.lsoas);
  const fairTotal = fairQuintile.reduce((sum, row) => sum + fairWeight(row), 0);
  const showPopulationRate = usePopulation && !scope.schoolId;

  const totalActive = protectCount(reach.total.active);
  const publish = (tally: GroupTally, name: Bilingual | null, fair: { lsoas: number; population: number | null } | null, withFair: boolean): ImpactRow => {
    const enrolled = protectCount(tally.enrolled);
    const active = protectCount(tally.active);
    const hours = protectHours(tally.quarterHours, tally.active, active);
    const population = usePopulation && fair ? fair.population : null;
    return {
      key: tally.key,
      name,
      enrolled,
      active,
      participationRate: protectedRate(active, enrolled),
      activeShare: protectedRate(active, totalActive),
      fairShare: withFair && fairTotal > 0 ? round((fair ? fairWeight(fair) : 0) / fairTotal) : null,
      population,
      populationRate: showPopulationRate && population ? protectedPerPopulation(protectCount(tally.enrolledInPopulation), population) : null,
      hours,
      hoursPerEnrolled: protectedPerChild(hours, enrolled),
      hoursPerActive: protectedPerChild(hours, active),
      medianHoursPerActive: protectMedian(tally.medianQuarterHours, active),
      awards: protectCount(tally.awards),
    };
  };
  const find = (rows: GroupTally[], key: string | null) => rows.find((row) => row.key === key) ?? emptyGroup(key);
  const withNotKnown = (rows: GroupTally[]) => (rows.some((row) => row.key === null && row.enrolled.count > 0) ? [find(rows, null)] : []);

  const quintileTallies = [...["1", "2", "3", "4", "5"].map((key) => find(reach.quintile, key)), ...withNotKnown(reach.quintile)];
  const byQuintile = quintileTallies.map((tally) => publish(tally, null, fairQuintile.find((row) => row.key === tally.key) ?? null, tally.key !== null));
  const laCodes = [...new Set([...fairLa.map((row) => row.key), ...reach.la.map((row) => row.key).filter((key): key is string => key !== null)])].sort();
  const names = laNames(laCodes);
  const byLocalAuthority = [...laCodes.map((code) => find(reach.la, code)), ...withNotKnown(reach.la)].map((tally) =>
    publish(tally, tally.key ? (names.get(tally.key) ?? null) : null, fairLa.find((row) => row.key === tally.key) ?? null, tally.key !== null),
  );
  const scopedSchools = schools.filter((school) => (scope.schoolId ? school.id === scope.schoolId : true));
  const bySchool = [
    ...scopedSchools.filter((school) => !scope.laCode || reach.school.some((row) => row.key === school.id)).map((school) => find(reach.school, school.id)),
    ...withNotKnown(reach.school),
  ].map((tally) => {
    const school = schools.find((s) => s.id === tally.key);
    return publish(tally, school ? { en: school.name, cy: school.name } : null, null, false);
  });
  const total = publish(reach.total, null, { lsoas: fairTotal, population: usePopulation ? fairTotal : null }, fairQuintile.length > 0);
  if (total.fairShare !== null) total.fairShare = 1;
  const gap = equityGap(
    byQuintile.find((row) => row.key === "1"),
    byQuintile.find((row) => row.key === "5"),
  );

  // Last year as it was published, where it was (ADR 0041): the comparison is with the figures the Board was given.
  const earlier = lastYear ? await findImpactRelease(db, scope, lastYear.id, edition) : null;
  const growth = publishGrowth(tallies.growth, tallies.periods, year, lastYear, earlier);
  const persistence = {
    lastYearId: lastYear?.id ?? null,
    total: publishPersistence(reach.total),
    byQuintile: quintileTallies.map(publishPersistence),
  };

  const { depth } = tallies;
  const invited = protectCount(depth.invited);
  const attended = protectCount(depth.attended);
  const depthSection = {
    hours: total.hours,
    hoursPerEnrolled: total.hoursPerEnrolled,
    hoursPerActive: total.hoursPerActive,
    medianHoursPerActive: total.medianHoursPerActive,
    byQuintile: byQuintile.map((row) => ({
      key: row.key,
      hoursPerActive: row.hoursPerActive,
      medianHoursPerActive: row.medianHoursPerActive,
      awards: row.awards,
    })),
    awards: total.awards,
    awardsByLevel: depth.levels.map((level) => ({
      levelId: level.levelId,
      name: { en: level.nameEn, cy: level.nameCy },
      thresholdHours: level.thresholdHours,
      reached: protectCount(level.reached),
    })),
    graduationsHeld: depth.graduationsHeld,
    graduatesInvited: invited,
    graduatesAttended: attended,
    attendanceRate: protectedRate(attended, invited),
  };

  const offer = publishOffer(await offerInYear(db, scope.areaId, year, scope.laCode), lsoaGrid, laNames(laCodes));

  // The child's voice: the area's, or for an LA the ratings and wishes of the children living in it (and the offer in it), counts
  // only, through the layer, never words (ADR 0029, 0041); schools see none of it.
  let voice: ImpactReport["voice"] = null;
  if (!scope.schoolId) {
    const voiceScope: VoiceScope = {
      areaId: scope.areaId,
      providerId: null,
      words: false,
      children: scope.laCode ? { laCode: scope.laCode, edition } : null,
    };
    const current = academicYearOf(today).id === year.id;
    const [ratings, wishes] = await Promise.all([
      ratingsSummary(db, voiceScope, { from: year.from, to: year.to, by: "category" }),
      // Wishes are kept as they are now, not by year: only the current year's report shows them (a past year's stays as published).
      current ? wishesAgainstOffer(db, voiceScope, { by: "quintile" }, input.now) : null,
    ]);
    voice = { children: scope.laCode ? "la" : "area", ratings, wishes };
  }

  const scopeInfo: ImpactScopeInfo = {
    kind: scope.schoolId ? "school" : scope.laCode ? "la" : "area",
    areaId: scope.areaId,
    laCode: scope.laCode,
    schoolId: scope.schoolId,
    name: scope.schoolId
      ? (() => {
          const school = schools.find((s) => s.id === scope.schoolId);
          return { en: school?.name ?? "", cy: school?.name ?? "" };
        })()
      : scope.laCode
        ? (names.get(scope.laCode) ?? laNames([scope.laCode]).get(scope.laCode)!)
        : { en: area.name_en, cy: area.name_cy },
  };

  const report: Omit<ImpactReport, "summary" | "published"> = {
    year: year.id,
    from: year.from,
    to: year.to,
    scope: scopeInfo,
    edition,
    benchmark,
    precision: PRECISION,
    inProgress: today <= year.to,
    reach: { total, byQuintile, byLocalAuthority, bySchool, gap },
    growth,
    persistence,
    depth: depthSection,
    offer,
    voice,
  };
  return { ...report, summary: impactSummary(report), published: null };
}

function publishPersistence(tally: GroupTally): PersistenceRow {
  const activeLastYear = protectCount(tally.activeLastYear);
  const activeAgain = protectCount(tally.activeAgain);
  return { key: tally.key, activeLastYear, activeAgain, rate: protectedRate(activeAgain, activeLastYear) };
}

function publishGrowth(
  tallies: PeriodTally[],
  periods: PublishedPeriod[],
  year: PublishedPeriod,
  lastYear: PublishedPeriod | null,
  earlier: ImpactRelease | null,
): GrowthSection {
  const publishPeriod = (period: PublishedPeriod): GrowthPeriod => {
    const of = (key: string) => tallies.find((row) => row.periodId === period.id && row.key === key);
    const quintile = (key: string) => {
      const row = of(key);
      const enrolled = protectCount(row?.enrolled ?? ZERO);
      const active = protectCount(row?.active ?? ZERO);
      const hours = protectHours(row?.quarterHours ?? 0, row?.active ?? ZERO, active);
      return { enrolled, active, participationRate: protectedRate(active, enrolled), hoursPerEnrolled: protectedPerChild(hours, enrolled) };
    };
    const totalRow = of("total");
    const enrolled = protectCount(totalRow?.enrolled ?? ZERO);
    const active = protectCount(totalRow?.active ?? ZERO);
    const hours = protectHours(totalRow?.quarterHours ?? 0, totalRow?.active ?? ZERO, active);
    const [q1, q5] = [quintile("1"), quintile("5")];
    return {
      id: period.id,
      kind: period.kind,
      term: period.term,
      year: period.year,
      from: period.from,
      to: period.to,
      enrolled,
      active,
      participationRate: protectedRate(active, enrolled),
      hours,
      hoursPerActive: protectedPerChild(hours, active),
      gap: equityGap(q1, q5),
      q1ParticipationRate: q1.participationRate,
      q5ParticipationRate: q5.participationRate,
    };
  };
  // Last year's terms and year from its kept release, if there is one; this year's are always worked out now.
  const kept = (period: PublishedPeriod) =>
    (lastYear && period.from >= lastYear.from && period.to <= lastYear.to && earlier?.report.growth.terms.find((term) => term.id === period.id)) ||
    publishPeriod(period);
  const terms = periods.filter((period) => period.kind === "term").map(kept);
  const thisYear = publishPeriod(year);
  const last = lastYear ? (earlier ? earlier.report.growth.thisYear : publishPeriod(lastYear)) : null;
  return {
    terms,
    thisYear,
    lastYear: last,
    yearOnYear: last ? yearOnYear(thisYear, last) : null,
    lastYearPublishedAt: earlier ? earlier.publishedAt.toISOString() : null,
  };
}

/** Differences of published figures only (so they say nothing the two figures do not). */
function yearOnYear(now: GrowthPeriod, before: GrowthPeriod): YearOnYear {
  const diff = (a: ProtectedCount, b: ProtectedCount) => a.value - b.value;
  return {
    enrolledChange: diff(now.enrolled, before.enrolled),
    activeChange: diff(now.active, before.active),
    hoursChange: now.hours !== null && before.hours !== null ? now.hours - before.hours : null,
    participationRateChange:
      now.participationRate !== null && before.participationRate !== null ? round(now.participationRate - before.participationRate) : null,
  };
}

/**
 * The offer, and how much of it is within reach of each quintile's neighbourhoods. The rule
 * (ADR 0035): an activity is within reach of an LSOA when it happens in the same local
 * authority (the activity's, or its provider's). The schema holds no coordinates, only
 * local authorities, towns and the provider's LSOA, so distances cannot be measured.
 */
function publishOffer(
  offer: { destinations: number; activities: OfferedActivity[] },
  grid: Array<{ quintile: number; laCode: string; lsoas: number }>,
  names: Map<string, Bilingual>,
): OfferSection {
  const { activities } = offer;
  const share = (part: number) => (activities.length ? round(part / activities.length) : null);
  const freeOrLowCost = activities.filter((a) => a.freeOrLowCost).length;
  const welsh = activities.filter((a) => a.welsh).length;
  const las = [...new Set(activities.map((a) => a.laCode))].sort((a, b) => (a ?? "~").localeCompare(b ?? "~"));
  const inLa = (la: string | null) => activities.filter((a) => a.laCode === la);
  const withinReach: OfferReachRow[] = [1, 2, 3, 4, 5].map((quintile) => {
    const cells = grid.filter((cell) => cell.quintile === quintile);
    const lsoas = cells.reduce((sum, cell) => sum + cell.lsoas, 0);
    if (lsoas === 0) return { key: String(quintile), lsoas, activitiesPerLsoa: null, withFreeOrLowCost: null, withWelsh: null };
    const weighted = (test: (activity: OfferedActivity[]) => number) => cells.reduce((sum, cell) => sum + cell.lsoas * test(inLa(cell.laCode)), 0) / lsoas;
    return {
      key: String(quintile),
      lsoas,
      activitiesPerLsoa: Math.round(weighted((list) => list.length) * 10) / 10,
      withFreeOrLowCost: round(weighted((list) => (list.some((a) => a.freeOrLowCost) ? 1 : 0))),
      withWelsh: round(weighted((list) => (list.some((a) => a.welsh) ? 1 : 0))),
    };
  });
  return {
    destinations: offer.destinations,
    activities: activities.length,
    freeOrLowCost,
    freeOrLowCostShare: share(freeOrLowCost),
    welsh,
    welshShare: share(welsh),
    byLocalAuthority: las.map((la) => ({
      key: la,
      name: la ? (names.get(la) ?? laNames([la]).get(la)!) : null,
      activities: inLa(la).length,
      freeOrLowCost: inLa(la).filter((a) => a.freeOrLowCost).length,
      welsh: inLa(la).filter((a) => a.welsh).length,
    })),
    reachRule: "sameLocalAuthority",
    withinReach,
  };
}

export interface ImpactQuery {
  year: PublishedPeriod;
  laCode: string | null;
  schoolId: string | null;
  edition: WimdEdition;
}

export type ParsedImpactQuery =
  /** `current`: `figures=current`, a published year's figures as they are now, not its kept release (ADR 0041). */
  | { ok: true; query: ImpactQuery; current: boolean }
  | { ok: false; errors: Record<string, string>; values: { year: string; la: string; school: string; edition: string } };

/** The academic years a report may be asked for, newest first: this one back to 2019–20. */
export function impactYears(today: string): PublishedPeriod[] {
  const years: PublishedPeriod[] = [];
  for (let year: PublishedPeriod | null = academicYearOf(today); year; year = yearBefore(year)) years.push(year);
  return years;
}

/** The report's choices as its form shows them again: each trimmed. */
const impactQuerySent = { year: trimmedText(), la: trimmedText(), school: trimmedText(), edition: trimmedText() };

/**
 * Reads the report's choices from its address: `year` ("2025-26"; this academic year unless
 * given), `la` (one of the area's local authorities) or `school` (one of its schools), not
 * both, and `edition` (WIMD 2025 unless WIMD 2019 is asked for). Anything else, another area's
 * school or LA included, is an error by field (a translation key), for a 400 with the form.
 */
export function parseImpactQuery(
  params: URLSearchParams,
  options: { today: string; localAuthorities: readonly string[]; schoolIds: readonly string[] },
): ParsedImpactQuery {
  const years = impactYears(options.today);
  const yearIds = years.map((year) => year.id);
  const parsed = parseForm(
    {
      year: choice(yearIds, message("impact.errors.year"), yearIds[0], { trim: true }),
      la: choice(options.localAuthorities, message("impact.errors.la"), null, { trim: true }),
      school: choice(options.schoolIds, message("impact.errors.school"), null, { trim: true }),
      edition: choice(WIMD_EDITIONS, message("impact.errors.edition"), DEFAULT_WIMD_EDITION, { trim: true }),
      figures: flag("current"),
    },
    params,
    ({ la, school }) => ({ school: la && school ? message("impact.errors.both") : undefined }),
  );
  if (!parsed.ok) return { ok: false, errors: parsed.errors as Record<string, string>, values: queryValues(impactQuerySent, params) };
  const { la, school, edition, figures } = parsed.data;
  return { ok: true, query: { year: years.find((year) => year.id === parsed.data.year)!, laCode: la, schoolId: school, edition }, current: figures };
}

/**
 * The report a reader is shown: the kept release where there is one (unless the current
 * figures are asked for), and whether there is one. `releases` is where releases are read
 * (the primary, so a release just published shows at once even with a reports replica).
 */
export async function impactReportOrRelease(
  db: DB,
  scope: ImpactScope,
  input: { year: PublishedPeriod; today: string; edition: WimdEdition; now?: Date; current?: boolean },
  releases: DB = db,
): Promise<{ report: ImpactReport; release: { publishedAt: Date } | null }> {
  const release = await findImpactRelease(releases, scope, input.year.id, input.edition);
  if (release && !input.current) return { report: release.report, release };
  return { report: await impactReport(db, scope, input), release };
}

/** A year may be published once it is over (from 1 September): a release is final, and a year in progress still changes. */
export const canPublishYear = (year: PublishedPeriod, today: string) => today > year.to;

export type PublishOutcome = { ok: true; publishedAt: Date } | { ok: false; status: 400 | 409; formError: string };

/**
 * Publishes a year's report for a scope and edition (ADR 0041): the report as it is now is
 * kept, and from then on the page and the downloads show it. Coordinators only (anyone else
 * 403). Refused, with the reason, for a year not yet over (400) and for one already
 * published (409: a release is what was handed over, so it is never replaced; the current
 * figures stay one link away).
 */
export async function publishImpactRelease(db: DB, m: Membership, query: ImpactQuery, input: { today: string; now?: Date }): Promise<PublishOutcome> {
  if (m.role !== "coordinator") forbidden();
  if (!canPublishYear(query.year, input.today)) return { ok: false, status: 400, formError: "impact.publish.errors.inProgress" };
  const scope: ImpactScope = { areaId: m.areaId, laCode: query.laCode, schoolId: query.schoolId };
  if (await findImpactRelease(db, scope, query.year.id, query.edition)) return { ok: false, status: 409, formError: "impact.publish.errors.published" };
  const report = await impactReport(db, scope, { year: query.year, today: input.today, edition: query.edition, now: input.now });
  const published = await db.transaction().execute(async (trx) => {
    // The unique key settles two coordinators publishing at once: the second inserts nothing.
    const row = await trx
      .insertInto("impact_release")
      .values({
        area_id: m.areaId,
        la_code: query.laCode,
        school_id: query.schoolId,
        year: query.year.id,
        edition: query.edition,
        report: JSON.stringify(report),
        published_by: m.userId,
      })
      .onConflict((oc) => oc.doNothing())
      .returning(["id", "published_at"])
      .executeTakeFirst();
    if (row) {
      await recordAudit(trx, {
        areaId: m.areaId,
        actorUserId: m.userId,
        action: "impact_report_published",
        subjectType: "impact_release",
        subjectId: row.id,
        details: { year: query.year.id, edition: query.edition, laCode: query.laCode, schoolId: query.schoolId },
      });
    }
    return row;
  });
  if (!published) return { ok: false, status: 409, formError: "impact.publish.errors.published" };
  return { ok: true, publishedAt: new Date(published.published_at) };
}
