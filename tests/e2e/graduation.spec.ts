import type { Page } from "@playwright/test";
import { addDays, ukDate } from "../../app/modules/activities/uk-time.server";
import { expect, test, expectNoAxeViolations, fitsWidth } from "./support";

const DEMO_PASSWORD = "pasbort-demo";

/** Today in Wales, as a date input takes it. */
const today = () => ukDate(new Date());

async function checkPage(page: Page) {
  await expectNoAxeViolations(page);
  expect(await fitsWidth(page)).toBe(true);
}

test.use({ viewport: { width: 320, height: 800 } });

test("the coordinator runs a graduation for one school, end to end", async ({ page }) => {
  await page.goto("/login?lang=en");
  await page.getByLabel("Email address").fill("coordinator@demo.test");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/coordinator$/);

  await page.getByRole("link", { name: "Graduations" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Graduations");
  await checkPage(page);

  // A mistake first: the form says what to fix and keeps what was typed.
  const name = "Siân O'Neill-Ŵyn's graduation";
  await page.getByLabel("Name of the graduation").fill(name);
  await page.getByRole("button", { name: "Create the graduation" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "There is a problem" })).toContainText("Enter the date of the ceremony");
  await expect(page.getByRole("alert").filter({ hasText: "There is a problem" })).toContainText("Enter the start time of the ceremony");
  await expect(page.getByLabel("Name of the graduation")).toHaveValue(name);
  await checkPage(page);

  // A start time that is not on the 24-hour clock is refused, and kept to correct.
  await page.getByLabel("Date of the ceremony").fill(today());
  await page.getByLabel("Start time of the ceremony").fill("6.30pm");
  await page.getByLabel("Venue").fill("Tŷ Pawb, Wrecsam");
  await page.getByLabel("Cut-off date").fill(today());
  await page.getByRole("button", { name: "Create the graduation" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "There is a problem" })).toContainText("Enter the start time on the 24-hour clock, for example 18:30");
  await expect(page.getByLabel("Start time of the ceremony")).toHaveValue("6.30pm");
  await checkPage(page);

  await page.getByLabel("Start time of the ceremony").fill("18:30");
  await page.getByLabel("Date of the ceremony").fill(today());
  await page.getByLabel("Venue").fill("Tŷ Pawb, Wrecsam");
  await page.getByLabel("Cut-off date").fill(today());
  await page.getByRole("button", { name: "Create the graduation" }).click();
  await expect(page).toHaveURL(/\/coordinator\/graduations\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByText("Starts at 18:30.")).toBeVisible();
  await checkPage(page);

  // The start time the letters and emails give can be changed here; a bad one says how to fix it.
  await expect(page.getByLabel("Start time of the ceremony")).toHaveValue("18:30");
  await page.getByLabel("Start time of the ceremony").fill("25:00");
  await page.getByRole("button", { name: "Save the start time" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "There is a problem" })).toContainText("Enter the start time on the 24-hour clock, for example 18:30");
  await checkPage(page);
  await page.getByLabel("Start time of the ceremony").fill("19:00");
  await page.getByRole("button", { name: "Save the start time" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Start time saved: 19:00." })).toBeVisible();
  await expect(page.getByText("Starts at 19:00.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Download the letters (PDF)" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Email the families" })).toBeVisible();

  // Filter the list to the school of the first child on it.
  const table = page.getByRole("table");
  const firstSchool = (await table.locator("tbody tr").first().locator("td").first().textContent())!.trim();
  await page.getByLabel("School", { exact: true }).selectOption({ label: firstSchool });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/\?school=/);
  const schoolCells = await table.locator("tbody tr td:first-of-type").allTextContents();
  expect(schoolCells.length).toBeGreaterThan(0);
  expect(new Set(schoolCells.map((cell) => cell.trim()))).toEqual(new Set([firstSchool]));
  await checkPage(page);

  // The list as CSV: one line per child shown, plus the heading.
  const csvHref = await page.getByRole("link", { name: "Download the list (CSV)" }).getAttribute("href");
  const csv = await page.request.get(csvHref!);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines[0]).toContain("Given name");
  expect(lines).toHaveLength(schoolCells.length + 1);
  expect(lines.slice(1).every((line) => line.includes(firstSchool))).toBe(true);

  // Attendance: the first child came.
  const firstChild = (await table.locator("tbody tr").first().locator("th").textContent())!.trim();
  await page.getByRole("checkbox", { name: `${firstChild} attended` }).check();
  await page.getByRole("button", { name: "Save attendance" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Attendance saved" })).toContainText("Attended: 1.");
  await expect(page.getByRole("checkbox", { name: `${firstChild} attended` })).toBeChecked();

  // Mark graduated: a confirmation first.
  await page.getByRole("button", { name: "Mark graduated" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "There is a problem" })).toContainText("Tick the box to confirm");
  await page.getByLabel("Attendance is recorded, and I understand that this cannot be undone").check();
  await page.getByRole("button", { name: "Mark graduated" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Marked graduated." })).toBeVisible();
  await expect(page.getByText("This list is final and attendance can no longer change")).toBeVisible();
  await expect(page.getByRole("checkbox")).toHaveCount(0);
  await checkPage(page);

  // The school's certificates, one PDF.
  const certificates = page.getByRole("link", { name: `Certificates for ${firstSchool} (PDF)` });
  await expect(certificates).toBeVisible();
  const pdf = await page.request.get((await certificates.getAttribute("href"))!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");

  // Every school's certificates in one download, saved under the graduation's name with its dash.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "All certificates, every school, in one PDF" }).click()]);
  expect(download.suggestedFilename()).toBe(`${name} – certificates, all schools.pdf`);
});

test("attendance and the school filter work without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 800 } });
  const page = await context.newPage();
  await page.goto("/login?lang=cy");
  await page.getByLabel("Cyfeiriad e-bost").fill("coordinator@demo.test");
  await page.getByLabel("Cyfrinair").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Mewngofnodi" }).click();
  await page.goto("/coordinator/graduations");
  // The first test's graduation has today's cut-off: this one must come after it.
  const tomorrow = addDays(today(), 1);
  await page.getByLabel("Enw'r seremoni raddio").fill("Gŵyl Raddio Tŷ Pawb");
  await page.getByLabel("Dyddiad y seremoni").fill(tomorrow);
  await page.getByLabel("Amser dechrau'r seremoni").fill("10:00");
  await page.getByLabel("Lleoliad").fill("Tŷ Pawb, Wrecsam");
  await page.getByLabel("Dyddiad terfyn").fill(tomorrow);
  await page.getByRole("button", { name: "Creu'r seremoni raddio" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Gŵyl Raddio Tŷ Pawb");
  await expect(page.getByText("Mae plant na ddaeth i seremoni gynharach yn aros ar y rhestr")).toBeVisible();
  await expect(page.getByText("Yn dechrau am 10:00.")).toBeVisible();

  // The start time changes without JavaScript too; a bad one is refused in Welsh.
  await page.getByLabel("Amser dechrau'r seremoni").fill("hanner awr wedi deg");
  await page.getByRole("button", { name: "Cadw'r amser dechrau" }).click();
  await expect(page.getByRole("alert")).toContainText("Rhowch yr amser dechrau ar y cloc 24 awr, er enghraifft 18:30");
  await expect(page.getByLabel("Amser dechrau'r seremoni")).toHaveValue("hanner awr wedi deg");
  await page.getByLabel("Amser dechrau'r seremoni").fill("10:30");
  await page.getByRole("button", { name: "Cadw'r amser dechrau" }).click();
  await expect(page.getByRole("status")).toContainText("Amser dechrau wedi'i gadw: 10:30.");
  await expect(page.getByText("Yn dechrau am 10:30.")).toBeVisible();

  const table = page.getByRole("table");
  const firstSchool = (await table.locator("tbody tr").first().locator("td").first().textContent())!.trim();
  await page.getByLabel("Ysgol", { exact: true }).selectOption({ label: firstSchool });
  await page.getByRole("button", { name: "Dangos" }).click();
  await expect(page).toHaveURL(/\?school=/);
  const firstChild = (await table.locator("tbody tr").first().locator("th").textContent())!.trim();
  await page.getByRole("checkbox", { name: `Roedd ${firstChild} yn bresennol` }).check();
  await page.getByRole("button", { name: "Cadw'r presenoldeb" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Presenoldeb wedi'i gadw" })).toContainText("Yn bresennol: 1.");
  await expect(page.getByRole("checkbox", { name: `Roedd ${firstChild} yn bresennol` })).toBeChecked();
  // (Accessibility and width are checked on the same pages in the test above: axe needs JavaScript.)
  await context.close();
});
