import { describe, expect, it } from "vitest";
import { backoffMinutes, clientNetwork, SIGN_IN_PER_ACCOUNT_AND_ADDRESS } from "./rate-limit.server";

describe("clientNetwork", () => {
  it("keeps an IPv4 address, unwraps an IPv4-mapped one and counts IPv6 by its /64", () => {
    expect(clientNetwork("203.0.113.9")).toBe("203.0.113.9");
    expect(clientNetwork("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(clientNetwork("2001:db8:0:1::1")).toBe("2001:db8:0:1::/64");
    expect(clientNetwork("2001:0db8:0000:0001:ffff:0:0:2")).toBe("2001:db8:0:1::/64");
    expect(clientNetwork("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientNetwork("::1")).toBe("0:0:0:0::/64");
    expect(clientNetwork("unknown")).toBe("unknown");
  });
});

describe("backoffMinutes", () => {
  it("lets five failures through, then doubles the wait from one minute up to an hour", () => {
    const waits = Array.from({ length: 14 }, (_, n) => backoffMinutes(SIGN_IN_PER_ACCOUNT_AND_ADDRESS, n + 1));
    expect(waits).toEqual([0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]);
  });
});
