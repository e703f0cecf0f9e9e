/** How the equity report can be broken down (shared by the server and the page). */
export const BREAKDOWNS = ["quintile", "decile", "la", "school", "provider", "category"] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/** Who may open the equity report (its scope narrows what each of them sees). */
export const REPORT_ROLES = ["coordinator", "viewer", "school", "provider_owner", "provider_member"] as const;

/**
 * Who may ask for a custom period (other dates than a term or an academic year): only the
 * area's coordinators, and the figures say they are for internal use. Everyone else gets
 * published periods only, which cannot be differenced against each other.
 */
export function mayAskCustomPeriod(role: string): boolean {
  return role === "coordinator";
}
