import type { Language } from "../i18n/i18n";
import { columns, pick, pickIn } from "../i18n/bilingual";
import type { Category, CostBand, ProviderKind, Skill } from "../db/schema";

/**
 * Choices shared by the forms, the directory and the pages (safe in the browser bundle).
 * Labels live in the locale files under categories.*, providerKinds.* and costBands.*.
 */
export const CATEGORIES = ["sport", "volunteering", "nature", "arts", "stem", "reading", "community", "welsh"] as const satisfies readonly Category[];
/**
 * The Skills Builder Universal Framework's eight essential skills, the framework the
 * Children's University Trust works with (issue 16); an activity carries up to MAX_SKILLS.
 */
export const SKILLS = [
  "listening",
  "speaking",
  "problem_solving",
  "creativity",
  "staying_positive",
  "aiming_high",
  "leadership",
  "teamwork",
] as const satisfies readonly Skill[];
export const MAX_SKILLS = 3;
export const SKILL_ICONS: Record<Skill, string> = {
  listening: "👂",
  speaking: "🗣️",
  problem_solving: "🧩",
  creativity: "💡",
  staying_positive: "🌈",
  aiming_high: "🚀",
  leadership: "🧭",
  teamwork: "🤜",
};
export const PROVIDER_KINDS = [...CATEGORIES, "school", "other"] as const satisfies readonly ProviderKind[];
export const COST_BANDS = ["free", "low", "paid"] as const satisfies readonly CostBand[];

/** One session earns at most 8 hours, in quarter-hour steps (the Children's University rule). */
export const MAX_QUARTER_HOURS = 32;
/** Ages a Children's University passport covers. */
export const MIN_AGE = 3;
export const MAX_AGE = 18;

/** ISO weekdays, 1 = Monday … 7 = Sunday. */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const DIRECTORY_PAGE_SIZE = 20;

/** A weekly series may run at most this many months from its first date. */
export const MAX_SERIES_MONTHS = 12;

/** How far ahead validations running out are shown to the coordinator and the provider. */
export const EXPIRY_WARNING_DAYS = 60;

/** Quarter hours as hours for people: 6 → "1.5", 5 → "1.25". */
export function quarterHoursToHours(quarterHours: number) {
  return quarterHours / 4;
}

/** Pence as pounds for a form field: 250 → "2.50". */
export function penceToPounds(pence: number | null | undefined) {
  return pence === null || pence === undefined ? "" : (pence / 100).toFixed(2);
}

/** "£2.50": written the same in Welsh and English (en-GB, which every browser has). */
export function formatPrice(pence: number, _lang?: Language) {
  return new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" }).format(pence / 100);
}

interface ActivityText {
  title_en: string | null;
  title_cy: string | null;
  description_en?: string | null;
  description_cy?: string | null;
}

/**
 * The title and description to show in the page's language, falling back to the other one.
 * `lang` is the language the text is really in, so the page can mark it (lang="cy") and say
 * plainly that the activity is described in one language only.
 */
export function bilingualText(activity: ActivityText, pageLang: Language) {
  const title = pickIn(columns(activity, "title"), pageLang);
  const description = columns(activity, "description")[title.lang];
  return { title: title.text, description, lang: title.lang, onlyIn: title.onlyIn };
}

/** A provider's name in the page's language (the Welsh name is optional). */
export function providerName(provider: { name_en: string; name_cy: string | null }, lang: Language) {
  return pick(columns(provider, "name"), lang);
}
