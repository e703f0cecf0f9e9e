import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { projectPath } from "./project-path.server";

describe("projectPath", () => {
  it("finds the project's folder from a module under app/", () => {
    expect(JSON.parse(readFileSync(projectPath("package.json"), "utf8")).name).toBe("pasbort");
    expect(readFileSync(projectPath("db/reference/wimd2019_lsoa.csv"), "utf8").slice(0, 10)).toBe("lsoa_code,");
  });
});
