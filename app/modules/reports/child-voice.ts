/**
 * The choices of the child's-voice report (issue 16), shared by the server and the page
 * (safe in the browser bundle). Labels: `childVoiceReport.*`.
 */

/** The face scale told in three bands, so that fewer counts are small: faces 1–2, 3, 4–5. */
export const RATING_BANDS = ["unhappy", "okay", "happy"] as const;
export type RatingBand = (typeof RATING_BANDS)[number];

/** Breakdowns of the ratings: the area's by category or provider; a provider's by activity or category. */
export const RATINGS_BY = ["category", "provider", "activity"] as const;
export type RatingsBy = (typeof RATINGS_BY)[number];

/** Groups of the wishes against the offer: the WIMD 2025 quintile of the child's home, or its local authority. */
export const WISH_GROUPS = ["quintile", "la"] as const;
export type WishGroups = (typeof WISH_GROUPS)[number];
