import { isRouteErrorResponse, useRouteError, useRouteLoaderData } from "@remix-run/react";
import type { Role } from "../db/schema";
import { isLanguage, translator, type Language } from "./i18n";

/**
 * The page's language, from the root loader; on an error page where the root loader did not
 * run (an action failed), from the error answer when it says (e.g. readFormData's).
 */
export function useLanguage(): Language {
  return pageLanguage(useRouteLoaderData<{ lang: Language }>("root"), useRouteError());
}

/** The same rule for code that is not a component (the root's meta, for the error page's title). */
export function pageLanguage(rootData: { lang?: unknown } | undefined, error: unknown): Language {
  if (isLanguage(rootData?.lang)) return rootData.lang;
  const fromError: unknown = isRouteErrorResponse(error) ? (error.data as { lang?: unknown } | null)?.lang : undefined;
  return isLanguage(fromError) ? fromError : "en";
}

export function useTranslate() {
  const lang = useLanguage();
  return { t: translator(lang), lang };
}

export interface SignedInUser {
  displayName: string;
  role: Role | "child" | null;
  home: string;
}

/** The signed-in person as the root loader describes them, or null. */
export function useSignedInUser(): SignedInUser | null {
  return useRouteLoaderData<{ user: SignedInUser | null }>("root")?.user ?? null;
}
