import { z } from "zod";
import { resources } from "../i18n/i18n";
import type { FieldErrors, FormValues, ParsedForm } from "./form-result";
import type { MessageKey } from "./messages";

export type { FieldErrors, FormError, FormFailure, FormValues, ParsedForm } from "./form-result";

type Shape = Record<string, z.ZodType>;
type ShapeOutput<S extends Shape> = { [K in keyof S]: z.output<S[K]> };

/**
 * Checks submitted fields against a schema whose messages are translation keys (written with
 * `message()`, so the type checker knows them). Two kinds of schema:
 * - a zod schema for the whole form, checked at once;
 * - a record of field schemas, each checked on its own, then `crossCheck` on whatever parsed,
 *   so a person sees every problem at once (a zod object stops before its refinements when any
 *   one field fails). Errors come in the form's order, so the summary reads like the form.
 * A field whose schema is an array (`listField`) gets every value of its name; a file field its
 * File; any other field its first text. On failure, what was typed comes back (never passwords).
 */
export function parseForm<S extends Shape>(
  shape: S,
  formData: FormData | URLSearchParams,
  crossCheck?: (values: Partial<ShapeOutput<S>>) => FieldErrors,
): ParsedForm<ShapeOutput<S>>;
export function parseForm<S extends z.ZodType>(schema: S, formData: FormData | URLSearchParams): ParsedForm<z.output<S>>;
export function parseForm(
  schema: z.ZodType | Shape,
  formData: FormData | URLSearchParams,
  crossCheck?: (values: Record<string, unknown>) => FieldErrors,
): ParsedForm<unknown> {
  const fields: Shape = schema instanceof z.ZodType ? (schema instanceof z.ZodObject ? (schema.shape as Shape) : {}) : schema;
  const raw = rawFields(formData, fields);
  const values = typedValues(formData);
  const errors: FieldErrors = {};
  let data: Record<string, unknown> | unknown = {};
  if (schema instanceof z.ZodType) {
    const result = schema.safeParse(raw);
    if (result.success) data = result.data;
    else for (const issue of result.error.issues) errors[String(issue.path[0] ?? "form")] ??= messageKey(issue.message);
  } else {
    const parsed: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(schema)) {
      const result = field.safeParse(raw[name]);
      if (result.success) parsed[name] = result.data;
      else errors[name] = messageKey(result.error.issues[0]?.message);
    }
    for (const [name, error] of Object.entries(crossCheck?.(parsed) ?? {})) if (error) errors[name] ??= error;
    data = parsed;
  }
  if (Object.keys(errors).length === 0) return { ok: true, data };
  const ordered: FieldErrors = {};
  for (const name of [...Object.keys(fields), ...Object.keys(errors)]) if (errors[name]) ordered[name] ??= errors[name];
  return { ok: false, status: "error", errors: ordered, formError: null, values };
}

/**
 * What was typed, field by field, to show again after a refusal: the first text of each name,
 * never a password, never a file. parseForm gives it on failure; an action refused after the
 * form parsed (a check against the database) takes it here.
 */
export function typedValues(formData: FormData | URLSearchParams): FormValues {
  return Object.fromEntries(
    [...formData.entries()].filter((entry): entry is [string, string] => typeof entry[1] === "string" && !/password/i.test(entry[0])).reverse(),
  );
}

/** The submitted values a schema reads: lists whole, files as files, text as its first value. */
function rawFields(formData: FormData | URLSearchParams, fields: Shape) {
  const raw: Record<string, unknown> = {};
  for (const [name, value] of formData.entries()) {
    if (name in raw) continue;
    raw[name] = isList(fields[name]) ? formData.getAll(name).filter((item) => typeof item === "string") : value;
  }
  for (const [name, field] of Object.entries(fields)) if (!(name in raw) && isList(field)) raw[name] = [];
  return raw;
}

function isList(schema: z.ZodType | undefined): boolean {
  if (!schema) return false;
  if (schema instanceof z.ZodArray) return true;
  if (schema instanceof z.ZodPipe) return isList(schema.in as z.ZodType);
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) return isList(schema.unwrap() as z.ZodType);
  return false;
}

/**
 * The message as a translation key: one the strings have, else the general "Check this
 * answer" (zod's own English messages, for a check we did not word, never reach a page).
 */
export function messageKey(text: string | undefined): string {
  return text && isMessageKey(text) ? text : "forms.invalid";
}

const PLURAL_SUFFIXES = ["", "_one", "_other"];

export function isMessageKey(text: string): text is MessageKey {
  // In the browser the strings are not all there; forms are parsed on the server.
  const strings: unknown = resources?.en.translation;
  if (!strings) return true;
  const path = text.split(".");
  const last = path.pop()!;
  let node: unknown = strings;
  for (const part of path) node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  return PLURAL_SUFFIXES.some((suffix) => typeof (node as Record<string, unknown> | undefined)?.[last + suffix] === "string");
}
