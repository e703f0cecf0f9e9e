import type { Language } from "../db/schema";
import { translator } from "../i18n/i18n";
import type { EquityReport } from "./equity.server";
import { csvDocument } from "../http/csv";
import { cellText, equityColumns, groupLabel } from "./labels";

/**
 * The report as CSV, with the same (already protected) figures as the page, headed in the reader's language.
 * Below the table: what the figures count, how precise they are, which deprivation index the groups use, and the licence of its figures (a
 * CSV travels without the page that said so), padded to the table's width so that every
 * line has as many fields as the header and strict readers take the file.
 */
export function equityCsv(report: EquityReport, lang: Language): string {
  const t = translator(lang);
  const columns = equityColumns(report);
  const lines = [columns.map((column) => t(`reports.columns.${column}`))];
  for (const row of report.rows) lines.push(columns.map((column) => (column === "group" ? groupLabel(row, report.by, t, lang) : cellText(row, column))));
  lines.push(columns.map((column) => (column === "group" ? t("reports.groups.total") : cellText(report.total, column))));
  const note = (text: string) => [text, ...columns.slice(1).map(() => "")];
  lines.push(note(`${t("reports.table.definitions")}${report.scope === "provider" ? ` ${t("reports.table.definitionsProvider")}` : ""}`));
  // The figures' precision and, for a custom period, that it is not for publication: a CSV
  // travels without the page that says so.
  if (report.internalUse) lines.push(note(t("reports.internalUse")));
  lines.push(note(t("reports.table.suppression")));
  lines.push(note(t(`reports.editionNote.${report.edition}`)));
  if (report.domain)
    lines.push(note(t("reports.domainNote", { domain: t(`reports.domains.${report.domain}`), edition: t(`reports.editions.${report.edition}`) })));
  lines.push(note(t("reports.licence")));
  return csvDocument(lines);
}
