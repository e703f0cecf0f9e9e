import { sql } from "kysely";
import { forbidden, type Membership } from "../accounts/actor.server";
import { listedActivities } from "../activities/directory.server";
import { CATEGORIES } from "../activities/options";
import { LIKES, WISHES } from "../children/child-voice";
import type { DB } from "../db/database.server";
import type { Category, RatingLike, Wish } from "../db/schema";
import type { WimdEdition } from "../reference/wimd-editions";
import { anyText, choice, message, trimmedText } from "../forms/fields.server";
import { parseForm } from "../forms/parse-form.server";
import { queryValues } from "../forms/read-form.server";
import { editionSource } from "./equity.server";
import { keyedColumns, protectTable, tallyOf, type ProtectedCount as PublishedCount } from "./disclosure.server";
import { RATING_BANDS, WISH_GROUPS, type RatingBand, type RatingsBy, type WishGroups } from "./child-voice";
import { sameArea } from "../db/same-area.server";

export { RATING_BANDS, RATINGS_BY, WISH_GROUPS, type RatingBand, type RatingsBy, type WishGroups } from "./child-voice";

/**
 * What adults may learn from the child's voice (issue 16): ratings of activities, what the
 * children liked, and what they would like to try set against what is offered. Always counts
 * over groups, never a child: no names, ids or dates finer than a school year leave this
 * module, and every count goes through the disclosure-control layer (docs/statistics.md:
 * each rating or wish counted with its child's cell key, totals as cells of their own).
 * Issue 21's impact report reads these same functions.
 *
 * Who sees what: a provider's staff the ratings of their own activities; the coordinator and
 * viewers the area's, by category or provider, and the wishes against the offer; only the
 * coordinator the children's screened words (as issue 16 asks), and only for an activity with
 * enough ratings that no one child's words can be told apart.
 */

export interface VoiceScope {
  areaId: string;
  /** Only this provider's activities; null: the whole area. */
  providerId: string | null;
  /** May read the children's (screened) words. */
  words: boolean;
  /**
   * Only the children living in this local authority (their home LSOA under `edition`, as the
   * equity report scopes an LA), and only the activities in it: an LA's impact report (issue 21).
   */
  children?: { laCode: string; edition: WimdEdition } | null;
}

/** The children of a scope limited to one local authority's, as a condition on `c` (the child). */
function childrenIn(scope: VoiceScope) {
  if (!scope.children) return sql<boolean>`true`;
  const { lsoa, childLsoa } = editionSource(scope.children.edition);
  return sql<boolean>`c.${childLsoa} in (select lc.code from ${lsoa} lc where lc.la_code = ${scope.children.laCode})`;
}

/** Whose voice a membership may see, or 403: schools and guardians see none of the aggregates. */
export function voiceScopeFor(m: Membership): VoiceScope {
  switch (m.role) {
    case "coordinator":
      return { areaId: m.areaId, providerId: null, words: true };
    case "viewer":
      return { areaId: m.areaId, providerId: null, words: false };
    case "provider_owner":
    case "provider_member":
      return { areaId: m.areaId, providerId: m.providerId, words: false };
    default:
      return forbidden();
  }
}

/** Breakdowns of the ratings: the area by category or provider; a provider by activity or category. */
export function ratingsBreakdownsFor(scope: VoiceScope): readonly RatingsBy[] {
  return scope.providerId ? ["activity", "category"] : ["category", "provider"];
}

export interface VoiceGroup {
  /** A category, provider id, activity id, "1".."5", an LA code; null: not known. */
  key: string | null;
  name: { en: string | null; cy: string | null } | null;
}

export interface RatingsRow extends VoiceGroup {
  bands: Record<RatingBand, PublishedCount>;
  ratings: PublishedCount;
  likes: Record<RatingLike, PublishedCount>;
}

export interface RatingsSummary {
  from: string;
  to: string;
  by: RatingsBy;
  rows: RatingsRow[];
  total: Omit<RatingsRow, "key" | "name">;
}

