import type { Language } from "../../db/schema";
import { pick } from "../../i18n/bilingual";
import { formatDate } from "../../i18n/format";
import { receivedKey, translator, type Translate } from "../../i18n/i18n";
import { RATING_BANDS } from "../child-voice";
import type { ProtectedCount } from "../disclosure.server";
import type { EquityGap } from "../equity-statistics";
import { gapSentence, signedPoints, trendSentence } from "../gap-words";
import type { GrowthPeriod, ImpactReport, ImpactRow, PersistenceRow } from "../impact/types";
import { groupLabel, hoursText, percent } from "../labels";

/**
 * The impact report's tables as the downloads lay them out (issue 21): one model read by the
 * PDF, the CSV and the spreadsheet, so the three show the same cells with the same labels
 * as each other. Every figure comes from the report object as published: a count of
 * children can only be put in a table from a ProtectedCount (the disclosure layer's brand),
 * so nothing here can publish a raw count.
 */

/**
 * What a column holds: `count` is a count of children (a multiple of 5, from the layer);
 * `rate` a share 0–1; `hours` hours or hours per child; `number` a public figure (the offer,
 * LSOAs, the census); `text` words.
 */
export type CellKind = "count" | "rate" | "hours" | "number" | "text";
export type CellValue = number | string | null;

export interface ExportColumn {
  label: string;
  kind: CellKind;
}

export interface ExportRow {
  cells: CellValue[];
  /** The table's total row (bold in the PDF). */
  total?: boolean;
}

/** A bar chart drawn beside its table: each bar's value and, where there is one, its marker (the fair share, or fifth 5's rate). */
export interface ExportChart {
  title: string;
  markerLabel: string;
  bars: Array<{ label: string; value: number | null; marker: number | null }>;
  /** The chart in words, one line a bar (its text alternative). */
  lines: string[];
}

export interface ExportTable {
  /** Stable id: "reach-quintile", "growth-terms"… (the CSV's section and the tests read it). */
  id: string;
  /** Its sheet's name in the spreadsheet (at most 31 characters, no []:*?/\). */
  sheet: string;
  title: string;
  columns: ExportColumn[];
  rows: ExportRow[];
  /** Notes printed under the table. */
  notes: string[];
  chart?: ExportChart;
}

/** How a figure not shown (too few children) or not applicable is written, as the page's tables show it. */
export const NOT_SHOWN = "–";

/** A cell as text: counts as published, rates as "46%", hours to one decimal place; not shown: "–". */
export function cellText(value: CellValue, kind: CellKind): string {
  if (value === null || value === "") return NOT_SHOWN;
  if (typeof value === "string") return value;
  switch (kind) {
    case "rate":
      return percent(value);
    case "hours":
      return hoursText(value);
    default:
      return String(value);
  }
}

/** A count of children: only a published one (the brand), as its published value. */
const count = (value: ProtectedCount | null | undefined): number | null => (value ? value.value : null);

const col = (label: string, kind: CellKind): ExportColumn => ({ label, kind });

function periodName(period: Pick<GrowthPeriod, "term" | "year">, t: Translate) {
  if (period.term) return t(`reports.trend.terms.${period.term}`, { year: period.year });
  return t("impact.growth.yearName", { from: period.year, to: period.year + 1 });
}

/** What the report covers, for the notes: its period, scope, edition and when it was made. */
export interface ReportFacts {
  title: string;
  scopeName: string;
  yearName: string;
  lines: Array<[string, string]>;
}

/**
 * `releasedAt`: when the year's report was published, for a download of its current figures
 * (said so, so the file cannot be taken for the published report); a release says its own date.
 */
