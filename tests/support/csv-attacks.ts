import { parse } from "csv-parse/sync";
import { readAsFormula } from "~/modules/http/csv";

/** Values an attacker might give a name, a school or a provider (OWASP CSV injection), each starting a formula. */
export const FORMULA_ATTACKS = [
  "-1+cmd|' /C calc'!A0",
  '=HYPERLINK("http://evil.example","x")',
  "+1+1",
  "@SUM(A1:A2)",
  "\t=1+1",
  "\r=1+1",
  "\n=1+1",
  "  =1+1",
  "\uff1d1+1",
  "1+cmd|' /C calc'!A0",
  "-",
  "--1",
  "-1e3",
];

/** A CSV the app sent, read as a spreadsheet would split it; throws if any cell would run as a formula. */
export function cellsOf(text: string): string[][] {
  const rows: string[][] = parse(text, { bom: true });
  for (const cell of rows.flat()) if (readAsFormula(cell)) throw new Error(`A CSV cell would run as a formula: ${JSON.stringify(cell)}`);
  return rows;
}
