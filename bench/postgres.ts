/**
 * A PostgreSQL of the benchmark's (or a test's) own: initdb into a fresh temporary folder,
 * started on 127.0.0.1 and a free port, with its socket inside that folder, as the `postgres`
 * user when run as root (PostgreSQL refuses root) or as the current user otherwise. `stop()`
 * stops it and removes the folder; the caller runs it on exit, failure and Ctrl-C. The
 * outage test also crashes it (`stopImmediately`, `killPostmaster`) and starts it again.
 * Nothing is installed: if the binaries are missing, it says so and how to get them.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface BenchPostgres {
  url: string;
  port: number;
  version: string;
  dataDir: string;
  settings: Record<string, string>;
  stop: () => void;
  /** `pg_ctl stop -m immediate`: every backend is told to quit at once, as in a crash. */
  stopImmediately: () => void;
  /** SIGKILL to the postmaster (its backends notice and exit); returns once they all have. */
  killPostmaster: () => Promise<void>;
  /** Starts it again on the same port and folder (crash recovery first); returns once it accepts connections. */
  restart: () => Promise<void>;
}

export function findPgBin(): string | null {
  const root = "/usr/lib/postgresql";
  if (process.env.PG_BIN && existsSync(path.join(process.env.PG_BIN, "initdb"))) return process.env.PG_BIN;
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(a) - Number(b));
  const latest = versions.at(-1);
  return latest ? path.join(root, latest, "bin") : null;
}

