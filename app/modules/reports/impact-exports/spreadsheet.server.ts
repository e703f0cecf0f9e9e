import writeXlsxFile, { type Cell, type Sheet, type SheetData } from "write-excel-file/node";
import type { Language } from "../../db/schema";
import { translator } from "../../i18n/i18n";
import type { ImpactReport } from "../impact/types";
import { NOT_SHOWN, impactTables, reportFacts, summaryLines, type CellKind, type CellValue, type ExportTable } from "./tables.server";

/**
 * The impact report's figures as an XLSX workbook (issue 21, ADR 0040: write-excel-file, a
 * small writer on fflate, server-only): a notes sheet first (scope, period, edition,
 * disclosure control, licence, generated date, and the summary), then one sheet per table,
 * its title in the first row, its column headings in the second, then its rows and notes.
 * Figures are numbers (rates with a percentage format) so a reader can work with them; a
 * figure not shown is the page's "–". Every cell is written as a value, never as a formula,
 * so a name starting with "=" stays text.
 */

const bold = (value: string): Cell => ({ value, type: String, fontWeight: "bold" });

function cell(value: CellValue, kind: CellKind): Cell {
  if (value === null || value === "") return { value: NOT_SHOWN, type: String, align: "right" };
  if (typeof value === "string") return { value, type: String };
  if (kind === "rate") return { value, type: Number, format: "0%" };
  if (kind === "hours") return { value, type: Number, format: "0.#" };
  return { value, type: Number };
}

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique in the workbook. */
function sheetName(name: string, taken: Set<string>) {
  const base = name.replace(/[[\]:*?/\\]/g, " ").slice(0, 31);
  let candidate = base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base.slice(0, 31 - String(n).length - 1)} ${n}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

function tableSheet(table: ExportTable, name: string): Sheet<Buffer> {
  const data: SheetData = [
    [bold(table.title)],
    table.columns.map((column) => bold(column.label)),
    ...table.rows.map((row) =>
      row.cells.map((value, i) => {
        const made = cell(value, table.columns[i]!.kind);
        return row.total && made ? { ...(made as object), fontWeight: "bold" } : made;
      }),
    ),
    ...(table.notes.length ? [[null], ...table.notes.map((note) => [{ value: note, type: String, wrap: false }])] : []),
  ] as SheetData;
  return { data, sheet: name, columns: table.columns.map((_, i) => ({ width: i === 0 ? 36 : 16 })), stickyRowsCount: 2 };
}

export async function impactSpreadsheet(report: ImpactReport, lang: Language, generatedAt: Date, releasedAt: Date | null = null): Promise<Buffer> {
  const t = translator(lang);
  const facts = reportFacts(report, lang, generatedAt, releasedAt);
  const taken = new Set<string>();
  const notes: Sheet<Buffer> = {
    sheet: sheetName(t("impactExports.notes.sheet"), taken),
    columns: [{ width: 28 }, { width: 110 }],
    data: [
      [bold(facts.title), { value: `${facts.scopeName}, ${facts.yearName}`, type: String }],
      [null],
      ...facts.lines.map(([label, text]) => [bold(label), { value: text, type: String, wrap: true }]),
      [null],
      [bold(t("impactExports.summaryTitle"))],
      ...summaryLines(report, lang).map((line) => [null, { value: line, type: String, wrap: true }]),
    ] as SheetData,
  };
  const sheets = [notes, ...impactTables(report, lang).map((table) => tableSheet(table, sheetName(table.sheet, taken)))];
  return writeXlsxFile(sheets).toBuffer();
}
