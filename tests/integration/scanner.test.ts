import { randomBytes, randomUUID } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import { revokeFromSessionPage } from "~/modules/credits/session-credits.server";
import type { DB } from "~/modules/db/database.server";
import type { Role } from "~/modules/db/schema";
import { setDb } from "~/modules/db/db.server";
import { formatPassportNumber, passportCheckCharacter } from "~/modules/passports/passport-number";
import { action as creditsAction, loader as creditsLoader } from "~/routes/provider.sessions.$sessionId_.credits";
import { action as scanAction, loader as scanLoader } from "~/routes/provider.sessions.$sessionId_.scan";
import { action as sessionAction, loader as sessionLoader } from "~/routes/provider.sessions.$sessionId";
import { contextFor, createPerson, insertSession, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";
import { unwrap } from "../support/route-result";

const ORIGIN = "http://pasbort.test";

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
type Person = { userId: string; context: AppLoadContext; membership: Membership };
const people: Record<string, Person> = {};
/** A session of north provider 0 that started ten minutes ago, and one that starts tomorrow. */
let openSession: string;
let futureSession: string;
const kids: Record<string, { id: string; token: string; number: string }> = {};

async function person(name: string, role: Role, extra: { providerId?: string; schoolId?: string; areaId?: string; childIds?: string[] } = {}) {
  const { areaId = areas.north.id, ...rest } = extra;
  const created = await createPerson(db, { email: `${name.toLowerCase()}@test.example`, areaId, role, ...rest });
  people[name] = { userId: created.userId, context: await contextFor(db, created.userId), membership: (await loadMemberships(db, created.userId))[0]! };
}

async function newSession(startsAt: Date, provider = 0) {
  return insertSession(db, { areaId: areas.north.id, activityId: areas.north.activities[provider]!.id, startsAt, minutes: 90, quarterHours: 6 });
}

/** A child of the north area with a known passport number and token. */
async function newChild(name: string, body: string) {
  const number = formatPassportNumber("NA", body + passportCheckCharacter(body));
  const token = randomBytes(16).toString("hex");
  const row = await db
    .insertInto("child")
    .values({
      area_id: areas.north.id,
      passport_number: number,
      passport_token: token,
      given_name: name,
      family_name: "Pritchard",
      birth_year: 2016,
      birth_month: 3,
      school_id: areas.north.schools[0]!.id,
      home_lsoa_code: (await db.selectFrom("child").select("home_lsoa_code").where("id", "=", areas.north.children[0]!.id).executeTakeFirstOrThrow())
        .home_lsoa_code,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  kids[name] = { id: row.id, token, number };
}

function scanJson(sessionId: string, who: AppLoadContext, body: unknown) {
  return creditsAction({
    request: new Request(`${ORIGIN}/provider/sessions/${sessionId}/credits`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }),
    context: who,
    params: { sessionId },
  });
}

function form(path: string, fields: Record<string, string>) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return new Request(`${ORIGIN}${path}`, { method: "POST", body });
}

const creditsOf = (sessionId: string) => db.selectFrom("credit").selectAll().where("session_id", "=", sessionId).orderBy("created_at").execute();

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  const [p0, p1] = areas.north.providers;
  await person("owner0", "provider_owner", { providerId: p0!.id });
  await person("member0", "provider_member", { providerId: p0!.id });
  await person("member1", "provider_member", { providerId: p1!.id });
  await person("coordinator", "coordinator");
  await person("viewer", "viewer");
  await person("school", "school", { schoolId: areas.north.schools[0]!.id });
  await person("guardian", "guardian", { childIds: [areas.north.children[0]!.id] });
  await person("southOwner", "provider_owner", { areaId: areas.south.id, providerId: areas.south.providers[0]!.id });
  openSession = await newSession(new Date(Date.now() - 10 * 60_000));
  futureSession = await newSession(new Date(Date.now() + 86_400_000));
  for (const [index, child] of areas.north.children.entries()) {
    const row = await db.selectFrom("child").select(["passport_token", "passport_number", "given_name"]).where("id", "=", child.id).executeTakeFirstOrThrow();
    kids[`child${index}`] = { id: child.id, token: row.passport_token!, number: row.passport_number! };
  }
  await newChild("Alaw", "7K3M9Q2");
  await newChild("Ianto", "8H4N2R5");
});
afterAll(async () => close());

