import { describe, expect, it } from "vitest";
import { parseEquityQuery } from "./equity-query.server";

const NOW = new Date("2026-11-25T12:00:00Z");
const parse = (search: string, allowCustom = false) => parseEquityQuery(new URLSearchParams(search), NOW, { allowCustom });

describe("the equity report's query", () => {
  it("is this term by quintile, WIMD 2025 and no domain unless asked", () => {
    expect(parse("")).toEqual({
      ok: true,
      query: { period: "2026-autumn", from: "2026-09-01", to: "2026-12-31", by: "quintile", edition: "wimd2025", domain: null },
    });
    expect(parse("period=year&by=la&edition=wimd2019")).toMatchObject({ ok: true, query: { period: "2026-27", by: "la", edition: "wimd2019" } });
  });

  it("takes dates without a period as a custom period, which is a published one when it is exactly a term", () => {
    expect(parse("from=+2026-09-01+&to=2026-12-31")).toMatchObject({ ok: true, query: { period: "2026-autumn", from: "2026-09-01", to: "2026-12-31" } });
    expect(parse("from=2026-09-01&to=2026-10-01", true)).toMatchObject({ ok: true, query: { period: "custom", from: "2026-09-01", to: "2026-10-01" } });
  });

  it("shows every problem at once, in the form's order, with what was typed", () => {
    const parsed = parse("period=custom&from=+31/12/2026+&by=nonsense&edition=wimd2011&domain=wealth&lang=cy");
    expect(parsed).toEqual({
      ok: false,
      status: 400,
      errors: {
        by: "reports.errors.breakdown",
        edition: "reports.errors.edition",
        domain: "reports.errors.domain",
        from: "reports.errors.from",
        to: "reports.errors.to",
      },
      values: { period: "custom", from: "31/12/2026", to: "", by: "nonsense", edition: "wimd2011", domain: "wealth" },
    });
    if (!parsed.ok) expect(Object.keys(parsed.errors)).toEqual(["by", "edition", "domain", "from", "to"]);
  });

  it("refuses a choice with spaces around it (only dates are trimmed), and a domain without quintiles", () => {
    expect(parse("by=+quintile")).toMatchObject({ ok: false, errors: { by: "reports.errors.breakdown" } });
    expect(parse("by=nonsense&domain=income")).toMatchObject({
      ok: false,
      errors: { by: "reports.errors.breakdown", domain: "reports.errors.domainNeedsQuintile" },
    });
    expect(parse("period=2040-autumn")).toMatchObject({ ok: false, status: 400, errors: { period: "reports.errors.periodUnknown" } });
  });

  it("refuses a custom period to those who may not ask for one with 403, whatever else is wrong", () => {
    expect(parse("from=2026-09-01&to=2026-10-01&by=nonsense")).toEqual({
      ok: false,
      status: 403,
      errors: { by: "reports.errors.breakdown", period: "reports.errors.customNotAllowed" },
      values: { period: "", from: "2026-09-01", to: "2026-10-01", by: "nonsense", edition: "", domain: "" },
    });
  });

  it("takes the first of a repeated parameter", () => {
    expect(parse("by=la&by=nonsense&period=year&period=nonsense")).toMatchObject({ ok: true, query: { by: "la", period: "2026-27" } });
  });
});
