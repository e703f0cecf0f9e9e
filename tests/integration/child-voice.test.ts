import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireChild } from "~/modules/accounts/access.server";
import { loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import { authenticate } from "~/modules/accounts/auth.server";
import { createChildCard, signInChild } from "~/modules/children/child-sign-in.server";
import { activitiesForWishes, ratableActivities, ratingFor, screenWords } from "~/modules/children/child-voice.server";
import { exportChildData, withdrawChild } from "~/modules/children/data-rights.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { action as rateAction, loader as rateLoader } from "~/routes/me.rate.$activityId";
import { action as voiceAction, loader as voiceLoader } from "~/routes/me.voice";
import { contextFor, createPerson, insertSession, seedTwoAreas, settle } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
let guardian: Membership;
const children: Record<string, AppLoadContext> = {};

const post = (path: string, fields: Record<string, string>) => new Request(`http://pasbort.test${path}`, { method: "POST", body: new URLSearchParams(fields) });
const get = (path: string) => new Request(`http://pasbort.test${path}`);
type DataAnswer = { init: { status: number }; data: { errors: Record<string, string> } };

async function childSession(m: Membership, childId: string) {
  const { code } = await createChildCard(db, m, childId, ["cat", "cat", "dog", "dog"]);
  const result = await signInChild(db, { code, pictures: ["cat", "cat", "dog", "dog"] }, "10.8.0.1");
  if (!result.ok) throw new Error("sign-in failed");
  const { signedIn } = await authenticate(db, result.setCookie.split(";")[0]);
  return { signedIn, cspNonce: "t", clientAddress: "10.8.0.1" } satisfies AppLoadContext;
}

const rating = async (activityId: string) =>
  db
    .selectFrom("child_rating")
    .selectAll()
    .where("child_id", "=", areas.north.children[0]!.id)
    .where("activity_id", "=", activityId)
    .orderBy("term_from")
    .execute();

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  const { north } = areas;
  const person = await createPerson(db, {
    email: "voice-guardian@test.example",
    areaId: north.id,
    role: "guardian",
    childIds: [north.children[0]!.id, north.children[1]!.id],
  });
  await contextFor(db, person.userId, person.membershipId);
  guardian = (await loadMemberships(db, person.userId))[0]!;
  children.zero = await childSession(guardian, north.children[0]!.id);
  children.one = await childSession(guardian, north.children[1]!.id);
  // Something coming up for the wishes to match.
  await insertSession(db, { areaId: north.id, activityId: north.activities[1]!.id, startsAt: new Date("2099-03-01T16:00:00Z"), minutes: 60, quarterHours: 4 });
});
afterAll(async () => close());

