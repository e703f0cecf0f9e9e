import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate, startSession } from "~/modules/accounts/auth.server";
import { requestPasswordReset, resetPassword } from "~/modules/accounts/password-reset.server";
import { hashSecretToken } from "~/modules/accounts/secret-token.server";
import { signIn } from "~/modules/accounts/sign-in.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { action as forgotAction } from "~/routes/forgot-password";
import { action as resetAction, loader as resetLoader } from "~/routes/reset-password.$token";
import { createPerson, FIXTURE_PASSWORD, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { emailCount, lastEmailTo, lastMailTo, openMailbox, tablesContaining, tokenIn } from "../support/outbox";
import { createTestDatabase } from "../support/test-database";
import { unwrap } from "../support/route-result";

const ORIGIN = "http://pasbort.test";
const NEW_PASSWORD = "harbour-thistle-meadow-37";

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;

function post(path: string, fields: Record<string, string>) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return new Request(`${ORIGIN}${path}`, { method: "POST", body });
}

async function askForReset(email: string, clientAddress = "127.0.0.1") {
  return unwrap(await forgotAction({ request: post("/forgot-password", { email }), params: {}, context: { ...signedOutContext, clientAddress } }));
}

beforeAll(async () => {
  openMailbox();
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  await createPerson(db, { email: "gwen@test.example", areaId: areas.south.id, role: "viewer" });
  await db.updateTable("app_user").set({ preferred_language: "cy" }).where("email", "=", "gwen@test.example").execute();
  await createPerson(db, { email: "alun@test.example", areaId: areas.north.id, role: "coordinator" });
  await createPerson(db, { email: "bryn@test.example", areaId: areas.north.id, role: "coordinator" });
});
afterAll(async () => close());

describe("asking for a reset link", () => {
  it("gives the same answer for a registered and an unknown address, and emails only the registered one", async () => {
    const known = await askForReset("gwen@test.example", "10.0.0.1");
    const unknown = await askForReset("nobody@test.example", "10.0.0.1");
    expect(known.status).toBe(unknown.status);
    const blank = (result: { data: unknown }, email: string) => JSON.stringify(result.data).replaceAll(email, "EMAIL");
    expect(blank(known, "gwen@test.example")).toBe(blank(unknown, "nobody@test.example"));
    expect(known.data).toEqual({ errors: {}, values: {}, formError: null, sentTo: "gwen@test.example" });
    expect(await emailCount(db, "nobody@test.example")).toBe(0);
  });

  it("emails the link in the person's own language, filed under their area", async () => {
    const email = await lastEmailTo(db, "gwen@test.example");
    expect(email).toMatchObject({ language: "cy", subject: "Pasbort: ailosod eich cyfrinair", area_id: areas.south.id });
    const token = tokenIn(lastMailTo(email.to_email).text, "reset-password");
    const row = await db.selectFrom("user_token").selectAll().where("token_hash", "=", hashSecretToken(token)).executeTakeFirstOrThrow();
    expect(row.purpose).toBe("password_reset");
    expect((row.expires_at.getTime() - row.created_at.getTime()) / 60_000).toBeCloseTo(60, 0);
  });

  it("checks the email's shape", async () => {
    expect(await askForReset("not an email")).toMatchObject({ status: 400, data: { errors: { email: "forms.emailInvalid" } } });
    expect(await askForReset("")).toMatchObject({ status: 400, data: { errors: { email: "forms.emailRequired" } } });
  });

  it("is limited to 10 requests per account in 15 minutes, whether it exists or not, and says when to try again", async () => {
    for (const email of ["alun@test.example", "ghost@test.example"]) {
      for (let attempt = 0; attempt < 10; attempt++) {
        expect((await askForReset(email, `10.2.0.${attempt}`)).status).toBe(200);
      }
      const blocked = await askForReset(email, "10.2.1.1");
      expect(blocked).toMatchObject({ status: 429, data: { formError: { key: "signIn.rateLimited" } } });
      expect(blocked.data.formError.count).toBeGreaterThanOrEqual(14);
    }
    // Ten emails, no more, went to the real account.
    expect(await emailCount(db, "alun@test.example")).toBe(10);
  });
});

