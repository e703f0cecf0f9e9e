import { sql } from "kysely";
import { z } from "zod";
import { childrenInScope, type ChildPrincipal } from "../accounts/access.server";
import { isUuid, notFound } from "../accounts/actor.server";
import { termOf } from "../credits/terms";
import type { DB } from "../db/database.server";
import type { Category, RatingLike, Wish } from "../db/schema";
import { somethingNew } from "../passports/passport-page.server";
import { FACES, LIKES, RATING_WORDS_MAX, WISH_WORDS_MAX, WISHES } from "./child-voice";
import { sameArea } from "../db/same-area.server";

/**
 * The child's voice (issue 16), from the child's own session only: ratings of activities they
 * were credited for, and what they would like to try. Built to the Children's code: nothing is
 * asked for that is not needed, free words are screened before anyone sees them and are kept
 * only when they pass, and everything here is the child's data (downloaded and erased with it).
 */

/**
 * Whether a child's free words may be kept: not when they look like personal details (an
 * email address, a phone number, a postcode, a web or social address) or bad language. Words
 * that fail are not stored at all; the child is told so kindly and nothing else is lost.
 */
export function screenWords(text: string): "shown" | "withheld" {
  const plain = text.normalize("NFKC").toLowerCase();
  const personal = [
    /[^\s@]+@[^\s@]+\.[^\s@]+/, // email
    /(?:\d[\s().-]*){7,}/, // phone or any long number
    /\b[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\b/, // UK postcode
    /https?:\/\/|www\.|\.(?:com|co\.uk|org|net|cymru|wales)\b/, // web address
    /(?:^|\s)@\w{2,}/, // social media handle
    /\b(?:snap(?:chat)?|insta(?:gram)?|tiktok|whatsapp|discord)\b/,
  ];
  if (personal.some((pattern) => pattern.test(plain))) return "withheld";
  const letters = plain.replace(/[^a-zâêîôûŵŷäëïöüẅÿáéíóúẃýàèìòùẁỳ]+/g, " ");
  const words = letters.split(" ").filter(Boolean);
  if (words.some((word) => BAD_WORDS.some((bad) => word === bad || (bad.length >= 4 && word.startsWith(bad))))) return "withheld";
  return "shown";
}

/**
 * A short list of English and Welsh swear words and slurs (Welsh with its mutated forms);
 * whole words, or their start for the longer ones.
 */
const BAD_WORDS = [
  "fuck",
  "fuk",
  "shit",
  "shite",
  "bitch",
  "bastard",
  "cunt",
  "wank",
  "wanker",
  "twat",
  "dick",
  "prick",
  "piss",
  "slag",
  "slut",
  "whore",
  "arse",
  "arsehole",
  "bollocks",
  "crap",
  "retard",
  "cachu",
  "gachu",
  "chachu",
  "nghachu",
  "cach",
  "uffern",
  "diawl",
  "coc",
  "cont",
  "bitsh",
  "ffwc",
];

/** The child's own row, narrowed by the one gate (their session's child, in their area). */
async function me(db: DB, child: ChildPrincipal) {
  const row = await childrenInScope(db, child).select(["child.id", "child.birth_year", "child.birth_month", "child.home_lsoa_code"]).executeTakeFirst();
  if (!row) notFound();
  return row;
}

/**
 * The activities the child can rate: every one they have a stamp for, in the term of their
 * latest stamp there, with the rating they gave then (if any).
 */
export async function ratableActivities(db: DB, child: ChildPrincipal) {
  await me(db, child);
  const rows = await db
    .selectFrom("credit")
    .innerJoin("activity", sameArea("activity.id", "credit.activity_id"))
    .select(["activity.id", "activity.title_en", "activity.title_cy", "activity.category", sql<string>`max(credit.earned_on)::text`.as("last_on")])
    .where("credit.area_id", "=", child.areaId)
    .where("credit.child_id", "=", child.childId)
    .where("credit.revoked_at", "is", null)
    .groupBy(["activity.id", "activity.title_en", "activity.title_cy", "activity.category"])
    .orderBy(sql`max(credit.earned_on)`, "desc")
    .execute();
  const ratings = rows.length
    ? await db
        .selectFrom("child_rating")
        .select(["activity_id", "term_from", "face"])
        .where("area_id", "=", child.areaId)
        .where("child_id", "=", child.childId)
        .execute()
    : [];
  return rows.map((row) => {
    const termFrom = termOf(row.last_on).from;
    const rating = ratings.find((r) => r.activity_id === row.id && String(r.term_from) === termFrom);
    return { id: row.id, title_en: row.title_en, title_cy: row.title_cy, category: row.category, termFrom, face: rating?.face ?? null };
  });
}

/** One activity to rate (404 unless the child has a stamp for it) and the rating given this term. */
export async function ratingFor(db: DB, child: ChildPrincipal, activityId: string) {
  if (!isUuid(activityId)) notFound();
  const activity = (await ratableActivities(db, child)).find((candidate) => candidate.id === activityId);
  if (!activity) notFound();
  const rating = await db
    .selectFrom("child_rating")
    .select(["face", "likes", "words"])
    .where("area_id", "=", child.areaId)
    .where("child_id", "=", child.childId)
    .where("activity_id", "=", activity.id)
    .where("term_from", "=", activity.termFrom)
    .executeTakeFirst();
  return { activity, rating: rating ?? null };
}

const yes = z.literal("yes").optional();
export const ratingForm = z
  .object({
    face: z.enum(FACES.map(String) as [string, ...string[]], { error: "childVoice.errors.face" }).transform(Number),
    words: z.string().trim().max(RATING_WORDS_MAX, { error: "childVoice.errors.wordsTooLong" }).optional(),
    ...Object.fromEntries(LIKES.map((like) => [`like_${like}`, yes])),
  })
  .transform((fields) => ({
    face: fields.face,
    likes: LIKES.filter((like) => (fields as Record<string, unknown>)[`like_${like}`] === "yes") as RatingLike[],
    words: fields.words || null,
  }));

/**
 * Saves the child's rating of an activity for the term of their latest stamp there: one per
 * child, activity and term, changed by saying it again. Refused (404) for an activity the
 * child has no stamp for. Words that fail screening are not kept (`wordsWithheld`).
 */
export async function saveRating(db: DB, child: ChildPrincipal, activityId: string, input: z.output<typeof ratingForm>, now = new Date()) {
  const { activity } = await ratingFor(db, child, activityId);
  const words = input.words && screenWords(input.words) === "shown" ? input.words : null;
  const values = { face: input.face, likes: input.likes, words, words_status: words ? ("shown" as const) : null, updated_at: now };
  await db
    .insertInto("child_rating")
    .values({ area_id: child.areaId, child_id: child.childId, activity_id: activity.id, term_from: activity.termFrom, ...values })
    .onConflict((oc) => oc.columns(["area_id", "child_id", "activity_id", "term_from"]).doUpdateSet(values))
    .execute();
  return { wordsWithheld: Boolean(input.words) && !words };
}

export const wishesForm = z
  .object({
    somethingElseWords: z.string().trim().max(WISH_WORDS_MAX, { error: "childVoice.errors.wishWordsTooLong" }).optional(),
    ...Object.fromEntries(WISHES.map((wish) => [`wish_${wish}`, yes])),
  })
  .transform((fields) => ({
    wishes: WISHES.filter((wish) => (fields as Record<string, unknown>)[`wish_${wish}`] === "yes") as Wish[],
    somethingElseWords: fields.somethingElseWords || null,
  }));

/** The child's wishes as they are now. */
export async function wishesOf(db: DB, child: ChildPrincipal) {
  await me(db, child);
  return db.selectFrom("child_wish").select(["wish", "words"]).where("area_id", "=", child.areaId).where("child_id", "=", child.childId).execute();
}

/** Replaces the child's wishes with these; "something else" keeps its words only if they pass screening. */
export async function saveWishes(db: DB, child: ChildPrincipal, input: z.output<typeof wishesForm>) {
  await me(db, child);
  const words =
    input.wishes.includes("something_else") && input.somethingElseWords && screenWords(input.somethingElseWords) === "shown" ? input.somethingElseWords : null;
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("child_wish").where("area_id", "=", child.areaId).where("child_id", "=", child.childId).execute();
    if (input.wishes.length) {
      await trx
        .insertInto("child_wish")
        .values(
          input.wishes.map((wish) => ({
            area_id: child.areaId,
            child_id: child.childId,
            wish,
            words: wish === "something_else" ? words : null,
            words_status: wish === "something_else" && words ? ("shown" as const) : null,
          })),
        )
        .execute();
    }
  });
  return { wordsWithheld: Boolean(input.somethingElseWords) && input.wishes.includes("something_else") && !words };
}

/** Activities coming up that match the child's wishes, suiting their age, free and nearby first. */
export async function activitiesForWishes(db: DB, child: ChildPrincipal, now = new Date()) {
  const row = await me(db, child);
  const wishes = await wishesOf(db, child);
  const categories = wishes.map((wish) => wish.wish).filter((wish): wish is Category => wish !== "something_else");
  if (!categories.length) return [];
  return somethingNew(db, child.areaId, row, now, undefined, categories);
}
