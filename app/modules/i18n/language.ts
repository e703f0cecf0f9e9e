import type { ParseKeys } from "i18next";

// The languages and their keys, without i18next: shared by the app's translator (i18n.ts) and
// the islands' (app/islands/island-i18n.ts, ADR 0046).

export const LANGUAGES = ["cy", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_COOKIE = "lang";
/** How the browser's console says a page used a string it had not loaded (tests/e2e/support.ts). */
export const MISSING_STRING = "Pasbort: no string for";

export function isLanguage(value: unknown): value is Language {
  return value === "cy" || value === "en";
}

/** Every key `t` accepts (typed-keys.d.ts): a plural by its base key, as `t` is given it. */
export type TranslationKey = ParseKeys;

/**
 * A key that reached this code as data, typed only as a string: a form's error sent from its
 * action to the page, a refusal code read from the database. Where a key is made in code it is
 * typed there (TranslationKey, the form layer's MessageKey); this is the one way past the type
 * check for the rest, so each use is a place to type at its source later.
 */
export function receivedKey(key: string): TranslationKey {
  return key as TranslationKey;
}

/**
 * The languages a page shows: its own, and both on the pages a route marks
 * `handle: { bothLanguages: true }` (what a room of families reads: codes and posters).
 */
export function pageLanguages(lang: Language, matches: readonly { handle?: unknown }[]): Language[] {
  const both = matches.some((match) => (match.handle as { bothLanguages?: boolean } | undefined)?.bothLanguages);
  return both ? ["cy", "en"] : [lang];
}

/** Locale for Intl formatting: Welsh as used in the UK. */
export function locale(language: Language) {
  return language === "cy" ? "cy-GB" : "en-GB";
}
