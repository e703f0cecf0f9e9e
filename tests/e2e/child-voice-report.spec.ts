import { expect, expectNoAxeViolations, fitsWidth, signIn, test } from "./support";

/**
 * Issue 16: what adults see of the child's voice, at 320 px in Welsh and English, by keyboard
 * and with nothing axe finds: the coordinator's area view (ratings, wishes against the offer,
 * the children's words) and a provider's view of its own activities.
 */

const text = {
  en: {
    link: "What children say",
    wishes: "What children would like to try, against what is offered",
    words: "Children's own words",
    arts: "Arts and culture",
    mostDeprived: "Fifth 1 (most deprived)",
    la: "Local authority of the child's home",
    show: "Show",
  },
  cy: {
    link: "Beth mae plant yn ei ddweud",
    wishes: "Beth hoffai plant roi cynnig arno, o'i gymharu â'r hyn sy'n cael ei gynnig",
    words: "Geiriau'r plant eu hunain",
    arts: "Celfyddydau a diwylliant",
    mostDeprived: "Pumed 1 (mwyaf difreintiedig)",
    la: "Awdurdod lleol cartref y plentyn",
    show: "Dangos",
  },
} as const;

for (const lang of ["en", "cy"] as const) {
  test(`the coordinator reads what children say in ${lang === "cy" ? "Welsh" : "English"} at 320 px`, async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 800 });
    await signIn(page, "coordinator@demo.test", lang);
    await page.goto(`/coordinator?lang=${lang}`);
    await page.getByRole("link", { name: text[lang].link }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(text[lang].link);
    await expect(page.getByRole("heading", { name: text[lang].wishes })).toBeVisible();
    const wishes = page.getByRole("region", { name: text[lang].wishes });
    await expect(wishes.getByRole("rowheader", { name: text[lang].arts })).toBeVisible();
    await expect(wishes.getByRole("columnheader", { name: text[lang].mostDeprived })).toBeVisible();
    await expect(page.getByRole("heading", { name: text[lang].words })).toBeVisible();
    expect(await fitsWidth(page)).toBe(true);
    await expectNoAxeViolations(page);

    // By keyboard: the grouping by local authority, then Show.
    await page.getByLabel(text[lang].la).focus();
    await page.keyboard.press("Space");
    await page.getByRole("button", { name: text[lang].show }).focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/groups=la/);
    await expect(
      page.getByRole("region", { name: text[lang].wishes }).getByRole("columnheader", { name: lang === "cy" ? "Wrecsam" : "Wrexham" }),
    ).toBeVisible();
    expect(await fitsWidth(page)).toBe(true);
    await expectNoAxeViolations(page);
  });
}

test("a provider sees its own activities' ratings, and not the area's wishes or the children's words", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 800 });
  await signIn(page, "provider@demo.test", "en");
  await page.goto("/provider");
  await page.getByRole("link", { name: text.en.link }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(text.en.link);
  await expect(page.getByRole("radio", { name: "Activity", exact: true })).toBeChecked();
  await expect(page.getByRole("heading", { name: text.en.wishes })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: text.en.words })).toHaveCount(0);
  expect(await fitsWidth(page)).toBe(true);
  await expectNoAxeViolations(page);
  // The area's breakdown is refused with a message, not a 500.
  await page.goto("/reports/voice?by=provider");
  await expect(page.getByRole("alert")).toContainText("Choose how to group the ratings");
  await expectNoAxeViolations(page);
});
