import { z } from "zod";
import type { FieldErrors, ParsedForm } from "../forms/parse-form";
import { MAX_AGE, MAX_QUARTER_HOURS, MIN_AGE } from "./options";

/**
 * Field-by-field form parsing. Each field is checked on its own, then the checks between
 * fields run on whatever parsed, so a person sees every problem at once (a zod object stops
 * before its refinements when any one field fails). Messages are translation keys.
 */
export function parseFields<S extends Record<string, z.ZodType>>(
  shape: S,
  formData: FormData,
  crossCheck?: (values: Partial<{ [K in keyof S]: z.output<S[K]> }>) => FieldErrors,
): ParsedForm<{ [K in keyof S]: z.output<S[K]> }> {
  const raw: Record<string, string> = {};
  for (const [name, value] of formData.entries()) if (typeof value === "string" && !(name in raw)) raw[name] = value;
  const errors: FieldErrors = {};
  const values: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(shape)) {
    const result = schema.safeParse(raw[name]);
    if (result.success) values[name] = result.data;
    else errors[name] = keyOf(result.error.issues[0]?.message);
  }
  if (crossCheck) {
    for (const [name, error] of Object.entries(crossCheck(values as never))) {
      if (error) errors[name] ??= error;
    }
  }
  if (Object.keys(errors).length > 0) {
    // In the form's order, so the error summary reads top to bottom like the form.
    const ordered: FieldErrors = {};
    for (const name of [...Object.keys(shape), ...Object.keys(errors)]) if (errors[name]) ordered[name] ??= errors[name];
    return { ok: false, errors: ordered, values: raw };
  }
  return { ok: true, data: values as { [K in keyof S]: z.output<S[K]> } };
}

function keyOf(message: string | undefined) {
  return message && message.includes(".") && !message.includes(" ") ? message : "forms.invalid";
}

/** Absent or blank → null; otherwise trimmed and at most `max` characters. */
export function optionalText(max: number, tooLong: string) {
  return z
    .string()
    .optional()
    .transform((value) => value?.trim() || null)
    .refine((value) => value === null || value.length <= max, { error: tooLong });
}

export function requiredText(max: number, required: string, tooLong: string) {
  return z.string({ error: required }).trim().min(1, { error: required }).max(max, { error: tooLong });
}

/** A checkbox: present (any value) means ticked. */
export const checkbox = z
  .string()
  .optional()
  .transform((value) => value !== undefined && value !== "");

/**
 * Credit hours as people type them ("1.5", "1,5", "2") → quarter hours. At most 8 hours, in
 * quarter-hour steps: the Children's University counts hours, and a quarter is the smallest part.
 */
export function hoursField(options: { optional?: boolean } = {}) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      const text = value?.trim().replace(",", ".") ?? "";
      if (!text) {
        if (!options.optional) ctx.addIssue({ code: "custom", message: "activities.errors.hoursRequired" });
        return null;
      }
      if (!/^\d{1,3}(\.\d{1,3})?$/.test(text)) {
        ctx.addIssue({ code: "custom", message: "activities.errors.hoursNumber" });
        return null;
      }
      const hours = Number(text);
      if (hours <= 0) ctx.addIssue({ code: "custom", message: "activities.errors.hoursRequired" });
      else if (hours * 4 > MAX_QUARTER_HOURS) ctx.addIssue({ code: "custom", message: "activities.errors.hoursTooMany" });
      else if (!Number.isInteger(hours * 4)) ctx.addIssue({ code: "custom", message: "activities.errors.hoursQuarter" });
      return Math.round(hours * 4);
    });
}

/** A price in pounds ("2.50", "£2.50", "2") → pence; blank → null. */
export const priceField = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const text = value?.trim().replace(/^£/, "").replace(",", ".") ?? "";
    if (!text) return null;
    if (!/^\d{1,4}(\.\d{1,2})?$/.test(text)) {
      ctx.addIssue({ code: "custom", message: "activities.errors.priceInvalid" });
      return null;
    }
    return Math.round(Number(text) * 100);
  });

/** An age from MIN_AGE to MAX_AGE. */
export function ageField(required: string) {
  return z
    .string({ error: required })
    .trim()
    .min(1, { error: required })
    .regex(/^\d{1,2}$/, { error: "activities.errors.ageRange" })
    .transform(Number)
    .refine((age) => age >= MIN_AGE && age <= MAX_AGE, { error: "activities.errors.ageRange" });
}

/** A whole number above zero, or blank for none. */
export function optionalCount(invalid: string, max = 10_000) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      const text = value?.trim() ?? "";
      if (!text) return null;
      const count = Number(text);
      if (!/^\d+$/.test(text) || count < 1 || count > max) {
        ctx.addIssue({ code: "custom", message: invalid });
        return null;
      }
      return count;
    });
}
