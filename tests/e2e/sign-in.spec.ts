import { expect, test, expectNoAxeViolations } from "./support";

const DEMO_PASSWORD = "pasbort-demo";
const roles = [
  { email: "coordinator@demo.test", path: "/coordinator", heading: /Coordinator home/ },
  { email: "school@demo.test", path: "/school", heading: /School home/ },
  { email: "provider@demo.test", path: "/provider", heading: /Learning Destination home/ },
  { email: "guardian@demo.test", path: "/guardian", heading: /Your children/ },
  { email: "viewer@demo.test", path: "/viewer", heading: /Reports/ },
];

for (const { email, path, heading } of roles) {
  test(`${email} signs in and lands on their home`, async ({ page }) => {
    await page.goto("/login?lang=en");
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(page.getByRole("heading", { level: 1 })).toContainText(heading);
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("navigation").getByRole("link", { name: "Sign in" })).toBeVisible();
  });
}

test("a wrong password gets a clear message in Welsh, focused for screen readers, and keeps the email", async ({ page }) => {
  await page.goto("/login?lang=cy");
  await page.getByLabel("Cyfeiriad e-bost").fill("guardian@demo.test");
  await page.getByLabel("Cyfrinair").fill("not-the-password");
  await page.getByRole("button", { name: "Mewngofnodi" }).click();
  const summary = page.getByRole("alert");
  await expect(summary).toContainText("Nid yw'r cyfeiriad e-bost neu'r cyfrinair yn gywir");
  await expect(summary).toBeFocused();
  await expect(page.getByLabel("Cyfeiriad e-bost")).toHaveValue("guardian@demo.test");
  await expectNoAxeViolations(page);
});

test("the sign-in page says how long staff and guardians stay signed in, in both languages", async ({ page }) => {
  await page.goto("/login?lang=en");
  await expect(page.getByText("Staff are signed out after 30 minutes without use, and 12 hours after signing in at most.")).toBeVisible();
  await page.goto("/login?lang=cy");
  await expect(page.getByText("Caiff staff eu hallgofnodi ar ôl 30 munud heb ddefnydd")).toBeVisible();
  await expectNoAxeViolations(page);
});

test("a malformed email is explained next to the field", async ({ page }) => {
  await page.goto("/login?lang=en");
  await page.getByLabel("Email address").fill("not-an-email");
  await page.getByLabel("Password").fill("whatever");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("Enter an email address in the right format");
  await expect(page.getByLabel("Email address")).toHaveAttribute("aria-invalid", "true");
});

test("signing in works without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/login?lang=en");
  await page.getByLabel("Email address").fill("coordinator@demo.test");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/coordinator$/);
  await context.close();
});

test("a page that needs signing in sends you there and back", async ({ page }) => {
  await page.goto("/school?lang=en");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fschool/);
  await page.getByLabel("Email address").fill("school@demo.test");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/school/);
});

test("a state-changing request from another site is refused", async ({ request }) => {
  const response = await request.post("/login", {
    headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
    data: "email=coordinator%40demo.test&password=pasbort-demo",
  });
  expect(response.status()).toBe(403);
  expect(await response.text()).toContain("another website");
});

test("pages carry the security headers", async ({ request }) => {
  const response = await request.get("/");
  const headers = response.headers();
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["permissions-policy"]).toContain("camera=(self)");
});
