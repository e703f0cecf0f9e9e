import type { Language } from "./i18n";

/**
 * Text the database holds in both languages (its *_en and *_cy columns), either of which may
 * be missing. Safe in the browser bundle.
 */
export interface Bilingual {
  en: string | null;
  cy: string | null;
}

/** The text as shown, and the language it is really in (for lang="…"), and the one it exists in alone. */
export interface Picked {
  text: string;
  lang: Language;
  /** Set when the text exists in one language only, so the page can say "only in English/Welsh". */
  onlyIn: Language | null;
}

/** Whichever language is not this one. */
export function otherLanguage(lang: Language): Language {
  return lang === "cy" ? "en" : "cy";
}

const present = (value: string | null | undefined): value is string => typeof value === "string" && value !== "";

/**
 * The one rule for database text: the page's language, else the other language (an empty
 * string counts as missing), else "". `lang` says which language the text is in.
 */
export function pickIn(text: Bilingual | null | undefined, lang: Language): Picked {
  const other = otherLanguage(lang);
  const has = { en: present(text?.en), cy: present(text?.cy) };
  const onlyIn = has.en !== has.cy ? (has.en ? "en" : "cy") : null;
  if (has[lang]) return { text: text![lang]!, lang, onlyIn };
  if (has[other]) return { text: text![other]!, lang: other, onlyIn };
  return { text: "", lang, onlyIn };
}

/** Database text in the page's language, falling back to the other one (pickIn says which it is). */
export function pick(text: Bilingual | null | undefined, lang: Language): string {
  return pickIn(text, lang).text;
}

/** A row's `<name>_en` and `<name>_cy` columns as one Bilingual: `columns(activity, "title")`. */
export function columns<N extends string>(row: { [K in `${N}_en` | `${N}_cy`]?: string | null }, name: N): Bilingual {
  const values = row as Record<string, string | null | undefined>;
  return { en: values[`${name}_en`] ?? null, cy: values[`${name}_cy`] ?? null };
}
