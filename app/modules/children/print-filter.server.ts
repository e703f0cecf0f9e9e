import { z } from "zod";
import { parseForm } from "../forms/parse-form.server";

/** Which children a print run is for: a year group (0–13) and a class, each optional; anything else means all. */
export const printFilterFields = {
  yearGroup: z
    .string()
    .optional()
    .transform((year) => (year && /^\d{1,2}$/.test(year) && Number(year) <= 13 ? Number(year) : null)),
  className: z
    .string()
    .optional()
    .transform((name) => name?.slice(0, 30) || null),
};

export function printFilter(source: URLSearchParams | FormData) {
  const parsed = parseForm(printFilterFields, source);
  // Every field has a fallback, so the filter always parses.
  return parsed.ok ? parsed.data : { yearGroup: null, className: null };
}
