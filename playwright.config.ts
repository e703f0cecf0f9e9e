import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT || 3100);
// Each run starts the real app on a fresh embedded database, seeded with the demo data (DEMO=1, as `npm run demo`).
// Playwright loads this file in every worker too: they share the first process's folder,
// and that process removes it when it exits.
const dataDir = process.env.PASBORT_E2E_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), "pasbort-e2e-"));
if (!process.env.PASBORT_E2E_DATA_DIR) {
  process.env.PASBORT_E2E_DATA_DIR = dataDir;
  process.on("exit", () => rmSync(dataDir, { recursive: true, force: true }));
}

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  // A minute a test: axe and a production build share two cores with the rest of CI.
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    // A postcode directory of three rows in Holt (tests/fixtures/postcodes-e2e.csv), so the
    // guardian's home can ask for the postcode of a child waiting for a 2021 neighbourhood.
    command: "npm run build && npm run import:postcodes -- tests/fixtures/postcodes-e2e.csv && npm run serve",
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 180_000,
    reuseExistingServer: false,
    env: { PORT: String(port), HOST: "127.0.0.1", PGLITE_DIR: dataDir, DEMO: "1" },
    stdout: "pipe",
  },
});
