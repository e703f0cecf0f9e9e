import { randomBytes, randomUUID } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import {
  checkToken,
  claimTicket,
  decodeToken,
  formatShortCode,
  matchesShortCode,
  posterShortCode,
  SCREEN_WINDOW_MS,
  screenWindow,
  sessionCodeToken,
  shortCode,
  type SessionKey,
} from "~/modules/claims/session-code-token.server";
import { claimByTypedCode, readToken, resetSessionCodes } from "~/modules/claims/session-codes.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import type { Role } from "~/modules/db/schema";
import { action as codeAction, loader as codeLoader } from "~/routes/provider.sessions.$sessionId_.code";
import { loader as codeJsonLoader } from "~/routes/provider.sessions.$sessionId_.code[.json]";
import { loader as posterLoader } from "~/routes/provider.sessions.$sessionId_.poster";
import { contextFor, createPerson, insertSession, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
const people: Record<string, { userId: string; membership: Membership; context: AppLoadContext }> = {};

/** A session of the north area's first activity (provider 0), `start` to `start + minutes`. */
async function newSession(start: Date, minutes = 60, activity = 0) {
  return insertSession(db, { areaId: areas.north.id, activityId: areas.north.activities[activity]!.id, startsAt: start, minutes, quarterHours: 4 });
}

async function keyOf(sessionId: string): Promise<SessionKey> {
  const row = await db
    .selectFrom("activity_session")
    .select(["id", "area_id", "claim_secret", "starts_at", "ends_at"])
    .where("id", "=", sessionId)
    .executeTakeFirstOrThrow();
  return { id: row.id, areaId: row.area_id, claimSecret: row.claim_secret, startsAt: row.starts_at, endsAt: row.ends_at };
}

const asCode = { accept: ["screen", "poster"] as const };

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  const { north } = areas;
  const specs: Record<string, { role: Role; providerId?: string; schoolId?: string; childIds?: string[] }> = {
    owner0: { role: "provider_owner", providerId: north.providers[0]!.id },
    member1: { role: "provider_member", providerId: north.providers[1]!.id },
    coordinator: { role: "coordinator" },
    school: { role: "school", schoolId: north.schools[0]!.id },
    viewer: { role: "viewer" },
    guardian: { role: "guardian", childIds: [north.children[0]!.id] },
  };
  for (const [name, spec] of Object.entries(specs)) {
    const person = await createPerson(db, { email: `${name}@codes.example`, areaId: north.id, ...spec });
    const membership = (await loadMemberships(db, person.userId))[0]!;
    people[name] = { userId: person.userId, membership, context: await contextFor(db, person.userId, person.membershipId) };
  }
});
afterAll(async () => close());

