import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { childrenVisibleTo, creditsVisibleTo, requireSignedIn } from "~/modules/accounts/access.server";
import { loadActor, loadMemberships } from "~/modules/accounts/actor.server";
import { safeRedirectPath } from "~/modules/accounts/safe-redirect";
import { authenticate, startSession } from "~/modules/accounts/auth.server";
import { signIn } from "~/modules/accounts/sign-in.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { action as accountAction } from "~/routes/account";
import { loader as childLoader } from "~/routes/children.$childId";
import { loader as coordinatorLoader } from "~/routes/coordinator._index";
import { loader as guardianLoader } from "~/routes/guardian._index";
import { loader as sessionLoader } from "~/routes/provider.sessions.$sessionId";
import { loader as accountLoader } from "~/routes/account";
import { loader as schoolLoader } from "~/routes/school._index";
import { contextFor, createPerson, FIXTURE_PASSWORD, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
const people: Record<string, { userId: string; membershipId: string; context: AppLoadContext }> = {};

const get = (path: string) => new Request(`http://pasbort.test${path}`);

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  const { north, south } = areas;
  const specs = {
    coordinator: { areaId: north.id, role: "coordinator" },
    southCoordinator: { areaId: south.id, role: "coordinator" },
    school0: { areaId: north.id, role: "school", schoolId: north.schools[0]!.id },
    provider0: { areaId: north.id, role: "provider_owner", providerId: north.providers[0]!.id },
    provider1member: { areaId: north.id, role: "provider_member", providerId: north.providers[1]!.id },
    guardian: { areaId: north.id, role: "guardian", childIds: [north.children[0]!.id] },
    viewer: { areaId: north.id, role: "viewer" },
  } as const;
  for (const [name, spec] of Object.entries(specs)) {
    const person = await createPerson(db, { email: `${name.toLowerCase()}@test.example`, ...spec });
    people[name] = { ...person, context: await contextFor(db, person.userId, person.membershipId) };
  }
});
afterAll(async () => close());

describe("signing in", () => {
  it("works with the right password and starts a session the server recognises", async () => {
    const result = await signIn(db, { email: "coordinator@test.example", password: FIXTURE_PASSWORD }, "10.0.0.1");
    expect(result).toMatchObject({ ok: true, home: "/coordinator" });
    if (!result.ok) return;
    expect(result.setCookie).toMatch(/HttpOnly/i);
    expect(result.setCookie).toMatch(/SameSite=Lax/i);
    const { signedIn } = await authenticate(db, result.setCookie.split(";")[0]);
    expect(signedIn?.user.email).toBe("coordinator@test.example");
  });

  it("gives the same answer for a wrong password and an unknown email", async () => {
    const wrong = await signIn(db, { email: "coordinator@test.example", password: "wrong-password-here" }, "10.0.0.2");
    const unknown = await signIn(db, { email: "nobody@test.example", password: "wrong-password-here" }, "10.0.0.2");
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual(wrong);
  });

  it("records sign-ins and failures in the audit trail, without the password", async () => {
    const events = await db.selectFrom("audit_event").select(["action", "details"]).where("action", "in", ["sign_in", "sign_in_failed"]).execute();
    expect(events.some((event) => event.action === "sign_in")).toBe(true);
    expect(events.some((event) => event.action === "sign_in_failed")).toBe(true);
    expect(JSON.stringify(events)).not.toContain(FIXTURE_PASSWORD);
    expect(JSON.stringify(events)).not.toContain("not-the-password");
  });

  it("ends an expired session and clears its cookie", async () => {
    const { session, setCookie } = await startSession(db, people.viewer!.userId, people.viewer!.membershipId);
    await db
      .updateTable("auth_session")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", session.id)
      .execute();
    const result = await authenticate(db, setCookie.split(";")[0]);
    expect(result.signedIn).toBeNull();
    expect(result.setCookie).toMatch(/Max-Age=0/);
  });

  it("renews a guardian's session that is being used once half its life has passed", async () => {
    const { session, setCookie } = await startSession(db, people.guardian!.userId, people.guardian!.membershipId);
    const soon = new Date(Date.now() + 2 * 24 * 3600 * 1000);
    await db.updateTable("auth_session").set({ expires_at: soon }).where("id", "=", session.id).execute();
    const result = await authenticate(db, setCookie.split(";")[0]);
    expect(result.signedIn).not.toBeNull();
    expect(result.setCookie).toMatch(/Max-Age=604800/);
    const row = await db.selectFrom("auth_session").select("expires_at").where("id", "=", session.id).executeTakeFirstOrThrow();
    expect(row.expires_at.getTime()).toBeGreaterThan(soon.getTime());
  });
});

