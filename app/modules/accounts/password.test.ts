import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "./password.server";

describe("passwords", () => {
  it("are hashed with argon2id and never kept in clear", async () => {
    const stored = await hashPassword("heather-moor-kestrel-42");
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(stored).not.toContain("heather-moor-kestrel-42");
    expect(await verifyPassword(stored, "heather-moor-kestrel-42")).toBe(true);
    expect(await verifyPassword(stored, "heather-moor-kestrel-43")).toBe(false);
  });

  it("treat a damaged hash as a wrong password, not a crash", async () => {
    expect(await verifyPassword("not-a-hash", "anything")).toBe(false);
  });

  it("refuse short, common and personal passwords, and accept a good one", () => {
    expect(passwordProblem("short")).toBe("tooShort");
    expect(passwordProblem("password123")).toBe("tooCommon");
    expect(passwordProblem("qwertyuiop")).toBe("tooCommon");
    expect(passwordProblem("1234567890")).toBe("tooCommon");
    expect(passwordProblem("sioned.jones2024", ["sioned.jones@example.org"])).toBe("tooCommon");
    expect(passwordProblem("x".repeat(201))).toBe("tooLong");
    expect(passwordProblem("heather-moor-kestrel-42")).toBeNull();
  });
});
