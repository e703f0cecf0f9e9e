import { describe, expect, it } from "vitest";
import { pageNeedsScripts } from "./page-scripts";

describe("pageNeedsScripts", () => {
  it("is false unless a matched route asks for scripts", () => {
    expect(pageNeedsScripts([])).toBe(false);
    expect(pageNeedsScripts([{ handle: undefined }, { handle: { bothLanguages: true } }, {}])).toBe(false);
    // Only `true` counts: a stray truthy value is not a decision to send the framework.
    expect(pageNeedsScripts([{ handle: { hydrate: "yes" } }])).toBe(false);
  });
  it("is true when any matched route, parent or child, asks", () => {
    expect(pageNeedsScripts([{ handle: undefined }, { handle: { bothLanguages: true, hydrate: true } }])).toBe(true);
    expect(pageNeedsScripts([{ handle: { hydrate: true } }, { handle: undefined }])).toBe(true);
  });
});
