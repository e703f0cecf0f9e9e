import { randomBytes } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncAwards } from "~/modules/awards/awards.server";
import { defaultAwardLadder } from "~/modules/awards/default-ladder";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { formatPassportNumber, passportCheckCharacter } from "~/modules/passports/passport-number";
import { action as ladderAction, loader as ladderLoader } from "~/routes/coordinator.awards._index";
import { action as flaggedAction, loader as flaggedLoader } from "~/routes/coordinator.awards.flagged";
import { loader as coordinatorHomeLoader } from "~/routes/coordinator._index";
import { loader as passportLoader } from "~/routes/guardian.children.$childId._index";
import { contextFor, createPerson, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";
import { unwrap } from "../support/route-result";
import { sameArea } from "~/modules/db/same-area.server";

const ORIGIN = "http://pasbort.test";
let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
const contexts: Record<string, AppLoadContext> = {};

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  for (const area of [areas.north, areas.south]) {
    await db
      .insertInto("award_level")
      .values(
        defaultAwardLadder().map((level) => ({
          area_id: area.id,
          threshold_hours: level.thresholdHours,
          name_en: level.nameEn,
          name_cy: level.nameCy,
          stage: level.stage,
          tier: level.tier,
        })),
      )
      .execute();
  }
  const people = {
    coordinator: { areaId: areas.north.id, role: "coordinator" as const },
    southCoordinator: { areaId: areas.south.id, role: "coordinator" as const },
    school: { areaId: areas.north.id, role: "school" as const, schoolId: areas.north.schools[0]!.id },
    provider: { areaId: areas.north.id, role: "provider_owner" as const, providerId: areas.north.providers[0]!.id },
    guardian: { areaId: areas.north.id, role: "guardian" as const, childIds: [areas.north.children[0]!.id] },
    viewer: { areaId: areas.north.id, role: "viewer" as const },
  };
  for (const [name, options] of Object.entries(people)) {
    const person = await createPerson(db, { email: `${name.toLowerCase()}-ladder@test.example`, ...options });
    contexts[name] = await contextFor(db, person.userId, person.membershipId);
  }
});
afterAll(async () => close());

function post(path: string, fields: Record<string, string>) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return new Request(`${ORIGIN}${path}`, { method: "POST", body });
}

const openLadder = async (who: string) =>
  unwrap(await settle(ladderLoader({ request: new Request(`${ORIGIN}/coordinator/awards`), params: {}, context: contexts[who] ?? signedOutContext })));
const saveLadder = async (who: string, fields: Record<string, string>) =>
  unwrap(await settle(ladderAction({ request: post("/coordinator/awards", fields), params: {}, context: contexts[who] ?? signedOutContext })));
const openFlagged = async (who: string) =>
  unwrap(await settle(flaggedLoader({ request: new Request(`${ORIGIN}/coordinator/awards/flagged`), params: {}, context: contexts[who] ?? signedOutContext })));
const decide = async (who: string, fields: Record<string, string>) =>
  unwrap(await settle(flaggedAction({ request: post("/coordinator/awards/flagged", fields), params: {}, context: contexts[who] ?? signedOutContext })));

interface FormRow {
  id: string | null;
  threshold: string;
  nameEn: string;
  nameCy: string;
  remove?: boolean;
}

/** The ladder form as the page draws it for `who`, with `change` applied to its rows. */
async function ladderForm(who: string, change: (rows: FormRow[]) => void = () => {}, added?: { threshold: string; nameEn: string; nameCy: string }) {
  const page = await openLadder(who);
  const rows: FormRow[] = page.data.levels.map((level: { id: string; thresholdHours: number; nameEn: string; nameCy: string }) => ({
    id: level.id,
    threshold: String(level.thresholdHours),
    nameEn: level.nameEn,
    nameCy: level.nameCy,
  }));
  change(rows);
  const fields: Record<string, string> = { "new-threshold": added?.threshold ?? "", "new-nameEn": added?.nameEn ?? "", "new-nameCy": added?.nameCy ?? "" };
  rows.forEach((row, index) => {
    if (row.id) fields[`level-${index}-id`] = row.id;
    fields[`level-${index}-threshold`] = row.threshold;
    fields[`level-${index}-nameEn`] = row.nameEn;
    fields[`level-${index}-nameCy`] = row.nameCy;
    if (row.remove) fields[`level-${index}-remove`] = "on";
  });
  return fields;
}

