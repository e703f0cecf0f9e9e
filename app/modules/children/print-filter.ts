/** The year group and class chosen on the printing page ("" = all). */
export function printFilter(source: URLSearchParams | FormData) {
  const year = String(source.get("yearGroup") ?? "");
  const className = String(source.get("className") ?? "").slice(0, 30);
  return {
    yearGroup: /^\d{1,2}$/.test(year) && Number(year) <= 13 ? Number(year) : null,
    className: className || null,
  };
}
