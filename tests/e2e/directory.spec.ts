import type { Page } from "@playwright/test";
import { addDays, ukDate } from "../../app/modules/activities/uk-time.server";
import { expect, test, expectNoAxeViolations, fitsWidth } from "./support";

const DEMO_PASSWORD = "pasbort-demo";

/** In Welsh: free nature activities run in Welsh. The demo has exactly one (Ceidwaid Ifanc / Young Rangers). */
async function findFreeWelshNature(page: Page, { axe = true } = {}) {
  const check = async () => {
    // axe needs JavaScript in the page; the no-JavaScript run checks the flow only.
    if (axe) await expectNoAxeViolations(page);
  };
  await page.goto("/activities?lang=cy");
  await expect(page.locator("html")).toHaveAttribute("lang", "cy");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dod o hyd i weithgareddau");
  await check();

  // On a phone the filters are folded away under the search box until asked for.
  await page.getByText("Rhagor o hidlyddion").click();
  await page.getByLabel("Math o weithgaredd").selectOption({ label: "Natur a'r awyr agored" });
  await page.getByLabel("Am ddim yn unig").check();
  await page.getByLabel("Yn cael ei gynnal yn Gymraeg").check();
  await page.getByRole("button", { name: "Dangos gweithgareddau" }).click();

  // The search is in the address, so it can be shared.
  await expect(page).toHaveURL(/category=nature/);
  await expect(page).toHaveURL(/cost=free/);
  await expect(page).toHaveURL(/welsh=1/);
  await expect(page.getByRole("heading", { level: 2, name: /1 gweithgaredd/ })).toBeVisible();
  const result = page.getByRole("link", { name: "Ceidwaid Ifanc" });
  await expect(result).toBeVisible();
  await expect(page.getByText("Hidlyddion (3 yn cael eu defnyddio)")).toBeVisible();
  await expect(page.getByLabel("Am ddim yn unig")).toBeChecked();
  await check();

  await result.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ceidwaid Ifanc");
  await expect(page.getByText("Ceidwaid Ifanc Bryniau Clwyd")).toBeVisible();
  await expect(page.getByText("Am ddim", { exact: true })).toBeVisible();
  await expect(page.getByText("Yn cael ei gynnal yn Gymraeg")).toBeVisible();
  const sessions = page.locator("section", { has: page.getByRole("heading", { name: "Y sesiynau nesaf" }) });
  await expect(sessions.locator("li").first()).toContainText("Dydd Sadwrn");
  await check();
}

test("finds a free nature activity run in Welsh, in Welsh", async ({ page }) => {
  await findFreeWelshNature(page);
});

test("finds it on a 320 px phone", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto("/activities?lang=cy");
  expect(await fitsWidth(page)).toBe(true);
  await findFreeWelshNature(page);
  expect(await fitsWidth(page)).toBe(true);
});

test("finds it without JavaScript: plain forms and links", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await findFreeWelshNature(page, { axe: false });
  await context.close();
});

