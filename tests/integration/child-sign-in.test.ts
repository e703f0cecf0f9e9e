import { readdirSync } from "node:fs";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import { authenticate } from "~/modules/accounts/auth.server";
import { childRefusal, CHILD_SESSION_COOKIE, PER_CARD, signInChild } from "~/modules/children/child-sign-in.server";
import { exportChildData, withdrawChild } from "~/modules/children/data-rights.server";
import type { Picture } from "~/modules/children/pictures";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { passportSummary } from "~/modules/passports/passport-page.server";
import { action as signInAction, loader as signInLoader } from "~/routes/child-sign-in";
import { action as cardAction, loader as cardLoader } from "~/routes/children.$childId_.sign-in-card";
import { loader as guardianPassportLoader } from "~/routes/guardian.children.$childId._index";
import { action as logoutAction } from "~/routes/logout";
import { loader as meLoader } from "~/routes/me._index";
import { contextFor, createPerson, seedTwoAreas, settle } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
const people: Record<string, { context: AppLoadContext; m: Membership }> = {};

const PICTURES: Picture[] = ["cat", "star", "star", "boat"];
const WRONG: Picture[] = ["dog", "star", "star", "boat"];
const pictureFields = (pictures: Picture[]) => Object.fromEntries(pictures.map((picture, index) => [`picture${index + 1}`, picture]));
const post = (path: string, fields: Record<string, string>) => new Request(`http://pasbort.test${path}`, { method: "POST", body: new URLSearchParams(fields) });
const get = (path: string) => new Request(`http://pasbort.test${path}`);

async function makeCard(person: string, childId: string, pictures = PICTURES) {
  const made = await settle(
    cardAction({ request: post(`/children/${childId}/sign-in-card`, pictureFields(pictures)), context: people[person]!.context, params: { childId } }),
  );
  expect((made as Response).status, "card made").toBe(302);
  const page = await cardLoader({ request: get(`/children/${childId}/sign-in-card`), context: people[person]!.context, params: { childId } });
  return page.card!.code;
}

/** Signs in through the page's action; the context the server would then give the child's requests. */
async function childSignsIn(code: string, pictures = PICTURES, clientAddress = "10.9.0.1") {
  const result = await settle(
    signInAction({
      request: post("/child-sign-in", { code, ...pictureFields(pictures) }),
      context: { signedIn: null, cspNonce: "t", clientAddress },
      params: {},
    }),
  );
  return result as Response;
}

async function childContext(code: string, pictures = PICTURES): Promise<{ context: AppLoadContext; cookie: string; setCookie: string }> {
  const response = await childSignsIn(code, pictures);
  expect(response.status, "signed in").toBe(302);
  const setCookie = response.headers.get("Set-Cookie")!;
  const cookie = setCookie.split(";")[0]!;
  const { signedIn } = await authenticate(db, cookie);
  return { context: { signedIn, cspNonce: "t", clientAddress: "10.9.0.1" }, cookie, setCookie };
}

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  const { north, south } = areas;
  const specs = {
    guardian: { areaId: north.id, role: "guardian", childIds: [north.children[0]!.id] },
    otherGuardian: { areaId: north.id, role: "guardian", childIds: [north.children[1]!.id] },
    school0: { areaId: north.id, role: "school", schoolId: north.schools[0]!.id },
    coordinator: { areaId: north.id, role: "coordinator" },
    provider0: { areaId: north.id, role: "provider_owner", providerId: north.providers[0]!.id },
    southGuardian: { areaId: south.id, role: "guardian", childIds: [south.children[0]!.id] },
  } as const;
  for (const [name, spec] of Object.entries(specs)) {
    const person = await createPerson(db, { email: `${name.toLowerCase()}@child.example`, ...spec });
    const [m] = await loadMemberships(db, person.userId);
    people[name] = { context: await contextFor(db, person.userId, person.membershipId), m: m! };
  }
});
afterAll(async () => close());

