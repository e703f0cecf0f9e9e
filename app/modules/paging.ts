/** One page of a list already in memory, for lists that are worked out whole (their counts need every row). */
export function pageOfRows<T>(rows: T[], requested: string | null, size: number) {
  const total = rows.length;
  const pageCount = Math.max(1, Math.ceil(total / size));
  const asked = Number(requested);
  // A page past the end (the list shrank since the link was made) shows the last one.
  const page = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, pageCount) : 1;
  const start = (page - 1) * size;
  return { page, pageCount, total, from: total ? start + 1 : 0, to: Math.min(start + size, total), items: rows.slice(start, start + size) };
}
