import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { projectPath } from "~/modules/project-path.server";

/**
 * The compiled app as `npm run serve` runs it (build/server/server.js, built first if missing),
 * on a fresh embedded database (with the demo data when `demo` is set, as `npm run demo`), on a
 * free loopback port.
 */
export interface BuiltServer {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function freePort() {
  const probe = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => probe.once("listening", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export function buildIfMissing() {
  if (existsSync(projectPath("build/server/server.js")) && existsSync(projectPath("build/index.js"))) return;
  const built = spawnSync("npm", ["run", "build"], { cwd: projectPath(), stdio: "inherit" });
  if (built.status !== 0) throw new Error("npm run build failed");
}

/**
 * Writes a dumped PGlite data directory (a plain tar of the folder's files) into an empty
 * folder. PGlite's own `loadDataDir` onto a folder does the same in 1.5 s; tar takes 0.1 s.
 * The server then opens it as it would a folder of its own.
 */
function unpackDataDir(dump: string, dataDir: string) {
  const unpacked = spawnSync("tar", ["-xf", dump, "-C", dataDir], { encoding: "utf8" });
  if (unpacked.status !== 0) throw new Error(`Could not unpack ${dump} into ${dataDir}: ${unpacked.error?.message ?? unpacked.stderr}`);
}

/**
 * `build: true` builds first whatever is there (the page-weight check); otherwise only if missing.
 * `dataDir`: an embedded database folder of the caller's, kept when the server stops.
 * `port`: the loopback port to listen on (else a free one).
 * `startFrom`: a dumped PGlite data directory (a tar from `dumpDataDir`, such as the test run's
 * migrated, reference-loaded template) unpacked into the new data folder, so a server that is
 * not testing a first start skips initdb and the migrations; without it, the folder is empty.
 */
export async function startBuiltServer({
  build = false,
  demo = false,
  dataDir: givenDataDir,
  port: givenPort,
  startFrom,
}: { build?: boolean; demo?: boolean; dataDir?: string; port?: number; startFrom?: string } = {}): Promise<BuiltServer> {
  if (build) {
    const built = spawnSync("npm", ["run", "build"], { cwd: projectPath(), stdio: "inherit" });
    if (built.status !== 0) throw new Error("npm run build failed");
  } else buildIfMissing();
  const port = givenPort ?? (await freePort());
  const dataDir = givenDataDir ?? mkdtempSync(path.join(tmpdir(), "pasbort-built-"));
  if (startFrom) unpackDataDir(startFrom, dataDir);
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), PGLITE_DIR: dataDir };
  delete env.DATABASE_URL;
  delete env.WEB_CONCURRENCY;
  delete env.DEMO;
  if (demo) env.DEMO = "1";
  const child = spawn(process.execPath, ["--max-old-space-size=192", projectPath("build/server/server.js")], {
    cwd: projectPath(),
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
    if (!givenDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`The server stopped while starting:\n${output}`);
    }
    const ready = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The server did not start in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, output: () => output, stop };
}
