import { describe, expect, it } from "vitest";
import { compareLocales } from "./completeness";
import { resources, translator } from "./i18n";
import { resolveLanguage, languageCookieFor } from "./language.server";

describe("translations", () => {
  it("exist in both languages for every key", () => {
    expect(compareLocales(resources.cy.translation, resources.en.translation)).toEqual([]);
  });

  it("report a key that exists in one language only, or is empty", () => {
    const problems = compareLocales({ a: "A", b: { c: "" } }, { a: "A", d: "D", b: { c: "C" } });
    expect(problems).toContain('"d" is in English only');
    expect(problems).toContain('"b.c" is empty in Welsh');
  });

  it("treat plural forms as one key, whatever forms a language needs", () => {
    expect(compareLocales({ n_one: "x", n_two: "y", n_other: "z" }, { n_one: "x", n_other: "z" })).toEqual([]);
  });

  it("translate into Welsh and English", () => {
    expect(translator("cy")("home.title")).toBe("Mae pob awr o ddysgu yn cyfrif");
    expect(translator("en")("home.title")).toBe("Every hour of learning counts");
  });

  it("use Welsh plural rules", () => {
    expect(translator("en")("common.hours", { count: 1 })).toBe("1 hour");
    expect(translator("en")("common.hours", { count: 3 })).toBe("3 hours");
    expect(translator("cy")("common.hours", { count: 2 })).toBe("2 awr");
  });
});

function request(url: string, headers: Record<string, string> = {}) {
  return new Request(url, { headers });
}

describe("choosing the language", () => {
  it("follows ?lang= first", async () => {
    expect(await resolveLanguage(request("http://x/?lang=cy", { Cookie: "lang=ImVuIg%3D%3D" }))).toBe("cy");
    expect(await resolveLanguage(request("http://x/?lang=en", { "Accept-Language": "cy" }))).toBe("en");
  });

  it("remembers the choice in a cookie, and reads it back", async () => {
    const setCookie = await languageCookieFor(request("http://x/activities?lang=cy"));
    expect(setCookie).toMatch(/^lang=/);
    expect(setCookie).toMatch(/Max-Age=31536000/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const cookie = setCookie!.split(";")[0]!;
    expect(await resolveLanguage(request("http://x/", { Cookie: cookie, "Accept-Language": "en" }))).toBe("cy");
  });

  it("sets no cookie when no choice was made, or an unknown language was asked for", async () => {
    expect(await languageCookieFor(request("http://x/"))).toBeNull();
    expect(await languageCookieFor(request("http://x/?lang=fr"))).toBeNull();
  });

  it("falls back to the browser's preference between Welsh and English, then English", async () => {
    expect(await resolveLanguage(request("http://x/", { "Accept-Language": "cy-GB,cy;q=0.9,en;q=0.8" }))).toBe("cy");
    expect(await resolveLanguage(request("http://x/", { "Accept-Language": "en-GB,en;q=0.9,cy;q=0.5" }))).toBe("en");
    expect(await resolveLanguage(request("http://x/", { "Accept-Language": "fr-FR" }))).toBe("en");
    expect(await resolveLanguage(request("http://x/?lang=fr"))).toBe("en");
  });
});

describe("pageLanguages", () => {
  it("is the page's language, and both where a route shows both (codes and posters)", async () => {
    const { pageLanguages } = await import("./i18n");
    expect(pageLanguages("cy", [{ handle: undefined }, { handle: { other: 1 } }])).toEqual(["cy"]);
    expect(pageLanguages("en", [{}, { handle: { bothLanguages: true } }])).toEqual(["cy", "en"]);
  });
});
