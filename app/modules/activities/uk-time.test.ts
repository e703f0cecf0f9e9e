import { describe, expect, it } from "vitest";
import { parseActivityForm } from "./activities.server";
import { parseSessionForm, planSessions, type SessionInput } from "./sessions.server";
import { addMonths, ageAt, isoWeekday, ukDate, ukInstant, weeklyDates } from "./uk-time.server";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

describe("UK local time", () => {
  // In 2026 the clocks go forward on Sunday 29 March and back on Sunday 25 October.
  it("turns a wall-clock time in Wales into the right instant, summer and winter", () => {
    expect(ukInstant("2026-03-28", "16:00")?.toISOString()).toBe("2026-03-28T16:00:00.000Z");
    expect(ukInstant("2026-03-29", "16:00")?.toISOString()).toBe("2026-03-29T15:00:00.000Z");
    expect(ukInstant("2026-10-24", "16:00")?.toISOString()).toBe("2026-10-24T15:00:00.000Z");
    expect(ukInstant("2026-10-25", "16:00")?.toISOString()).toBe("2026-10-25T16:00:00.000Z");
  });

  it("refuses the hour that does not exist when the clocks go forward, and takes one of the repeated hour", () => {
    expect(ukInstant("2026-03-29", "01:30")).toBeNull();
    expect(ukInstant("2026-10-25", "01:30")?.toISOString()).toBe("2026-10-25T01:30:00.000Z");
  });

  it("gives an age by the month in Wales, not in UTC", () => {
    // 00:30 on 1 August 2026 in Wales is still 31 July in UTC.
    const firstOfAugust = new Date("2026-07-31T23:30:00Z");
    expect(ageAt(2016, 8, firstOfAugust)).toBe(10);
    expect(ageAt(2016, 8, new Date("2026-07-31T22:30:00Z"))).toBe(9); // 23:30 on 31 July in Wales
    expect(ageAt(2016, 9, firstOfAugust)).toBe(9);
    expect(ageAt(2016, null, firstOfAugust)).toBe(10);
    // In winter Wales is on UTC.
    expect(ageAt(2016, 1, new Date("2025-12-31T23:30:00Z"))).toBe(9);
    expect(ageAt(2016, 1, new Date("2026-01-01T00:30:00Z"))).toBe(10);
  });

  it("refuses dates and times that are not real", () => {
    expect(ukInstant("2026-02-30", "10:00")).toBeNull();
    expect(ukInstant("2026-13-01", "10:00")).toBeNull();
    expect(ukInstant("2026-03-01", "24:00")).toBeNull();
    expect(ukInstant("1 March", "10:00")).toBeNull();
  });

  it("gives the calendar date and weekday in Wales, not in UTC", () => {
    // 23:30 UTC on a summer Saturday is already Sunday in Wales.
    expect(ukDate(new Date("2026-06-13T23:30:00Z"))).toBe("2026-06-14");
    expect(isoWeekday("2026-06-14")).toBe(7);
    expect(ukDate(new Date("2026-12-12T23:30:00Z"))).toBe("2026-12-12");
  });

  it("adds months as a calendar does", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2026-05-10", 12)).toBe("2027-05-10");
    expect(weeklyDates("2026-01-05", "2026-01-26")).toEqual(["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"]);
    expect(weeklyDates("2026-01-05", "2026-01-04")).toEqual([]);
  });
});

describe("planning sessions", () => {
  const weekly = (date: string, until: string, startTime = "16:00", endTime = "17:30"): SessionInput => ({
    repeat: "weekly",
    date,
    until,
    startTime,
    endTime,
    quarterHours: null,
    capacity: null,
  });

  it("keeps a 16:00 weekly club at 16:00 in Wales across the March clock change", () => {
    const plan = planSessions(weekly("2026-03-15", "2026-04-05"), 6);
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.sessions.map((s) => s.startsAt.toISOString())).toEqual([
      "2026-03-15T16:00:00.000Z",
      "2026-03-22T16:00:00.000Z",
      "2026-03-29T15:00:00.000Z",
      "2026-04-05T15:00:00.000Z",
    ]);
    expect(plan.sessions.map((s) => s.endsAt.getTime() - s.startsAt.getTime())).toEqual(Array(4).fill(90 * 60_000));
    expect(plan.sessions.every((s) => s.quarterHours === 6)).toBe(true);
  });

  it("keeps it at 16:00 across the October clock change too", () => {
    const plan = planSessions(weekly("2026-10-11", "2026-11-01"), 6);
    expect(plan.ok && plan.sessions.map((s) => s.startsAt.toISOString())).toEqual([
      "2026-10-11T15:00:00.000Z",
      "2026-10-18T15:00:00.000Z",
      "2026-10-25T16:00:00.000Z",
      "2026-11-01T16:00:00.000Z",
    ]);
  });

  it("refuses a series whose start time falls in the skipped hour on one date", () => {
    expect(planSessions(weekly("2026-03-22", "2026-04-05", "01:30", "02:45"), 4)).toEqual({ ok: false, errors: { startTime: "sessions.errors.timeSkipped" } });
  });

  it("refuses more credit hours than the activity was validated for, or than the session lasts", () => {
    expect(planSessions({ ...weekly("2026-05-04", "2026-05-04"), quarterHours: 8 }, 6)).toEqual({
      ok: false,
      errors: { hours: "sessions.errors.hoursAboveActivity" },
    });
    expect(planSessions({ ...weekly("2026-05-04", "2026-05-04", "16:00", "16:30") }, 6)).toEqual({
      ok: false,
      errors: { hours: "sessions.errors.hoursAboveLength" },
    });
    const fewer = planSessions({ ...weekly("2026-05-04", "2026-05-04"), quarterHours: 4 }, 6);
    expect(fewer.ok && fewer.sessions[0]!.quarterHours).toBe(4);
  });
});

