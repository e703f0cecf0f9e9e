import i18next, { type TFunction } from "i18next";
import { MISSING_STRING, type Language } from "./language";
import { resources as serverResources } from "./strings.server";

// What needs no i18next (and so also serves the islands, ADR 0046) is in language.ts.
export * from "./language";

/** Every string of both languages (on the server; the browser bundle has none of them). */
export const resources = serverResources;

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

export function addStrings(language: Language, strings: Record<string, unknown>) {
  instance.addResourceBundle(language, "translation", strings, true, true);
}

export function translator(language: Language): Translate {
  return instance.getFixedT(language);
}
