import cy from "./locales/cy.json";
import en from "./locales/en.json";

/**
 * Every string of both languages, for the server (pages, emails, PDFs, scripts, tests). A
 * `.server` module, so the browser bundle leaves it out: the browser loads only the strings
 * of the page's language (strings.client.ts, ADR 0005).
 */
export const resources = { cy: { translation: cy }, en: { translation: en } } as const;
