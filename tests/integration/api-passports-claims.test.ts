import { randomBytes } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import { createApiToken } from "~/modules/accounts/api-tokens.server";
import { withdrawChild } from "~/modules/children/data-rights.server";
import { claimTicket, formatShortCode, screenWindow, sessionCodeToken, shortCode, type SessionKey } from "~/modules/claims/session-code-token.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import type { Role } from "~/modules/db/schema";
import { formatPassportNumber, passportCheckCharacter } from "~/modules/passports/passport-number";
import { replacePassportCard } from "~/modules/passports/passport.server";
import { action as claimsAction, loader as claimsLoader } from "~/routes/api.v1.claims";
import { action as passportAction, loader as passportLoader } from "~/routes/api.v1.passports.$number";
import { contextFor, createPerson, seedTwoAreas, signedOutContext } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
/** Provider 0 of the north area's token: child 0 of the north took part with it, child 1 with provider 1. */
let token: string;
const people: Record<string, { userId: string; membership: Membership; context: AppLoadContext }> = {};
const numbers: Record<string, string> = {};
/** Family A: north child 0 and a sibling; family B: north child 1. */
const family: { a: string[]; b: string[] } = { a: [], b: [] };

/** A north passport number with a valid check character, from seven characters. */
function validNumber(body: string) {
  return formatPassportNumber("NA", body + passportCheckCharacter(body));
}

async function numberOf(childId: string) {
  return (await db.selectFrom("child").select("passport_number").where("id", "=", childId).executeTakeFirstOrThrow()).passport_number;
}

let sessionsMade = 0;
/**
 * A session of the north area that started `minutesAgo` minutes ago and lasts an hour; activity 0 credits at once, activity 1 needs approval.
 * By default each is 70 minutes before the one made before it, since a child cannot be credited for two sessions at once.
 */
async function newSession(activity = 0, minutesAgo = 10 + 70 * sessionsMade++, area: "north" | "south" = "north") {
  const startsAt = new Date(Date.now() - minutesAgo * 60_000);
  const row = await db
    .insertInto("activity_session")
    .values({
      area_id: areas[area].id,
      activity_id: areas[area].activities[activity]!.id,
      starts_at: startsAt,
      ends_at: new Date(startsAt.getTime() + 3600_000),
      quarter_hours: 4,
      claim_secret: randomBytes(32).toString("hex"),
    })
    .returning(["id", "area_id", "claim_secret", "starts_at", "ends_at"])
    .executeTakeFirstOrThrow();
  const key: SessionKey = { id: row.id, areaId: row.area_id, claimSecret: row.claim_secret, startsAt: row.starts_at, endsAt: row.ends_at };
  return key;
}

async function addPerson(name: string, role: Role, extra: { providerId?: string; childIds?: string[]; areaId?: string } = {}) {
  const person = await createPerson(db, { email: `${name.toLowerCase()}@api-claims.example`, areaId: extra.areaId ?? areas.north.id, role, ...extra });
  const membership = (await loadMemberships(db, person.userId))[0]!;
  people[name] = { userId: person.userId, membership, context: await contextFor(db, person.userId, person.membershipId) };
}

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  const { north } = areas;
  const sibling = await db
    .insertInto("child")
    .values({
      area_id: north.id,
      passport_number: validNumber("9AAAAAA"),
      passport_token: randomBytes(16).toString("hex"),
      given_name: "Sibling",
      family_name: "North",
      birth_year: 2017,
      birth_month: 3,
      school_id: north.schools[0]!.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  family.a = [north.children[0]!.id, sibling.id];
  family.b = [north.children[1]!.id];
  await db.updateTable("activity").set({ claims_need_approval: true }).where("id", "=", north.activities[1]!.id).execute();
  await addPerson("owner0", "provider_owner", { providerId: north.providers[0]!.id });
  await addPerson("guardianA", "guardian", { childIds: family.a });
  await addPerson("guardianB", "guardian", { childIds: family.b });
  await addPerson("coordinator", "coordinator");
  token = (await createApiToken(db, people.owner0!.membership, north.providers[0]!.id, { name: "Kiosk" })).token;
  numbers.own = await numberOf(north.children[0]!.id);
  numbers.otherProvider = await numberOf(north.children[1]!.id);
  numbers.neverTookPart = await numberOf(sibling.id);
  numbers.otherArea = await numberOf(areas.south.children[0]!.id);
});
afterAll(async () => close());

function getPassport(number: string, headers: Record<string, string> = {}) {
  return passportLoader({
    request: new Request(`http://pasbort.test/api/v1/passports/${encodeURIComponent(number)}`, { headers: { Authorization: `Bearer ${token}`, ...headers } }),
    context: signedOutContext,
    params: { number },
  });
}

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  const body = await response.json();
  expect(body.error.code).toBe(code);
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  return body as { error: { code: string; message: string } };
}