async function portFree(port: number) {
  return new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export async function freePort(from: number) {
  for (let port = from; port < from + 1000; port++) if (await portFree(port)) return port;
  throw new Error(`No free port from ${from}.`);
}

/**
 * Server settings for the run. fsync stays ON (durability as in production: every commit
 * waits for its WAL flush), synchronous_commit on; memory sized for a 2-core, small machine.
 */
export const PG_SETTINGS: Record<string, string> = {
  fsync: "on",
  synchronous_commit: "on",
  shared_buffers: "1GB",
  work_mem: "32MB",
  maintenance_work_mem: "512MB",
  max_wal_size: "4GB",
  checkpoint_timeout: "15min",
  max_connections: "200",
  effective_cache_size: "4GB",
  random_page_cost: "1.1",
};

export interface PostgresOptions {
  /** The first port to try (the next free one is used). */
  fromPort?: number;
  settings?: Record<string, string>;
  /** A prefix for the temporary folder's name. */
  name?: string;
}

export async function startPostgres(log: (line: string) => void, options: PostgresOptions = {}): Promise<BenchPostgres> {
  const settings = options.settings ?? PG_SETTINGS;
  const bin = findPgBin();
  if (!bin) {
    throw new Error(
      "PostgreSQL is not installed: the benchmark needs its server binaries (initdb, pg_ctl) in /usr/lib/postgresql/<version>/bin. " +
        "Install them (Debian/Ubuntu: apt-get install postgresql) or set PG_BIN, then run `npm run bench` again.",
    );
  }
  const root = process.getuid?.() === 0;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `${options.name ?? "pasbort-bench-pg"}-`));
  const asPg = (args: string[]) => {
    const command = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    return root ? spawnSync("su", ["postgres", "-c", command], { encoding: "utf8" }) : spawnSync(args[0]!, args.slice(1), { encoding: "utf8" });
  };
  /** The same, without blocking this process while it runs (a test's clients keep going meanwhile). */
  const asPgInBackground = (args: string[]) =>
    new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const command = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
      const [program, ...rest] = root ? ["su", "postgres", "-c", command] : args;
      const child = spawn(program!, rest, { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr!.on("data", (chunk) => (stderr += chunk));
      child.once("close", (status) => resolve({ status, stderr }));
    });
  let started = false;
  const stop = () => {
    if (!existsSync(dataDir)) return;
    if (started) asPg([path.join(bin, "pg_ctl"), "-D", dataDir, "-m", "fast", "-w", "stop"]);
    started = false;
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    if (root) {
      const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
      chownSync(dataDir, uid, gid);
    }
    const init = asPg([path.join(bin, "initdb"), "-D", dataDir, "--auth=trust", "--username=postgres", "--encoding=UTF8", "--locale=C.UTF-8"]);
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
    const port = await freePort(options.fromPort ?? 56432);
    const serverOptions = [`-p ${port}`, "-c listen_addresses=127.0.0.1", `-k ${dataDir}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(
      " ",
    );
    const startArgs = [path.join(bin, "pg_ctl"), "-D", dataDir, "-l", path.join(dataDir, "server.log"), "-w", "-o", serverOptions, "start"];
    const checkStarted = (start: { status: number | null; stderr: string }) => {
      if (start.status !== 0) {
        let serverLog = "";
        try {
          serverLog = readFileSync(path.join(dataDir, "server.log"), "utf8");
        } catch {}
        throw new Error(`PostgreSQL did not start on 127.0.0.1:${port}.\n${start.stderr}\n${serverLog}`);
      }
      started = true;
    };
    checkStarted(asPg(startArgs));
    const postmasterPid = () => Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    const backendsOf = (pid: number) =>
      readdirSync("/proc").filter((entry) => {
        try {
          return /^\d+$/.test(entry) && readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]!.split(" ")[1] === String(pid);
        } catch {
          return false; // gone while reading
        }
      });
    const stopImmediately = () => {
      const stopped = asPg([path.join(bin, "pg_ctl"), "-D", dataDir, "-m", "immediate", "-w", "stop"]);
      if (stopped.status !== 0) throw new Error(`pg_ctl stop -m immediate failed: ${stopped.stderr}`);
    };
    const killPostmaster = async () => {
      const pid = postmasterPid();
      const backends = backendsOf(pid);
      process.kill(pid, "SIGKILL");
      // A new postmaster refuses to start while an orphaned backend still holds the shared memory.
      const deadline = Date.now() + 30_000;
      const running = (p: string) => {
        try {
          return !readFileSync(`/proc/${p}/stat`, "utf8").includes(") Z ");
        } catch {
          return false; // gone
        }
      };
      while ([String(pid), ...backends].some(running)) {
        if (Date.now() > deadline) throw new Error("PostgreSQL's backends did not exit after the postmaster was killed.");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // The killed postmaster may linger as a zombie where nothing reaps orphans (a container's
      // PID 1), and a new one takes its lock files' live pid for a running server: remove them.
      for (const lock of ["postmaster.pid", `.s.PGSQL.${port}.lock`, `.s.PGSQL.${port}`]) rmSync(path.join(dataDir, lock), { force: true });
    };
    const restart = async () => checkStarted(await asPgInBackground(startArgs));
    // A watchdog outside this process group: if the benchmark dies without cleaning up (killed,
    // SIGKILL), it stops this PostgreSQL and removes its folder once the benchmark is gone.
    const pgCtlStop = `${path.join(bin, "pg_ctl")} -D ${dataDir} -m fast -w stop`;
    const watchdog = spawn(
      "sh",
      [
        "-c",
        `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; if [ -d '${dataDir}' ]; then ${root ? `su postgres -c '${pgCtlStop}'` : pgCtlStop}; rm -rf '${dataDir}'; fi`,
      ],
      { detached: true, stdio: "ignore" },
    );
    watchdog.unref();
    const version = execFileSync(path.join(bin, "postgres"), ["--version"], { encoding: "utf8" }).match(/\d+(\.\d+)+/)?.[0] ?? "unknown";
    log(`PostgreSQL ${version} on 127.0.0.1:${port} (data in ${dataDir}, fsync ${settings.fsync ?? "on"})`);
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, version, dataDir, settings, stop, stopImmediately, killPostmaster, restart };
  } catch (error) {
    stop();
    throw error;
  }
}
