/**
 * The pictures a child's picture code is made of (issue 16): nine, each with its name in words
 * beside it (cy/en, `pictures.*`), so a child who cannot read yet can still sign in and a screen
 * reader can say them. Shared by the server (checking) and the pages (choosing).
 */
export const PICTURES = ["cat", "dog", "tree", "star", "sun", "boat", "apple", "fish", "house"] as const;
export type Picture = (typeof PICTURES)[number];

export const PICTURE_ICONS: Record<Picture, string> = {
  cat: "🐱",
  dog: "🐶",
  tree: "🌳",
  star: "⭐",
  sun: "☀️",
  boat: "⛵",
  apple: "🍎",
  fish: "🐟",
  house: "🏠",
};

/** Four pictures in order: 9⁴ = 6,561 codes, with only five wrong tries per card each 15 minutes. */
export const PICTURE_CODE_LENGTH = 4;
export const PICTURE_FIELDS = ["picture1", "picture2", "picture3", "picture4"] as const;
