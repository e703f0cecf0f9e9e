import { z } from "zod";
import { message, type MessageKey } from "../forms/messages";
import { MAX_AGE, MAX_QUARTER_HOURS, MIN_AGE } from "./options";

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
        if (!options.optional) ctx.addIssue({ code: "custom", message: message("activities.errors.hoursRequired") });
        return null;
      }
      if (!/^\d{1,3}(\.\d{1,3})?$/.test(text)) {
        ctx.addIssue({ code: "custom", message: message("activities.errors.hoursNumber") });
        return null;
      }
      const hours = Number(text);
      if (hours <= 0) ctx.addIssue({ code: "custom", message: message("activities.errors.hoursRequired") });
      else if (hours * 4 > MAX_QUARTER_HOURS) ctx.addIssue({ code: "custom", message: message("activities.errors.hoursTooMany") });
      else if (!Number.isInteger(hours * 4)) ctx.addIssue({ code: "custom", message: message("activities.errors.hoursQuarter") });
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
      ctx.addIssue({ code: "custom", message: message("activities.errors.priceInvalid") });
      return null;
    }
    return Math.round(Number(text) * 100);
  });

/** An age from MIN_AGE to MAX_AGE. */
export function ageField(required: MessageKey) {
  return z
    .string({ error: required })
    .trim()
    .min(1, { error: required })
    .regex(/^\d{1,2}$/, { error: message("activities.errors.ageRange") })
    .transform(Number)
    .refine((age) => age >= MIN_AGE && age <= MAX_AGE, { error: message("activities.errors.ageRange") });
}
