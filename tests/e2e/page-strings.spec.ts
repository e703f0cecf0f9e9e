import { expect, test } from "./support";

/**
 * The browser gets the strings of the page's language only (ADR 0005), and still has them
 * for pages it reaches without reloading. (A page in both languages: claim.spec.ts, poster.)
 */
const languages = [
  { lang: "en", other: "cy", nav: "Find activities", heading: "Find activities" },
  { lang: "cy", other: "en", nav: "Dod o hyd i weithgareddau", heading: "Dod o hyd i weithgareddau" },
] as const;

for (const { lang, other, nav, heading } of languages) {
  test(`a page in ${lang} loads the ${lang} strings and not the ${other} ones, and a page reached by a link is in ${lang} too`, async ({ page }) => {
    const built: string[] = [];
    page.on("response", (response) => {
      if (new URL(response.url()).pathname.startsWith("/build/")) built.push(new URL(response.url()).pathname);
    });
    await page.goto(`/?lang=${lang}`);
    await page.waitForLoadState("networkidle");
    expect(built.filter((path) => new RegExp(`/_shared/${lang}-\\w+\\.js$`).test(path))).toHaveLength(1);
    expect(built.filter((path) => new RegExp(`/_shared/${other}-\\w+\\.js$`).test(path))).toEqual([]);

    await page.evaluate(() => Object.assign(window, { stillThisDocument: true }));
    await page.getByRole("navigation").getByRole("link", { name: nav }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
    expect(await page.evaluate(() => (window as unknown as { stillThisDocument?: boolean }).stillThisDocument)).toBe(true);
    expect(built.filter((path) => new RegExp(`/_shared/${other}-\\w+\\.js$`).test(path))).toEqual([]);
  });
}
