import { z } from "zod";
import { message, type MessageKey } from "./messages";

// Field schemas for parseForm: each takes what a form field sends (a string, or nothing) and
// its messages as typed translation keys.

/** Absent or blank → null; otherwise trimmed and at most `max` characters. */
export function optionalText(max: number, tooLong: MessageKey) {
  return z
    .string()
    .optional()
    .transform((value) => value?.trim() || null)
    .refine((value) => value === null || value.length <= max, { error: tooLong });
}

export function requiredText(max: number, required: MessageKey, tooLong: MessageKey) {
  return z.string({ error: required }).trim().min(1, { error: required }).max(max, { error: tooLong });
}

/** Whatever was sent as it was, or "" when nothing was (an id a loader checks, a filter). */
export const anyText = z
  .string()
  .optional()
  .transform((value) => value ?? "");

/** Whatever was sent as it was, or null when the field was not sent at all (where absent and blank differ). */
export const sentText = z
  .string()
  .optional()
  .transform((value) => value ?? null);

/**
 * What was sent, trimmed ("" when nothing was), and cut at `max` characters when given: a
 * query's text, where a page reads what it can instead of explaining a length.
 */
export function trimmedText(max?: number) {
  return z
    .string()
    .optional()
    .transform((value) => (value ?? "").trim().slice(0, max));
}

/**
 * One of `options`, exactly as sent (a choice comes from a list, so spaces around it are not
 * one of them) unless `trim` is set; blank or absent → `fallback`, or refused with `invalid`
 * when there is none. Anything else is refused with `invalid`.
 */
export function choice<const T extends string, F extends T | null = never>(
  options: readonly T[],
  invalid: MessageKey,
  fallback?: F,
  { trim = false }: { trim?: boolean } = {},
) {
  return z
    .string()
    .optional()
    .transform((sent, ctx): T | F => {
      const value = trim ? sent?.trim() : sent;
      if (!value && fallback !== undefined) return fallback;
      if (value && options.includes(value as T)) return value as T;
      ctx.addIssue({ code: "custom", message: invalid });
      return z.NEVER;
    });
}

/** A checkbox: present (any value) means ticked. */
export const checkbox = z
  .string()
  .optional()
  .transform((value) => value !== undefined && value !== "");

/** True when the field was sent with exactly this value (a link's `figures=current`); anything else is false. */
export function flag(on: string) {
  return z
    .string()
    .optional()
    .transform((value) => value === on);
}

/** A yes/no question or confirmation box whose "yes" is the value "yes": anything else is no. */
export const yes = flag("yes");

/** Every value sent under one name (ticked boxes sharing a name), none → []. */
export const listField = z.array(z.string()).default([]);

/** Which of a form's buttons was pressed; anything else → null, for the action to refuse or ignore. */
export function intent<const T extends readonly [string, ...string[]]>(intents: T) {
  return z
    .string()
    .optional()
    .transform((value): T[number] | null => (intents.includes(value ?? "") ? (value as T[number]) : null));
}

/** An uploaded file, or null when none was chosen (an empty file input sends a nameless, empty file). */
export const fileField = z.unknown().transform((value) => (value instanceof File && (value.size > 0 || value.name !== "") ? value : null));

/** A whole number above zero, or blank for none. */
export function optionalCount(invalid: MessageKey, max = 10_000) {
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

export { message };
