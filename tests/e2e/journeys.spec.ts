import type { Page } from "@playwright/test";
import { expect, expectNoAxeViolations, fitsWidth, pageScripts, signIn, test } from "./support";

/** Issue 18's walk of every role: no dead ends, no lost places, every page named. */

/** A page's own title, in its language: "<what it is> – Pasbort", never the bare site name. */
async function expectOwnTitle(page: Page) {
  const title = await page.title();
  expect(title, `title of ${page.url()}`).toMatch(/^.+ – Pasbort$/);
  return title;
}

/** The walk's pages that are sent React (ADR 0042): every other page comes without scripts. */
const withReact = new Set(["/provider/tokens"]);

const pagesByRole = [
  { email: null, paths: ["/", "/activities", "/login", "/verify", "/claim/not-a-code", "/no-such-page"] },
  { email: "guardian@demo.test", paths: ["/guardian", "first:/guardian/children/", "/claim", "/link-child", "/guardian/children/new", "/account"] },
  {
    email: "provider@demo.test",
    paths: ["/provider", "first:/provider/sessions/", "/provider/staff", "/provider/activities", "/provider/claims", "/provider/tokens"],
  },
  { email: "school@demo.test", paths: ["/school", "/school/passports", "/school/roster"] },
  { email: "coordinator@demo.test", paths: ["/coordinator", "/coordinator/audit", "/coordinator/graduations", "/coordinator/invitations", "/reports/equity"] },
  { email: "viewer@demo.test", paths: ["/viewer"] },
] as const;

test("titles are in the page's language", async ({ page }) => {
  for (const [path, en, cy] of [
    ["/login", "Sign in – Pasbort", "Mewngofnodi – Pasbort"],
    ["/no-such-page", "Page not found – Pasbort", "Heb ddod o hyd i'r dudalen – Pasbort"],
    ["/verify", "Check a certificate – Pasbort", "Gwirio tystysgrif – Pasbort"],
  ] as const) {
    await page.goto(`${path}?lang=en`);
    await expect(page).toHaveTitle(en);
    await page.goto(`${path}?lang=cy`);
    await expect(page).toHaveTitle(cy);
  }
});

for (const { email, paths } of pagesByRole) {
  test(`every page ${email ?? "signed out"} opens has its own title in its language`, async ({ page }) => {
    if (email) await signIn(page, email);
    for (const entry of paths) {
      let path: string = entry;
      if (entry.startsWith("first:")) {
        const prefix = entry.slice("first:".length);
        await page.goto(paths[0]);
        path = (await page.locator(`main a[href^="${prefix}"]`).first().getAttribute("href"))!;
      }
      for (const lang of ["en", "cy"] as const) {
        await page.goto(`${path}${path.includes("?") ? "&" : "?"}lang=${lang}`);
        await expect(page.locator("html")).toHaveAttribute("lang", lang);
        await expectOwnTitle(page);
        const scripts = await pageScripts(page);
        expect(scripts.react, `React on ${path}`).toBe(withReact.has(path));
        if (!scripts.react) expect(scripts.elements, `scripts on ${path}`).toBeLessThanOrEqual(email ? 0 : 1);
      }
    }
  });
}

test("the school's printing page shows the letters' lifetime whole", async ({ page }) => {
  await signIn(page, "school@demo.test");
  await page.goto("/school/passports?lang=en");
  // Sent without React now (ADR 0042); the fixture would fail the test on a hydration error if it were.
  await page.waitForLoadState("networkidle");
  await expect(page.getByText(/Codes work once, for 90 days\./)).toBeVisible();
  await page.goto("/school/passports?lang=cy");
  await page.waitForLoadState("networkidle");
  await expect(page.getByText(/90 diwrnod/)).toBeVisible();
});

test("the provider's staff page fits a 320 px phone, in both languages", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 800 });
  await signIn(page, "provider@demo.test");
  for (const lang of ["en", "cy"] as const) {
    await page.goto(`/provider/staff?lang=${lang}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await fitsWidth(page)).toBe(true);
    await expectNoAxeViolations(page);
  }
});

async function openTodaysSession(page: Page) {
  await signIn(page, "provider@demo.test");
  await expect(page).toHaveURL(/\/provider$/);
  await page.locator("section[aria-labelledby=today-heading]").getByRole("link").first().click();
  await expect(page).toHaveURL(/\/provider\/sessions\/[0-9a-f-]{36}$/);
  return page.url();
}

test("the full-screen code shows the typed code above the fold at 1280×900", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const session = await openTodaysSession(page);
  await page.goto(`${session}/code`);
  const typed = page.locator("[data-typed-code]").getByText(/^\d{4} \d{4}$/);
  await expect(typed).toBeVisible();
  // The fold of a real install: these tests run on the demo, whose banner (not in a real install) comes on top.
  const fold = 900 + ((await page.getByRole("region", { name: "Demo data" }).boundingBox())?.height ?? 0);
  const box = (await typed.boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(fold);
  const qr = (await page.getByRole("img", { name: "QR code to claim credits for this session" }).boundingBox())!;
  expect(qr.y + qr.height).toBeLessThanOrEqual(fold);
  await expectNoAxeViolations(page);
});

test("the printed poster carries the typed code and the claim address, for phones that cannot scan", async ({ page }) => {
  const session = await openTodaysSession(page);
  await page.goto(`${session}/poster`);
  const poster = page.getByRole("article", { name: "Poster with the claim code" });
  await expect(poster.getByText(/^\d{4} \d{4}$/)).toBeVisible();
  const address = `${new URL(page.url()).host}/claim`;
  await expect(poster.getByText(`No camera? Go to ${address} and type:`)).toBeVisible();
  await expect(poster.getByText(`Dim camera? Ewch i ${address} a theipiwch:`)).toBeVisible();
  await expectNoAxeViolations(page);
});

test("the guardian's list of children shows each child's hours", async ({ page }) => {
  await signIn(page, "guardian@demo.test", "cy");
  await expect(page).toHaveURL(/\/guardian$/);
  const table = page.getByRole("table");
  await expect(table.getByRole("columnheader", { name: "Oriau hyd yma" })).toBeVisible();
  await expect(table.getByRole("row").nth(1)).toContainText(/\d+(\.\d+)? awr/);
});

test("activity types on the passport are drawn, not emoji, each beside its name", async ({ page }) => {
  await signIn(page, "guardian@demo.test");
  await page.getByRole("row").getByRole("link").first().click();
  await expect(page).toHaveURL(/\/guardian\/children\/[0-9a-f-]{36}$/);
  const kinds = page.locator("section[aria-labelledby=tried-heading] li");
  await expect(kinds).toHaveCount(8);
  for (const kind of await kinds.all()) {
    await expect(kind.locator("svg[aria-hidden=true]")).toHaveCount(1);
    expect((await kind.innerText()).trim()).not.toBe("");
  }
  // No emoji anywhere on the page (some phones draw them as empty boxes).
  expect(await page.locator("main").innerText()).not.toMatch(/\p{Extended_Pictographic}/u);
});
