import { sql, type ExpressionBuilder } from "kysely";
import { isUuid } from "../accounts/actor.server";
import type { DB } from "../db/database.server";
import type { Category, Database } from "../db/schema";
import { z } from "zod";
import { flag, message, trimmedText } from "../forms/fields.server";
import { parseForm, type FieldErrors } from "../forms/parse-form.server";
import { queryValues } from "../forms/read-form.server";
import { CATEGORIES, DIRECTORY_PAGE_SIZE, MAX_AGE, WEEKDAYS, type Weekday } from "./options";
import { localAuthoritiesOf } from "./places.server";
import { UK_ZONE, ukDate } from "./uk-time.server";
import { sameArea, sameAreaRef } from "../db/same-area.server";

/**
 * The public directory of what children can do: no sign-in, filters in the query string (so a
 * search can be shared or bookmarked, and works without JavaScript). Only activities whose
 * activity and Learning Destination are both validated and current (validated_until on or
 * after today in Wales) are ever listed: the same rule that lets a session earn credits.
 */

export interface DirectoryFilters {
  /** Words that must all appear somewhere: title, description, provider, venue or town. */
  q?: string;
  category?: Category;
  /** "free": free only; "low": free or low cost. */
  cost?: "free" | "low";
  age?: number;
  la?: string;
  town?: string;
  welsh?: boolean;
  /** Has an upcoming session on this ISO weekday (1 = Monday). */
  day?: Weekday;
  page: number;
}

export interface ParsedDirectoryFilters {
  filters: DirectoryFilters;
  /** What the form should show again. */
  values: Record<string, string>;
  errors: FieldErrors | null;
}

/** A filter nobody could have picked from the form (an unknown category, say) is no filter. */
const known = <T extends string>(options: readonly T[], max: number) =>
  trimmedText(max).transform((value) => (options.includes(value as T) ? (value as T) : undefined));

/** The filters as the address gives them, each trimmed and cut to a sensible length; the age as typed (checked below). */
const directoryFilterFields = {
  q: trimmedText(100).transform((q) => q.replace(/\s+/g, " ") || undefined),
  category: known(CATEGORIES, 20),
  cost: known(["free", "low"], 10),
  age: trimmedText(10),
  la: trimmedText(9).transform((la) => (/^[EWSN]\d{8}$/.test(la) ? la : undefined)),
  town: trimmedText(80).transform((town) => town || undefined),
  welsh: flag("1").transform((welsh) => welsh || undefined),
  day: trimmedText(1).transform((day) => WEEKDAYS.find((weekday) => weekday === Number(day))),
  page: trimmedText(6).transform((page) => (Number.isSafeInteger(Number(page)) && Number(page) > 1 ? Number(page) : 1)),
};

/** The one filter a person types: a whole number of years, 0 to MAX_AGE; blank for any age. */
const directoryAgeField = {
  age: directoryFilterFields.age.transform((age, ctx) => {
    if (!age) return undefined;
    if (/^\d{1,2}$/.test(age) && Number(age) <= MAX_AGE) return Number(age);
    ctx.addIssue({ code: "custom", message: message("directory.errors.age") });
    return z.NEVER;
  }),
};

/**
 * Reads the filters from the address. A value nobody could have picked from the form (an
 * unknown category, say) is ignored; an age typed wrongly is explained, shown again, and not
 * applied, while the other filters are.
 */
export function parseDirectoryFilters(params: URLSearchParams): ParsedDirectoryFilters {
  const { page, age: typedAge, ...chosen } = queryValues(directoryFilterFields, params);
  const age = parseForm(directoryAgeField, params);
  const filters: DirectoryFilters = { page, ...withoutBlanks({ ...chosen, age: age.ok ? age.data.age : undefined }) };
  const { q, category, cost, la, town, welsh, day } = chosen;
  const values = withoutBlanks({ q, category, cost, age: typedAge || undefined, la, town, welsh: welsh && "1", day: day && String(day) });
  return { filters, values, errors: age.ok ? null : age.errors };
}

