/**
 * The one CSV writer: every CSV the app sends (the equity report, a graduation's list) is
 * made here, so formula escaping cannot be forgotten in one of them.
 *
 * A spreadsheet reads a cell as a formula when it starts with `=`, `+`, `-` or `@` (also
 * after spaces, and in their full-width forms), or with a tab, carriage return or line feed
 * (OWASP "CSV injection"); some read `1+cmd|…` as one too. So a cell is defused with a leading
 * apostrophe when it starts with one of those, or starts with a digit and holds an operator
 * — unless it is a plain number (`12`, `-3`, `2.5`, `46%`) or an ISO date, which stay as they
 * are so spreadsheets still count them. Cells holding a quote, comma, semicolon (the
 * separator of spreadsheets in some languages), tab or line break are quoted.
 */

const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?%?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const FORMULA_START = /^[ \u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20\t\r\n]/;
const DIGIT_THEN_OPERATOR = /^\d.*[=+\-*/^&|!@();<>]/s;

/** Whether a spreadsheet might run this cell: see above. */
export function readAsFormula(value: string): boolean {
  if (PLAIN_NUMBER.test(value) || ISO_DATE.test(value)) return false;
  return FORMULA_START.test(value) || DIGIT_THEN_OPERATOR.test(value);
}

/** One CSV field: never read as a formula, quoted when needed. */
export function csvField(value: string): string {
  const safe = readAsFormula(value) ? `'${value}` : value;
  return /[",;\t\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A whole CSV document: UTF-8 with a byte-order mark (so spreadsheets keep "Siân" and "Ŵyn"), CRLF line ends. */
export function csvDocument(lines: string[][]): string {
  return "\uFEFF" + lines.map((line) => line.map(csvField).join(",")).join("\r\n") + "\r\n";
}
