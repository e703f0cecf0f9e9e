/**
 * School terms in Wales, for the reports and the per-activity term cap: autumn
 * (September–December), spring (January–Easter, taken as the end of March) and summer
 * (April–August). Holidays fall inside the term they follow, so a cap counts every credit
 * exactly once. The ledger's SQL draws the same terms (`pasbort_term_from`, migration 0011,
 * checked against this for every day; the term cap in `pasbort_issue_credit`, migration 0013).
 */
export function termOf(date: string): { name: "autumn" | "spring" | "summer"; from: string; to: string } {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (month >= 9) return { name: "autumn", from: `${year}-09-01`, to: `${year}-12-31` };
  if (month <= 3) return { name: "spring", from: `${year}-01-01`, to: `${year}-03-31` };
  return { name: "summer", from: `${year}-04-01`, to: `${year}-08-31` };
}