describe("POST /provider/sessions/:id/credits (the scanner's JSON door)", () => {
  it("gives a credit from a passport's QR address, names the child by first name and initial, and replays a retried key", async () => {
    const key = randomUUID();
    const first = await scanJson(openSession, people.member0!.context, { passport: `https://pasbort.test/p/${kids.child0!.token}`, idempotencyKey: key });
    expect(first.status).toBe(201);
    const body = await first.json();
    expect(body).toMatchObject({
      replayed: false,
      credit: { hours: 1.5 },
      child: { givenName: "Child0", familyInitial: "N", totalHours: 2.5 },
      awardsReached: [],
    });

    // The phone lost the answer and sends the same scan again: the first answer, no second credit.
    const again = await scanJson(openSession, people.member0!.context, { passport: `https://pasbort.test/p/${kids.child0!.token}`, idempotencyKey: key });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ replayed: true, credit: { id: body.credit.id }, child: { totalHours: 2.5 } });

    const rows = await creditsOf(openSession);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      child_id: kids.child0!.id,
      method: "passport_scan",
      issued_by: people.member0!.userId,
      provider_id: areas.north.providers[0]!.id,
      idempotency_key: key,
    });
  });

  it("takes a bare token and a typed passport number too, and says plainly why not", async () => {
    const byToken = await scanJson(openSession, people.owner0!.context, { passport: kids.Alaw!.token, idempotencyKey: randomUUID() });
    expect(byToken.status).toBe(201);
    expect((await byToken.json()).child).toMatchObject({ givenName: "Alaw", familyInitial: "P", totalHours: 1.5 });

    const typed = await scanJson(openSession, people.owner0!.context, {
      passport: kids.Ianto!.number.toLowerCase().replaceAll("-", " "),
      idempotencyKey: randomUUID(),
    });
    expect(typed.status).toBe(201);

    const twice = await scanJson(openSession, people.owner0!.context, { passport: kids.Ianto!.number, idempotencyKey: randomUUID() });
    expect(twice.status).toBe(409);
    expect(await twice.json()).toEqual({
      error: { code: "ALREADY_CREDITED", message: "This child already has the credit for this session." },
      child: { givenName: "Ianto", familyInitial: "P" },
    });

    const typo = kids.Ianto!.number.slice(0, -1) + (kids.Ianto!.number.endsWith("Z") ? "Y" : "Z");
    const mistyped = await scanJson(openSession, people.owner0!.context, { passport: typo, idempotencyKey: randomUUID() });
    expect(mistyped.status).toBe(422);
    expect((await mistyped.json()).error.code).toBe("PASSPORT_NUMBER_MISTYPED");

    const early = await scanJson(futureSession, people.owner0!.context, { passport: kids.Alaw!.token, idempotencyKey: randomUUID() });
    expect(early.status).toBe(422);
    expect((await early.json()).error.code).toBe("SESSION_NOT_STARTED");

    const bad = await scanJson(openSession, people.owner0!.context, { passport: kids.Alaw!.token });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("BAD_REQUEST");
  });

  it("refuses a child at two sessions at once, even at two providers, with its own code", async () => {
    // Alaw has the open session's credit (above: from 10 minutes ago, for 90 minutes). Provider 1's session from 40 minutes ago overlaps it.
    const elsewhere = await newSession(new Date(Date.now() - 40 * 60_000), 1);
    const clash = await scanJson(elsewhere, people.member1!.context, { passport: kids.Alaw!.token, idempotencyKey: randomUUID() });
    expect(clash.status).toBe(409);
    expect(await clash.json()).toEqual({
      error: {
        code: "OVERLAPPING_SESSION",
        message: "This child already has a credit for another session at the same time. A child can be at only one session at a time.",
      },
      child: { givenName: "Alaw", familyInitial: "P" },
    });
    expect(await creditsOf(elsewhere)).toEqual([]);
  });

  it("answers 401 JSON signed out, 403 for roles that never scan, and 404 for anyone else's session", async () => {
    const before = (await creditsOf(openSession)).length;
    const body = () => ({ passport: kids.child1!.token, idempotencyKey: randomUUID() });
    const signedOut = await scanJson(openSession, signedOutContext, body());
    expect(signedOut.status).toBe(401);
    expect((await signedOut.json()).error.code).toBe("UNAUTHORIZED");
    for (const role of ["viewer", "guardian", "school"]) {
      const response = await scanJson(openSession, people[role]!.context, body());
      expect(response.status, role).toBe(403);
      expect((await response.json()).error.code, role).toBe("FORBIDDEN");
    }
    // A member of provider 1 cannot scan into provider 0's session; another area's owner cannot either.
    for (const who of ["member1", "southOwner"]) {
      const response = await scanJson(openSession, people[who]!.context, body());
      expect(response.status, who).toBe(404);
      expect((await response.json()).error.code, who).toBe("SESSION_NOT_FOUND");
    }
    const notAnId = await scanJson("not-a-session", people.owner0!.context, body());
    expect(notAnId.status).toBe(404);
    expect((await creditsOf(openSession)).length).toBe(before);
  });

  it("lets the area's coordinator scan into any session of the area, for that session's provider", async () => {
    const response = await scanJson(openSession, people.coordinator!.context, { passport: kids.child1!.token, idempotencyKey: randomUUID() });
    expect(response.status).toBe(201);
    const row = (await creditsOf(openSession)).find((credit) => credit.child_id === kids.child1!.id);
    expect(row).toMatchObject({ provider_id: areas.north.providers[0]!.id, issued_by: people.coordinator!.userId });
  });

  it("only takes POST", async () => {
    const response = await creditsLoader({
      request: new Request(`${ORIGIN}/provider/sessions/${openSession}/credits`),
      context: people.owner0!.context,
      params: { sessionId: openSession },
    });
    expect(response.status).toBe(405);
  });
});

