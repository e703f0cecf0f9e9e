import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, expectNoAxeViolations, fitsWidth, signIn, test, waitForHydration } from "./support";

/**
 * Moving records between two Children's Universities (issue 17) in the browser: the demo's
 * coordinator downloads the area's records with its key fingerprint, and the coordinator of a
 * second Pasbort (its own server, database and address, started here from the same build)
 * checks the file, is refused until they confirm the fingerprint, imports it, and sees the
 * children received, with their badge still verifying there. By keyboard, at 320 px, axe
 * clean at every step, the sender in Welsh and the receiver in English, then each step's
 * messages in the other language too.
 */

const SENDER_PORT = Number(process.env.E2E_PORT || 3100);
const RECEIVER_PORT = SENDER_PORT + 1;
const RECEIVER = `http://127.0.0.1:${RECEIVER_PORT}`;

const text = {
  cy: {
    title: "Symud cofnodion rhwng Prifysgolion y Plant",
    exportLink: "Lawrlwytho cofnodion pob plentyn yn yr ardal (JSON)",
    fileLabel: "Y ffeil cofnodion",
    check: "Gwirio'r ffeil",
    allVerified: "Mae pob bathodyn digidol yn y ffeil wedi'i lofnodi â'r allweddi hyn",
    import: "Mewnforio'r cofnodion",
    trustNotConfirmed: "Cadarnhewch eich bod wedi gwirio ôl bys yr allwedd gyda'r Brifysgol y Plant arall",
    trustLabel: "Rwyf wedi cadarnhau gyda",
    ownIssuer: "Mae'r ffeil hon yn enwi un o gyhoeddwyr y gwasanaeth hwn ei hun",
    notTransfer: "Nid ffeil cofnodion Pasbort yw hon, neu mae wedi'i difrodi",
    imported: /^Mewnforiwyd \d+ (o gofnodion|cofnod)\./,
    recordsTitle: "Cofnodion a dderbyniwyd",
  },
  en: {
    title: "Move records between Children's Universities",
    exportLink: "Download the records of every child in the area (JSON)",
    fileLabel: "The records file",
    check: "Check the file",
    allVerified: "Every digital badge in the file is signed with these keys",
    import: "Import the records",
    trustNotConfirmed: "Confirm that you have checked the key fingerprint with the other Children's University",
    trustLabel: "I have confirmed with",
    ownIssuer: "This file names one of this service's own issuers",
    notTransfer: "This is not a Pasbort records file, or it is damaged",
    imported: /^\d+ records? imported\./,
    recordsTitle: "Records received",
  },
} as const;

let receiver: ChildProcess | null = null;
let receiverDir = "";