describe("the session form", () => {
  const today = "2026-05-01";
  const valid = { repeat: "weekly", date: "2026-05-04", until: "2026-07-20", startTime: "16:00", endTime: "17:00", hours: "", capacity: "20" };

  it("reads a weekly series", () => {
    expect(parseSessionForm(form(valid), today)).toEqual({
      ok: true,
      data: { repeat: "weekly", date: "2026-05-04", until: "2026-07-20", startTime: "16:00", endTime: "17:00", quarterHours: null, capacity: 20 },
    });
  });

  it("says what is wrong with each field at once", () => {
    const parsed = parseSessionForm(form({ ...valid, date: "2026-04-30", endTime: "15:00", hours: "9", capacity: "-2" }), today);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual({
      date: "sessions.errors.dateInPast",
      endTime: "sessions.errors.endBeforeStart",
      hours: "activities.errors.hoursTooMany",
      capacity: "sessions.errors.capacityInvalid",
    });
  });

  it("refuses a weekly range longer than a year, an end before the start, and odd hours", () => {
    const tooLong = parseSessionForm(form({ ...valid, until: "2027-05-05" }), today);
    expect(!tooLong.ok && tooLong.errors.until).toBe("sessions.errors.rangeTooLong");
    const oneYear = parseSessionForm(form({ ...valid, until: "2027-05-04" }), today);
    expect(oneYear.ok).toBe(true);
    const backwards = parseSessionForm(form({ ...valid, until: "2026-05-01" }), today);
    expect(!backwards.ok && backwards.errors.until).toBe("sessions.errors.untilBeforeDate");
    const missing = parseSessionForm(form({ ...valid, until: "" }), today);
    expect(!missing.ok && missing.errors.until).toBe("sessions.errors.untilRequired");
    const quarter = parseSessionForm(form({ ...valid, hours: "1.1" }), today);
    expect(!quarter.ok && quarter.errors.hours).toBe("activities.errors.hoursQuarter");
    const once = parseSessionForm(form({ ...valid, repeat: "once", until: "" }), today);
    expect(once.ok && once.data.until).toBeNull();
  });
});

describe("the activity form", () => {
  const valid = {
    titleEn: "",
    titleCy: "Clwb Natur",
    descriptionEn: "",
    descriptionCy: "Hela trychfilod",
    category: "nature",
    creditHours: "1,5",
    costBand: "low",
    price: "£1.50",
    minAge: "6",
    maxAge: "11",
    venue: "Neuadd y Pentref",
    town: "Yr Wyddgrug",
    laCode: "W06000005",
    accessibilityNotes: "",
  };

  it("accepts one language, quarter hours written with a comma, and a price with a pound sign", () => {
    const parsed = parseActivityForm(form(valid));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.data).toMatchObject({ titleEn: null, titleCy: "Clwb Natur", quarterHours: 6, pricePence: 150, welshLanguage: false, minAge: 6, maxAge: 11 });
  });

  it("explains every problem, in the form's order", () => {
    const parsed = parseActivityForm(form({ ...valid, titleCy: "", descriptionCy: "", creditHours: "8.5", price: "", minAge: "12", maxAge: "9" }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.entries(parsed.errors)).toEqual([
      ["titleEn", "activities.errors.titleRequired"],
      ["creditHours", "activities.errors.hoursTooMany"],
      ["price", "activities.errors.priceRequired"],
      ["maxAge", "activities.errors.maxAgeBelowMin"],
    ]);
  });

  it("wants a title in the language of each description", () => {
    const parsed = parseActivityForm(form({ ...valid, descriptionEn: "Bug hunting" }));
    expect(!parsed.ok && parsed.errors.titleEn).toBe("activities.errors.titleEnForDescription");
  });

  it("refuses hours that are not quarter hours, or none", () => {
    for (const [hours, error] of [
      ["0.3", "activities.errors.hoursQuarter"],
      ["0", "activities.errors.hoursRequired"],
      ["two", "activities.errors.hoursNumber"],
      ["", "activities.errors.hoursRequired"],
    ]) {
      const parsed = parseActivityForm(form({ ...valid, creditHours: hours! }));
      expect(!parsed.ok && parsed.errors.creditHours, hours).toBe(error);
    }
  });
});
