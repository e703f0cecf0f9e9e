import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships } from "~/modules/accounts/actor.server";
import { confirmEmail, registerGuardian } from "~/modules/accounts/registration.server";
import { hashSecretToken } from "~/modules/accounts/secret-token.server";
import { signIn } from "~/modules/accounts/sign-in.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { loader as confirmLoader } from "~/routes/confirm-email.$token";
import { action as registerAction, loader as registerLoader } from "~/routes/register";
import { createPerson, FIXTURE_PASSWORD, seedTwoAreas, signedOutContext } from "../support/fixtures";
import { emailCount, lastEmailTo, lastMailTo, openMailbox, tablesContaining, tokenIn } from "../support/outbox";
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
const PASSWORD = "orchard-pebble-swallow-28";

function post(path: string, fields: Record<string, string>) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return new Request(`${ORIGIN}${path}`, { method: "POST", body });
}

async function confirm(token: string) {
  return unwrap(await confirmLoader({ request: new Request(`${ORIGIN}/confirm-email/${token}`), params: { token }, context: signedOutContext }));
}

describe("guardian sign-up with several areas", () => {
  let db: DB;
  let close: () => Promise<void>;
  let areas: Awaited<ReturnType<typeof seedTwoAreas>>;

  const register = async (fields: Record<string, string>, clientAddress = "127.0.0.1") =>
    unwrap(await registerAction({ request: post("/register", fields), params: {}, context: { ...signedOutContext, clientAddress } }));

  beforeAll(async () => {
    ({ db, close } = await createTestDatabase());
    setDb(db);
    areas = await seedTwoAreas(db);
    await createPerson(db, { email: "existing@test.example", areaId: areas.north.id, role: "guardian" });
    await db.updateTable("app_user").set({ email_verified_at: new Date() }).where("email", "=", "existing@test.example").execute();
  });
  afterAll(async () => close());

  it("asks which Children's University only when there is a choice", async () => {
    const page = unwrap(await registerLoader({ request: new Request(`${ORIGIN}/register`), params: {}, context: signedOutContext }));
    expect(page.data.areas.map((area: { id: string }) => area.id).sort()).toEqual([areas.north.id, areas.south.id].sort());
    const missing = await register({ displayName: "Rhys", email: "rhys@example.org", password: PASSWORD, language: "cy" });
    expect(missing).toMatchObject({ status: 400, data: { errors: { areaId: "register.areaRequired" } } });
  });

  it("checks the form and gives the right message for each problem", async () => {
    const base = { displayName: "Rhys Morgan", email: "rhys@example.org", password: PASSWORD, language: "en", areaId: areas.north.id };
    expect((await register({ ...base, email: "rhys@" })).data.errors.email).toBe("forms.emailInvalid");
    expect((await register({ ...base, email: "" })).data.errors.email).toBe("forms.emailRequired");
    expect((await register({ ...base, password: "abc" })).data.errors.password).toBe("passwordRules.tooShort");
    expect((await register({ ...base, password: "password1234" })).data.errors.password).toBe("passwordRules.tooCommon");
    expect((await register({ ...base, password: "rhys.morgan.2024" })).data.errors.password).toBe("passwordRules.tooCommon");
    expect((await register({ ...base, password: "y".repeat(201) })).data.errors.password).toBe("passwordRules.tooLong");
    expect((await register({ ...base, displayName: "" })).data.errors.displayName).toBe("accountFields.nameRequired");
    expect((await register({ ...base, language: "fr" })).data.errors.language).toBe("accountFields.languageRequired");
    expect((await register({ ...base, areaId: "not-an-area" })).data.errors.areaId).toBe("register.areaRequired");
    // Typed values come back, never the password.
    const again = await register({ ...base, password: "abc" });
    expect(again.data.values).toMatchObject({ displayName: "Rhys Morgan", email: "rhys@example.org" });
    expect(JSON.stringify(again.data)).not.toContain('abc"');
    expect(await emailCount(db, "rhys@example.org")).toBe(0);
  });

  it("answers the same for a new address and one that already has an account", async () => {
    const fresh = await register(
      { displayName: "Rhys Morgan", email: "rhys@example.org", password: PASSWORD, language: "cy", areaId: areas.south.id },
      "10.5.0.1",
    );
    const known = await register(
      { displayName: "Someone", email: "existing@test.example", password: PASSWORD, language: "en", areaId: areas.south.id },
      "10.5.0.1",
    );
    expect(fresh.status).toBe(known.status);
    const blank = (result: { data: unknown }, email: string) => JSON.stringify(result.data).replaceAll(email, "EMAIL");
    expect(blank(fresh, "rhys@example.org")).toBe(blank(known, "existing@test.example"));

    // The existing person is told, by email, and nothing about their account changed.
    const note = await lastEmailTo(db, "existing@test.example");
    expect(note.subject).toBe("Pasbort: you already have an account");
    expect(note.body_text).toContain(`${ORIGIN}/forgot-password`);
    expect(note.body_text).not.toContain(PASSWORD);
    expect(await signIn(db, { email: "existing@test.example", password: FIXTURE_PASSWORD }, "10.5.0.2")).toMatchObject({ ok: true });
    expect(await signIn(db, { email: "existing@test.example", password: PASSWORD }, "10.5.0.2")).toMatchObject({ ok: false });
  });

  it("creates an unconfirmed account in the chosen language, with a 24-hour confirmation link", async () => {
    const user = await db.selectFrom("app_user").selectAll().where("email", "=", "rhys@example.org").executeTakeFirstOrThrow();
    expect(user).toMatchObject({ display_name: "Rhys Morgan", preferred_language: "cy", email_verified_at: null });
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    expect(await loadMemberships(db, user.id)).toEqual([]);
    const email = await lastEmailTo(db, "rhys@example.org");
    expect(email).toMatchObject({ language: "cy", subject: "Pasbort: cadarnhau eich cyfeiriad e-bost", area_id: areas.south.id });
    const token = tokenIn(lastMailTo(email.to_email).text, "confirm-email");
    const row = await db.selectFrom("user_token").selectAll().where("token_hash", "=", hashSecretToken(token)).executeTakeFirstOrThrow();
    expect(row.purpose).toBe("email_confirmation");
    expect((row.expires_at.getTime() - row.created_at.getTime()) / 3_600_000).toBeCloseTo(24, 1);
    expect(await tablesContaining(db, PASSWORD)).toEqual([]);
  });

  it("confirms the address and adds the guardian membership in the chosen area", async () => {
    const token = tokenIn(lastMailTo("rhys@example.org").text, "confirm-email");
    expect(await confirm(token)).toMatchObject({ status: 200, data: { state: "confirmed" } });
    const user = await db.selectFrom("app_user").selectAll().where("email", "=", "rhys@example.org").executeTakeFirstOrThrow();
    expect(user.email_verified_at).not.toBeNull();
    expect(await loadMemberships(db, user.id)).toMatchObject([{ areaId: areas.south.id, role: "guardian" }]);
    const actions = (await db.selectFrom("audit_event").select("action").where("actor_user_id", "=", user.id).execute()).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["guardian_registered", "email_confirmed", "membership_added"]));
    // Opened again (or first by a mail scanner): still confirmed, and nothing is added twice.
    expect(await confirm(token)).toMatchObject({ status: 200, data: { state: "confirmed" } });
    expect(await loadMemberships(db, user.id)).toHaveLength(1);
  });

  it("refuses a link whose area was altered, and one that has expired", async () => {
    await register({ displayName: "Elin", email: "elin@example.org", password: PASSWORD, language: "en", areaId: areas.north.id }, "10.6.0.1");
    const token = tokenIn(lastMailTo("elin@example.org").text, "confirm-email");
    expect(token.endsWith(`.${areas.north.id}`)).toBe(true);
    const altered = token.replace(areas.north.id, areas.south.id);
    expect(await confirm(altered)).toMatchObject({ status: 404, data: { state: "invalid" } });
    await db
      .updateTable("user_token")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("token_hash", "=", hashSecretToken(token))
      .execute();
    expect(await confirm(token)).toMatchObject({ status: 410, data: { state: "expired" } });
    const user = await db.selectFrom("app_user").selectAll().where("email", "=", "elin@example.org").executeTakeFirstOrThrow();
    expect(user.email_verified_at).toBeNull();
    expect(await loadMemberships(db, user.id)).toEqual([]);
  });

  it("sends a never-confirmed account a fresh link, keeping its first password", async () => {
    const again = await register(
      { displayName: "Elin", email: "elin@example.org", password: "a-different-passphrase-63", language: "en", areaId: areas.north.id },
      "10.6.0.2",
    );
    expect(again.data.sentTo).toBe("elin@example.org");
    const email = await lastEmailTo(db, "elin@example.org");
    expect(lastMailTo(email.to_email).text).toContain("password you chose the first time");
    expect(await confirm(tokenIn(lastMailTo(email.to_email).text, "confirm-email"))).toMatchObject({ data: { state: "confirmed" } });
    expect(await signIn(db, { email: "elin@example.org", password: PASSWORD }, "10.6.0.3")).toMatchObject({ ok: true, home: "/guardian" });
  });

  it("is rate limited per account after 10 attempts, whether or not it exists", async () => {
    for (const email of ["existing@test.example", "newcomer@example.org"]) {
      for (let attempt = 0; attempt < 10; attempt++) {
        await registerGuardian(db, { displayName: "X", email, password: PASSWORD, language: "en", areaId: areas.north.id }, `10.7.${attempt}.1`, ORIGIN);
      }
      const blocked = await registerGuardian(db, { displayName: "X", email, password: PASSWORD, language: "en", areaId: areas.north.id }, "10.7.99.1", ORIGIN);
      expect(blocked).toMatchObject({ ok: false, reason: "rateLimited" });
    }
    const blocked = await register(
      { displayName: "X", email: "newcomer@example.org", password: PASSWORD, language: "en", areaId: areas.north.id },
      "10.7.99.2",
    );
    expect(blocked).toMatchObject({ status: 429, data: { formError: { key: "signIn.rateLimited" } } });
  });
});

