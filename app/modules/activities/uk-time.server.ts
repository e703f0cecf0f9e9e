import { DateTime } from "luxon";

/**
 * Calendar and clock in Wales. Sessions are planned in UK local time (GMT in winter, BST in
 * summer) and stored as instants; Luxon does the zone arithmetic with the IANA database that
 * Node ships, so no offset is ever worked out by hand (see docs/decisions/0010).
 */
export const UK_ZONE = "Europe/London";

/** 'YYYY-MM-DD' for a real calendar date, else null. */
function calendarDate(date: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const parsed = DateTime.fromISO(date, { zone: UK_ZONE });
  return parsed.isValid ? parsed : null;
}

export function isCalendarDate(date: string) {
  return calendarDate(date) !== null;
}

/** 'HH:MM', 24-hour clock. */
export function isClockTime(time: string) {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(time);
}

/**
 * The instant when clocks in Wales show `time` on `date`, or null when they never do (the
 * hour skipped when the clocks go forward in March). In the hour repeated in October
 * Luxon takes the second (GMT) one; no children's session is planned for half past one.
 */
export function ukInstant(date: string, time: string): Date | null {
  if (!isCalendarDate(date) || !isClockTime(time)) return null;
  const local = DateTime.fromISO(`${date}T${time}`, { zone: UK_ZONE });
  if (!local.isValid || local.toFormat("yyyy-MM-dd'T'HH:mm") !== `${date}T${time}`) return null;
  return local.toJSDate();
}

/** The calendar date in Wales at an instant. */
export function ukDate(instant: Date): string {
  return DateTime.fromJSDate(instant, { zone: UK_ZONE }).toISODate()!;
}

/** 'HH:MM' in Wales at an instant. */
export function ukTime(instant: Date): string {
  return DateTime.fromJSDate(instant, { zone: UK_ZONE }).toFormat("HH:mm");
}

/**
 * Age in whole years in Wales at an instant, for someone born in `birthMonth` of `birthYear`
 * (taken as its 1st; without a month, as January). At 00:30 on 1 August in summer a child born
 * in August is a year older, though it is still July in UTC.
 */
export function ageAt(birthYear: number, birthMonth: number | null, instant: Date): number {
  const local = DateTime.fromJSDate(instant, { zone: UK_ZONE });
  return local.year - birthYear - (birthMonth !== null && local.month < birthMonth ? 1 : 0);
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return DateTime.fromISO(date, { zone: UK_ZONE }).weekday;
}

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: UK_ZONE }).plus({ days }).toISODate()!;
}

/** Same day `months` later, or the month's last day when it has no such day (31 Jan + 1 → 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  return DateTime.fromISO(date, { zone: UK_ZONE }).plus({ months }).toISODate()!;
}

/** Every date from `start` to `until` (both included), a week apart. */
export function weeklyDates(start: string, until: string): string[] {
  const dates: string[] = [];
  for (let week = 0; ; week++) {
    const date = DateTime.fromISO(start, { zone: UK_ZONE }).plus({ weeks: week }).toISODate()!;
    if (date > until) break;
    dates.push(date);
  }
  return dates;
}
