import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import { authenticate } from "~/modules/accounts/auth.server";
import { acceptInvitationWithNewAccount, sendInvitation, viewInvitation } from "~/modules/accounts/invitations.server";
import { publicOrigin } from "~/modules/accounts/links.server";
import { hashSecretToken } from "~/modules/accounts/secret-token.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { action as invitationsAction, loader as invitationsLoader } from "~/routes/coordinator.invitations";
import { action as inviteAction, loader as inviteLoader } from "~/routes/invite.$token";
import { action as staffAction, loader as staffLoader } from "~/routes/provider.staff";
import { contextFor, createPerson, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { lastEmailTo, lastMailTo, openMailbox, tablesContaining, tokenIn } from "../support/outbox";
import { createTestDatabase } from "../support/test-database";
import { unwrap } from "../support/route-result";

const ORIGIN = "http://pasbort.test";
// Links in emails come from PUBLIC_URL (never from the request): this site's address here.
const savedPublicUrl = process.env.PUBLIC_URL;
beforeAll(() => {
  process.env.PUBLIC_URL = ORIGIN;
  openMailbox();
});
afterAll(() => {
  if (savedPublicUrl === undefined) delete process.env.PUBLIC_URL;
  else process.env.PUBLIC_URL = savedPublicUrl;
});
const NEW_PASSWORD = "bracken-curlew-lantern-91";

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
const people: Record<string, { userId: string; membershipId: string; context: AppLoadContext; membership: Membership }> = {};

function post(path: string, fields: Record<string, string>) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return new Request(`${ORIGIN}${path}`, { method: "POST", body });
}
const get = (path: string) => new Request(`${ORIGIN}${path}`);

/** What a route returned with data(): its payload and status. */

async function invite(inviter: string, fields: Record<string, string>) {
  return settle(invitationsAction({ request: post("/coordinator/invitations", fields), params: {}, context: people[inviter]!.context }));
}

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  const { north, south } = areas;
  const specs = {
    coordinator: { areaId: north.id, role: "coordinator" },
    southCoordinator: { areaId: south.id, role: "coordinator" },
    owner: { areaId: north.id, role: "provider_owner", providerId: north.providers[0]!.id },
    member: { areaId: north.id, role: "provider_member", providerId: north.providers[0]!.id },
    school: { areaId: north.id, role: "school", schoolId: north.schools[0]!.id },
  } as const;
  for (const [name, spec] of Object.entries(specs)) {
    const person = await createPerson(db, { email: `${name.toLowerCase()}@test.example`, ...spec });
    const membership = (await loadMemberships(db, person.userId))[0]!;
    people[name] = { ...person, membership, context: await contextFor(db, person.userId, person.membershipId) };
  }
});
afterAll(async () => close());

