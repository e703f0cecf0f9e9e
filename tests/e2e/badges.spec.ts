import { DEMO_CERTIFICATE_ID } from "../../db/seed/demo-certificate";
import { expect, expectNoAxeViolations, fitsWidth, signIn, test, watchPageErrors } from "./support";

/**
 * Digital badges (Open Badges 3.0) in the browser: a guardian downloads the demo award's badge
 * from the certificates page, and anyone pastes it into /verify, in Welsh and English, at 320 px.
 */

const languages = [
  {
    lang: "en",
    pasteLabel: "The badge's text",
    submit: "Check the badge",
    valid: "This badge is valid",
    invalid: "This badge is not valid",
    notJson: "This is not a badge file",
  },
  {
    lang: "cy",
    pasteLabel: "Testun y bathodyn",
    submit: "Gwirio'r bathodyn",
    valid: "Mae'r bathodyn hwn yn ddilys",
    invalid: "Nid yw'r bathodyn hwn yn ddilys",
    notJson: "Nid ffeil bathodyn yw hon",
  },
] as const;

test("a guardian downloads an award's badge, and /verify checks it in Welsh and English", async ({ page }) => {
  const errors = watchPageErrors(page);
  await signIn(page, "guardian@demo.test");
  await expect(page).toHaveURL(/\/guardian$/);
  // evaluateAll does not wait: the list first, then its links (CI once read an empty page).
  await expect(page.locator('main a[href^="/guardian/children/"]').first()).toBeVisible();
  const passports = await page
    .locator('main a[href^="/guardian/children/"]')
    .evaluateAll((links) => links.map((link) => link.getAttribute("href")!).filter((href) => /^\/guardian\/children\/[0-9a-f-]{36}$/.test(href)));
  let badgeText: string | null = null;
  for (const passport of passports) {
    await page.goto(`${passport}/certificates`);
    const download = page.getByRole("link", { name: "Download the Bronze Undergraduate digital badge (for a wallet app)" });
    if ((await download.count()) === 0) continue;
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await fitsWidth(page)).toBe(true);
    await expectNoAxeViolations(page);
    const response = await page.request.get((await download.getAttribute("href"))!);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("application/json; charset=utf-8");
    badgeText = await response.text();
    break;
  }
  expect(badgeText).not.toBeNull();
  const badge = JSON.parse(badgeText!) as { id: string; type: string[] };
  expect(badge.type).toContain("OpenBadgeCredential");
  expect(badge.id).toMatch(new RegExp(`/credentials/${DEMO_CERTIFICATE_ID}$`));

  // The certificate's page (where its printed QR code leads) now links to the badge.
  await page.goto(`/verify/${DEMO_CERTIFICATE_ID}?lang=en`);
  await expect(page.getByRole("link", { name: "Get this award as a digital badge (Open Badge)" })).toHaveAttribute(
    "href",
    `/credentials/${DEMO_CERTIFICATE_ID}`,
  );

  for (const { lang, pasteLabel, submit, valid, invalid, notJson } of languages) {
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(`/verify?lang=${lang}`);
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await page.getByLabel(pasteLabel).fill(badgeText!);
    await page.getByRole("button", { name: submit }).click();
    await expect(page.getByRole("status").getByRole("heading", { name: valid })).toBeVisible();
    expect(await fitsWidth(page)).toBe(true);
    await expectNoAxeViolations(page);

    await page.getByLabel(pasteLabel).fill(badgeText!.replace("Bronze Undergraduate", "Gold Doctorate"));
    await page.getByRole("button", { name: submit }).click();
    await expect(page.getByRole("status").getByRole("heading", { name: invalid })).toBeVisible();

    await page.getByLabel(pasteLabel).fill("{not a badge");
    await page.getByRole("button", { name: submit }).click();
    await expect(page.getByRole("alert")).toContainText(notJson);
    await expect(page.getByLabel(pasteLabel)).toHaveValue("{not a badge");
    await expectNoAxeViolations(page);
  }
  expect(errors).toEqual([]);
});