describe("rating an activity", () => {
  it("is offered for the activities the child has a stamp for, in the term of that stamp", async () => {
    const page = await voiceLoader({ request: get("/me/voice"), context: children.zero!, params: {} });
    expect(page.toRate).toEqual([{ id: areas.north.activities[0]!.id, title: { en: "Football", cy: null }, category: "sport", face: null }]);
    expect((await ratableActivities(db, requireChild(children.zero!)))[0]!.termFrom).toBe("2026-09-01");
  });

  it("saves a face, likes and screened words, once per term, changed by saying it again", async () => {
    const activityId = areas.north.activities[0]!.id;
    const saved = await settle(
      rateAction({
        request: post("/", { face: "4", like_friends: "yes", like_moving: "yes", words: "Great fun with the ball" }),
        context: children.zero!,
        params: { activityId },
      }),
    );
    expect((saved as Response).headers.get("Location")).toBe("/me/voice?saved=rating");
    expect(await rating(activityId)).toMatchObject([
      { face: 4, likes: ["friends", "moving"], words: "Great fun with the ball", words_status: "shown", term_from: "2026-09-01" },
    ]);
    await settle(rateAction({ request: post("/", { face: "5" }), context: children.zero!, params: { activityId } }));
    expect(await rating(activityId)).toMatchObject([{ face: 5, likes: [], words: null, words_status: null }]);
    const page = await rateLoader({ request: get("/"), context: children.zero!, params: { activityId } });
    expect(page.rating).toMatchObject({ face: 5 });
  });

  it("keeps each term's rating: a stamp in a new term opens a new one", async () => {
    const { north } = areas;
    const spring = await insertSession(db, {
      areaId: north.id,
      activityId: north.activities[0]!.id,
      startsAt: new Date("2027-01-20T16:00:00Z"),
      minutes: 60,
      quarterHours: 4,
    });
    await db
      .insertInto("credit")
      .values({
        area_id: north.id,
        child_id: north.children[0]!.id,
        provider_id: north.providers[0]!.id,
        activity_id: north.activities[0]!.id,
        session_id: spring,
        quarter_hours: 4,
        earned_on: "2027-01-20",
        method: "passport_scan",
        idempotency_key: "voice-spring",
      })
      .execute();
    await settle(rateAction({ request: post("/", { face: "3" }), context: children.zero!, params: { activityId: north.activities[0]!.id } }));
    expect((await rating(north.activities[0]!.id)).map((row) => [row.term_from, row.face])).toEqual([
      ["2026-09-01", 5],
      ["2027-01-01", 3],
    ]);
  });

  it("is refused for an activity the child was not credited for, another area's, or a made-up id (404)", async () => {
    for (const activityId of [areas.north.activities[1]!.id, areas.south.activities[0]!.id, "00000000-0000-4000-8000-000000000000", "not-an-id"]) {
      expect(((await settle(rateLoader({ request: get("/"), context: children.zero!, params: { activityId } }))) as Response).status, activityId).toBe(404);
      expect(
        ((await settle(rateAction({ request: post("/", { face: "5" }), context: children.zero!, params: { activityId } }))) as Response).status,
        activityId,
      ).toBe(404);
    }
    // The other child has no stamp at activity 0: refused, and sees nothing of child 0's rating.
    expect(((await settle(ratingFor(db, requireChild(children.one!), areas.north.activities[0]!.id))) as Response).status).toBe(404);
    expect(await db.selectFrom("child_rating").select("id").where("activity_id", "=", areas.north.activities[1]!.id).execute()).toEqual([]);
  });

  it("asks for a face, and keeps words to 280 letters, with messages in the child's language", async () => {
    const activityId = areas.north.activities[0]!.id;
    const noFace = (await rateAction({
      request: post("/", { like_friends: "yes" }),
      context: children.zero!,
      params: { activityId },
    })) as unknown as DataAnswer;
    expect(noFace.init.status).toBe(400);
    expect(noFace.data.errors).toEqual({ face: "childVoice.errors.face" });
    const long = (await rateAction({
      request: post("/", { face: "2", words: "a".repeat(281) }),
      context: children.zero!,
      params: { activityId },
    })) as unknown as DataAnswer;
    expect(long.data.errors).toEqual({ words: "childVoice.errors.wordsTooLong" });
    const badFace = (await rateAction({ request: post("/", { face: "9" }), context: children.zero!, params: { activityId } })) as unknown as DataAnswer;
    expect(badFace.data.errors).toEqual({ face: "childVoice.errors.face" });
  });

  it("does not keep words with personal details or bad language, and says so kindly", async () => {
    const activityId = areas.north.activities[0]!.id;
    const answer = await settle(
      rateAction({ request: post("/", { face: "4", words: "text me on 07700 900123" }), context: children.zero!, params: { activityId } }),
    );
    expect((answer as Response).headers.get("Location")).toBe("/me/voice?saved=rating&withheld=1");
    const rows = await rating(activityId);
    expect(rows.at(-1)).toMatchObject({ face: 4, words: null, words_status: null });
    expect(JSON.stringify(rows)).not.toContain("07700");
  });

  it("is only for a child's own session: a grown-up is sent to the child's sign-in", async () => {
    const person = await createPerson(db, { email: "voice-other@test.example", areaId: areas.north.id, role: "coordinator" });
    const context = await contextFor(db, person.userId, person.membershipId);
    const answer = await settle(rateAction({ request: post("/", { face: "1" }), context, params: { activityId: areas.north.activities[0]!.id } }));
    expect((answer as Response).headers.get("Location")).toBe("/child-sign-in");
  });
});

