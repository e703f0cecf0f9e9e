import type { MetaDescriptor, MetaFunction } from "@remix-run/node";
import { isLanguage, translator, type Language, type Translate, type TranslationKey } from "./i18n";

type RootData = { lang?: string; siteName?: string } | undefined;

/** "Claim credits – Pasbort": a page's own title first, then the site's (WCAG 2.4.2). */
export function titleText(pageTitle: string | null | undefined, siteName = "Pasbort") {
  return pageTitle ? `${pageTitle} – ${siteName}` : siteName;
}

/**
 * A route's meta: its title in the page's language, from a string key or from its data
 * (a child's name, an activity's title), and any other tags (robots).
 */
export function titled<Loader = unknown>(
  title: TranslationKey | ((t: Translate, data: NonNullable<Parameters<MetaFunction<Loader>>[0]["data"]>, lang: Language) => string),
  extra: MetaDescriptor[] = [],
): MetaFunction<Loader> {
  return ({ data, matches }) => {
    const root = matches.find((match) => match.id === "root")?.data as RootData;
    const lang = isLanguage(root?.lang) ? root.lang : "en";
    const t = translator(lang);
    const text = typeof title === "string" ? t(title) : data ? title(t, data, lang) : null;
    return [{ title: titleText(text, root?.siteName) }, ...extra];
  };
}
