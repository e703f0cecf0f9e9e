import type { ApiRefusalCode } from "../credits/refusals";
import { translator, type Language, type TranslationKey } from "../i18n/i18n";
import { resolveLanguage } from "../i18n/language.server";
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from "../db/unavailable.server";

/** The machine-readable half of an API error; clients branch on it, never on the message. */
export type ApiErrorCode =
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "BAD_REQUEST"
  | "METHOD_NOT_ALLOWED"
  | "INTERNAL_ERROR"
  | "DATABASE_UNAVAILABLE"
  | "RATE_LIMITED"
  // GET /reports/equity: a custom period (published periods only, issue 15).
  | "PERIOD_NOT_PUBLISHED"
  // Why a credit was not issued (see credits/refusals.ts).
  | ApiRefusalCode
  // GET /passports/{number} and POST /claims (a guardian's claim with a session code).
  | "UNKNOWN_PASSPORT"
  | "CHILD_NOT_FOUND"
  | "CODE_INVALID"
  | "CODE_EXPIRED";

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string };
}

/** What a client that sent no (usable) bearer token is told to send (RFC 6750). */
export const BEARER_CHALLENGE = 'Bearer realm="pasbort"';

/** API answers hold a provider's own data: never cached by a browser or a proxy. */
const NO_STORE = { "Cache-Control": "no-store" };

/**
 * The one JSON error answer, for the API and the phone scanner alike: `{"error":{"code",
 * "message"}}` (plus what `extra` adds), the message in the client's language, never cached.
 */
export function jsonError(status: number, code: string, messageKey: TranslationKey, lang: Language, options: { headers?: HeadersInit; extra?: object } = {}) {
  const all = new Headers(options.headers);
  for (const [name, value] of Object.entries(NO_STORE)) all.set(name, value);
  all.set("Content-Language", lang);
  return jsonWithLength({ error: { code, message: translator(lang)(messageKey) }, ...options.extra }, status, all);
}

/**
 * An API error: `{"error":{"code","message"}}`, the message in the language the client
 * asked for (Accept-Language); a 401 names the bearer scheme. Return it, or throw it from a loader.
 */
export function apiError(status: number, code: ApiErrorCode, messageKey: TranslationKey, lang: Language, headers?: HeadersInit) {
  const all = new Headers(headers);
  if (status === 401 && !all.has("WWW-Authenticate")) all.set("WWW-Authenticate", BEARER_CHALLENGE);
  return jsonError(status, code, messageKey, lang, { headers: all });
}

/** A successful API answer. */
export function apiJson(body: unknown, init: { status?: number; headers?: HeadersInit } = {}) {
  const headers = new Headers(init.headers);
  for (const [name, value] of Object.entries(NO_STORE)) headers.set(name, value);
  return jsonWithLength(body, init.status ?? 200, headers);
}

/**
 * JSON with its Content-Length, so Node sends the answer whole rather than chunked: one write
 * to the socket per answer instead of two, on the scanners' busiest path (ADR 0015).
 */
function jsonWithLength(body: unknown, status: number, headers: Headers) {
  const text = JSON.stringify(body);
  headers.set("Content-Type", "application/json; charset=utf-8");
  headers.set("Content-Length", String(Buffer.byteLength(text)));
  return new Response(text, { status, headers });
}

/**
 * Runs an API handler so that whatever goes wrong still answers in the API's error shape:
 * thrown Responses (apiError) pass through, a database that cannot be reached is a 503
 * DATABASE_UNAVAILABLE with Retry-After, anything else a 500 INTERNAL_ERROR.
 */
export async function apiHandler(request: Request, handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    const lang = await resolveLanguage(request);
    if (isDatabaseUnavailable(thrown)) return databaseUnavailable(lang);
    console.error(thrown);
    return apiError(500, "INTERNAL_ERROR", "api.errors.internal", lang);
  }
}

/** The answer to a method an API address does not take. */
export async function methodNotAllowed(request: Request, allow: string[]) {
  return apiError(405, "METHOD_NOT_ALLOWED", "api.errors.methodNotAllowed", await resolveLanguage(request), { Allow: allow.join(", ") });
}

/** The answer while the database cannot be reached: try again shortly, with the same idempotency key. */
export function databaseUnavailable(lang: Language) {
  return apiError(503, "DATABASE_UNAVAILABLE", "api.errors.databaseUnavailable", lang, { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) });
}
