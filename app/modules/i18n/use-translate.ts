import { useRouteLoaderData } from "@remix-run/react";
import { isLanguage, translator, type Language } from "./i18n";

/** The page's language and its translate function, from the root loader. */
export function useLanguage(): Language {
  const data = useRouteLoaderData<{ lang: Language }>("root");
  return isLanguage(data?.lang) ? data.lang : "en";
}

export function useTranslate() {
  const lang = useLanguage();
  return { t: translator(lang), lang };
}

export interface SignedInUser {
  displayName: string;
  role: string | null;
  home: string;
}

/** The signed-in person as the root loader describes them, or null. */
export function useSignedInUser(): SignedInUser | null {
  return useRouteLoaderData<{ user: SignedInUser | null }>("root")?.user ?? null;
}