test("a shared search address opens the same results, in English, with a clear message for a bad age", async ({ page }) => {
  await page.goto("/activities?lang=en&category=nature&cost=free");
  await expect(page.getByRole("link", { name: "Young Rangers" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Bug Hunters" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Saturday Art Studio" })).toHaveCount(0);
  // Not yet validated: the demo's pending applicant and waiting activity are never listed.
  await expect(page.getByRole("link", { name: "Allotment Club" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Moth Night" })).toHaveCount(0);

  await page.getByLabel("Child's age").fill("nine");
  await page.getByRole("button", { name: "Show activities" }).click();
  const summary = page.getByRole("alert");
  await expect(summary).toContainText("Enter the child's age as a number of years");
  await expect(page.getByLabel("Child's age")).toHaveAttribute("aria-invalid", "true");
  await expectNoAxeViolations(page);
});

test("an activity described in one language says so", async ({ page }) => {
  await page.goto("/activities?lang=en&q=Clwb+Clonc");
  await page.getByRole("link", { name: "Clwb Clonc" }).click();
  await expect(page.getByText("This activity's details are only available in Welsh.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveAttribute("lang", "cy");
  await expectNoAxeViolations(page);
});

test("the application form explains what is missing, in Welsh, linked to each field", async ({ page }) => {
  await page.goto("/apply?lang=cy");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Gwneud cais i fod yn Gyrchfan Ddysgu");
  await expectNoAxeViolations(page);
  await page.getByLabel("Enw'r sefydliad").fill("Clwb Beicio Bwcle");
  await page.getByRole("button", { name: "Anfon y cais" }).click();
  const summary = page.getByRole("alert");
  await expect(summary).toBeFocused();
  await expect(summary).toContainText("Cadarnhewch fod gennych chi yswiriant atebolrwydd cyhoeddus");
  await summary.getByRole("link", { name: "Rhowch rif ffôn" }).click();
  await expect(page.getByLabel("Rhif ffôn")).toBeFocused();
  await expect(page.getByLabel("Enw'r sefydliad")).toHaveValue("Clwb Beicio Bwcle");
  await expectNoAxeViolations(page);
});

test("the coordinator sees the waiting application and activity, and the provider their activities", async ({ page }) => {
  await page.goto("/login?lang=en");
  await page.getByLabel("Email address").fill("coordinator@demo.test");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/coordinator$/);
  await page.goto("/coordinator/validation?lang=en");
  await expect(page.getByRole("link", { name: "Chirk Young Gardeners" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Moth Night" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "Chirk Young Gardeners" }).click();
  await expect(page.getByText("Not confirmed: public liability insurance")).toBeVisible();
  await page.getByLabel("Approve (validate for 12 months)").check();
  await page.getByRole("button", { name: "Record the decision" }).click();
  await expect(page.getByRole("alert")).toContainText("Tick all four Children's University criteria");
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("navigation").getByRole("link", { name: "Sign in" })).toBeVisible();

  await page.goto("/login?lang=en");
  await page.getByLabel("Email address").fill("provider@demo.test");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/provider$/);
  await expect(page.getByRole("heading", { name: "Activities needing attention" })).toBeVisible();
  await page.getByRole("link", { name: "Activities and sessions" }).click();
  await page.getByRole("link", { name: "Holiday Football Camp" }).click();
  await expect(page.getByText("Please say what the children will learn")).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "Make the changes and send it again" }).click();
  await page.getByLabel("Credit hours for each session").fill("8.5");
  // Skills it builds (issue 16): four is one too many, and the ticks survive the error.
  const skills = page.getByRole("group", { name: "Skills it builds" });
  for (const skill of ["Teamwork", "Listening", "Leadership", "Creativity"]) await skills.getByLabel(skill).check();
  await page.getByRole("button", { name: "Save and send for validation again" }).click();
  await expect(page.getByRole("alert")).toContainText("One session can earn at most 8 credit hours");
  await expect(page.getByRole("alert")).toContainText("Choose up to 3 skills");
  for (const skill of ["Teamwork", "Listening", "Leadership", "Creativity"]) await expect(skills.getByLabel(skill)).toBeChecked();
  await expectNoAxeViolations(page);
  await skills.getByLabel("Creativity").uncheck();
  await page.getByLabel("Credit hours for each session").fill("2");
  await page.getByLabel("Venue", { exact: true }).fill("Queensway Stadium");
  await page.getByRole("button", { name: "Save and send for validation again" }).click();
  await expect(page.getByRole("definition").filter({ hasText: "Listening, Leadership, Teamwork" })).toBeVisible();
  await expectNoAxeViolations(page);
});

test("an organisation applies without an account and lands on its private status page", async ({ page }) => {
  await page.goto("/apply?lang=en");
  await page.getByLabel("Name of the organisation").fill("Buckley Cycling Club");
  await page.getByLabel("What does it mainly offer?").selectOption({ label: "Sport" });
  await page.getByLabel("Local authority").selectOption({ label: "Flintshire" });
  await page.getByLabel("Town or village").fill("Buckley");
  await page.getByLabel("Contact name").fill("Rhian Lewis");
  await page.getByLabel("Email address").fill("rhian@buckley-cycling.example");
  await page.getByLabel("Phone number").fill("01244 000111");
  await page.getByLabel("The activities you run for children").fill("Saturday morning cycling skills and bike maintenance for ages 8 to 14.");
  await page.getByLabel(/DBS check/).check();
  await page.getByLabel(/safeguarding policy/).check();
  await page.getByLabel(/public liability insurance/).check();
  await page.getByRole("button", { name: "Send the application" }).click();
  await expect(page).toHaveURL(/\/apply\/status\/[A-Za-z0-9_-]+\?sent=1$/);
  await expect(page.getByRole("status")).toContainText("your application has been sent");
  await expect(page.getByText("Waiting for a decision")).toBeVisible();
  await expectNoAxeViolations(page);
});

test("provider staff add weekly sessions and cancel one, after confirming", async ({ page }) => {
  await page.goto("/login?lang=en");
  await page.getByLabel("Email address").fill("provider@demo.test");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/provider$/);
  await page.goto("/provider/activities");
  await page.getByRole("link", { name: "Girls' Football Skills" }).click();
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "Add sessions" }).click();
  await expectNoAxeViolations(page);

  const day = (offset: number) => addDays(ukDate(new Date()), offset);
  await page.getByRole("radio", { name: "Every week" }).check();
  await page.getByLabel("Date", { exact: true }).fill(day(60));
  await page.getByLabel(/Last date/).fill(day(60 + 370));
  await page.getByLabel("Start time").fill("18:00");
  await page.getByLabel("End time").fill("17:00");
  await page.getByRole("button", { name: "Add sessions" }).click();
  const summary = page.getByRole("alert");
  await expect(summary).toContainText("Weekly sessions can be planned for up to one year at a time");
  await expect(summary).toContainText("The session must end after it starts");
  await expectNoAxeViolations(page);

  await page.getByLabel(/Last date/).fill(day(74));
  await page.getByLabel("End time").fill("19:30");
  await page.getByRole("button", { name: "Add sessions" }).click();
  await expect(page.getByRole("status")).toContainText("Sessions added.");
  // Added sessions land on the new (first) session, one link from its activity.
  await expect(page).toHaveURL(/\/provider\/sessions\/[0-9a-f-]{36}\?saved=sessionsAdded$/);
  await page.getByRole("link", { name: "Back to the activity" }).click();

  await page
    .getByRole("link", { name: /^Cancel/ })
    .first()
    .click();
  await expect(page.getByRole("heading", { name: "Cancel this session?" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel("Reason (optional)").fill("Pitch closed for repairs");
  await page.getByRole("button", { name: "Cancel the session" }).click();
  await expect(page.getByRole("status")).toContainText("Session cancelled.");
  await expect(page.getByText("Pitch closed for repairs")).toBeVisible();
});
