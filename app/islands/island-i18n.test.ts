import { afterEach, describe, expect, it, vi } from "vitest";
import { LANGUAGES, MISSING_STRING, resources, translator as appTranslator, type Language } from "~/modules/i18n/i18n";
import { addStrings, translator as islandTranslator } from "./island-i18n";

type Strings = { [key: string]: string | Strings };
const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Every key as `t` is given it (a plural by its base), with the `{{names}}` its forms fill in. */
function keysOf(strings: Strings, prefix = ""): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  for (const [name, value] of Object.entries(strings)) {
    if (typeof value === "object") {
      for (const [key, names] of keysOf(value, `${prefix}${name}.`)) keys.set(key, names);
      continue;
    }
    const key = `${prefix}${name.replace(PLURAL, "")}`;
    const names = keys.get(key) ?? new Set<string>();
    for (const match of value.matchAll(/{{\s*([^{}\s]+)\s*}}/g)) names.add(match[1]!);
    keys.set(key, names);
  }
  return keys;
}

// The island's translator has every string of both languages here, added in two parts as a page
// adds its root's file and then its route's.
for (const language of LANGUAGES) {
  const [first, ...rest] = Object.entries(resources[language].translation as Strings);
  addStrings(language, Object.fromEntries([first!]));
  addStrings(language, Object.fromEntries(rest));
}

afterEach(() => vi.restoreAllMocks());

describe("the islands' translator gives what i18next gives", () => {
  const counts = [0, 1, 2, 3, 6, 11, 1.5, 1000];
  it.each(LANGUAGES)("for every string in %s, every plural form and every value filled in", (language: Language) => {
    const app = appTranslator(language) as unknown as (key: string, options?: object) => string;
    const island = islandTranslator(language) as unknown as (key: string, options?: object) => string;
    const keys = keysOf(resources[language].translation as Strings);
    expect(keys.size).toBeGreaterThan(1000);
    let compared = 0;
    for (const [key, names] of keys) {
      const values = Object.fromEntries([...names].map((name) => [name, `‹${name}›`]));
      expect(island(key), key).toBe(app(key));
      expect(island(key, values), key).toBe(app(key, values));
      for (const count of counts) expect(island(key, { ...values, count }), `${key} count=${count}`).toBe(app(key, { ...values, count }));
      compared += 2 + counts.length;
    }
    expect(compared).toBe(keys.size * (2 + counts.length));
  });

  it("chooses Welsh's zero, one, two, few, many and other forms", () => {
    const island = islandTranslator("cy") as unknown as (key: string, options?: object) => string;
    const forms = [0, 1, 2, 3, 6, 7].map((count) => island("common.hours", { count }));
    expect(new Set(forms).size).toBeGreaterThan(2);
    expect(forms).toEqual(
      [0, 1, 2, 3, 6, 7].map((count) => (appTranslator("cy") as unknown as (key: string, options?: object) => string)("common.hours", { count })),
    );
  });

  it("gives a default for a key it has not got, filled in, without saying a string is missing", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const island = islandTranslator("en") as unknown as (key: string, options?: object) => string;
    const app = appTranslator("en") as unknown as (key: string, options?: object) => string;
    const options = { defaultValue: "Refused: {{reason}}", reason: "closed" };
    expect(island("credits.refusals.noSuchCode", options)).toBe(app("credits.refusals.noSuchCode", options));
    expect(island("credits.refusals.noSuchCode", options)).toBe("Refused: closed");
    expect(error).not.toHaveBeenCalled();
  });

  it("leaves a name not given as it is written, and blanks one given as nothing, as i18next does", () => {
    const island = islandTranslator("en") as unknown as (key: string, options?: object) => string;
    const app = appTranslator("en") as unknown as (key: string, options?: object) => string;
    expect(island("account.signedInAs", {})).toBe(app("account.signedInAs", {}));
    expect(island("account.signedInAs", {})).toContain("{{name}}");
    expect(island("account.signedInAs", { name: undefined })).toBe(app("account.signedInAs", { name: undefined }));
    expect(island("account.signedInAs", { name: null })).toBe(app("account.signedInAs", { name: null }));
  });

  it("says in the console that a string is missing, as the browser tests look for, and shows its key", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const island = islandTranslator("cy") as unknown as (key: string) => string;
    expect(island("scanner.noSuchString")).toBe("scanner.noSuchString");
    expect(error).toHaveBeenCalledWith(`${MISSING_STRING} scanner.noSuchString (cy)`);
  });

  it("does not give one language's string in the other", () => {
    addStrings("en", { islandTest: { onlyInEnglish: "Only in English" } });
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect((islandTranslator("en") as unknown as (key: string) => string)("islandTest.onlyInEnglish")).toBe("Only in English");
    expect((islandTranslator("cy") as unknown as (key: string) => string)("islandTest.onlyInEnglish")).toBe("islandTest.onlyInEnglish");
  });
});
