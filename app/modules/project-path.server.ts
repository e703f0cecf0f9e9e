import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A path inside the project's folder (the one with package.json), whether this code runs from
 * its source (tsx, tests, the CLI scripts) or bundled into build/ (the server, the Remix build).
 */
export function projectPath(...segments: string[]) {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(folder, "package.json"))) {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error(`No package.json above ${fileURLToPath(import.meta.url)}.`);
    folder = parent;
  }
  return path.join(folder, ...segments);
}
