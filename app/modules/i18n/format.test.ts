import { describe, expect, it } from "vitest";
import { formatClock, formatDate, formatDateTime, formatMonth, formatSessionDay, weekdayName } from "./format";

describe("dates in Wales", () => {
  it("are written in Welsh and English without relying on the browser's locale data", () => {
    expect(formatSessionDay("2027-03-13T10:00:00Z", "cy")).toBe("Dydd Sadwrn 13 Mawrth");
    expect(formatSessionDay("2027-03-13T10:00:00Z", "en", true)).toBe("Saturday 13 March 2027");
    expect(formatMonth(2016, 5, "cy")).toBe("Mai 2016");
    expect(weekdayName(7, "cy")).toBe("Dydd Sul");
  });

  it("follow UK time across the clock changes", () => {
    expect(formatClock("2026-07-01T15:00:00Z")).toBe("16:00");
    expect(formatClock("2026-12-01T16:00:00Z")).toBe("16:00");
    expect(formatDateTime("2026-10-25T23:30:00Z", "en")).toBe("25 October 2026, 23:30");
    expect(formatDate("2026-06-30T23:30:00Z", "en")).toBe("1 July 2026");
  });

  it("keep a calendar date as it is, whatever the time zone", () => {
    expect(formatDate("2026-12-31", "cy")).toBe("31 Rhagfyr 2026");
  });
});
