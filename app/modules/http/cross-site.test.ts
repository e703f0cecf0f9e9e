import { describe, expect, it } from "vitest";
import { isCrossSiteWrite } from "./cross-site";

describe("cross-site writes", () => {
  it("refuse a POST from another site's page", () => {
    expect(isCrossSiteWrite("POST", { origin: "https://evil.example", host: "pasbort.example" })).toBe(true);
    expect(isCrossSiteWrite("POST", { secFetchSite: "cross-site", host: "pasbort.example" })).toBe(true);
    expect(isCrossSiteWrite("POST", { secFetchSite: "same-site", host: "pasbort.example" })).toBe(true);
    expect(isCrossSiteWrite("DELETE", { origin: "null", host: "pasbort.example" })).toBe(true);
    expect(isCrossSiteWrite("POST", { origin: "not a url", host: "pasbort.example" })).toBe(true);
  });

  it("allow our own pages, reads, and API clients without a browser", () => {
    expect(isCrossSiteWrite("POST", { origin: "https://pasbort.example", host: "pasbort.example", secFetchSite: "same-origin" })).toBe(false);
    expect(isCrossSiteWrite("GET", { origin: "https://evil.example", host: "pasbort.example", secFetchSite: "cross-site" })).toBe(false);
    expect(isCrossSiteWrite("POST", { host: "pasbort.example" })).toBe(false);
  });
});
