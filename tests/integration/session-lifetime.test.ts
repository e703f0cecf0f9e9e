import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate, startSession } from "~/modules/accounts/auth.server";
import type { DB } from "~/modules/db/database.server";
import type { Role } from "~/modules/db/schema";
import { createPerson, seedTwoAreas } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";

/**
 * Issue 13: staff sessions used to last 7 days and renew while used. Staff (every role but
 * guardian) are now signed out after 30 minutes idle and 12 hours at most; guardians keep 7 days.
 */
let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
const minutes = (n: number) => n * 60_000;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  areas = await seedTwoAreas(db);
});
afterAll(async () => close());

let people = 0;
async function sessionOf(role: Role, extra?: Role) {
  const { north } = areas;
  const where = {
    schoolId: role === "school" ? north.schools[0]!.id : undefined,
    providerId: role.startsWith("provider") ? north.providers[0]!.id : undefined,
  };
  const person = await createPerson(db, { email: `person${++people}@test.example`, areaId: north.id, role, ...where });
  if (extra) await db.insertInto("membership").values({ area_id: north.id, user_id: person.userId, role: extra }).execute();
  const start = new Date();
  const { setCookie } = await startSession(db, person.userId, person.membershipId, start);
  const cookie = setCookie.split(";")[0]!;
  return { cookie, at: (offset: number) => authenticate(db, cookie, new Date(start.getTime() + offset)) };
}

describe("a staff session", () => {
  for (const role of ["coordinator", "school", "provider_owner", "provider_member", "viewer"] as const) {
    it(`(${role}) ends after 30 minutes without use, and its cookie is cleared`, async () => {
      const session = await sessionOf(role);
      expect((await session.at(minutes(29))).signedIn).not.toBeNull();
      const later = await session.at(minutes(29) + minutes(30) + 1000);
      expect(later.signedIn).toBeNull();
      expect(later.setCookie).toMatch(/Max-Age=0/);
      // Ended for good: using it again does not bring it back.
      expect((await session.at(minutes(29) + minutes(30) + 2000)).signedIn).toBeNull();
    });
  }

  it("lasts while used, but 12 hours after signing in at most", async () => {
    const session = await sessionOf("coordinator");
    for (let t = minutes(20); t < minutes(12 * 60); t += minutes(20)) {
      expect((await session.at(t)).signedIn, `used at ${t / 60_000} minutes`).not.toBeNull();
    }
    expect((await session.at(minutes(12 * 60) + 1000)).signedIn).toBeNull();
  });

  it("writes its new expiry at most once a minute, not on every request", async () => {
    const session = await sessionOf("coordinator");
    const id = (await session.at(0)).signedIn!.session.id;
    const expiry = async () => (await db.selectFrom("auth_session").select("expires_at").where("id", "=", id).executeTakeFirstOrThrow()).expires_at;
    const first = await expiry();
    await session.at(30_000);
    expect((await expiry()).getTime()).toBe(first.getTime());
    await session.at(minutes(5));
    expect((await expiry()).getTime()).toBeGreaterThanOrEqual(first.getTime() + minutes(4));
  });

  it("applies to someone who is also a guardian", async () => {
    const session = await sessionOf("guardian", "viewer");
    expect((await session.at(minutes(31))).signedIn).toBeNull();
  });
});

describe("a guardian's session", () => {
  it("lasts 7 days since last use, renewed (with a fresh cookie) while used", async () => {
    const session = await sessionOf("guardian");
    expect((await session.at(minutes(2 * 60))).signedIn).not.toBeNull();
    const renewed = await session.at(minutes(5 * 24 * 60));
    expect(renewed.signedIn).not.toBeNull();
    expect(renewed.setCookie).toMatch(/Max-Age=604800/);
    expect((await session.at(minutes(11 * 24 * 60))).signedIn).not.toBeNull();
    expect((await session.at(minutes(19 * 24 * 60))).signedIn).toBeNull();
  });
});