describe("screen codes", () => {
  // 16:10:00 UTC starts a 30-second window.
  const sessionStart = new Date("2026-12-01T16:00:00Z");
  const t0 = new Date("2026-12-01T16:10:00Z");
  const at = (ms: number) => new Date(t0.getTime() + ms);

  it("are accepted in their own window and the next, and refused two windows later", async () => {
    const sessionId = await newSession(sessionStart);
    const token = sessionCodeToken(await keyOf(sessionId), "screen", at(5_000));
    expect(token).toMatch(/^[A-Za-z0-9_-]{56}$/);
    expect(await readToken(db, token, at(5_000), asCode)).toMatchObject({ ok: true, kind: "screen", session: { id: sessionId } });
    expect(await readToken(db, token, at(29_999), asCode)).toMatchObject({ ok: true });
    expect(await readToken(db, token, at(35_000), asCode)).toMatchObject({ ok: true });
    expect(await readToken(db, token, at(59_999), asCode)).toMatchObject({ ok: true });
    expect(await readToken(db, token, at(60_000), asCode)).toMatchObject({ ok: false, reason: "CODE_EXPIRED" });
    expect(await readToken(db, token, at(65_000), asCode)).toMatchObject({ ok: false, reason: "CODE_EXPIRED" });
    expect(await readToken(db, token, at(3_600_000), asCode)).toMatchObject({ ok: false, reason: "CODE_EXPIRED" });
    // A code "from the future" was not made by this server.
    expect(await readToken(db, token, at(-1_000), asCode)).toMatchObject({ ok: false, reason: "CODE_INVALID" });
  });

  it("change every 30 seconds", async () => {
    const key = await keyOf(await newSession(sessionStart));
    expect(sessionCodeToken(key, "screen", at(1_000))).toBe(sessionCodeToken(key, "screen", at(29_000)));
    expect(sessionCodeToken(key, "screen", at(29_000))).not.toBe(sessionCodeToken(key, "screen", at(31_000)));
    expect(screenWindow(at(31_000)) - screenWindow(at(29_000))).toBe(1);
    expect(SCREEN_WINDOW_MS).toBe(30_000);
  });

  it("refuse a code with any one character changed", async () => {
    const sessionId = await newSession(sessionStart);
    const token = sessionCodeToken(await keyOf(sessionId), "screen", at(5_000));
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (let index = 0; index < token.length; index++) {
      const replacement = alphabet[(alphabet.indexOf(token[index]!) + 1 + index) % alphabet.length]!;
      const tampered = token.slice(0, index) + replacement + token.slice(index + 1);
      const reading = await readToken(db, tampered, at(5_000), asCode);
      expect(reading, `character ${index}`).toMatchObject({ ok: false, reason: "CODE_INVALID" });
    }
    for (const junk of ["", "x", token.slice(1), `${token}A`, token.toUpperCase(), "../../etc/passwd"]) {
      expect(await readToken(db, junk, at(5_000), asCode)).toMatchObject({ ok: false, reason: "CODE_INVALID" });
    }
  });

  it("refuse a payload naming another session, signed with a wrong secret", async () => {
    const mine = await keyOf(await newSession(sessionStart));
    const other = await keyOf(await newSession(sessionStart));
    const wrongSecret = sessionCodeToken({ ...other, claimSecret: randomBytes(32).toString("hex") }, "screen", at(5_000));
    expect(await readToken(db, wrongSecret, at(5_000), asCode)).toMatchObject({ ok: false, reason: "CODE_INVALID" });
    // Signed with my session's real secret but naming the other session: still not the other's code.
    const borrowed = sessionCodeToken({ ...other, claimSecret: mine.claimSecret }, "screen", at(5_000));
    expect(await readToken(db, borrowed, at(5_000), asCode)).toMatchObject({ ok: false, reason: "CODE_INVALID" });
    // A session id that does not exist, and another area's session under this area's prefix.
    const unknown = sessionCodeToken({ ...mine, id: randomUUID() }, "screen", at(5_000));
    expect(await readToken(db, unknown, at(5_000), asCode)).toMatchObject({ ok: false, reason: "CODE_INVALID" });
    const south = areas.south.sessions[0]!.id;
    const crossArea = sessionCodeToken({ ...mine, id: south }, "screen", at(5_000));
    expect(await readToken(db, crossArea, at(5_000), asCode)).toMatchObject({ ok: false, reason: "CODE_INVALID" });
  });

  it("compare the MAC in constant time, before looking at the time", () => {
    const key: SessionKey = { id: randomUUID(), areaId: areas.north.id, claimSecret: "s".repeat(64), startsAt: sessionStart, endsAt: at(3_600_000) };
    const decoded = decodeToken(sessionCodeToken(key, "screen", at(0)))!;
    // An old code with a wrong MAC is "invalid", not "expired": a forger learns nothing about time.
    expect(checkToken(decoded, { ...key, claimSecret: "t".repeat(64) }, at(3_600_000))).toEqual({ ok: false, reason: "CODE_INVALID" });
    expect(checkToken(decoded, key, at(3_600_000))).toEqual({ ok: false, reason: "CODE_EXPIRED" });
  });
});

