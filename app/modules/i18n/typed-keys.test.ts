import { describe, expect, it } from "vitest";
import type { Category } from "~/modules/db/schema";
import { translator, type TranslationKey } from "./i18n";

/**
 * `t` is typed by the English strings (typed-keys.d.ts): `npm run typecheck` fails on each
 * `@ts-expect-error` below if the line stops being an error, so these lines are the check that a
 * misspelt or missing key, plain or computed, fails the type check.
 */
describe("typed translation keys", () => {
  const t = translator("en");

  it("accept a key of the strings, a plural by its base key, and a computed key whose every value is a key", () => {
    expect(t("home.title")).toBe("Every hour of learning counts");
    expect(t("common.hours", { count: 2 })).toBe("2 hours");
    const category: Category = "nature";
    expect(t(`categories.${category}`)).toBe("Nature and outdoors");
    const key: TranslationKey = "layout.home";
    expect(t(key)).toBe("Home");
  });

  it("refuse a misspelt or missing key, plain or computed (at run time i18next answers the key)", () => {
    // @ts-expect-error a misspelt key
    expect(t("home.titel")).toBe("home.titel");
    // @ts-expect-error a namespace that does not exist
    expect(t("nowhere.title")).toBe("nowhere.title");
    const wider = "nature" as string;
    // @ts-expect-error a computed key from any string may name no string
    expect(t(`categories.${wider}`)).toBe("Nature and outdoors");
    const wish = "something_else" as Category | "something_else";
    // @ts-expect-error categories has no something_else
    expect(t(`categories.${wish}`)).toBe("categories.something_else");
    // @ts-expect-error not a key
    const notAKey: TranslationKey = "home.titel";
    expect(notAKey).toBe("home.titel");
  });

  it("let a key with a default be any string (a local authority the strings may not name)", () => {
    const code = "W06000099" as string;
    expect(t(`localAuthorities.${code}`, { defaultValue: "Somewhere" })).toBe("Somewhere");
  });
});
