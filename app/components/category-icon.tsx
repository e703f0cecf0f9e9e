import type { Category } from "~/modules/db/schema";

/**
 * Activity types as line drawings, not emoji: some phones show emoji as empty boxes. Always
 * beside the type's name in words; the drawing itself is hidden from screen readers.
 */
const PATHS: Record<Category, string> = {
  // A ball.
  sport: "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18M12 7l4 3-1.5 4.5h-5L8 10zM12 3v4M16 10l4.5-1.5M14.5 14.5l2.5 4M9.5 14.5l-2.5 4M8 10 3.5 8.5",
  // A heart held out.
  volunteering: "M12 20s-7-4.5-7-10a4 4 0 0 1 7-2.5A4 4 0 0 1 19 10c0 5.5-7 10-7 10z",
  // A tree.
  nature: "M12 3 5 14h14zM12 8l-5 9h10zM12 17v4M9 21h6",
  // A palette with paint.
  arts: "M12 3a9 9 0 1 0 0 18c1.5 0 2-1 2-2s-1-1.5-1-2.5 1-1.5 2-1.5h2a4 4 0 0 0 4-4c0-4.5-4-8-9-8zM7.5 11h.01M10 7h.01M15 7h.01",
  // A flask.
  stem: "M9 3h6M10 3v6L4.5 18.5A1.5 1.5 0 0 0 6 21h12a1.5 1.5 0 0 0 1.5-2.5L14 9V3M7 15h10",
  // An open book.
  reading: "M3 5h6a3 3 0 0 1 3 3v12a2 2 0 0 0-2-2H3zM21 5h-6a3 3 0 0 0-3 3v12a2 2 0 0 1 2-2h7z",
  // Two houses.
  community: "M2 12l5-5 5 5M4 10v10h6V10M12 12l5-5 5 5M14 10v10h6V10",
  // A speech bubble: the language.
  welsh: "M4 5h16v11H9l-5 4zM8 9h8M8 12h5",
};

/** One line drawing: the same frame and stroke for every icon. */
function LineIcon({ path, className }: { path: string; className: string }) {
  return (
    <svg
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
      className={className}
      fill="none"
      stroke="currentColor"
      strokeWidth={1.75}
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={path} />
    </svg>
  );
}

export function CategoryIcon({ category, className = "h-8 w-8" }: { category: string; className?: string }) {
  const path = PATHS[category as Category];
  if (!path) return null;
  return <LineIcon path={path} className={className} />;
}

// Two ribbons and the medal hanging from them, with a star.
const MEDAL = "M8 2l3 7M16 2l-3 7M12 9a6 6 0 1 0 0 12a6 6 0 1 0 0-12M12 12.5l1 2 2.2.3-1.6 1.5.4 2.2-2-1-2 1 .4-2.2-1.6-1.5 2.2-.3z";

/** An award's medal, drawn for the same reason (🏅 is an empty box on some phones); hidden from screen readers, always beside words. */
export function AwardIcon({ className = "inline-block h-6 w-6 align-text-bottom" }: { className?: string }) {
  return <LineIcon path={MEDAL} className={className} />;
}