export function reportFacts(report: ImpactReport, lang: Language, generatedAt: Date, releasedAt: Date | null = null): ReportFacts {
  const t = translator(lang);
  const release: Array<[string, string]> = report.published
    ? [[t("impactExports.notes.published"), t("impact.release.published", { date: formatDate(report.published.at, lang) })]]
    : releasedAt
      ? [[t("impactExports.notes.current"), t("impact.release.current", { date: formatDate(releasedAt, lang) })]]
      : [];
  const from = Number(report.year.slice(0, 4));
  const scopeName = pick(report.scope.name, lang);
  return {
    title: t("impact.title"),
    scopeName,
    yearName: t("impact.year", { from, to: from + 1 }),
    lines: [
      ...release,
      [t("impactExports.notes.scope"), `${scopeName}. ${t(`impact.scope.${report.scope.kind}`)}`],
      [t("impactExports.notes.period"), `${t("impact.year", { from, to: from + 1 })}: ${formatDate(report.from, lang)} – ${formatDate(report.to, lang)}`],
      [t("impactExports.notes.edition"), `${t(`reports.editions.${report.edition}`)}. ${t(`reports.editionNote.${report.edition}`)}`],
      [t("impactExports.notes.method"), t("reports.table.suppression")],
      [t("impactExports.notes.marker"), t("impactExports.notes.markerText", { marker: NOT_SHOWN })],
      [t("impactExports.notes.benchmark"), t(`reports.benchmark.${report.benchmark}`)],
      [t("impactExports.notes.definitions"), t("reports.table.definitions")],
      [t("impactExports.notes.reproduce"), t("impact.method.reproduce")],
      ...(report.inProgress ? ([[t("impactExports.notes.inProgress"), t("impact.inProgress")]] as Array<[string, string]>) : []),
      [t("impactExports.notes.licence"), t("reports.licence")],
      [t("impactExports.notes.generated"), formatDate(generatedAt, lang)],
    ],
  };
}

/** The written summary in one language: the report's fixed templates, filled. */
export function summaryLines(report: ImpactReport, lang: Language): string[] {
  const t = translator(lang);
  return report.summary.map((line) => t(receivedKey(line.key), line.values));
}

/** The gap between the most and least deprived fifths in plain words, with its interval (or why it is not shown). */
export function gapWords(gap: EquityGap, lang: Language): string[] {
  const t = translator(lang);
  const sentence = gapSentence(gap, t);
  return sentence ? [sentence, t("reports.summary.intervalNote")] : [t("reports.summary.gapHidden")];
}

