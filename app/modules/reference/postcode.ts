import { toNormalised } from "postcode";

/** Any case, any spacing, in (" ll11  1aa", "LL111AA"); `LL11 1AA` out — or null when it is not a UK postcode. */
export function normalisePostcode(input: string | null | undefined): string | null {
  if (!input) return null;
  const compact = input.replace(/\s+/g, "");
  if (compact.length < 5 || compact.length > 7) return null;
  return toNormalised(compact);
}
