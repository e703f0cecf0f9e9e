import { createContext, useContext } from "react";
import type { Language } from "./i18n";

/**
 * Where the browser finds a route's strings in one language (written by scripts/split-strings.ts
 * after `remix build`; ADR 0034): under /build, named by the build's version, so they are cached
 * for a year like the other built files and a new build never meets an old copy.
 */
export function stringsFileUrl(version: string, language: Language, routeId: string) {
  return `/build/strings/${version}/${language}/${routeFileName(routeId)}.json`;
}

/** "routes/claim.$token" → "routes_claim._token": a file name without characters URLs escape. */
export function routeFileName(routeId: string) {
  return routeId.replace(/[^\w.-]/g, "_");
}

declare global {
  interface Window {
    __remixManifest?: { version: string };
  }
}

/**
 * The build's version: the server's from entry.server.tsx, the browser's from Remix's manifest
 * (read when rendering: Remix's inline script sets it after our modules have loaded).
 */
export const BuildVersionContext = createContext("");
export const useBuildVersion = () => useContext(BuildVersionContext) || (typeof window === "undefined" ? "" : (window.__remixManifest?.version ?? ""));
