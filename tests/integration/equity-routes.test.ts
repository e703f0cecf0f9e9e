import { readdirSync } from "node:fs";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "~/modules/accounts/api-tokens.server";
import { loadMemberships } from "~/modules/accounts/actor.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { equityCsv } from "~/modules/reports/equity-csv.server";
import { BREAKDOWNS } from "~/modules/reports/breakdowns";
import { ukDate } from "~/modules/activities/uk-time.server";
import { academicYearOf } from "~/modules/reports/equity-query.server";
import { equityReport } from "~/modules/reports/equity.server";
import { loader as apiLoader } from "~/routes/api.v1.reports.equity";
import { loader as pageLoader } from "~/routes/reports.equity";
import { loader as csvLoader } from "~/routes/reports.equity[.csv]";
import { EQUITY_FROM, EQUITY_TO, seedEquityFixture } from "../support/equity-fixture";
import { contextFor, createPerson, settle, signedOutContext } from "../support/fixtures";
import { cellsOf } from "../support/csv-attacks";
import { createTestDatabase } from "../support/test-database";

let db: DB;
let close: () => Promise<void>;
let fixture: Awaited<ReturnType<typeof seedEquityFixture>>;
const people: Record<string, AppLoadContext> = {};
let apiToken = "";

const custom = `period=custom&from=${EQUITY_FROM}&to=${EQUITY_TO}`;
const request = (path: string, headers: Record<string, string> = {}) => new Request(`http://pasbort.test${path}`, { headers });
type PageData = Exclude<Awaited<ReturnType<typeof pageLoader>>, Response>;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  fixture = await seedEquityFixture(db);
  const { north, south } = fixture;
  const specs = {
    coordinator: { areaId: north.id, role: "coordinator" },
    viewer: { areaId: north.id, role: "viewer" },
    southViewer: { areaId: south.id, role: "viewer" },
    school0: { areaId: north.id, role: "school", schoolId: north.schools[0]!.id },
    provider0: { areaId: north.id, role: "provider_owner", providerId: north.providers[0]!.id },
    guardian: { areaId: north.id, role: "guardian", childIds: [fixture.q1[0]!] },
  } as const;
  for (const [name, spec] of Object.entries(specs)) {
    const person = await createPerson(db, { email: `${name.toLowerCase()}@equity.example`, ...spec });
    people[name] = await contextFor(db, person.userId, person.membershipId);
    if (name === "provider0") {
      const [membership] = await loadMemberships(db, person.userId);
      apiToken = (await createApiToken(db, membership!, north.providers[0]!.id, { name: "Report reader" })).token;
    }
  }
});
afterAll(async () => close());

async function page(person: string, search: string) {
  return (await pageLoader({ request: request(`/reports/equity?${search}`), context: people[person]!, params: {} })) as PageData;
}

