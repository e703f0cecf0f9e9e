import { locale, type Language } from "./i18n";

/** A date and time as people in Wales write it, in the page's language, in UK time. */
export function formatDateTime(value: Date | string, lang: Language) {
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/London" }).format(new Date(value));
}

export function formatDate(value: Date | string, lang: Language) {
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: "long", timeZone: "Europe/London" }).format(new Date(value));
}

/** "May 2016" / "Mai 2016": a birth month, which is all Pasbort keeps of a birthday. */
export function formatMonth(year: number, month: number, lang: Language) {
  return new Intl.DateTimeFormat(locale(lang), { month: "long", year: "numeric", timeZone: "UTC" }).format(Date.UTC(year, month - 1, 1));
}
