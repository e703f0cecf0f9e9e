import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships } from "~/modules/accounts/actor.server";
import { authenticateApiToken, createApiToken } from "~/modules/accounts/api-tokens.server";
import { hashSecretToken } from "~/modules/accounts/secret-token.server";
import { issueCredit } from "~/modules/credits/ledger.server";
import { openDatabase, type DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { action } from "~/routes/api.v1.credits";
import { createPerson, insertSession, seedTwoAreas } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";

let db: DB;
let url: string | null;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
let token: string;
let openSessionId: string;
let child: { token: string; number: string };

beforeAll(async () => {
  ({ db, close, url } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  const owner = await createPerson(db, {
    email: "owner@test.example",
    areaId: areas.north.id,
    role: "provider_owner",
    providerId: areas.north.providers[0]!.id,
  });
  const membership = (await loadMemberships(db, owner.userId))[0]!;
  token = (await createApiToken(db, membership, areas.north.providers[0]!.id, { name: "Tablet" })).token;
  // A session that started a few minutes ago, so it is open now.
  const startsAt = new Date(Date.now() - 10 * 60_000);
  const session = await db
    .insertInto("activity_session")
    .values({
      area_id: areas.north.id,
      activity_id: areas.north.activities[0]!.id,
      starts_at: startsAt,
      ends_at: new Date(startsAt.getTime() + 3600_000),
      quarter_hours: 6,
      claim_secret: randomBytes(32).toString("hex"),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  openSessionId = session.id;
  const row = await db
    .selectFrom("child")
    .select(["passport_token", "passport_number"])
    .where("id", "=", areas.north.children[0]!.id)
    .executeTakeFirstOrThrow();
  child = { token: row.passport_token, number: row.passport_number };
});
afterAll(async () => close());

function post(body: unknown, headers: Record<string, string> = {}) {
  return action({
    request: new Request("http://pasbort.test/api/v1/credits", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    context: { signedIn: null, cspNonce: "", clientAddress: "127.0.0.1" },
    params: {},
  });
}

describe("POST /api/v1/credits", () => {
  it("issues a credit by the passport's QR address and answers with the child's new total", async () => {
    const key = randomUUID();
    const response = await post({ sessionId: openSessionId, passport: `https://pasbort.test/p/${child.token}`, idempotencyKey: key });
    expect(response.status).toBe(201);
    expect(response.headers.get("Content-Length")).toBe(String(Buffer.byteLength(await response.clone().text())));
    const body = await response.json();
    expect(body).toMatchObject({
      replayed: false,
      credit: { hours: 1.5, sessionId: openSessionId },
      child: { givenName: "Child0", familyInitial: "N", totalHours: 2.5 },
    });
    expect(JSON.stringify(body)).not.toContain("north");

    const retry = await post({ sessionId: openSessionId, passport: child.token, idempotencyKey: key });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ replayed: true, credit: { id: body.credit.id } });
  });

  it("refuses a second credit for the same session with 409 ALREADY_CREDITED", async () => {
    const response = await post({ sessionId: openSessionId, passport: child.number, idempotencyKey: randomUUID() });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: { code: "ALREADY_CREDITED", message: "This child already has the credit for this session." } });
  });

  it("refuses a session at the same time as one the child has, with 409 OVERLAPPING_SESSION, in English and Welsh", async () => {
    // Child 0 has the open session's credit (above); another session of ours half an hour into it.
    const sameTime = await insertSession(db, {
      areaId: areas.north.id,
      activityId: areas.north.activities[0]!.id,
      startsAt: new Date(Date.now() - 5 * 60_000),
      minutes: 60,
      quarterHours: 4,
    });
    const response = await post({ sessionId: sameTime, passport: child.token, idempotencyKey: randomUUID() });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: {
        code: "OVERLAPPING_SESSION",
        message: "This child already has a credit for another session at the same time. A child can be at only one session at a time.",
      },
    });
    const welsh = await post({ sessionId: sameTime, passport: child.token, idempotencyKey: randomUUID() }, { "Accept-Language": "cy" });
    expect((await welsh.json()).error).toEqual({
      code: "OVERLAPPING_SESSION",
      message: "Mae gan y plentyn hwn gredyd eisoes am sesiwn arall ar yr un pryd. Dim ond mewn un sesiwn ar y tro y gall plentyn fod.",
    });
    expect(await db.selectFrom("credit").select("id").where("session_id", "=", sameTime).execute()).toEqual([]);
  });

  it("catches a mistyped passport number before looking anyone up, and answers in Welsh when asked", async () => {
    const typo = child.number.slice(0, -1) + (child.number.endsWith("2") ? "3" : "2");
    const response = await post({ sessionId: openSessionId, passport: typo, idempotencyKey: randomUUID() }, { "Accept-Language": "cy" });
    expect(response.status).toBe(422);
    // Sent whole, with its length in bytes: one socket write, not chunked.
    expect(response.headers.get("Content-Length")).toBe(String(Buffer.byteLength(await response.clone().text())));
    const body = await response.json();
    expect(body.error.code).toBe("PASSPORT_NUMBER_MISTYPED");
    expect(body.error.message).toContain("rhif y pasbort");
  });

  it("cannot credit another provider's session, or a child of another area", async () => {
    const other = await post({ sessionId: areas.north.sessions[1]!.id, passport: child.token, idempotencyKey: randomUUID() });
    const nowhere = await post({ sessionId: randomUUID(), passport: child.token, idempotencyKey: randomUUID() });
    // Another provider's session answers exactly as no session at all.
    expect([other.status, nowhere.status]).toEqual([404, 404]);
    expect(await other.json()).toEqual({ error: { code: "SESSION_NOT_FOUND", message: "This session was not found." } });
    expect(await nowhere.json()).toEqual({ error: { code: "SESSION_NOT_FOUND", message: "This session was not found." } });
    const southChild = await db.selectFrom("child").select("passport_token").where("id", "=", areas.south.children[0]!.id).executeTakeFirstOrThrow();
    const foreign = await post({ sessionId: openSessionId, passport: southChild.passport_token, idempotencyKey: randomUUID() });
    expect(foreign.status).toBe(404);
    expect((await foreign.json()).error.code).toBe("UNKNOWN_PASSPORT");
  });

  it("keeps another provider's idempotency keys to it: replaying one tells nothing, sending one first blocks nothing", async () => {
    // Provider 1's session earlier today, within the window; child 1 was there, scanned with key `theirs`.
    const startsAt = new Date(Date.now() - 5 * 3600_000);
    const theirSession = await insertSession(db, { areaId: areas.north.id, activityId: areas.north.activities[1]!.id, startsAt, minutes: 60, quarterHours: 4 });
    const theirChild = await db.selectFrom("child").select("passport_token").where("id", "=", areas.north.children[1]!.id).executeTakeFirstOrThrow();
    const theirs = randomUUID();
    const theirCredit = {
      areaId: areas.north.id,
      childId: areas.north.children[1]!.id,
      sessionId: theirSession,
      providerId: areas.north.providers[1]!.id,
      method: "passport_scan" as const,
      issuedBy: null,
    };
    expect(await issueCredit(db, { ...theirCredit, idempotencyKey: theirs })).toMatchObject({ ok: true, replayed: false });

    // Our token replays their key for their session and child: the same 404 as an unknown session, no name, no total.
    const probe = await post({ sessionId: theirSession, passport: theirChild.passport_token, idempotencyKey: theirs });
    expect(probe.status).toBe(404);
    expect(await probe.json()).toEqual({ error: { code: "SESSION_NOT_FOUND", message: "This session was not found." } });

    // Our token uses a key they will use next, first: their credit still goes through.
    const next = randomUUID();
    const ours = await post({ sessionId: openSessionId, passport: `https://pasbort.test/p/${theirChild.passport_token}`, idempotencyKey: next });
    expect(ours.status).toBe(201);
    const later = await insertSession(db, {
      areaId: areas.north.id,
      activityId: areas.north.activities[1]!.id,
      startsAt: new Date(startsAt.getTime() - 2 * 3600_000),
      minutes: 60,
      quarterHours: 4,
    });
    expect(await issueCredit(db, { ...theirCredit, sessionId: later, idempotencyKey: next })).toMatchObject({ ok: true, replayed: false });
    // And their own retry still gets their first answer.
    expect(await issueCredit(db, { ...theirCredit, idempotencyKey: theirs })).toMatchObject({ ok: true, replayed: true });
    await db
      .updateTable("credit")
      .set({ revoked_at: new Date(), revoke_reason: "test over" })
      .where("area_id", "=", areas.north.id)
      .where("child_id", "=", areas.north.children[1]!.id)
      .where("revoked_at", "is", null)
      .execute();
  });

  it("tells a replaced card and a withdrawn child apart from an unknown passport", async () => {
    const replacedToken = "replaced-card-token-0123456789";
    await db
      .insertInto("passport_replacement")
      .values({ area_id: areas.north.id, child_id: areas.north.children[1]!.id, old_token_hash: hashSecretToken(replacedToken) })
      .execute();
    const replaced = await post({ sessionId: openSessionId, passport: `https://pasbort.test/p/${replacedToken}`, idempotencyKey: randomUUID() });
    expect(replaced.status).toBe(404);
    expect((await replaced.json()).error.code).toBe("PASSPORT_REPLACED");

    const withdrawn = await issueCredit(db, {
      areaId: areas.north.id,
      childId: areas.north.children[1]!.id,
      sessionId: openSessionId,
      method: "roster",
      issuedBy: null,
      idempotencyKey: randomUUID(),
    });
    expect(withdrawn.ok).toBe(true);
    await db.updateTable("child").set({ status: "withdrawn", withdrawn_at: new Date() }).where("id", "=", areas.north.children[1]!.id).execute();
    const after = await issueCredit(db, {
      areaId: areas.north.id,
      childId: areas.north.children[1]!.id,
      sessionId: areas.north.sessions[0]!.id,
      method: "roster",
      issuedBy: null,
      idempotencyKey: randomUUID(),
    });
    expect(after).toEqual({ ok: false, code: "CHILD_WITHDRAWN" });
  });

  it("slows down a flood of scans from one token", async () => {
    const previous = process.env.API_CREDITS_PER_MINUTE;
    process.env.API_CREDITS_PER_MINUTE = "3";
    const owner = await createPerson(db, {
      email: "flood@test.example",
      areaId: areas.north.id,
      role: "provider_owner",
      providerId: areas.north.providers[0]!.id,
    });
    const fresh = (await createApiToken(db, (await loadMemberships(db, owner.userId))[0]!, areas.north.providers[0]!.id, { name: "Flood" })).token;
    const send = () => post({ sessionId: openSessionId, passport: child.token, idempotencyKey: randomUUID() }, { Authorization: `Bearer ${fresh}` });
    try {
      const statuses = [];
      for (let scan = 0; scan < 3; scan++) statuses.push((await send()).status);
      expect(statuses).toEqual([409, 409, 409]);
      const limited = await send();
      expect(limited.status).toBe(429);
      // Seconds until the minute's window frees a scan: the whole minute, less the time the
      // three scans took (a second or two on a loaded machine).
      const retryAfter = Number(limited.headers.get("Retry-After"));
      expect(retryAfter).toBeGreaterThanOrEqual(50);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect((await limited.json()).error.code).toBe("RATE_LIMITED");
    } finally {
      if (previous === undefined) delete process.env.API_CREDITS_PER_MINUTE;
      else process.env.API_CREDITS_PER_MINUTE = previous;
    }
  });

  it("counts a token's scans in the database, so every server process counts against one limit", async () => {
    const previous = process.env.API_CREDITS_PER_MINUTE;
    process.env.API_CREDITS_PER_MINUTE = "4";
    const owner = await createPerson(db, {
      email: "shared-limit@test.example",
      areaId: areas.north.id,
      role: "provider_owner",
      providerId: areas.north.providers[0]!.id,
    });
    const fresh = await createApiToken(db, (await loadMemberships(db, owner.userId))[0]!, areas.north.providers[0]!.id, { name: "Shared" });
    // On PostgreSQL a second pool of its own stands for a second app server.
    const other = url ? await openDatabase({ kind: "postgres", url, poolSize: 2 }) : db;
    const send = async (server: DB) => {
      setDb(server);
      try {
        return (await post({ sessionId: openSessionId, passport: child.token, idempotencyKey: randomUUID() }, { Authorization: `Bearer ${fresh.token}` }))
          .status;
      } finally {
        setDb(db);
      }
    };
    try {
      const statuses = [await send(db), await send(other), await send(db), await send(other), await send(other), await send(db)];
      expect(statuses).toEqual([409, 409, 409, 409, 429, 429]);
      const counted = await db.selectFrom("rate_limit").select("attempts").where("key", "=", `api-credits:${fresh.id}`).executeTakeFirstOrThrow();
      expect(counted.attempts).toBe(6);
      // Unlogged (migration 0026): counting writes no WAL, so a scan's count waits for no disk flush.
      const { rows } = await sql<{ persistence: string }>`select relpersistence as persistence from pg_class where relname = 'rate_limit'`.execute(db);
      expect(rows[0]!.persistence).toBe("u");
    } finally {
      if (other !== db) await other.destroy();
      if (previous === undefined) delete process.env.API_CREDITS_PER_MINUTE;
      else process.env.API_CREDITS_PER_MINUTE = previous;
    }
  });

  it("lets exactly the limit through when scans of one token arrive at once", async () => {
    const owner = await createPerson(db, {
      email: "burst@test.example",
      areaId: areas.north.id,
      role: "provider_owner",
      providerId: areas.north.providers[0]!.id,
    });
    const fresh = await createApiToken(db, (await loadMemberships(db, owner.userId))[0]!, areas.north.providers[0]!.id, { name: "Burst" });
    const limit = { name: "api-credits", rule: { limit: 5, windowMinutes: 1 } };
    const clients = await Promise.all(Array.from({ length: 12 }, () => authenticateApiToken(db, fresh.token, new Date(), limit)));
    expect(clients.filter((client) => client?.limit?.allowed)).toHaveLength(5);
    expect(clients.filter((client) => client?.limit?.allowed === false)).toHaveLength(7);
    // A revoked token is refused before anything is counted.
    await db.updateTable("api_token").set({ revoked_at: new Date() }).where("id", "=", fresh.id).execute();
    expect(await authenticateApiToken(db, fresh.token, new Date(), limit)).toBeNull();
    const counted = await db.selectFrom("rate_limit").select("attempts").where("key", "=", `api-credits:${fresh.id}`).executeTakeFirstOrThrow();
    expect(counted.attempts).toBe(12);
  });

  it("says plainly what is wrong with a bad request, and needs a token", async () => {
    const notJson = await post("{not json");
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.code).toBe("BAD_REQUEST");
    const missingKey = await post({ sessionId: openSessionId, passport: child.token });
    expect((await missingKey.json()).error.message).toContain("idempotencyKey");
    const unauthenticated = await post({ sessionId: openSessionId, passport: child.token, idempotencyKey: randomUUID() }, { Authorization: "" });
    expect(unauthenticated.status).toBe(401);
    const count = await db
      .selectFrom("credit")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("session_id", "=", openSessionId)
      .where("child_id", "=", areas.north.children[0]!.id)
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });
});
