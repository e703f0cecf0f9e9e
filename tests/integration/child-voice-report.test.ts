import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { loadMemberships } from "~/modules/accounts/actor.server";
import { authenticate } from "~/modules/accounts/auth.server";
import { createChildCard, signInChild } from "~/modules/children/child-sign-in.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import type { RatingLike, Wish } from "~/modules/db/schema";
import { placeOnLsoa21 } from "~/modules/reference/lsoa.server";
import { ratingsSummary, ratingWords, schoolYear, voiceScopeFor, wishesAgainstOffer } from "~/modules/reports/child-voice.server";
import { loader } from "~/routes/reports.voice";
import { contextFor, createPerson, FIXTURE_VALID_UNTIL, seedTwoAreas, settle } from "../support/fixtures";
import { unwrap } from "../support/route-result";
import { formatPassportNumber, passportCheckCharacter } from "~/modules/passports/passport-number";
import { createTestDatabase } from "../support/test-database";

/**
 * What adults see of the child's voice (issue 16): counts only, small ones hidden, each
 * role only its own scope (a provider its own activities; the area's coordinator and viewers
 * the area; the children's words only the coordinator, only where enough children rated).
 */

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
const people: Record<string, AppLoadContext> = {};
let childSession: AppLoadContext;
let arts: string;
const childIds: string[] = [];
let quintile: string;

const get = (search = "") => new Request(`http://pasbort.test/reports/voice${search}`);
const open = async (who: string, search = "?year=2026") => unwrap(await settle(loader({ request: get(search), context: people[who]!, params: {} })));

