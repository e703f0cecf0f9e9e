import type { Browser, BrowserContext, Page } from "@playwright/test";
import { expect, test, expectNoAxeViolations, fitsWidth, pageScripts, signIn } from "./support";

/**
 * Scanning at a session, as a volunteer in a field would: the camera cannot run headless, so
 * the typed number stands in for it — it goes through the same queue. The demo seeds one
 * session of the demo provider open all of today (00:00 to 23:59).
 */

/** Pupils of the demo school, as the school coordinator's page lists them: name and passport number. */
async function schoolPupils(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "school@demo.test");
  await expect(page).toHaveURL(/\/school$/);
  const rows = page.getByRole("row").filter({ has: page.getByRole("link") });
  await expect(rows.first()).toBeVisible();
  const pupils = [];
  for (const row of await rows.all()) {
    const name = (await row.getByRole("link").innerText()).trim();
    const number = (await row.getByRole("cell").first().innerText()).trim();
    pupils.push({ given: name.split(" ")[0]!, initial: name.split(" ").at(-1)!.slice(0, 1), number });
  }
  await context.close();
  return pupils;
}

/** From the provider's home to today's all-day session page. */
async function openTodaysSession(page: Page) {
  await page.goto("/provider?lang=en");
  await page.locator("section[aria-labelledby=today-heading]").locator("li", { hasText: "00:00 to 23:59" }).first().getByRole("link").click();
  await expect(page).toHaveURL(/\/provider\/sessions\/[0-9a-f-]{36}$/);
  return page.url();
}

test.describe.configure({ mode: "serial" });

// One sign-in for the whole file: sign-ins are rate-limited per account, and other files sign
// the demo provider in too.
let context: BrowserContext;
let page: Page;
let children: Array<{ given: string; initial: string; number: string }>;
let sessionUrl: string;

test.beforeAll(async ({ browser }) => {
  context = await browser.newContext();
  page = await context.newPage();
  await signIn(page, "provider@demo.test");
  await expect(page).toHaveURL(/\/provider$/);
});
test.afterAll(async () => context.close());

