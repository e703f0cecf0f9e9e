/** How the equity report can be broken down (shared by the server and the page). */
export const BREAKDOWNS = ["quintile", "decile", "la", "school", "provider", "category"] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/** Who may open the equity report (its scope narrows what each of them sees). */
export const REPORT_ROLES = ["coordinator", "viewer", "school", "provider_owner", "provider_member"] as const;