/** A child of the north area at the fixture's home, with nothing else. */
async function newChild(n: number) {
  const { north } = areas;
  const home = await db.selectFrom("child").select(["home_lsoa_code", "school_id"]).where("id", "=", north.children[0]!.id).executeTakeFirstOrThrow();
  const row = await db
    .insertInto("child")
    .values({
      area_id: north.id,
      passport_number: formatPassportNumber("NA", `VAAAAA${"BCDEFGHJKMNP"[n]}` + passportCheckCharacter(`VAAAAA${"BCDEFGHJKMNP"[n]}`)),
      passport_token: randomBytes(16).toString("hex"),
      given_name: `Voice${n}`,
      family_name: "Tester",
      birth_year: 2016,
      birth_month: 3,
      school_id: home.school_id,
      home_lsoa_code: home.home_lsoa_code,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

async function rate(childId: string, activityId: string, face: number, likes: RatingLike[] = [], words: string | null = null, termFrom = "2026-09-01") {
  const { north } = areas;
  await db
    .insertInto("child_rating")
    .values({ area_id: north.id, child_id: childId, activity_id: activityId, term_from: termFrom, face, likes, words, words_status: words ? "shown" : null })
    .execute();
}

async function wish(childId: string, wishes: Wish[], areaId = areas.north.id) {
  await db
    .insertInto("child_wish")
    .values(wishes.map((w) => ({ area_id: areaId, child_id: childId, wish: w })))
    .execute();
}

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  const { north, south } = areas;
  await db.insertInto("area_local_authority").values({ area_id: north.id, la_code: "W06000006" }).execute();
  // Provider 0 runs football (sport) and an arts club; provider 1 runs football; both are where the children live.
  const home = await db.selectFrom("child").select("home_lsoa_code").where("id", "=", north.children[0]!.id).executeTakeFirstOrThrow();
  await db.updateTable("provider").set({ lsoa_code: home.home_lsoa_code, la_code: "W06000006" }).where("area_id", "=", north.id).execute();
  const activity = await db
    .insertInto("activity")
    .values({
      area_id: north.id,
      provider_id: north.providers[0]!.id,
      title_en: "Art club",
      title_cy: "Clwb celf",
      category: "arts",
      credit_quarter_hours: 4,
      cost_band: "free",
      status: "validated",
      validated_until: FIXTURE_VALID_UNTIL,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  arts = activity.id;
  for (let n = 0; n < 12; n++) childIds.push(await newChild(n));
  await placeOnLsoa21(db);
  const place = await db
    .selectFrom("child")
    .innerJoin("lsoa21", "lsoa21.code", "child.home_lsoa21_code")
    .select("lsoa21.wimd_quintile")
    .where("child.id", "=", childIds[0]!)
    .executeTakeFirstOrThrow();
  quintile = String(place.wimd_quintile);

  const [football0, football1] = [north.activities[0]!.id, north.activities[1]!.id];
  // Provider 0's football: seven ratings this year (five good, one OK, one not good), two with words.
  for (const [i, face] of [5, 5, 5, 4, 4, 3, 1].entries()) {
    await rate(childIds[i]!, football0, face, i < 6 ? ["friends"] : ["moving"], i === 0 ? "Great fun" : i === 1 ? "I liked the goals" : null);
  }
  // Last school year's rating is not this year's.
  await rate(childIds[0]!, football0, 1, [], "Old words", "2026-04-01");
  // Provider 1's football: two ratings, one with words (too few for anyone to read them).
  await rate(childIds[7]!, football1, 4, [], "Too cold");
  await rate(childIds[8]!, football1, 2);
  // Provider 0's arts club: five good ratings.
  for (const i of [0, 1, 2, 3, 4]) await rate(childIds[i]!, arts, 5, ["making"]);
  // Another area's rating never shows in this one.
  await db
    .insertInto("child_rating")
    .values({
      area_id: south.id,
      child_id: south.children[0]!.id,
      activity_id: south.activities[0]!.id,
      term_from: "2026-09-01",
      face: 1,
      words: "South words",
      words_status: "shown",
    })
    .execute();

  // Wishes: six children would like to try arts, two STEM; a south child too.
  for (const i of [0, 1, 2, 3, 4, 5]) await wish(childIds[i]!, i < 2 ? ["arts", "stem"] : ["arts"]);
  await wish(south.children[0]!.id, ["arts"], south.id);

  for (const [name, spec] of Object.entries({
    coordinator: { areaId: north.id, role: "coordinator" },
    viewer: { areaId: north.id, role: "viewer" },
    provider0: { areaId: north.id, role: "provider_owner", providerId: north.providers[0]!.id },
    member1: { areaId: north.id, role: "provider_member", providerId: north.providers[1]!.id },
    southProvider: { areaId: south.id, role: "provider_owner", providerId: south.providers[0]!.id },
    southCoordinator: { areaId: south.id, role: "coordinator" },
    school: { areaId: north.id, role: "school", schoolId: north.schools[0]!.id },
    guardian: { areaId: north.id, role: "guardian", childIds: [childIds[0]!] },
  } as const)) {
    const person = await createPerson(db, { email: `${name.toLowerCase()}@voice.test`, ...spec });
    people[name] = await contextFor(db, person.userId, person.membershipId);
  }
  const guardian = (await loadMemberships(db, people.guardian!.signedIn!.user.id))[0]!;
  const { code } = await createChildCard(db, guardian, childIds[0]!, ["cat", "cat", "sun", "sun"]);
  const signed = await signInChild(db, { code, pictures: ["cat", "cat", "sun", "sun"] }, "10.7.0.1");
  if (!signed.ok) throw new Error("child sign-in failed");
  childSession = { signedIn: (await authenticate(db, signed.setCookie.split(";")[0])).signedIn, cspNonce: "t", clientAddress: "10.7.0.1" };
});
afterAll(async () => close());

/**
 * A count as the disclosure-control layer publishes it: a multiple of 5 within 4 of the true
 * count (`true` given), or for a count known only to lie in [low, high], a multiple of 5 in
 * [low − 4, high + 4].
 */
function near(low: number, high = low) {
  return (count: { value: number; shown: string }) =>
    count.value % 5 === 0 && count.shown === String(count.value) && count.value >= Math.max(0, low - 4) && count.value <= high + 4;
}

describe("a provider", () => {
  it("sees the ratings and likes of its own activities only, through disclosure control", async () => {
    const page = await open("provider0");
    expect(page.status).toBe(200);
    const { ratings, wishes, words } = page.data.summary;
    expect(ratings.by).toBe("activity");
    expect(ratings.rows.map((row: { name: { en: string } }) => row.name.en)).toEqual(["Art club", "Football"]);
    const football = ratings.rows[1];
    expect(football.ratings).toSatisfy(near(7));
    expect(football.bands.happy).toSatisfy(near(5));
    expect(football.bands.okay).toSatisfy(near(0, 4));
    expect(football.bands.unhappy).toSatisfy(near(0, 4));
    // Six ticked "friends" for football, none for art: every count a multiple of 5 within 4 of the truth.
    expect(football.likes.friends).toSatisfy(near(6));
    expect(ratings.total.likes.friends).toSatisfy(near(6));
    expect(football.likes.moving).toSatisfy(near(0, 4));
    expect(ratings.total.ratings).toSatisfy(near(12));
    // Neither the area's wishes nor the children's words.
    expect(wishes).toBeNull();
    expect(words).toBeNull();
  });

  it("cannot see another provider's ratings, in its area or another", async () => {
    const other = await open("member1");
    expect(other.data.summary.ratings.rows.map((row: { key: string }) => row.key)).toEqual([areas.north.activities[1]!.id]);
    expect(other.data.summary.ratings.rows[0].ratings).toSatisfy(near(0, 4));
    const south = await open("southProvider");
    expect(south.data.summary.ratings.rows.map((row: { key: string }) => row.key)).toEqual([areas.south.activities[0]!.id]);
    // Nor group by provider (the area's view), even by asking for it.
    const byProvider = await open("provider0", "?year=2026&by=provider");
    expect(byProvider.status).toBe(400);
    expect(byProvider.data.errors).toEqual({ by: "childVoiceReport.errors.by" });
    expect(byProvider.data.summary).toBeNull();
    await expect(
      ratingsSummary(db, voiceScopeFor((await loadMemberships(db, people.provider0!.signedIn!.user.id))[0]!), { ...schoolYear(2026), by: "provider" }),
    ).rejects.toMatchObject({
      status: 403,
    });
  });
});

describe("the area's coordinator and viewers", () => {
  it("see ratings by category and by provider for the school year asked for", async () => {
    const byCategory = (await open("coordinator", "?year=2026&by=category")).data.summary.ratings;
    expect(byCategory.rows.map((row: { key: string }) => row.key)).toEqual(["sport", "arts"]);
    expect(byCategory.rows[0].ratings).toSatisfy(near(9));
    expect(byCategory.rows[1].bands.happy).toSatisfy(near(5));
    const byProvider = (await open("viewer", "?year=2026&by=provider")).data.summary.ratings;
    // Provider 0's twelve ratings and provider 1's two, each published through the layer, and the total of 14 as a cell of its own.
    expect(byProvider.rows.map((row: { key: string }) => row.key)).toEqual([areas.north.providers[0]!.id, areas.north.providers[1]!.id]);
    expect(byProvider.rows[0].ratings).toSatisfy(near(12));
    expect(byProvider.rows[1].ratings).toSatisfy(near(2));
    expect(byProvider.total.ratings).toSatisfy(near(14));
    // Last school year has only last year's rating.
    const lastYear = (await open("coordinator", "?year=2025&by=category")).data.summary.ratings;
    expect(lastYear.total.ratings).toSatisfy(near(0, 4));
  });

  it("see what children would like to try against what is offered, by quintile and by local authority, without other areas' children", async () => {
    const byQuintile = (await open("viewer", "?year=2026&groups=quintile")).data.summary.wishes;
    expect(byQuintile.groups.map((group: { key: string }) => group.key)).toEqual(["1", "2", "3", "4", "5"]);
    const at = byQuintile.groups.findIndex((group: { key: string }) => group.key === quintile);
    const row = (w: string) => byQuintile.rows.find((r: { wish: string }) => r.wish === w);
    expect(row("arts").children[at]).toSatisfy(near(6));
    expect(row("arts").offered[at]).toBe(1);
    expect(row("sport").offered[at]).toBe(2);
    expect(row("stem").children[at]).toSatisfy(near(0, 4));
    expect(row("something_else").offered).toBeNull();
    const byLa = (await open("coordinator", "?year=2026&groups=la")).data.summary.wishes;
    expect(byLa.groups).toEqual([{ key: "W06000006", name: null }]);
    expect(byLa.rows.find((r: { wish: string }) => r.wish === "arts").childrenTotal).toSatisfy(near(6));
    // The south coordinator sees one child's wish as a small number, never the north's.
    const south = await wishesAgainstOffer(db, voiceScopeFor((await loadMemberships(db, people.southCoordinator!.signedIn!.user.id))[0]!), { by: "quintile" });
    expect(south.rows.find((r) => r.wish === "arts")!.childrenTotal).toSatisfy(near(0, 4));
  });

  it("and only the coordinator read the children's words: screened, for activities with at least five ratings, with no child", async () => {
    const page = await open("coordinator");
    expect(page.data.summary.words).toEqual([
      { activityId: areas.north.activities[0]!.id, title: { en: "Football", cy: null }, words: ["Great fun", "I liked the goals"] },
    ]);
    expect((await open("viewer")).data.summary.words).toBeNull();
    const viewer = (await loadMemberships(db, people.viewer!.signedIn!.user.id))[0]!;
    await expect(ratingWords(db, voiceScopeFor(viewer), schoolYear(2026))).rejects.toMatchObject({ status: 403 });
    // Nothing in the page's data names or points to a child.
    const text = JSON.stringify(page.data);
    for (const id of [...childIds, ...areas.north.children.map((child) => child.id)]) expect(text).not.toContain(id);
    expect(text).not.toMatch(/Voice\d|Tester|Child0/);
    expect(text).not.toContain("South words");
    expect(text).not.toContain("Too cold");
  });
});

describe("everyone else", () => {
  it("is refused: schools, guardians and other areas' staff see none of it; a child's session goes back to the passport", async () => {
    for (const who of ["school", "guardian"]) expect((await open(who)).status, who).toBe(403);
    const southCoordinator = await open("southCoordinator");
    expect(southCoordinator.data.summary.ratings.rows.map((row: { key: string }) => row.key)).toEqual(["sport"]);
    expect(southCoordinator.data.summary.words).toEqual([]);
    const child = unwrap(await settle(loader({ request: get(), context: childSession, params: {} })));
    expect([child.status, child.location]).toEqual([302, "/me"]);
    const signedOut = unwrap(await settle(loader({ request: get(), context: { signedIn: null, cspNonce: "t", clientAddress: "127.0.0.1" }, params: {} })));
    expect(signedOut.location).toMatch(/^\/login/);
  });

  it("gets a clear message for a school year or grouping not offered, and keeps the choices", async () => {
    for (const [search, field] of [
      ["?year=next", "year"],
      ["?year=2999", "year"],
      ["?groups=school", "groups"],
      ["?by=child", "by"],
    ] as const) {
      const page = await open("coordinator", search);
      expect(page.status, search).toBe(400);
      expect(Object.keys(page.data.errors), search).toEqual([field]);
      expect(page.data.summary).toBeNull();
    }
    expect((await open("coordinator", "?year=next&groups=la")).data.values).toEqual({ year: "next", by: "", groups: "la" });
  });
});