describe("poster codes", () => {
  it("work only from the session's start to its end plus the grace time, never before", async () => {
    const start = new Date("2026-12-02T16:00:00Z");
    const sessionId = await newSession(start, 60);
    const token = sessionCodeToken(await keyOf(sessionId), "poster", new Date("2026-11-20T09:00:00Z"));
    const minutes = (n: number) => new Date(start.getTime() + n * 60_000);
    expect(await readToken(db, token, minutes(-1), asCode)).toMatchObject({ ok: false, reason: "SESSION_NOT_STARTED" });
    expect(await readToken(db, token, minutes(0), asCode)).toMatchObject({ ok: true, kind: "poster" });
    expect(await readToken(db, token, minutes(60 + 29), asCode)).toMatchObject({ ok: true });
    expect(await readToken(db, token, minutes(60 + 31), asCode)).toMatchObject({ ok: false, reason: "CODE_EXPIRED" });
    expect(await readToken(db, token, minutes(60 * 24), asCode)).toMatchObject({ ok: false, reason: "CODE_EXPIRED" });

    await db
      .updateTable("area")
      .set({ settings: JSON.stringify({ claimGraceMinutes: 60 }) })
      .where("id", "=", areas.north.id)
      .execute();
    try {
      expect(await readToken(db, token, minutes(60 + 45), asCode)).toMatchObject({ ok: true });
      expect(await readToken(db, token, minutes(60 + 61), asCode)).toMatchObject({ ok: false, reason: "CODE_EXPIRED" });
    } finally {
      await db.updateTable("area").set({ settings: "{}" }).where("id", "=", areas.north.id).execute();
    }
  });

  it("stop working when the session is moved to another start", async () => {
    const start = new Date("2026-12-03T16:00:00Z");
    const sessionId = await newSession(start, 60);
    const token = sessionCodeToken(await keyOf(sessionId), "poster");
    const moved = new Date("2026-12-03T17:00:00Z");
    await db
      .updateTable("activity_session")
      .set({ starts_at: moved, ends_at: new Date(moved.getTime() + 3_600_000) })
      .where("id", "=", sessionId)
      .execute();
    expect(await readToken(db, token, new Date("2026-12-03T17:10:00Z"), asCode)).toMatchObject({ ok: false, reason: "CODE_EXPIRED" });
  });
});

describe("tickets", () => {
  it("belong to one guardian, last 20 minutes, and are not codes", async () => {
    const start = new Date("2026-12-04T16:00:00Z");
    const key = await keyOf(await newSession(start, 60));
    const now = new Date("2026-12-04T16:05:00Z");
    const userId = people.guardian!.userId;
    const ticket = claimTicket(key, "screen", userId, now);
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{78}$/);
    const asTicket = (uid: string) => ({ accept: ["ticket"] as const, userId: uid });
    expect(await readToken(db, ticket, now, asTicket(userId))).toMatchObject({ ok: true, kind: "ticket", source: "screen" });
    expect(await readToken(db, ticket, new Date(now.getTime() + 19 * 60_000), asTicket(userId))).toMatchObject({ ok: true });
    expect(await readToken(db, ticket, new Date(now.getTime() + 21 * 60_000), asTicket(userId))).toMatchObject({ ok: false, reason: "CODE_EXPIRED" });
    expect(await readToken(db, ticket, now, asTicket(people.owner0!.userId))).toMatchObject({ ok: false, reason: "CODE_INVALID" });
    // A ticket is not a code, and a code is not a ticket.
    expect(await readToken(db, ticket, now, asCode)).toMatchObject({ ok: false, reason: "CODE_INVALID" });
    expect(await readToken(db, sessionCodeToken(key, "screen", now), now, asTicket(userId))).toMatchObject({ ok: false, reason: "CODE_INVALID" });
  });
});

