import { describe, expect, it } from "vitest";
import { parseDirectoryFilters } from "./directory.server";

const parse = (search: string) => parseDirectoryFilters(new URLSearchParams(search));

describe("the directory's filters from the address", () => {
  it("reads every filter, trimmed, and gives the form its values back in the form's order", () => {
    const parsed = parse("page=3&day=7&welsh=1&town=+Wrexham+&la=W06000005&age=+7+&cost=free&category=nature&q=++mold+++nature++");
    expect(parsed).toEqual({
      filters: { page: 3, q: "mold nature", category: "nature", cost: "free", age: 7, la: "W06000005", town: "Wrexham", welsh: true, day: 7 },
      values: { q: "mold nature", category: "nature", cost: "free", age: "7", la: "W06000005", town: "Wrexham", welsh: "1", day: "7" },
      errors: null,
    });
    expect(Object.keys(parsed.values)).toEqual(["q", "category", "cost", "age", "la", "town", "welsh", "day"]);
  });

  it("has no filters and the first page when nothing is asked", () => {
    expect(parse("")).toEqual({ filters: { page: 1 }, values: {}, errors: null });
    expect(parse("q=+&town=&age=&page=")).toEqual({ filters: { page: 1 }, values: {}, errors: null });
  });

  it("ignores values nobody could pick from the form", () => {
    expect(parse("category=astrology&cost=expensive&la=nowhere&welsh=yes&day=9&page=0")).toEqual({ filters: { page: 1 }, values: {}, errors: null });
    expect(parse("welsh=+1&day=0&page=-2")).toEqual({ filters: { page: 1 }, values: {}, errors: null });
    expect(parse("page=1.5").filters.page).toBe(1);
  });

  it("explains an age typed wrongly, shows it again and applies the other filters without it", () => {
    for (const age of ["nine", "19", "007", "-1", "1.5"]) {
      const parsed = parse(`age=${age}&category=arts`);
      expect(parsed, age).toEqual({ filters: { page: 1, category: "arts" }, values: { category: "arts", age }, errors: { age: "directory.errors.age" } });
    }
    expect(parse("age=0").filters.age).toBe(0);
    expect(parse("age=18").filters.age).toBe(18);
  });

  it("takes the first of a repeated parameter, and cuts long text", () => {
    expect(parse("category=arts&category=sport&age=7&age=nine")).toMatchObject({ filters: { category: "arts", age: 7 }, errors: null });
    const long = parse(`q=${"a".repeat(150)}&town=${"b".repeat(100)}&age=${"1".repeat(12)}`);
    expect([long.filters.q?.length, long.filters.town?.length, long.values.age]).toEqual([100, 80, "1".repeat(10)]);
  });
});
