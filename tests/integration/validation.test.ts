import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import { acceptInvitationWithNewAccount } from "~/modules/accounts/invitations.server";
import { searchDirectory } from "~/modules/activities/directory.server";
import { addMonths, ukDate } from "~/modules/activities/uk-time.server";
import { isCreditable } from "~/modules/credits/eligibility.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { decideActivity, decideProvider, validationQueue, type DecisionInput } from "~/modules/providers/validation.server";
import { action as applyAction } from "~/routes/apply._index";
import { action as statusAction, loader as statusLoader } from "~/routes/apply.status.$token";
import { action as activityDecisionAction, loader as activityDecisionLoader } from "~/routes/coordinator.validation.activities.$activityId";
import { loader as queueLoader } from "~/routes/coordinator.validation._index";
import { action as providerDecisionAction, loader as providerDecisionLoader } from "~/routes/coordinator.validation.providers.$providerId";
import { loader as providerHomeLoader } from "~/routes/provider._index";
import { action as newActivityAction } from "~/routes/provider.activities.new";
import { action as newSessionsAction } from "~/routes/provider.activities.$activityId.sessions.new";
import { contextFor, createPerson, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { lastEmailTo, lastMailTo, openMailbox, tablesContaining, tokenIn } from "../support/outbox";
import { createTestDatabase } from "../support/test-database";
import { unwrap } from "../support/route-result";

const ORIGIN = "http://pasbort.test";
const NEW_PASSWORD = "heather-wren-copper-58";
const CONTACT = "nia@dyffryn-explorers.example";

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
const people: Record<string, { userId: string; context: AppLoadContext; membership: Membership }> = {};

function post(path: string, fields: Record<string, string | string[]>) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
  return new Request(`${ORIGIN}${path}`, { method: "POST", body });
}
const get = (path: string) => new Request(`${ORIGIN}${path}`);

const ALL_CRITERIA = ["voluntary", "outsideSchoolHours", "learningAim", "furtherStudy"];
const APPLICATION = {
  name: "Dyffryn Explorers",
  nameCy: "Fforwyr y Dyffryn",
  kind: "nature",
  laCode: "W06000006",
  town: "Llangollen Road",
  contactName: "Nia Evans",
  contactEmail: "Nia@Dyffryn-Explorers.example",
  contactPhone: "01978 123456",
  activitiesSummary: "Weekly nature walks and pond dipping for ages 6 to 12, on Saturday mornings.",
  dbs: "on",
  policy: "on",
};

let mailbox: ReturnType<typeof openMailbox>;

