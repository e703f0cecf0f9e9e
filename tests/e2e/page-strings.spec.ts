import { expect, test, signIn } from "./support";

/**
 * The browser gets only the strings its page's routes name, in the page's language (ADR 0005,
 * ADR 0034), and fetches the next page's when it gets there without reloading, and the other
 * language's when the person switches. A page sent without React gets none at all (ADR 0042),
 * so this is read on one that is sent it: the provider's API tokens. (A page in both languages:
 * claim.spec.ts, poster.)
 */
const languages = [
  { lang: "en", other: "cy", nav: "Find activities", heading: "Find activities", title: "API tokens", otherTitle: "Tocynnau API", toggle: "Cymraeg" },
  {
    lang: "cy",
    other: "en",
    nav: "Dod o hyd i weithgareddau",
    heading: "Dod o hyd i weithgareddau",
    title: "Tocynnau API",
    otherTitle: "API tokens",
    toggle: "English",
  },
] as const;

const stringsIn = (built: string[], lang: string) =>
  built.filter((path) => new RegExp(`^/build/strings/\\w+/${lang}/`).test(path)).map((path) => path.split("/").pop());

for (const { lang, other, nav, heading, title, otherTitle, toggle } of languages) {
  test(`a page in ${lang} loads its routes' ${lang} strings only; a page reached by a link brings its own, and the language switch brings the other language's`, async ({
    page,
  }) => {
    const built: string[] = [];
    page.on("response", (response) => {
      if (new URL(response.url()).pathname.startsWith("/build/")) built.push(new URL(response.url()).pathname);
    });
    // The home page is sent without React: no scripts, no strings.
    await page.goto(`/?lang=${lang}`);
    await page.waitForLoadState("networkidle");
    expect(built.filter((path) => !path.endsWith(".css"))).toEqual([]);

    await signIn(page, "provider@demo.test", lang);
    built.length = 0;
    await page.goto(`/provider/tokens?lang=${lang}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await page.waitForLoadState("networkidle");
    expect(stringsIn(built, lang).sort()).toEqual(["root.json", "routes_provider.tokens.json"]);
    expect(stringsIn(built, other)).toEqual([]);

    await page.waitForFunction(() => "__remixRouter" in window);
    await page.evaluate(() => Object.assign(window, { stillThisDocument: true }));
    await page.getByRole("navigation").getByRole("link", { name: nav }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
    expect(await page.evaluate(() => (window as unknown as { stillThisDocument?: boolean }).stillThisDocument)).toBe(true);
    expect(stringsIn(built, lang)).toContain("routes_activities._index.json");
    expect(stringsIn(built, other)).toEqual([]);

    // The switch is a plain link to the same page in the other language.
    await page.goBack();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await page.getByRole("link", { name: toggle, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(otherTitle);
    await page.waitForLoadState("networkidle");
    expect(stringsIn(built, other).sort()).toEqual(["root.json", "routes_provider.tokens.json"]);
  });
}
