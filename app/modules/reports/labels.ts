import { receivedKey, type Translate } from "../i18n/i18n";
import type { Language } from "../db/schema";
import type { EquityReport, EquityRow } from "./equity.server";
import { pick } from "../i18n/bilingual";

/** What the report's rows are, for labels (shared by the page and the CSV). */
export interface LabelledRow {
  key: string | null;
  name: { en: string; cy: string } | null;
}

/** A row's group as a reader sees it: "Quintile 1 (most deprived)", a school's name, "Sport"… */
export function groupLabel(row: LabelledRow, by: string, t: Translate, lang: Language): string {
  if (row.key === null) return by === "school" ? t("reports.groups.noSchool") : t("reports.groups.notKnown");
  switch (by) {
    case "quintile":
      return row.key === "1"
        ? t("reports.groups.quintileMost")
        : row.key === "5"
          ? t("reports.groups.quintileLeast")
          : t("reports.groups.quintile", { n: row.key });
    case "decile":
      return row.key === "1" ? t("reports.groups.decileMost") : row.key === "10" ? t("reports.groups.decileLeast") : t("reports.groups.decile", { n: row.key });
    case "category":
      // The key is a category read from the database.
      return t(receivedKey(`categories.${row.key}`));
    default:
      return row.name ? pick(row.name, lang) : row.key;
  }
}

/** 0.4567 → "46%"; null → "" (hidden or not applicable). */
export function percent(value: number | null): string {
  return value === null ? "" : `${Math.round(value * 100)}%`;
}

/** Hours to one decimal place at most: 12, 2.5. */
export function hoursText(value: number | null): string {
  return value === null ? "" : String(Math.round(value * 10) / 10);
}

export type EquityColumn =
  | "group"
  | "enrolled"
  | "enrolledShare"
  | "fairShare"
  | "population"
  | "populationRate"
  | "active"
  | "participationRate"
  | "hours"
  | "hoursPerEnrolled"
  | "hoursPerActive"
  | "medianHoursPerActive"
  | "awards"
  | "activeMostDeprived"
  | "activeMostDeprivedShare";

/**
 * The columns of a report's table (the page and the CSV). With imported child-population
 * figures, the quintile, decile and LA tables add the population aged 5–14 and, for the
 * whole area, the share of it enrolled.
 */
export function equityColumns(report: Pick<EquityReport, "by"> & Partial<Pick<EquityReport, "benchmark" | "scope">>): readonly EquityColumn[] {
  const overlapping = report.by === "provider" || report.by === "category";
  if (overlapping) return ["group", "active", "hours", "hoursPerActive", "medianHoursPerActive", "activeMostDeprived", "activeMostDeprivedShare"];
  const withPopulation = report.benchmark === "population" && (report.by === "quintile" || report.by === "decile" || report.by === "la");
  return [
    "group",
    "enrolled",
    "enrolledShare",
    "fairShare",
    ...(withPopulation ? (["population"] as const) : []),
    ...(withPopulation && report.scope === "area" ? (["populationRate"] as const) : []),
    "active",
    "participationRate",
    "hours",
    "hoursPerEnrolled",
    "medianHoursPerActive",
    "awards",
  ];
}

/** A cell as published: counts as "12", "<5" or "*"; rates as "46%"; hidden or not applicable: "". */
export function cellText(row: EquityRow, column: Exclude<EquityColumn, "group">): string {
  switch (column) {
    case "enrolled":
    case "active":
    case "awards":
    case "activeMostDeprived":
      return row[column]?.shown ?? "";
    case "population":
      return row.population === null ? "" : String(row.population);
    case "enrolledShare":
    case "fairShare":
    case "populationRate":
    case "participationRate":
    case "activeMostDeprivedShare":
      return percent(row[column]);
    case "hours":
    case "hoursPerEnrolled":
    case "hoursPerActive":
    case "medianHoursPerActive":
      return hoursText(row[column]);
  }
}