describe("a child's sign-in card", () => {
  it("is made by the child's guardian, shows a QR code and short code, and keeps the picture code only as a hash", async () => {
    const childId = areas.north.children[0]!.id;
    const code = await makeCard("guardian", childId);
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const page = await cardLoader({ request: get(`/children/${childId}/sign-in-card`), context: people.guardian!.context, params: { childId } });
    expect(page.card!.qr).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(page.lastSignedInText).toBeNull();
    const row = await db.selectFrom("child_sign_in_card").selectAll().where("child_id", "=", childId).executeTakeFirstOrThrow();
    expect(row.picture_code_hash).toMatch(/^\$argon2/);
    expect(JSON.stringify(row)).not.toMatch(/cat|boat/);
  });

  it("is refused for a child who is not theirs (404), and to roles that do not look after children (403)", async () => {
    const other = areas.north.children[1]!.id;
    for (const [person, childId, status] of [
      ["guardian", other, 404],
      ["school0", other, 404],
      ["southGuardian", areas.north.children[0]!.id, 404],
      ["coordinator", areas.north.children[0]!.id, 403],
      ["provider0", areas.north.children[0]!.id, 403],
    ] as const) {
      const context = people[person]!.context;
      const page = await settle(cardLoader({ request: get("/"), context, params: { childId } }));
      expect((page as Response).status, `${person} loader`).toBe(status);
      const made = await settle(cardAction({ request: post("/", pictureFields(PICTURES)), context, params: { childId } }));
      expect((made as Response).status, `${person} action`).toBe(status);
      const revoked = await settle(cardAction({ request: post("/", { intent: "revoke" }), context, params: { childId } }));
      expect((revoked as Response).status, `${person} revoke`).toBe(status);
    }
    expect(await db.selectFrom("child_sign_in_card").select("id").where("child_id", "=", areas.north.children[1]!.id).execute()).toEqual([]);
  });

  it("can be made by the school for its own pupil", async () => {
    const code = await makeCard("school0", areas.north.children[0]!.id, ["sun", "sun", "sun", "sun"]);
    const { context } = await childContext(code.replace("-", ""), ["sun", "sun", "sun", "sun"]);
    expect(context.signedIn?.user.id).toBe(areas.north.children[0]!.id);
    // Put the guardian's card back for the tests below (the school's replaced it).
    await makeCard("guardian", areas.north.children[0]!.id);
  });

  it("asks for every picture, with a message in the user's language, and loses nothing", async () => {
    const childId = areas.north.children[0]!.id;
    const result = await cardAction({ request: post("/", { picture1: "cat", picture2: "unicorn" }), context: people.guardian!.context, params: { childId } });
    expect((result as { init: { status: number } }).init.status).toBe(400);
    expect((result as { data: { errors: Record<string, string> } }).data.errors).toEqual({
      picture2: "childSignIn.errors.pictureCode",
      picture3: "childSignIn.errors.pictureCode",
      picture4: "childSignIn.errors.pictureCode",
    });
  });
});

