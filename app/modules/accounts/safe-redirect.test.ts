import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./safe-redirect";

const HOME = "/coordinator";

/** Each of these, followed by a browser after sign-in, could leave the site (or is not a path of ours). */
const ATTACKS = [
  "//evil.example",
  "///evil.example",
  "/\t/evil.example", // the form posts searchParams' decoded `/%09/evil.example`; browsers drop the tab
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/\u0000/evil.example",
  "/\u007f/evil.example",
  "\t//evil.example",
  " //evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\\/evil.example",
  "/%5Cevil.example",
  "/%5c/evil.example",
  "/%09/evil.example",
  "/%0a/evil.example",
  "/%0D%0A/evil.example",
  "/%00",
  "https://evil.example",
  "http:evil.example",
  "https:/evil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "evil.example",
  "./evil",
  "",
  " ",
  "/ evil",
  "/\u2028/evil.example",
  "/\u3000/evil.example",
  "/" + "a".repeat(3000),
] as const;

describe("the page to return to after sign-in", () => {
  it.each(ATTACKS.map((value) => [JSON.stringify(value).slice(0, 40), value]))("refuses %s", (_, value) => {
    expect(safeRedirectPath(value, HOME)).toBe(HOME);
  });

  it("refuses what is not text", () => {
    for (const value of [null, undefined, 42, ["/coordinator"], { toString: () => "//evil.example" }]) {
      expect(safeRedirectPath(value, HOME)).toBe(HOME);
    }
  });

  it.each([
    ["/school/roster", "/school/roster"],
    ["/invite/abc_DEF-123.x", "/invite/abc_DEF-123.x"],
    ["/activities?category=sport&lang=cy", "/activities?category=sport&lang=cy"],
    ["/p/token#stamps", "/p/token#stamps"],
    ["/claim/%C3%A9", "/claim/%C3%A9"],
    ["/a/../school", "/school"],
    ["/", "/"],
  ])("follows our own path %s", (value, expected) => {
    expect(safeRedirectPath(value, HOME)).toBe(expected);
  });
});
