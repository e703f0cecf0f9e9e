import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueCredit, type CreditOutcome, type CreditRequest } from "~/modules/credits/ledger.server";
import { openDatabase, type DB } from "~/modules/db/database.server";
import { insertSession, seedTwoAreas } from "../support/fixtures";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";

/**
 * The ledger under many scans at once. PGlite runs one statement at a time, so there these
 * tests only check the answers; on PostgreSQL (the integration:postgres project, which CI
 * runs) the credits race on a pool of PARALLEL connections, and only the database's own
 * guards — the child's row held FOR UPDATE, the unique keys — keep them to one credit.
 */
const PARALLEL = 20;
const SCANS = 50;

let db: DB;
/** On PostgreSQL, a pool wide enough for PARALLEL transactions at once (the test database's own has 4). */
let racing: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;

beforeAll(async () => {
  const created = await createTestDatabase();
  db = created.db;
  racing = created.url ? await openDatabase({ kind: "postgres", url: created.url, poolSize: PARALLEL }) : db;
  close = async () => {
    if (racing !== db) await racing.destroy();
    await created.close();
  };
  areas = await seedTwoAreas(db);
});
afterAll(async () => close());

let day = 0;
/** A day of its own for each test, so one test's credits never meet another's caps or sessions. */
function nextDay() {
  day += 1;
  return new Date(Date.UTC(2026, 10, 2 + day, 16, 0, 0));
}

function request(sessionId: string, startsAt: Date, overrides: Partial<CreditRequest> = {}): CreditRequest {
  return {
    areaId: areas.north.id,
    childId: areas.north.children[0]!.id,
    sessionId,
    providerId: areas.north.providers[0]!.id,
    method: "passport_scan",
    issuedBy: null,
    idempotencyKey: randomUUID(),
    at: new Date(startsAt.getTime() + 30 * 60_000),
    ...overrides,
  };
}

async function all(requests: CreditRequest[]): Promise<CreditOutcome[]> {
  return Promise.all(requests.map((each) => issueCredit(racing, each)));
}

const codes = (outcomes: CreditOutcome[]) => outcomes.map((outcome) => (outcome.ok ? (outcome.replayed ? "replayed" : "issued") : outcome.code));

function tally(values: string[]) {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

async function unrevokedCredits(childId: string, sessionIds: string[]) {
  return db
    .selectFrom("credit")
    .select(["id", "session_id"])
    .where("child_id", "=", childId)
    .where("session_id", "in", sessionIds)
    .where("revoked_at", "is", null)
    .execute();
}

describe(`${SCANS} scans at once on ${testDatabaseKind()}`, () => {
  it("runs on the database the project names", async () => {
    const { rows } = await sql<{ version: string }>`select version()`.execute(racing);
    // PGlite's version string names its build for WebAssembly (emscripten); a server's does not.
    expect(/emscripten|wasm/i.test(rows[0]!.version)).toBe(testDatabaseKind() === "pglite");
  });

  it("with the same key, for one child and session: one credit, and every answer is that credit", async () => {
    const startsAt = nextDay();
    const sessionId = await insertSession(db, { areaId: areas.north.id, activityId: areas.north.activities[0]!.id, startsAt, minutes: 60, quarterHours: 4 });
    const key = randomUUID();
    const outcomes = await all(Array.from({ length: SCANS }, () => request(sessionId, startsAt, { idempotencyKey: key })));
    expect(tally(codes(outcomes))).toEqual({ issued: 1, replayed: SCANS - 1 });
    const credits = await unrevokedCredits(areas.north.children[0]!.id, [sessionId]);
    expect(credits).toHaveLength(1);
    expect(new Set(outcomes.map((outcome) => outcome.ok && outcome.credit.id))).toEqual(new Set([credits[0]!.id]));
  });

  it("with a different key each, for one child and session: one credit, the rest ALREADY_CREDITED", async () => {
    const startsAt = nextDay();
    const sessionId = await insertSession(db, { areaId: areas.north.id, activityId: areas.north.activities[0]!.id, startsAt, minutes: 60, quarterHours: 4 });
    const outcomes = await all(Array.from({ length: SCANS }, () => request(sessionId, startsAt)));
    expect(tally(codes(outcomes))).toEqual({ issued: 1, ALREADY_CREDITED: SCANS - 1 });
    expect(await unrevokedCredits(areas.north.children[0]!.id, [sessionId])).toHaveLength(1);
  });

  it("for one child at overlapping sessions of two providers: one credit, the rest OVERLAPPING_SESSION", async () => {
    const startsAt = nextDay();
    // 50 hour-long sessions starting a minute apart: every one overlaps every other.
    const sessions = [];
    for (let n = 0; n < SCANS; n++) {
      const provider = n % 2;
      const start = new Date(startsAt.getTime() + n * 60_000);
      sessions.push({
        provider,
        start,
        id: await insertSession(db, {
          areaId: areas.north.id,
          activityId: areas.north.activities[provider]!.id,
          startsAt: start,
          minutes: 60,
          quarterHours: 1,
        }),
      });
    }
    const at = new Date(startsAt.getTime() + 2 * 3600_000);
    const outcomes = await all(sessions.map((session) => request(session.id, session.start, { providerId: areas.north.providers[session.provider]!.id, at })));
    expect(tally(codes(outcomes))).toEqual({ issued: 1, OVERLAPPING_SESSION: SCANS - 1 });
    expect(
      await unrevokedCredits(
        areas.north.children[0]!.id,
        sessions.map((session) => session.id),
      ),
    ).toHaveLength(1);
  });

  it("with one key sent by two providers for their own sessions: each gets its own credit, neither blocks the other", async () => {
    const startsAt = nextDay();
    const key = randomUUID();
    const children = [areas.north.children[0]!.id, areas.north.children[1]!.id];
    const sessions = await Promise.all(
      [0, 1].map((provider) =>
        insertSession(db, { areaId: areas.north.id, activityId: areas.north.activities[provider]!.id, startsAt, minutes: 60, quarterHours: 4 }),
      ),
    );
    const requests = Array.from({ length: SCANS }, (_, n) =>
      request(sessions[n % 2]!, startsAt, { childId: children[n % 2]!, providerId: areas.north.providers[n % 2]!.id, idempotencyKey: key }),
    );
    const outcomes = await all(requests);
    expect(tally(codes(outcomes))).toEqual({ issued: 2, replayed: SCANS - 2 });
    for (const [n, childId] of children.entries()) expect(await unrevokedCredits(childId, [sessions[n]!])).toHaveLength(1);
  });
});
