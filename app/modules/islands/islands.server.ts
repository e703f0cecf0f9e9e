import { readFileSync } from "node:fs";
import { projectPath } from "../project-path.server";

/** An island's built module and the chunks it imports (scripts/build-islands.mjs, ADR 0046). */
export interface IslandScripts {
  module: string;
  imports: string[];
}

let built: Record<string, IslandScripts> | null = null;

/**
 * The scripts of an island, from build/islands.json; null where the islands were not built (the
 * tests that run the routes from source), so the page is its plain form, which works without them.
 * Read once in production; on every page in development, where `npm run dev` rebuilds them.
 */
export function islandScripts(name: string): IslandScripts | null {
  if (built === null || process.env.NODE_ENV !== "production") {
    try {
      built = JSON.parse(readFileSync(projectPath("build/islands.json"), "utf8")) as Record<string, IslandScripts>;
    } catch {
      return null;
    }
  }
  return built[name] ?? null;
}