/** Every table of the report, in the page's order, in one language. */
export function impactTables(report: ImpactReport, lang: Language): ExportTable[] {
  const t = translator(lang);
  const { reach, growth, persistence, depth, offer, voice } = report;
  const withPopulation = report.benchmark === "population";
  const tables: ExportTable[] = [];
  const fifth = (key: string | null) => groupLabel({ key, name: null }, "quintile", t, lang);

  const reachTable = (id: string, sheet: string, title: string, rows: ImpactRow[], by: "quintile" | "la" | "school", chart?: ExportChart): ExportTable => {
    const fair = by !== "school";
    const population = withPopulation && by !== "school";
    return {
      id,
      sheet,
      title,
      columns: [
        col(t("impact.columns.group"), "text"),
        col(t("impact.columns.enrolled"), "count"),
        col(t("impact.columns.active"), "count"),
        col(t("impact.columns.participationRate"), "rate"),
        col(t("impact.columns.activeShare"), "rate"),
        ...(fair ? [col(t("impact.columns.fairShare"), "rate")] : []),
        ...(population ? [col(t("impact.columns.population"), "number"), col(t("impact.columns.populationRate"), "rate")] : []),
        col(t("impact.columns.hours"), "hours"),
        col(t("impact.columns.hoursPerActive"), "hours"),
        col(t("impact.columns.medianHoursPerActive"), "hours"),
        col(t("impact.columns.awards"), "count"),
      ],
      rows: [...rows, reach.total].map((row) => ({
        total: row === reach.total,
        cells: [
          row === reach.total ? t("impact.total") : groupLabel({ key: row.key, name: row.name }, by, t, lang),
          count(row.enrolled),
          count(row.active),
          row.participationRate,
          row.activeShare,
          ...(fair ? [row.fairShare] : []),
          ...(population ? [row.population, row.populationRate] : []),
          row.hours,
          row.hoursPerActive,
          row.medianHoursPerActive,
          count(row.awards),
        ],
      })),
      notes: [],
      chart,
    };
  };

  const quintileBars = reach.byQuintile
    .filter((row) => row.key !== null)
    .map((row) => ({ label: fifth(row.key), value: row.activeShare, marker: row.fairShare }));
  tables.push(
    reachTable("reach-quintile", t("impactExports.sheets.reachQuintile"), t("impact.reach.byQuintile"), reach.byQuintile, "quintile", {
      title: t("impact.reach.chartTitle"),
      markerLabel: t("reports.chart.fairShare"),
      bars: quintileBars,
      lines: quintileBars.map((bar) =>
        bar.value === null
          ? t("impact.chartBarHidden", { group: bar.label })
          : bar.marker === null
            ? t("impact.chartBar", { group: bar.label, value: percent(bar.value) })
            : t("impact.chartBarWithFair", { group: bar.label, value: percent(bar.value), fair: percent(bar.marker) }),
      ),
    }),
  );
  tables[0]!.notes.push(t("impact.reach.intro"), ...gapWords(reach.gap, lang));
  if (report.scope.kind !== "la") {
    tables.push(reachTable("reach-la", t("impactExports.sheets.reachLa"), t("impact.reach.byLocalAuthority"), reach.byLocalAuthority, "la"));
  }
  if (report.scope.kind !== "school") {
    tables.push(reachTable("reach-school", t("impactExports.sheets.reachSchool"), t("impact.reach.bySchool"), reach.bySchool, "school"));
  }

  const growthColumns = [
    col(t("impact.columns.period"), "text"),
    col(t("impact.columns.enrolled"), "count"),
    col(t("impact.columns.active"), "count"),
    col(t("impact.columns.participationRate"), "rate"),
    col(t("impact.columns.hours"), "hours"),
    col(t("impact.columns.hoursPerActive"), "hours"),
  ];
  const growthRow = (period: GrowthPeriod): ExportRow => ({
    cells: [periodName(period, t), count(period.enrolled), count(period.active), period.participationRate, period.hours, period.hoursPerActive],
  });
  tables.push({
    id: "growth-terms",
    sheet: t("impactExports.sheets.growthTerms"),
    title: t("impact.growth.termsTable"),
    columns: growthColumns,
    rows: growth.terms.map(growthRow),
    notes: [t("impact.growth.intro")],
  });
  const yoy = growth.yearOnYear;
  tables.push({
    id: "growth-years",
    sheet: t("impactExports.sheets.growthYears"),
    title: t("impact.growth.yearsTable"),
    columns: growthColumns,
    rows: [...(growth.lastYear ? [growthRow(growth.lastYear)] : []), growthRow(growth.thisYear)],
    notes: yoy
      ? [
          `${t("impact.growth.changeEnrolled")}: ${signed(yoy.enrolledChange)}`,
          `${t("impact.growth.changeActive")}: ${signed(yoy.activeChange)}`,
          `${t("impact.growth.changeHours")}: ${yoy.hoursChange === null ? NOT_SHOWN : signed(yoy.hoursChange)}`,
          `${t("impact.growth.changeRate")}: ${
            yoy.participationRateChange === null ? NOT_SHOWN : t("impact.growth.changePoints", { points: signedPoints(yoy.participationRateChange) })
          }`,
          ...(growth.lastYearPublishedAt ? [t("impact.release.lastYearPublished", { date: formatDate(growth.lastYearPublishedAt, lang) })] : []),
        ]
      : [t("impact.growth.noLastYear")],
  });

  // The gap, term by term: the trend chart (fifth 1's bars, fifth 5's marker) with its table and intervals in words.
  const trendBars = growth.terms.map((term) => ({ label: periodName(term, t), value: term.q1ParticipationRate, marker: term.q5ParticipationRate }));
  tables.push({
    id: "gap-trend",
    sheet: t("impactExports.sheets.gapTrend"),
    title: t("impact.sections.gapTrend"),
    columns: [
      col(t("reports.trend.term"), "text"),
      col(t("reports.trend.q1Rate"), "rate"),
      col(t("reports.trend.q5Rate"), "rate"),
      col(t("reports.trend.difference"), "text"),
      col(t("reports.trend.interval"), "text"),
      col(t("reports.trend.verdict"), "text"),
    ],
    rows: [...growth.terms, growth.thisYear].map((period) => {
      const { gap } = period;
      const interval = gap.participationDifferenceInterval;
      return {
        total: period === growth.thisYear,
        cells: [
          periodName(period, t),
          period.q1ParticipationRate,
          period.q5ParticipationRate,
          gap.participationDifference === null ? null : t("reports.trend.points", { points: signedPoints(gap.participationDifference) }),
          interval ? t("reports.trend.intervalRange", { low: signedPoints(interval.low), high: signedPoints(interval.high) }) : null,
          gap.verdict ? t(`reports.trend.verdicts.${gap.verdict}`) : null,
        ],
      };
    }),
    notes: [
      t("impact.gapTrend.intro"),
      ...growth.terms.map((term) => trendSentence(term.gap, periodName(term, t), t) ?? t("reports.trend.summaryHidden", { term: periodName(term, t) })),
      t("reports.summary.intervalNote"),
    ],
    chart: {
      title: t("impact.gapTrend.chartTitle"),
      markerLabel: t("reports.trend.chartMarker"),
      bars: trendBars,
      lines: trendBars.map((bar) =>
        bar.value === null && bar.marker === null
          ? t("reports.trend.summaryHidden", { term: bar.label })
          : t("impact.chartTermBar", { term: bar.label, q1: percent(bar.value) || t("impact.hidden"), q5: percent(bar.marker) || t("impact.hidden") }),
      ),
    },
  });

  const persistenceRow = (row: PersistenceRow, label: string, total = false): ExportRow => ({
    total,
    cells: [label, count(row.activeLastYear), count(row.activeAgain), row.rate],
  });
  tables.push({
    id: "persistence",
    sheet: t("impactExports.sheets.persistence"),
    title: t("impact.sections.persistence"),
    columns: [
      col(t("impact.columns.group"), "text"),
      col(t("impact.columns.activeLastYear"), "count"),
      col(t("impact.columns.activeAgain"), "count"),
      col(t("impact.columns.persistenceRate"), "rate"),
    ],
    rows: persistence.lastYearId
      ? [...persistence.byQuintile.map((row) => persistenceRow(row, fifth(row.key))), persistenceRow(persistence.total, t("impact.total"), true)]
      : [],
    notes: [persistence.lastYearId ? t("impact.persistence.intro") : t("impact.persistence.none")],
  });

  tables.push({
    id: "depth-quintile",
    sheet: t("impactExports.sheets.depthQuintile"),
    title: t("impact.sections.depth"),
    columns: [
      col(t("impact.columns.group"), "text"),
      col(t("impact.columns.hoursPerActive"), "hours"),
      col(t("impact.columns.medianHoursPerActive"), "hours"),
      col(t("impact.columns.awards"), "count"),
    ],
    rows: [
      ...depth.byQuintile.map((row) => ({ cells: [fifth(row.key), row.hoursPerActive, row.medianHoursPerActive, count(row.awards)] })),
      { total: true, cells: [t("impact.total"), depth.hoursPerActive, depth.medianHoursPerActive, count(depth.awards)] },
    ],
    notes: [
      t("impact.depth.intro"),
      depth.hours === null
        ? t("impact.depth.totalsHidden")
        : t("impact.depth.totals", {
            hours: hoursText(depth.hours),
            perActive: hoursText(depth.hoursPerActive) || t("impact.hidden"),
            median: hoursText(depth.medianHoursPerActive) || t("impact.hidden"),
          }),
    ],
  });
  tables.push({
    id: "depth-levels",
    sheet: t("impactExports.sheets.depthLevels"),
    title: t("impact.depth.levelsTable"),
    columns: [col(t("impact.columns.level"), "text"), col(t("impact.columns.threshold"), "number"), col(t("impact.columns.reached"), "count")],
    rows: depth.awardsByLevel.map((level) => ({ cells: [pick(level.name, lang), level.thresholdHours, count(level.reached)] })),
    notes: depth.awardsByLevel.length ? [] : [t("impact.depth.noLevels")],
  });
  tables.push({
    id: "graduations",
    sheet: t("impactExports.sheets.graduations"),
    title: t("impactExports.graduations.title"),
    columns: [
      col(t("impactExports.graduations.held"), "number"),
      col(t("impactExports.graduations.invited"), "count"),
      col(t("impactExports.graduations.attended"), "count"),
      col(t("impactExports.graduations.rate"), "rate"),
    ],
    rows: [{ cells: [depth.graduationsHeld, count(depth.graduatesInvited), count(depth.graduatesAttended), depth.attendanceRate] }],
    notes: [],
  });

  const laName = (row: { key: string | null; name: { en: string; cy: string } | null }) =>
    row.key === null ? t("impact.offer.notKnownLa") : row.name ? pick(row.name, lang) || row.key : row.key;
  tables.push({
    id: "offer-la",
    sheet: t("impactExports.sheets.offerLa"),
    title: t("impact.offer.byLocalAuthority"),
    columns: [
      col(t("impact.columns.group"), "text"),
      col(t("impact.columns.activities"), "number"),
      col(t("impact.columns.freeOrLowCost"), "number"),
      col(t("impact.columns.welsh"), "number"),
    ],
    rows: [
      ...offer.byLocalAuthority.map((row) => ({ cells: [laName(row), row.activities, row.freeOrLowCost, row.welsh] })),
      { total: true, cells: [t("impact.total"), offer.activities, offer.freeOrLowCost, offer.welsh] },
    ],
    notes: [
      t("impact.offer.intro"),
      offer.activities
        ? t("impact.offer.totals", {
            destinations: offer.destinations,
            activities: offer.activities,
            free: offer.freeOrLowCost,
            freeShare: percent(offer.freeOrLowCostShare),
            welsh: offer.welsh,
            welshShare: percent(offer.welshShare),
          })
        : t("impact.offer.none"),
    ],
  });
  tables.push({
    id: "offer-reach",
    sheet: t("impactExports.sheets.offerReach"),
    title: t("impact.offer.withinReach"),
    columns: [
      col(t("impact.columns.group"), "text"),
      col(t("impact.columns.lsoas"), "number"),
      col(t("impact.columns.activitiesPerLsoa"), "number"),
      col(t("impact.columns.withFreeOrLowCost"), "rate"),
      col(t("impact.columns.withWelsh"), "rate"),
    ],
    rows: offer.withinReach.map((row) => ({ cells: [fifth(row.key), row.lsoas, row.activitiesPerLsoa, row.withFreeOrLowCost, row.withWelsh] })),
    notes: [t("impact.offer.rule")],
  });

  if (voice) {
    const bandColumns = RATING_BANDS.map((band) => col(t(`childVoiceReport.bands.${band}`), "count"));
    tables.push({
      id: "voice-ratings",
      sheet: t("impactExports.sheets.voiceRatings"),
      title: t("impact.voice.ratingsTable"),
      columns: [col(t("impact.columns.group"), "text"), ...bandColumns, col(t("childVoiceReport.ratings"), "count")],
      rows: [
        ...voice.ratings.rows.map((row) => ({
          cells: [
            row.key ? t(receivedKey(`categories.${row.key}`)) : t("reports.groups.notKnown"),
            ...RATING_BANDS.map((band) => count(row.bands[band])),
            count(row.ratings),
          ],
        })),
        {
          total: true,
          cells: [t("childVoiceReport.total"), ...RATING_BANDS.map((band) => count(voice.ratings.total.bands[band])), count(voice.ratings.total.ratings)],
        },
      ],
      notes: [
        t("impact.voice.intro"),
        voice.children === "la" ? t("impact.voice.childrenLa") : t("impact.voice.childrenArea"),
        ...(voice.ratings.rows.length ? [] : [t("impact.voice.noRatings")]),
      ],
    });
    const wishes = voice.wishes;
    tables.push({
      id: "voice-wishes",
      sheet: t("impactExports.sheets.voiceWishes"),
      title: t("impact.voice.wishesTable"),
      columns: wishes
        ? [
            col(t("impact.voice.wish"), "text"),
            ...wishes.groups.map((group) => col(`${t("impact.voice.children")}: ${fifth(group.key)}`, "count")),
            col(`${t("impact.voice.children")}: ${t("impact.total")}`, "count"),
            col(t("impact.voice.offered"), "number"),
          ]
        : [col(t("impact.voice.wish"), "text")],
      rows: wishes
        ? wishes.rows.map((row) => ({
            cells: [
              row.wish === "something_else" ? t("childVoice.somethingElse") : t(`categories.${row.wish}`),
              ...row.children.map(count),
              count(row.childrenTotal),
              row.offeredTotal,
            ],
          }))
        : [],
      notes: wishes ? [] : [t("impact.voice.wishesPast")],
    });
  }
  return tables;
}

const signed = (value: number | null) => (value === null ? NOT_SHOWN : value > 0 ? `+${value}` : value < 0 ? `−${-value}` : "0");