/** Activities show the children's words only with at least this many ratings in the period (fewer, and whose words they are could be told). */
const WORDS_MINIMUM_RATINGS = 5;

/** A school year's first and last day (1 September to 31 August) from its first year: 2026 → 2026/27. */
export function schoolYear(startYear: number) {
  return { from: `${startYear}-09-01`, to: `${startYear + 1}-08-31` };
}

/**
 * The ratings given in a period (by the term they are for), in three bands of the face scale,
 * and how many ticked each thing they liked. One rating is one child's for one activity in
 * one term. Children who were withdrawn have no ratings left (erased with them).
 */
export async function ratingsSummary(db: DB, scope: VoiceScope, query: { from: string; to: string; by: RatingsBy }): Promise<RatingsSummary> {
  if (!ratingsBreakdownsFor(scope).includes(query.by)) forbidden();
  const key = { category: sql<string>`a.category`, provider: sql<string>`a.provider_id::text`, activity: sql<string>`a.id::text` }[query.by];
  const name =
    query.by === "provider"
      ? { en: sql<string | null>`min(p.name_en)`, cy: sql<string | null>`min(coalesce(p.name_cy, p.name_en))` }
      : query.by === "activity"
        ? { en: sql<string | null>`min(a.title_en)`, cy: sql<string | null>`min(a.title_cy)` }
        : { en: sql<string | null>`null`, cy: sql<string | null>`null` };
  const rows = await db
    .selectFrom("child_rating as r")
    .innerJoin("activity as a", sameArea("a.id", "r.activity_id"))
    .innerJoin("provider as p", sameArea("p.id", "a.provider_id"))
    .innerJoin("child as c", sameArea("c.id", "r.child_id"))
    .select([
      key.as("key"),
      name.en.as("name_en"),
      name.cy.as("name_cy"),
      ...keyedColumns("unhappy", sql`c.cell_key`, sql`r.face <= 2`),
      ...keyedColumns("okay", sql`c.cell_key`, sql`r.face = 3`),
      ...keyedColumns("happy", sql`c.cell_key`, sql`r.face >= 4`),
      ...LIKES.flatMap((like) => keyedColumns(`like_${like}`, sql`c.cell_key`, sql`${like} = any(r.likes)`)),
    ])
    .where("r.area_id", "=", scope.areaId)
    .where("r.term_from", ">=", query.from)
    .where("r.term_from", "<=", query.to)
    .$if(Boolean(scope.providerId), (q) => q.where("a.provider_id", "=", scope.providerId))
    .where(childrenIn(scope))
    .groupBy(key)
    .execute();
  // Categories in the directory's order; providers and activities by name.
  const sorted =
    query.by === "category"
      ? CATEGORIES.flatMap((category) => rows.filter((row) => row.key === category))
      : [...rows].sort((a, b) => (a.name_en ?? a.name_cy ?? "").localeCompare(b.name_en ?? b.name_cy ?? "", "en"));
  const counted = sorted as unknown as Array<Record<string, unknown>>;
  const bands = protectTable(
    counted.map((row) => RATING_BANDS.map((band) => tallyOf(row, band))),
    RATING_BANDS.length,
  );
  // Likes are ticked in any number, so their table's totals are ticks, not children.
  const likes = protectTable(
    counted.map((row) => LIKES.map((like) => tallyOf(row, `like_${like}`))),
    LIKES.length,
  );
  const line = (i: number) => ({
    bands: Object.fromEntries(RATING_BANDS.map((band, j) => [band, bands[i]![j]!])) as Record<RatingBand, PublishedCount>,
    ratings: bands[i]![RATING_BANDS.length]!,
    likes: Object.fromEntries(LIKES.map((like, j) => [like, likes[i]![j]!])) as Record<RatingLike, PublishedCount>,
  });
  return {
    from: query.from,
    to: query.to,
    by: query.by,
    rows: sorted.map((row, i) => ({
      key: row.key,
      name: query.by === "category" ? null : { en: row.name_en, cy: row.name_cy },
      ...line(i),
    })),
    total: line(sorted.length),
  };
}

