import { expect } from "vitest";
import { ROUNDING_BASE } from "~/modules/reports/disclosure.server";

/**
 * Every count anywhere in a published value (an object with `value` and `shown`, as the
 * disclosure layer makes them) is a multiple of 5, shown as it is: no raw count escapes.
 * Returns how many it saw, so a test can say it looked at something.
 */
export function expectNoRawCount(value: unknown, path = "report"): number {
  let seen = 0;
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if ("value" in record && "shown" in record) {
      expect(Number(record.value) % ROUNDING_BASE, path).toBe(0);
      expect(record.shown, path).toBe(String(record.value));
      return 1;
    }
    for (const [key, child] of Object.entries(record)) seen += expectNoRawCount(child, `${path}.${key}`);
  }
  return seen;
}
