import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** Fails the test on any WCAG 2.2 A or AA violation axe can find on the page as it is. */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(summary).toEqual([]);
}

/** True when nothing on the page needs sideways scrolling. */
export async function fitsWidth(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** The demo accounts' password (db/seed/demo-accounts.ts). */
export const DEMO_PASSWORD = "pasbort-demo";

/** Signs a demo account in through the sign-in form, in the language given. */
export async function signIn(page: Page, email: string, lang: "en" | "cy" = "en") {
  await page.goto(`/login?lang=${lang}`);
  await page.getByLabel(lang === "cy" ? "Cyfeiriad e-bost" : "Email address").fill(email);
  await page.getByLabel(lang === "cy" ? "Cyfrinair" : "Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: lang === "cy" ? "Mewngofnodi" : "Sign in" }).click();
}

/** Collects the page's script errors and React hydration errors, for a test to expect none. */
export function watchPageErrors(page: Page) {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && /hydrat|react error/i.test(message.text())) errors.push(message.text());
  });
  return errors;
}
