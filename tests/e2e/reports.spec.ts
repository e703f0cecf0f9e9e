import { expect, test, expectNoAxeViolations } from "./support";

const DEMO_PASSWORD = "pasbort-demo";

test("a viewer opens the equity report in Welsh: suppressed table, chart with its summary, CSV, no accessibility faults", async ({ page }) => {
  await page.goto("/login?lang=cy");
  await page.getByLabel("Cyfeiriad e-bost").fill("viewer@demo.test");
  await page.getByLabel("Cyfrinair").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Mewngofnodi" }).click();
  await expect(page).toHaveURL(/\/viewer$/);
  await page.getByRole("link", { name: "Adroddiad tegwch: pwy rydyn ni'n eu cyrraedd" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Adroddiad tegwch");

  // The demo's autumn term is always in this academic year.
  await page.getByLabel("Y flwyddyn academaidd hon (o 1 Medi)").check();
  await page.getByRole("button", { name: "Dangos yr adroddiad" }).click();
  await expect(page).toHaveURL(/period=year/);

  const table = page.getByRole("table");
  await expect(table.getByRole("rowheader", { name: "Pumed 1 (mwyaf difreintiedig)" })).toBeVisible();
  await expect(table.getByRole("rowheader", { name: "Cyfanswm" })).toBeVisible();
  const chart = page.getByRole("img", { name: /Cyfran y plant a gymerodd ran/ });
  await expect(chart).toBeVisible();
  await expect(page.locator("#report-summary")).toContainText("Pumed 1 (mwyaf difreintiedig)");
  await expect(page.getByRole("heading", { name: "Y bwlch dros y chwe thymor diwethaf" })).toBeVisible();
  await expect(page.getByRole("img", { name: /Cyfran y plant wedi cofrestru a gymerodd ran, fesul tymor/ })).toBeVisible();
  await expect(page.locator("#trend-summary")).toContainText("Tymor yr hydref");
  await expectNoAxeViolations(page);

  const csvLink = page.getByRole("link", { name: "Lawrlwytho'r ffigurau (CSV)" });
  const href = await csvLink.getAttribute("href");
  const csv = await page.request.get(href!);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect(await csv.text()).toContain("Pumed 1 (mwyaf difreintiedig)");

  // Other breakdowns draw too.
  await page.getByLabel("Rhannu'r ffigurau").selectOption("category");
  await page.getByRole("button", { name: "Dangos yr adroddiad" }).click();
  await expect(page.getByRole("columnheader", { name: "O'r ddau bumed mwyaf difreintiedig", exact: true })).toBeVisible();
  await expectNoAxeViolations(page);

  // Local authorities carry their Welsh names, and the page says which benchmark the fair share uses.
  await page.getByLabel("Rhannu'r ffigurau").selectOption("la");
  await page.getByRole("button", { name: "Dangos yr adroddiad" }).click();
  await expect(page.getByRole("table").getByRole("rowheader", { name: "Wrecsam" })).toBeVisible();
  await expect(page.getByRole("table").getByRole("rowheader", { name: "Sir y Fflint" })).toBeVisible();
  await expect(page.locator("#report-benchmark")).toContainText("Cyfran deg: cyfran y grŵp o gymdogaethau'r ardal");
  await expectNoAxeViolations(page);

  // A period of more than a year is explained, in Welsh, in the error summary.
  await page.getByLabel("Dyddiadau eraill (llenwch isod)").check();
  await page.getByLabel("O", { exact: true }).fill("2024-09-01");
  await page.getByLabel("Hyd at", { exact: true }).fill("2026-08-31");
  await page.getByRole("button", { name: "Dangos yr adroddiad" }).click();
  await expect(page.getByRole("alert")).toContainText("Mae adroddiad yn cwmpasu blwyddyn ar y mwyaf");
  await expectNoAxeViolations(page);
});

test("the report works without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/login?lang=en");
  await page.getByLabel("Email address").fill("viewer@demo.test");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.goto("/reports/equity?period=year&by=la");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Equity report");
  await expect(page.getByRole("table").getByRole("rowheader", { name: "Total" })).toBeVisible();
  await context.close();
});
