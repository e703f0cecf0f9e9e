import { expect, test, expectNoAxeViolations, fitsWidth, signIn } from "./support";

/** Inviting people: the waiting invitations are one table on both pages, scrolling sideways on a phone. */

test("a coordinator invites a school coordinator in Welsh; the invitation waits in the table, on a 320 px phone too", async ({ page }) => {
  await signIn(page, "coordinator@demo.test", "cy");
  await expect(page).toHaveURL(/\/coordinator$/);
  await page.goto("/coordinator/invitations?lang=cy");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Gwahoddiadau");
  const email = `cydlynydd-${Date.now()}@ysgol.example`;
  await page.getByLabel("Cyfeiriad e-bost").fill(email);
  await page.getByRole("radio", { name: "Cydlynydd ysgol" }).check();
  await page.getByLabel("Ysgol", { exact: true }).selectOption({ index: 1 });
  const school = (await page.getByLabel("Ysgol", { exact: true }).locator("option:checked").innerText()).trim();
  await page.getByRole("button", { name: "Anfon gwahoddiad" }).click();
  await expect(page.getByRole("status")).toHaveText(`Mae'r gwahoddiad wedi'i anfon at ${email}.`);
  const waiting = page.getByRole("region", { name: "Gwahoddiadau sy'n aros i gael eu derbyn" });
  const row = waiting.getByRole("row", { name: new RegExp(email) });
  await expect(row).toContainText(`Cydlynydd ysgol (${school})`);
  // Dates in Welsh (Chromium's own Welsh dates fall back to English).
  await expect(row.getByRole("cell").nth(3)).toHaveText(
    /^\d{1,2} (Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr) \d{4}$/,
  );
  await expectNoAxeViolations(page);
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await fitsWidth(page)).toBe(true);
  await expectNoAxeViolations(page);
});

test("a Learning Destination owner invites a volunteer; the table shows the role without the place", async ({ page }) => {
  await signIn(page, "provider@demo.test");
  await expect(page).toHaveURL(/\/provider$/);
  await page.goto("/provider/staff?lang=en");
  const email = `volunteer-${Date.now()}@club.example`;
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("radio", { name: "Learning Destination staff" }).check();
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("status")).toHaveText(`Invitation sent to ${email}.`);
  const row = page.getByRole("region", { name: "Invitations waiting to be accepted" }).getByRole("row", { name: new RegExp(email) });
  await expect(row.getByRole("cell").nth(1)).toHaveText("Learning Destination staff");
  await expectNoAxeViolations(page);
});
