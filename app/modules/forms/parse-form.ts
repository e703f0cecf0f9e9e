import type { z } from "zod";

/** Field name → translation key of what is wrong with it. */
export type FieldErrors = Record<string, string | undefined>;

export type ParsedForm<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: Record<string, string> };

/**
 * Checks submitted form fields against a schema whose messages are translation keys. On
 * failure, hands back what was typed (never passwords) so the form can show it again.
 */
export function parseForm<S extends z.ZodType>(schema: S, formData: FormData): ParsedForm<z.output<S>> {
  const raw = Object.fromEntries([...formData.entries()].filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message.includes(".") && !issue.message.includes(" ") ? issue.message : "forms.invalid";
  }
  const values = Object.fromEntries(Object.entries(raw).filter(([name]) => !/password/i.test(name)));
  return { ok: false, errors, values };
}
