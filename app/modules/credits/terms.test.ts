import { describe, expect, it } from "vitest";
import { termOf } from "./terms";

describe("terms", () => {
  it("put every date in exactly one term", () => {
    expect(termOf("2026-09-01")).toEqual({ name: "autumn", from: "2026-09-01", to: "2026-12-31" });
    expect(termOf("2026-12-31").name).toBe("autumn");
    expect(termOf("2027-01-01")).toEqual({ name: "spring", from: "2027-01-01", to: "2027-03-31" });
    expect(termOf("2027-03-31").name).toBe("spring");
    expect(termOf("2027-04-01")).toEqual({ name: "summer", from: "2027-04-01", to: "2027-08-31" });
    expect(termOf("2027-08-31").name).toBe("summer");
  });
});
