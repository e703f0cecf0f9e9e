import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { action as loginAction } from "~/routes/login";
import { createPerson, FIXTURE_PASSWORD, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  await createPerson(db, { email: "sign-in-coordinator@test.example", areaId: areas.north.id, role: "coordinator" });
});
afterAll(async () => close());

function signInRequest(fields: Record<string, string>, clientAddress = "10.20.0.1") {
  const request = new Request("http://pasbort.test/login", { method: "POST", body: new URLSearchParams(fields) });
  return settle(loginAction({ request, params: {}, context: { ...signedOutContext, clientAddress } }));
}

describe("signing in", () => {
  it("goes back only to a page of ours: the form's redirectTo as the browser posts it", async () => {
    // /login?redirectTo=/%09/evil.example: the page's hidden field holds the decoded "/\t/evil.example".
    const redirectTo = new URL("http://pasbort.test/login?redirectTo=/%09/evil.example").searchParams.get("redirectTo")!;
    const attacked = (await signInRequest({ email: "sign-in-coordinator@test.example", password: FIXTURE_PASSWORD, redirectTo })) as Response;
    expect(attacked.status).toBe(302);
    expect(attacked.headers.get("Location")).toBe("/coordinator");
    const own = (await signInRequest({
      email: "sign-in-coordinator@test.example",
      password: FIXTURE_PASSWORD,
      redirectTo: "/reports/equity?lang=cy",
    })) as Response;
    expect(own.headers.get("Location")).toBe("/reports/equity?lang=cy");
  });
});
