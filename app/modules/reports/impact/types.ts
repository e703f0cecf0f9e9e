import type { PRECISION, ProtectedCount, ProtectedHours, ProtectedRate } from "../disclosure.server";
import type { EquityGap } from "../equity-statistics";
import type { RatingsSummary, WishesAgainstOffer } from "../child-voice.server";
import type { WimdEdition } from "../../reference/wimd-editions";

/**
 * The annual impact report for the Public Services Board (issue 21): the shape the page, the
 * PDF and the spreadsheets read. Every figure about children is a published value of the
 * disclosure-control layer (ProtectedCount, ProtectedHours, ProtectedRate: multiples of 5,
 * rates from published counts only); counts of activities, providers, LSOAs and graduations
 * are about the offer, not children, and are published as they are (docs/statistics.md,
 * "Public figures"). Kept stable: fields are added, never renamed.
 */

export type Bilingual = { en: string; cy: string };

/** The report's scope: the whole area, one local authority (children living in it) or one school (its pupils). */
export interface ImpactScopeInfo {
  kind: "area" | "la" | "school";
  areaId: string;
  laCode: string | null;
  schoolId: string | null;
  /** The area's, the LA's or the school's name. */
  name: Bilingual;
}

/** One group of children in a table (a quintile, an LA, a school, or everyone). */
export interface ImpactRow {
  /** "1".."5", an LA code, a school id; "total" for the total; null: not known / outside Wales / no school. */
  key: string | null;
  /** For LAs and schools; null for quintiles, the total and "not known". */
  name: Bilingual | null;
  enrolled: ProtectedCount;
  active: ProtectedCount;
  /** Active ÷ enrolled, from the published counts. */
  participationRate: ProtectedRate | null;
  /** This group's share of all active children. */
  activeShare: ProtectedRate | null;
  /** The group's share of the area's LSOAs (or of its children aged 5–14, see `benchmark`); null where it means nothing (schools). */
  fairShare: number | null;
  /** Children aged 5–14 living in the group's LSOAs (imported public figures); null without them. */
  population: number | null;
  /** Enrolled (children of those ages living there: a cell of its own) ÷ population. */
  populationRate: ProtectedRate | null;
  hours: ProtectedHours | null;
  hoursPerEnrolled: ProtectedRate | null;
  hoursPerActive: ProtectedRate | null;
  medianHoursPerActive: ProtectedHours | null;
  /** Awards (levels) reached in the year. */
  awards: ProtectedCount;
}

export interface ReachSection {
  total: ImpactRow;
  byQuintile: ImpactRow[];
  byLocalAuthority: ImpactRow[];
  bySchool: ImpactRow[];
  /** Quintile 1 against quintile 5, with its 95% interval and verdict (the equity report's gap). */
  gap: EquityGap;
}

/** A published period's figures (a term or an academic year). */
export interface GrowthPeriod {
  /** "2025-autumn", "2026-spring", "2026-summer" or "2025-26". */
  id: string;
  kind: "term" | "year";
  term: "autumn" | "spring" | "summer" | null;
  /** The calendar year the period starts in. */
  year: number;
  from: string;
  to: string;
  enrolled: ProtectedCount;
  active: ProtectedCount;
  participationRate: ProtectedRate | null;
  hours: ProtectedHours | null;
  hoursPerActive: ProtectedRate | null;
  /** The gap between quintiles 1 and 5 in this period (the trend of the gap). */
  gap: EquityGap;
  /** Quintile 1's and quintile 5's participation rates, for the trend chart. */
  q1ParticipationRate: ProtectedRate | null;
  q5ParticipationRate: ProtectedRate | null;
}

/** What changed from last year, from published figures (null where either side is not shown). */
export interface YearOnYear {
  enrolledChange: number | null;
  activeChange: number | null;
  hoursChange: number | null;
  participationRateChange: number | null;
}

export interface GrowthSection {
  /** Last year's three terms then this year's, oldest first (terms not yet started are left out). */
  terms: GrowthPeriod[];
  thisYear: GrowthPeriod;
  /** Null before the first published year (2019–20 has no year before it). */
  lastYear: GrowthPeriod | null;
  yearOnYear: YearOnYear | null;
  /**
   * When last year's report was published for the same scope and edition, its figures are the
   * ones it published (last year's terms and year, ADR 0041) and this is when; null: worked out now.
   */
  lastYearPublishedAt: string | null;
}