export interface WishesRow {
  wish: Wish;
  /** Children wishing for it, by group (same order as `groups`), and in all. */
  children: PublishedCount[];
  childrenTotal: PublishedCount;
  /** Activities of this kind listed in the directory now, by group, and in all; null for "something else". */
  offered: number[] | null;
  offeredTotal: number | null;
}

export interface WishesAgainstOffer {
  by: WishGroups;
  groups: VoiceGroup[];
  rows: WishesRow[];
}

/**
 * What children would like to try (their wishes as they are now), set against the activities
 * of each kind the directory lists now, by the WIMD 2025 quintile of the child's home or its
 * local authority. An activity counts where it is: its local authority, and the quintile of
 * its provider's LSOA (activities have no LSOA of their own). The offer is public (the
 * directory), so its counts need no disclosure control; the children's do.
 */
export async function wishesAgainstOffer(db: DB, scope: VoiceScope, query: { by: WishGroups }, now = new Date()): Promise<WishesAgainstOffer> {
  if (scope.providerId) forbidden();
  const childGroup = query.by === "quintile" ? sql<string | null>`l.wimd_quintile::text` : sql<string | null>`l.la_code`;
  const wishes = await db
    .selectFrom("child_wish as w")
    .innerJoin("child as c", sameArea("c.id", "w.child_id"))
    .leftJoin("lsoa21 as l", "l.code", "c.home_lsoa21_code")
    .select(["w.wish", childGroup.as("grp"), ...keyedColumns("children", sql`c.cell_key`)])
    .where("w.area_id", "=", scope.areaId)
    .where("c.status", "=", "active")
    .where(childrenIn(scope))
    .groupBy(["w.wish", childGroup])
    .execute();
  const activityGroup = query.by === "quintile" ? sql<string | null>`pl.wimd_quintile::text` : sql<string | null>`coalesce(activity.la_code, provider.la_code)`;
  const offer = await listedActivities(db, scope.areaId, now)
    .leftJoin("lsoa21 as pl", "pl.code", "provider.lsoa21_code")
    .select(["activity.category", activityGroup.as("grp"), sql<number>`count(*)::int`.as("activities")])
    .$if(Boolean(scope.children), (q) => q.where(sql<boolean>`coalesce(activity.la_code, provider.la_code) = ${scope.children!.laCode}`))
    .groupBy(["activity.category", activityGroup])
    .execute();

  let groups: VoiceGroup[];
  if (query.by === "quintile") {
    groups = ["1", "2", "3", "4", "5"].map((key) => ({ key, name: null }));
  } else {
    // The area's local authorities, and any other a child lives in or an activity is in.
    const codes = await db.selectFrom("area_local_authority").select("la_code").where("area_id", "=", scope.areaId).execute();
    const seen = new Set([...codes.map((row) => row.la_code), ...wishes.map((row) => row.grp), ...offer.map((row) => row.grp)]);
    seen.delete(null);
    groups = ([...seen] as string[]).sort().map((key) => ({ key, name: null }));
  }
  // Children whose home is not known (or outside Wales) are a group of their own, if any.
  if (wishes.some((row) => row.grp === null)) groups.push({ key: null, name: null });

  const cells = WISHES.map((wish) =>
    groups.map((group) => {
      const found = wishes.find((row) => row.wish === wish && row.grp === group.key);
      return found ? tallyOf(found, "children") : { count: 0, keySum: 0 };
    }),
  );
  const published = protectTable(cells, groups.length);
  return {
    by: query.by,
    groups,
    rows: WISHES.map((wish, i) => {
      const offered = wish === "something_else" ? null : groups.map((group) => offeredIn(offer, wish, group.key));
      return {
        wish,
        children: published[i]!.slice(0, groups.length),
        childrenTotal: published[i]![groups.length]!,
        offered,
        offeredTotal: wish === "something_else" ? null : offer.filter((row) => row.category === wish).reduce((sum, row) => sum + row.activities, 0),
      };
    }),
  };
}