describe("the scanner page", () => {
  const path = () => `/provider/sessions/${openSession}/scan`;
  const load = (context: AppLoadContext, sessionId = openSession) =>
    settle(scanLoader({ request: new Request(`${ORIGIN}/provider/sessions/${sessionId}/scan`), context, params: { sessionId } }));

  it("opens for the session's staff and the coordinator, saying whether the session can earn credits now", async () => {
    for (const who of ["owner0", "member0", "coordinator"]) {
      const page = unwrap(await load(people[who]!.context));
      expect(page.status, who).toBe(200);
      expect(page.data).toMatchObject({ openness: "OPEN", owner: people[who]!.userId, session: { id: openSession } });
      expect(page.data.formKey).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(unwrap(await load(people.owner0!.context, futureSession)).data.openness).toBe("SESSION_NOT_STARTED");
  });

  it("sends the signed-out to sign in, refuses other roles, and hides other providers' sessions", async () => {
    const signedOut = unwrap(await load(signedOutContext));
    expect(signedOut.status).toBe(302);
    expect(signedOut.location).toBe(`/login?redirectTo=${encodeURIComponent(path())}`);
    for (const role of ["viewer", "guardian", "school"]) expect(unwrap(await load(people[role]!.context)).status, role).toBe(403);
    for (const who of ["member1", "southOwner"]) expect(unwrap(await load(people[who]!.context)).status, who).toBe(404);
  });

  it("gives a credit from the typed-number form without JavaScript, and a resent form does not count twice", async () => {
    // Ended before the open session began (Alaw has its credit): a child is at one session at a time.
    const sessionId = await newSession(new Date(Date.now() - 120 * 60_000));
    const post = (fields: Record<string, string>, who = people.member0!) =>
      settle(scanAction({ request: form(`/provider/sessions/${sessionId}/scan`, fields), context: who.context, params: { sessionId } }));
    const formKey = randomUUID();
    const first = unwrap(await post({ passport: kids.Alaw!.number, idempotencyKey: formKey }));
    expect(first.data).toMatchObject({ result: { kind: "issued", child: { givenName: "Alaw", familyInitial: "P" }, hours: 1.5, totalHours: 3 }, typed: "" });

    // The browser's "resend the form?" after a refresh: the same key, so the first answer again.
    const resent = unwrap(await post({ passport: kids.Alaw!.number, idempotencyKey: formKey }));
    expect(resent.data.result).toMatchObject({ kind: "issued", replayed: true, totalHours: 3 });
    expect(await creditsOf(sessionId)).toHaveLength(1);

    const typo = kids.Ianto!.number.slice(0, -1) + (kids.Ianto!.number.endsWith("Z") ? "Y" : "Z");
    const mistyped = unwrap(await post({ passport: typo, idempotencyKey: randomUUID() }));
    expect(mistyped.data).toMatchObject({ result: { kind: "refused", code: "PASSPORT_NUMBER_MISTYPED", child: null }, typed: typo });

    const empty = unwrap(await post({ passport: " ", idempotencyKey: randomUUID() }));
    expect(empty.status).toBe(400);
    expect(empty.data.fieldError).toBe("scanner.errors.passportRequired");

    expect(unwrap(await post({ passport: kids.Ianto!.number, idempotencyKey: randomUUID() }, people.member1!)).status).toBe(404);
    expect(unwrap(await post({ passport: kids.Ianto!.number, idempotencyKey: randomUUID() }, people.viewer!)).status).toBe(403);
    expect(await creditsOf(sessionId)).toHaveLength(1);
  });
});

describe("the session page's credits and revoking", () => {
  let sessionId: string;
  let creditId: string;

  beforeAll(async () => {
    // Before the open session, where Ianto already has a credit: a child is at one session at a time.
    sessionId = await newSession(new Date(Date.now() - 240 * 60_000));
    const response = await scanJson(sessionId, people.member0!.context, { passport: kids.Ianto!.token, idempotencyKey: randomUUID() });
    creditId = (await response.json()).credit.id;
  });

  const revoke = (who: Person, fields: Record<string, string>) =>
    settle(sessionAction({ request: form(`/provider/sessions/${sessionId}?revoke=${fields.creditId}`, fields), context: who.context, params: { sessionId } }));

  it("lists the session's credits with who gave them and how", async () => {
    const page = unwrap(
      await settle(sessionLoader({ request: new Request(`${ORIGIN}/provider/sessions/${sessionId}`), context: people.owner0!.context, params: { sessionId } })),
    );
    expect(page.data.credits).toEqual([
      expect.objectContaining({
        id: creditId,
        child: { givenName: "Ianto", familyInitial: "P" },
        method: "passport_scan",
        issuedBy: "member0",
        revokedAt: null,
        canRevoke: true,
      }),
    ]);
  });

  it("needs a reason, and refuses staff of another provider", async () => {
    const noReason = unwrap(await revoke(people.owner0!, { intent: "revoke", creditId, reason: "  " }));
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors.reason).toBe("sessionCredits.errors.REASON_REQUIRED");
    expect(unwrap(await revoke(people.member1!, { intent: "revoke", creditId, reason: "Not ours" })).status).toBe(404);
    expect(unwrap(await revoke(people.viewer!, { intent: "revoke", creditId, reason: "Not ours" })).status).toBe(403);
    // A credit of another session cannot be revoked from this one's page.
    const other = (await creditsOf(openSession))[0]!;
    const elsewhere = unwrap(await revoke(people.owner0!, { intent: "revoke", creditId: other.id, reason: "Wrong page" }));
    expect(elsewhere.data.formError).toBe("sessionCredits.errors.NOT_FOUND");
    expect((await creditsOf(sessionId))[0]!.revoked_at).toBeNull();
  });

  it("lets the provider's own staff revoke within 30 days, and only the coordinator after", async () => {
    const later = new Date(Date.now() + 31 * 86_400_000);
    const formData = () => {
      const data = new FormData();
      data.set("creditId", creditId);
      data.set("reason", "Scanned the wrong card");
      return data;
    };
    expect(await revokeFromSessionPage(db, people.member0!.membership, sessionId, formData(), later)).toEqual({
      ok: false,
      errors: {},
      formError: "sessionCredits.errors.TOO_LATE",
    });

    const done = unwrap(await revoke(people.member0!, { intent: "revoke", creditId, reason: "Scanned the wrong card" }));
    expect(done.status).toBe(302);
    expect(done.location).toBe(`/provider/sessions/${sessionId}?revoked=1`);
    const row = (await creditsOf(sessionId))[0]!;
    expect(row).toMatchObject({ revoked_by: people.member0!.userId, revoke_reason: "Scanned the wrong card" });
    expect(row.revoked_at).not.toBeNull();
    const again = unwrap(await revoke(people.owner0!, { intent: "revoke", creditId, reason: "Twice" }));
    expect(again.data.formError).toBe("sessionCredits.errors.ALREADY_REVOKED");

    // The coordinator may take back an old credit: a fresh scan, revoked "31 days later".
    const response = await scanJson(sessionId, people.member0!.context, { passport: kids.Ianto!.token, idempotencyKey: randomUUID() });
    const newer = (await response.json()).credit.id as string;
    const coordinatorForm = formData();
    coordinatorForm.set("creditId", newer);
    expect(await revokeFromSessionPage(db, people.coordinator!.membership, sessionId, coordinatorForm, later)).toEqual({ ok: true });
  });
});

describe("an award reached by a scan", () => {
  it("comes back with the credit, so the volunteer can tell the child", async () => {
    await db
      .insertInto("award_level")
      .values({ area_id: areas.north.id, threshold_hours: 1, name_en: "First hour", name_cy: "Yr awr gyntaf", stage: "undergraduate", tier: "bronze" })
      .execute();
    await newChild("Cerys", "9J5P3S6");
    const sessionId = await newSession(new Date(Date.now() - 5 * 60_000));
    const key = randomUUID();
    const response = await scanJson(sessionId, people.owner0!.context, { passport: kids.Cerys!.token, idempotencyKey: key });
    expect(await response.json()).toMatchObject({
      child: { totalHours: 1.5 },
      awardsReached: [{ thresholdHours: 1, nameEn: "First hour", nameCy: "Yr awr gyntaf" }],
    });
    // Reached once: a replay does not announce it again.
    const again = await scanJson(sessionId, people.owner0!.context, { passport: kids.Cerys!.token, idempotencyKey: key });
    expect(await again.json()).toMatchObject({ replayed: true, awardsReached: [] });
  });
});