describe("a child signing in", () => {
  it("opens the child's own passport, in a session that ends when the browser closes", async () => {
    const childId = areas.north.children[0]!.id;
    const code = await makeCard("guardian", childId);
    // Typed in lower case with a space: still the card's code.
    const { context, setCookie } = await childContext(code.toLowerCase().replace("-", " "));
    expect(setCookie).toMatch(new RegExp(`^${CHILD_SESSION_COOKIE}=`));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Max-Age|Expires/i);
    const session = await db.selectFrom("auth_session").selectAll().where("id", "=", context.signedIn!.session.id).executeTakeFirstOrThrow();
    expect(session).toMatchObject({ user_id: null, child_id: childId, child_area_id: areas.north.id });
    expect(session.expires_at.getTime() - Date.now()).toBeLessThanOrEqual(3600_000);
    const me = await meLoader({ request: get("/me"), context, params: {} });
    expect(me.givenName).toBe("Child0");
    expect(me.stamps).toHaveLength(1);
    // Data minimised: the page gets no surname, passport number or ids beyond the stamps'.
    const text = JSON.stringify(me);
    expect(text).not.toContain("north");
    expect(text).not.toContain(childId);
    // Signed in, the sign-in page sends the child straight to the passport.
    const again = await settle(signInLoader({ request: get("/child-sign-in"), context, params: {} }));
    expect((again as Response).headers.get("Location")).toBe("/me");
  });

  it("shows the skills the child's stamps practised, in the framework's order, and stamps as cards with category, hours and date", async () => {
    const childId = areas.north.children[0]!.id;
    await db
      .updateTable("activity")
      .set({ skills: ["teamwork", "listening"] })
      .where("id", "=", areas.north.activities[0]!.id)
      .execute();
    const { context } = await childContext(await makeCard("guardian", childId));
    const me = await meLoader({ request: get("/me"), context, params: {} });
    expect(me.skills).toEqual([
      { skill: "listening", stamps: 1 },
      { skill: "teamwork", stamps: 1 },
    ]);
    expect(me.stamps[0]).toMatchObject({ category: "sport", hours: 1, title: { en: "Football" } });
    expect(me.stamps[0]!.dateText).toMatch(/2026/);
    expect(me.progress).toMatchObject({ hours: 1 });
    // The database keeps to the framework's list, and to a few skills per activity.
    await expect(
      db
        .updateTable("activity")
        .set({ skills: ["juggling" as never] })
        .where("id", "=", areas.north.activities[0]!.id)
        .execute(),
    ).rejects.toThrow();
    await expect(
      db
        .updateTable("activity")
        .set({ skills: ["teamwork", "listening", "speaking", "creativity"] })
        .where("id", "=", areas.north.activities[0]!.id)
        .execute(),
    ).rejects.toThrow();
  });

  it("records when the child last signed in, for the guardian to see, and nothing about each sign-in", async () => {
    const childId = areas.north.children[0]!.id;
    const page = await cardLoader({ request: get("/"), context: people.guardian!.context, params: { childId } });
    expect(page.lastSignedInText).not.toBeNull();
    const passport = await guardianPassportLoader({ request: get("/"), context: people.guardian!.context, params: { childId } });
    expect(passport.lastSignedInText).toBe(page.lastSignedInText);
    const audited = await db.selectFrom("audit_event").select("action").where("subject_id", "=", childId).execute();
    expect(audited.map((event) => event.action)).not.toContain("child_signed_in");
  });

  it("answers an unknown code and a wrong picture code the same, kindly, with a 400", async () => {
    const code = await makeCard("guardian", areas.north.children[0]!.id);
    const wrong = await childSignsIn(code, WRONG, "10.9.1.1");
    const unknown = await childSignsIn("ZZZZ-ZZZZ", PICTURES, "10.9.1.1");
    for (const response of [wrong, unknown]) {
      const result = response as unknown as { init: { status: number }; data: { formError: string } };
      expect(result.init.status).toBe(400);
      expect(result.data.formError).toBe("childSignIn.errors.notRight");
    }
  });

  it("after five wrong picture codes on a card, asks for a short break that ends by itself, even with the right pictures", async () => {
    const code = (await makeCard("guardian", areas.north.children[0]!.id)).replace("-", "");
    const now = new Date();
    for (let attempt = 0; attempt < PER_CARD.limit; attempt++) {
      expect(await signInChild(db, { code, pictures: WRONG }, `10.9.2.${attempt}`, now)).toEqual({ ok: false, reason: "invalid" });
    }
    const resting = await signInChild(db, { code, pictures: PICTURES }, "10.9.3.1", now);
    expect(resting).toMatchObject({ ok: false, reason: "rateLimited" });
    if (!resting.ok && resting.reason === "rateLimited") expect(resting.retryAfterMinutes).toBeLessThanOrEqual(PER_CARD.windowMinutes);
    // The page says so in words, with a 429.
    const page = (await childSignsIn(code, PICTURES, "10.9.3.2")) as unknown as {
      init: { status: number };
      data: { formError: { key: string; count: number } };
    };
    expect(page.init.status).toBe(429);
    expect(page.data.formError.key).toBe("childSignIn.errors.rest");
    // No adult needed: once the window has passed, the right pictures work again.
    const later = new Date(now.getTime() + (PER_CARD.windowMinutes + 1) * 60_000);
    expect(await signInChild(db, { code, pictures: PICTURES }, "10.9.3.3", later)).toMatchObject({ ok: true });
    const failures = await db.selectFrom("audit_event").select("action").where("action", "=", "child_sign_in_failed").execute();
    expect(failures.length).toBeGreaterThanOrEqual(PER_CARD.limit);
  });

  it("comes first on a grown-up's device: the child's session, not the grown-up's, answers while both cookies are there", async () => {
    const code = await makeCard("guardian", areas.north.children[0]!.id);
    const { cookie } = await childContext(code);
    const grownUp = `pasbort_session=${people.guardian!.context.signedIn!.session.id}`;
    const { signedIn } = await authenticate(db, `${grownUp}; ${cookie}`);
    expect(signedIn?.session.childAreaId).toBe(areas.north.id);
    expect(childRefusal(signedIn, "GET", "/guardian")).toEqual({ redirectTo: "/me", text: "" });
  });

  it("ends when the child signs out", async () => {
    const code = await makeCard("guardian", areas.north.children[0]!.id);
    const { context, cookie } = await childContext(code);
    const out = await settle(logoutAction({ request: post("/logout", {}), context, params: {} }));
    expect((out as Response).headers.get("Location")).toBe("/child-sign-in");
    expect((out as Response).headers.get("Set-Cookie")).toMatch(new RegExp(`^${CHILD_SESSION_COOKIE}=;.*Max-Age=0`));
    expect((await authenticate(db, cookie)).signedIn).toBeNull();
  });
});

