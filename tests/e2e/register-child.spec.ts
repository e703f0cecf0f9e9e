import { expect, test, expectNoAxeViolations, fitsWidth, signIn } from "./support";

/**
 * A parent registers a child in Welsh, from the children's page to the new passport. The e2e
 * postcode directory has only a few rows (tests/fixtures/postcodes-e2e.csv), so the
 * neighbourhood is chosen from the searchable list — the path anyone whose postcode is not
 * found takes.
 */
test("a guardian registers a child in Welsh, with consent, and sees the new passport", async ({ page }) => {
  await signIn(page, "guardian@demo.test", "cy");
  await expect(page).toHaveURL(/\/guardian$/);

  await page.getByRole("link", { name: "Cofrestru plentyn" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cofrestru plentyn am basbort");
  await page.getByRole("link", { name: "Byddai'n well gen i ddewis fy nghymdogaeth o restr" }).click();
  await expect(page.getByRole("heading", { name: "Dewiswch eich cymdogaeth" })).toBeVisible();
  await expectNoAxeViolations(page);

  // Search works as a plain GET form.
  await page.getByLabel("Tref, pentref neu ardal").fill("Acton");
  await page.getByRole("button", { name: "Chwilio" }).click();
  await expect(page).toHaveURL(/q=Acton/);
  await page.getByRole("radio", { name: "Acton 1 (Wrexham)", exact: true }).check();
  await page.getByRole("button", { name: "Parhau" }).click();
  await expect(page.getByText("Acton 1, Wrexham")).toBeVisible();
  await expect(page.getByText("Dydyn ni ddim wedi cadw eich cod post.")).toBeVisible();

  await page.getByLabel("Enw cyntaf").fill("Gwenllïan");
  await page.getByLabel("Cyfenw").fill("Edwards");
  await page.getByLabel("Mis", { exact: true }).selectOption({ label: "Mai" });
  await page.getByLabel("Blwyddyn", { exact: true }).fill("2017");
  await page.getByLabel("Ysgol").selectOption({ index: 1 });
  await page.getByRole("radio", { name: "Cymraeg" }).check();

  // Without the consent nothing is made, and the summary says how to fix it.
  await page.getByRole("button", { name: "Cofrestru a chreu'r pasbort" }).click();
  const summary = page.getByRole("alert");
  await expect(summary).toContainText("Ticiwch y blwch i gytuno");
  await expect(summary).toBeFocused();
  await expect(page.getByLabel("Enw cyntaf")).toHaveValue("Gwenllïan");
  await expectNoAxeViolations(page);

  await page.getByLabel(/Fi yw rhiant neu ofalwr y plentyn/).check();
  await page.getByRole("button", { name: "Cofrestru a chreu'r pasbort" }).click();

  await expect(page).toHaveURL(/\/guardian\/children\/[0-9a-f-]{36}\?welcome=1$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pasbort Gwenllïan");
  await expect(page.getByText(/^WF-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/)).toBeVisible();
  await expect(page.getByText("awr hyd yn hyn")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Stampiau" })).toBeVisible();
  await expectNoAxeViolations(page);

  // The card prints as a PDF.
  const card = await page.request.get(page.url().replace(/\?.*$/, "/card.pdf"));
  expect(card.status()).toBe(200);
  expect(card.headers()["content-type"]).toBe("application/pdf");

  // Readable on a small phone, as a child would hold it.
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await fitsWidth(page)).toBe(true);

  // Back on the children's page, the new child is listed with the others.
  await page.getByRole("link", { name: "Yn ôl at eich plant" }).click();
  await expect(page.getByRole("link", { name: "Gwenllïan Edwards" })).toBeVisible();
});

test("a passport address shows nothing about the child when signed out", async ({ page }) => {
  const response = await page.goto("/p/AAAAAAAAAAAAAAAAAAAAAAAAAAA?lang=en");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("A Children's University passport");
  await expect(page.getByRole("link", { name: "Sign in" }).first()).toBeVisible();
  await expectNoAxeViolations(page);
});
