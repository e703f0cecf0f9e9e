import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import { updateActivity, type ActivityInput } from "~/modules/activities/activities.server";
import { cancelSession, createSessions } from "~/modules/activities/sessions.server";
import { addDays, ukDate } from "~/modules/activities/uk-time.server";
import { isCreditable } from "~/modules/credits/eligibility.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { action as editAction, loader as editLoader } from "~/routes/provider.activities.$activityId.edit";
import { action as activityAction, loader as activityLoader } from "~/routes/provider.activities.$activityId._index";
import { action as sessionsAction } from "~/routes/provider.activities.$activityId.sessions.new";
import { loader as listLoader } from "~/routes/provider.activities._index";
import { action as newAction, loader as newLoader } from "~/routes/provider.activities.new";
import { loader as providerHomeLoader } from "~/routes/provider._index";
import { loader as validationLoader } from "~/routes/coordinator.validation.activities.$activityId";
import { directoryActivity } from "~/modules/activities/directory.server";
import { contextFor, createPerson, seedTwoAreas, settle } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";
import { unwrap } from "../support/route-result";

const ORIGIN = "http://pasbort.test";

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
const people: Record<string, { userId: string; context: AppLoadContext; membership: Membership }> = {};

function post(path: string, fields: Record<string, string>) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return new Request(`${ORIGIN}${path}`, { method: "POST", body });
}
const get = (path: string) => new Request(`${ORIGIN}${path}`);

const FORM = {
  titleEn: "Orienteering",
  titleCy: "Cyfeiriannu",
  descriptionEn: "Map reading and route finding in the park.",
  descriptionCy: "Darllen mapiau a dod o hyd i lwybrau yn y parc.",
  category: "nature",
  creditHours: "1.5",
  costBand: "low",
  price: "1.50",
  minAge: "8",
  maxAge: "13",
  venue: "Bellevue Park",
  town: "Wrexham",
  laCode: "W06000006",
  accessibilityNotes: "",
};

const inputFrom = (overrides: Partial<ActivityInput> = {}): ActivityInput => ({
  titleEn: "Orienteering",
  titleCy: "Cyfeiriannu",
  descriptionEn: null,
  descriptionCy: null,
  category: "nature",
  skills: [],
  quarterHours: 6,
  costBand: "free",
  pricePence: null,
  minAge: 8,
  maxAge: 13,
  venue: "Bellevue Park",
  town: "Wrexham",
  laCode: "W06000006",
  welshLanguage: false,
  accessibilityNotes: null,
  ...overrides,
});

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  await db
    .insertInto("area_local_authority")
    .values([
      { area_id: areas.north.id, la_code: "W06000006" },
      { area_id: areas.south.id, la_code: "W06000015" },
    ])
    .execute();
  const { north, south } = areas;
  for (const [name, spec] of Object.entries({
    owner0: { areaId: north.id, role: "provider_owner", providerId: north.providers[0]!.id },
    member0: { areaId: north.id, role: "provider_member", providerId: north.providers[0]!.id },
    owner1: { areaId: north.id, role: "provider_owner", providerId: north.providers[1]!.id },
    southOwner: { areaId: south.id, role: "provider_owner", providerId: south.providers[0]!.id },
    coordinator: { areaId: north.id, role: "coordinator" },
  } as const)) {
    const person = await createPerson(db, { email: `${name.toLowerCase()}@test.example`, ...spec });
    people[name] = {
      userId: person.userId,
      context: await contextFor(db, person.userId, person.membershipId),
      membership: (await loadMemberships(db, person.userId))[0]!,
    };
  }
});
afterAll(async () => close());

