// Types and the page's reading of a form's answer: no zod, no strings, so the browser bundle stays small.

/** Field name → translation key of what is wrong with it. */
export type FieldErrors = Record<string, string | undefined>;

/** A problem with the form as a whole: a translation key, with a count where it needs one. */
export type FormError = string | { key: string; count: number } | null | undefined;

/** What was typed, field by field (never passwords), to show again beside its error. */
export type FormValues = Record<string, string>;

/**
 * The one shape of a form that did not go through: every field's problem, the form's own
 * problem, and what was typed, so nothing is lost. Actions return it with a 4xx (`invalid()`
 * in read-form.server.ts); pages read it with `failureOf(useActionData())`.
 */
export interface FormFailure {
  status: "error";
  errors: FieldErrors;
  formError: FormError;
  values: FormValues;
}

export type ParsedForm<T> = { ok: true; data: T } | ({ ok: false } & FormFailure);

/** What a page shows of its action's answer: the failure's errors and values, or none. */
export function failureOf(answer: unknown): { errors: FieldErrors; formError: FormError; values: Partial<FormValues> } {
  if (answer && typeof answer === "object" && (answer as { status?: unknown }).status === "error") {
    const failure = answer as FormFailure;
    return { errors: failure.errors, formError: failure.formError, values: failure.values };
  }
  return { errors: {}, formError: null, values: {} };
}
