import { expect, expectNoAxeViolations, fitsWidth, signIn, test } from "./support";

/**
 * Issue 21: the impact report for the Public Services Board, at 320 px in Welsh and English,
 * by keyboard, with nothing axe finds, and without JavaScript: the summary, every section's
 * heading, a chart with its table, and choosing a local authority from the form.
 */

const text = {
  en: {
    link: "Impact report for the Public Services Board",
    title: "Impact report",
    summary: "Summary",
    sections: [
      "Reach: who takes part",
      "Growth: term by term and year on year",
      "Persistence: who came back",
      "Depth: how much children do",
      "The offer",
      "The child's voice",
    ],
    byQuintile: "By deprivation fifth (WIMD quintile of the child's home)",
    mostDeprived: "Fifth 1 (most deprived)",
    la: "Local authority",
    show: "Show the report",
    laScope: "Children living in this local authority.",
    rounding: /rounded to a multiple of 5/,
    badYear: "Choose an academic year from the list",
  },
  cy: {
    link: "Adroddiad effaith i'r Bwrdd Gwasanaethau Cyhoeddus",
    title: "Adroddiad effaith",
    summary: "Crynodeb",
    sections: [
      "Cyrhaeddiad: pwy sy'n cymryd rhan",
      "Twf: fesul tymor a fesul blwyddyn",
      "Dyfalbarhad: pwy ddaeth yn ôl",
      "Dyfnder: faint mae plant yn ei wneud",
      "Y cynnig",
      "Llais y plentyn",
    ],
    byQuintile: "Fesul pumed amddifadedd (pumed MALlC cartref y plentyn)",
    mostDeprived: "Pumed 1 (mwyaf difreintiedig)",
    la: "Awdurdod lleol",
    show: "Dangos yr adroddiad",
    laScope: "Plant sy'n byw yn yr awdurdod lleol hwn.",
    rounding: /wedi'i dalgrynnu i luosrif o 5/,
    badYear: "Dewiswch flwyddyn academaidd o'r rhestr",
  },
} as const;

for (const lang of ["en", "cy"] as const) {
  test(`the coordinator reads the impact report in ${lang === "cy" ? "Welsh" : "English"} at 320 px, by keyboard`, async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 800 });
    await signIn(page, "coordinator@demo.test", lang);
    await page.goto(`/coordinator?lang=${lang}`);
    await page.getByRole("link", { name: text[lang].link }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(text[lang].title);
    await expect(page.getByRole("heading", { name: text[lang].summary, exact: true })).toBeVisible();
    await expect(page.locator("#impact-summary li").first()).toBeVisible();
    await expect(page.locator("#impact-summary")).toContainText(text[lang].rounding);
    for (const section of text[lang].sections) await expect(page.getByRole("heading", { name: section, exact: true })).toBeVisible();
    // The reach chart has its table, and a text alternative.
    await expect(page.locator("svg[role=img][aria-labelledby='reach-chart-title reach-chart-text']").first()).toBeAttached();
    const table = page.getByRole("region", { name: text[lang].byQuintile });
    await expect(table.getByRole("rowheader", { name: text[lang].mostDeprived })).toBeVisible();
    expect(await fitsWidth(page)).toBe(true);
    await expectNoAxeViolations(page);

    // By keyboard: choose the first local authority, then Show.
    const la = page.getByLabel(text[lang].la, { exact: true });
    await la.focus();
    await la.press("ArrowDown");
    await page.getByRole("button", { name: text[lang].show }).focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/la=W06/);
    await expect(page.getByText(text[lang].laScope)).toBeVisible();
    expect(await fitsWidth(page)).toBe(true);
    await expectNoAxeViolations(page);

    // A year that is not offered: the reason, in the page's language, with the form (400, not a 500).
    const response = await page.goto(`/reports/impact?year=2012-13&lang=${lang}`);
    expect(response?.status()).toBe(400);
    await expect(page.getByRole("alert")).toContainText(text[lang].badYear);
    await expectNoAxeViolations(page);
  });
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("a viewer reads the whole report, and the form still works", async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 800 });
    await signIn(page, "viewer@demo.test", "en");
    await page.goto("/viewer");
    await page.getByRole("link", { name: text.en.link }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(text.en.title);
    for (const section of text.en.sections) await expect(page.getByRole("heading", { name: section, exact: true })).toBeVisible();
    await page.getByLabel(text.en.la, { exact: true }).selectOption({ index: 1 });
    await page.getByRole("button", { name: text.en.show }).click();
    await expect(page).toHaveURL(/la=W06/);
    await expect(page.getByText(text.en.laScope)).toBeVisible();
    expect(await fitsWidth(page)).toBe(true);
  });
});
