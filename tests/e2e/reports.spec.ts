import { expect, test, expectNoAxeViolations } from "./support";

const DEMO_PASSWORD = "pasbort-demo";

test("a viewer opens the equity report in Welsh: protected table, chart with its summary, CSV, no accessibility faults", async ({ page }) => {
  await page.goto("/login?lang=cy");
  await page.getByLabel("Cyfeiriad e-bost").fill("viewer@demo.test");
  await page.getByLabel("Cyfrinair").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Mewngofnodi" }).click();
  await expect(page).toHaveURL(/\/viewer$/);
  await page.getByRole("link", { name: "Adroddiad tegwch: pwy rydyn ni'n eu cyrraedd" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Adroddiad tegwch");

  // The demo's autumn term is always in this academic year: the first published period listed after "this term".
  const periods = page.getByLabel("Cyfnod", { exact: true });
  await expect(periods.locator("option").nth(1)).toHaveText(/^Blwyddyn academaidd \d{4}–\d{4}$/);
  await periods.selectOption({ index: 1 });
  await page.getByRole("button", { name: "Dangos yr adroddiad" }).click();
  await expect(page).toHaveURL(/period=\d{4}-\d{2}&/);
  // A viewer has published periods only: no dates to fill in.
  await expect(page.getByLabel("O", { exact: true })).toHaveCount(0);
  await expect(page.locator("#report-internal-use")).toHaveCount(0);

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

  // Custom dates from a viewer are refused with the reason, in Welsh, in the error summary.
  const refused = await page.goto("/reports/equity?period=custom&from=2026-09-01&to=2026-11-30&lang=cy");
  expect(refused!.status()).toBe(403);
  await expect(page.getByRole("alert")).toContainText("Dim ond ar gyfer tymhorau a blynyddoedd academaidd cyfan y cyhoeddir ffigurau");
  await expectNoAxeViolations(page);
});

test("a coordinator's custom period is labelled for internal use, and a period of more than a year is explained", async ({ page }) => {
  await page.goto("/login?lang=en");
  await page.getByLabel("Email address").fill("coordinator@demo.test");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/coordinator$/);
  await page.goto("/reports/equity?lang=en");
  await page.getByLabel("Period", { exact: true }).selectOption("custom");
  await page.getByLabel("From", { exact: true }).fill("2024-09-01");
  await page.getByLabel("To", { exact: true }).fill("2026-08-31");
  await page.getByRole("button", { name: "Show the report" }).click();
  await expect(page.getByRole("alert")).toContainText("A report covers at most one year");
  await page.getByLabel("From", { exact: true }).fill("2026-09-01");
  await page.getByLabel("To", { exact: true }).fill("2026-10-31");
  await page.getByRole("button", { name: "Show the report" }).click();
  await expect(page.locator("#report-internal-use")).toContainText("For internal use only");
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
  await expect(page.getByText(/every count is rounded to a multiple of 5/)).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Equity report");
  await expect(page.getByRole("table").getByRole("rowheader", { name: "Total" })).toBeVisible();
  await context.close();
});