describe("a reset link", () => {
  let token: string;
  let oldCookie: string;

  beforeAll(async () => {
    oldCookie = (await startSession(db, await userId("gwen@test.example"), null)).setCookie.split(";")[0]!;
    await requestPasswordReset(db, { email: "gwen@test.example" }, "10.3.0.1", ORIGIN);
    token = tokenIn(lastMailTo("gwen@test.example").text, "reset-password");
  });

  it("opens a form for a new password, which must be a good one", async () => {
    expect(
      unwrap(await resetLoader({ request: new Request(`${ORIGIN}/reset-password/${token}`), params: { token }, context: signedOutContext })).data.state,
    ).toBe("valid");
    const tryPassword = async (password: string) =>
      unwrap(await resetAction({ request: post(`/reset-password/${token}`, { password }), params: { token }, context: signedOutContext }));
    expect((await tryPassword("")).data.errors.password).toBe("passwordRules.required");
    expect((await tryPassword("short")).data.errors.password).toBe("passwordRules.tooShort");
    expect((await tryPassword("qwertyuiop")).data.errors.password).toBe("passwordRules.tooCommon");
    expect((await tryPassword("gwen-test-example")).data.errors.password).toBe("passwordRules.tooCommon");
    expect((await tryPassword("x".repeat(201))).data.errors.password).toBe("passwordRules.tooLong");
  });

  it("sets the password, ends every other session, signs in afresh and goes home", async () => {
    expect((await authenticate(db, oldCookie)).signedIn).not.toBeNull();
    const done = (await settle(
      resetAction({ request: post(`/reset-password/${token}`, { password: NEW_PASSWORD }), params: { token }, context: signedOutContext }),
    )) as Response;
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/viewer");
    expect((await authenticate(db, oldCookie)).signedIn).toBeNull();
    const fresh = await authenticate(db, done.headers.get("Set-Cookie")!.split(";")[0]);
    expect(fresh.signedIn?.user.email).toBe("gwen@test.example");

    expect(await signIn(db, { email: "gwen@test.example", password: FIXTURE_PASSWORD }, "10.3.0.2")).toMatchObject({ ok: false });
    expect(await signIn(db, { email: "gwen@test.example", password: NEW_PASSWORD }, "10.3.0.2")).toMatchObject({ ok: true });
    const user = await db.selectFrom("app_user").select("password_hash").where("email", "=", "gwen@test.example").executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    expect(await tablesContaining(db, NEW_PASSWORD)).toEqual([]);
    const actions = (
      await db
        .selectFrom("audit_event")
        .select("action")
        .where("actor_user_id", "=", await userId("gwen@test.example"))
        .execute()
    ).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["password_reset_requested", "password_reset"]));
  });

  it("works only once", async () => {
    const page = unwrap(await resetLoader({ request: new Request(`${ORIGIN}/reset-password/${token}`), params: { token }, context: signedOutContext }));
    expect(page).toMatchObject({ status: 410, data: { state: "used" } });
    const again = unwrap(
      await resetAction({
        request: post(`/reset-password/${token}`, { password: "another-long-passphrase-55" }),
        params: { token },
        context: signedOutContext,
      }),
    );
    expect(again).toMatchObject({ status: 410, data: { state: "used" } });
    expect(await resetPassword(db, token, { password: "another-long-passphrase-55" })).toEqual({ ok: false, state: "used" });
  });

  it("expires after an hour", async () => {
    expect(await requestPasswordReset(db, { email: "bryn@test.example" }, "10.4.0.1", ORIGIN)).toEqual({ ok: true });
    const later = tokenIn(lastMailTo("bryn@test.example").text, "reset-password");
    const anHourOn = new Date(Date.now() + 60 * 60 * 1000 + 1000);
    expect(await resetPassword(db, later, { password: NEW_PASSWORD }, anHourOn)).toEqual({ ok: false, state: "expired" });
    await db
      .updateTable("user_token")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("token_hash", "=", hashSecretToken(later))
      .execute();
    const page = unwrap(await resetLoader({ request: new Request(`${ORIGIN}/reset-password/${later}`), params: { token: later }, context: signedOutContext }));
    expect(page).toMatchObject({ status: 410, data: { state: "expired" } });
    expect(await signIn(db, { email: "bryn@test.example", password: FIXTURE_PASSWORD }, "10.4.0.2")).toMatchObject({ ok: true });
  });

  it("that was never sent does not work", async () => {
    const token = "A".repeat(43);
    const page = unwrap(await resetLoader({ request: new Request(`${ORIGIN}/reset-password/${token}`), params: { token }, context: signedOutContext }));
    expect(page).toMatchObject({ status: 404, data: { state: "invalid" } });
  });
});

async function userId(email: string) {
  return (await db.selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
}
