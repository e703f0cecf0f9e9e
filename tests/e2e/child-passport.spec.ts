import type { Page } from "@playwright/test";
import { DEMO_CERTIFICATE_ID } from "../../db/seed/demo-certificate";
import { expect, expectNoAxeViolations, fitsWidth, signIn, test, watchPageErrors } from "./support";

/**
 * Issue 16: a guardian makes a child's sign-in card, and the child opens their own passport
 * with it, in Welsh and English, at 320 px, with nothing axe finds and no page errors.
 */

const PICTURES = { en: ["Cat", "Star", "Star", "Boat"], cy: ["Cath", "Seren", "Seren", "Cwch"] } as const;
/** The nine pictures in the order the page shows them (app/modules/children/pictures.ts). */
const ORDER = {
  en: ["Cat", "Dog", "Tree", "Star", "Sun", "Boat", "Apple", "Fish", "House"],
  cy: ["Cath", "Ci", "Coeden", "Seren", "Haul", "Cwch", "Afal", "Pysgodyn", "Tŷ"],
} as const as Record<"en" | "cy", readonly string[]>;
const KEYS = ["cat", "dog", "tree", "star", "sun", "boat", "apple", "fish", "house"];
const text = {
  en: {
    voice: "My say",
    rate: /^(Say how|Change what you said about) /,
    like: "Being with friends",
    save: "Save",
    saved: "Thank you!",
    wishes: "Save what I'd like to try",
    nature: "Nature and outdoors",
    place: (n: number) => `Picture ${n} of 4`,
    submit: "Open my passport",
    heading: /^Hello .+! This is your passport$/,
    stamps: "My stamps",
    skills: "Skills I have practised",
    notRight: "That did not match",
  },
  cy: {
    voice: "Fy marn i",
    rate: /^(Dweud sut oedd|Newid beth ddywedaist ti am) /,
    like: "Bod gyda ffrindiau",
    save: "Cadw",
    saved: "Diolch!",
    wishes: "Cadw beth hoffwn i roi cynnig arno",
    nature: "Nature and outdoors",
    place: (n: number) => `Llun ${n} o 4`,
    submit: "Agor fy mhasbort",
    heading: /^Helo .+! Dyma dy basbort$/,
    stamps: "Fy stampiau",
    skills: "Sgiliau rydw i wedi'u hymarfer",
    notRight: "Doedd hynny ddim yn cyfateb",
  },
} as const;

async function pickPictures(page: Page, lang: "en" | "cy", pictures: readonly string[]) {
  for (const [index, picture] of pictures.entries()) {
    // A tap on the picture (its label; the radio button itself is visually hidden).
    const key = KEYS[ORDER[lang].indexOf(picture)]!;
    await page.locator(`label[for="${key === "cat" ? `picture${index + 1}` : `picture${index + 1}-${key}`}"]`).click();
    await expect(page.getByRole("group", { name: text[lang].place(index + 1) }).getByRole("radio", { name: picture, exact: true })).toBeChecked();
  }
}

let code = "";

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page, "guardian@demo.test", "en");
  await expect(page).toHaveURL(/\/guardian$/);
  const href = await page.locator('main a[href^="/guardian/children/"]').first().getAttribute("href");
  const childId = href!.split("/")[3];
  await page.goto(`/children/${childId}/sign-in-card?lang=en`);
  await pickPictures(page, "en", PICTURES.en);
  await page.getByRole("button", { name: /^Make (the|a new) card$/ }).click();
  await expect(page.getByRole("status")).toContainText("the card is ready");
  code = (await page.locator("main .font-mono").first().textContent())!.trim();
  expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await page.close();
});