/** An object without its undefined entries: the filters not asked for are not there at all. */
function withoutBlanks<T extends Record<string, unknown>>(object: T) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

type Eb = ExpressionBuilder<Database & { activity: Database["activity"]; provider: Database["provider"] }, "activity" | "provider">;

/** "%word%" for ILIKE, with the pattern characters in the word taken literally. */
function containing(word: string) {
  return `%${word.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
}

/** Listed activities of an area, joined to their provider, with the filters applied. */
function listed(db: DB, areaId: string, filters: DirectoryFilters, now: Date) {
  const today = ukDate(now);
  let query = db
    .selectFrom("activity")
    .innerJoin("provider", sameArea("provider.id", "activity.provider_id"))
    .where("activity.area_id", "=", areaId)
    .where("activity.status", "=", "validated")
    .where("activity.validated_until", ">=", today)
    .where("provider.status", "=", "validated")
    .where("provider.validated_until", ">=", today);

  if (filters.q) {
    for (const word of filters.q.split(" ").slice(0, 6)) {
      const pattern = containing(word);
      query = query.where((eb: Eb) =>
        eb.or(
          (
            [
              "activity.title_en",
              "activity.title_cy",
              "activity.description_en",
              "activity.description_cy",
              "activity.venue",
              "activity.town",
              "provider.name_en",
              "provider.name_cy",
            ] as const
          ).map((column) => eb(column, "ilike", pattern)),
        ),
      );
    }
  }
  if (filters.category) query = query.where("activity.category", "=", filters.category);
  if (filters.cost === "free") query = query.where("activity.cost_band", "=", "free");
  if (filters.cost === "low") query = query.where("activity.cost_band", "in", ["free", "low"]);
  if (filters.age !== undefined) {
    const age = filters.age;
    query = query
      .where((eb: Eb) => eb.or([eb("activity.min_age", "is", null), eb("activity.min_age", "<=", age)]))
      .where((eb: Eb) => eb.or([eb("activity.max_age", "is", null), eb("activity.max_age", ">=", age)]));
  }
  // An activity happens where it says; one that does not say happens where its provider is.
  if (filters.la) query = query.where(sql<string>`coalesce(activity.la_code, provider.la_code)`, "=", filters.la);
  if (filters.town) query = query.where(sql<string>`lower(coalesce(activity.town, provider.town))`, "=", filters.town.toLowerCase());
  if (filters.welsh) query = query.where("activity.welsh_language", "=", true);
  if (filters.day) {
    const day = filters.day;
    query = query.where((eb: Eb) =>
      eb.exists(
        eb
          .selectFrom("activity_session")
          .select("activity_session.id")
          .where(sameAreaRef("activity_session.activity_id", "activity.id"))
          .where("activity_session.starts_at", ">=", now)
          .where("activity_session.cancelled_at", "is", null)
          .where(sql<number>`extract(isodow from activity_session.starts_at at time zone ${UK_ZONE})`, "=", day),
      ),
    );
  }
  return query;
}

const nextSession = (eb: Eb, now: Date) =>
  eb
    .selectFrom("activity_session")
    .select((sub) => sub.fn.min("activity_session.starts_at").as("next"))
    .where(sameAreaRef("activity_session.activity_id", "activity.id"))
    .where("activity_session.starts_at", ">=", now)
    .where("activity_session.cancelled_at", "is", null);

/** One page of the directory, soonest next session first (activities with none planned last). */
export async function searchDirectory(db: DB, areaId: string, filters: DirectoryFilters, now = new Date()) {
  const countRow = await listed(db, areaId, filters, now)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  const total = Number(countRow.n);
  const pageCount = Math.max(1, Math.ceil(total / DIRECTORY_PAGE_SIZE));
  const page = Math.min(filters.page, pageCount);
  const items = await listed(db, areaId, filters, now)
    .select((eb) => [
      "activity.id",
      "activity.title_en",
      "activity.title_cy",
      "activity.description_en",
      "activity.description_cy",
      "activity.category",
      "activity.credit_quarter_hours",
      "activity.cost_band",
      "activity.price_pence",
      "activity.min_age",
      "activity.max_age",
      "activity.welsh_language",
      sql<string | null>`coalesce(activity.town, provider.town)`.as("town"),
      "provider.name_en as provider_name_en",
      "provider.name_cy as provider_name_cy",
      nextSession(eb, now).as("next_session_at"),
    ])
    .orderBy(sql`next_session_at asc nulls last`)
    .orderBy(sql`coalesce(activity.title_en, activity.title_cy)`)
    .orderBy("activity.id")
    .limit(DIRECTORY_PAGE_SIZE)
    .offset((page - 1) * DIRECTORY_PAGE_SIZE)
    .execute();
  return { total, page, pageCount, items };
}

/** The choices for the place filters: the area's local authorities, and the towns where listed activities happen. */
export async function directoryPlaces(db: DB, areaId: string, now = new Date()) {
  const [localAuthorities, towns] = await Promise.all([
    localAuthoritiesOf(db, areaId),
    listed(db, areaId, { page: 1 }, now)
      .select(sql<string>`coalesce(activity.town, provider.town)`.as("town"))
      .distinct()
      .execute(),
  ]);
  return {
    localAuthorities,
    towns: towns
      .map((row) => row.town)
      .filter((town): town is string => Boolean(town))
      .sort((a, b) => a.localeCompare(b, "en-GB")),
  };
}

/** Every activity the directory lists now (validated, with a validated provider), to count the offer. */
export function listedActivities(db: DB, areaId: string, now = new Date()) {
  return listed(db, areaId, { page: 1 }, now);
}

/** How many sessions an activity's public page lists. */
export const PUBLIC_SESSIONS = 12;

/** A listed activity's public page: details, provider, and its next sessions (cancelled ones marked). Null when not listed. */
export async function directoryActivity(db: DB, areaId: string, activityId: string, now = new Date()) {
  if (!isUuid(activityId)) return null;
  const activity = await listed(db, areaId, { page: 1 }, now)
    .select([
      "activity.id",
      "activity.title_en",
      "activity.title_cy",
      "activity.description_en",
      "activity.description_cy",
      "activity.category",
      "activity.skills",
      "activity.credit_quarter_hours",
      "activity.cost_band",
      "activity.price_pence",
      "activity.min_age",
      "activity.max_age",
      "activity.welsh_language",
      "activity.accessibility_notes",
      "activity.venue",
      sql<string | null>`coalesce(activity.town, provider.town)`.as("town"),
      sql<string | null>`coalesce(activity.la_code, provider.la_code)`.as("la_code"),
      "provider.name_en as provider_name_en",
      "provider.name_cy as provider_name_cy",
      "provider.contact_email as provider_email",
      "provider.contact_phone as provider_phone",
    ])
    .where("activity.id", "=", activityId)
    .executeTakeFirst();
  if (!activity) return null;
  const sessions = await db
    .selectFrom("activity_session")
    .select(["id", "starts_at", "ends_at", "quarter_hours", "cancelled_at"])
    .where("area_id", "=", areaId)
    .where("activity_id", "=", activity.id)
    .where("ends_at", ">=", now)
    .orderBy("starts_at")
    .limit(PUBLIC_SESSIONS)
    .execute();
  return { activity, sessions };
}

/**
 * Which Children's University's directory to show: the one named by ?area= (its slug), else
 * the first. Every query after this is narrowed to it.
 */
export async function directoryArea(db: DB, slug: string | null) {
  const areas = await db.selectFrom("area").select(["id", "slug", "name_en", "name_cy"]).orderBy("created_at").orderBy("slug").execute();
  const area = (slug ? areas.find((candidate) => candidate.slug === slug) : undefined) ?? areas[0] ?? null;
  return { area, areas };
}