describe("replacing a session's secret", () => {
  it("revokes every code of the session at once, and is audited", async () => {
    const start = new Date("2026-12-05T16:00:00Z");
    const sessionId = await newSession(start, 60);
    const before = await keyOf(sessionId);
    const now = new Date("2026-12-05T16:05:00Z");
    const screen = sessionCodeToken(before, "screen", now);
    const poster = sessionCodeToken(before, "poster", now);
    const ticket = claimTicket(before, "poster", people.guardian!.userId, now);
    expect(await readToken(db, poster, now, asCode)).toMatchObject({ ok: true });

    await resetSessionCodes(db, people.owner0!.membership, sessionId);
    expect(await readToken(db, screen, now, asCode)).toMatchObject({ ok: false, reason: "CODE_INVALID" });
    expect(await readToken(db, poster, now, asCode)).toMatchObject({ ok: false, reason: "CODE_INVALID" });
    expect(await readToken(db, ticket, now, { accept: ["ticket"], userId: people.guardian!.userId })).toMatchObject({ ok: false, reason: "CODE_INVALID" });
    const after = await keyOf(sessionId);
    expect(after.claimSecret).not.toBe(before.claimSecret);
    expect(await readToken(db, sessionCodeToken(after, "poster", now), now, asCode)).toMatchObject({ ok: true });
    const audit = await db
      .selectFrom("audit_event")
      .select(["action", "actor_user_id"])
      .where("subject_id", "=", sessionId)
      .where("action", "=", "session_codes_reset")
      .execute();
    expect(audit).toEqual([{ action: "session_codes_reset", actor_user_id: people.owner0!.userId }]);
  });

  it("is only for staff of the session's provider", async () => {
    const sessionId = await newSession(new Date("2026-12-05T18:00:00Z"));
    const refused = await settle(resetSessionCodes(db, people.member1!.membership, sessionId));
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(404);
  });
});

describe("short typed codes", () => {
  it("match the screen's number now and in the window before, and lead to a ticket", async () => {
    const start = new Date(Date.now() - 10 * 60_000);
    const sessionId = await newSession(start, 60);
    const key = await keyOf(sessionId);
    const now = new Date();
    const code = shortCode(key, screenWindow(now));
    expect(code).toMatch(/^\d{8}$/);
    expect(matchesShortCode(key, `${code.slice(0, 4)} ${code.slice(4)}`, now)).toBe(true);
    expect(matchesShortCode(key, code, new Date(now.getTime() + SCREEN_WINDOW_MS))).toBe(true);
    expect(matchesShortCode(key, code, new Date(now.getTime() + 2 * SCREEN_WINDOW_MS))).toBe(false);

    const guardian = people.guardian!.membership;
    const result = await claimByTypedCode(db, guardian, code, now);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(await readToken(db, result.ticket, now, { accept: ["ticket"], userId: guardian.userId })).toMatchObject({
      ok: true,
      source: "typed",
      session: { id: sessionId },
    });
    const wrong = String((Number(code) + 1) % 100_000_000).padStart(8, "0");
    expect(await claimByTypedCode(db, guardian, wrong, now)).toMatchObject({ ok: false });
  });

  it("match the poster's number from the session's start to its end plus grace, and lead to a ticket", async () => {
    const start = new Date(Date.now() - 10 * 60_000);
    const sessionId = await newSession(start, 60);
    const key = await keyOf(sessionId);
    const poster = posterShortCode(key);
    expect(poster).toMatch(/^\d{8}$/);
    const minutes = (n: number) => new Date(start.getTime() + n * 60_000);
    expect(matchesShortCode(key, poster, minutes(-1))).toBe(false);
    expect(matchesShortCode(key, poster, minutes(0))).toBe(true);
    expect(matchesShortCode(key, poster, minutes(60 + 29))).toBe(true);
    expect(matchesShortCode(key, poster, minutes(60 + 31))).toBe(false);
    expect(matchesShortCode(key, poster, minutes(60 + 45), 60)).toBe(true);
    // Moving the session's start voids the printed number, as it voids the printed QR code.
    expect(posterShortCode({ ...key, startsAt: minutes(5) })).not.toBe(poster);

    const guardian = people.guardian!.membership;
    const result = await claimByTypedCode(db, guardian, `${poster.slice(0, 4)} ${poster.slice(4)}`, new Date());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(await readToken(db, result.ticket, new Date(), { accept: ["ticket"], userId: guardian.userId })).toMatchObject({
      ok: true,
      source: "typed",
      session: { id: sessionId },
    });
  });

  it("are limited to 10 tries in 15 minutes per guardian", async () => {
    const person = await createPerson(db, { email: "typist@codes.example", areaId: areas.north.id, role: "guardian" });
    const membership = (await loadMemberships(db, person.userId))[0]!;
    const now = new Date();
    for (let attempt = 0; attempt < 10; attempt++) {
      expect(await claimByTypedCode(db, membership, "00000000", now)).toMatchObject({ ok: false, reason: "CODE_NOT_FOUND" });
    }
    expect(await claimByTypedCode(db, membership, "00000000", now)).toMatchObject({ ok: false, reason: "RATE_LIMITED" });
  });
});