/** A second Pasbort, the receiving Children's University: the same build, its own demo database and address. */
test.beforeAll(async () => {
  test.setTimeout(240_000);
  receiverDir = mkdtempSync(path.join(tmpdir(), "pasbort-e2e-receiver-"));
  const started = spawn(process.execPath, ["--max-old-space-size=192", "build/server/server.js"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(RECEIVER_PORT), HOST: "127.0.0.1", PGLITE_DIR: receiverDir, DEMO: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  receiver = started;
  let stderr = "";
  started.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 220_000;
  for (;;) {
    if (started.exitCode !== null) throw new Error(`The receiving server stopped: ${stderr}`);
    const up = await fetch(`${RECEIVER}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`The receiving server did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
});

test.afterAll(async () => {
  if (receiver && receiver.exitCode === null) {
    const stopped = new Promise((resolve) => receiver!.once("exit", resolve));
    receiver.kill("SIGTERM");
    await stopped;
  }
  if (receiverDir) rmSync(receiverDir, { recursive: true, force: true });
});

/** The page at 320 px fits, and axe finds nothing. */
async function checkPage(page: Page) {
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await fitsWidth(page)).toBe(true);
  await expectNoAxeViolations(page);
}

/** Chooses a file in the records field and presses the check button from the keyboard. */
async function checkFile(page: Page, lang: "cy" | "en", file: { name: string; buffer: Buffer }) {
  await page.getByLabel(text[lang].fileLabel).setInputFiles({ ...file, mimeType: "application/json" });
  await page.getByRole("button", { name: text[lang].check }).focus();
  await page.keyboard.press("Enter");
}

/** The demo guardian's award badge, downloaded once so the area has a signed badge to send. */
async function makeDemoBadge(page: Page) {
  await signIn(page, "guardian@demo.test");
  await expect(page.locator('main a[href^="/guardian/children/"]').first()).toBeVisible();
  const passports = await page
    .locator('main a[href^="/guardian/children/"]')
    .evaluateAll((links) => links.map((link) => link.getAttribute("href")!).filter((href) => /^\/guardian\/children\/[0-9a-f-]{36}$/.test(href)));
  for (const passport of passports) {
    await page.goto(`${passport}/certificates?lang=en`);
    const link = page.getByRole("link", { name: /digital badge \(for a wallet app\)$/ });
    if ((await link.count()) === 0) continue;
    const response = await page.request.get((await link.first().getAttribute("href"))!);
    expect(response.status()).toBe(200);
    return;
  }
  throw new Error("The demo guardian has no award badge to download.");
}

test("a coordinator sends the area's records, and another Children's University checks and imports them, by keyboard at 320 px", async ({ page, browser }) => {
  test.setTimeout(300_000);
  await makeDemoBadge(page);
  await page.context().clearCookies();

  // The sending coordinator, in Welsh: the fingerprint, and the records as a download.
  await signIn(page, "coordinator@demo.test", "cy");
  await page.goto("/coordinator/transfer?lang=cy");
  await expect(page.getByRole("heading", { level: 1, name: text.cy.title })).toBeVisible();
  const fingerprint = (await page.locator("code").first().textContent())!.trim();
  expect(fingerprint).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){5}$/);
  await checkPage(page);
  await waitForHydration(page);
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: text.cy.exportLink }).focus();
  await page.keyboard.press("Enter");
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^pasbort-records-\d{4}-\d{2}-\d{2}\.json$/);
  const records = readFileSync((await download.path())!);
  const file = JSON.parse(records.toString("utf8")) as { type: string; from: { issuer: string }; children: Array<{ badges: unknown[] }> };
  expect(file.type).toBe("PasbortRecordTransfer");
  expect(file.from.issuer).toMatch(new RegExp(`^did:web:localhost%3A${SENDER_PORT}:issuers:`));
  const children = file.children.length;
  const badges = file.children.reduce((sum, child) => sum + child.badges.length, 0);
  expect(children).toBeGreaterThan(0);
  expect(badges).toBeGreaterThan(0);

  // Its own file, given back to the service that made it, is refused with the reason.
  await checkFile(page, "cy", { name: "records.json", buffer: records });
  await expect(page.getByRole("alert")).toContainText(text.cy.ownIssuer);
  await checkPage(page);

  // The receiving coordinator, on the other Pasbort, in English.
  const other = await browser.newContext({ baseURL: RECEIVER });
  const receiving = await other.newPage();
  await signIn(receiving, "coordinator@demo.test", "en");
  await receiving.goto("/coordinator/transfer?lang=en");
  await expect(receiving.getByRole("heading", { level: 1, name: text.en.title })).toBeVisible();
  // Another Children's University: its own issuer and fingerprint.
  expect((await receiving.locator("code").first().textContent())!.trim()).not.toBe(fingerprint);
  await waitForHydration(receiving);

  // A damaged file is explained, and nothing is shown to import.
  await checkFile(receiving, "en", { name: "records.json", buffer: Buffer.from(JSON.stringify({ ...file, children: [{ givenName: "x" }] })) });
  await expect(receiving.getByRole("alert")).toContainText(text.en.notTransfer);
  await expect(receiving.getByRole("button", { name: text.en.import })).toHaveCount(0);
  await checkPage(receiving);

  // The real file: every badge verified against the file's keys, and the sender's fingerprint shown.
  await checkFile(receiving, "en", { name: "records.json", buffer: records });
  const preview = receiving.getByRole("status").filter({ hasText: text.en.allVerified });
  await expect(preview).toBeVisible();
  await expect(preview).toContainText(fingerprint);
  await expect(preview).toContainText(file.from.issuer);
  await expect(preview).toContainText(`${children} children`);
  await expect(preview).toContainText(badges === 1 ? "1 digital badge" : `${badges} digital badges`);
  await checkPage(receiving);

  // Importing without confirming the fingerprint is refused, with the reason next to the box.
  await receiving.getByRole("button", { name: text.en.import }).focus();
  await receiving.keyboard.press("Enter");
  await expect(receiving.getByRole("alert")).toContainText(text.en.trustNotConfirmed);
  await expect(receiving.getByRole("alert")).toBeFocused();
  await checkPage(receiving);
  await expect(receiving.getByRole("heading", { name: text.en.recordsTitle })).toBeVisible();
  await expect(receiving.getByText("No records have been received from another Children's University.")).toBeVisible();

  // Confirmed (Space on the box), then imported.
  const trust = receiving.getByLabel(new RegExp(`^${text.en.trustLabel}`));
  await trust.focus();
  await receiving.keyboard.press("Space");
  await expect(trust).toBeChecked();
  await receiving.getByRole("button", { name: text.en.import }).focus();
  await receiving.keyboard.press("Enter");
  // The demo's 600 children become children of the receiving area: this takes a while on PGlite.
  await expect(receiving.getByRole("status").filter({ hasText: text.en.imported })).toBeVisible({ timeout: 120_000 });
  await expect(receiving.getByRole("status").filter({ hasText: text.en.imported })).toHaveText(
    new RegExp(`^${children === 1 ? "1 record" : `${children} records`} imported\\.`),
  );
  const received = receiving.locator("section", { has: receiving.getByRole("heading", { name: text.en.recordsTitle }) }).getByRole("listitem");
  // The page lists the 500 received most recently, and says so when there are more.
  await expect(received).toHaveCount(Math.min(children, 500));
  if (children > 500) await expect(receiving.getByText(`The 500 received most recently are listed, of ${children} records.`)).toBeVisible();
  await checkPage(receiving);

  // The same page in Welsh: the records received, and the messages of a second check.
  await receiving.goto("/coordinator/transfer?lang=cy");
  await expect(receiving.locator("html")).toHaveAttribute("lang", "cy");
  await expect(receiving.getByRole("heading", { name: text.cy.recordsTitle })).toBeVisible();
  await checkPage(receiving);
  await waitForHydration(receiving);
  await checkFile(receiving, "cy", { name: "records.json", buffer: records });
  await expect(receiving.getByRole("status").filter({ hasText: text.cy.allVerified })).toBeVisible();
  await checkPage(receiving);
  await receiving.getByRole("button", { name: text.cy.import }).focus();
  await receiving.keyboard.press("Enter");
  await expect(receiving.getByRole("alert")).toContainText(text.cy.trustNotConfirmed);
  await checkPage(receiving);
  await checkFile(receiving, "cy", { name: "records.json", buffer: Buffer.from("[]") });
  await expect(receiving.getByRole("alert")).toContainText(text.cy.notTransfer);

  // The badge received verifies on the receiving Pasbort's /verify, from what it was given.
  const badge = file.children.find((child) => child.badges.length > 0)!.badges[0];
  await receiving.goto("/verify?lang=en");
  await waitForHydration(receiving);
  await receiving.getByLabel("The badge's text").fill(JSON.stringify(badge));
  await receiving.getByRole("button", { name: "Check the badge" }).focus();
  await receiving.keyboard.press("Enter");
  await expect(receiving.getByRole("status").getByRole("heading", { name: "This badge is valid" })).toBeVisible();
  await checkPage(receiving);
  await other.close();

  // On the sender, nothing changed: its own records list is still empty.
  await page.goto("/coordinator/transfer?lang=en");
  await expect(page.getByText("No records have been received from another Children's University.")).toBeVisible();
});
