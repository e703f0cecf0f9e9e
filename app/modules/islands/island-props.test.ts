import { describe, expect, it } from "vitest";
import { islandPropsJson } from "./island-props";

describe("islandPropsJson", () => {
  it("cannot end its script element early, and reads back as the same props", () => {
    const props = { typed: "</script><script>alert(1)</script>", line: "a\u2028b\u2029c", n: 2 };
    const json = islandPropsJson(props);
    expect(json).not.toMatch(/<\/script/i);
    expect(json).not.toContain("<");
    expect(JSON.parse(json)).toEqual(props);
  });
});