describe("the equity report page", () => {
  it("shows a viewer the area's figures with small numbers hidden, and no child's details", async () => {
    const data = await page("viewer", `${custom}&by=quintile`);
    expect(data.errors).toBeNull();
    const rows = data.report!.rows;
    expect(rows.find((r) => r.key === "1")!.enrolled).toEqual({ value: 12, shown: "12" });
    expect(rows.find((r) => r.key === "3")!.active).toEqual({ value: null, shown: "<5" });
    expect(data.report!.total.enrolled?.value).toBe(32);
    expect(data.trend).toHaveLength(6);
    expect(data.trend.find((term) => term.from === EQUITY_FROM)).toMatchObject({ q1ParticipationRate: 0.5, q5ParticipationRate: 0.6 });
    expect(data.csv).toBe(`/reports/equity.csv?period=custom&by=quintile&from=${EQUITY_FROM}&to=${EQUITY_TO}`);
    const text = JSON.stringify(data);
    expect(text).not.toMatch(/Equity\d|Fixture|passport/i);
    for (const id of [...fixture.q1, ...fixture.q5]) expect(text).not.toContain(id);
  });

  it("says why the gap cannot be shown and offers the view that can", async () => {
    // The area's autumn term shows the gap: no advice.
    expect((await page("viewer", `${custom}&by=quintile`)).advice).toBeNull();
    // October alone (no credits yet): the gap cannot be shown, but its academic year can.
    const october = await page("viewer", "period=custom&from=2026-10-02&to=2026-10-31&by=la");
    expect(october.report!.gap.verdict).toBeNull();
    const thisYear = academicYearOf(ukDate(new Date())).from === "2026-09-01";
    expect(october.advice).toEqual({
      longer: { search: thisYear ? "period=year&by=quintile" : "period=custom&by=quintile&from=2026-09-01&to=2027-08-31", showsGap: true },
      wider: false,
    });
    // School 0 has one child in the least deprived fifth: not even its year can show the gap,
    // and the area's report (its coordinators') is the wider view.
    const school = await page("school0", `${custom}&by=quintile`);
    expect(school.report!.gap.verdict).toBeNull();
    expect(school.advice).toMatchObject({ longer: { showsGap: false }, wider: true });
  });

  it("lets a coordinator in, and shows the same figures", async () => {
    const viewer = await page("viewer", `${custom}&by=decile`);
    const coordinator = await page("coordinator", `${custom}&by=decile`);
    expect(coordinator.report).toEqual(viewer.report);
  });

  it("narrows a school to its own pupils and a provider to its own participants", async () => {
    expect((await page("school0", custom)).report).toMatchObject({ scope: "school", total: { enrolled: { value: 13 }, active: { value: 7 }, hours: 9 } });
    // Its participants in the period (the child whose only credit with it was in August is not one).
    expect((await page("provider0", custom)).report).toMatchObject({ scope: "provider", total: { enrolled: { value: 15 } } });
  });

  it("never counts another area's children", async () => {
    const south = await page("southViewer", custom);
    expect(south.report!.total.enrolled).toEqual({ value: null, shown: "<5" });
  });

  it("refuses a guardian (403) and sends a signed-out visitor to sign in", async () => {
    const refused = await settle(pageLoader({ request: request(`/reports/equity`), context: people.guardian!, params: {} }));
    expect((refused as Response).status).toBe(403);
    const csvRefused = await settle(csvLoader({ request: request(`/reports/equity.csv`), context: people.guardian!, params: {} }));
    expect((csvRefused as Response).status).toBe(403);
    const signedOut = (await settle(pageLoader({ request: request(`/reports/equity`), context: signedOutContext, params: {} }))) as Response;
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("defaults to this term by quintile, and explains wrong dates", async () => {
    const data = await page("viewer", "");
    expect(data.report).toMatchObject({ by: "quintile" });
    expect(data.values.period).toBe("term");
    const wrong = await page("viewer", "period=custom&from=2026-12-31&to=2026-09-01&by=quintile");
    expect(wrong.report).toBeNull();
    expect(wrong.errors).toEqual({ to: "reports.errors.toBeforeFrom" });
    const bad = await page("viewer", "period=custom&from=31/12/2026&to=&by=nonsense");
    expect(bad.errors).toEqual({ from: "reports.errors.from", to: "reports.errors.to", by: "reports.errors.breakdown" });
  });
});

describe("the equity report CSV", () => {
  it("has the page's figures and suppression, in the reader's language", async () => {
    const response = (await csvLoader({
      request: request(`/reports/equity.csv?${custom}&by=quintile&lang=cy`),
      context: people.viewer!,
      params: {},
    })) as Response;
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const lines = (await response.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe(
      "Grŵp,Plant wedi cofrestru,Cyfran o'r rhai wedi cofrestru,Cyfran deg,Plant a gymerodd ran,Wedi cymryd rhan (cyfran o'r rhai wedi cofrestru),Oriau,Oriau i bob plentyn wedi cofrestru,Canolrif oriau i bob plentyn a gymerodd ran,Gwobrau a gyrhaeddwyd",
    );
    expect(lines).toHaveLength(11);
    expect(lines[1]).toMatch(/^Pumed 1 \(mwyaf difreintiedig\),12,38%,\d+%,6,50%,8,0\.7,1,<5$/);
    expect(lines[3]).toMatch(/^Pumed 3,<5,,\d+%,<5,,,,,<5$/);
    expect(lines[6]).toBe("Tu allan i Gymru neu ddim yn hysbys,<5,,,<5,,,,,<5");
    expect(lines[7]).toBe("Cyfanswm,32,100%,100%,16,50%,18,0.6,1,<5");
    // Below the table: what the figures count, the edition the groups use (WIMD 2025 unless asked otherwise) and its licence.
    expect(lines[8]).toMatch(/^"?Wedi cofrestru: plant a gofrestrwyd erbyn diwedd diwrnod olaf y cyfnod \(amser y DU\).*,{9}$/);
    expect(lines[9]).toMatch(/^"?Amddifadedd: Mynegai Amddifadedd Lluosog Cymru 2025, ar gymdogaethau 2021.*,{9}$/);
    expect(lines[10]).toMatch(/Drwydded Llywodraeth Agored v3\.0/);
  });

  it("defuses formulas in school and provider names", async () => {
    const school = fixture.north.schools[0]!.id;
    const provider = fixture.north.providers[0]!.id;
    const before = {
      school: await db.selectFrom("school").select("name").where("id", "=", school).executeTakeFirstOrThrow(),
      provider: await db.selectFrom("provider").select(["name_en", "name_cy"]).where("id", "=", provider).executeTakeFirstOrThrow(),
    };
    const [schoolAttack, providerAttack, welshAttack] = ["-1+cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","x")', "@SUM(A1:A2)"];
    await db.updateTable("school").set({ name: schoolAttack }).where("id", "=", school).execute();
    await db.updateTable("provider").set({ name_en: providerAttack, name_cy: welshAttack }).where("id", "=", provider).execute();
    try {
      const csv = async (by: string, lang: string) =>
        cellsOf(
          await (
            (await csvLoader({ request: request(`/reports/equity.csv?${custom}&by=${by}&lang=${lang}`), context: people.viewer!, params: {} })) as Response
          ).text(),
        );
      expect((await csv("school", "en")).map((row) => row[0])).toContain(`'${schoolAttack}`);
      expect((await csv("provider", "en")).map((row) => row[0])).toContain(`'${providerAttack}`);
      expect((await csv("provider", "cy")).map((row) => row[0])).toContain(`'${welshAttack}`);
    } finally {
      await db.updateTable("school").set(before.school).where("id", "=", school).execute();
      await db.updateTable("provider").set(before.provider).where("id", "=", provider).execute();
    }
  });

  it("refuses wrong dates with 400", async () => {
    const response = await settle(csvLoader({ request: request(`/reports/equity.csv?period=custom&from=x&to=y`), context: people.viewer!, params: {} }));
    expect((response as Response).status).toBe(400);
  });
});

describe("GET /api/v1/reports/equity", () => {
  const api = (search: string, token: string | null = apiToken) =>
    apiLoader({
      request: request(`/api/v1/reports/equity?${search}`, token ? { Authorization: `Bearer ${token}` } : {}),
      context: signedOutContext,
      params: {},
    });

  it("answers with the token's provider's report: the same numbers as the page", async () => {
    const response = await api(`from=${EQUITY_FROM}&to=${EQUITY_TO}&by=category`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const body = await response.json();
    const expected = await equityReport(
      db,
      { areaId: fixture.north.id, providerId: fixture.north.providers[0]!.id },
      { from: EQUITY_FROM, to: EQUITY_TO, by: "category" },
    );
    expect(body).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(body).toMatchObject({ scope: "provider", rows: [{ key: "sport", active: { value: 15 }, hours: 15 }] });
    const quintiles = await (await api(`from=${EQUITY_FROM}&to=${EQUITY_TO}`)).json();
    expect(quintiles.by).toBe("quintile");
    expect(quintiles.rows.find((r: { key: string }) => r.key === "3").active).toEqual({ value: null, shown: "<5" });
  });

  it("refuses a request without dates or with a wrong breakdown (400), and without a token (401)", async () => {
    const missing = await api("by=quintile");
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.code).toBe("BAD_REQUEST");
    expect((await api(`from=${EQUITY_FROM}&to=${EQUITY_TO}&by=child`)).status).toBe(400);
    expect((await api(`from=${EQUITY_TO}&to=${EQUITY_FROM}`)).status).toBe(400);
    const unauthorised = await api(`from=${EQUITY_FROM}&to=${EQUITY_TO}`, null);
    expect(unauthorised.status).toBe(401);
  });
});

describe("the same numbers everywhere", () => {
  it("gives the page, the CSV and the API the same figures for the same query, for every breakdown", async () => {
    for (const by of BREAKDOWNS) {
      const search = `from=${EQUITY_FROM}&to=${EQUITY_TO}&by=${by}`;
      const pageData = await page("provider0", `period=custom&${search}`);
      const apiResponse = await apiLoader({
        request: request(`/api/v1/reports/equity?${search}`, { Authorization: `Bearer ${apiToken}` }),
        context: signedOutContext,
        params: {},
      });
      expect(apiResponse.status, by).toBe(200);
      expect(await apiResponse.json(), by).toEqual(JSON.parse(JSON.stringify(pageData.report)));
      const csvResponse = (await csvLoader({
        request: request(`/reports/equity.csv?period=custom&${search}&lang=en`),
        context: people.provider0!,
        params: {},
      })) as Response;
      // (Response.text() drops the byte-order mark the CSV starts with, for spreadsheets.)
      expect(await csvResponse.text(), by).toBe(equityCsv(pageData.report!, "en").replace(/^\uFEFF/, ""));
    }
    // And for the area (page and CSV; the API is for providers' tokens only).
    const area = await page("viewer", `${custom}&by=school`);
    const areaCsv = (await csvLoader({ request: request(`/reports/equity.csv?${custom}&by=school&lang=cy`), context: people.viewer!, params: {} })) as Response;
    expect(await areaCsv.text()).toBe(equityCsv(area.report!, "cy").replace(/^\uFEFF/, ""));
  });

  it("explains a period of a year or more on the page and over the API, in Welsh too", async () => {
    const long = await page("viewer", "period=custom&from=2025-09-01&to=2026-12-31&by=quintile");
    expect(long.report).toBeNull();
    expect(long.errors).toEqual({ to: "reports.errors.tooLong" });
    const api = await apiLoader({
      request: request(`/api/v1/reports/equity?from=2025-09-01&to=2026-12-31`, { Authorization: `Bearer ${apiToken}`, "Accept-Language": "cy" }),
      context: signedOutContext,
      params: {},
    });
    expect(api.status).toBe(400);
    expect((await api.json()).error.message).toMatch(/^Mae adroddiad yn cwmpasu blwyddyn ar y mwyaf/);
    const backwards = await apiLoader({
      request: request(`/api/v1/reports/equity?from=${EQUITY_TO}&to=${EQUITY_FROM}`, { Authorization: `Bearer ${apiToken}` }),
      context: signedOutContext,
      params: {},
    });
    expect((await backwards.json()).error.message).toBe("The last day must be the same as or after the first day.");
  });

  it("says on the page when no credit was earned in the period", async () => {
    const data = await page("viewer", "period=custom&from=2027-01-01&to=2027-03-31&by=quintile");
    expect(data.report).toMatchObject({ noCredits: true, benchmark: "lsoas" });
  });
});

/**
 * Every route of the app, called as a viewer with real ids: only public pages, the viewer's
 * own account and the aggregate reports answer; every other one refuses (or sends elsewhere),
 * and nothing anywhere carries a child's name, passport number, token or id.
 */
describe("a viewer and child-level routes", () => {
  const MAY_ANSWER = new Set([
    "_index",
    "account",
    "viewer._index",
    "reports.equity",
    "reports.equity[.csv]",
    // The children's voice, as counts of the area (child-voice.server.ts); never a child.
    "reports.voice",
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
    "logout",
    "register",
    "claim.$token",
    "child-sign-in",
    // The public certificate check, which anyone holding a certificate's unguessable id may use.
    "verify._index",
    "verify.$certificateId",
  ]);

  it("is refused every child-level route, and never sees a child's details", async () => {
    const children = await db
      .selectFrom("child")
      .select(["id", "given_name", "family_name", "passport_number", "passport_token"])
      .where("area_id", "=", fixture.north.id)
      .where("status", "=", "active")
      .execute();
    const secrets = children.flatMap((c) => [c.id, c.given_name!, c.passport_number!, c.passport_token!]);
    const child = children.find((c) => c.id === fixture.q1[0])!;
    const { north } = fixture;
    const params = {
      childId: child.id,
      token: child.passport_token!,
      number: child.passport_number!,
      sessionId: north.sessions[0]!.id,
      activityId: north.activities[0]!.id,
      providerId: north.providers[0]!.id,
      awardLevelId: "00000000-0000-4000-8000-000000000000",
      graduationId: "00000000-0000-4000-8000-000000000000",
      certificateId: "00000000-0000-4000-8000-000000000000",
      "*": "passports",
    };
    const checked: string[] = [];
    for (const file of readdirSync("app/routes").sort()) {
      const name = file.replace(/\.tsx?$/, "");
      const route = await import(`~/routes/${name}`);
      for (const kind of ["loader", "action"] as const) {
        if (!route[kind] || (kind === "action" && MAY_ANSWER.has(name))) continue;
        const init = kind === "action" ? { method: "POST", body: new URLSearchParams({ intent: "issue", childId: child.id }) } : {};
        const result = await settle(
          Promise.resolve().then(() => route[kind]({ request: new Request(`http://pasbort.test/${name}`, init), context: people.viewer!, params })),
        );
        let status = 200;
        let text = "";
        if (result instanceof Response) {
          status = result.status;
          text = (result.headers.get("Content-Type") ?? "").includes("pdf") ? "" : await result.text();
          if (status >= 300 && status < 400) expect(result.headers.get("Location"), name).not.toMatch(/^\/(guardian\/children|children)\//);
        } else if (result && typeof result === "object" && "init" in result && "data" in result) {
          status = (result as { init?: { status?: number } }).init?.status ?? 200;
          text = JSON.stringify((result as { data: unknown }).data);
        } else {
          text = JSON.stringify(result ?? null);
        }
        if (!MAY_ANSWER.has(name)) expect([301, 302, 303, 401, 403, 404, 405], `${name} ${kind}`).toContain(status);
        for (const secret of secrets) expect(text.includes(secret), `${name} ${kind} shows a child's details`).toBe(false);
        checked.push(`${name} ${kind}`);
      }
    }
    expect(checked).toContain("children.$childId loader");
    expect(checked).toContain("guardian.children.$childId.data[.json] loader");
    expect(checked).toContain("school.passports loader");
    expect(checked).toContain("provider.sessions.$sessionId_.roster loader");
    expect(checked).toContain("p.$token loader");
  });
});