describe("the staff code and poster pages", () => {
  const request = (path: string, init?: RequestInit) => new Request(`http://pasbort.test${path}`, init);
  let openSession: string;

  beforeAll(async () => {
    openSession = await newSession(new Date(Date.now() - 10 * 60_000), 60);
  });

  it("show the session's current code to its provider's staff and the coordinator", async () => {
    for (const who of ["owner0", "coordinator"]) {
      const response = (await codeLoader({
        request: request(`/provider/sessions/${openSession}/code`),
        context: people[who]!.context,
        params: { sessionId: openSession },
      })) as unknown as {
        data: { code: { url: string; qr: string; shortCode: string; validForMs: number } | null; state: { state: string } };
        init: ResponseInit | null;
      };
      expect(response.data.state).toEqual({ state: "open" });
      const code = response.data.code!;
      expect(code.url).toMatch(/^http:\/\/pasbort\.test\/claim\/[A-Za-z0-9_-]{56}$/);
      expect(code.qr).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(Buffer.from(code.qr.split(",")[1]!, "base64").toString()).toContain("<svg");
      expect(code.shortCode).toMatch(/^\d{4} \d{4}$/);
      expect(code.validForMs).toBeGreaterThan(30_000);
      const token = code.url.split("/").pop()!;
      expect(await readToken(db, token, new Date(), asCode)).toMatchObject({ ok: true, kind: "screen" });
    }
    const shown = await db
      .selectFrom("audit_event")
      .select("actor_user_id")
      .where("action", "=", "session_code_shown")
      .where("subject_id", "=", openSession)
      .execute();
    expect(shown).toHaveLength(2);
    // Seen again within the hour: not recorded again.
    await codeLoader({ request: request(`/provider/sessions/${openSession}/code`), context: people.owner0!.context, params: { sessionId: openSession } });
    expect(
      await db.selectFrom("audit_event").select("id").where("action", "=", "session_code_shown").where("subject_id", "=", openSession).execute(),
    ).toHaveLength(2);
  });

  it("give the script a fresh code as JSON", async () => {
    const response = await codeJsonLoader({
      request: request(`/provider/sessions/${openSession}/code.json`),
      context: people.owner0!.context,
      params: { sessionId: openSession },
    });
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const body = (await response.json()) as { code: { url: string } };
    expect(body.code.url).toContain("/claim/");
  });

  it("are a 404 for another provider's staff and a 403 for other roles", async () => {
    const path = `/provider/sessions/${openSession}/code`;
    const params = { sessionId: openSession };
    for (const [who, status] of [
      ["member1", 404],
      ["school", 403],
      ["viewer", 403],
      ["guardian", 403],
    ] as const) {
      for (const loader of [codeLoader, posterLoader] as Array<(args: Parameters<typeof codeLoader>[0]) => Promise<unknown>>) {
        const result = await settle(loader({ request: request(path), context: people[who]!.context, params }));
        expect(result, `${who}`).toBeInstanceOf(Response);
        expect((result as Response).status, `${who}`).toBe(status);
      }
      const json = await settle(codeJsonLoader({ request: request(`${path}.json`), context: people[who]!.context, params }));
      expect((json as Response).status).toBe(status);
    }
    const signedOut = await settle(codeLoader({ request: request(path), context: signedOutContext, params }));
    expect((signedOut as Response).status).toBe(302);
    expect((signedOut as Response).headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
  });

  it("print a poster whose code works until the end plus grace, and record it", async () => {
    const response = (await posterLoader({
      request: request(`/provider/sessions/${openSession}/poster`),
      context: people.owner0!.context,
      params: { sessionId: openSession },
    })) as unknown as {
      data: { poster: { url: string; shortCode: string; claimAddress: string } | null; validUntil: Date };
    };
    const token = response.data.poster!.url.split("/").pop()!;
    expect(await readToken(db, token, new Date(), asCode)).toMatchObject({ ok: true, kind: "poster" });
    const key = await keyOf(openSession);
    // For phones that cannot scan: the number to type and where to type it.
    expect(response.data.poster).toMatchObject({ shortCode: formatShortCode(posterShortCode(key)), claimAddress: "pasbort.test/claim" });
    expect(response.data.validUntil.getTime()).toBe(key.endsAt.getTime() + 30 * 60_000);
    const printed = await db
      .selectFrom("audit_event")
      .select("id")
      .where("action", "=", "session_poster_printed")
      .where("subject_id", "=", openSession)
      .execute();
    expect(printed).toHaveLength(1);
  });

  it("have nothing to print for a session long over, and no code for a cancelled one", async () => {
    const old = await newSession(new Date("2026-10-05T16:00:00Z"));
    const poster = (await posterLoader({
      request: request(`/provider/sessions/${old}/poster`),
      context: people.owner0!.context,
      params: { sessionId: old },
    })) as unknown as {
      data: { poster: unknown };
    };
    expect(poster.data.poster).toBeNull();
    const cancelled = await newSession(new Date(Date.now() - 5 * 60_000));
    await db.updateTable("activity_session").set({ cancelled_at: new Date() }).where("id", "=", cancelled).execute();
    const page = (await codeLoader({
      request: request(`/provider/sessions/${cancelled}/code`),
      context: people.owner0!.context,
      params: { sessionId: cancelled },
    })) as unknown as {
      data: { code: unknown; state: unknown };
    };
    expect(page.data.code).toBeNull();
    expect(page.data.state).toEqual({ state: "refused", reason: "SESSION_CANCELLED" });
  });

  it("let staff stop every code, and turn approval on for the activity", async () => {
    const form = (fields: Record<string, string>) => {
      const body = new URLSearchParams(fields);
      return request(`/provider/sessions/${openSession}/code`, { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    };
    const before = (await keyOf(openSession)).claimSecret;
    const reset = await settle(codeAction({ request: form({ intent: "reset" }), context: people.owner0!.context, params: { sessionId: openSession } }));
    expect((reset as Response).status).toBe(302);
    expect((await keyOf(openSession)).claimSecret).not.toBe(before);

    const approval = await settle(
      codeAction({ request: form({ intent: "approval", needApproval: "yes" }), context: people.owner0!.context, params: { sessionId: openSession } }),
    );
    expect((approval as Response).status).toBe(302);
    const activity = await db.selectFrom("activity").select("claims_need_approval").where("id", "=", areas.north.activities[0]!.id).executeTakeFirstOrThrow();
    expect(activity.claims_need_approval).toBe(true);
    await settle(
      codeAction({ request: form({ intent: "approval", needApproval: "no" }), context: people.owner0!.context, params: { sessionId: openSession } }),
    );
    const changes = await db.selectFrom("audit_event").select("details").where("action", "=", "claim_approval_changed").execute();
    expect(changes.map((change) => change.details)).toEqual([
      { needApproval: true, role: "provider_owner" },
      { needApproval: false, role: "provider_owner" },
    ]);

    const foreign = await settle(codeAction({ request: form({ intent: "reset" }), context: people.member1!.context, params: { sessionId: openSession } }));
    expect((foreign as Response).status).toBe(404);
  });
});
