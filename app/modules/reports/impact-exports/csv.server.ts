import type { Language } from "../../db/schema";
import { csvDocument } from "../../http/csv";
import type { ImpactReport } from "../impact/types";
import { cellText, impactTables, reportFacts, summaryLines } from "./tables.server";

/**
 * The impact report's figures as one CSV (issue 21), in the reader's language: what the
 * report covers and how its figures are made first (a CSV travels without the page that
 * says so), then the summary, then each table under its title with its notes. Written by
 * the app's one CSV writer (formula-escaped, BOM, CRLF); every line is padded to the widest
 * table so that strict readers take the file.
 */
export function impactCsv(report: ImpactReport, lang: Language, generatedAt: Date, releasedAt: Date | null = null): string {
  const facts = reportFacts(report, lang, generatedAt, releasedAt);
  const tables = impactTables(report, lang);
  const width = Math.max(2, ...tables.map((table) => table.columns.length));
  const lines: string[][] = [];
  const line = (...cells: string[]) => lines.push([...cells, ...Array.from({ length: width - cells.length }, () => "")]);

  line(facts.title, `${facts.scopeName}, ${facts.yearName}`);
  for (const [label, text] of facts.lines) line(label, text);
  line();
  for (const sentence of summaryLines(report, lang)) line(sentence);
  for (const table of tables) {
    line();
    line(table.title);
    line(...table.columns.map((column) => column.label));
    for (const row of table.rows) line(...row.cells.map((cell, i) => cellText(cell, table.columns[i]!.kind)));
    for (const note of table.notes) line(note);
  }
  return csvDocument(lines);
}
