import { matchRoutes } from "@remix-run/react";
import { addStrings, type Language } from "./i18n";
import { stringsFileUrl } from "./string-files";

/**
 * The browser has the strings of the routes it has shown, in their languages: each route's
 * file holds what its modules name (scripts/split-strings.ts, ADR 0034), the root's what every
 * page needs. "cy routes/claim._index" once loaded.
 */
const loaded = new Set<string>();
const entry = (language: Language, routeId: string) => `${language} ${routeId}`;

declare global {
  interface Window {
    __remixRouter?: { routes: Parameters<typeof matchRoutes>[0] };
  }
}

/** The ids of the routes a URL shows (root first), from the router's routes. */
export function routeIdsAt(url: URL | string): string[] {
  const pathname = typeof url === "string" ? new URL(url, location.href).pathname : url.pathname;
  return (matchRoutes(window.__remixRouter?.routes ?? [], pathname) ?? []).map((match) => match.route.id!);
}

export function hasStrings(languages: readonly Language[], routeIds: readonly string[]) {
  return languages.every((language) => routeIds.every((routeId) => loaded.has(entry(language, routeId))));
}

/** Loads the strings of the routes given, in the languages given, once each. */
export async function loadStrings(languages: readonly Language[], routeIds: readonly string[]) {
  const version = window.__remixManifest?.version ?? "";
  await Promise.all(
    languages.flatMap((language) =>
      routeIds
        .filter((routeId) => !loaded.has(entry(language, routeId)))
        .map(async (routeId) => {
          const response = await fetch(stringsFileUrl(version, language, routeId));
          if (!response.ok) throw new Error(`The strings of ${routeId} (${language}) answered ${response.status}.`);
          addStrings(language, (await response.json()) as Record<string, unknown>);
          loaded.add(entry(language, routeId));
        }),
    ),
  );
}

/**
 * For a page in both languages (`handle: { bothLanguages: true }`): reached by a link, it
 * brings the other language's strings before it renders. (Opened directly, the server
 * already named both languages: root.tsx, entry.client.tsx.)
 */
export async function withBothLanguages<T>(request: Request, serverLoader: () => Promise<T>) {
  const [data] = await Promise.all([serverLoader(), loadStrings(["cy", "en"], routeIdsAt(request.url))]);
  return data;
}
