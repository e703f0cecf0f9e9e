/**
 * School terms in Wales, for the per-activity term cap: autumn (September–December),
 * spring (January–Easter, taken as the end of March) and summer (April–August). Holidays
 * fall inside the term they follow, so a cap counts every credit exactly once.
 */
export function termOf(date: string): { name: "autumn" | "spring" | "summer"; from: string; to: string } {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (month >= 9) return { name: "autumn", from: `${year}-09-01`, to: `${year}-12-31` };
  if (month <= 3) return { name: "spring", from: `${year}-01-01`, to: `${year}-03-31` };
  return { name: "summer", from: `${year}-04-01`, to: `${year}-08-31` };
}
