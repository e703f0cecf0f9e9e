import { describe, expect, it } from "vitest";
import { parseImpactQuery } from "./impact.server";

const options = { today: "2026-11-25", localAuthorities: ["W06000005", "W06000006"], schoolIds: ["s1", "s2"] };
const parse = (search: string) => parseImpactQuery(new URLSearchParams(search), options);

describe("the impact report's query", () => {
  it("is this academic year for the area, WIMD 2025, unless asked", () => {
    const parsed = parse("");
    expect(parsed).toMatchObject({ ok: true, query: { year: { id: "2026-27" }, laCode: null, schoolId: null, edition: "wimd2025" } });
    expect(parse("year=+2019-20+&la=+W06000006+&edition=+wimd2019+")).toMatchObject({
      ok: true,
      query: { year: { id: "2019-20", from: "2019-09-01" }, laCode: "W06000006", schoolId: null, edition: "wimd2019" },
    });
    expect(parse("school=s2")).toMatchObject({ ok: true, query: { laCode: null, schoolId: "s2" } });
  });

  it("shows every problem at once, in the form's order, with what was typed (trimmed)", () => {
    const parsed = parse("edition=wimd2011&school=+elsewhere+&la=W06000015&year=2018-19");
    expect(parsed).toEqual({
      ok: false,
      errors: { year: "impact.errors.year", la: "impact.errors.la", school: "impact.errors.school", edition: "impact.errors.edition" },
      values: { year: "2018-19", la: "W06000015", school: "elsewhere", edition: "wimd2011" },
    });
    if (!parsed.ok) expect(Object.keys(parsed.errors)).toEqual(["year", "la", "school", "edition"]);
    for (const year of ["2027-28", "next", "2026-28"]) expect(parse(`year=${year}`), year).toMatchObject({ ok: false, errors: { year: "impact.errors.year" } });
  });

  it("refuses an LA and a school together, unless one of them is wrong already", () => {
    expect(parse("la=W06000006&school=s1")).toEqual({
      ok: false,
      errors: { school: "impact.errors.both" },
      values: { year: "", la: "W06000006", school: "s1", edition: "" },
    });
    expect(parse("la=W06000015&school=s1")).toMatchObject({ ok: false, errors: { la: "impact.errors.la" } });
    expect(parse("la=W06000006&school=elsewhere")).toMatchObject({ ok: false, errors: { school: "impact.errors.school" } });
  });

  it("takes the first of a repeated parameter", () => {
    expect(parse("la=W06000005&la=W06000015&edition=wimd2019&edition=x")).toMatchObject({ ok: true, query: { laCode: "W06000005", edition: "wimd2019" } });
  });

  it("gives a published year's current figures only for figures=current, exactly", () => {
    expect(["figures=current", "", "figures=", "figures=Current", "figures=all"].map((search) => parse(search))).toMatchObject([
      { ok: true, current: true },
      { ok: true, current: false },
      { ok: true, current: false },
      { ok: true, current: false },
      { ok: true, current: false },
    ]);
  });
});