describe("revoking a card", () => {
  it("ends the child's sessions at once, and the card never signs in again", async () => {
    const childId = areas.north.children[0]!.id;
    const code = await makeCard("guardian", childId);
    const { cookie } = await childContext(code);
    const revoked = await settle(cardAction({ request: post("/", { intent: "revoke" }), context: people.guardian!.context, params: { childId } }));
    expect((revoked as Response).status).toBe(302);
    expect((await authenticate(db, cookie)).signedIn).toBeNull();
    const refused = (await childSignsIn(code, PICTURES, "10.9.4.1")) as unknown as { init: { status: number } };
    expect(refused.init.status).toBe(400);
    const page = await cardLoader({ request: get("/"), context: people.guardian!.context, params: { childId } });
    expect(page.card).toBeNull();
    expect(page.lastSignedInText).not.toBeNull();
  });

  it("happens too when a new card replaces the old one", async () => {
    const childId = areas.north.children[0]!.id;
    const old = await makeCard("guardian", childId);
    const { cookie } = await childContext(old);
    const replacement = await makeCard("guardian", childId, ["fish", "fish", "tree", "tree"]);
    expect(replacement).not.toBe(old);
    expect((await authenticate(db, cookie)).signedIn).toBeNull();
    expect(((await childSignsIn(old, PICTURES, "10.9.5.1")) as unknown as { init: { status: number } }).init.status).toBe(400);
    const { context } = await childContext(replacement, ["fish", "fish", "tree", "tree"]);
    expect(context.signedIn?.user.id).toBe(childId);
  });
});

/** The path a route file answers, with its parameters filled in. */
function pathOf(file: string) {
  const name = file.replace(/\.tsx?$/, "");
  const segments = name
    .replace(/\[\.\]/g, "\u0000")
    .replace(/\[(\.[a-z]+)\]/g, "$1".replace(".", "\u0001"))
    .split(".");
  const path = segments
    .map((segment) => segment.replaceAll("\u0000", ".").replaceAll("\u0001", "."))
    .filter((segment) => segment !== "_index")
    .map((segment) => segment.replace(/_$/, ""))
    .map((segment) => (segment === "$" ? "passports" : segment.startsWith("$") ? "00000000-0000-4000-8000-000000000000" : segment))
    .join("/");
  return `/${path}`.replace(/\/(pdf|csv|json)$/, ".$1");
}

