import type { LinkDescriptor } from "@remix-run/node";
import { databaseUnavailable } from "../api/errors.server";
import { DATABASE_RETRY_AFTER_SECONDS } from "../db/unavailable.server";
import { translator, type Language } from "../i18n/i18n";
import { languageCookieFor, resolveLanguage } from "../i18n/language.server";
import { titleText } from "../i18n/page-title";
import { otherLanguage } from "../i18n/bilingual";

/**
 * The page shown while the database cannot be reached: 503 with Retry-After, in the reader's
 * language (?lang=, the language cookie, then Accept-Language, as every page chooses). Plain
 * HTML with the app's header and stylesheet, made from the request alone: it needs neither the
 * database (the sign-in and the root loader read it) nor React, so it is the same page whether
 * the sign-in check or a page's loader found the database gone (server.ts, entry.server.tsx).
 */
export async function databaseUnavailablePage(request: Request, stylesheets: readonly string[], init: { headers?: Headers } = {}) {
  const lang = await resolveLanguage(request);
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "text/html; charset=utf-8");
  headers.set("Content-Language", lang);
  headers.set("Retry-After", String(DATABASE_RETRY_AFTER_SECONDS));
  // Never kept: the next answer, once the database is back, is the page itself.
  headers.set("Cache-Control", "no-store");
  const cookie = await languageCookieFor(request);
  if (cookie) headers.append("Set-Cookie", cookie);
  return new Response(unavailableHtml(lang, new URL(request.url), stylesheets), { status: 503, headers });
}

/**
 * What the server answers a request it could not serve because the database is away: the API's
 * JSON (DATABASE_UNAVAILABLE) to the API and to scripts that ask for JSON (the scanner), the
 * page to everyone else.
 */
export async function databaseUnavailableAnswer(request: Request, error: unknown, stylesheets: readonly string[]) {
  logDatabaseUnavailable(request, error);
  const url = new URL(request.url);
  const wantsJson = url.pathname.startsWith("/api/") || /^application\/json\b/.test(request.headers.get("Accept") ?? "");
  return wantsJson ? databaseUnavailable(await resolveLanguage(request)) : databaseUnavailablePage(request, stylesheets);
}

/** One line per request while the database is away, not a stack trace each (they are all alike). */
export function logDatabaseUnavailable(request: Request, error: unknown) {
  console.error(
    `${request.method} ${new URL(request.url).pathname}: the database cannot be reached (${error instanceof Error ? error.message : String(error)}).`,
  );
}

/** The stylesheets the root route links to (the app's own, fingerprinted), for the page to look like the app. */
export function rootStylesheets(rootModule: { links?: () => LinkDescriptor[] } | undefined): string[] {
  return (rootModule?.links?.() ?? []).flatMap((link) => ("rel" in link && link.rel === "stylesheet" && typeof link.href === "string" ? [link.href] : []));
}

function unavailableHtml(lang: Language, url: URL, stylesheets: readonly string[]) {
  const t = translator(lang);
  const other = otherLanguage(lang);
  const switchUrl = new URLSearchParams(url.search);
  switchUrl.set("lang", other);
  const tryAgain = new URLSearchParams(url.search);
  tryAgain.delete("lang");
  const here = `${url.pathname}${tryAgain.size ? `?${tryAgain}` : ""}`;
  const e = escapeHtml;
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(titleText(t("errors.unavailableTitle"), t("meta.siteName")))}</title>
${stylesheets.map((href) => `<link rel="stylesheet" href="${e(href)}">`).join("\n")}
</head>
<body>
<div class="flex min-h-screen flex-col">
<header class="bg-brand-800 text-white">
<div class="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
<p class="text-xl font-bold">${e(t("meta.siteName"))}<span class="block text-sm font-normal">${e(t("meta.tagline"))}</span></p>
<a href="${e(`${url.pathname}?${switchUrl}`)}" lang="${other}" hreflang="${other}" class="rounded border border-white px-3 py-1 text-white no-underline hover:bg-brand-900 hover:text-white">${e(t("layout.languageSwitch"))}</a>
</div>
</header>
<main id="main" class="mx-auto w-full max-w-5xl flex-1 px-4 py-6">
<div class="space-y-4">
<h1 class="text-2xl font-bold">${e(t("errors.unavailableTitle"))}</h1>
<p>${e(t("errors.unavailable"))}</p>
<p>${e(t("errors.unavailableScanner"))}</p>
<p><a href="${e(here)}">${e(t("errors.tryAgain"))}</a></p>
</div>
</main>
</div>
</body>
</html>
`;
}

function escapeHtml(text: string) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