describe("guardian sign-up with a single area", () => {
  let db: DB;
  let close: () => Promise<void>;
  let areaId: string;

  beforeAll(async () => {
    ({ db, close } = await createTestDatabase({ reference: false }));
    setDb(db);
    areaId = (
      await db
        .insertInto("area")
        .values({ slug: "only", name_en: "Only area", name_cy: "Yr unig ardal", passport_prefix: "OA", settings: "{}" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => close());

  it("asks no area question and puts the guardian in the only area on confirmation", async () => {
    const page = unwrap(await registerLoader({ request: new Request(`${ORIGIN}/register`), params: {}, context: signedOutContext }));
    expect(page.data.areas).toEqual([]);
    expect(
      await registerGuardian(db, { displayName: "Mari", email: "mari@example.org", password: PASSWORD, language: "en", areaId: null }, "10.8.0.1", ORIGIN),
    ).toEqual({ ok: true });
    const email = await lastEmailTo(db, "mari@example.org");
    expect(email.subject).toBe("Pasbort: confirm your email address");
    expect(email.area_id).toBe(areaId);
    expect(await confirmEmail(db, tokenIn(lastMailTo(email.to_email).text, "confirm-email"))).toEqual({ state: "confirmed" });
    const user = await db.selectFrom("app_user").select("id").where("email", "=", "mari@example.org").executeTakeFirstOrThrow();
    expect(await loadMemberships(db, user.id)).toMatchObject([{ areaId, role: "guardian" }]);
  });
});