describe("a child's session and every other route", () => {
  const OWN = new Set([
    "me._index",
    "me.voice",
    "me.rate.$activityId",
    "me.certificates.$awardLevelId[.pdf]",
    "me.certificates.$awardLevelId[.json]",
    "me.imported.$badgeKey[.json]",
    "child-sign-in",
  ]);
  // Pages anyone may open signed out; the server never lets a child's session reach them either.
  const PUBLIC = new Set([
    "_index",
    "activities._index",
    "activities.$activityId",
    "api.v1.openapi[.]json",
    "healthz",
    "apply._index",
    "forgot-password",
    "confirm-email.$token",
    "invite.$token",
    "reset-password.$token",
    "link-child._index",
    "link-child.$token",
    "login",
    "register",
    "claim.$token",
    "verify._index",
    "verify.$certificateId",
    "logout",
  ]);

  it("is turned back by the server for every route except the child's own pages", () => {
    const signedIn = { user: { id: areas.north.children[0]!.id }, session: { id: "s", childAreaId: areas.north.id } } as never;
    const checked: string[] = [];
    for (const file of readdirSync("app/routes").sort()) {
      const name = file.replace(/\.tsx?$/, "");
      const path = pathOf(file);
      for (const method of ["GET", "POST"]) {
        const refusal = childRefusal(signedIn, method, path);
        if (OWN.has(name) || (name === "logout" && method === "POST")) expect(refusal, `${method} ${path}`).toBeNull();
        else if (method === "GET") expect(refusal, `${method} ${path}`).toEqual({ redirectTo: "/me", text: "" });
        else expect(refusal?.redirectTo, `${method} ${path}`).toBeNull();
        if (method === "POST" && refusal) expect(refusal.text).toMatch(/passport/);
        checked.push(`${method} ${path}`);
      }
    }
    expect(checked).toContain("GET /guardian/children/00000000-0000-4000-8000-000000000000");
    expect(checked).toContain("POST /provider/sessions/00000000-0000-4000-8000-000000000000/credits");
    expect(checked).toContain("GET /api/v1/passports/00000000-0000-4000-8000-000000000000");
    expect(checked).toContain("GET /coordinator/graduations/00000000-0000-4000-8000-000000000000/certificates.pdf");
    // Remix's own requests: the child's pages' data and the route manifest pass, any other page's data is refused.
    expect(childRefusal(signedIn, "GET", "/me.data")).toBeNull();
    expect(childRefusal(signedIn, "POST", "/logout.data")).toBeNull();
    expect(childRefusal(signedIn, "GET", "/__manifest")).toBeNull();
    for (const path of ["/guardian.data", "/coordinator.data", "/_root.data", "/account.data"])
      expect(childRefusal(signedIn, "GET", path)?.redirectTo, path).toBeNull();
    // A grown-up's session is never turned back by it.
    expect(childRefusal(people.guardian!.context.signedIn, "GET", "/guardian")).toBeNull();
  });

  it("is refused by every grown-up's loader and action too, and changes nothing", async () => {
    const childId = areas.north.children[0]!.id;
    const code = await makeCard("guardian", childId);
    const { context } = await childContext(code);
    const { north } = areas;
    const params = {
      childId,
      token: "x".repeat(43),
      number: "NA-2AAAAAA",
      sessionId: north.sessions[0]!.id,
      activityId: north.activities[0]!.id,
      providerId: north.providers[0]!.id,
      awardLevelId: "00000000-0000-4000-8000-000000000000",
      graduationId: "00000000-0000-4000-8000-000000000000",
      certificateId: "00000000-0000-4000-8000-000000000000",
      "*": "passports",
    };
    const before = await Promise.all(
      ["credit", "child", "activity", "child_sign_in_card", "membership", "audit_event"].map((table) =>
        db
          .selectFrom(table as "credit")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow(),
      ),
    );
    const checked: string[] = [];
    for (const file of readdirSync("app/routes").sort()) {
      const name = file.replace(/\.tsx?$/, "");
      if (OWN.has(name) || PUBLIC.has(name)) continue;
      const route = await import(`~/routes/${name}`);
      for (const kind of ["loader", "action"] as const) {
        if (!route[kind]) continue;
        const init = kind === "action" ? { method: "POST", body: new URLSearchParams({ intent: "revoke", childId, ...pictureFields(PICTURES) }) } : {};
        const result = await settle(
          Promise.resolve().then(() => route[kind]({ request: new Request(`http://pasbort.test${pathOf(file)}`, init), context, params })),
        );
        // A refusal is a thrown Response, or data() with a refusing status (p.$token's 404).
        const answer = result instanceof Response ? result : (result as { init?: { status?: number } } | null)?.init;
        expect(answer, `${name} ${kind}`).toBeTruthy();
        if (answer instanceof Response && answer.status >= 300 && answer.status < 400)
          expect(answer.headers.get("Location"), `${name} ${kind}`).not.toContain(childId);
        else expect([401, 403, 404, 405], `${name} ${kind}`).toContain(answer!.status);
        checked.push(`${name} ${kind}`);
      }
    }
    const after = await Promise.all(
      ["credit", "child", "activity", "child_sign_in_card", "membership", "audit_event"].map((table) =>
        db
          .selectFrom(table as "credit")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow(),
      ),
    );
    expect(after).toEqual(before);
    expect(
      await db.selectFrom("child_sign_in_card").select("revoked_at").where("child_id", "=", childId).where("revoked_at", "is", null).execute(),
    ).toHaveLength(1);
    expect(checked).toContain("guardian.children.$childId._index loader");
    expect(checked).toContain("children.$childId_.sign-in-card action");
    expect(checked).toContain("provider.sessions.$sessionId_.credits action");
    expect(checked).toContain("coordinator._index loader");
    expect(checked).toContain("account action");
  });

  it("sees no other child's passport", async () => {
    const code = await makeCard("guardian", areas.north.children[0]!.id);
    const { context } = await childContext(code);
    const me = (await import("~/modules/accounts/access.server")).requireChild(context);
    for (const other of [areas.north.children[1]!.id, areas.south.children[0]!.id]) {
      await expect(settle(passportSummary(db, me, other))).resolves.toHaveProperty("status", 404);
    }
    // A grown-up's session on the child's page is sent to the child's sign-in.
    const grownUp = await settle(meLoader({ request: get("/me"), context: people.guardian!.context, params: {} }));
    expect((grownUp as Response).headers.get("Location")).toBe("/child-sign-in");
  });
});

describe("the child's data", () => {
  it("includes the sign-in cards in the download, and withdrawal erases them and ends the sessions", async () => {
    const childId = areas.north.children[0]!.id;
    const code = await makeCard("guardian", childId);
    const { cookie } = await childContext(code);
    const exported = await exportChildData(db, people.guardian!.m, childId);
    expect(exported.childSignInCards.length).toBeGreaterThan(1);
    expect(exported.childSignInCards.at(-1)).toMatchObject({ revokedAt: null });
    expect(exported.childSignInCards.at(-1)!.lastSignedInAt).not.toBeNull();
    expect(JSON.stringify(exported)).not.toContain(code.replace("-", ""));
    expect(await withdrawChild(db, people.guardian!.m, childId, true)).toEqual({ ok: true });
    expect((await authenticate(db, cookie)).signedIn).toBeNull();
    expect(await db.selectFrom("child_sign_in_card").select("id").where("child_id", "=", childId).execute()).toEqual([]);
    expect(await db.selectFrom("auth_session").select("id").where("child_id", "=", childId).execute()).toEqual([]);
  });
});
