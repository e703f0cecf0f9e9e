import i18next, { type TFunction } from "i18next";
import cy from "./locales/cy.json";
import en from "./locales/en.json";

export const LANGUAGES = ["cy", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_COOKIE = "lang";

export const resources = { cy: { translation: cy }, en: { translation: en } } as const;

export function isLanguage(value: unknown): value is Language {
  return value === "cy" || value === "en";
}

/**
 * One i18next instance for server and browser, set up synchronously from the bundled
 * strings. Plurals use Intl.PluralRules, so Welsh gets its zero/one/two/few/many forms.
 */
const instance = i18next.createInstance();
void instance.init({
  resources,
  lng: "en",
  fallbackLng: false,
  initAsync: false,
  interpolation: { escapeValue: false }, // React escapes.
  returnNull: false,
  showSupportNotice: false,
});

export type Translate = TFunction;

export function translator(language: Language): Translate {
  return instance.getFixedT(language);
}

/** Locale for Intl formatting: Welsh as used in the UK. */
export function locale(language: Language) {
  return language === "cy" ? "cy-GB" : "en-GB";
}
