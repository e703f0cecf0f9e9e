import type { Language } from "../db/schema";
import { translator } from "../i18n/i18n";
import { csvDocument } from "../http/csv";
import type { EligibleChild } from "./eligibility.server";
import { pick } from "../i18n/bilingual";

/** A graduation's list as CSV (the one writer, http/csv.ts), headed in the reader's language. */
export function eligibilityCsv(rows: EligibleChild[], lang: Language, graduated: boolean): string {
  const t = translator(lang);
  const header = (["givenName", "familyName", "school", "award", "threshold", "hours", "guardian", graduated ? "attended" : "invited"] as const).map((column) =>
    t(`graduations.csv.${column}`),
  );
  const yes = t("graduations.csv.yes");
  const no = t("graduations.csv.no");
  const lines = [header];
  for (const row of rows) {
    lines.push([
      row.givenName,
      row.familyName,
      row.schoolName ?? "",
      pick({ en: row.awardNameEn, cy: row.awardNameCy }, lang),
      String(row.thresholdHours),
      String(row.hours),
      row.guardianLinked ? yes : no,
      (graduated ? row.attended : Boolean(row.invitedAt)) ? yes : no,
    ]);
  }
  return csvDocument(lines);
}
