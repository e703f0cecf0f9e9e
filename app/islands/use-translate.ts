import { isLanguage, translator, type Language } from "~/modules/i18n/i18n";

/**
 * useTranslate for an island (ADR 0046): the page's language is the document's, as the server
 * drew it; there is no Remix route data in the browser to read it from.
 */
export function useLanguage(): Language {
  const lang = document.documentElement.lang;
  return isLanguage(lang) ? lang : "en";
}

export function useTranslate() {
  const lang = useLanguage();
  return { t: translator(lang), lang };
}
