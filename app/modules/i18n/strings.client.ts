import { addStrings, hasStrings, type Language } from "./i18n";

/** Each language's strings are a chunk of their own, fetched only by a page that shows them. */
const chunks: Record<Language, () => Promise<{ default: Record<string, unknown> }>> = {
  cy: () => import("./locales/cy.json"),
  en: () => import("./locales/en.json"),
};

/** Loads the strings of the languages given, once each. */
export async function loadStrings(languages: readonly Language[]) {
  await Promise.all(languages.filter((lang) => !hasStrings(lang)).map(async (lang) => addStrings(lang, (await chunks[lang]()).default)));
}

/**
 * For a page in both languages (`handle: { bothLanguages: true }`): reached by a link, it
 * brings the other language's strings before it renders. (Opened directly, the server
 * already named both languages: root.tsx, entry.client.tsx.)
 */
export async function withBothLanguages<T>(serverLoader: () => Promise<T>) {
  const [data] = await Promise.all([serverLoader(), loadStrings(["cy", "en"])]);
  return data;
}
