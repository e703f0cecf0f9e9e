import { describe, expect, it } from "vitest";
import { columns, otherLanguage, pick, pickIn } from "./bilingual";

describe("pick: database text in the page's language", () => {
  it("shows the page's language when the text has it", () => {
    expect(pick({ en: "Swimming", cy: "Nofio" }, "cy")).toBe("Nofio");
    expect(pick({ en: "Swimming", cy: "Nofio" }, "en")).toBe("Swimming");
    expect(pickIn({ en: "Swimming", cy: "Nofio" }, "cy")).toEqual({ text: "Nofio", lang: "cy", onlyIn: null });
  });

  it("falls back to the other language, and says which language it is and that it has only that one", () => {
    expect(pickIn({ en: "Swimming", cy: null }, "cy")).toEqual({ text: "Swimming", lang: "en", onlyIn: "en" });
    expect(pickIn({ en: null, cy: "Nofio" }, "en")).toEqual({ text: "Nofio", lang: "cy", onlyIn: "cy" });
    // In its own language, text held in one language only is still marked as such.
    expect(pickIn({ en: "Swimming", cy: null }, "en")).toEqual({ text: "Swimming", lang: "en", onlyIn: "en" });
  });

  it("counts an empty string as missing, in either language", () => {
    expect(pickIn({ en: "Swimming", cy: "" }, "cy")).toEqual({ text: "Swimming", lang: "en", onlyIn: "en" });
    expect(pickIn({ en: "", cy: "Nofio" }, "en")).toEqual({ text: "Nofio", lang: "cy", onlyIn: "cy" });
  });

  it("gives an empty string, in the page's language, when there is no text at all", () => {
    expect(pickIn({ en: null, cy: null }, "cy")).toEqual({ text: "", lang: "cy", onlyIn: null });
    expect(pick(null, "en")).toBe("");
    expect(pick(undefined, "cy")).toBe("");
  });

  it("reads a row's _en and _cy columns", () => {
    const row = { title_en: "Swimming", title_cy: null, other: 1 };
    expect(columns(row, "title")).toEqual({ en: "Swimming", cy: null });
    expect(columns({ name_en: "Wrexham" }, "name")).toEqual({ en: "Wrexham", cy: null });
    expect(pick(columns({ name_en: "Wrexham", name_cy: "Wrecsam" }, "name"), "cy")).toBe("Wrecsam");
  });

  it("names the other language", () => {
    expect(otherLanguage("cy")).toBe("en");
    expect(otherLanguage("en")).toBe("cy");
  });
});
