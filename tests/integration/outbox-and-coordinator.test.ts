import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCoordinator } from "~/modules/accounts/create-coordinator.server";
import { loadMemberships } from "~/modules/accounts/actor.server";
import { signIn } from "~/modules/accounts/sign-in.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { describeMail, sendEmail, useMailTransport } from "~/modules/email/email.server";
import { inviteSecondGuardian } from "~/modules/children/guardian-links.server";
import { action as forgotAction } from "~/routes/forgot-password";
import { action as invitationsAction } from "~/routes/coordinator.invitations";
import { outboxViewerEnabled } from "~/modules/email/outbox.server";
import { loader as outboxLoader } from "~/routes/coordinator.outbox";
import { contextFor, createPerson, FIXTURE_PASSWORD, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { tablesContaining } from "../support/outbox";
import { createTestDatabase } from "../support/test-database";

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
});
afterAll(async () => close());

describe("the outbox page", () => {
  const saved = { DATABASE_URL: process.env.DATABASE_URL, SHOW_OUTBOX: process.env.SHOW_OUTBOX };
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  const open = async (context: Awaited<ReturnType<typeof contextFor>>) =>
    settle(outboxLoader({ request: new Request("http://pasbort.test/coordinator/outbox"), params: {}, context }));

  it("is shown on the embedded database, or on PostgreSQL only with SHOW_OUTBOX=1", () => {
    expect(outboxViewerEnabled({})).toBe(true);
    expect(outboxViewerEnabled({ DATABASE_URL: "postgres://db/pasbort" })).toBe(false);
    expect(outboxViewerEnabled({ DATABASE_URL: "postgres://db/pasbort", SHOW_OUTBOX: "1" })).toBe(true);
  });

  it("lists the coordinator's own area's emails, newest first, and is closed to everyone else", async () => {
    delete process.env.DATABASE_URL;
    const coordinator = await createPerson(db, { email: "outbox-coordinator@test.example", areaId: areas.north.id, role: "coordinator" });
    const viewer = await createPerson(db, { email: "outbox-viewer@test.example", areaId: areas.north.id, role: "viewer" });
    await sendEmail(db, { to: "first@example.org", language: "en", subject: "First", text: "one", areaId: areas.north.id });
    await sendEmail(db, { to: "second@example.org", language: "cy", subject: "Ail", text: "dau http://pasbort.test/invite/abc", areaId: areas.north.id });
    await sendEmail(db, { to: "south@example.org", language: "en", subject: "South", text: "not yours", areaId: areas.south.id });
    await sendEmail(db, { to: "nowhere@example.org", language: "en", subject: "No area", text: "not yours either" });

    const context = await contextFor(db, coordinator.userId, coordinator.membershipId);
    const page = (await settle(outboxLoader({ request: new Request("http://pasbort.test/coordinator/outbox"), params: {}, context }))) as {
      emails: Array<{ subject: string }>;
    };
    expect(page.emails.map((email) => email.subject)).toEqual(["Ail", "First"]);
    expect(((await open(await contextFor(db, viewer.userId, viewer.membershipId))) as Response).status).toBe(403);

    process.env.DATABASE_URL = "postgres://db/pasbort";
    expect(((await open(context)) as Response).status).toBe(404);
    process.env.SHOW_OUTBOX = "1";
    expect((await open(context)) as object).toHaveProperty("emails");
  });
});