test("staff give a credit by typed number; offline the scan waits on the phone and is sent when the signal returns", async ({ browser }) => {
  sessionUrl = await openTodaysSession(page);
  // Two pupils this session has no credit for yet (other tests may have credited some today).
  const credited = await page.locator("section", { has: page.getByRole("heading", { name: "Credits given for this session" }) }).innerText();
  const label = (child: { given: string; initial: string }) => `${child.given} ${child.initial}.`;
  children = (await schoolPupils(browser)).filter(
    (child, index, all) => !credited.includes(label(child)) && all.findIndex((other) => label(other) === label(child)) === index,
  );
  expect(children.length).toBeGreaterThanOrEqual(2);
  const [first, second] = children as [(typeof children)[0], (typeof children)[0]];
  // The session page is sent without scripts; the scanner, whose camera and queue need them,
  // with its island: its own small module, not Remix's client (ADR 0042, ADR 0046).
  expect((await pageScripts(page)).react).toBe(false);
  // The island's module waits until the page the server sent has been seen, so the test can
  // tell that Preact brought that HTML to life rather than drawing it again beside or over it.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const island = "**/build/islands/scanner-*.js";
  await page.route(island, async (route) => {
    await held;
    await route.continue();
  });
  await page.getByRole("link", { name: "Scan passports" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Scan passports");
  expect(await pageScripts(page)).toMatchObject({ remix: false, island: true });
  await page.evaluate(() => Object.assign(window, { servedForm: document.querySelector("#scanner-island form") }));
  release();
  // The queue is read back from the phone once the page has come to life.
  await expect(page.getByRole("heading", { name: "Waiting to send (0)" })).toBeVisible();
  expect(await page.evaluate(() => document.querySelector("#scanner-island form") === (window as unknown as { servedForm: Element }).servedForm)).toBe(true);
  await page.unroute(island);

  const result = page.getByTestId("scan-result");
  await expect(result).toHaveAttribute("aria-live", "assertive");
  await page.getByRole("textbox", { name: "Passport number" }).fill(first.number);
  await page.getByRole("button", { name: "Give the credit" }).click();
  await expect(result).toContainText("Credit given");
  await expect(result).toContainText(`${first.given} ${first.initial}.`);
  await expect(result).toContainText("2 hours added");
  await expect(result).toContainText(/Total now: [\d.]+ hours?/);
  await expect(page.getByRole("textbox", { name: "Passport number" })).toHaveValue("");
  await expect(page.getByRole("textbox", { name: "Passport number" })).toBeFocused();
  await expectNoAxeViolations(page);

  // A mistyped number is caught on the phone, and stays in the box to be put right.
  const typo = first.number.slice(0, -1) + (first.number.endsWith("Z") ? "Y" : "Z");
  await page.getByRole("textbox", { name: "Passport number" }).fill(typo);
  await page.getByRole("button", { name: "Give the credit" }).click();
  await expect(result).toContainText("Not given");
  await expect(result).toContainText("That passport number is not right");
  await expect(page.getByRole("textbox", { name: "Passport number" })).toHaveValue(typo);

  // No signal: the scan is kept, with its reason, and nothing is lost.
  await context.setOffline(true);
  await expect(page.getByText("You are offline.")).toBeVisible();
  await page.getByRole("textbox", { name: "Passport number" }).fill(second.number);
  await page.getByRole("button", { name: "Give the credit" }).click();
  await expect(result).toContainText("Saved on this phone");
  const waiting = page.locator("section", { has: page.getByRole("heading", { name: "Waiting to send (1)" }) });
  await expect(waiting).toContainText(second.number);
  await expect(waiting).toContainText("No signal");
  await expectNoAxeViolations(page);

  // Signal back: sent without anyone touching anything.
  await context.setOffline(false);
  await expect(page.getByRole("heading", { name: "Waiting to send (0)" })).toBeVisible({ timeout: 15_000 });
  const given = page.locator("section", { has: page.getByRole("heading", { name: "Given on this phone" }) });
  await expect(given).toContainText(`${second.given} ${second.initial}.`);
  await expect(given).toContainText(`${first.given} ${first.initial}.`);

  // Readable on a small phone.
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await fitsWidth(page)).toBe(true);

  // Both credits are on the session page, once each, with a way to revoke them.
  await page.goto(sessionUrl);
  for (const child of [first, second]) await expect(page.getByRole("link", { name: `Revoke ${label(child)}` })).toHaveCount(1);
  await expectNoAxeViolations(page);

  // A mistake is put right by revoking, with a reason: the record stays, marked.
  await page.getByRole("link", { name: `Revoke ${label(second)}` }).click();
  await expect(page.getByRole("heading", { name: `Revoke the credit for ${label(second)}?` })).toBeVisible();
  await page.getByRole("button", { name: "Revoke the credit" }).click();
  await expect(page.getByRole("alert")).toContainText("Give a reason for revoking the credit");
  await expectNoAxeViolations(page);
  await page.getByRole("textbox", { name: "Reason" }).fill("Scanned the wrong card");
  await page.getByRole("button", { name: "Revoke the credit" }).click();
  await expect(page.getByRole("status")).toContainText("The credit was revoked.");
  await expect(page.getByText("Revoked: Scanned the wrong card")).toBeVisible();
  await expect(page.getByRole("link", { name: `Revoke ${label(second)}` })).toHaveCount(0);
});

test("the scanner opens with no connection at all, from what the phone kept", async () => {
  await page.goto(`${sessionUrl}/scan`);
  await expect(page.getByRole("heading", { name: "Waiting to send (0)" })).toBeVisible();
  const path = new URL(page.url()).pathname;
  // The service worker keeps the page once it is in charge.
  await expect
    .poll(() => page.evaluate(async (p) => Boolean(await (await caches.open("pasbort-scanner-pages-v1")).match(p)), path), { timeout: 15_000 })
    .toBe(true);

  await context.setOffline(true);
  await context.route("**/*", (route) => route.abort("internetdisconnected"));
  const response = await page.reload();
  expect(response?.fromServiceWorker()).toBe(true);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Scan passports");
  await expect(page.getByRole("heading", { name: "Waiting to send (0)" })).toBeVisible();
  await expect(page.getByText("You are offline.")).toBeVisible();
  // The credits given earlier on this phone are still listed (the first test gave two).
  const given = page.locator("section", { has: page.getByRole("heading", { name: "Given on this phone" }) });
  await expect(given.getByRole("listitem")).toHaveCount(2);
  await context.unroute("**/*");
  await context.setOffline(false);
});

test("the typed-number form works without JavaScript, and says plainly why a credit was not given", async ({ browser }) => {
  const noScript = await browser.newContext({ javaScriptEnabled: false, storageState: await context.storageState() });
  const page = await noScript.newPage();
  await page.goto(`${sessionUrl}/scan`);
  await page.getByRole("textbox", { name: "Passport number" }).fill(children[0]!.number);
  await page.getByRole("button", { name: "Give the credit" }).click();
  const result = page.getByTestId("scan-result");
  await expect(result).toContainText("Not given");
  await expect(result).toContainText(`${children[0]!.given} ${children[0]!.initial}.`);
  await expect(result).toContainText("This child already has the credit for this session.");
  await noScript.close();
});

test("a provider's device gives a credit through the API with a token made on the tokens page", async ({ browser, request }) => {
  await page.goto("/provider/tokens?lang=en");
  await page.getByLabel("Name of the token").fill("Field tablet");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await page.locator("#new-token").inputValue();
  expect(token).toMatch(/^pbt_/);
  await page.goto(sessionUrl);
  const credited = await page.locator("section", { has: page.getByRole("heading", { name: "Credits given for this session" }) }).innerText();
  const pupil = (await schoolPupils(browser)).find((child) => !credited.includes(`${child.given} ${child.initial}.`));
  expect(pupil).toBeDefined();

  // POST /api/v1/credits is served straight from its route module (server.ts): the real server's answers.
  const sessionId = new URL(sessionUrl).pathname.split("/").at(-1)!;
  const send = (body: unknown, language = "en") =>
    request.post("/api/v1/credits", { headers: { Authorization: `Bearer ${token}`, "Accept-Language": language }, data: body });
  const scan = { sessionId, passport: pupil!.number, idempotencyKey: `e2e-${Date.now()}` };
  const given = await send(scan);
  expect(given.status()).toBe(201);
  expect(given.headers()["cache-control"]).toBe("no-store");
  expect(await given.json()).toMatchObject({ replayed: false, credit: { sessionId }, child: { givenName: pupil!.given, familyInitial: pupil!.initial } });
  const retried = await send(scan);
  expect(retried.status()).toBe(200);
  expect(await retried.json()).toMatchObject({ replayed: true });
  const again = await send({ ...scan, idempotencyKey: `${scan.idempotencyKey}-again` }, "cy");
  expect(again.status()).toBe(409);
  expect(await again.json()).toEqual({ error: { code: "ALREADY_CREDITED", message: "Mae'r plentyn hwn eisoes wedi cael y credyd am y sesiwn hon." } });
  expect(again.headers()["content-language"]).toBe("cy");
  const noToken = await request.post("/api/v1/credits", { data: scan });
  expect(noToken.status()).toBe(401);
  // Other methods still go through Remix, to the same route.
  expect((await request.get("/api/v1/credits")).status()).toBe(405);
});

test("the register gives each ticked child the session's credit", async () => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(sessionUrl);
  await expect(page.getByRole("link", { name: "Tick from the register" })).toHaveAttribute("href", `${new URL(sessionUrl).pathname}/roster`);
  await page.goto(`${sessionUrl}/roster`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Register");
  const boxes = page.getByRole("group", { name: "Who came?" }).getByRole("checkbox");
  await expect(boxes.first()).toBeVisible();
  await expectNoAxeViolations(page);
  const name = (await boxes.first().evaluate((box) => (box as HTMLInputElement).labels?.[0]?.textContent ?? "")).trim();
  await boxes.first().check();
  await page.getByRole("button", { name: "Give credits to the ticked children" }).click();
  const results = page.locator("section", { has: page.getByRole("heading", { name: "Results" }) });
  await expect(results).toContainText("1 credit given");
  await expect(results).toContainText(`${name}: credit given`);
  await expect(page.getByRole("heading", { name: "Results" })).toBeFocused();
  await expect(page.getByRole("group", { name: "Who came?" })).toContainText(`${name} (credit given)`);
  await expectNoAxeViolations(page);
});

test("the scanner's island comes to life in Welsh, with its strings, and nothing axe finds", async () => {
  await page.goto(`${sessionUrl}/scan?lang=cy`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sganio pasbortau");
  // Drawn only once the island runs, in the page's language, from the route's strings file.
  await expect(page.getByRole("heading", { name: "Yn aros i'w hanfon (0)" })).toBeVisible();
  expect(await pageScripts(page)).toMatchObject({ remix: false, island: true });
  await expectNoAxeViolations(page);
  await page.goto(`${sessionUrl}/scan?lang=en`);
  await expect(page.getByRole("heading", { name: "Waiting to send (0)" })).toBeVisible();
});

test("signing out forgets the scanner pages kept on the phone", async () => {
  const keptPages = () => page.evaluate(async () => (await (await caches.open("pasbort-scanner-pages-v1")).keys()).length);
  await page.goto(`${sessionUrl}/scan`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Scan passports");
  await expect.poll(keptPages).toBeGreaterThan(0);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" }).first()).toBeVisible();
  await expect.poll(keptPages).toBe(0);
  // A page sent without React to someone signed out (most pages, ADR 0042) forgets them too, by its one inline script.
  await page.evaluate(async () => (await caches.open("pasbort-scanner-pages-v1")).put("/provider/sessions/kept", new Response("kept")));
  await expect.poll(keptPages).toBe(1);
  await page.goto("/?lang=en");
  expect((await pageScripts(page)).react).toBe(false);
  await expect.poll(keptPages).toBe(0);
});