describe("screening a child's words", () => {
  it("withholds personal details: email, phone number, postcode, web address, social handles", () => {
    for (const text of [
      "email me at sam@example.com",
      "ring 01978 123456",
      "I live at LL11 2AB",
      "see www.mysite.co.uk",
      "follow @sammy_99",
      "add me on snapchat",
    ]) {
      expect(screenWords(text), text).toBe("withheld");
    }
  });
  it("withholds bad language in English and Welsh, even with capitals or endings", () => {
    for (const text of ["It was SHIT", "what the fucking hell", "roedd e'n gachu", "cachu hwch"]) expect(screenWords(text), text).toBe("withheld");
  });
  it("keeps ordinary words, in either language, and words that only contain a bad one", () => {
    for (const text of ["I loved the climbing wall!", "Roedd e'n wych, diolch", "We scored 3 goals", "Scunthorpe and Cockermouth", "the class was fun"]) {
      expect(screenWords(text), text).toBe("shown");
    }
  });
});

describe("what I'd like to try", () => {
  it("saves the kinds picked and shows activities coming up that match, and 'something else' keeps a few screened words", async () => {
    const answer = await settle(
      voiceAction({
        request: post("/", { wish_sport: "yes", wish_arts: "yes", wish_something_else: "yes", somethingElseWords: "chess" }),
        context: children.zero!,
        params: {},
      }),
    );
    expect((answer as Response).headers.get("Location")).toBe("/me/voice?saved=wishes");
    const page = await voiceLoader({ request: get("/me/voice"), context: children.zero!, params: {} });
    expect(new Set(page.wishes.map((wish) => wish.wish))).toEqual(new Set(["sport", "arts", "something_else"]));
    expect(page.wishes.find((wish) => wish.wish === "something_else")?.words).toBe("chess");
    // Both north activities are sport with a session to come (one added above, the spring one); none elsewhere.
    expect(new Set(page.matches.map((activity) => activity.id))).toEqual(new Set(areas.north.activities.map((activity) => activity.id)));
    // Changed: only what is picked now is kept; words with an email address are not kept.
    const changed = await settle(
      voiceAction({ request: post("/", { wish_something_else: "yes", somethingElseWords: "a@b.com" }), context: children.zero!, params: {} }),
    );
    expect((changed as Response).headers.get("Location")).toBe("/me/voice?saved=wishes&withheld=1");
    const rows = await db.selectFrom("child_wish").selectAll().where("child_id", "=", areas.north.children[0]!.id).execute();
    expect(rows).toMatchObject([{ wish: "something_else", words: null }]);
    expect(await activitiesForWishes(db, requireChild(children.zero!))).toEqual([]);
  });

  it("keeps each child's wishes to themselves", async () => {
    const page = await voiceLoader({ request: get("/me/voice"), context: children.one!, params: {} });
    expect(page.wishes).toEqual([]);
    const tooLong = (await voiceAction({
      request: post("/", { wish_sport: "yes", somethingElseWords: "x".repeat(81) }),
      context: children.one!,
      params: {},
    })) as unknown as DataAnswer;
    expect(tooLong.data.errors).toEqual({ somethingElseWords: "childVoice.errors.wishWordsTooLong" });
  });
});

describe("the child's voice is the child's data", () => {
  it("is in the data download and is erased on withdrawal", async () => {
    await settle(voiceAction({ request: post("/", { wish_nature: "yes" }), context: children.zero!, params: {} }));
    const exported = await exportChildData(db, guardian, areas.north.children[0]!.id);
    expect(exported.ratings.map((r) => [r.term, r.face])).toEqual([
      ["2026-09-01", 5],
      ["2027-01-01", 4],
    ]);
    expect(exported.wouldLikeToTry).toMatchObject([{ wish: "nature", words: null }]);
    expect(await withdrawChild(db, guardian, areas.north.children[0]!.id, true)).toEqual({ ok: true });
    expect(await db.selectFrom("child_rating").select("id").where("child_id", "=", areas.north.children[0]!.id).execute()).toEqual([]);
    expect(await db.selectFrom("child_wish").select("wish").where("child_id", "=", areas.north.children[0]!.id).execute()).toEqual([]);
  });
});
