import { randomBytes, randomUUID } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import { issueCredit, revokeCredit } from "~/modules/credits/ledger.server";
import type { DB } from "~/modules/db/database.server";
import type { Role } from "~/modules/db/schema";
import { setDb } from "~/modules/db/db.server";
import { formatPassportNumber, passportCheckCharacter } from "~/modules/passports/passport-number";
import { action as rosterAction, loader as rosterLoader } from "~/routes/provider.sessions.$sessionId_.roster";
import { contextFor, createPerson, insertSession, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";
import { unwrap } from "../support/route-result";
import { ukDate } from "../../app/modules/activities/uk-time.server";

const ORIGIN = "http://pasbort.test";

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
const people: Record<string, { userId: string; context: AppLoadContext; membership: Membership }> = {};
/** Children who came to north provider 0 before (by family name: Ap Dafydd, Bellis, north), and one who never did. */
const kids: Record<string, string> = {};

async function person(name: string, role: Role, extra: { providerId?: string; schoolId?: string } = {}) {
  const created = await createPerson(db, { email: `${name.toLowerCase()}@roster.example`, areaId: areas.north.id, role, ...extra });
  people[name] = { userId: created.userId, context: await contextFor(db, created.userId), membership: (await loadMemberships(db, created.userId))[0]! };
}

async function newSession(startsAt: Date, provider = 0) {
  return insertSession(db, { areaId: areas.north.id, activityId: areas.north.activities[provider]!.id, startsAt, minutes: 60, quarterHours: 4 });
}

/** The n-th past hour-long slot: each test's session its own time, since a child cannot be credited for two sessions at once. */
const slot = (n: number) => new Date(Date.now() - 15 * 60_000 - n * 2 * 3600_000);

async function newChild(givenName: string, familyName: string, body: string) {
  const row = await db
    .insertInto("child")
    .values({
      area_id: areas.north.id,
      passport_number: formatPassportNumber("NA", body + passportCheckCharacter(body)),
      passport_token: randomBytes(16).toString("hex"),
      given_name: givenName,
      family_name: familyName,
      birth_year: 2015,
      birth_month: 9,
      school_id: areas.north.schools[0]!.id,
      home_lsoa_code: (await db.selectFrom("child").select("home_lsoa_code").where("id", "=", areas.north.children[0]!.id).executeTakeFirstOrThrow())
        .home_lsoa_code,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A credit at north provider 0's fixture session: the child "came before". */
async function cameBefore(childId: string) {
  await db
    .insertInto("credit")
    .values({
      area_id: areas.north.id,
      child_id: childId,
      provider_id: areas.north.providers[0]!.id,
      activity_id: areas.north.activities[0]!.id,
      session_id: areas.north.sessions[0]!.id,
      quarter_hours: 4,
      earned_on: "2026-10-01",
      method: "roster",
      idempotency_key: `before-${childId}`,
    })
    .execute();
}

const load = async (sessionId: string, context: AppLoadContext) =>
  unwrap(await settle(rosterLoader({ request: new Request(`${ORIGIN}/provider/sessions/${sessionId}/roster`), context, params: { sessionId } })));

async function submit(sessionId: string, context: AppLoadContext, childIds: string[]) {
  const body = new FormData();
  for (const id of childIds) body.append("child", id);
  const request = new Request(`${ORIGIN}/provider/sessions/${sessionId}/roster`, { method: "POST", body });
  return unwrap(await settle(rosterAction({ request, context, params: { sessionId } })));
}

const activeCredits = (sessionId: string) =>
  db
    .selectFrom("credit")
    .select(["child_id", "method", "idempotency_key", "issued_by"])
    .where("session_id", "=", sessionId)
    .where("revoked_at", "is", null)
    .execute();

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  await person("owner0", "provider_owner", { providerId: areas.north.providers[0]!.id });
  await person("member1", "provider_member", { providerId: areas.north.providers[1]!.id });
  await person("coordinator", "coordinator");
  await person("viewer", "viewer");
  await person("school", "school", { schoolId: areas.north.schools[0]!.id });
  // The fixture's child 0 ("Child0 north") came to provider 0; child 1 only to provider 1.
  kids.child0 = areas.north.children[0]!.id;
  kids.child1 = areas.north.children[1]!.id;
  kids.gwen = await newChild("Gwen", "Bellis", "3D4F5G6");
  kids.osian = await newChild("Osian", "Ap Dafydd", "4E5G6H7");
  kids.never = await newChild("Nia", "Roberts", "5F6H7J8");
  await cameBefore(kids.gwen);
  await cameBefore(kids.osian);
});
afterAll(async () => close());

describe("the register (roster) for a club session", () => {
  it("lists the children who came to this provider before, by family name", async () => {
    const sessionId = await newSession(slot(1));
    const page = await load(sessionId, people.owner0!.context);
    expect(page.status).toBe(200);
    expect(page.data.openness).toBe("OPEN");
    expect(page.data.children.map((child: { familyName: string; givenName: string }) => `${child.givenName} ${child.familyName}`)).toEqual([
      "Osian Ap Dafydd",
      "Gwen Bellis",
      "Child0 north",
    ]);
    // The coordinator sees the same register for this provider's session.
    expect((await load(sessionId, people.coordinator!.context)).data.children).toHaveLength(3);
  });

  it("gives one credit per ticked child, and a second submit does not count twice", async () => {
    const sessionId = await newSession(slot(2));
    const first = await submit(sessionId, people.owner0!.context, [kids.gwen!, kids.osian!]);
    expect(first.data.results.map((r: { givenName: string; status: string }) => [r.givenName, r.status])).toEqual([
      ["Osian", "issued"],
      ["Gwen", "issued"],
    ]);
    const credits = await activeCredits(sessionId);
    expect(credits).toHaveLength(2);
    expect(credits.map((credit) => credit.method)).toEqual(["roster", "roster"]);
    // The register's keys are the server's own and unguessable: nothing in them names the session or the child.
    const keys = credits.map((credit) => credit.idempotency_key);
    expect(new Set(keys).size).toBe(2);
    for (const key of keys) expect(key).toMatch(/^roster:[0-9a-f-]{36}$/);
    for (const id of [sessionId, kids.gwen!, kids.osian!]) expect(keys.join(" ")).not.toContain(id);
    expect(credits.every((credit) => credit.issued_by === people.owner0!.userId)).toBe(true);

    // The same ticks again (a double tap, a colleague's phone): nothing new.
    const second = await submit(sessionId, people.owner0!.context, [kids.gwen!, kids.osian!, kids.child0!]);
    expect(second.data.results.map((r: { givenName: string; status: string }) => [r.givenName, r.status])).toEqual([
      ["Osian", "already"],
      ["Gwen", "already"],
      ["Child0", "issued"],
    ]);
    expect(await activeCredits(sessionId)).toHaveLength(3);

    const page = await load(sessionId, people.owner0!.context);
    expect(page.data.children.every((child: { credited: boolean }) => child.credited)).toBe(true);
  });

  it("ignores ticks for children not on the register, and says when nothing was ticked", async () => {
    const sessionId = await newSession(slot(3));
    const result = await submit(sessionId, people.owner0!.context, [kids.never!, kids.child1!, "not-an-id"]);
    expect(result.data.results).toEqual([]);
    expect(await activeCredits(sessionId)).toHaveLength(0);
    const none = await submit(sessionId, people.owner0!.context, []);
    expect(none.status).toBe(400);
    expect(none.data.formError).toBe("sessionRoster.errors.noneTicked");
  });

  it("reports a scan already given as 'already', and a session that has not started as refused, with the reason", async () => {
    const later = await newSession(new Date(Date.now() + 2 * 86_400_000));
    const refused = await submit(later, people.owner0!.context, [kids.gwen!]);
    expect(refused.data.results).toEqual([expect.objectContaining({ childId: kids.gwen, status: "refused", code: "SESSION_NOT_STARTED" })]);

    const sessionId = await newSession(slot(4));
    await db
      .insertInto("credit")
      .values({
        area_id: areas.north.id,
        child_id: kids.gwen!,
        provider_id: areas.north.providers[0]!.id,
        activity_id: areas.north.activities[0]!.id,
        session_id: sessionId,
        quarter_hours: 4,
        earned_on: ukDate(new Date()),
        method: "passport_scan",
        idempotency_key: randomUUID(),
      })
      .execute();
    const already = await submit(sessionId, people.owner0!.context, [kids.gwen!]);
    expect(already.data.results).toEqual([expect.objectContaining({ status: "already" })]);
  });

  it("can tick a child again after their credit was revoked by mistake", async () => {
    const sessionId = await newSession(slot(5));
    await submit(sessionId, people.owner0!.context, [kids.osian!]);
    const [credit] = await db.selectFrom("credit").select("id").where("session_id", "=", sessionId).execute();
    expect(await revokeCredit(db, people.owner0!.membership, credit!.id, "Ticked the wrong Osian")).toEqual({ ok: true });
    const again = await submit(sessionId, people.owner0!.context, [kids.osian!]);
    expect(again.data.results).toEqual([expect.objectContaining({ status: "issued" })]);
    expect(await activeCredits(sessionId)).toHaveLength(1);
  });

  it("refuses a child already ticked for a session at the same time, with the reason", async () => {
    const first = await newSession(slot(11));
    const overlapping = await newSession(new Date(slot(11).getTime() + 30 * 60_000));
    expect((await submit(first, people.owner0!.context, [kids.gwen!])).data.results).toEqual([expect.objectContaining({ status: "issued" })]);
    const clash = await submit(overlapping, people.owner0!.context, [kids.gwen!, kids.osian!]);
    expect(clash.data.results.map((r: { givenName: string; status: string; code?: string }) => [r.givenName, r.status, r.code])).toEqual([
      ["Osian", "issued", undefined],
      ["Gwen", "refused", "OVERLAPPING_SESSION"],
    ]);
  });

  it("cannot be blocked by someone sending the key they expect the register to use", async () => {
    const sessionId = await newSession(slot(8));
    // The register's keys were `roster:<session>:<child>`: a device of this provider, or any other
    // provider, could use one first for another credit, and the register's tick was then refused
    // as IDEMPOTENCY_KEY_REUSED. Here each guessed key is used first, at an earlier session, by
    // this provider and by another.
    const earlier = [
      await newSession(slot(9)),
      await insertSession(db, { areaId: areas.north.id, activityId: areas.north.activities[1]!.id, startsAt: slot(10), minutes: 60, quarterHours: 4 }),
    ];
    const providers = [areas.north.providers[0]!.id, areas.north.providers[1]!.id];
    for (const [index, childId] of [kids.gwen!, kids.osian!].entries()) {
      const guessed = `roster:${sessionId}:${childId}`;
      const used = await issueCredit(db, {
        areaId: areas.north.id,
        childId: kids.child1!,
        sessionId: earlier[index]!,
        providerId: providers[index],
        method: "passport_scan",
        issuedBy: null,
        idempotencyKey: guessed,
      });
      expect(used).toMatchObject({ ok: true });
    }
    const ticked = await submit(sessionId, people.owner0!.context, [kids.gwen!, kids.osian!]);
    expect(ticked.data.results.map((r: { status: string }) => r.status)).toEqual(["issued", "issued"]);
    // Child 1 back off provider 0's register, as it was.
    await db
      .updateTable("credit")
      .set({ revoked_at: new Date(), revoke_reason: "test over" })
      .where("session_id", "in", earlier)
      .where("revoked_at", "is", null)
      .execute();
  });

  it("is for the session's own staff and the coordinator only", async () => {
    const sessionId = await newSession(slot(6));
    const signedOut = await load(sessionId, signedOutContext);
    expect(signedOut.status).toBe(302);
    expect(signedOut.location).toMatch(/^\/login\?redirectTo=/);
    expect((await load(sessionId, people.viewer!.context)).status).toBe(403);
    expect((await load(sessionId, people.school!.context)).status).toBe(403);
    expect((await load(sessionId, people.member1!.context)).status).toBe(404);
    expect((await submit(sessionId, people.member1!.context, [kids.gwen!])).status).toBe(404);
    expect((await submit(sessionId, people.viewer!.context, [kids.gwen!])).status).toBe(403);
    expect(await activeCredits(sessionId)).toHaveLength(0);
  });
});