describe("GET /api/v1/passports/{number}", () => {
  it("shows one of the provider's own participants as staff see them: given name, family initial, total of active credits", async () => {
    // A second credit of child 0's, revoked: it does not count.
    const session = await newSession(0, 60 * 24);
    await db
      .insertInto("credit")
      .values({
        area_id: areas.north.id,
        child_id: areas.north.children[0]!.id,
        provider_id: areas.north.providers[0]!.id,
        activity_id: areas.north.activities[0]!.id,
        session_id: session.id,
        quarter_hours: 8,
        earned_on: "2026-10-02",
        method: "passport_scan",
        idempotency_key: "revoked-one",
        revoked_at: new Date(),
        revoked_by: people.owner0!.userId,
        revoke_reason: "Scanned the wrong card",
      })
      .execute();
    const response = await getPassport(numbers.own!);
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.json()).toEqual({ passportNumber: numbers.own, givenName: "Child0", familyInitial: "N", totalHours: 1 });
    // Any case, without hyphens.
    const loose = await getPassport(numbers.own!.toLowerCase().replace(/-/g, ""));
    expect((await loose.json()).passportNumber).toBe(numbers.own);
  });

  it("answers every number it may not show with the same 404 UNKNOWN_PASSPORT, so numbers cannot be probed", async () => {
    const otherProvider = await expectError(await getPassport(numbers.otherProvider!), 404, "UNKNOWN_PASSPORT");
    const neverTookPart = await expectError(await getPassport(numbers.neverTookPart!), 404, "UNKNOWN_PASSPORT");
    const otherArea = await expectError(await getPassport(numbers.otherArea!), 404, "UNKNOWN_PASSPORT");
    // A well-formed number (valid check character) that no child has.
    const unknown = await expectError(await getPassport(validNumber("8AAAAAA")), 404, "UNKNOWN_PASSPORT");
    const garbage = await expectError(await getPassport("not-a-number"), 404, "UNKNOWN_PASSPORT");
    for (const body of [neverTookPart, otherArea, unknown, garbage]) expect(body).toEqual(otherProvider);
  });

  it("refuses a mistyped number (the check character does not fit) with 422 PASSPORT_NUMBER_MISTYPED, in Welsh when asked", async () => {
    const own = numbers.own!;
    const typo = own.slice(0, -1) + (own.endsWith("2") ? "3" : "2");
    const body = await expectError(await getPassport(typo, { "Accept-Language": "cy" }), 422, "PASSPORT_NUMBER_MISTYPED");
    expect(body.error.message).toContain("rhif y pasbort");
    // Also for another provider's participant: the check comes before any lookup.
    const other = numbers.otherProvider!;
    await expectError(await getPassport(other.slice(0, -1) + (other.endsWith("2") ? "3" : "2")), 422, "PASSPORT_NUMBER_MISTYPED");
  });

  it("forgets a withdrawn child (404), and keeps answering for a replaced card: the number is the child's, not the card's", async () => {
    const child = await db
      .insertInto("child")
      .values({
        area_id: areas.north.id,
        passport_number: validNumber("7AAAAAA"),
        passport_token: randomBytes(16).toString("hex"),
        given_name: "Leaving",
        family_name: "Jones",
        birth_year: 2015,
        birth_month: 1,
        school_id: areas.north.schools[0]!.id,
      })
      .returning(["id", "passport_number"])
      .executeTakeFirstOrThrow();
    await db
      .insertInto("credit")
      .values({
        area_id: areas.north.id,
        child_id: child.id,
        provider_id: areas.north.providers[0]!.id,
        activity_id: areas.north.activities[0]!.id,
        session_id: areas.north.sessions[0]!.id,
        quarter_hours: 4,
        earned_on: "2026-10-01",
        method: "passport_scan",
        idempotency_key: "leaving-1",
      })
      .execute();
    await addPerson("guardianC", "guardian", { childIds: [child.id] });
    await replacePassportCard(db, people.guardianC!.membership, child.id);
    const replaced = await getPassport(child.passport_number);
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ givenName: "Leaving", familyInitial: "J", totalHours: 1 });
    expect(await withdrawChild(db, people.guardianC!.membership, child.id, true)).toEqual({ ok: true });
    await expectError(await getPassport(child.passport_number), 404, "UNKNOWN_PASSPORT");
  });

  it("needs a token and takes only GET", async () => {
    await expectError(await getPassport(numbers.own!, { Authorization: "" }), 401, "UNAUTHORIZED");
    await expectError(await getPassport(numbers.own!, { Authorization: "Bearer pbt_nonsense" }), 401, "UNAUTHORIZED");
    const post = await passportAction({
      request: new Request(`http://pasbort.test/api/v1/passports/${numbers.own}`, { method: "POST", headers: { Authorization: `Bearer ${token}` } }),
      context: signedOutContext,
      params: { number: numbers.own },
    });
    expect(post.status).toBe(405);
    expect(post.headers.get("Allow")).toBe("GET");
  });
});

