// Types and the page's reading of a form's answer: no zod, no strings, so the browser bundle stays small.

/** Field name → translation key of what is wrong with it, as parseForm gives it. */
export type FieldErrors = Record<string, string | undefined>;

/** A field's problem: a translation key, or a key with the values its message needs (a row number). */
export type FieldMessage = string | { key: string; values?: Record<string, string | number> };

/**
 * Field name → what is wrong with it, as a failure carries it: parseForm's keys, or a module's
 * messages with their values (the award ladder's "Level 4: …").
 */
export type FieldMessages = Record<string, FieldMessage | undefined>;

/** A problem with the form as a whole: a translation key, with a count or values where it needs them. */
export type FormError = FieldMessage | { key: string; count: number } | null | undefined;

/** What was typed, field by field (never passwords), to show again beside its error. */
export type FormValues = Record<string, string>;

/**
 * The one shape of a form that did not go through: every field's problem, the form's own
 * problem, and what was typed, so nothing is lost. Actions return it with a 4xx (`invalid()`
 * in read-form.server.ts); pages read it with `failureOf(useActionData())`.
 */
export interface FormFailure {
  status: "error";
  errors: FieldMessages;
  formError: FormError;
  values: FormValues;
}

export type ParsedForm<T> = { ok: true; data: T } | ({ ok: false } & FormFailure & { errors: FieldErrors });

/** What a page shows of its action's answer: the failure's errors and values, or none. */
export function failureOf(answer: unknown): { errors: FieldMessages; formError: FormError; values: Partial<FormValues> } {
  if (answer && typeof answer === "object" && (answer as { status?: unknown }).status === "error") {
    const failure = answer as FormFailure;
    return { errors: failure.errors, formError: failure.formError, values: failure.values };
  }
  return { errors: {}, formError: null, values: {} };
}
