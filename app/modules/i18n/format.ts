import type { Language } from "./i18n";

/**
 * Dates in UK time, with the day and month names written here rather than taken from the
 * browser's Intl: browsers' Welsh locale data is patchy (Chromium's falls back to English),
 * and a page rendered in Welsh on the server must not turn English when it hydrates.
 */
const DAYS: Record<Language, string[]> = {
  en: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
  cy: ["Dydd Llun", "Dydd Mawrth", "Dydd Mercher", "Dydd Iau", "Dydd Gwener", "Dydd Sadwrn", "Dydd Sul"],
};
const MONTHS: Record<Language, string[]> = {
  en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
  cy: ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"],
};

// en-GB with numbers only: every browser has it, and it gives the wall clock in Wales.
const ukClock = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function ukParts(value: Date | string) {
  const parts = Object.fromEntries(ukClock.formatToParts(new Date(value)).map((part) => [part.type, part.value]));
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay() || 7;
  return { year, month, day, weekday, time: `${parts.hour}:${parts.minute}` };
}

/** "Saturday 14 March" / "Dydd Sadwrn 14 Mawrth" (with the year if asked), UK time. */
export function formatSessionDay(value: Date | string, lang: Language, withYear = false) {
  const { year, month, day, weekday } = ukParts(value);
  return `${DAYS[lang][weekday - 1]} ${day} ${MONTHS[lang][month - 1]}${withYear ? ` ${year}` : ""}`;
}

/** "16:00", UK time. */
export function formatClock(value: Date | string) {
  return ukParts(value).time;
}

/** "14 March 2027, 16:00", UK time. */
export function formatDateTime(value: Date | string, lang: Language) {
  const { year, month, day, time } = ukParts(value);
  return `${day} ${MONTHS[lang][month - 1]} ${year}, ${time}`;
}

/** "14 March 2027": the day in Wales of an instant, or a calendar date ('YYYY-MM-DD') as it is. */
export function formatDate(value: Date | string, lang: Language) {
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [year, month, day] = value.split("-").map(Number) as [number, number, number];
    return `${day} ${MONTHS[lang][month - 1]} ${year}`;
  }
  const { year, month, day } = ukParts(value);
  return `${day} ${MONTHS[lang][month - 1]} ${year}`;
}

/** "May 2016" / "Mai 2016": a birth month, which is all Pasbort keeps of a birthday. */
export function formatMonth(year: number, month: number, lang: Language) {
  return `${MONTHS[lang][month - 1]} ${year}`;
}

/** Monday … Sunday for ISO weekdays 1 … 7. */
export function weekdayName(day: number, lang: Language) {
  return DAYS[lang][day - 1] ?? "";
}