describe("a coordinator's invitation", () => {
  let token: string;

  it("is sent by email in the chosen language, with an absolute single-use link whose token is stored only as a hash", async () => {
    const result = unwrap(
      await invite("coordinator", { email: " Nia.Evans@Example.org ", role: "provider_member", providerId: areas.north.providers[1]!.id, language: "cy" }),
    );
    expect(result).toMatchObject({ status: 200, data: { sentTo: "nia.evans@example.org" } });
    const email = await lastEmailTo(db, "nia.evans@example.org");
    expect(email.language).toBe("cy");
    expect(email.subject).toBe("Pasbort: gwahoddiad (Ardal north)");
    expect(email.body_text).toContain("Helo");
    expect(email.body_text).toContain("Staff Cyrchfan Ddysgu (north provider 2)");
    expect(email.area_id).toBe(areas.north.id);
    token = tokenIn(lastMailTo(email.to_email).text, "invite");
    expect(lastMailTo(email.to_email).text).toContain(`${ORIGIN}/invite/${token}`);
    // The outbox copy, which the area's coordinators read, says a link was sent, not which.
    expect(email.body_text).not.toContain("/invite/");
    expect(email.body_text).toContain("[dolen wedi'i hanfon at y derbynnydd yn unig, heb ei chadw yma]");

    const row = await db.selectFrom("invitation").selectAll().where("email", "=", "nia.evans@example.org").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ area_id: areas.north.id, role: "provider_member", provider_id: areas.north.providers[1]!.id, school_id: null, language: "cy" });
    expect(row.token_hash).toBe(hashSecretToken(token));
    const days = (row.expires_at.getTime() - row.created_at.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(7, 2);
    // Only the email sent holds the token in clear: no table does, not even the outbox.
    expect(await tablesContaining(db, token)).toEqual([]);
  });

  it("is listed as pending for the coordinator", async () => {
    const page = unwrap(await invitationsLoader({ request: get("/coordinator/invitations"), params: {}, context: people.coordinator!.context }));
    expect(page.data.pending.map((p: { email: string }) => p.email)).toContain("nia.evans@example.org");
    expect(page.data.schools).toHaveLength(2);
  });

  it("in English has an English subject", async () => {
    unwrap(await invite("coordinator", { email: "tom@example.org", role: "viewer", language: "en" }));
    expect((await lastEmailTo(db, "tom@example.org")).subject).toBe("Pasbort: invitation (Area north)");
  });

  it("asks a signed-out newcomer for a name and password, then creates the account, membership and session", async () => {
    const page = unwrap(await inviteLoader({ request: get(`/invite/${token}`), params: { token }, context: signedOutContext }));
    expect(page.data.view).toMatchObject({ state: "valid", next: "createAccount", invitation: { email: "nia.evans@example.org", role: "provider_member" } });

    const weak = unwrap(
      await inviteAction({
        request: post(`/invite/${token}`, { displayName: "Nia Evans", password: "password123" }),
        params: { token },
        context: signedOutContext,
      }),
    );
    expect(weak).toMatchObject({ status: 400, data: { errors: { password: "passwordRules.tooCommon" } } });
    const short = unwrap(
      await inviteAction({ request: post(`/invite/${token}`, { displayName: "Nia Evans", password: "short" }), params: { token }, context: signedOutContext }),
    );
    expect(short.data.errors.password).toBe("passwordRules.tooShort");
    const noName = unwrap(
      await inviteAction({ request: post(`/invite/${token}`, { displayName: " ", password: NEW_PASSWORD }), params: { token }, context: signedOutContext }),
    );
    expect(noName.data.errors.displayName).toBe("accountFields.nameRequired");

    const done = await settle(
      inviteAction({ request: post(`/invite/${token}`, { displayName: "Nia Evans", password: NEW_PASSWORD }), params: { token }, context: signedOutContext }),
    );
    expect(done).toBeInstanceOf(Response);
    const response = done as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/provider");
    const { signedIn } = await authenticate(db, response.headers.get("Set-Cookie")!.split(";")[0]);
    expect(signedIn?.user.email).toBe("nia.evans@example.org");

    const user = await db.selectFrom("app_user").selectAll().where("email", "=", "nia.evans@example.org").executeTakeFirstOrThrow();
    expect(user.display_name).toBe("Nia Evans");
    expect(user.preferred_language).toBe("cy");
    expect(user.email_verified_at).not.toBeNull();
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    const memberships = await loadMemberships(db, user.id);
    expect(memberships).toMatchObject([{ areaId: areas.north.id, role: "provider_member", providerId: areas.north.providers[1]!.id }]);
    expect(signedIn?.session.activeMembershipId).toBe(memberships[0]!.id);

    const actions = (await db.selectFrom("audit_event").select("action").where("area_id", "=", areas.north.id).execute()).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["invitation_sent", "invitation_accepted", "membership_added"]));
    expect(await tablesContaining(db, NEW_PASSWORD)).toEqual([]);
  });

  it("works only once: a second use is refused with a clear page, and creates nothing", async () => {
    const page = unwrap(await inviteLoader({ request: get(`/invite/${token}`), params: { token }, context: signedOutContext }));
    expect(page).toMatchObject({ status: 410, data: { view: { state: "used" } } });
    const again = unwrap(
      await inviteAction({
        request: post(`/invite/${token}`, { displayName: "Someone Else", password: NEW_PASSWORD }),
        params: { token },
        context: signedOutContext,
      }),
    );
    expect(again.data.state).toBe("used");
    expect(await acceptInvitationWithNewAccount(db, token, { displayName: "X", password: NEW_PASSWORD })).toEqual({ ok: false, state: "used" });
  });

  it("is refused once it has expired", async () => {
    unwrap(await invite("coordinator", { email: "late@example.org", role: "viewer", language: "en" }));
    const expiredToken = tokenIn(lastMailTo("late@example.org").text, "invite");
    await db
      .updateTable("invitation")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("token_hash", "=", hashSecretToken(expiredToken))
      .execute();
    const page = unwrap(await inviteLoader({ request: get(`/invite/${expiredToken}`), params: { token: expiredToken }, context: signedOutContext }));
    expect(page).toMatchObject({ status: 410, data: { view: { state: "expired" } } });
    const attempt = unwrap(
      await inviteAction({
        request: post(`/invite/${expiredToken}`, { displayName: "Late", password: NEW_PASSWORD }),
        params: { token: expiredToken },
        context: signedOutContext,
      }),
    );
    expect(attempt.data.state).toBe("expired");
    expect(await db.selectFrom("app_user").select("id").where("email", "=", "late@example.org").executeTakeFirst()).toBeUndefined();
  });

  it("answers an unknown or malformed link as not working", async () => {
    for (const token of ["x".repeat(43), "../etc", "a"]) {
      const page = unwrap(await inviteLoader({ request: get(`/invite/${token}`), params: { token }, context: signedOutContext }));
      expect(page).toMatchObject({ status: 404, data: { view: { state: "invalid" } } });
    }
  });
});

