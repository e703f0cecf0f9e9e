/**
 * Which pages get React in the browser (ADR 0042). Every page works as plain HTML (links, and
 * forms posted by the browser); a route whose page does something a person would miss without
 * scripts (the scanner's camera and offline queue, the code that renews itself, a copy or print
 * button) says so with `export const handle = { hydrate: true }`. root.tsx sends the scripts,
 * their preloads and the strings only when some matched route does.
 */
export function pageNeedsScripts(matches: readonly { handle?: unknown }[]) {
  return matches.some((match) => (match.handle as { hydrate?: unknown } | undefined)?.hydrate === true);
}

/**
 * Whether the page's routes' strings go to the browser: a page with React, or with an island
 * (`handle = { island: true }`, ADR 0046), whose module reads the strings root.tsx preloads.
 */
export function pageNeedsStrings(matches: readonly { handle?: unknown }[]) {
  return pageNeedsScripts(matches) || matches.some((match) => (match.handle as { island?: unknown } | undefined)?.island === true);
}
