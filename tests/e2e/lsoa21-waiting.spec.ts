import { expect, test, expectNoAxeViolations, fitsWidth, signIn } from "./support";

/**
 * The coordinator's count of children waiting for a 2021 neighbourhood (their 2011 one was
 * split): the demo has children in Holt 1 (Wrexham), split in 2021. Welsh and English, axe,
 * 320 px, and no page or hydration error (support.ts's test fails on those).
 */
test("the coordinator sees how many children wait for a 2021 neighbourhood, by school, in Welsh and English", async ({ page }) => {
  await signIn(page, "coordinator@demo.test", "cy");
  await expect(page).toHaveURL(/\/coordinator$/);
  const cy = page.getByRole("region", { name: "Plant sy'n aros am gymdogaeth 2021" });
  await expect(cy).toBeVisible();
  await expect(cy.getByRole("columnheader", { name: "Plant yn aros" })).toBeVisible();
  // Every count shown comes through disclosure control (a multiple of 5); the total row is there.
  const counts = await cy.locator("tbody td").allInnerTexts();
  expect(counts.length).toBeGreaterThan(0);
  for (const count of counts) expect(count).toMatch(/^\d*[05]$/);
  await expect(cy.getByRole("rowheader", { name: "Cyfanswm" })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.goto("/coordinator?lang=en");
  const en = page.getByRole("region", { name: "Children waiting for a 2021 neighbourhood" });
  await expect(en.getByText(/count them as not known until a parent or carer gives the postcode again/)).toBeVisible();
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await fitsWidth(page)).toBe(true);
  await expectNoAxeViolations(page);
});
