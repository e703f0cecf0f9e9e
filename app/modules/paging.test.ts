import { describe, expect, it } from "vitest";
import { pageOfRows } from "./paging";

const rows = Array.from({ length: 45 }, (_, index) => index + 1);

describe("pageOfRows", () => {
  it("gives the asked page, with where it starts and ends", () => {
    expect(pageOfRows(rows, "2", 20)).toEqual({ page: 2, pageCount: 3, total: 45, from: 21, to: 40, items: rows.slice(20, 40) });
    expect(pageOfRows(rows, "3", 20)).toMatchObject({ page: 3, from: 41, to: 45, items: [41, 42, 43, 44, 45] });
  });

  it("starts at the first page when none or nonsense is asked, and ends at the last", () => {
    for (const asked of [null, "", "0", "-1", "1.5", "two"]) expect(pageOfRows(rows, asked, 20).page).toBe(1);
    expect(pageOfRows(rows, "99", 20)).toMatchObject({ page: 3, from: 41, to: 45 });
  });

  it("has one empty page for an empty list", () => {
    expect(pageOfRows([], "4", 20)).toEqual({ page: 1, pageCount: 1, total: 0, from: 0, to: 0, items: [] });
  });
});