async function activityRow(id: string) {
  return db.selectFrom("activity").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

describe("describing activities", () => {
  let created: string;

  it("sends a new activity from the owner to the coordinator's queue, with an audit entry", async () => {
    const result = unwrap(await settle(newAction({ request: post("/provider/activities/new", FORM), params: {}, context: people.owner0!.context })));
    expect(result.status).toBe(302);
    created = /\/provider\/activities\/([0-9a-f-]{36})/.exec(result.location!)![1]!;
    const row = await activityRow(created);
    expect(row).toMatchObject({
      area_id: areas.north.id,
      provider_id: areas.north.providers[0]!.id,
      status: "pending",
      credit_quarter_hours: 6,
      cost_band: "low",
      price_pence: 150,
      venue: "Bellevue Park",
      la_code: "W06000006",
    });
    const audit = await db.selectFrom("audit_event").select(["action", "actor_user_id"]).where("subject_id", "=", created).execute();
    expect(audit).toEqual([{ action: "activity_created", actor_user_id: people.owner0!.userId }]);
  });

  it("explains bad input field by field, bilingual keys in form order, and saves nothing", async () => {
    const before = (await db.selectFrom("activity").select("id").execute()).length;
    const result = unwrap(
      await settle(
        newAction({
          request: post("/provider/activities/new", {
            ...FORM,
            titleEn: "",
            titleCy: "",
            descriptionEn: "",
            descriptionCy: "",
            creditHours: "9",
            maxAge: "5",
            laCode: "W06000015",
          }),
          params: {},
          context: people.owner0!.context,
        }),
      ),
    );
    expect(result.status).toBe(400);
    expect(Object.entries(result.data.errors)).toEqual([
      ["titleEn", "activities.errors.titleRequired"],
      ["creditHours", "activities.errors.hoursTooMany"],
      ["maxAge", "activities.errors.maxAgeBelowMin"],
    ]);
    // A local authority of another area is refused too, once the rest is right.
    const otherArea = unwrap(
      await settle(newAction({ request: post("/provider/activities/new", { ...FORM, laCode: "W06000015" }), params: {}, context: people.owner0!.context })),
    );
    expect(otherArea.data.errors).toEqual({ laCode: "activities.errors.laRequired" });
    expect((await db.selectFrom("activity").select("id").execute()).length).toBe(before);
  });

  it("lets members run sessions but not describe activities", async () => {
    expect(((await settle(newLoader({ request: get("/"), params: {}, context: people.member0!.context }))) as Response).status).toBe(403);
    expect(((await settle(newAction({ request: post("/", FORM), params: {}, context: people.member0!.context }))) as Response).status).toBe(403);
    expect(((await settle(editLoader({ request: get("/"), params: { activityId: created }, context: people.member0!.context }))) as Response).status).toBe(403);
    const list = await listLoader({ request: get("/"), params: {}, context: people.member0!.context });
    expect(list.isOwner).toBe(false);
    expect(list.activities.map((a) => a.id)).toContain(created);
  });

  it("answers 404 to another provider's owner, in this area or another, and changes nothing", async () => {
    for (const name of ["owner1", "southOwner"]) {
      const context = people[name]!.context;
      expect(((await settle(editLoader({ request: get("/"), params: { activityId: created }, context }))) as Response).status, name).toBe(404);
      expect(
        ((await settle(editAction({ request: post("/", { ...FORM, titleEn: "Hijacked" }), params: { activityId: created }, context }))) as Response).status,
        name,
      ).toBe(404);
      expect(((await settle(activityLoader({ request: get("/"), params: { activityId: created }, context }))) as Response).status, name).toBe(404);
      expect(((await settle(sessionsAction({ request: post("/", {}), params: { activityId: created }, context }))) as Response).status, name).toBe(404);
    }
    // Even with bad input, the stranger learns nothing but 404.
    expect(
      (
        (await settle(
          editAction({ request: post("/", { ...FORM, titleEn: "", titleCy: "" }), params: { activityId: created }, context: people.owner1!.context }),
        )) as Response
      ).status,
    ).toBe(404);
    expect(((await settle(editLoader({ request: get("/"), params: { activityId: "not-an-id" }, context: people.owner0!.context }))) as Response).status).toBe(
      404,
    );
    expect((await activityRow(created)).title_en).toBe("Orienteering");
  });

  it("sends a validated activity back for validation when its credit hours change, and only then", async () => {
    await db.updateTable("activity").set({ status: "validated", validated_until: "2099-12-31" }).where("id", "=", created).execute();
    const owner = people.owner0!.membership;
    const future = await db
      .insertInto("activity_session")
      .values([
        {
          area_id: areas.north.id,
          activity_id: created,
          starts_at: new Date("2099-06-01T15:00:00Z"),
          ends_at: new Date("2099-06-01T17:00:00Z"),
          quarter_hours: 6,
          claim_secret: "a".repeat(64),
        },
        {
          area_id: areas.north.id,
          activity_id: created,
          starts_at: new Date("2099-06-08T15:00:00Z"),
          ends_at: new Date("2099-06-08T17:00:00Z"),
          quarter_hours: 4,
          claim_secret: "b".repeat(64),
        },
      ])
      .returning(["id", "quarter_hours"])
      .execute();

    const renamed = await updateActivity(db, owner, created, inputFrom({ titleEn: "Orienteering for beginners", costBand: "free" }));
    expect(renamed).toEqual({ ok: true, activityId: created, sentForValidation: false });
    expect(await activityRow(created)).toMatchObject({ status: "validated", title_en: "Orienteering for beginners", price_pence: 0 });

    const longer = unwrap(
      await settle(editAction({ request: post("/", { ...FORM, creditHours: "2" }), params: { activityId: created }, context: people.owner0!.context })),
    );
    expect(longer.location).toContain("saved=resubmitted");
    expect(await activityRow(created)).toMatchObject({ status: "pending", credit_quarter_hours: 8 });
    // Future sessions on the old hours follow; one set to fewer hours keeps them.
    const sessions = await db
      .selectFrom("activity_session")
      .select(["id", "quarter_hours"])
      .where(
        "id",
        "in",
        future.map((s) => s.id),
      )
      .orderBy("starts_at")
      .execute();
    expect(sessions.map((s) => s.quarter_hours)).toEqual([8, 4]);
    expect(await isCreditable(db, areas.north.id, future[0]!.id, new Date("2099-06-01T16:00:00Z"))).toEqual({ ok: false, reason: "ACTIVITY_NOT_VALIDATED" });
    const audit = await db
      .selectFrom("audit_event")
      .select("details")
      .where("subject_id", "=", created)
      .where("action", "=", "activity_updated")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ quarterHoursFrom: 6, quarterHoursTo: 8, sentForValidation: true });
  });

  it("resubmits an activity the coordinator asked changes to, and shows the reason until then", async () => {
    await db.updateTable("activity").set({ status: "changes_requested", status_reason: "Please add the learning aim." }).where("id", "=", created).execute();
    const page = await activityLoader({ request: get("/"), params: { activityId: created }, context: people.member0!.context });
    expect(page.activity).toMatchObject({ status: "changes_requested", status_reason: "Please add the learning aim." });
    const home = await providerHomeLoader({ request: get("/provider"), params: {}, context: people.owner0!.context });
    expect(home.home.attention.find((a) => a.id === created)).toMatchObject({ status: "changes_requested", status_reason: "Please add the learning aim." });
    const saved = await updateActivity(
      db,
      people.owner0!.membership,
      created,
      inputFrom({ quarterHours: 8, descriptionEn: "Learn to read a map and plan a route." }),
    );
    expect(saved).toMatchObject({ ok: true, sentForValidation: true });
    expect(await activityRow(created)).toMatchObject({ status: "pending", status_reason: null });
  });

  it("will not change a refused activity", async () => {
    await db.updateTable("activity").set({ status: "refused", status_reason: "Not outside school hours." }).where("id", "=", created).execute();
    const result = await updateActivity(db, people.owner0!.membership, created, inputFrom());
    expect(result).toEqual({ ok: false, errors: {}, formError: "activities.errors.notEditable" });
    const sessions = await createSessions(db, people.owner0!.membership, created, {
      repeat: "once",
      date: "2099-01-01",
      until: null,
      startTime: "10:00",
      endTime: "11:00",
      quarterHours: null,
      capacity: null,
    });
    expect(sessions).toEqual({ ok: false, errors: {}, formError: "sessions.errors.activityClosed" });
  });
});

