import type { Role } from "../db/schema";

/**
 * The roles each invitation form offers. Kept out of the .server modules because the forms
 * in the browser list them too.
 */
export const INVITABLE_ROLES = ["coordinator", "school", "provider_owner", "provider_member", "viewer", "guardian"] as const satisfies readonly Role[];
export const STAFF_INVITABLE_ROLES = ["provider_member", "provider_owner"] as const satisfies readonly Role[];
