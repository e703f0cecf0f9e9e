import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { FORMULA_ATTACKS } from "../../../tests/support/csv-attacks";
import { csvDocument, csvField, readAsFormula } from "./csv";

describe("a CSV cell", () => {
  it("never starts a formula", () => {
    for (const attack of FORMULA_ATTACKS) {
      expect(readAsFormula(attack), JSON.stringify(attack)).toBe(true);
      expect(csvField(attack), JSON.stringify(attack)).toMatch(/^"?'/);
    }
  });

  it("keeps plain numbers, percentages and dates as they are, so spreadsheets count them", () => {
    for (const plain of ["0", "12", "-3", "2.5", "-0.25", "46%", "2026-11-25", "<5", "Siân", "Ysgol Gynradd Llan-y-pwll", "3 hours"]) {
      expect(csvField(plain), plain).toBe(plain);
    }
  });

  it("quotes what would split a cell, in comma and semicolon spreadsheets alike", () => {
    expect(csvField('Say "hi"')).toBe('"Say ""hi"""');
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField("a;=1+1")).toBe('"a;=1+1"');
    expect(csvField("=1,2")).toBe('"\'=1,2"');
  });

  it("reads back cell for cell, the escaped ones with their apostrophe", () => {
    const text = csvDocument([["name", "hours"], ...FORMULA_ATTACKS.map((attack) => [attack, "1.5"])]);
    expect(text.startsWith("\uFEFF")).toBe(true);
    const rows: string[][] = parse(text, { bom: true, relax_column_count: false });
    expect(rows.slice(1)).toEqual(FORMULA_ATTACKS.map((attack) => [`'${attack}`, "1.5"]));
  });
});

describe("every CSV the app writes", () => {
  it("is one of the known CSV routes (answering text/csv), each tested with formula attacks, and made by the one writer", () => {
    const routes = fileURLToPath(new URL("../../routes", import.meta.url));
    const csvRoutes = readdirSync(routes).filter((file) => readFileSync(`${routes}/${file}`, "utf8").includes('"text/csv;'));
    // Tested in tests/integration/equity-routes.test.ts, graduations.test.ts and impact-exports.test.ts ("formulas defused").
    // A new CSV route: make it with csvDocument and add it to those tests, then here.
    expect(csvRoutes.sort()).toEqual(["coordinator.graduations.$graduationId_.list[.csv].ts", "reports.equity[.csv].ts", "reports.impact[.csv].ts"]);
    const modules = fileURLToPath(new URL("..", import.meta.url));
    // A module that writes a document starting with a byte-order mark (a string beginning with one); stripping one when reading does not count.
    const byteOrderMarks = readdirSync(modules, { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
      .filter((file) => /["'`]\\uFEFF/.test(readFileSync(`${modules}/${file}`, "utf8")));
    expect(byteOrderMarks).toEqual(["http/csv.ts"]);
  });
});
