import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";

/** React's hydration failures, as the production build reports them (minified errors 418–425) or spells them out. */
const HYDRATION = /hydrat|Minified React error #4(18|19|21|22|23|25)\b/i;
/** A string the page had not loaded (app/modules/i18n/i18n.ts: MISSING_STRING; strings are split by route). */
const MISSING_STRING = /^Pasbort: no string for /;

/**
 * Playwright's `test`, failing any test whose pages threw an uncaught error or logged a React
 * hydration error (a page that works only after React gives up on the server's HTML is broken),
 * showed a string its route's strings file did not have, or asked for a built file that is not there.
 */
export const test = base.extend<{ pageProblems: string[] }>({
  pageProblems: [
    async ({ browser, context }, use) => {
      const problems: string[] = [];
      const watch = (page: Page) => {
        page.on("pageerror", (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
        page.on("console", (message) => {
          if (message.type() === "error" && HYDRATION.test(message.text())) problems.push(`hydration error on ${page.url()}: ${message.text()}`);
          if (message.type() === "error" && MISSING_STRING.test(message.text())) problems.push(`missing string on ${page.url()}: ${message.text()}`);
        });
        // A script, stylesheet or strings file the page asked for and the build does not have.
        page.on("response", (response) => {
          if (new URL(response.url()).pathname.startsWith("/build/") && response.status() >= 400)
            problems.push(`built file missing on ${page.url()}: ${response.url()} (${response.status()})`);
        });
      };
      const watchContext = (watched: BrowserContext) => {
        watched.pages().forEach(watch);
        watched.on("page", watch);
      };
      watchContext(context);
      // Tests that open a second person's browser (browser.newContext) are watched too.
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args) => {
        const created = await newContext(...args);
        watchContext(created);
        return created;
      };
      try {
        await use(problems);
      } finally {
        browser.newContext = newContext;
      }
      expect(problems, "errors in the page").toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

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

/**
 * Until React has taken over the server's HTML, a click is the browser's alone (a form is posted
 * without the page's scripts): tests that mean to exercise the scripts wait for them.
 */
export async function waitForHydration(page: Page) {
  // Without JavaScript (the page's inline scripts never ran) there is nothing to wait for.
  if (!(await page.evaluate(() => "__remixContext" in window))) return;
  await page.waitForFunction(() => "__remixRouter" in window);
}

/**
 * What the page was sent (ADR 0042): whether it runs React (Remix's context, a script file, a
 * module or its preload), and how many script elements it has. A page without React has none,
 * or, signed out, root.tsx's one small inline script.
 */
export async function pageScripts(page: Page) {
  // The whole document parsed (readyState leaves "loading" before deferred and module scripts
  // run, so a test holding an island's module back still gets here): a heading can be on the
  // screen while the end of the streamed page, where the scripts are, has not arrived yet.
  await page.waitForFunction(() => document.readyState !== "loading");
  return page.evaluate(() => ({
    /** Any scripts beyond root.tsx's small inline one: Remix's client or an island (ADR 0042, 0046). */
    react:
      "__remixContext" in window ||
      document.querySelector('script[src], script[type="module"], link[rel="modulepreload"], link[rel="preload"][as="fetch"]') !== null,
    /** Remix's client, with React. */
    remix: "__remixContext" in window,
    /** An island's own module (ADR 0046). */
    island: document.querySelector('script[type="module"][src^="/build/islands/"]') !== null,
    elements: document.scripts.length,
  }));
}

/** Signs a demo account in through the sign-in form, in the language given. */
export async function signIn(page: Page, email: string, lang: "en" | "cy" = "en") {
  await page.goto(`/login?lang=${lang}`);
  await waitForHydration(page);
  await page.getByLabel(lang === "cy" ? "Cyfeiriad e-bost" : "Email address").fill(email);
  await page.getByLabel(lang === "cy" ? "Cyfrinair" : "Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: lang === "cy" ? "Mewngofnodi" : "Sign in" }).click();
  // Signed in once the form has sent the person on: a page opened sooner races the sign-in.
  await page.waitForURL((url) => url.pathname !== "/login");
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
