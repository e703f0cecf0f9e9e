import { describe, expect, it } from "vitest";
import { parseVoiceQuery, type VoiceScope } from "./child-voice.server";

const AREA: VoiceScope = { areaId: "a", providerId: null, words: true };
const PROVIDER: VoiceScope = { areaId: "a", providerId: "p", words: false };
const parse = (search: string, scope = AREA, today = "2026-11-25") => parseVoiceQuery(new URLSearchParams(search), scope, today);

describe("the child's voice page's query", () => {
  it("is this school year, the scope's first breakdown and quintiles unless asked", () => {
    expect(parse("")).toEqual({ ok: true, query: { year: 2026, from: "2026-09-01", to: "2027-08-31", by: "category", groups: "quintile" } });
    expect(parse("", AREA, "2026-08-31")).toMatchObject({ ok: true, query: { year: 2025 } });
    expect(parse("", PROVIDER)).toMatchObject({ ok: true, query: { by: "activity" } });
    expect(parse("year=+2019+&by=provider&groups=la")).toMatchObject({ ok: true, query: { year: 2019, by: "provider", groups: "la" } });
  });

  it("refuses a year not offered, a breakdown the scope may not use and an unknown grouping, with what was typed", () => {
    expect(parse("year=+next+&by=provider&groups=school", PROVIDER)).toEqual({
      ok: false,
      errors: { year: "childVoiceReport.errors.year", by: "childVoiceReport.errors.by", groups: "childVoiceReport.errors.groups" },
      values: { year: "next", by: "provider", groups: "school" },
    });
    for (const year of ["2027", "1999", "20266", "2026.0"])
      expect(parse(`year=${year}`), year).toMatchObject({ ok: false, errors: { year: "childVoiceReport.errors.year" } });
    expect(parse("by=+category")).toMatchObject({ ok: false, errors: { by: "childVoiceReport.errors.by" }, values: { year: "", by: " category", groups: "" } });
  });

  it("takes the first of a repeated parameter", () => {
    expect(parse("year=2025&year=next&groups=la&groups=school")).toMatchObject({ ok: true, query: { year: 2025, groups: "la" } });
  });
});
