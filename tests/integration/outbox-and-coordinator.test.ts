import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCoordinator } from "~/modules/accounts/create-coordinator.server";
import { loadMemberships } from "~/modules/accounts/actor.server";
import { signIn } from "~/modules/accounts/sign-in.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { sendEmail } from "~/modules/email/email.server";
import { outboxViewerEnabled } from "~/modules/email/outbox.server";
import { loader as outboxLoader } from "~/routes/coordinator.outbox";
import { contextFor, createPerson, FIXTURE_PASSWORD, seedTwoAreas, settle } from "../support/fixtures";
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
    const page = (await open(context)) as { emails: Array<{ subject: string }> };
    expect(page.emails.map((email) => email.subject)).toEqual(["Ail", "First"]);
    expect(((await open(await contextFor(db, viewer.userId, viewer.membershipId))) as Response).status).toBe(403);

    process.env.DATABASE_URL = "postgres://db/pasbort";
    expect(((await open(context)) as Response).status).toBe(404);
    process.env.SHOW_OUTBOX = "1";
    expect((await open(context)) as object).toHaveProperty("emails");
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