beforeAll(async () => {
  mailbox = openMailbox();
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  // The fixture's areas cover one local authority each: picking Wrexham on the form picks north.
  await db
    .insertInto("area_local_authority")
    .values([
      { area_id: areas.north.id, la_code: "W06000006" },
      { area_id: areas.south.id, la_code: "W06000015" },
    ])
    .execute();
  for (const [name, spec] of Object.entries({
    coordinator: { areaId: areas.north.id, role: "coordinator" },
    southCoordinator: { areaId: areas.south.id, role: "coordinator" },
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

describe("applying, validating and inviting: the whole path", () => {
  let providerId: string;
  let statusToken: string;
  let activityId: string;

  it("refuses an application without all three safeguarding confirmations, saving nothing", async () => {
    const before = await db
      .selectFrom("provider")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const result = unwrap(await settle(applyAction({ request: post("/apply", { ...APPLICATION, dbs: "" }), params: {}, context: signedOutContext })));
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({ dbs: "apply.errors.dbsRequired", insurance: "apply.errors.insuranceRequired" });
    expect(result.data.values.name).toBe("Dyffryn Explorers");
    const after = await db
      .selectFrom("provider")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it("takes a complete application as a pending Learning Destination in the area of its local authority", async () => {
    const result = unwrap(await settle(applyAction({ request: post("/apply", { ...APPLICATION, insurance: "on" }), params: {}, context: signedOutContext })));
    expect(result.status).toBe(302);
    statusToken = /\/apply\/status\/([^?]+)/.exec(result.location ?? "")![1]!;
    const provider = await db.selectFrom("provider").selectAll().where("name_en", "=", "Dyffryn Explorers").executeTakeFirstOrThrow();
    providerId = provider.id;
    expect(provider).toMatchObject({
      area_id: areas.north.id,
      status: "pending",
      kind: "nature",
      la_code: "W06000006",
      contact_email: CONTACT,
      name_cy: "Fforwyr y Dyffryn",
    });
    expect(provider.safeguarding).toMatchObject({ dbs: true, policy: true, insurance: true });
    // The applicant is emailed their private status link, which is stored only as a hash.
    expect(tokenIn(lastMailTo(CONTACT).text, "apply/status")).toBe(statusToken);
    expect(await tablesContaining(db, statusToken)).toEqual([]);
    const page = await statusLoader({ request: get(`/apply/status/${statusToken}`), params: { token: statusToken }, context: signedOutContext });
    expect(page.application.status).toBe("pending");
  });

  it("puts it in the coordinator's queue, and only the coordinator of that area can open it", async () => {
    const queue = await queueLoader({ request: get("/coordinator/validation"), params: {}, context: people.coordinator!.context });
    expect(queue.queue.applications.map((p) => p.id)).toContain(providerId);
    const south = await settle(providerDecisionLoader({ request: get("/"), params: { providerId }, context: people.southCoordinator!.context }));
    expect((south as Response).status).toBe(404);
    const southDecision = await settle(
      providerDecisionAction({
        request: post("/", { decision: "validated", criteria: ALL_CRITERIA }),
        params: { providerId },
        context: people.southCoordinator!.context,
      }),
    );
    expect((southDecision as Response).status).toBe(404);
    const southQueue = await queueLoader({ request: get("/coordinator/validation"), params: {}, context: people.southCoordinator!.context });
    expect(southQueue.queue.applications.map((p) => p.id)).not.toContain(providerId);
  });

  it("needs every criterion ticked to approve, and a reason to ask for changes", async () => {
    const unticked = unwrap(
      await settle(
        providerDecisionAction({
          request: post("/", { decision: "validated", criteria: ALL_CRITERIA.slice(1) }),
          params: { providerId },
          context: people.coordinator!.context,
        }),
      ),
    );
    expect(unticked.status).toBe(400);
    expect(unticked.data.errors).toEqual({ criteria: "validation.errors.criteriaRequired" });
    const noReason = unwrap(
      await settle(
        providerDecisionAction({
          request: post("/", { decision: "changes_requested", reason: "  " }),
          params: { providerId },
          context: people.coordinator!.context,
        }),
      ),
    );
    expect(noReason.data.errors).toEqual({ reason: "validation.errors.reasonRequired" });
    expect((await db.selectFrom("provider").select("status").where("id", "=", providerId).executeTakeFirstOrThrow()).status).toBe("pending");
  });

  it("asks for changes: the applicant sees the reason at a fresh link, edits and sends again", async () => {
    const reason = "Please tell us which ages each walk is for, and what children learn.";
    const asked = unwrap(
      await settle(
        providerDecisionAction({ request: post("/", { decision: "changes_requested", reason }), params: { providerId }, context: people.coordinator!.context }),
      ),
    );
    expect(asked.status).toBe(302);
    const email = await lastEmailTo(db, CONTACT);
    expect(email.body_text).toContain(reason);
    expect(email.language).toBe("en");
    const oldToken = statusToken;
    statusToken = tokenIn(lastMailTo(email.to_email).text, "apply/status");
    expect(statusToken).not.toBe(oldToken);
    expect(((await settle(statusLoader({ request: get("/"), params: { token: oldToken }, context: signedOutContext }))) as Response).status).toBe(404);

    const page = await statusLoader({ request: get("/"), params: { token: statusToken }, context: signedOutContext });
    expect(page.application).toMatchObject({ status: "changes_requested", reason });
    expect(page.values.activitiesSummary).toBe(APPLICATION.activitiesSummary);

    const resent = unwrap(
      await statusAction({
        request: post("/", {
          ...APPLICATION,
          activitiesSummary: "Nature walks for ages 6 to 12 (learning to identify trees and birds) and pond dipping for 8 to 12.",
          insurance: "on",
        }),
        params: { token: statusToken },
        context: signedOutContext,
      }),
    );
    expect(resent.data.sent).toBe(true);
    const provider = await db
      .selectFrom("provider")
      .select(["status", "status_reason", "activities_summary"])
      .where("id", "=", providerId)
      .executeTakeFirstOrThrow();
    expect(provider).toMatchObject({ status: "pending", status_reason: null });
    expect(provider.activities_summary).toContain("identify trees");
  });

  it("approves for 12 months and invites the contact as the owner, in the language they applied in", async () => {
    const approved = unwrap(
      await settle(
        providerDecisionAction({
          request: post("/", { decision: "validated", criteria: ALL_CRITERIA }),
          params: { providerId },
          context: people.coordinator!.context,
        }),
      ),
    );
    expect(approved.status).toBe(302);
    expect(approved.location).toContain("invited=1");
    const provider = await db.selectFrom("provider").selectAll().where("id", "=", providerId).executeTakeFirstOrThrow();
    expect(provider.status).toBe("validated");
    expect(provider.validated_until).toBe(addMonths(ukDate(new Date()), 12));
    const invitation = await db.selectFrom("invitation").selectAll().where("provider_id", "=", providerId).executeTakeFirstOrThrow();
    expect(invitation).toMatchObject({
      email: CONTACT,
      role: "provider_owner",
      area_id: areas.north.id,
      language: "en",
      invited_by: people.coordinator!.userId,
    });
    const decisions = await db
      .selectFrom("validation_decision")
      .select(["decision", "criteria"])
      .where("provider_id", "=", providerId)
      .orderBy("decided_at")
      .execute();
    expect(decisions.map((d) => d.decision)).toEqual(["changes_requested", "validated"]);
    expect(decisions[1]!.criteria).toEqual({ voluntary: true, outsideSchoolHours: true, learningAim: true, furtherStudy: true });
    const actions = await db.selectFrom("audit_event").select("action").where("subject_id", "in", [providerId, invitation.id]).orderBy("id").execute();
    expect(actions.map((a) => a.action)).toEqual([
      "provider_applied",
      "provider_changes_requested",
      "provider_resubmitted",
      "provider_validated",
      "invitation_sent",
    ]);
  });

  it("lets the invited owner in, to add an activity that then waits for the coordinator", async () => {
    const invitation = mailbox.filter((mail) => mail.to === CONTACT && /nvit/.test(mail.subject)).at(-1)!;
    const token = tokenIn(invitation.text, "invite");
    const accepted = await acceptInvitationWithNewAccount(db, token, { displayName: "Nia Evans", password: NEW_PASSWORD });
    expect(accepted).toMatchObject({ ok: true, home: "/provider" });
    if (!accepted.ok) return;
    people.owner = {
      userId: accepted.userId,
      context: await contextFor(db, accepted.userId, accepted.membershipId),
      membership: (await loadMemberships(db, accepted.userId))[0]!,
    };
    expect(people.owner.membership).toMatchObject({ role: "provider_owner", providerId });

    const home = await providerHomeLoader({ request: get("/provider"), params: {}, context: people.owner.context });
    expect(home.home.validation).toMatchObject({ status: "validated", expired: false });

    const created = unwrap(
      await settle(
        newActivityAction({
          request: post("/provider/activities/new", {
            titleEn: "Pond Dipping",
            titleCy: "Trochi mewn Pyllau",
            descriptionEn: "Find out what lives in the pond, and how to look after it.",
            category: "nature",
            creditHours: "1.5",
            costBand: "free",
            minAge: "6",
            maxAge: "12",
            venue: "Alyn Waters Country Park",
            town: "Gwersyllt",
            laCode: "W06000006",
            welshLanguage: "on",
          }),
          params: {},
          context: people.owner.context,
        }),
      ),
    );
    expect(created.status).toBe(302);
    activityId = /\/provider\/activities\/([0-9a-f-]{36})/.exec(created.location!)![1]!;
    const queue = await queueLoader({ request: get("/coordinator/validation"), params: {}, context: people.coordinator!.context });
    expect(queue.queue.activities.map((a) => a.id)).toEqual([activityId]);
    expect((await searchDirectory(db, areas.north.id, { page: 1, q: "Pond" })).total).toBe(0);
  });

  it("approves the activity: it is listed, and its sessions earn credits", async () => {
    const south = await settle(activityDecisionLoader({ request: get("/"), params: { activityId }, context: people.southCoordinator!.context }));
    expect((south as Response).status).toBe(404);
    const approved = unwrap(
      await settle(
        activityDecisionAction({
          request: post("/", { decision: "validated", criteria: ALL_CRITERIA }),
          params: { activityId },
          context: people.coordinator!.context,
        }),
      ),
    );
    expect(approved.status).toBe(302);
    const listed = await searchDirectory(db, areas.north.id, { page: 1, q: "Pond", welsh: true, cost: "free", category: "nature", age: 7 });
    expect(listed.items.map((item) => item.id)).toEqual([activityId]);

    const tomorrow = ukDate(new Date(Date.now() + 86_400_000));
    const added = unwrap(
      await settle(
        newSessionsAction({
          request: post("/", { repeat: "weekly", date: tomorrow, until: addMonths(tomorrow, 1), startTime: "10:00", endTime: "11:30" }),
          params: { activityId },
          context: people.owner!.context,
        }),
      ),
    );
    expect(added.status).toBe(302);
    const sessions = await db.selectFrom("activity_session").selectAll().where("activity_id", "=", activityId).orderBy("starts_at").execute();
    expect(sessions.length).toBeGreaterThanOrEqual(4);
    expect(new Set(sessions.map((s) => s.series_id)).size).toBe(1);
    expect(sessions.every((s) => /^[0-9a-f]{64}$/.test(s.claim_secret))).toBe(true);
    const first = sessions[0]!;
    expect(await isCreditable(db, areas.north.id, first.id, new Date(first.starts_at.getTime() + 60_000))).toMatchObject({
      ok: true,
      session: { activityId, providerId, quarterHours: 6, earnedOn: tomorrow },
    });
    expect(await isCreditable(db, areas.north.id, first.id, new Date())).toEqual({ ok: false, reason: "SESSION_NOT_STARTED" });
    // Another area cannot use the session at all.
    expect(await isCreditable(db, areas.south.id, first.id, new Date(first.starts_at.getTime() + 60_000))).toEqual({ ok: false, reason: "SESSION_NOT_FOUND" });
  });
});

describe("refusing", () => {
  it("shows the applicant the reason, and leaves nothing more to decide", async () => {
    const result = unwrap(
      await settle(
        applyAction({
          request: post("/apply", { ...APPLICATION, name: "Quick Cash Coaching", contactEmail: "cash@example.org", insurance: "on" }),
          params: {},
          context: signedOutContext,
        }),
      ),
    );
    const token = /\/apply\/status\/([^?]+)/.exec(result.location!)![1]!;
    const provider = await db.selectFrom("provider").select("id").where("name_en", "=", "Quick Cash Coaching").executeTakeFirstOrThrow();
    const reason = "These are paid one-to-one lessons in school time, so they do not meet the Children's University criteria.";
    await providerDecisionAction({
      request: post("/", { decision: "refused", reason }),
      params: { providerId: provider.id },
      context: people.coordinator!.context,
    }).catch((r) => r);
    const fresh = tokenIn(lastMailTo("cash@example.org").text, "apply/status");
    const page = await statusLoader({ request: get("/"), params: { token: fresh }, context: signedOutContext });
    expect(page.application).toMatchObject({ status: "refused", reason });
    expect(token).not.toBe(fresh);
    const again = unwrap(
      await settle(
        providerDecisionAction({
          request: post("/", { decision: "validated", criteria: ALL_CRITERIA }),
          params: { providerId: provider.id },
          context: people.coordinator!.context,
        }),
      ),
    );
    expect(again.data.formError).toBe("validation.errors.alreadyRefused");
    expect(await db.selectFrom("invitation").select("id").where("provider_id", "=", provider.id).execute()).toEqual([]);
  });

  it("will not approve an activity whose Learning Destination is not validated", async () => {
    const pending = await db
      .insertInto("provider")
      .values({ area_id: areas.north.id, name_en: "Not Yet Club", kind: "other", status: "pending", safeguarding: "{}" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const activity = await db
      .insertInto("activity")
      .values({
        area_id: areas.north.id,
        provider_id: pending.id,
        title_en: "Chess",
        category: "stem",
        credit_quarter_hours: 4,
        cost_band: "free",
        status: "pending",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const input: DecisionInput = {
      decision: "validated",
      reason: null,
      criteria: { voluntary: true, outsideSchoolHours: true, learningAim: true, furtherStudy: true },
    };
    expect(await decideActivity(db, people.coordinator!.membership, activity.id, input)).toEqual({
      ok: false,
      formError: "validation.errors.providerNotValidated",
    });
  });

  it("is only for coordinators", async () => {
    const owner = people.owner!;
    const page = await settle(queueLoader({ request: get("/coordinator/validation"), params: {}, context: owner.context }));
    expect((page as Response).status).toBe(403);
  });

  it("limits applications from one address", async () => {
    let last: ReturnType<typeof unwrap> | null = null;
    for (let n = 0; n < 6; n++) {
      last = unwrap(
        await settle(
          applyAction({
            request: post("/apply", { ...APPLICATION, name: `Spam ${n}`, insurance: "on" }),
            params: {},
            context: { ...signedOutContext, clientAddress: "10.66.0.1" },
          }),
        ),
      );
    }
    expect(last?.status).toBe(429);
    expect(last?.data.formError).toMatchObject({ key: "apply.rateLimited" });
    expect((await db.selectFrom("provider").select("id").where("name_en", "like", "Spam %").execute()).length).toBe(5);
  });
});

describe("expiry", () => {
  it("takes an activity out of the directory and stops its credits once the validation runs out", async () => {
    const { north } = areas;
    const coordinator = people.coordinator!.membership;
    const criteria = { voluntary: true, outsideSchoolHours: true, learningAim: true, furtherStudy: true };
    const provider = await db
      .insertInto("provider")
      .values({ area_id: north.id, name_en: "Expiry Rangers", kind: "nature", status: "pending", safeguarding: "{}", la_code: "W06000006", town: "Wrexham" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const activity = await db
      .insertInto("activity")
      .values({
        area_id: north.id,
        provider_id: provider.id,
        title_en: "Expiry Walks",
        category: "nature",
        credit_quarter_hours: 4,
        cost_band: "free",
        status: "pending",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const decidedAt = new Date("2026-01-10T10:00:00Z");
    expect(await decideProvider(db, coordinator, provider.id, { decision: "validated", reason: null, criteria }, ORIGIN, decidedAt)).toMatchObject({
      ok: true,
      validatedUntil: "2027-01-10",
    });
    expect(await decideActivity(db, coordinator, activity.id, { decision: "validated", reason: null, criteria }, decidedAt)).toMatchObject({
      ok: true,
      validatedUntil: "2027-01-10",
    });

    const session = async (startsAt: string) =>
      (
        await db
          .insertInto("activity_session")
          .values({
            area_id: north.id,
            activity_id: activity.id,
            starts_at: new Date(startsAt),
            ends_at: new Date(new Date(startsAt).getTime() + 3_600_000),
            quarter_hours: 4,
            claim_secret: "x".repeat(64),
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    // The last day of the validation still counts (Welsh date), the day after does not.
    const lastDay = await session("2027-01-10T16:00:00Z");
    const dayAfter = await session("2027-01-11T16:00:00Z");
    const later = new Date("2027-02-01T12:00:00Z");
    expect((await isCreditable(db, north.id, lastDay, later)).ok).toBe(true);
    expect(await isCreditable(db, north.id, dayAfter, later)).toEqual({ ok: false, reason: "VALIDATION_EXPIRED" });

    const listedOn = async (when: string) => (await searchDirectory(db, north.id, { page: 1, q: "Expiry" }, new Date(when))).items.map((item) => item.id);
    expect(await listedOn("2027-01-10T20:00:00Z")).toEqual([activity.id]);
    expect(await listedOn("2027-01-11T00:30:00Z")).toEqual([]);

    // Sixty days before, it shows among the validations running out; renewing runs on from the old end date.
    const queue = await validationQueue(db, coordinator, new Date("2026-11-20T12:00:00Z"));
    expect(queue.expiringProviders.map((p) => p.id)).toContain(provider.id);
    expect(queue.expiringActivities.map((a) => a.id)).toContain(activity.id);
    const early = await validationQueue(db, coordinator, new Date("2026-10-01T12:00:00Z"));
    expect(early.expiringProviders.map((p) => p.id)).not.toContain(provider.id);
    expect(
      await decideProvider(db, coordinator, provider.id, { decision: "validated", reason: null, criteria }, ORIGIN, new Date("2026-12-01T12:00:00Z")),
    ).toMatchObject({
      validatedUntil: "2028-01-10",
    });
  });

  it("says why a session cannot earn credits", async () => {
    const { north } = areas;
    const at = new Date("2026-10-01T18:00:00Z");
    const sessionId = north.sessions[1]!.id;
    expect((await isCreditable(db, north.id, sessionId, at)).ok).toBe(true);
    expect(await isCreditable(db, north.id, "not-a-uuid", at)).toEqual({ ok: false, reason: "SESSION_NOT_FOUND" });
    expect(await isCreditable(db, north.id, sessionId, new Date("2026-10-01T15:59:00Z"))).toEqual({ ok: false, reason: "SESSION_NOT_STARTED" });

    await db.updateTable("activity").set({ status: "pending" }).where("id", "=", north.activities[1]!.id).execute();
    expect(await isCreditable(db, north.id, sessionId, at)).toEqual({ ok: false, reason: "ACTIVITY_NOT_VALIDATED" });
    await db.updateTable("activity").set({ status: "validated" }).where("id", "=", north.activities[1]!.id).execute();

    await db.updateTable("provider").set({ status: "suspended" }).where("id", "=", north.providers[1]!.id).execute();
    expect(await isCreditable(db, north.id, sessionId, at)).toEqual({ ok: false, reason: "PROVIDER_NOT_VALIDATED" });
    await db.updateTable("provider").set({ status: "validated" }).where("id", "=", north.providers[1]!.id).execute();

    await db.updateTable("activity_session").set({ cancelled_at: at }).where("id", "=", sessionId).execute();
    expect(await isCreditable(db, north.id, sessionId, at)).toEqual({ ok: false, reason: "SESSION_CANCELLED" });
    await db.updateTable("activity_session").set({ cancelled_at: null }).where("id", "=", sessionId).execute();
    expect((await isCreditable(db, north.id, sessionId, at)).ok).toBe(true);
  });
});
