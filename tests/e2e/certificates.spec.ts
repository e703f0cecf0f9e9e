import { DEMO_CERTIFICATE_ID } from "../../db/seed/demo-certificate";
import { expect, test, expectNoAxeViolations, fitsWidth } from "./support";

/** The public certificate check, signed out: the demo's printed certificate and an unknown code. */

const languages = [
  {
    lang: "en",
    valid: "A valid certificate",
    award: "Bronze Undergraduate",
    other: "Israddedig Efydd",
    area: "Children's University Wrexham & Flintshire",
    unknown: "This certificate cannot be verified",
  },
  {
    lang: "cy",
    valid: "Tystysgrif ddilys",
    award: "Israddedig Efydd",
    other: "Bronze Undergraduate",
    area: "Prifysgol y Plant Wrecsam a Sir y Fflint",
    unknown: "Ni ellir gwirio'r dystysgrif hon",
  },
] as const;

for (const { lang, valid, award, other, area, unknown } of languages) {
  test(`a valid certificate checks out in ${lang}, showing only a given name and initial`, async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    const response = await page.goto(`/verify/${DEMO_CERTIFICATE_ID}?lang=${lang}`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["x-robots-tag"]).toBe("noindex");
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await expect(page.getByRole("heading", { level: 1, name: valid })).toBeVisible();
    await expect(page.locator("dd").first()).toHaveText(/^.+ \p{Lu}\.$/u);
    await expect(page.getByText(award, { exact: true })).toBeVisible();
    await expect(page.getByText(other, { exact: true })).toHaveAttribute("lang", lang === "cy" ? "en" : "cy");
    await expect(page.getByText(area, { exact: true })).toBeVisible();
    await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", "noindex");
    expect(await fitsWidth(page)).toBe(true);
    await expectNoAxeViolations(page);
  });

  test(`an unknown certificate cannot be verified in ${lang}`, async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    const response = await page.goto(`/verify/00000000-0000-4000-8000-000000000000?lang=${lang}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(unknown);
    expect(await fitsWidth(page)).toBe(true);
    await expectNoAxeViolations(page);
  });
}

test("the check form takes a pasted address to the certificate, and explains a wrong code", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto("/verify?lang=en");
  await page.getByLabel("Certificate address or code").fill("12345");
  await page.getByRole("button", { name: "Check the certificate" }).click();
  await expect(page.getByRole("alert")).toContainText("Enter the certificate code");
  expect(await fitsWidth(page)).toBe(true);
  await expectNoAxeViolations(page);
  await page.getByLabel("Certificate address or code").fill(`https://example.org/verify/${DEMO_CERTIFICATE_ID}`);
  await page.getByRole("button", { name: "Check the certificate" }).click();
  await expect(page).toHaveURL(new RegExp(`/verify/${DEMO_CERTIFICATE_ID}$`));
  await expect(page.getByRole("heading", { level: 1, name: "A valid certificate" })).toBeVisible();
});

test("a guardian finds the certificate from the passport and downloads it", async ({ page }) => {
  await page.goto("/login?lang=en");
  await page.getByLabel("Email address").fill("guardian@demo.test");
  await page.getByLabel("Password").fill("pasbort-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/guardian$/);
  const passports = await page
    .locator('main a[href^="/guardian/children/"]')
    .evaluateAll((links) => links.map((link) => link.getAttribute("href")!).filter((href) => /^\/guardian\/children\/[0-9a-f-]{36}$/.test(href)));
  expect(passports.length).toBeGreaterThan(0);
  // The demo's certificate belongs to one of the guardian's two children.
  let found = false;
  for (const passport of passports) {
    await page.goto(passport);
    await page.getByRole("link", { name: "Certificates to download and print" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/’s certificates$|'s certificates$/);
    const download = page.getByRole("link", { name: "Download the Bronze Undergraduate certificate (PDF)" });
    if ((await download.count()) === 0) continue;
    found = true;
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await fitsWidth(page)).toBe(true);
    await expectNoAxeViolations(page);
    const pdf = await page.request.get((await download.getAttribute("href"))!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
    await page.getByRole("link", { name: "Check the Bronze Undergraduate certificate online" }).click();
    await expect(page).toHaveURL(new RegExp(`/verify/${DEMO_CERTIFICATE_ID}$`));
    break;
  }
  expect(found).toBe(true);
});