export interface PersistenceRow {
  /** "1".."5", "total", or null: not known. */
  key: string | null;
  /** Children (in scope this year) who took part last year. */
  activeLastYear: ProtectedCount;
  /** Of those, who took part again this year. */
  activeAgain: ProtectedCount;
  /** activeAgain ÷ activeLastYear. */
  rate: ProtectedRate | null;
}

export interface PersistenceSection {
  /** Null when there is no last year (the first published year). */
  lastYearId: string | null;
  total: PersistenceRow;
  byQuintile: PersistenceRow[];
}

export interface AwardLevelRow {
  levelId: string;
  name: Bilingual;
  thresholdHours: number;
  /** Children who reached this level in the year (an award is one child's). */
  reached: ProtectedCount;
}

export interface DepthSection {
  hours: ProtectedHours | null;
  hoursPerEnrolled: ProtectedRate | null;
  hoursPerActive: ProtectedRate | null;
  medianHoursPerActive: ProtectedHours | null;
  /** Hours per active child by quintile. */
  byQuintile: Array<{ key: string | null; hoursPerActive: ProtectedRate | null; medianHoursPerActive: ProtectedHours | null; awards: ProtectedCount }>;
  awards: ProtectedCount;
  awardsByLevel: AwardLevelRow[];
  /** Graduations held in the year (events: a public figure). */
  graduationsHeld: number;
  /** Children (in scope) invited to those graduations, and who attended. */
  graduatesInvited: ProtectedCount;
  graduatesAttended: ProtectedCount;
  attendanceRate: ProtectedRate | null;
}

/** The offer in reach of one quintile's neighbourhoods (see ADR 0035 for the rule). */
export interface OfferReachRow {
  /** "1".."5". */
  key: string;
  /** The scope's LSOAs in this quintile. */
  lsoas: number;
  /** Activities within reach, on average per LSOA (one decimal place). */
  activitiesPerLsoa: number | null;
  /** Share (0–1) of those LSOAs with at least one free or low-cost activity within reach. */
  withFreeOrLowCost: number | null;
  /** Share (0–1) of those LSOAs with at least one activity delivered in Welsh within reach. */
  withWelsh: number | null;
}

export interface OfferSection {
  /** Learning Destinations (providers) validated at some time in the year. */
  destinations: number;
  /** Activities validated at some time in the year. */
  activities: number;
  freeOrLowCost: number;
  freeOrLowCostShare: number | null;
  welsh: number;
  welshShare: number | null;
  /** By local authority (the activity's, or its provider's). */
  byLocalAuthority: Array<{ key: string | null; name: Bilingual | null; activities: number; freeOrLowCost: number; welsh: number }>;
  /** What "within reach" means here: "sameLocalAuthority" (ADR 0035). */
  reachRule: "sameLocalAuthority";
  withinReach: OfferReachRow[];
}

export interface VoiceSection {
  /** Whose voice: the area's children, or (an LA's report) the children living in the LA, with the activities in it. */
  children: "area" | "la";
  /** Ratings of the area's activities in the year, by category (counts through the layer). */
  ratings: RatingsSummary;
  /** What children would like to try against what is offered, by quintile: only for the current year (wishes are kept as they are now, not by year). */
  wishes: WishesAgainstOffer | null;
}

/** One sentence of the written summary: a fixed template (a translation key) and its values. */
export interface SummaryLine {
  key: string;
  values: Record<string, string | number>;
}

export interface ImpactReport {
  /** The academic year, "2025-26". */
  year: string;
  from: string;
  to: string;
  scope: ImpactScopeInfo;
  /** One WIMD edition for every table and comparison (WIMD 2025 unless asked otherwise). */
  edition: WimdEdition;
  /** What the fair shares are: shares of LSOAs, or of imported child-population figures. */
  benchmark: "lsoas" | "population";
  precision: typeof PRECISION;
  /** The year is not over yet: its figures will still change. */
  inProgress: boolean;
  reach: ReachSection;
  growth: GrowthSection;
  persistence: PersistenceSection;
  depth: DepthSection;
  offer: OfferSection;
  /** Null for a school's report (schools see none of the child's-voice aggregates, ADR 0029). */
  voice: VoiceSection | null;
  /** The written summary: what went up, what went down, where the gap is, and the caveats (templates in `impact.summary.*`). */
  summary: SummaryLine[];
  /** Set when this is a kept release (ADR 0041): when it was published. Null: the figures as they are now. */
  published: { at: string } | null;
}
