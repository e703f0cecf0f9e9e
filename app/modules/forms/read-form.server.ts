import { data, MaxPartSizeExceededError, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import type { z } from "zod";
import { resolveLanguage } from "../i18n/language.server";
import type { FieldErrors, FieldMessages, FormError, FormFailure, FormValues, ParsedForm } from "./form-result";
import { parseForm } from "./parse-form.server";

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

/**
 * The one way an action reads a submitted form. What is not a form (text/plain, JSON, a
 * multipart body that does not parse) is refused with 415 or 400, which the error page shows
 * in the person's language (carried in the answer: the root loader does not run when an
 * action fails), instead of failing as a 500. `uploads` receives the files of a
 * multipart form (an upload over its limit still throws MaxPartSizeExceededError, for the
 * route to explain).
 */
export async function readFormData(request: Request, uploads?: UploadHandler): Promise<FormData> {
  const mediaType = request.headers.get("Content-Type")?.split(";")[0]!.trim().toLowerCase() ?? "";
  if (!FORM_TYPES.has(mediaType)) throw data({ lang: await resolveLanguage(request) }, { status: 415, statusText: "Unsupported Media Type" });
  try {
    return uploads && mediaType === "multipart/form-data" ? await unstable_parseMultipartFormData(request, uploads) : await request.formData();
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) throw error;
    throw data({ lang: await resolveLanguage(request) }, { status: 400, statusText: "Bad Request" });
  }
}

/**
 * Reads the submitted form (as readFormData does, refusing what is not a form) and checks it
 * against its schema (parseForm): the one way an action takes a form.
 */
export async function readForm<S extends Record<string, z.ZodType>>(
  request: Request,
  shape: S,
  crossCheck?: (values: Partial<{ [K in keyof S]: z.output<S[K]> }>) => FieldErrors,
): Promise<ParsedForm<{ [K in keyof S]: z.output<S[K]> }>>;
export async function readForm<S extends z.ZodType>(request: Request, schema: S): Promise<ParsedForm<z.output<S>>>;
export async function readForm(request: Request, schema: z.ZodType | Record<string, z.ZodType>, crossCheck?: (values: never) => FieldErrors) {
  return parseForm(schema as never, await readFormData(request), crossCheck);
}

/**
 * The answer to a form that did not go through: the one FormFailure shape, with a 4xx (400
 * unless said), so the page shows each problem beside its field and keeps what was typed.
 * `extra` carries what else the page needs to show again (it never replaces the failure's own fields).
 */
export function invalid<Extra extends object = object>(
  failure: { errors?: FieldMessages; formError?: FormError; values?: FormValues },
  status = 400,
  extra?: Extra,
) {
  const body: FormFailure & Extra = {
    ...(extra as Extra),
    status: "error",
    errors: failure.errors ?? {},
    formError: failure.formError ?? null,
    values: failure.values ?? {},
  };
  return data(body, { status });
}

type Values<S extends Record<string, z.ZodType>> = { [K in keyof S]: z.output<S[K]> };

/**
 * For forms whose every field has a fallback (an id the module checks, a choice, a tick): the
 * values themselves. Should a field still fail (a file sent where text belongs), the answer is
 * a 400 in the person's language (carried in the answer, as readFormData does), never a 500.
 */
export async function readValues<S extends Record<string, z.ZodType>>(request: Request, shape: S): Promise<Values<S>> {
  return parseValues(request, await readFormData(request), shape);
}

/** readValues on a form already read: for fields named after another's value (a child's own postcode box). */
export async function parseValues<S extends Record<string, z.ZodType>>(request: Request, formData: FormData, shape: S): Promise<Values<S>> {
  const parsed = parseForm(shape, formData);
  if (!parsed.ok) throw data({ lang: await resolveLanguage(request), errors: parsed.errors }, { status: 400, statusText: "Bad Request" });
  return parsed.data;
}

/**
 * readValues for a page's query (a loader's filters, or what its form shows again): fields
 * that each have a fallback (`anyText`, `trimmedText`, a choice that ignores the unknown),
 * which a query's text never fails. Should one still fail, the answer is a 400, not a 500.
 */
export function queryValues<S extends Record<string, z.ZodType>>(shape: S, params: URLSearchParams): Values<S> {
  const parsed = parseForm(shape, params);
  if (!parsed.ok) throw data({ errors: parsed.errors }, { status: 400, statusText: "Bad Request" });
  return parsed.data;
}