test("the guardian's card page: a QR code and a code, nothing axe finds, at 320 px", async ({ page }) => {
  const errors = watchPageErrors(page);
  await page.setViewportSize({ width: 320, height: 640 });
  await signIn(page, "guardian@demo.test", "cy");
  const href = await page.locator('main a[href^="/guardian/children/"]').first().getAttribute("href");
  await page.goto(`${href}?lang=cy`);
  await page.getByRole("link", { name: /Cerdyn mewngofnodi .+ ei hun/ }).click();
  await expect(page.getByRole("img", { name: /^Cod QR/ })).toBeVisible();
  await expect(page.getByText(code, { exact: true })).toBeVisible();
  expect(await fitsWidth(page)).toBe(true);
  await expectNoAxeViolations(page);
  expect(errors).toEqual([]);
});

for (const lang of ["en", "cy"] as const) {
  test(`a child signs in with the card's QR link and their pictures, and sees their own passport (${lang})`, async ({ page, context }) => {
    const errors = watchPageErrors(page);
    await page.setViewportSize({ width: 320, height: 640 });
    // What scanning the card's QR code opens: the code is already filled in.
    await page.goto(`/child-sign-in?code=${code.replace("-", "")}&lang=${lang}`);
    expect(await fitsWidth(page)).toBe(true);
    await expectNoAxeViolations(page);
    // A wrong picture: a kind message, and the code is kept.
    await pickPictures(page, lang, [PICTURES[lang][1], ...PICTURES[lang].slice(1)]);
    await page.getByRole("button", { name: text[lang].submit }).click();
    await expect(page.getByRole("alert")).toContainText(text[lang].notRight);
    await expectNoAxeViolations(page);
    // By keyboard this time: into each group with Tab, along it with the arrow keys, Space to pick.
    for (const [index, picture] of PICTURES[lang].entries()) {
      const group = page.getByRole("group", { name: text[lang].place(index + 1) });
      await group.getByRole("radio").first().focus();
      for (let step = 0; step < ORDER[lang].indexOf(picture); step++) await page.keyboard.press("ArrowRight");
      await page.keyboard.press("Space");
      await expect(group.getByRole("radio", { name: picture })).toBeChecked();
    }
    await page.getByRole("button", { name: text[lang].submit }).click();
    await expect(page).toHaveURL(/\/me$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(text[lang].heading);
    await expect(page.getByRole("heading", { name: text[lang].stamps })).toBeVisible();
    await expect(page.getByRole("heading", { name: text[lang].skills })).toBeVisible();
    // The progress picture has words for a screen reader.
    await expect(page.locator('[role="img"]').first()).toHaveAttribute("aria-label", /\d/);
    expect(await fitsWidth(page)).toBe(true);
    await expectNoAxeViolations(page);
    // The cookie lives only as long as the browser: no expiry date.
    const cookie = (await context.cookies()).find((candidate) => candidate.name === "pasbort_child");
    expect(cookie?.expires).toBe(-1);
    expect(cookie?.httpOnly).toBe(true);
    // Nowhere else: a grown-up's page sends the child back to the passport, a form post is refused.
    await page.goto("/guardian");
    await expect(page).toHaveURL(/\/me$/);
    const refused = await page.request.post("/account", { form: { membershipId: "x" } });
    expect(refused.status()).toBe(403);
    expect(errors).toEqual([]);
  });

  test(`a child says how an activity was and what they would like to try (${lang})`, async ({ page }) => {
    const errors = watchPageErrors(page);
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(`/child-sign-in?code=${code.replace("-", "")}&lang=${lang}`);
    await pickPictures(page, lang, PICTURES[lang]);
    await page.getByRole("button", { name: text[lang].submit }).click();
    await expect(page).toHaveURL(/\/me$/);
    await page
      .getByRole("navigation")
      .getByRole("link", { name: lang === "cy" ? "Fy marn" : "My say" })
      .click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(text[lang].voice);
    expect(await fitsWidth(page)).toBe(true);
    await expectNoAxeViolations(page);
    await page.getByRole("link", { name: text[lang].rate }).first().click();
    await expect(page).toHaveURL(/\/me\/rate\//);
    expect(await fitsWidth(page)).toBe(true);
    await expectNoAxeViolations(page);
    // One tap on a face, one like, then save.
    await page.locator('label[for="face-5"]').click();
    await page.getByLabel(text[lang].like).check();
    await page.getByRole("button", { name: text[lang].save, exact: true }).click();
    await expect(page).toHaveURL(/\/me\/voice\?saved=rating$/);
    await expect(page.getByRole("status")).toContainText(text[lang].saved);
    await expectNoAxeViolations(page);
    // What I'd like to try: a kind of activity, saved.
    await page.locator("#wish_nature").check();
    await page.getByRole("button", { name: text[lang].wishes }).click();
    await expect(page).toHaveURL(/saved=wishes$/);
    await expect(page.locator("#wish_nature")).toBeChecked();
    expect(await fitsWidth(page)).toBe(true);
    await expectNoAxeViolations(page);
    expect(errors).toEqual([]);
  });
}

test("a child downloads their own award's digital badge from their passport, in Welsh and English", async ({ page, browser }) => {
  // The demo's printed award (db/seed/demo-certificate.ts) is the child whose certificates page offers its badge.
  const guardian = await browser.newPage();
  await signIn(guardian, "guardian@demo.test", "en");
  await expect(guardian.locator('main a[href^="/guardian/children/"]').first()).toBeVisible();
  const passports = await guardian
    .locator('main a[href^="/guardian/children/"]')
    .evaluateAll((links) => links.map((link) => link.getAttribute("href")!).filter((href) => /^\/guardian\/children\/[0-9a-f-]{36}$/.test(href)));
  let childId: string | null = null;
  for (const passport of passports) {
    await guardian.goto(`${passport}/certificates?lang=en`);
    if ((await guardian.getByRole("link", { name: "Download the Bronze Undergraduate digital badge (for a wallet app)" }).count()) > 0) {
      childId = passport.split("/")[3]!;
      break;
    }
  }
  expect(childId).not.toBeNull();
  await guardian.goto(`/children/${childId}/sign-in-card?lang=en`);
  await pickPictures(guardian, "en", PICTURES.en);
  await guardian.getByRole("button", { name: /^Make (the|a new) card$/ }).click();
  await expect(guardian.getByRole("status")).toContainText("the card is ready");
  const card = (await guardian.locator("main .font-mono").first().textContent())!.trim();
  await guardian.close();

  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(`/child-sign-in?code=${card.replace("-", "")}&lang=en`);
  await pickPictures(page, "en", PICTURES.en);
  await page.getByRole("button", { name: text.en.submit }).click();
  await expect(page).toHaveURL(/\/me$/);
  for (const [lang, name] of [
    ["en", "My Bronze Undergraduate digital badge (a file for a wallet app)"],
    ["cy", "Fy mathodyn digidol Israddedig Efydd (ffeil ar gyfer ap waled)"],
  ] as const) {
    await page.goto(`/me?lang=${lang}`);
    const link = page.getByRole("link", { name });
    await expect(link).toHaveAttribute("href", /^\/me\/certificates\/[0-9a-f-]{36}\.json$/);
    expect(await fitsWidth(page)).toBe(true);
    await expectNoAxeViolations(page);
    const badge = await page.request.get((await link.getAttribute("href"))!);
    expect(badge.status()).toBe(200);
    expect(badge.headers()["content-type"]).toBe("application/json; charset=utf-8");
    const credential = (await badge.json()) as { id: string; type: string[] };
    expect(credential.type).toContain("OpenBadgeCredential");
    expect(credential.id).toMatch(new RegExp(`/credentials/${DEMO_CERTIFICATE_ID}$`));
  }
  // By keyboard: the link is reachable with Tab.
  await page.locator("body").focus();
  let reached = false;
  for (let step = 0; step < 40 && !reached; step++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.getAttribute("href")?.endsWith(".json") ?? false);
  }
  expect(reached).toBe(true);
});
