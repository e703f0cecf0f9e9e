import { readFileSync } from "node:fs";
import { expect, expectNoAxeViolations, fitsWidth, signIn, test } from "./support";

/**
 * Issue 21: the impact report's Download links (PDF, CSV, XLSX) each download a file of its
 * type for the year, edition and scope on the page, in the page's language (Playwright's
 * download event); and a coordinator publishes a finished year, after which the page and its
 * downloads are marked as the published report in both languages, the current figures a link
 * away (ADR 0041).
 */

const text = {
  en: {
    pdf: "The report to hand over (PDF, Welsh and English)",
    csv: "The figures (CSV, every table in one file)",
    xlsx: "The figures (spreadsheet, one sheet per table, with notes)",
    title: "Impact report",
    publish: /^Publish the report for/,
    published: /^Published on \d+ \w+ \d{4}\. These are the figures as published/,
    seeCurrent: "See the figures as they are now",
    current: /^These are the figures as they are now, not the report published on/,
    seePublished: "See the report as published",
    done: "Published. This page and its downloads now show the report as published.",
    csvPublished: /Published on \d+ \w+ \d{4}\. These are the figures as published/,
    csvCurrent: /These are the figures as they are now, not the report published on/,
  },
  cy: {
    pdf: "Yr adroddiad i'w roi i eraill (PDF, Cymraeg a Saesneg)",
    csv: "Y ffigurau (CSV, pob tabl mewn un ffeil)",
    xlsx: "Y ffigurau (taenlen, un ddalen i bob tabl, gyda nodiadau)",
    title: "Adroddiad effaith",
    publish: /^Cyhoeddi'r adroddiad ar gyfer/,
    published: /^Cyhoeddwyd ar \d+ \S+ \d{4}\. Dyma'r ffigurau fel y'u cyhoeddwyd/,
    seeCurrent: "Gweld y ffigurau fel y maent nawr",
    current: /^Dyma'r ffigurau fel y maent nawr, nid yr adroddiad a gyhoeddwyd ar/,
    seePublished: "Gweld yr adroddiad fel y'i cyhoeddwyd",
    done: "Wedi'i gyhoeddi. Mae'r dudalen hon a'i lawrlwythiadau bellach yn dangos yr adroddiad fel y'i cyhoeddwyd.",
    csvPublished: /Cyhoeddwyd ar \d+ \S+ \d{4}\. Dyma'r ffigurau fel y'u cyhoeddwyd/,
    csvCurrent: /Dyma'r ffigurau fel y maent nawr, nid yr adroddiad a gyhoeddwyd ar/,
  },
} as const;

/** Last academic year, which is over: "2025-26" on 3 December 2026. */
function lastYear(now = new Date()) {
  const start = now.getUTCFullYear() - (now.getUTCMonth() >= 8 ? 1 : 2);
  return `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
}

type Lang = keyof typeof text;

/** Clicks a Download link and returns the file: its suggested name and bytes. */
async function download(page: import("@playwright/test").Page, name: string) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name, exact: true }).click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(path), url: file.url() };
}

/** Each link's file: its name for the page's year, edition and scope, its type by its first bytes, its language. */
async function expectDownloads(page: import("@playwright/test").Page, lang: Lang, year: string, edition: string, la: string, marked?: RegExp) {
  const stem = `impact-${year}-${edition}-la-${la}`;
  const pdf = await download(page, text[lang].pdf);
  expect(pdf.name).toBe(`${stem}.pdf`);
  expect(pdf.bytes.subarray(0, 5).toString()).toBe("%PDF-");
  expect(new URL(pdf.url).searchParams.get("lang")).toBe(lang);

  const csv = await download(page, text[lang].csv);
  expect(csv.name).toBe(`${stem}.csv`);
  const csvText = csv.bytes.toString("utf8");
  // The app's CSV: a byte-order mark, then the title in the page's language.
  expect(csvText.charCodeAt(0)).toBe(0xfeff);
  expect(csvText.slice(1).startsWith(text[lang].title)).toBe(true);
  if (marked) expect(csvText).toMatch(marked);

  const xlsx = await download(page, text[lang].xlsx);
  expect(xlsx.name).toBe(`${stem}.xlsx`);
  // An XLSX is a zip with a workbook inside.
  expect(xlsx.bytes.subarray(0, 2).toString()).toBe("PK");
  expect(xlsx.bytes.includes(Buffer.from("xl/workbook.xml"))).toBe(true);
}

for (const lang of ["en", "cy"] as const) {
  test(`the Download links give the chosen year, edition and scope's PDF, CSV and XLSX in ${lang === "cy" ? "Welsh" : "English"}`, async ({ page }) => {
    await signIn(page, "viewer@demo.test", lang);
    const year = lastYear();
    await page.goto(`/reports/impact?year=${year}&la=W06000006&edition=wimd2019&lang=${lang}`);
    await expect(page.locator("#report-edition")).toBeVisible();
    await expectDownloads(page, lang, year, "wimd2019", "W06000006");
  });
}

test("a coordinator publishes last year's report; the page and its downloads are then the published report, marked so in both languages", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 800 });
  await signIn(page, "coordinator@demo.test", "en");
  const year = lastYear();
  // Flintshire's, under WIMD 2025: a scope no other test reads as published.
  const address = `/reports/impact?year=${year}&la=W06000005&edition=wimd2025`;
  await page.goto(`${address}&lang=en`);
  await page.getByRole("button", { name: text.en.publish }).click();
  await expect(page.getByRole("status").filter({ hasText: text.en.done })).toBeVisible();
  await expect(page.locator("#impact-release")).toContainText(text.en.published);
  await expect(page.getByRole("button", { name: text.en.publish })).toHaveCount(0);
  expect(await fitsWidth(page)).toBe(true);
  await expectNoAxeViolations(page);
  await expectDownloads(page, "en", year, "wimd2025", "W06000005", text.en.csvPublished);

  for (const lang of ["cy", "en"] as const) {
    await page.goto(`${address}&lang=${lang}`);
    await expect(page.locator("#impact-release")).toContainText(text[lang].published);
    await page.getByRole("link", { name: text[lang].seeCurrent }).click();
    await expect(page).toHaveURL(/figures=current/);
    await expect(page.locator("#impact-release")).toContainText(text[lang].current);
    await expectDownloads(page, lang, year, "wimd2025", "W06000005", text[lang].csvCurrent);
    await page.getByRole("link", { name: text[lang].seePublished }).click();
    await expect(page).not.toHaveURL(/figures=current/);
    await expect(page.locator("#impact-release")).toContainText(text[lang].published);
    await expectNoAxeViolations(page);
  }
});