function offeredIn(offer: Array<{ category: Category; grp: string | null; activities: number }>, category: Category, group: string | null) {
  return offer.filter((row) => row.category === category && row.grp === group).reduce((sum, row) => sum + row.activities, 0);
}

export interface ActivityWords {
  activityId: string;
  title: { en: string | null; cy: string | null };
  /** The words that passed screening, in alphabetical order (so not in the order given). */
  words: string[];
}

/**
 * The children's own words about activities, for the coordinator only: words that passed
 * screening, for activities with at least WORDS_MINIMUM_RATINGS ratings in the period (fewer,
 * and a reader who knows who came could tell whose words they are). No child, date or face
 * goes with them.
 */
export async function ratingWords(db: DB, scope: VoiceScope, query: { from: string; to: string }): Promise<ActivityWords[]> {
  if (!scope.words) forbidden();
  const rows = await db
    .selectFrom("child_rating as r")
    .innerJoin("activity as a", sameArea("a.id", "r.activity_id"))
    .select([
      "a.id",
      "a.title_en",
      "a.title_cy",
      sql<string[]>`coalesce(array_agg(r.words order by r.words) filter (where r.words_status = 'shown'), '{}')`.as("words"),
    ])
    .where("r.area_id", "=", scope.areaId)
    .where("r.term_from", ">=", query.from)
    .where("r.term_from", "<=", query.to)
    .groupBy(["a.id", "a.title_en", "a.title_cy"])
    .having(sql<boolean>`count(*) >= ${WORDS_MINIMUM_RATINGS}`)
    .execute();
  return rows
    .filter((row) => row.words.length > 0)
    .map((row) => ({ activityId: row.id, title: { en: row.title_en, cy: row.title_cy }, words: row.words }))
    .sort((a, b) => (a.title.en ?? a.title.cy ?? "").localeCompare(b.title.en ?? b.title.cy ?? "", "en"));
}

export interface VoiceQuery {
  /** The school year's first year: 2026 is 2026/27. */
  year: number;
  from: string;
  to: string;
  by: RatingsBy;
  groups: WishGroups;
}

/** The page's choices as its form shows them again: the year trimmed, the rest as it came. */
const voiceQuerySent = { year: trimmedText(), by: anyText, groups: anyText };

/**
 * Reads the page's choices from its address: `year` (a school year by its first year; this
 * one unless given), `by` (the ratings' breakdown this scope may use) and `groups` (quintile
 * or la). Errors are translation keys by field; the values go back to the form as they were.
 */
export function parseVoiceQuery(params: URLSearchParams, scope: VoiceScope, today: string) {
  const current = Number(today.slice(0, 4)) - (Number(today.slice(5, 7)) >= 9 ? 0 : 1);
  // Any school year from 2000 to this one, by its first year.
  const years = Array.from({ length: current - 1999 }, (_, i) => String(current - i));
  const breakdowns = ratingsBreakdownsFor(scope);
  const parsed = parseForm(
    {
      year: choice(years, message("childVoiceReport.errors.year"), String(current), { trim: true }),
      by: choice(breakdowns, message("childVoiceReport.errors.by"), breakdowns[0]),
      groups: choice(WISH_GROUPS, message("childVoiceReport.errors.groups"), "quintile"),
    },
    params,
  );
  if (!parsed.ok) return { ok: false as const, errors: parsed.errors as Record<string, string>, values: queryValues(voiceQuerySent, params) };
  const { by, groups } = parsed.data;
  const year = Number(parsed.data.year);
  return { ok: true as const, query: { year, ...schoolYear(year), by, groups } satisfies VoiceQuery };
}

/** Everything the voice page shows for a scope: the ratings, and for the area the wishes and (coordinator) the words. */
export async function childVoiceSummary(db: DB, scope: VoiceScope, query: VoiceQuery, now = new Date()) {
  const [ratings, wishes, words] = await Promise.all([
    ratingsSummary(db, scope, query),
    scope.providerId ? null : wishesAgainstOffer(db, scope, { by: query.groups }, now),
    scope.words ? ratingWords(db, scope, query) : null,
  ]);
  return { ratings, wishes, words };
}