describe("the outbox of the embedded database, where a coordinator reads the area's mail", () => {
  const savedUrl = process.env.DATABASE_URL;
  afterEach(() => {
    if (savedUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = savedUrl;
  });

  it("never shows a reset link, invitation or other sign-in secret meant for someone else", async () => {
    delete process.env.DATABASE_URL;
    useMailTransport(null);
    const coordinator = await createPerson(db, { email: "nosy-coordinator@test.example", areaId: areas.north.id, role: "coordinator" });
    await createPerson(db, { email: "colleague@test.example", areaId: areas.north.id, role: "coordinator" });
    const guardian = await createPerson(db, {
      email: "outbox-guardian@test.example",
      areaId: areas.north.id,
      role: "guardian",
      childIds: [areas.north.children[0]!.id],
    });
    const context = await contextFor(db, coordinator.userId, coordinator.membershipId);
    const post = (path: string, fields: Record<string, string>) =>
      new Request(`http://pasbort.test${path}`, { method: "POST", body: new URLSearchParams(fields) });
    // What a coordinator could do to take over an account: ask for its reset, then read the outbox.
    await settle(
      forgotAction({
        request: post("/forgot-password", { email: "colleague@test.example" }),
        params: {},
        context: { ...signedOutContext, clientAddress: "10.40.0.1" },
      }),
    );
    await settle(
      invitationsAction({ request: post("/coordinator/invitations", { email: "newcomer@test.example", role: "viewer", language: "en" }), params: {}, context }),
    );
    const guardianMembership = (await loadMemberships(db, guardian.userId))[0]!;
    expect(
      await inviteSecondGuardian(
        db,
        guardianMembership,
        areas.north.children[0]!.id,
        { email: "second-guardian@test.example", language: "en" },
        "http://pasbort.test",
      ),
    ).toEqual({ ok: true });

    const page = (await settle(outboxLoader({ request: new Request("http://pasbort.test/coordinator/outbox"), params: {}, context }))) as {
      emails: Array<{ to_email: string; subject: string; body_text: string; transport: string }>;
    };
    const shown = (to: string) => page.emails.find((email) => email.to_email === to)!;
    // Each is listed (to whom, what about, not sent), its link replaced by a note.
    expect(shown("colleague@test.example")).toMatchObject({ subject: "Pasbort: reset your password", transport: "outbox" });
    for (const to of ["colleague@test.example", "newcomer@test.example", "second-guardian@test.example"]) {
      expect(shown(to).body_text, to).toContain("[link sent to the recipient only, not kept here]");
    }
    const theirs = JSON.stringify(["colleague@test.example", "newcomer@test.example", "second-guardian@test.example"].map(shown));
    for (const path of ["/reset-password/", "/invite/", "/link-child/"]) expect(theirs).not.toContain(path);
    // Nor is any such link kept in any table, for the page to show later.
    for (const path of ["reset-password/", "link-child/"]) expect(await tablesContaining(db, path)).toEqual([]);
    const invitationRows = await db.selectFrom("outbox_email").select("body_text").where("to_email", "=", "newcomer@test.example").execute();
    expect(invitationRows.map((row) => row.body_text.includes("/invite/"))).toEqual([false]);
  });
});

describe("mail at start-up", () => {
  it("says when there is no mail server, and when SMTP_URL's does not answer", async () => {
    useMailTransport(undefined);
    expect(await describeMail({})).toEqual({ ok: false, message: expect.stringMatching(/^Mail: no SMTP_URL, so no email is sent/) });
    const saved = process.env.SMTP_URL;
    process.env.SMTP_URL = "smtp://127.0.0.1:58198";
    try {
      expect(await describeMail(process.env)).toEqual({
        ok: false,
        message: expect.stringMatching(/^SMTP_URL: the mail server cannot be used \(.*ECONNREFUSED.*\); emails will fail until it answers\.$/),
      });
    } finally {
      if (saved === undefined) delete process.env.SMTP_URL;
      else process.env.SMTP_URL = saved;
      useMailTransport(undefined);
    }
  });
});

describe("creating a coordinator from the command line", () => {
  const STRONG = "granite-osprey-willow-84";

  it("creates a missing area (with its award ladder), the account and the membership", async () => {
    const result = await createCoordinator(db, {
      email: " Ceri@Example.org ",
      areaSlug: "conwy",
      area: { nameEn: "Children's University Conwy", nameCy: "Prifysgol y Plant Conwy", prefix: "cw" },
      password: STRONG,
      displayName: "Ceri Hughes",
    });
    expect(result).toMatchObject({ ok: true, areaCreated: true, accountCreated: true, membershipAdded: true });
    if (!result.ok) return;
    const area = await db.selectFrom("area").selectAll().where("slug", "=", "conwy").executeTakeFirstOrThrow();
    expect(area).toMatchObject({ id: result.areaId, passport_prefix: "CW", name_cy: "Prifysgol y Plant Conwy" });
    const ladder = await db.selectFrom("award_level").select("threshold_hours").where("area_id", "=", area.id).execute();
    expect(ladder).toHaveLength(30);
    const user = await db.selectFrom("app_user").selectAll().where("email", "=", "ceri@example.org").executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    expect(user.email_verified_at).not.toBeNull();
    expect(await loadMemberships(db, user.id)).toMatchObject([{ areaId: area.id, role: "coordinator" }]);
    expect(await signIn(db, { email: "ceri@example.org", password: STRONG }, "10.9.0.1")).toMatchObject({ ok: true, home: "/coordinator" });
    expect(await tablesContaining(db, STRONG)).toEqual([]);
  });

  it("changes nothing when run again, and never changes an existing password", async () => {
    const again = await createCoordinator(db, { email: "ceri@example.org", areaSlug: "conwy", password: "some-other-passphrase-19" });
    expect(again).toMatchObject({ ok: true, areaCreated: false, accountCreated: false, membershipAdded: false });
    expect(await signIn(db, { email: "ceri@example.org", password: STRONG }, "10.9.0.2")).toMatchObject({ ok: true });
  });

  it("adds an existing person to an existing area without asking for a password", async () => {
    await createPerson(db, { email: "dewi@test.example", areaId: areas.south.id, role: "viewer" });
    const result = await createCoordinator(db, { email: "dewi@test.example", areaSlug: "north" });
    expect(result).toMatchObject({ ok: true, areaCreated: false, accountCreated: false, membershipAdded: true });
    expect(await signIn(db, { email: "dewi@test.example", password: FIXTURE_PASSWORD }, "10.9.0.3")).toMatchObject({ ok: true });
  });

  it("refuses bad input with a message for each problem, and creates nothing", async () => {
    const problems = async (input: Parameters<typeof createCoordinator>[1]) => {
      const result = await createCoordinator(db, input);
      return result.ok ? [] : result.problems;
    };
    expect(await problems({ email: "not-an-email", areaSlug: "north", password: STRONG })).toEqual(["forms.emailInvalid"]);
    expect(await problems({ email: "new@example.org", areaSlug: "north", password: "password123" })).toEqual(["passwordRules.tooCommon"]);
    expect(await problems({ email: "new@example.org", areaSlug: "north", password: "short" })).toEqual(["passwordRules.tooShort"]);
    expect(await problems({ email: "new@example.org", areaSlug: "north" })).toEqual(["createCoordinator.passwordRequired"]);
    expect(await problems({ email: "new@example.org", areaSlug: "Not A Slug!", password: STRONG })).toEqual(["createCoordinator.slugInvalid"]);
    expect(await problems({ email: "new@example.org", areaSlug: "gwynedd", password: STRONG })).toEqual(["createCoordinator.areaDetailsRequired"]);
    expect(await problems({ email: "new@example.org", areaSlug: "gwynedd", area: { nameEn: "G", nameCy: "G", prefix: "G1" }, password: STRONG })).toEqual([
      "createCoordinator.prefixInvalid",
    ]);
    expect(await problems({ email: "new@example.org", areaSlug: "gwynedd", area: { nameEn: "G", nameCy: "G", prefix: "NA" }, password: STRONG })).toEqual([
      "createCoordinator.prefixTaken",
    ]);
    expect(await db.selectFrom("area").select("id").where("slug", "=", "gwynedd").executeTakeFirst()).toBeUndefined();
    expect(await db.selectFrom("app_user").select("id").where("email", "=", "new@example.org").executeTakeFirst()).toBeUndefined();
  });
});
