import { useEffect } from "react";

/** A performance mark for when React has hydrated the page: `npm run bench` reports it (issue 18). */
export const HYDRATED_MARK = "pasbort:hydrated";

/** Effects run only after hydration has committed: the first one marks that moment, once a page load. */
export function useHydrationMark() {
  useEffect(() => {
    if (performance.getEntriesByName(HYDRATED_MARK).length === 0) performance.mark(HYDRATED_MARK);
  }, []);
}
