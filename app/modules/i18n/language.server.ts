import { createCookie } from "@remix-run/node";
import Negotiator from "negotiator";
import { isLanguage, LANGUAGE_COOKIE, LANGUAGES, type Language } from "./i18n";

/** Remembers the chosen language for a year. */
export const languageCookie = createCookie(LANGUAGE_COOKIE, {
  path: "/",
  maxAge: 60 * 60 * 24 * 365,
  sameSite: "lax",
  httpOnly: true,
});

/**
 * The language to answer in: an explicit ?lang= wins, then the remembered choice, then the
 * browser's preference between Welsh and English; English when nothing says otherwise.
 */
export async function resolveLanguage(request: Request): Promise<Language> {
  const fromQuery = new URL(request.url).searchParams.get("lang");
  if (isLanguage(fromQuery)) return fromQuery;
  const fromCookie: unknown = await languageCookie.parse(request.headers.get("Cookie"));
  if (isLanguage(fromCookie)) return fromCookie;
  const accept = request.headers.get("Accept-Language");
  const preferred = new Negotiator({ headers: { "accept-language": accept ?? undefined } }).language([...LANGUAGES].reverse());
  return accept && isLanguage(preferred) ? preferred : "en";
}

/** The Set-Cookie value that remembers a ?lang= choice, or null when the request made none. */
export async function languageCookieFor(request: Request): Promise<string | null> {
  const fromQuery = new URL(request.url).searchParams.get("lang");
  return isLanguage(fromQuery) ? languageCookie.serialize(fromQuery) : null;
}
