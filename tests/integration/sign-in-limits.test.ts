import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "~/modules/accounts/sign-in.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { receivedKey, translator } from "~/modules/i18n/i18n";
import { action as loginAction } from "~/routes/login";
import { createPerson, FIXTURE_PASSWORD, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";

/**
 * Issue 13: ten wrong passwords from anywhere used to lock the real owner out for 15 minutes.
 * Guessing is now limited per account and address (growing delays) and per address across
 * accounts (password spraying), so a stranger elsewhere cannot lock anyone out.
 */
let db: DB;
let close: () => Promise<void>;

const WRONG = "not-the-password-at-all";
const minutes = (n: number) => n * 60_000;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  const { north } = await seedTwoAreas(db);
  for (const name of ["ceri", "dafydd", "eirlys", "ffion", "gethin"]) {
    await createPerson(db, { email: `${name}@test.example`, areaId: north.id, role: "coordinator" });
  }
});
afterAll(async () => close());

function post(fields: Record<string, string>) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return new Request("http://pasbort.test/login", { method: "POST", body });
}

async function loginFrom(clientAddress: string, email: string, password: string) {
  const result = (await settle(loginAction({ request: post({ email, password }), params: {}, context: { ...signedOutContext, clientAddress } }))) as unknown;
  if (result instanceof Response) return { status: result.status, data: null };
  const { data, init } = result as { data: { formError: { key: string; count: number } | string }; init: ResponseInit | null };
  return { status: init?.status ?? 200, data };
}

describe("sign-in limits", () => {
  it("do not let a stranger's wrong passwords lock the owner out of their account from their own address", async () => {
    const start = new Date();
    for (let attempt = 0; attempt < 25; attempt++) {
      await signIn(db, { email: "ceri@test.example", password: WRONG }, "203.0.113.9", new Date(start.getTime() + attempt * 1000));
    }
    expect(await signIn(db, { email: "ceri@test.example", password: FIXTURE_PASSWORD }, "198.51.100.4", new Date(start.getTime() + 30_000))).toMatchObject({
      ok: true,
    });
  });

  it("slow a guesser down with growing delays, the right password included, and say how long to wait", async () => {
    const start = new Date();
    const from = "203.0.113.20";
    const attempt = (password: string, at: number) => signIn(db, { email: "dafydd@test.example", password }, from, new Date(start.getTime() + at));
    // Five free tries, then 1, 2, 4, … minutes between tries.
    for (let n = 0; n < 5; n++) expect(await attempt(WRONG, n * 1000)).toEqual({ ok: false, reason: "invalid" });
    expect(await attempt(WRONG, 5000)).toEqual({ ok: false, reason: "invalid" });
    expect(await attempt(FIXTURE_PASSWORD, 6000)).toMatchObject({ ok: false, reason: "rateLimited", retryAfterMinutes: 1 });
    expect(await attempt(WRONG, 5000 + minutes(1))).toEqual({ ok: false, reason: "invalid" });
    expect(await attempt(WRONG, 6000 + minutes(1))).toMatchObject({ ok: false, reason: "rateLimited", retryAfterMinutes: 2 });
    expect(await attempt(WRONG, 5000 + minutes(3))).toEqual({ ok: false, reason: "invalid" });
    expect(await attempt(WRONG, 6000 + minutes(3))).toMatchObject({ ok: false, reason: "rateLimited", retryAfterMinutes: 4 });
    // The owner, from elsewhere, is not held up; once the delay has passed, the right password works here too.
    expect(
      await signIn(db, { email: "dafydd@test.example", password: FIXTURE_PASSWORD }, "198.51.100.5", new Date(start.getTime() + minutes(4))),
    ).toMatchObject({ ok: true });
    expect(await attempt(FIXTURE_PASSWORD, 5000 + minutes(7))).toMatchObject({ ok: true });
    // A success forgets the series: the next mistake is free again.
    expect(await attempt(WRONG, minutes(8))).toEqual({ ok: false, reason: "invalid" });
    expect(await attempt(FIXTURE_PASSWORD, minutes(8) + 1000)).toMatchObject({ ok: true });
  });

  it("stop one address trying passwords across many accounts (password spraying), but not other addresses", async () => {
    const start = new Date();
    const sprayer = "203.0.113.30";
    for (let n = 0; n < 30; n++) {
      const result = await signIn(db, { email: `nobody${n}@test.example`, password: WRONG }, sprayer, new Date(start.getTime() + n * 1000));
      expect(result, `attempt ${n + 1}`).toEqual({ ok: false, reason: "invalid" });
    }
    const blocked = await signIn(db, { email: "eirlys@test.example", password: FIXTURE_PASSWORD }, sprayer, new Date(start.getTime() + 31_000));
    expect(blocked).toMatchObject({ ok: false, reason: "rateLimited" });
    if (!blocked.ok && blocked.reason === "rateLimited") expect(blocked.retryAfterMinutes).toBeGreaterThanOrEqual(14);
    expect(await signIn(db, { email: "eirlys@test.example", password: FIXTURE_PASSWORD }, "198.51.100.6", new Date(start.getTime() + 32_000))).toMatchObject({
      ok: true,
    });
  });

  it("count an IPv6 client by its /64, so changing address within it does not escape the limit", async () => {
    const start = new Date();
    for (let n = 0; n < 30; n++) {
      await signIn(db, { email: `nobody${n}@test.example`, password: WRONG }, `2001:db8:77:1::${n + 1}`, new Date(start.getTime() + n * 1000));
    }
    expect(
      await signIn(db, { email: "eirlys@test.example", password: FIXTURE_PASSWORD }, "2001:db8:77:1:abcd::99", new Date(start.getTime() + 31_000)),
    ).toMatchObject({
      ok: false,
      reason: "rateLimited",
    });
    expect(
      await signIn(db, { email: "eirlys@test.example", password: FIXTURE_PASSWORD }, "2001:db8:77:2::1", new Date(start.getTime() + 32_000)),
    ).toMatchObject({ ok: true });
  });

  it("count only failures, so many people signing in from one school's address never hold each other up", async () => {
    for (let n = 0; n < 40; n++) {
      expect((await signIn(db, { email: "gethin@test.example", password: FIXTURE_PASSWORD }, "192.0.2.77")).ok, `sign-in ${n + 1}`).toBe(true);
    }
  });

  it("answer 429 (not 500) on the sign-in page, with a message in Welsh and English", async () => {
    const from = "203.0.113.40";
    for (let n = 0; n < 6; n++) expect((await loginFrom(from, "ffion@test.example", WRONG)).status).toBe(400);
    const blocked = await loginFrom(from, "ffion@test.example", FIXTURE_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.data!.formError).toEqual({ key: "signIn.rateLimited", count: 1 });
    const { key, count } = blocked.data!.formError as { key: string; count: number };
    expect(translator("en")(receivedKey(key), { count })).toBe("Too many attempts. Try again in 1 minute.");
    expect(translator("cy")(receivedKey(key), { count })).toBe("Gormod o ymdrechion. Rhowch gynnig arall arni ymhen 1 munud.");
    expect((await loginFrom("198.51.100.7", "ffion@test.example", FIXTURE_PASSWORD)).status).toBe(302);
  });
});
