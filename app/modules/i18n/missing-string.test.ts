import { expect, it, vi } from "vitest";

// i18n.ts in the browser (document defined): a string the page has not loaded is said in the console, where the browser tests look.
it("logs missing keys in the browser, not those with a default", async () => {
  vi.stubGlobal("document", {});
  const errors = vi.spyOn(console, "error").mockImplementation(() => {});
  const { addStrings, translator } = await import("~/modules/i18n/i18n");
  addStrings("en", { a: { b: "B" } });
  const t = translator("en");
  // Keys added at run time, not in the strings the type check knows.
  // @ts-expect-error a.b is no key of the English strings
  expect(t("a.b")).toBe("B");
  // @ts-expect-error nor is a.c
  t("a.c");
  t("a.d", { defaultValue: "x" });
  expect(errors.mock.calls.map((c) => c[0])).toEqual(["Pasbort: no string for a.c (en)"]);
});
