import { randomBytes } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import { childrenWaitingBySchool, guardiansChildrenWaiting, placeWaitingChild } from "~/modules/children/lsoa21-waiting.server";
import { protectCount } from "~/modules/reports/disclosure.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import type { Role } from "~/modules/db/schema";
import { formatPassportNumber, PASSPORT_ALPHABET, passportCheckCharacter } from "~/modules/passports/passport-number";
import { loader as coordinatorLoader } from "~/routes/coordinator._index";
import { action as guardianAction, loader as guardianLoader } from "~/routes/guardian._index";
import { contextFor, createPerson, seedTwoAreas, settle } from "../support/fixtures";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";

// Holt 1 (Wrexham, 2011) was split in 2021 into W01001971 and W01001972.
const SPLIT_2011 = "W01000383";
const SPLIT_HALF = "W01001972";

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
const people: Record<string, { userId: string; m: Membership; context: AppLoadContext }> = {};
let serial = 0;

/** A child of the area, on the split 2011 LSOA and so waiting (as placeOnLsoa21 leaves one). */
async function waitingChild(areaId: string, prefix: "NA" | "SA", schoolId: string | null, givenName = "Plentyn") {
  const n = serial++;
  const body = `7W${PASSPORT_ALPHABET[Math.floor(n / 32)]}${PASSPORT_ALPHABET[n % 32]}XYZ`;
  const row = await db
    .insertInto("child")
    .values({
      area_id: areaId,
      passport_number: formatPassportNumber(prefix, body + passportCheckCharacter(body)),
      passport_token: randomBytes(16).toString("hex"),
      given_name: givenName,
      family_name: "Aros",
      birth_year: 2016,
      birth_month: 3,
      school_id: schoolId,
      home_lsoa_code: SPLIT_2011,
      home_lsoa21_code: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  const { north, south } = areas;
  const [school0, school1] = north.schools.map((school) => school.id);
  const mine = [await waitingChild(north.id, "NA", school0!, "Lowri"), await waitingChild(north.id, "NA", school0!, "Aled")];
  for (let i = 0; i < 5; i++) await waitingChild(north.id, "NA", school0!);
  await waitingChild(north.id, "NA", school1!);
  await waitingChild(north.id, "NA", null);
  for (let i = 0; i < 6; i++) await waitingChild(south.id, "SA", south.schools[0]!.id);
  const specs: Record<string, { areaId: string; role: Role; schoolId?: string; childIds?: string[] }> = {
    coordinator: { areaId: north.id, role: "coordinator" },
    viewer: { areaId: north.id, role: "viewer" },
    school: { areaId: north.id, role: "school", schoolId: school0! },
    guardian: { areaId: north.id, role: "guardian", childIds: mine },
    otherGuardian: { areaId: north.id, role: "guardian" },
  };
  for (const [name, spec] of Object.entries(specs)) {
    const person = await createPerson(db, { email: `${name.toLowerCase()}@waiting.example`, ...spec });
    people[name] = {
      userId: person.userId,
      m: (await loadMemberships(db, person.userId))[0]!,
      context: await contextFor(db, person.userId, person.membershipId),
    };
  }
  await db
    .insertInto("postcode_lsoa")
    .values([
      { postcode: "LL13 9SA", lsoa_code: SPLIT_2011, lsoa21_code: SPLIT_HALF },
      { postcode: "LL13 9ZZ", lsoa_code: SPLIT_2011, lsoa21_code: null }, // an old directory: no 2021 code
      { postcode: "CH1 1AA", lsoa_code: "E01018000", lsoa21_code: "E01018000" },
    ])
    .execute();
});
afterAll(() => close());

describe(`children waiting for a 2021 LSOA on ${testDatabaseKind()}`, () => {
  it("shows the coordinator how many wait, by school, through disclosure control, never another area's", async () => {
    const { schools, total } = await childrenWaitingBySchool(db, people.coordinator!.m);
    const byName = Object.fromEntries(schools.map((school) => [school.name ?? "no school", school.waiting]));
    // 7 at school 1, 1 at school 2, 1 with no school: each published from its children's
    // cell keys (a multiple of 5), the total a cell of its own.
    expect(Object.keys(byName).sort()).toEqual(["no school", "north school 1", "north school 2"]);
    const waiting = await db
      .selectFrom("child")
      .leftJoin("school", "school.id", "child.school_id")
      .select(["school.name", "child.cell_key"])
      .where("child.area_id", "=", areas.north.id)
      .where("child.status", "=", "active")
      .where("child.home_lsoa_code", "is not", null)
      .where("child.home_lsoa21_code", "is", null)
      .execute();
    const tally = (rows: typeof waiting) => ({ count: rows.length, keySum: rows.reduce((sum, row) => sum + row.cell_key, 0) });
    for (const name of ["north school 1", "north school 2", "no school"]) {
      const rows = waiting.filter((row) => (row.name ?? "no school") === name);
      expect(rows.length).toBe(name === "north school 1" ? 7 : 1);
      expect(byName[name]).toEqual(protectCount(tally(rows)));
    }
    expect(total).toEqual(protectCount(tally(waiting)));
    // The page has the same table; the south area's six never appear.
    const page = (await coordinatorLoader({ request: new Request("http://pasbort.test/coordinator"), context: people.coordinator!.context, params: {} })) as {
      waiting: unknown;
    };
    expect(page.waiting).toEqual({ schools, total });
  });

  it("is for the coordinator only", async () => {
    for (const who of ["viewer", "school", "guardian"]) {
      expect(((await settle(childrenWaitingBySchool(db, people[who]!.m))) as Response).status, who).toBe(403);
    }
  });

  it("asks a guardian about their own waiting children only, and places a child from the postcode without keeping it", async () => {
    const asked = await guardianLoader({ request: new Request("http://pasbort.test/guardian"), context: people.guardian!.context, params: {} });
    expect(asked.waiting.map((child) => child.given_name)).toEqual(["Aled", "Lowri"]);
    expect(await guardiansChildrenWaiting(db, people.otherGuardian!.m)).toEqual([]);
    const lowri = asked.waiting.find((child) => child.given_name === "Lowri")!.id;

    const post = (fields: Record<string, string>, who = "guardian") =>
      settle(
        guardianAction({
          request: new Request("http://pasbort.test/guardian", { method: "POST", body: new URLSearchParams(fields) }),
          context: people[who]!.context,
          params: {},
        }),
      );
    const unwrap = (result: unknown) => result as { data: { error: string }; init: { status: number } };
    // Wrong input: a clear message, 400, nothing changed.
    for (const [postcode, error] of [
      ["", "children.reask.errors.postcodeRequired"],
      ["LL13", "children.reask.errors.postcodeInvalid"],
      ["SY23 3BU", "children.reask.errors.postcodeUnknown"],
      ["LL13 9ZZ", "children.reask.errors.postcodeUnknown"],
    ] as const) {
      const result = unwrap(await post({ childId: lowri, [`postcode-${lowri}`]: postcode }));
      expect([result.init.status, result.data.error], postcode).toEqual([400, error]);
    }
    const codes = () => db.selectFrom("child").select(["home_lsoa_code", "home_lsoa21_code"]).where("id", "=", lowri).executeTakeFirstOrThrow();
    expect(await codes()).toEqual({ home_lsoa_code: SPLIT_2011, home_lsoa21_code: null });
    // Another guardian, or no such child: a 404 that says nothing.
    expect(((await post({ childId: lowri, [`postcode-${lowri}`]: "LL13 9SA" }, "otherGuardian")) as Response).status).toBe(404);
    expect(((await post({ childId: "not-a-child", "postcode-not-a-child": "LL13 9SA" })) as Response).status).toBe(404);

    const done = (await post({ childId: lowri, [`postcode-${lowri}`]: " ll13 9sa " })) as Response;
    expect([done.status, done.headers.get("Location")]).toEqual([302, "/guardian?placed=1"]);
    expect(await codes()).toEqual({ home_lsoa_code: SPLIT_2011, home_lsoa21_code: SPLIT_HALF });
    const row = await db.selectFrom("child").selectAll().where("id", "=", lowri).executeTakeFirstOrThrow();
    const audit = await db.selectFrom("audit_event").select(["action", "details"]).where("subject_id", "=", lowri).execute();
    expect(audit).toEqual([{ action: "child_home_placed", details: { geography: "lsoa2021", outsideWales: false } }]);
    expect(JSON.stringify([row, audit])).not.toMatch(/LL13/i);
    // Asked no more; the coordinator's count goes down with it.
    expect((await guardiansChildrenWaiting(db, people.guardian!.m)).map((child) => child.given_name)).toEqual(["Aled"]);
    const { schools } = await childrenWaitingBySchool(db, people.coordinator!.m);
    expect(schools.map((school) => school.waiting.value % 5)).toEqual(schools.map(() => 0));
  });

  it("takes a postcode outside Wales as a move out of Wales: no longer waiting, outside Wales on both geographies", async () => {
    const aled = (await guardiansChildrenWaiting(db, people.guardian!.m))[0]!.id;
    expect(await placeWaitingChild(db, people.guardian!.m, aled, "CH1 1AA")).toEqual({ ok: true });
    expect(await db.selectFrom("child").select(["home_lsoa_code", "home_lsoa21_code"]).where("id", "=", aled).executeTakeFirstOrThrow()).toEqual({
      home_lsoa_code: null,
      home_lsoa21_code: null,
    });
    expect(await guardiansChildrenWaiting(db, people.guardian!.m)).toEqual([]);
  });

  it("does not ask when no postcode directory is loaded: the answer could not be looked up", async () => {
    const { north } = areas;
    const child = await waitingChild(north.id, "NA", null, "Nia");
    await db.insertInto("guardian_child").values({ area_id: north.id, user_id: people.guardian!.userId, child_id: child }).execute();
    const load = () => guardianLoader({ request: new Request("http://pasbort.test/guardian"), context: people.guardian!.context, params: {} });
    expect((await load()).waiting.map((row) => row.given_name)).toEqual(["Nia"]);
    await db.deleteFrom("postcode_lsoa").execute();
    expect((await load()).waiting).toEqual([]);
  });
});
