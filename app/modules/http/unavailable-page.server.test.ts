import { describe, expect, it } from "vitest";
import { translator } from "../i18n/i18n";
import { languageCookie } from "../i18n/language.server";
import { databaseUnavailableAnswer, databaseUnavailablePage, rootStylesheets } from "./unavailable-page.server";

const STYLESHEET = "/build/_assets/tailwind-ABC123.css";
const lost = new Error("connect ECONNREFUSED 127.0.0.1:5432");

async function page(path: string, headers: HeadersInit = {}) {
  const response = await databaseUnavailablePage(new Request(`http://pasbort.test${path}`, { headers }), [STYLESHEET]);
  return { response, html: await response.text() };
}

const escaped = (text: string) => text.replaceAll("'", "&#39;");

describe("the page shown while the database is away", () => {
  it("is a 503 with Retry-After, never stored, in English by default", async () => {
    const { response, html } = await page("/provider");
    expect(response.status).toBe(503);
    expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("Content-Language")).toBe("en");
    const t = translator("en");
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(`<h1 class="text-2xl font-bold">${escaped(t("errors.unavailableTitle"))}</h1>`);
    expect(html).toContain(escaped(t("errors.unavailableScanner")));
    expect(html).toContain(`<link rel="stylesheet" href="${STYLESHEET}">`);
    // Made without the database or React: no scripts to run, nothing of anyone's data.
    expect(html).not.toContain("<script");
  });

  it("is in the reader's language: ?lang= first, then the language cookie, then Accept-Language", async () => {
    const welshCookie = (await languageCookie.serialize("cy")).split(";")[0]!;
    for (const [path, headers, lang] of [
      ["/activities", { "Accept-Language": "cy" }, "cy"],
      ["/activities", { Cookie: welshCookie, "Accept-Language": "en" }, "cy"],
      ["/activities?lang=en", { Cookie: welshCookie }, "en"],
      ["/activities?lang=cy", {}, "cy"],
    ] as const) {
      const { response, html } = await page(path, headers);
      expect(response.headers.get("Content-Language")).toBe(lang);
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toContain(escaped(translator(lang)("errors.unavailable")));
    }
  });

  it("remembers a ?lang= choice, offers the other language and a way back to the same page", async () => {
    const { response, html } = await page("/activities?page=2&lang=cy");
    expect(response.headers.get("Set-Cookie")).toMatch(/^lang=/);
    expect(html).toContain('<a href="/activities?page=2&#38;lang=en" lang="en" hreflang="en"');
    expect(html).toContain(`<a href="/activities?page=2">${escaped(translator("cy")("errors.tryAgain"))}</a>`);
  });

  it("escapes what comes from the address", async () => {
    const { html } = await page("/it's");
    expect(html).toContain('<a href="/it&#39;s">');
  });
});

describe("what the server answers when the sign-in check finds the database away", () => {
  it("is the API's JSON for the API and for scripts that ask for JSON (the scanner), in their language", async () => {
    for (const request of [
      new Request("http://pasbort.test/api/v1/passports/NA-1234", { headers: { "Accept-Language": "cy" } }),
      new Request("http://pasbort.test/provider/sessions/x/credits", { method: "POST", headers: { Accept: "application/json", "Accept-Language": "cy" } }),
    ]) {
      const response = await databaseUnavailableAnswer(request, lost, [STYLESHEET]);
      expect(response.status).toBe(503);
      expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(0);
      expect(await response.json()).toEqual({ error: { code: "DATABASE_UNAVAILABLE", message: translator("cy")("api.errors.databaseUnavailable") } });
    }
  });

  it("is the page for a browser", async () => {
    const request = new Request("http://pasbort.test/provider", { headers: { Accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    const response = await databaseUnavailableAnswer(request, lost, [STYLESHEET]);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain(escaped(translator("en")("errors.unavailableTitle")));
  });
});

describe("rootStylesheets", () => {
  it("takes the stylesheets the root route links to", () => {
    const links = () => [
      { rel: "stylesheet", href: STYLESHEET },
      { rel: "icon", href: "/favicon.ico" },
    ];
    expect(rootStylesheets({ links })).toEqual([STYLESHEET]);
    expect(rootStylesheets(undefined)).toEqual([]);
  });
});
