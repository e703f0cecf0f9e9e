import { expect, test, expectNoAxeViolations, fitsWidth, signIn } from "./support";

test("the coordinator opens the award ladder in Welsh and English and is stopped by a falling threshold", async ({ page }) => {
  await signIn(page, "coordinator@demo.test", "cy");
  await expect(page).toHaveURL(/\/coordinator$/);
  await expect(page.getByRole("link", { name: /Gwobrau i'w hadolygu/ })).toBeVisible();
  await page.getByRole("link", { name: "Ysgol wobrwyo" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ysgol wobrwyo");
  await expect(page.locator("#level-0-nameCy")).toHaveValue("Israddedig Efydd");
  await expectNoAxeViolations(page);

  await page.locator("#level-1-threshold").fill("10");
  await page.getByRole("button", { name: "Cadw'r ysgol" }).click();
  const summary = page.getByRole("alert");
  await expect(summary).toContainText("Lefel 2: mae 10 awr yn llai na lefel 1 (30 awr)");
  await expect(summary).toContainText("Does dim byd wedi'i gadw");
  // What was typed is kept, for correcting.
  await expect(page.locator("#level-1-threshold")).toHaveValue("10");
  await expectNoAxeViolations(page);

  await page.goto("/coordinator/awards?lang=en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Award ladder");
  await page.locator("#level-2-threshold").fill("65");
  await page.getByRole("button", { name: "Save the ladder" }).click();
  await expect(page.getByRole("alert")).toContainText("Level 3: 65 hours is the same as level 2");
  await page.getByRole("link", { name: /Level 3: 65 hours/ }).click();
  await expect(page.locator("#level-2-threshold")).toBeFocused();
  await expectNoAxeViolations(page);

  // Nothing was saved: the ladder still starts 30, 65, 100.
  await page.goto("/coordinator/awards");
  await expect(page.locator("#level-1-threshold")).toHaveValue("65");
  await expect(page.locator("#level-2-threshold")).toHaveValue("100");

  await page.setViewportSize({ width: 320, height: 800 });
  expect(await fitsWidth(page)).toBe(true);
  await page.setViewportSize({ width: 1280, height: 800 });

  // The awards to review open from the coordinator's home too.
  await page.goto("/coordinator?lang=cy");
  await page.getByRole("link", { name: /Gwobrau i'w hadolygu/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Gwobrau i'w hadolygu");
  await expectNoAxeViolations(page);
});

test("the guardian sees the awards reached and the next award on the passport", async ({ page }) => {
  await signIn(page, "guardian@demo.test", "cy");
  await expect(page).toHaveURL(/\/guardian$/);
  await page.locator('a[href^="/guardian/children/"]:not([href$="/new"])').first().click();
  await expect(page).toHaveURL(/\/guardian\/children\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "Gwobrau", exact: true })).toBeVisible();
  await expect(page.getByText(/awr arall tan/)).toBeVisible();
  await expectNoAxeViolations(page);

  await page.setViewportSize({ width: 320, height: 800 });
  expect(await fitsWidth(page)).toBe(true);
});
