import type { Browser, Page } from "@playwright/test";
import { expect, test, DEMO_PASSWORD, expectNoAxeViolations, fitsWidth, signIn } from "./support";

/** The demo provider opens today's all-day session and its code page; returns the session page's address. */
async function openTodaysCode(page: Page) {
  await signIn(page, "provider@demo.test");
  await expect(page).toHaveURL(/\/provider$/);
  await page.locator("section[aria-labelledby=today-heading]").getByRole("link").first().click();
  await expect(page).toHaveURL(/\/provider\/sessions\/[0-9a-f-]{36}$/);
  const sessionUrl = page.url();
  await page.getByRole("link", { name: "Show the code for families to claim credits" }).click();
  await expect(page).toHaveURL(/\/code$/);
  await expect(page.getByRole("img", { name: "QR code to claim credits for this session" })).toBeVisible();
  return sessionUrl;
}

async function claimUrlOn(page: Page) {
  const url = await page.locator("[data-claim-url]").getAttribute("data-claim-url");
  expect(url).toMatch(/\/claim\/[A-Za-z0-9_-]{56}$/);
  return url!;
}

async function guardianPage(browser: Browser) {
  const context = await browser.newContext();
  return context.newPage();
}

test("a parent claims a credit with the session's code, in Welsh, from sign-in to the credit", async ({ page, browser }) => {
  await openTodaysCode(page);
  // The code is also readable as numbers, and the page works for keyboard and screen reader users.
  await expect(page.getByText(/^\d{4} \d{4}$/)).toBeVisible();
  await expectNoAxeViolations(page);
  // The script's source of fresh codes answers with a new code for the same session.
  const fresh = await page.request.get(`${page.url()}.json`);
  expect(fresh.status()).toBe(200);
  expect(((await fresh.json()) as { code: { url: string } }).code.url).toMatch(/\/claim\//);

  const claimUrl = await claimUrlOn(page);
  const parent = await guardianPage(browser);
  await parent.goto(`${claimUrl}?lang=cy`);
  // Signed out: only a sign-in prompt, nothing about any child.
  await expect(parent.getByRole("heading", { level: 1 })).toHaveText("Hawlio credydau am sesiwn");
  await expectNoAxeViolations(parent);
  await parent.getByRole("main").getByRole("link", { name: "Mewngofnodi" }).click();
  await parent.getByLabel("Cyfeiriad e-bost").fill("guardian@demo.test");
  await parent.getByLabel("Cyfrinair").fill(DEMO_PASSWORD);
  await parent.getByRole("button", { name: "Mewngofnodi" }).click();

  // Back at the claim, now on the parent's own ticket address.
  await expect(parent).toHaveURL(/\/claim\/[A-Za-z0-9_-]{78}$/);
  await expect(parent.getByRole("heading", { level: 1 })).toHaveText("Hawlio credydau");
  const who = parent.getByRole("group", { name: "Pwy gymerodd ran?" });
  await expect(who.getByRole("checkbox")).toHaveCount(2);
  await expectNoAxeViolations(parent);

  // Nothing ticked: the summary says how to fix it.
  await parent.getByRole("button", { name: "Hawlio credydau" }).click();
  await expect(parent.getByRole("alert")).toContainText("Ticiwch o leiaf un plentyn");
  await expectNoAxeViolations(parent);

  await who.getByRole("checkbox").first().check();
  await parent.getByRole("button", { name: "Hawlio credydau" }).click();
  const results = parent.getByRole("region", { name: "Beth ddigwyddodd" });
  await expect(results).toContainText(/Ychwanegwyd \d+(\.\d+)? awr\. Cyfanswm nawr: \d+(\.\d+)? awr\./);
  // Focus is on what happened, not back at the top of the page.
  await expect(results).toBeFocused();
  // The result says it once: the child is not listed again under "already claimed" right below; the other can still be ticked.
  await expect(parent.getByRole("heading", { name: "Wedi'u hawlio'n barod" })).toHaveCount(0);
  await expect(who.getByRole("checkbox")).toHaveCount(1);
  await expectNoAxeViolations(parent);
  // Coming back later, the child shows as done. (Not a reload: the page, sent without React (ADR
  // 0042), is the answer to a plain POST, which a reload sends again, answered "already claimed".)
  await parent.goto(parent.url());
  await expect(parent.getByRole("heading", { name: "Wedi'u hawlio'n barod" })).toBeVisible();

  // Readable on a small phone.
  await parent.setViewportSize({ width: 320, height: 640 });
  expect(await fitsWidth(parent)).toBe(true);
  await parent.context().close();
});

test("an old or changed code gets a clear page saying what to do", async ({ browser }) => {
  const parent = await guardianPage(browser);
  await signIn(parent, "guardian@demo.test");
  await expect(parent).toHaveURL(/\/guardian$/);
  await parent.goto(`/claim/${"A".repeat(56)}`);
  await expect(parent.getByRole("heading", { level: 1 })).toHaveText("This code is not valid");
  await expect(parent.getByText("Scan the code on the screen again.", { exact: false })).toBeVisible();
  await expectNoAxeViolations(parent);
  await parent.context().close();
});

test("the code on screen changes by itself, without reloading the page; the poster prints its own code", async ({ page }) => {
  test.setTimeout(90_000);
  await openTodaysCode(page);
  await expect(page.getByRole("button", { name: "Show full screen" })).toBeVisible();
  const first = await claimUrlOn(page);
  await page.evaluate(() => Object.assign(window, { stillThisPage: true }));
  await expect.poll(() => page.locator("[data-claim-url]").getAttribute("data-claim-url"), { timeout: 45_000, intervals: [1_000] }).not.toBe(first);
  expect(await page.evaluate(() => (window as unknown as { stillThisPage?: boolean }).stillThisPage)).toBe(true);
  await expect(page.locator('meta[http-equiv="refresh"]')).toHaveCount(0);

  // (Clicked once more if the first click lands in the instant the new code is drawn.)
  await expect(async () => {
    await page.getByRole("link", { name: "Print a poster with a code" }).click();
    await expect(page).toHaveURL(/\/poster$/, { timeout: 3_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Poster with the claim code");
  const poster = page.getByRole("article", { name: "Poster with the claim code" });
  await expect(poster.getByText("Sut i hawlio credydau")).toBeVisible();
  await expect(poster.getByText("How to claim credits")).toBeVisible();
  expect(await poster.getAttribute("data-claim-url")).toMatch(/\/claim\/[A-Za-z0-9_-]{56}$/);
  await expectNoAxeViolations(page);
});

test("a parent whose phone will not scan types the number from the screen", async ({ page, browser }) => {
  await openTodaysCode(page);
  const number = (await page.getByText(/^\d{4} \d{4}$/).textContent())!;
  const parent = await guardianPage(browser);
  await signIn(parent, "guardian@demo.test");
  await expect(parent).toHaveURL(/\/guardian$/);
  await parent.getByRole("link", { name: "Type a session code" }).click();
  await expect(parent.getByRole("heading", { level: 1 })).toHaveText("Type a session code");
  await parent.getByLabel("Session code").fill("1234");
  await parent.getByRole("button", { name: "Continue" }).click();
  await expect(parent.getByRole("alert")).toContainText("Type the 8 digits shown under the QR code");
  await expectNoAxeViolations(parent);
  await parent.getByLabel("Session code").fill(number);
  await parent.getByRole("button", { name: "Continue" }).click();
  await expect(parent).toHaveURL(/\/claim\/[A-Za-z0-9_-]{78}$/);
  await expect(parent.getByRole("heading", { level: 1 })).toHaveText("Claim credits");
  // Focus goes on to the next field (the first child to tick), not the top of the page.
  await expect(parent.getByRole("group", { name: "Who took part?" }).getByRole("checkbox").first()).toBeFocused();
  await parent.context().close();
});

test("without JavaScript the code page refreshes itself every 30 seconds", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await openTodaysCode(page);
  await expect(page.locator('meta[http-equiv="refresh"]')).toHaveAttribute("content", "30");
  await context.close();
});

test("with approval on, a claim waits until the organiser approves it", async ({ page, browser }) => {
  await openTodaysCode(page);
  await page.getByLabel("Yes: I approve each claim").check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toContainText("claims for this activity will wait for your approval");
  const claimUrl = await claimUrlOn(page);

  const parent = await guardianPage(browser);
  await signIn(parent, "guardian@demo.test");
  await expect(parent).toHaveURL(/\/guardian$/);
  await parent.goto(claimUrl);
  const who = parent.getByRole("group", { name: "Who took part?" });
  // The first child was credited in the test before (same demo database); the other is free.
  await who.getByRole("checkbox").first().check();
  await parent.getByRole("button", { name: "Send for approval" }).click();
  await expect(parent.getByRole("region", { name: "What happened" })).toContainText("Sent to the organiser for approval.");
  await parent.goto("/guardian");
  await expect(parent.getByRole("heading", { name: "1 claim waiting for the organiser" })).toBeVisible();

  // The count also follows on its own as the code refreshes; a reload shows it at once.
  await page.reload();
  await page.getByRole("link", { name: "1 claim waiting for approval" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Claims waiting for approval");
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: /^Approve .+\.$/ }).click();
  await expect(page.getByRole("status")).toContainText("Claim approved: the credit was added.");

  await parent.reload();
  await expect(parent.getByText("Approved: the credit was added.")).toBeVisible();
  await parent.context().close();

  // Back as it was, for anyone else using the demo.
  await page.goto(page.url().replace(/\/provider\/claims.*$/, "/provider"));
  await page.locator("section[aria-labelledby=today-heading]").getByRole("link").first().click();
  await page.getByRole("link", { name: "Show the code for families to claim credits" }).click();
  await page.getByLabel("No: credits are added straight away").check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toContainText("added straight away");
});
