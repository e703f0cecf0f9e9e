import type { RatingLike, Wish } from "../db/schema";
import { CATEGORIES } from "../activities/options";

/**
 * The child's voice (issue 16), the parts the pages show: a five-face scale, a short list of
 * things to have liked, and the kinds of activity to wish for. Labels: `childVoice.*`.
 */
export const FACES = [1, 2, 3, 4, 5] as const;
export const FACE_ICONS: Record<(typeof FACES)[number], string> = { 1: "😞", 2: "🙁", 3: "😐", 4: "🙂", 5: "😄" };
export const LIKES = ["trying_new", "friends", "learning", "moving", "making", "outdoors", "helping", "the_leaders"] as const satisfies readonly RatingLike[];
export const WISHES = [...CATEGORIES, "something_else"] as const satisfies readonly Wish[];
/** Free words: a sentence about an activity, a few words for "something else". */
export const RATING_WORDS_MAX = 280;
export const WISH_WORDS_MAX = 80;