describe("who sees what", () => {
  it("sends signed-out visitors to sign in, and back afterwards", async () => {
    const response = await settle(coordinatorLoader({ request: get("/coordinator"), context: signedOutContext, params: {} }));
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).headers.get("Location")).toBe("/login?redirectTo=%2Fcoordinator");
  });

  it("refuses a page meant for another role with 403", async () => {
    for (const name of ["viewer", "guardian", "provider0", "school0"]) {
      const response = await settle(coordinatorLoader({ request: get("/coordinator"), context: people[name]!.context, params: {} }));
      expect((response as Response).status, name).toBe(403);
    }
  });

  it("lets provider staff open only their own provider's sessions", async () => {
    const own = await sessionLoader({ request: get("/"), context: people.provider0!.context, params: { sessionId: areas.north.sessions[0]!.id } });
    expect(own.session.id).toBe(areas.north.sessions[0]!.id);
    for (const sessionId of [areas.north.sessions[1]!.id, areas.south.sessions[0]!.id]) {
      const other = await settle(sessionLoader({ request: get("/"), context: people.provider0!.context, params: { sessionId } }));
      expect((other as Response).status).toBe(404);
    }
  });

  it("shows provider staff only their own provider's credits", async () => {
    const member = (await loadActor(db, people.provider1member!.context.signedIn!)).membership!;
    const credits = await creditsVisibleTo(db, member).select(["credit.id", "credit.provider_id"]).execute();
    expect(credits.map((credit) => credit.id)).toEqual([areas.north.credits[1]!.id]);
  });

  it("lets a school coordinator see their own pupils and no others", async () => {
    const home = await schoolLoader({ request: get("/school"), context: people.school0!.context, params: {} });
    expect(home.children.map((child) => child.id)).toEqual([areas.north.children[0]!.id]);
    const own = await childLoader({ request: get("/"), context: people.school0!.context, params: { childId: areas.north.children[0]!.id } });
    expect(own.child.id).toBe(areas.north.children[0]!.id);
    const other = await settle(childLoader({ request: get("/"), context: people.school0!.context, params: { childId: areas.north.children[1]!.id } }));
    expect((other as Response).status).toBe(404);
  });

  it("lets a guardian see only their own children", async () => {
    const home = await guardianLoader({ request: get("/guardian"), context: people.guardian!.context, params: {} });
    expect(home.children.map((child) => child.id)).toEqual([areas.north.children[0]!.id]);
    const other = await settle(childLoader({ request: get("/"), context: people.guardian!.context, params: { childId: areas.north.children[1]!.id } }));
    expect((other as Response).status).toBe(404);
  });

  it("never gives a viewer a child's record", async () => {
    const page = await settle(childLoader({ request: get("/"), context: people.viewer!.context, params: { childId: areas.north.children[0]!.id } }));
    expect((page as Response).status).toBe(403);
    const viewer = (await loadActor(db, people.viewer!.context.signedIn!)).membership!;
    expect(() => childrenVisibleTo(db, viewer)).toThrow();
    expect(() => creditsVisibleTo(db, viewer)).toThrow();
  });

  it("keeps one area's coordinator out of a second area entirely", async () => {
    const context = people.coordinator!.context;
    for (const childId of areas.south.children.map((child) => child.id)) {
      const response = await settle(childLoader({ request: get("/"), context, params: { childId } }));
      expect((response as Response).status).toBe(404);
    }
    const session = await settle(sessionLoader({ request: get("/"), context, params: { sessionId: areas.south.sessions[0]!.id } }));
    expect((session as Response).status).toBe(404);
    const coordinator = (await loadActor(db, context.signedIn!)).membership!;
    const children = await childrenVisibleTo(db, coordinator).select("child.area_id").execute();
    expect(children.length).toBe(2);
    expect(new Set(children.map((child) => child.area_id))).toEqual(new Set([areas.north.id]));
    const home = await coordinatorLoader({ request: get("/coordinator"), context, params: {} });
    expect(home.summary).toEqual({ schools: 2, providers: 2, children: 2 });
  });

  it("refuses malformed ids with 404 rather than an error", async () => {
    const response = await settle(childLoader({ request: get("/"), context: people.coordinator!.context, params: { childId: "1 or 1=1" } }));
    expect((response as Response).status).toBe(404);
  });

  it("audits staff opening a child's record", async () => {
    await childLoader({ request: get("/"), context: people.coordinator!.context, params: { childId: areas.north.children[1]!.id } });
    const event = await db
      .selectFrom("audit_event")
      .selectAll()
      .where("action", "=", "child_record_viewed")
      .where("subject_id", "=", areas.north.children[1]!.id)
      .where("actor_user_id", "=", people.coordinator!.userId)
      .executeTakeFirst();
    expect(event?.area_id).toBe(areas.north.id);
  });
});

