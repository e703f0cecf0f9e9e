import { expect, test, expectNoAxeViolations, fitsWidth, signIn, waitForHydration } from "./support";

const languages = [
  {
    lang: "en",
    heading: "Every hour of learning counts",
    toggle: "Cymraeg",
    skip: "Skip to main content",
    demo: { label: "Demo data", text: "Demo: the people and children here are made up. Do not enter real children's details." },
  },
  {
    lang: "cy",
    heading: "Mae pob awr o ddysgu yn cyfrif",
    toggle: "English",
    skip: "Neidio i'r prif gynnwys",
    demo: { label: "Data arddangos", text: "Demo: mae'r bobl a'r plant yma wedi'u dyfeisio. Peidiwch â rhoi manylion plant go iawn yma." },
  },
] as const;

for (const { lang, heading, toggle, skip, demo } of languages) {
  test(`home page in ${lang}: content, language, accessibility`, async ({ page }) => {
    await page.goto(`/?lang=${lang}`);
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
    await expect(page.getByRole("link", { name: new RegExp(toggle) })).toBeVisible();
    await expect(page.getByRole("contentinfo")).toContainText(lang === "cy" ? "Trwydded Llywodraeth Agored" : "Open Government Licence");
    // The browser tests run on the demo (DEMO=1): its banner is a labelled region, in words.
    await expect(page.getByRole("region", { name: demo.label })).toHaveText(demo.text);
    await expectNoAxeViolations(page);
  });

  test(`home page in ${lang}: keyboard users can skip to the content`, async ({ page }) => {
    await page.goto(`/?lang=${lang}`);
    await page.keyboard.press("Tab");
    const skipLink = page.getByRole("link", { name: skip });
    await expect(skipLink).toBeFocused();
    await expect(skipLink).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/#main$/);
  });
}

test("the language choice sticks across pages, and the toggle switches it", async ({ page }) => {
  await page.goto("/?lang=cy");
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "cy");
  await page.getByRole("link", { name: /English/ }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Every hour of learning counts");
});

test("works on a 320 px wide phone screen", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto("/?lang=cy");
  await expect(page.getByRole("region", { name: "Data arddangos" })).toBeVisible();
  expect(await fitsWidth(page)).toBe(true);
  await expectNoAxeViolations(page);
});

test("health check answers", async ({ request }) => {
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  // No replica here (REPORTS_DATABASE_URL unset): reports read the primary.
  expect(await response.json()).toEqual({ status: "ok", db: "ok", reports: { source: "primary", state: null } });
});

// A key pressed while the page is still hydrating made React 18 hydrate synchronously while
// Remix was still decoding the page's data: React error #345 and a page without its scripts
// (about one load in seven here before entry.client.tsx decoded first). Many loads, so a
// return of that race fails this test. On a page sent React (the home page and sign-in are not: ADR 0042).
test("keys pressed while a page loads do not break it", async ({ page }) => {
  await signIn(page, "provider@demo.test");
  for (let load = 0; load < 12; load++) {
    await page.goto(load % 2 ? "/provider/tokens?lang=cy" : "/provider/tokens?lang=en");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
  }
  await waitForHydration(page);
});
