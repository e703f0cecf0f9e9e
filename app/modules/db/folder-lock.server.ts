import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const LOCK_FILE = "pasbort.pid";

/**
 * Claims an embedded database folder for this process. PGlite keeps one process per folder
 * and does not check for another: a second `npm start` on the same PGLITE_DIR would corrupt
 * the data. Returns the process id already using the folder, or null once the folder is ours
 * (a lock left by a process that has since died is taken over). Released at exit.
 */
export function claimFolder(dir: string): number | null {
  const file = path.join(dir, LOCK_FILE);
  const holder = readHolder(file);
  if (holder !== null && holder !== process.pid && isRunning(holder)) return holder;
  writeFileSync(file, String(process.pid));
  process.once("exit", () => {
    if (readHolder(file) === process.pid) rmSync(file, { force: true });
  });
  return null;
}

function readHolder(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isRunning(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user — still running.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