describe("pages for any signed-in person (requireSignedIn)", () => {
  it("sends a signed-out request to sign in, with a redirectTo that stays on the site", async () => {
    const back = await settle(requireSignedIn(db, get("/account?tab=roles"), signedOutContext));
    expect((back as Response).status).toBe(302);
    const location = new URL((back as Response).headers.get("Location")!, "http://pasbort.test");
    expect(location.pathname).toBe("/login");
    expect(location.searchParams.get("redirectTo")).toBe("/account?tab=roles");
    // A path that would leave the site after sign-in (//evil.example) becomes the home page.
    const away = await settle(requireSignedIn(db, get("//evil.example/x"), signedOutContext));
    const target = new URL((away as Response).headers.get("Location")!, "http://pasbort.test").searchParams.get("redirectTo")!;
    expect(target).toBe("/");
    expect(safeRedirectPath(target, "fallback")).toBe(target);
  });

  it("lets every role through, and a person with no role yet", async () => {
    for (const name of ["coordinator", "school0", "provider0", "provider1member", "guardian", "viewer"]) {
      const actor = await requireSignedIn(db, get("/account"), people[name]!.context);
      expect(actor.userId, name).toBe(people[name]!.userId);
      expect(actor.membership?.id, name).toBe(people[name]!.membershipId);
    }
    const roleless = await createPerson(db, { email: "roleless@test.example", areaId: areas.north.id, role: "viewer" });
    await db.deleteFrom("membership").where("id", "=", roleless.membershipId).execute();
    const context = await contextFor(db, roleless.userId);
    expect((await requireSignedIn(db, get("/account"), context)).memberships).toEqual([]);
    const page = await accountLoader({ request: get("/account"), context, params: {} });
    expect(page).toMatchObject({ email: "roleless@test.example", activeId: null, memberships: [] });
  });

  it("sends a child's own session back to the child's passport", async () => {
    const child = { ...signedOutContext, signedIn: { user: { id: areas.north.children[0]!.id }, session: { id: "s", childAreaId: areas.north.id } } } as never;
    const response = await settle(requireSignedIn(db, get("/account"), child));
    expect((response as Response).headers.get("Location")).toBe("/me");
  });
});

describe("memberships", () => {
  it("carry the school or provider their role is tied to, and no other", async () => {
    const byName = async (name: string) => (await loadMemberships(db, people[name]!.userId))[0]!;
    expect(await byName("school0")).toMatchObject({ role: "school", schoolId: areas.north.schools[0]!.id, providerId: null });
    expect(await byName("provider1member")).toMatchObject({ role: "provider_member", providerId: areas.north.providers[1]!.id, schoolId: null });
    for (const name of ["coordinator", "guardian", "viewer"]) expect(await byName(name), name).toMatchObject({ schoolId: null, providerId: null });
  });
});

describe("several roles", () => {
  it("lets a person switch to another of their own memberships, and not to anyone else's", async () => {
    const second = await db
      .insertInto("membership")
      .values({ area_id: areas.north.id, user_id: people.school0!.userId, role: "viewer" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const context = await contextFor(db, people.school0!.userId, people.school0!.membershipId);
    const form = (membershipId: string) => new Request("http://pasbort.test/account", { method: "POST", body: new URLSearchParams({ membershipId }) });
    const switched = await settle(accountAction({ request: form(second.id), context, params: {} }));
    expect((switched as Response).headers.get("Location")).toBe("/viewer");
    const actor = await loadActor(db, (await authenticate(db, `pasbort_session=${context.signedIn!.session.id}`)).signedIn!);
    expect(actor.membership?.role).toBe("viewer");
    const refused = await settle(accountAction({ request: form(people.coordinator!.membershipId), context, params: {} }));
    expect((refused as Response).status).toBe(404);
  });
});
