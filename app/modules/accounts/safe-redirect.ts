/** Any origin of ours would do: only whether a path stays on it matters. */
const OWN_ORIGIN = "https://pasbort.invalid";

/**
 * The page to go to after sign-in, when it is one of ours: a path on this site, nothing else.
 * Browsers drop tabs and newlines from a Location and read a backslash as a slash, so
 * `/\t/evil.example` or `/\evil.example` would leave the site: any backslash, control
 * character or whitespace (raw or percent-encoded) is refused, and so is whatever does not
 * resolve, against our origin, to our origin. The answer is the path as the URL parser
 * normalised it.
 */
export function safeRedirectPath(value: unknown, fallback: string) {
  if (typeof value !== "string" || value.length > 2000) return fallback;
  if (!value.startsWith("/") || value.startsWith("//")) return fallback;
  if (/[\\\s\p{Cc}]|%(?:[01][0-9a-f]|7f|5c|20)/iu.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, OWN_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== OWN_ORIGIN || url.pathname.startsWith("//")) return fallback;
  return url.pathname + url.search + url.hash;
}