describe("the skills an activity builds (issue 16)", () => {
  /** The form with these skills ticked: checkboxes sharing one name. */
  function postWithSkills(skills: string[], fields: Record<string, string> = FORM) {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.set(name, value);
    for (const skill of skills) body.append("skills", skill);
    return new Request(`${ORIGIN}/provider/activities/new`, { method: "POST", body });
  }

  it("are chosen by the owner from the framework's list, kept in its order, and shown to staff, the coordinator and the public", async () => {
    const result = unwrap(await settle(newAction({ request: postWithSkills(["teamwork", "listening"]), params: {}, context: people.owner0!.context })));
    expect(result.status).toBe(302);
    const id = /\/provider\/activities\/([0-9a-f-]{36})/.exec(result.location!)![1]!;
    expect((await activityRow(id)).skills).toEqual(["listening", "teamwork"]);

    const edit = await editLoader({ request: get("/"), params: { activityId: id }, context: people.owner0!.context });
    expect(edit.values.skills).toBe("listening teamwork");
    const staffPage = await activityLoader({ request: get("/"), params: { activityId: id }, context: people.member0!.context });
    expect(staffPage.activity.skills).toEqual(["listening", "teamwork"]);
    const coordinatorPage = await validationLoader({ request: get("/"), params: { activityId: id }, context: people.coordinator!.context });
    expect(coordinatorPage.activity.skills).toEqual(["listening", "teamwork"]);

    // Validated, the public page shows them; changing skills alone does not send it back for validation.
    await db.updateTable("activity").set({ status: "validated", validated_until: "2099-12-31" }).where("id", "=", id).execute();
    expect((await directoryActivity(db, areas.north.id, id))?.activity.skills).toEqual(["listening", "teamwork"]);
    const changed = unwrap(await settle(editAction({ request: postWithSkills(["creativity"]), params: { activityId: id }, context: people.owner0!.context })));
    expect(changed.location).toContain("saved=updated");
    expect(await activityRow(id)).toMatchObject({ status: "validated", skills: ["creativity"] });
    const audit = await db
      .selectFrom("audit_event")
      .select("details")
      .where("subject_id", "=", id)
      .where("action", "=", "activity_updated")
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ changed: ["skills"], sentForValidation: false });
    // None ticked clears them.
    await settle(editAction({ request: postWithSkills([]), params: { activityId: id }, context: people.owner0!.context }));
    expect((await activityRow(id)).skills).toEqual([]);
  });

  it("refuses more than three, or one not on the list, with a message, keeping every box ticked", async () => {
    const before = (await db.selectFrom("activity").select("id").execute()).length;
    const four = ["listening", "speaking", "creativity", "teamwork"];
    const tooMany = unwrap(await settle(newAction({ request: postWithSkills(four), params: {}, context: people.owner0!.context })));
    expect(tooMany.status).toBe(400);
    expect(tooMany.data.errors).toEqual({ skills: "activities.errors.skillsTooMany" });
    expect(tooMany.data.values).toMatchObject({ titleEn: "Orienteering", skills: four.join(" ") });
    const unknown = unwrap(await settle(newAction({ request: postWithSkills(["teamwork", "juggling"]), params: {}, context: people.owner0!.context })));
    expect(unknown.status).toBe(400);
    expect(unknown.data.errors).toEqual({ skills: "activities.errors.skillUnknown" });
    // Listed with the other errors in the form's order: after the category, before the cost.
    const mixed = unwrap(
      await settle(newAction({ request: postWithSkills(four, { ...FORM, category: "", costBand: "" }), params: {}, context: people.owner0!.context })),
    );
    expect(Object.keys(mixed.data.errors)).toEqual(["category", "skills", "costBand"]);
    expect((await db.selectFrom("activity").select("id").execute()).length).toBe(before);
  });
});

