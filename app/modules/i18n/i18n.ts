import i18next, { type ParseKeys, type TFunction } from "i18next";
import { resources as serverResources } from "./strings.server";

export const LANGUAGES = ["cy", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_COOKIE = "lang";
/** How the browser's console says a page used a string it had not loaded (tests/e2e/support.ts). */
export const MISSING_STRING = "Pasbort: no string for";

/** Every string of both languages (on the server; the browser bundle has none of them). */
export const resources = serverResources;

export function isLanguage(value: unknown): value is Language {
  return value === "cy" || value === "en";
}

/**
 * One i18next instance for server and browser. The server has every string from the start;
 * the browser adds its page's routes' strings before it shows them (strings.client.ts), and says
 * so in its console if one is missing (the browser tests fail on that). Plurals use Intl.PluralRules, so Welsh gets its zero/one/two/few/many forms.
 */
const instance = i18next.createInstance();
void instance.init({
  // In the browser the .server module is empty.
  resources: serverResources ?? {},
  lng: "en",
  fallbackLng: false,
  initAsync: false,
  interpolation: { escapeValue: false }, // React escapes.
  returnNull: false,
  showSupportNotice: false,
  saveMissing: typeof document !== "undefined",
  saveMissingTo: "current",
  // A key asked for with a default (an audit subject we have no name for) is not missing.
  missingKeyHandler: (languages, _namespace, key, _fallback, _update, options?: { defaultValue?: unknown }) => {
    if (options?.defaultValue === undefined) console.error(`${MISSING_STRING} ${key} (${languages.join(", ")})`);
  },
});

export type Translate = TFunction;

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

export function addStrings(language: Language, strings: Record<string, unknown>) {
  instance.addResourceBundle(language, "translation", strings, true, true);
}

/**
 * The languages a page shows: its own, and both on the pages a route marks
 * `handle: { bothLanguages: true }` (what a room of families reads: codes and posters).
 */
export function pageLanguages(lang: Language, matches: readonly { handle?: unknown }[]): Language[] {
  const both = matches.some((match) => (match.handle as { bothLanguages?: boolean } | undefined)?.bothLanguages);
  return both ? ["cy", "en"] : [lang];
}

export function translator(language: Language): Translate {
  return instance.getFixedT(language);
}

/** Locale for Intl formatting: Welsh as used in the UK. */
export function locale(language: Language) {
  return language === "cy" ? "cy-GB" : "en-GB";
}
