import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { projectPath } from "~/modules/project-path.server";

/**
 * The compiled server as `npm run serve` runs it (build/server/server.js), started by a test
 * on loopback: for the tests of its process model (supervisor, outages, slow clients).
 */
export const SERVER = projectPath("build/server/server.js");

/** Builds the app when the compiled server is missing (CI builds before the tests). */
export function ensureBuilt() {
  if (existsSync(SERVER) && existsSync(projectPath("build/index.js"))) return;
  const build = spawnSync("npm", ["run", "build"], { cwd: projectPath(), stdio: "inherit" });
  if (build.status !== 0) throw new Error("npm run build failed");
}

export async function freePort() {
  const probe = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => probe.once("listening", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export function startServer(port: number, env: Record<string, string>) {
  const child = spawn(process.execPath, ["--max-old-space-size=192", SERVER], {
    cwd: projectPath(),
    env: {
      ...process.env,
      NODE_ENV: "production",
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      CREDENTIAL_KEY_SECRET: "test-server-credential-key-secret-0123456789",
      HOST: "127.0.0.1",
      PORT: String(port),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

export async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The processes a process started (Linux: by their parent's pid). */
export function childProcessesOf(parent: number | undefined) {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1] === String(parent);
      } catch {
        return false; // gone while reading
      }
    })
    .map(Number);
}

/** Running, not a zombie waiting for its parent. */
export function isAlive(pid: number) {
  try {
    return !readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.startsWith("Z");
  } catch {
    return false;
  }
}