function postClaim(who: string | null, body: unknown, headers: Record<string, string> = {}) {
  return claimsAction({
    request: new Request("http://pasbort.test/api/v1/claims", {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    context: who ? people[who]!.context : signedOutContext,
    params: {},
  });
}

async function creditsOf(sessionId: string) {
  return db.selectFrom("credit").select(["child_id", "method", "issued_by", "revoked_at"]).where("session_id", "=", sessionId).execute();
}

describe("POST /api/v1/claims", () => {
  it("credits a guardian's children from the QR code's address, and a second claim adds nothing", async () => {
    const session = await newSession(0);
    const code = `http://pasbort.test/claim/${sessionCodeToken(session, "screen")}`;
    const response = await postClaim("guardianA", { code, childIds: family.a });
    expect(response.status).toBe(201);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const body = await response.json();
    expect(body).toEqual({
      needsApproval: false,
      results: [
        { childId: family.a[0], givenName: "Child0", outcome: "credited", hours: 1, totalHours: 2 },
        { childId: family.a[1], givenName: "Sibling", outcome: "credited", hours: 1, totalHours: 1 },
      ],
    });
    const credits = await creditsOf(session.id);
    expect(credits).toHaveLength(2);
    expect(credits.every((credit) => credit.method === "session_code" && credit.issued_by === people.guardianA!.userId)).toBe(true);

    const again = await postClaim("guardianA", { code: sessionCodeToken(session, "screen"), childIds: [family.a[0]] });
    expect(again.status).toBe(201);
    expect((await again.json()).results).toEqual([{ childId: family.a[0], givenName: "Child0", outcome: "already" }]);
    expect(await creditsOf(session.id)).toHaveLength(2);
  });

  it("leaves the claim waiting when the activity's claims need the provider's approval", async () => {
    const session = await newSession(1);
    const response = await postClaim("guardianB", { code: sessionCodeToken(session, "screen"), childIds: family.b });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ needsApproval: true, results: [{ childId: family.b[0], givenName: "Child1", outcome: "pending" }] });
    expect(await creditsOf(session.id)).toHaveLength(0);
    const claims = await db.selectFrom("credit_claim").select(["child_id", "status", "claimed_by"]).where("session_id", "=", session.id).execute();
    expect(claims).toEqual([{ child_id: family.b[0], status: "pending", claimed_by: people.guardianB!.userId }]);
  });

  it("takes the 8 digits typed from the screen", async () => {
    const session = await newSession(0);
    const typed = formatShortCode(shortCode(session, screenWindow(new Date())));
    const response = await postClaim("guardianB", { code: typed, childIds: family.b });
    expect(response.status).toBe(201);
    expect((await response.json()).results).toEqual([{ childId: family.b[0], givenName: "Child1", outcome: "credited", hours: 1, totalHours: 2 }]);
    await expectError(await postClaim("guardianB", { code: "0000 0000", childIds: family.b }), 422, "CODE_INVALID");
  });

  it("answers each child refused when the session cannot earn credits, with the reason in the asked language", async () => {
    const session = await newSession(0);
    await db.updateTable("activity_session").set({ cancelled_at: new Date() }).where("id", "=", session.id).execute();
    const response = await postClaim("guardianA", { code: sessionCodeToken(session, "screen"), childIds: [family.a[0]] }, { "Accept-Language": "cy" });
    expect(response.status).toBe(201);
    const [result] = (await response.json()).results;
    expect(result).toMatchObject({ childId: family.a[0], givenName: "Child0", outcome: "refused", code: "SESSION_CANCELLED", reason: null });
    expect(result.message).toMatch(/\S/);
    expect(result.message).not.toContain("cancelled");
    expect(await creditsOf(session.id)).toHaveLength(0);
  });

  it("never claims for another family's child: ignored beside the guardian's own, refused on its own", async () => {
    const session = await newSession(0);
    const code = sessionCodeToken(session, "screen");
    const mixed = await postClaim("guardianA", { code, childIds: [family.a[1], family.b[0]] });
    expect(mixed.status).toBe(201);
    const results = (await mixed.json()).results;
    expect(results[0]).toMatchObject({ childId: family.a[1], outcome: "credited" });
    expect(results[1]).toEqual({
      childId: family.b[0],
      givenName: null,
      outcome: "refused",
      code: "CHILD_NOT_FOUND",
      message: "This child is not linked to your account.",
      reason: null,
    });
    // The same answer for an id no child has.
    const unknownId = "00000000-0000-4000-8000-000000000000";
    const unknown = await postClaim("guardianA", { code, childIds: [family.a[1], unknownId] });
    expect((await unknown.json()).results[1]).toEqual({ ...results[1], childId: unknownId });

    await expectError(await postClaim("guardianA", { code, childIds: [family.b[0]] }), 422, "CHILD_NOT_FOUND");
    const credits = await creditsOf(session.id);
    expect(credits.map((credit) => credit.child_id)).toEqual([family.a[1]]);
  });

  it("refuses tampered, expired, someone else's and another area's codes with 422", async () => {
    const session = await newSession(0);
    const good = sessionCodeToken(session, "screen");
    const tampered = good.slice(0, 10) + (good[10] === "A" ? "B" : "A") + good.slice(11);
    const body = await expectError(await postClaim("guardianA", { code: tampered, childIds: family.a }), 422, "CODE_INVALID");
    expect(body.error.message).toBe("This session code does not work. Scan the code on the screen again, or type the number shown there now.");
    await expectError(await postClaim("guardianA", { code: "nonsense", childIds: family.a }), 422, "CODE_INVALID");
    // A screen code from five minutes ago.
    await expectError(
      await postClaim("guardianA", { code: sessionCodeToken(session, "screen", new Date(Date.now() - 5 * 60_000)), childIds: family.a }),
      422,
      "CODE_EXPIRED",
    );
    // Guardian B's ticket is of no use to guardian A.
    await expectError(
      await postClaim("guardianA", { code: claimTicket(session, "screen", people.guardianB!.userId), childIds: family.a }),
      422,
      "CODE_INVALID",
    );
    // A code of the south area, for a guardian of the north.
    const south = await newSession(0, 10, "south");
    await expectError(await postClaim("guardianA", { code: sessionCodeToken(south, "screen"), childIds: family.a }), 422, "CODE_INVALID");
    expect(await creditsOf(session.id)).toHaveLength(0);
    expect(await creditsOf(south.id)).toHaveLength(0);
  });

  it("is for a signed-in guardian only: 401 signed out (a bearer token does not help), 403 for other roles", async () => {
    const session = await newSession(0);
    const code = sessionCodeToken(session, "screen");
    const signedOut = await postClaim(null, { code, childIds: family.a });
    await expectError(signedOut, 401, "UNAUTHORIZED");
    expect(signedOut.headers.get("WWW-Authenticate")).toBe('Cookie realm="pasbort"');
    await expectError(await postClaim(null, { code, childIds: family.a }, { Authorization: `Bearer ${token}` }), 401, "UNAUTHORIZED");
    const staff = await expectError(await postClaim("owner0", { code, childIds: family.a }), 403, "FORBIDDEN");
    expect(staff.error.message).toBe("Only a parent or carer can claim with a session code.");
    await expectError(await postClaim("coordinator", { code, childIds: family.a }), 403, "FORBIDDEN");
    expect(await creditsOf(session.id)).toHaveLength(0);
  });

  it("says plainly what is wrong with a bad body, and takes only POST", async () => {
    const session = await newSession(0);
    const code = sessionCodeToken(session, "screen");
    await expectError(await postClaim("guardianA", "{not json"), 400, "BAD_REQUEST");
    await expectError(await postClaim("guardianA", JSON.stringify({ code, childIds: family.a }), { "Content-Type": "text/plain" }), 400, "BAD_REQUEST");
    const noChildren = await expectError(await postClaim("guardianA", { code, childIds: [] }), 400, "BAD_REQUEST");
    expect(noChildren.error.message).toContain("childIds");
    const noCode = await expectError(await postClaim("guardianA", { childIds: family.a }), 400, "BAD_REQUEST");
    expect(noCode.error.message).toContain("code");
    const welsh = await expectError(await postClaim("guardianA", { code, childIds: "all" }, { "Accept-Language": "cy" }), 400, "BAD_REQUEST");
    expect(welsh.error.message).toContain("childIds");
    expect(welsh.error.message).toContain("Rhaid");
    expect(await creditsOf(session.id)).toHaveLength(0);
    const get = await claimsLoader({ request: new Request("http://pasbort.test/api/v1/claims"), context: people.guardianA!.context, params: {} });
    expect(get.status).toBe(405);
    expect(get.headers.get("Allow")).toBe("POST");
  });
});
