import type { Locator, Page } from "@playwright/test";
import { expect, test, expectNoAxeViolations, fitsWidth, signIn, waitForHydration } from "./support";

/**
 * The guardian's postcode re-ask (issue 14): the demo guardian's two children live in Holt 1
 * (Wrexham), a 2011 LSOA split in 2021, so both wait for a 2021 neighbourhood; the e2e database
 * has a postcode directory of three rows there (tests/fixtures/postcodes-e2e.csv). A bad
 * postcode gets a message next to the field and keeps what was typed; a good one places the
 * child and the question goes; the audit trail says a child was placed, never the postcode.
 * Keyboard only, at 320 px: in Welsh and English with the page's scripts (and axe), then in
 * English without them (axe needs scripts to run, so it checks the same pages with them).
 */

const PLACING_POSTCODES = ["LL13 9SD", "LL139SD", "LL13 9TE", "LL139TE"];

/** Presses Tab until the element has the focus, as a keyboard user gets there. */
async function tabTo(page: Page, target: Locator) {
  for (let presses = 0; presses < 150; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error("The field could not be reached with the Tab key.");
}

/** Replaces the focused field's text by typing, and sends its form with Enter. */
async function typeAndSend(page: Page, field: Locator, text: string) {
  await tabTo(page, field);
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Backspace");
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
}

test("the guardian gives a waiting child's postcode again: a bad one is explained, a good one places the child, in Welsh and English, with and without JavaScript", async ({
  page,
  browser,
}) => {
  // Five page loads with axe and a second browser on two shared cores.
  test.slow();
  // Welsh, with the page's scripts, on a small phone.
  await page.setViewportSize({ width: 320, height: 720 });
  await signIn(page, "guardian@demo.test", "cy");
  await expect(page).toHaveURL(/\/guardian$/);
  await waitForHydration(page);
  const questionsCy = page.getByRole("region", { name: /^Ble mae .+ yn byw\? Un cwestiwn$/ });
  await expect(questionsCy).toHaveCount(2);
  const first = questionsCy.first();
  await expect(first).toContainText("Dim ond ar gyfer hynny rydyn ni'n ei ddefnyddio, ac yna rydyn ni'n ei anghofio.");
  expect(await fitsWidth(page)).toBe(true);
  await expectNoAxeViolations(page);

  const fieldCy = first.getByLabel(/^Cod post cartref /);
  await typeAndSend(page, fieldCy, "LL13");
  await expect(first.getByText("Rhowch god post go iawn, fel LL11 1AA").first()).toBeVisible();
  await expect(fieldCy).toHaveAttribute("aria-invalid", "true");
  await expect(fieldCy).toHaveAccessibleDescription(/Rhowch god post go iawn, fel LL11 1AA/);
  await expect(fieldCy).toHaveValue("LL13");
  await expect(questionsCy).toHaveCount(2);
  expect(await fitsWidth(page)).toBe(true);
  await expectNoAxeViolations(page);

  await typeAndSend(page, fieldCy, "LL13 9SD");
  await expect(page).toHaveURL(/\/guardian\?placed=1$/);
  await expect(page.getByRole("status")).toHaveText("Diolch. Mae'r gymdogaeth wedi'i chadw; dydyn ni ddim wedi cadw'r cod post.");
  await expect(questionsCy).toHaveCount(1);
  await expectNoAxeViolations(page);

  // English, with the page's scripts: an empty answer is explained too.
  await page.goto("/guardian?lang=en");
  await waitForHydration(page);
  const questionEn = page.getByRole("region", { name: /^Where does .+ live\? One question$/ });
  await expect(questionEn).toHaveCount(1);
  await expectNoAxeViolations(page);
  await typeAndSend(page, questionEn.getByLabel(/home postcode$/), "");
  await expect(questionEn.getByLabel(/home postcode$/)).toHaveAccessibleDescription(/Enter the postcode, or leave this for now/);
  await expect(questionEn).toHaveCount(1);
  expect(await fitsWidth(page)).toBe(true);
  await expectNoAxeViolations(page);

  // English, without JavaScript: the forms are the browser's own.
  const plain = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 720 } });
  try {
    const noJs = await plain.newPage();
    await signIn(noJs, "guardian@demo.test", "en");
    await noJs.goto("/guardian?lang=en");
    const questionsEn = noJs.getByRole("region", { name: /^Where does .+ live\? One question$/ });
    await expect(questionsEn).toHaveCount(1);
    const fieldEn = questionsEn.getByLabel(/home postcode$/);
    await typeAndSend(noJs, fieldEn, "LL13 0ZZ");
    await expect(questionsEn.getByText("We could not find that postcode. Check it, or leave this for now").first()).toBeVisible();
    await expect(fieldEn).toHaveAccessibleDescription(/We could not find that postcode/);
    await expect(fieldEn).toHaveValue("LL13 0ZZ");
    expect(await fitsWidth(noJs)).toBe(true);

    await typeAndSend(noJs, fieldEn, "ll139te");
    await expect(noJs).toHaveURL(/\/guardian\?placed=1$/);
    await expect(noJs.getByRole("status")).toHaveText("Thank you. The neighbourhood is saved; the postcode has not been kept.");
    await expect(questionsEn).toHaveCount(0);

    // The coordinator's audit trail has both placings and none of the postcodes.
    await noJs.context().clearCookies();
    await signIn(noJs, "coordinator@demo.test", "en");
    await noJs.goto("/coordinator/audit?action=child_home_placed&lang=en");
    // Two events (the action filter's own option names it too).
    const placings = noJs.getByText("Child's 2021 neighbourhood found from a postcode (postcode not kept)").and(noJs.locator(":not(option)"));
    await expect(placings).toHaveCount(2);
    const audit = (await noJs.content()).toUpperCase();
    for (const postcode of PLACING_POSTCODES) expect(audit).not.toContain(postcode);
  } finally {
    await plain.close();
  }
});