describe("sessions", () => {
  const activityId = () => areas.north.activities[0]!.id;
  const today = ukDate(new Date());

  it("lets a member add a weekly series, all with the same local time, one series id and a 256-bit claim secret each", async () => {
    const start = addDays(today, 1);
    const result = unwrap(
      await settle(
        sessionsAction({
          request: post("/", { repeat: "weekly", date: start, until: addDays(start, 21), startTime: "16:00", endTime: "17:00", capacity: "12" }),
          params: { activityId: activityId() },
          context: people.member0!.context,
        }),
      ),
    );
    const rows = await db
      .selectFrom("activity_session")
      .selectAll()
      .where("activity_id", "=", activityId())
      .where("series_id", "is not", null)
      .orderBy("starts_at")
      .execute();
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((r) => r.series_id)).size).toBe(1);
    // The person lands on what they made: the series' first session.
    expect(result.location).toBe(`/provider/sessions/${rows[0]!.id}?saved=sessionsAdded`);
    expect(new Set(rows.map((r) => r.claim_secret)).size).toBe(4);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.claim_secret) && r.capacity === 12 && r.quarter_hours === 4)).toBe(true);
    const local = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    expect(rows.map((r) => local.format(r.starts_at))).toEqual(["16:00", "16:00", "16:00", "16:00"]);
    const audit = await db.selectFrom("audit_event").select("details").where("action", "=", "sessions_created").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ count: 4, seriesId: rows[0]!.series_id });
  });

  it("explains bad session input and saves none of it", async () => {
    const count = async () => (await db.selectFrom("activity_session").select("id").where("activity_id", "=", activityId()).execute()).length;
    const before = await count();
    const bad = unwrap(
      await settle(
        sessionsAction({
          request: post("/", { repeat: "weekly", date: addDays(today, 1), until: addDays(today, 400), startTime: "17:00", endTime: "16:00", hours: "8.25" }),
          params: { activityId: activityId() },
          context: people.owner0!.context,
        }),
      ),
    );
    expect(bad.status).toBe(400);
    expect(bad.data.errors).toEqual({
      until: "sessions.errors.rangeTooLong",
      endTime: "sessions.errors.endBeforeStart",
      hours: "activities.errors.hoursTooMany",
    });
    const tooMany = unwrap(
      await settle(
        sessionsAction({
          request: post("/", { repeat: "once", date: addDays(today, 2), startTime: "10:00", endTime: "12:00", hours: "1.5" }),
          params: { activityId: activityId() },
          context: people.owner0!.context,
        }),
      ),
    );
    // The fixture's football is validated for 1 hour: a session cannot give more.
    expect(tooMany.data.errors).toEqual({ hours: "sessions.errors.hoursAboveActivity" });
    expect(tooMany.data.values).toMatchObject({ hours: "1.5", date: addDays(today, 2) });
    expect(await count()).toBe(before);
  });

  it("cancels a session of its own provider, which then earns no credits; another provider's is a 404", async () => {
    const session = await db
      .selectFrom("activity_session")
      .select(["id", "starts_at"])
      .where("activity_id", "=", activityId())
      .where("series_id", "is not", null)
      .orderBy("starts_at")
      .executeTakeFirstOrThrow();
    const stranger = await settle(
      activityAction({ request: post("/", { sessionId: session.id }), params: { activityId: activityId() }, context: people.owner1!.context }),
    );
    expect((stranger as Response).status).toBe(404);
    expect(await settle(cancelSession(db, people.owner1!.membership, session.id, null)).then((r) => (r as Response).status)).toBe(404);

    const done = unwrap(
      await settle(
        activityAction({
          request: post("/", { sessionId: session.id, reason: "Pitch waterlogged" }),
          params: { activityId: activityId() },
          context: people.member0!.context,
        }),
      ),
    );
    expect(done.location).toContain("saved=cancelled");
    const row = await db.selectFrom("activity_session").selectAll().where("id", "=", session.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ cancel_reason: "Pitch waterlogged", cancelled_by: people.member0!.userId });
    expect(await isCreditable(db, areas.north.id, session.id, new Date(session.starts_at.getTime() + 60_000))).toEqual({
      ok: false,
      reason: "SESSION_CANCELLED",
    });
    const audit = await db.selectFrom("audit_event").select(["action", "actor_user_id"]).where("subject_id", "=", session.id).execute();
    expect(audit).toEqual([{ action: "session_cancelled", actor_user_id: people.member0!.userId }]);
  });

  it("will not cancel a session that already has credits", async () => {
    const result = await cancelSession(db, people.owner0!.membership, areas.north.sessions[0]!.id, null);
    expect(result).toEqual({ ok: false, formError: "sessions.errors.hasCredits" });
    const row = await db.selectFrom("activity_session").select("cancelled_at").where("id", "=", areas.north.sessions[0]!.id).executeTakeFirstOrThrow();
    expect(row.cancelled_at).toBeNull();
  });

  it("shows the provider home: validation, today's and upcoming sessions, and recent credits", async () => {
    const home = await providerHomeLoader({ request: get("/provider"), params: {}, context: people.owner0!.context });
    expect(home.home.validation).toMatchObject({ status: "validated", validatedUntil: "2099-12-31", expired: false, expiresSoon: false });
    expect(home.home.upcomingSessions.length).toBeGreaterThanOrEqual(3);
    expect(home.home.credits.map((c) => c.id)).toEqual([areas.north.credits[0]!.id]);
    expect(home.home.credits[0]).toMatchObject({ given_name: "Child0", family_initial: "n" });
    expect(home.home.credits[0]).not.toHaveProperty("family_name");
  });
});
