import { DEMO_CERTIFICATE_ID } from "../../db/seed/demo-certificate";
import { expect, expectNoAxeViolations, fitsWidth, signIn, test } from "./support";

/**
 * The coordinator's badge pages (issue 17) in the browser, in Welsh and English at 320 px: the
 * revoke screen (found by verification code; a missing reason is explained and nothing is
 * revoked, so the demo's badge stays valid for other tests) and the page that moves records
 * to or from another Children's University (its fingerprint; a file that is not a records file).
 */

const languages = [
  {
    lang: "en",
    search: "Certificate number or verification code",
    find: "Find the certificate",
    revoke: /^Revoke certificate \d{6}$/,
    reasonRequired: "Say why you are revoking the certificate",
    transferTitle: "Move records between Children's Universities",
    fileLabel: "The records file",
    check: "Check the file",
    notJson: "This is not a records file",
  },
  {
    lang: "cy",
    search: "Rhif y dystysgrif neu'r cod gwirio",
    find: "Dod o hyd i'r dystysgrif",
    revoke: /^Dirymu tystysgrif \d{6}$/,
    reasonRequired: "Dywedwch pam rydych chi'n dirymu'r dystysgrif",
    transferTitle: "Symud cofnodion rhwng Prifysgolion y Plant",
    fileLabel: "Y ffeil cofnodion",
    check: "Gwirio'r ffeil",
    notJson: "Nid ffeil cofnodion yw hon",
  },
] as const;

test("a coordinator's revoke screen and records transfer page work in Welsh and English at 320 px", async ({ page }) => {
  await signIn(page, "coordinator@demo.test");
  for (const l of languages) {
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(`/coordinator/certificates?lang=${l.lang}`);
    await expect(page.locator("html")).toHaveAttribute("lang", l.lang);
    await page.getByLabel(l.search).fill(`https://example.test/verify/${DEMO_CERTIFICATE_ID}`);
    await page.getByRole("button", { name: l.find }).click();
    await expect(page).toHaveURL(new RegExp(`/coordinator/certificates/${DEMO_CERTIFICATE_ID}`));
    expect(await fitsWidth(page)).toBe(true);
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: l.revoke }).click();
    await expect(page.getByRole("alert")).toContainText(l.reasonRequired);
    await expectNoAxeViolations(page);

    await page.goto(`/coordinator/transfer?lang=${l.lang}`);
    await expect(page.getByRole("heading", { level: 1, name: l.transferTitle })).toBeVisible();
    await expect(page.locator("code").first()).toHaveText(/^[0-9A-F]{4}( [0-9A-F]{4}){5}$/);
    expect(await fitsWidth(page)).toBe(true);
    await expectNoAxeViolations(page);
    await page.getByLabel(l.fileLabel).setInputFiles({ name: "records.json", mimeType: "application/json", buffer: Buffer.from("{not json") });
    await page.getByRole("button", { name: l.check }).click();
    await expect(page.getByRole("alert")).toContainText(l.notJson);
    await expectNoAxeViolations(page);
  }
});
