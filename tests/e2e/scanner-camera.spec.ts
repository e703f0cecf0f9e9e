import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inflateSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { expect, test, expectNoAxeViolations, signIn } from "./support";

/**
 * Scanning a passport through the camera, end to end. Chromium plays a video file as its
 * camera, and that file must exist before the browser starts, so this test launches its own
 * browser: first it fetches a demo child's printed card (as the guardian), takes the QR code
 * off it, and films it; then the provider's staff point the "camera" at it.
 */

/**
 * The QR code drawn on a passport card PDF, as a matrix of dark modules. The card draws each
 * dark module as a square `re` of the same size (see drawQr), so the most common square size
 * in the page's content is the code's.
 */
function qrFromCardPdf(pdf: Buffer): boolean[][] {
  const text: string[] = [];
  const latin = pdf.toString("latin1");
  const streams = /stream\r?\n/g;
  for (let match; (match = streams.exec(latin));) {
    const start = match.index + match[0].length;
    const end = latin.indexOf("endstream", start);
    if (end < 0) break;
    try {
      text.push(inflateSync(pdf.subarray(start, end)).toString("latin1"));
    } catch {
      text.push(latin.slice(start, end)); // not compressed (or not content): read as is
    }
  }
  const squares: Array<{ x: number; y: number; size: number }> = [];
  const rect = /(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re/g;
  for (const chunk of text) for (const m of chunk.matchAll(rect)) if (m[3] === m[4]) squares.push({ x: Number(m[1]), y: Number(m[2]), size: Number(m[3]) });
  const counts = new Map<number, number>();
  for (const square of squares) counts.set(square.size, (counts.get(square.size) ?? 0) + 1);
  const [size] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
  const modules = squares.filter((square) => square.size === size);
  const cell = size - 0.05;
  const minX = Math.min(...modules.map((m) => m.x));
  const minY = Math.min(...modules.map((m) => m.y));
  const count = Math.round((Math.max(...modules.map((m) => m.x)) - minX) / cell) + 1;
  expect(count, "a QR code is 21 to 177 modules across, 4n+17").toBeGreaterThanOrEqual(21);
  expect((count - 17) % 4).toBe(0);
  const matrix = Array.from({ length: count }, () => Array<boolean>(count).fill(false));
  for (const m of modules) matrix[Math.round((m.y - minY) / cell)]![Math.round((m.x - minX) / cell)] = true;
  return matrix;
}

/** A short YUV4MPEG2 (4:2:0) video of the code, black on white with a quiet zone, the same frame ten times at 10 fps. */
function qrVideo(matrix: boolean[][], file: string) {
  const width = 640;
  const height = 480;
  const count = matrix.length;
  const scale = Math.floor((height - 40) / (count + 8));
  const left = Math.floor((width - count * scale) / 2);
  const top = Math.floor((height - count * scale) / 2);
  const luma = Buffer.alloc(width * height, 235);
  for (let row = 0; row < count; row++)
    for (let column = 0; column < count; column++)
      if (matrix[row]![column])
        for (let dy = 0; dy < scale; dy++)
          luma.fill(16, (top + row * scale + dy) * width + left + column * scale, (top + row * scale + dy) * width + left + (column + 1) * scale);
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(file, Buffer.concat([header, ...Array<Buffer>(10).fill(frame)]));
}

test("staff point the camera at a passport card and the credit is given", async () => {
  test.setTimeout(90_000);
  const { baseURL, launchOptions } = test.info().project.use;
  const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  const usualArgs = launchOptions?.args ?? [];
  const browserContext = { baseURL, permissions: ["camera"] };

  // 1. The guardian's printed card for their first child: the child's name, and the QR code on it.
  const plain = await chromium.launch({ executablePath, args: usualArgs });
  let given = "";
  let matrix: boolean[][] = [];
  try {
    const context = await plain.newContext({ baseURL });
    const page = await context.newPage();
    await signIn(page, "guardian@demo.test");
    await expect(page).toHaveURL(/\/guardian$/);
    const child = page.getByRole("row").getByRole("link").first();
    given = (await child.innerText()).trim().split(/\s+/)[0]!;
    await child.click();
    await expect(page).toHaveURL(/\/guardian\/children\/[0-9a-f-]{36}$/);
    const card = await page.request.get(`${new URL(page.url()).pathname}/card.pdf`);
    expect(card.status()).toBe(200);
    matrix = qrFromCardPdf(await card.body());
    await context.close();
  } finally {
    await plain.close();
  }
  const video = path.join(mkdtempSync(path.join(tmpdir(), "pasbort-camera-")), "passport.y4m");
  qrVideo(matrix, video);

  // 2. A browser whose camera films the card.
  const browser = await chromium.launch({
    executablePath,
    args: [...usualArgs, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${video}`],
  });
  try {
    const context = await browser.newContext(browserContext);
    const page = await context.newPage();
    await signIn(page, "provider@demo.test");
    await expect(page).toHaveURL(/\/provider$/);
    await page.goto("/provider?lang=en");
    await page.locator("section[aria-labelledby=today-heading]").locator("li", { hasText: "00:00 to 23:59" }).first().getByRole("link").click();
    await expect(page).toHaveURL(/\/provider\/sessions\/[0-9a-f-]{36}$/);
    await page.getByRole("link", { name: "Scan passports" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Scan passports");
    await expect(page.getByRole("heading", { name: "Waiting to send (0)" })).toBeVisible();

    await page.getByRole("button", { name: "Start the camera" }).click();
    await expect(page.getByRole("button", { name: "Stop the camera" })).toBeVisible();
    // Keyboard focus stays on the button, now "Stop the camera", not back at the top of the page.
    await expect(page.getByRole("button", { name: "Stop the camera" })).toBeFocused();
    await expect(page.getByText("Hold the QR code on the passport card inside the frame")).toBeVisible();

    // A credit, or (if another test credited this child here today) the plain "already" answer: either way, this child.
    const result = page.getByTestId("scan-result");
    await expect(result).toContainText(/Credit given|Not given/, {
      timeout: 20_000,
    });
    await expect(result).toContainText(given);
    const text = await result.innerText();
    if (text.includes("Credit given")) await expect(result).toContainText(/\d+(\.\d+)? hours? added/);
    else await expect(result).toContainText(/already/i);
    const sent = page.locator("section", {
      has: page.getByRole("heading", { name: "Given on this phone" }),
    });
    if (text.includes("Credit given")) await expect(sent).toContainText(given);
    await expectNoAxeViolations(page);

    await page.getByRole("button", { name: "Stop the camera" }).click();
    await expect(page.getByRole("button", { name: "Start the camera" })).toBeVisible();
    await context.close();
  } finally {
    await browser.close();
  }
});