const ladderOf = (areaId: string) =>
  db
    .selectFrom("award_level")
    .select(["id", "threshold_hours", "name_en", "name_cy", "stage", "tier"])
    .where("area_id", "=", areaId)
    .orderBy("threshold_hours")
    .execute();

const awardsOf = (childId: string) =>
  db
    .selectFrom("award")
    .innerJoin("award_level", sameArea("award_level.id", "award.award_level_id"))
    .select(["award_level.threshold_hours", "award_level.name_cy", "award.reached_on", "award.certified_at", "award.flagged_at"])
    .where("award.child_id", "=", childId)
    .orderBy("award_level.threshold_hours")
    .execute();

let childCount = 0;
async function newChild(areaId = areas.north.id, prefix = "NA") {
  const body = `${++childCount + 2}CDEFGH`.slice(0, 7);
  const child = await db
    .insertInto("child")
    .values({
      area_id: areaId,
      passport_number: formatPassportNumber(prefix, body + passportCheckCharacter(body)),
      passport_token: randomBytes(16).toString("hex"),
      given_name: `Ladder${childCount}`,
      family_name: "Child",
      birth_year: 2015,
      birth_month: 1,
      school_id: areas.north.schools[1]!.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return child.id;
}

/** Credits `hours` on `day` straight into the ledger (caps are the ledger tests' business) and syncs awards. */
async function credit(childId: string, day: string, hours: number) {
  const session = await db
    .insertInto("activity_session")
    .values({
      area_id: areas.north.id,
      activity_id: areas.north.activities[0]!.id,
      starts_at: new Date(`${day}T09:00:00Z`),
      ends_at: new Date(`${day}T17:00:00Z`),
      quarter_hours: hours * 4,
      claim_secret: randomBytes(32).toString("hex"),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const row = await db
    .insertInto("credit")
    .values({
      area_id: areas.north.id,
      child_id: childId,
      provider_id: areas.north.providers[0]!.id,
      activity_id: areas.north.activities[0]!.id,
      session_id: session.id,
      quarter_hours: hours * 4,
      earned_on: day,
      method: "roster",
      idempotency_key: randomBytes(8).toString("hex"),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await syncAwards(db, areas.north.id, childId, day);
  return row.id;
}

describe("who may see and change the ladder and the flagged awards", () => {
  it("is the area coordinator only: everyone else in the area is refused, and signed-out people sent to sign in", async () => {
    for (const who of ["school", "provider", "guardian", "viewer"]) {
      expect((await openLadder(who)).status, who).toBe(403);
      expect((await openFlagged(who)).status, who).toBe(403);
      expect((await saveLadder(who, await ladderForm("coordinator"))).status, who).toBe(403);
      expect((await decide(who, { intent: "keep", childId: areas.north.children[0]!.id, levelId: (await ladderOf(areas.north.id))[0]!.id })).status, who).toBe(
        403,
      );
    }
    const signedOut = await openLadder("nobody");
    expect(signedOut.status).toBe(302);
    expect(signedOut.location).toMatch(/^\/login\?redirectTo=/);
    expect((await openLadder("coordinator")).data.levels).toHaveLength(30);
  });

  it("keeps each coordinator to their own area", async () => {
    const before = await ladderOf(areas.north.id);
    const south = await openLadder("southCoordinator");
    expect(south.data.levels.map((level: { id: string }) => level.id)).not.toContain(before[0]!.id);
    // The north form (its level ids) posted by the south coordinator changes nothing anywhere.
    const northForm = await ladderForm("coordinator", (rows) => (rows[0]!.nameEn = "Taken over"));
    const refused = await saveLadder("southCoordinator", northForm);
    expect(refused.status).toBe(400);
    expect(refused.data.formError).toEqual({ key: "awards.ladder.errors.stale" });
    expect(await ladderOf(areas.north.id)).toEqual(before);
  });
});

describe("the ladder rules", () => {
  it("refuses equal and falling thresholds and empty names, row by row, saving nothing", async () => {
    const before = await ladderOf(areas.north.id);
    const fields = await ladderForm("coordinator", (rows) => {
      rows[1]!.threshold = "30"; // equal to level 1
      rows[3]!.threshold = "90"; // below level 3 (100)
      rows[5]!.nameEn = " ";
      rows[6]!.nameCy = "";
    });
    const result = await saveLadder("coordinator", fields);
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({
      "level-1-threshold": { key: "awards.ladder.errors.thresholdEqual", values: { row: 2, hours: 30, other: 1 } },
      "level-3-threshold": { key: "awards.ladder.errors.thresholdFalling", values: { row: 4, hours: 90, other: 3, otherHours: 100 } },
      "level-5-nameEn": { key: "awards.ladder.errors.nameEnRequired", values: { row: 6 } },
      "level-6-nameCy": { key: "awards.ladder.errors.nameCyRequired", values: { row: 7 } },
    });
    // What was typed comes back to be corrected.
    expect(result.data.form.rows[3].threshold).toBe("90");
    expect(await ladderOf(areas.north.id)).toEqual(before);
    expect(await db.selectFrom("audit_event").select("id").where("action", "=", "award_ladder_changed").execute()).toEqual([]);
  });

  it("refuses to remove a level with certified awards, or to raise it above a certified child's hours, saying why", async () => {
    const child = await newChild();
    await credit(child, "2026-06-01", 8);
    await credit(child, "2026-06-02", 8);
    await credit(child, "2026-06-03", 8);
    await credit(child, "2026-06-04", 8); // 32 hours
    await db.updateTable("award").set({ certified_at: new Date() }).where("child_id", "=", child).execute();
    const before = await ladderOf(areas.north.id);

    const removal = await saveLadder("coordinator", await ladderForm("coordinator", (rows) => (rows[0]!.remove = true)));
    expect(removal.status).toBe(400);
    expect(removal.data.errors).toEqual({
      "level-0-remove": {
        key: "awards.ladder.errors.removeCertified",
        values: { row: 1, name: "Bronze Undergraduate", nameCy: "Israddedig Efydd", hours: 30, count: 1 },
      },
    });

    const raise = await saveLadder("coordinator", await ladderForm("coordinator", (rows) => (rows[0]!.threshold = "33")));
    expect(raise.status).toBe(400);
    expect(raise.data.errors).toEqual({
      "level-0-threshold": {
        key: "awards.ladder.errors.raiseCertified",
        values: { row: 1, name: "Bronze Undergraduate", nameCy: "Israddedig Efydd", hours: 33, before: 30, count: 1 },
      },
    });
    expect(await ladderOf(areas.north.id)).toEqual(before);
    expect(await awardsOf(child)).toEqual([expect.objectContaining({ threshold_hours: 30, flagged_at: null })]);

    // Raising it to hours the child still has is fine: nothing certified is taken away.
    const fine = await saveLadder("coordinator", await ladderForm("coordinator", (rows) => (rows[0]!.threshold = "32")));
    expect(fine.status).toBe(302);
    expect(await awardsOf(child)).toEqual([expect.objectContaining({ threshold_hours: 32, flagged_at: null })]);
    // Put it back for the tests below.
    expect((await saveLadder("coordinator", await ladderForm("coordinator", (rows) => (rows[0]!.threshold = "30")))).status).toBe(302);
  });

  it("after a valid change brings every child's awards up to date, in both languages, with an audit event", async () => {
    const forty = await newChild();
    for (const [day, hours] of [
      ["2026-07-01", 8],
      ["2026-07-02", 8],
      ["2026-07-03", 8],
      ["2026-07-04", 8],
      ["2026-07-05", 8],
    ] as const)
      await credit(forty, day, hours);
    const twenty = await newChild();
    await credit(twenty, "2026-07-01", 8);
    await credit(twenty, "2026-07-02", 8);
    await credit(twenty, "2026-07-03", 4); // 20 hours: nothing yet
    expect((await awardsOf(forty)).map((award) => award.threshold_hours)).toEqual([30]);

    const fields = await ladderForm(
      "coordinator",
      (rows) => {
        rows[1]!.threshold = "64"; // Silver moves down by an hour
        rows[2]!.threshold = "101"; // Gold moves up, freeing 100…
        rows[2]!.nameCy = "Aur 'Wych";
      },
      { threshold: "35", nameEn: "O'Neill Award", nameCy: "Gwobr Ŵyn O'Neill" },
    );
    fields["new-threshold"] = "35";
    const saved = await saveLadder("coordinator", fields);
    expect(saved.status).toBe(302);
    expect(saved.location).toMatch(/^\/coordinator\/awards\?saved=1&reached=\d+/);

    const ladder = await ladderOf(areas.north.id);
    expect(ladder.slice(0, 4)).toEqual([
      expect.objectContaining({ threshold_hours: 30, name_en: "Bronze Undergraduate" }),
      expect.objectContaining({ threshold_hours: 35, name_en: "O'Neill Award", name_cy: "Gwobr Ŵyn O'Neill", stage: "undergraduate", tier: null }),
      expect.objectContaining({ threshold_hours: 64, name_en: "Silver Undergraduate", tier: "silver" }),
      expect.objectContaining({ threshold_hours: 101, name_cy: "Aur 'Wych", tier: "gold" }),
    ]);
    // The child with 40 hours reached the new level on the day the 35th hour was earned.
    expect(await awardsOf(forty)).toEqual([
      expect.objectContaining({ threshold_hours: 30, reached_on: "2026-07-04" }),
      expect.objectContaining({ threshold_hours: 35, reached_on: "2026-07-05", name_cy: "Gwobr Ŵyn O'Neill" }),
    ]);
    expect(await awardsOf(twenty)).toEqual([]);
    // The page shows the names as they were typed.
    const page = await openLadder("coordinator");
    expect(page.data.levels[1]).toMatchObject({ thresholdHours: 35, nameCy: "Gwobr Ŵyn O'Neill", awards: expect.any(Number) });

    const audit = await db
      .selectFrom("audit_event")
      .select(["details", "actor_user_id"])
      .where("action", "=", "award_ladder_changed")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({
      added: [{ hours: 35, nameEn: "O'Neill Award", nameCy: "Gwobr Ŵyn O'Neill" }],
      changed: expect.arrayContaining([
        expect.objectContaining({ from: expect.objectContaining({ hours: 100 }), to: expect.objectContaining({ hours: 101 }) }),
      ]),
    });

    // A level the child no longer reaches loses its uncertified award; a removed level takes its awards with it.
    const again = await ladderForm("coordinator", (rows) => {
      rows[1]!.remove = true; // the 35-hour level
      rows[0]!.threshold = "31";
    });
    expect((await saveLadder("coordinator", again)).status).toBe(302);
    expect((await awardsOf(forty)).map((award) => award.threshold_hours)).toEqual([31]);
    expect((await awardsOf(twenty)).map((award) => award.threshold_hours)).toEqual([]);
    expect((await saveLadder("coordinator", await ladderForm("coordinator", (rows) => (rows[0]!.threshold = "30")))).status).toBe(302);
  });

  it("offers an area without a ladder the national scheme, and saves it as the area's own", async () => {
    const area = await db
      .insertInto("area")
      .values({ slug: "east", name_en: "Area east", name_cy: "Ardal east", passport_prefix: "EA", settings: "{}" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const person = await createPerson(db, { email: "east-ladder@test.example", areaId: area.id, role: "coordinator" });
    contexts.east = await contextFor(db, person.userId, person.membershipId);
    const page = await openLadder("east");
    expect(page.data.isDefault).toBe(true);
    expect(page.data.levels).toHaveLength(30);
    expect(page.data.levels[0]).toMatchObject({ id: null, thresholdHours: 30, nameCy: "Israddedig Efydd" });
    expect((await saveLadder("east", await ladderForm("east"))).status).toBe(302);
    const saved = await ladderOf(area.id);
    expect(saved).toHaveLength(30);
    expect(saved[29]).toMatchObject({ threshold_hours: 1000, stage: "doctorate", tier: "gold" });
    expect((await openLadder("east")).data.isDefault).toBe(false);
    // The north ladder is untouched by the east area's save.
    expect((await ladderOf(areas.north.id))[0]).toMatchObject({ threshold_hours: 30 });
  });

  it("an unchanged form saves nothing and records nothing", async () => {
    const events = await db.selectFrom("audit_event").select("id").where("action", "=", "award_ladder_changed").execute();
    const result = await saveLadder("coordinator", await ladderForm("coordinator"));
    expect(result).toMatchObject({ status: 302, location: "/coordinator/awards?saved=0" });
    expect(await db.selectFrom("audit_event").select("id").where("action", "=", "award_ladder_changed").execute()).toHaveLength(events.length);
  });
});

describe("flagged awards, through the coordinator's pages", () => {
  it("lists them with hours now, counts them on the home page, and takes a decision", async () => {
    const child = await newChild();
    const credits = [];
    for (const day of ["2026-05-04", "2026-05-05", "2026-05-06", "2026-05-07"]) credits.push(await credit(child, day, 8));
    await db.updateTable("award").set({ certified_at: new Date() }).where("child_id", "=", child).execute();
    await db.updateTable("credit").set({ revoked_at: new Date(), revoke_reason: "test" }).where("id", "=", credits[3]!).execute();
    await syncAwards(db, areas.north.id, child, "2026-05-08");
    const levelId = (await ladderOf(areas.north.id))[0]!.id;

    const list = await openFlagged("coordinator");
    expect(list.data.awards).toEqual([
      expect.objectContaining({
        child_id: child,
        award_level_id: levelId,
        given_name: expect.stringMatching(/^Ladder/),
        school_name: "north school 2",
        threshold_hours: 30,
        quarter_hours: 96,
      }),
    ]);
    const home = unwrap(await settle(coordinatorHomeLoader({ request: new Request(`${ORIGIN}/coordinator`), params: {}, context: contexts.coordinator! })));
    expect(home.data.flaggedAwards).toBe(1);
    expect((await openFlagged("southCoordinator")).data.awards).toEqual([]);

    // The other area's coordinator cannot decide it.
    expect((await decide("southCoordinator", { intent: "keep", childId: child, levelId })).status).toBe(404);
    expect((await decide("southCoordinator", { intent: "withdraw", childId: child, levelId, [`reason-${child}-${levelId}`]: "mine now" })).status).toBe(404);
    // Withdrawing without a reason is refused and says so at the field.
    const noReason = await decide("coordinator", { intent: "withdraw", childId: child, levelId, [`reason-${child}-${levelId}`]: "" });
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors).toEqual({ [`reason-${child}-${levelId}`]: "awards.flagged.errors.reasonRequired" });
    expect(await awardsOf(child)).toEqual([expect.objectContaining({ flagged_at: expect.any(Date) })]);

    const kept = await decide("coordinator", { intent: "keep", childId: child, levelId });
    expect(kept).toMatchObject({ status: 302, location: "/coordinator/awards/flagged?done=kept" });
    expect((await openFlagged("coordinator")).data.awards).toEqual([]);
    expect(await awardsOf(child)).toEqual([expect.objectContaining({ flagged_at: null, certified_at: expect.any(Date) })]);
  });
});

describe("the passport page", () => {
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

  async function activity(
    title: string,
    category: "arts" | "nature" | "stem" | "reading" | "sport",
    costBand: "free" | "low" | "paid",
    laCode: string,
    options: { startsIn?: number | null; minAge?: number } = {},
  ) {
    const row = await db
      .insertInto("activity")
      .values({
        area_id: areas.north.id,
        provider_id: areas.north.providers[1]!.id,
        title_en: title,
        category,
        credit_quarter_hours: 4,
        cost_band: costBand,
        la_code: laCode,
        min_age: options.minAge ?? null,
        status: "validated",
        validated_until: "2099-12-31",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const startsIn = options.startsIn === undefined ? 7 : options.startsIn;
    if (startsIn !== null) {
      await db
        .insertInto("activity_session")
        .values({
          area_id: areas.north.id,
          activity_id: row.id,
          starts_at: inDays(startsIn),
          ends_at: new Date(inDays(startsIn).getTime() + 3600_000),
          quarter_hours: 4,
          claim_secret: randomBytes(32).toString("hex"),
        })
        .execute();
    }
    return row.id;
  }

  it("shows the guardian's own child's awards, next award and new things to try: free first, then nearest", async () => {
    const child = areas.north.children[0]!.id; // 1 hour of sport, home in Wrexham (W06000006)
    const paidNear = await activity("Pottery", "arts", "paid", "W06000006", { startsIn: 2 });
    const freeFar = await activity("Beach clean", "nature", "free", "W06000005", { startsIn: 3 });
    const freeNear = await activity("Coding club", "stem", "free", "W06000006", { startsIn: 9 });
    const lowFar = await activity("Story time", "reading", "low", "W06000005", { startsIn: 1 });
    await activity("Rugby", "sport", "free", "W06000006"); // sport is tried already
    await activity("Drama (no sessions)", "arts", "free", "W06000006", { startsIn: null });
    await activity("Past gig", "arts", "free", "W06000006", { startsIn: -3 });
    await activity("Teen astronomy", "stem", "free", "W06000006", { minAge: 15 });

    const page = unwrap(
      await settle(passportLoader({ request: new Request(`${ORIGIN}/guardian/children/${child}`), params: { childId: child }, context: contexts.guardian! })),
    );
    expect(page.status).toBe(200);
    expect(page.data.progress).toMatchObject({ hours: 1, next: { thresholdHours: 30, hoursToGo: 29 } });
    expect(page.data.awards).toEqual([]);
    expect(page.data.suggestions.map((suggestion: { id: string }) => suggestion.id)).toEqual([freeNear, freeFar, paidNear, lowFar]);
    expect(page.data.suggestions[0]).toMatchObject({ title_en: "Coding club", category: "stem", cost_band: "free", near: true });

    // Another child of the area is not this guardian's: 404, as for a made-up id.
    const other = areas.north.children[1]!.id;
    expect(
      unwrap(
        await settle(passportLoader({ request: new Request(`${ORIGIN}/guardian/children/${other}`), params: { childId: other }, context: contexts.guardian! })),
      ).status,
    ).toBe(404);
  });

  it("lists the awards reached, with their dates, highest first", async () => {
    const child = areas.north.children[0]!.id;
    for (const day of ["2026-04-06", "2026-04-07", "2026-04-08", "2026-04-09"]) await credit(child, day, 8); // 33 hours
    const page = unwrap(
      await settle(passportLoader({ request: new Request(`${ORIGIN}/guardian/children/${child}`), params: { childId: child }, context: contexts.guardian! })),
    );
    expect(page.data.awards).toEqual([
      expect.objectContaining({
        threshold_hours: 30,
        name_en: "Bronze Undergraduate",
        reached_on: "2026-04-09",
        reachedOnText: expect.stringContaining("2026"),
      }),
    ]);
    // Silver is at 64 hours since the ladder change above.
    expect(page.data.progress.next).toMatchObject({ thresholdHours: 64, hoursToGo: 31 });
  });
});