describe("an invitation for someone who already has an account", () => {
  let token: string;

  beforeAll(async () => {
    unwrap(await invite("coordinator", { email: "school@test.example", role: "viewer", language: "en" }));
    token = tokenIn(lastMailTo("school@test.example").text, "invite");
  });

  it("asks them to sign in first, and comes back to the invitation after", async () => {
    const page = unwrap(await inviteLoader({ request: get(`/invite/${token}`), params: { token }, context: signedOutContext }));
    expect(page.data.view.next).toBe("signIn");
    const accept = await settle(inviteAction({ request: post(`/invite/${token}`, { intent: "accept" }), params: { token }, context: signedOutContext }));
    expect((accept as Response).headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(`/invite/${token}`)}`);
  });

  it("is not accepted by someone else who is signed in", async () => {
    const page = unwrap(await inviteLoader({ request: get(`/invite/${token}`), params: { token }, context: people.owner!.context }));
    expect(page.data.view.next).toBe("wrongAccount");
    const attempt = unwrap(await inviteAction({ request: post(`/invite/${token}`, { intent: "accept" }), params: { token }, context: people.owner!.context }));
    expect(attempt.data.state).toBe("wrongAccount");
    expect((await loadMemberships(db, people.owner!.userId)).map((m) => m.role)).toEqual(["provider_owner"]);
  });

  it("adds the membership for the right person, and makes it their active one", async () => {
    const context = await contextFor(db, people.school!.userId, people.school!.membershipId);
    const page = unwrap(await inviteLoader({ request: get(`/invite/${token}`), params: { token }, context }));
    expect(page.data.view.next).toBe("accept");
    const accepted = (await settle(inviteAction({ request: post(`/invite/${token}`, { intent: "accept" }), params: { token }, context }))) as Response;
    expect(accepted.headers.get("Location")).toBe("/viewer");
    const memberships = await loadMemberships(db, people.school!.userId);
    expect(memberships.map((m) => m.role).sort()).toEqual(["school", "viewer"]);
    const session = await db.selectFrom("auth_session").select("active_membership_id").where("id", "=", context.signedIn!.session.id).executeTakeFirstOrThrow();
    expect(session.active_membership_id).toBe(memberships.find((m) => m.role === "viewer")!.id);
    // A second use of the same link is refused.
    const again = await settle(inviteAction({ request: post(`/invite/${token}`, { intent: "accept" }), params: { token }, context }));
    expect(unwrap(again).data.state).toBe("used");
  });
});

describe("who may invite whom", () => {
  it("refuses a Learning Destination owner inviting for another Learning Destination or as coordinator", async () => {
    const owner = people.owner!.membership;
    const other = sendInvitation(
      db,
      owner,
      { email: "x@example.org", role: "provider_member", providerId: areas.north.providers[1]!.id, language: "en" },
      ORIGIN,
    );
    await expect(other).rejects.toMatchObject({ status: 403 });
    for (const role of ["coordinator", "school", "viewer", "guardian"] as const) {
      const attempt = sendInvitation(
        db,
        owner,
        { email: "x@example.org", role, providerId: owner.providerId, schoolId: areas.north.schools[0]!.id, language: "en" },
        ORIGIN,
      );
      await expect(attempt).rejects.toMatchObject({ status: 403 });
    }
    const south = sendInvitation(
      db,
      owner,
      { email: "x@example.org", role: "provider_member", providerId: areas.south.providers[0]!.id, language: "en" },
      ORIGIN,
    );
    await expect(south).rejects.toMatchObject({ status: 403 });
    expect(await db.selectFrom("invitation").select("id").where("email", "=", "x@example.org").execute()).toEqual([]);
  });

  it("refuses staff members, school coordinators and others who are not owners or coordinators", async () => {
    for (const who of ["member", "school"]) {
      const attempt = sendInvitation(
        db,
        people[who]!.membership,
        { email: "y@example.org", role: "provider_member", providerId: areas.north.providers[0]!.id, language: "en" },
        ORIGIN,
      );
      await expect(attempt).rejects.toMatchObject({ status: 403 });
    }
  });

  it("lets an owner invite staff of their own Learning Destination from the staff page, whatever the form says", async () => {
    const page = unwrap(await staffLoader({ request: get("/provider/staff"), params: {}, context: people.owner!.context }));
    expect(page.data.staff.map((s: { email: string }) => s.email).sort()).toEqual(["member@test.example", "owner@test.example"]);
    const sent = unwrap(
      await staffAction({
        request: post("/provider/staff", { email: "volunteer@example.org", role: "provider_member", language: "en", providerId: areas.north.providers[1]!.id }),
        params: {},
        context: people.owner!.context,
      }),
    );
    expect(sent.data.sentTo).toBe("volunteer@example.org");
    const row = await db.selectFrom("invitation").selectAll().where("email", "=", "volunteer@example.org").executeTakeFirstOrThrow();
    expect(row.provider_id).toBe(areas.north.providers[0]!.id);
    const asCoordinator = unwrap(
      await staffAction({
        request: post("/provider/staff", { email: "boss@example.org", role: "coordinator", language: "en" }),
        params: {},
        context: people.owner!.context,
      }),
    );
    expect(asCoordinator).toMatchObject({ status: 400, data: { errors: { role: "invite.roleRequired" } } });
  });

  it("keeps the staff page to owners", async () => {
    const member = await settle(staffLoader({ request: get("/provider/staff"), params: {}, context: people.member!.context }));
    expect((member as Response).status).toBe(403);
    const coordinatorPage = await settle(invitationsLoader({ request: get("/coordinator/invitations"), params: {}, context: people.owner!.context }));
    expect((coordinatorPage as Response).status).toBe(403);
  });

  it("keeps a coordinator to their own area: a school or Learning Destination of another area is unknown", async () => {
    const school = unwrap(await invite("coordinator", { email: "z@example.org", role: "school", schoolId: areas.south.schools[0]!.id, language: "en" }));
    expect(school).toMatchObject({ status: 400, data: { errors: { schoolId: "invite.schoolUnknown" } } });
    const provider = unwrap(
      await invite("coordinator", { email: "z@example.org", role: "provider_owner", providerId: areas.south.providers[0]!.id, language: "en" }),
    );
    expect(provider.data.errors.providerId).toBe("invite.providerUnknown");
    const direct = await sendInvitation(
      db,
      people.coordinator!.membership,
      { email: "z@example.org", role: "school", schoolId: areas.south.schools[1]!.id, language: "en" },
      ORIGIN,
    );
    expect(direct).toEqual({ ok: false, errors: { schoolId: "invite.schoolUnknown" } });
    expect(await db.selectFrom("invitation").select("id").where("email", "=", "z@example.org").execute()).toEqual([]);
    // What the south coordinator sees of pending invitations is only south's.
    unwrap(await invite("coordinator", { email: "north-only@example.org", role: "viewer", language: "en" }));
    const southPage = unwrap(await invitationsLoader({ request: get("/coordinator/invitations"), params: {}, context: people.southCoordinator!.context }));
    expect(southPage.data.pending).toEqual([]);
  });

  it("checks the form: email shape, role, and the school or Learning Destination a role needs", async () => {
    const bad = unwrap(await invite("coordinator", { email: "not-an-email", role: "school", language: "en" }));
    expect(bad).toMatchObject({ status: 400, data: { errors: { email: "forms.emailInvalid", schoolId: "invite.schoolRequired" } } });
    const noRole = unwrap(await invite("coordinator", { email: "a@example.org", language: "en" }));
    expect(noRole.data.errors.role).toBe("invite.roleRequired");
    const noProvider = unwrap(await invite("coordinator", { email: "a@example.org", role: "provider_owner", language: "en" }));
    expect(noProvider.data.errors.providerId).toBe("invite.providerRequired");
    const already = unwrap(
      await invite("coordinator", { email: "owner@test.example", role: "provider_owner", providerId: areas.north.providers[0]!.id, language: "en" }),
    );
    expect(already.data.errors.email).toBe("invite.alreadyMember");
  });
});

describe("links in emails", () => {
  it("come from PUBLIC_URL, or on the embedded database this machine's own address, never from the request", () => {
    expect(publicOrigin({ PUBLIC_URL: "https://pasbort.example.org/" })).toBe("https://pasbort.example.org");
    expect(publicOrigin({ PORT: "4100" })).toBe("http://localhost:4100");
  });

  it("say nothing when opened: viewing an invitation changes nothing", async () => {
    unwrap(await invite("coordinator", { email: "look@example.org", role: "viewer", language: "en" }));
    const token = tokenIn(lastMailTo("look@example.org").text, "invite");
    await viewInvitation(db, token, null);
    await viewInvitation(db, token, null);
    expect((await viewInvitation(db, token, null)).state).toBe("valid");
  });
});
