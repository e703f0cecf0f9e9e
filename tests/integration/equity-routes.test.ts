import { readdirSync } from "node:fs";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "~/modules/accounts/api-tokens.server";
import { loadMemberships } from "~/modules/accounts/actor.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { equityCsv } from "~/modules/reports/equity-csv.server";
import { BREAKDOWNS } from "~/modules/reports/breakdowns";
import { equityReport, equityTallies } from "~/modules/reports/equity.server";
import { protectCount } from "~/modules/reports/disclosure.server";
import { hoursText, percent } from "~/modules/reports/labels";
import { translator } from "~/modules/i18n/i18n";
import { loader as apiLoader } from "~/routes/api.v1.reports.equity";
import { loader as pageLoader } from "~/routes/reports.equity";
import { loader as csvLoader } from "~/routes/reports.equity[.csv]";
import { EQUITY_FROM, EQUITY_TO, reportReaders, seedEquityFixture } from "../support/equity-fixture";
import { settle, signedOutContext } from "../support/fixtures";
import { cellsOf } from "../support/csv-attacks";
import { expectPublishedFrom, truthFrom } from "../support/tallies";
import { createTestDatabase } from "../support/test-database";

let db: DB;
let close: () => Promise<void>;
let fixture: Awaited<ReturnType<typeof seedEquityFixture>>;
const people: Record<string, AppLoadContext> = {};
let apiToken = "";

const custom = `period=custom&from=${EQUITY_FROM}&to=${EQUITY_TO}`;
const request = (path: string, headers: Record<string, string> = {}) => new Request(`http://pasbort.test${path}`, { headers });
type Loaded = Exclude<Awaited<ReturnType<typeof pageLoader>>, Response>;
type PageData = Exclude<Loaded, { init: unknown }> | Extract<Loaded, { init: unknown }>["data"];
/** The page's data, and its status (a refused query is data with a 4xx status). */
const unwrap = (loaded: Loaded): PageData & { status: number } =>
  "init" in loaded && "data" in loaded ? { ...loaded.data, status: loaded.init?.status ?? 200 } : { ...loaded, status: 200 };

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  fixture = await seedEquityFixture(db);
  const readers = await reportReaders(db, fixture, "equity.example");
  for (const [name, reader] of Object.entries(readers)) people[name] = reader.context;
  // The school's and the provider's staff, as this file names them.
  [people.school0, people.provider0] = [readers.school.context, readers.provider.context];
  const [membership] = await loadMemberships(db, readers.provider.userId);
  apiToken = (await createApiToken(db, membership!, fixture.north.providers[0]!.id, { name: "Report reader" })).token;
});
afterAll(async () => close());

async function page(person: string, search: string) {
  return unwrap((await pageLoader({ request: request(`/reports/equity?${search}`), context: people[person]!, params: {} })) as Loaded);
}

describe("the equity report page", () => {
  it("shows a viewer the area's figures through disclosure control, and no child's details", async () => {
    const data = await page("viewer", `${custom}&by=quintile`);
    expect(data.errors).toBeNull();
    expect(data.report!.internalUse).toBe(false); // the dates are the autumn term's: a published period
    const truth = await equityTallies(db, { areaId: fixture.north.id }, { from: EQUITY_FROM, to: EQUITY_TO, by: "quintile" });
    expectPublishedFrom(data.report!, truthFrom(truth));
    expect(data.trend).toHaveLength(6);
    const autumn = data.trend.find((term) => term.from === EQUITY_FROM)!;
    expect(autumn.q1ParticipationRate).toBe(data.report!.rows.find((r) => r.key === "1")!.participationRate);
    expect(data.csv).toBe(`/reports/equity.csv?period=2026-autumn&by=quintile`);
    const text = JSON.stringify(data);
    expect(text).not.toMatch(/Equity\d|Fixture|passport/i);
    for (const id of [...fixture.q1, ...fixture.q5]) expect(text).not.toContain(id);
  });

  it("says why the gap cannot be shown and offers the view that can", async () => {
    // The area's autumn term shows the gap: no advice.
    expect((await page("viewer", `${custom}&by=quintile`)).advice).toBeNull();
    // School 0 has one child in the least deprived fifth: not even its year can show the gap,
    // and the area's report (its coordinators') is the wider view.
    const school = await page("school0", `${custom}&by=quintile`);
    expect(school.report!.gap.verdict).toBeNull();
    expect(school.advice).toEqual({ longer: { search: "period=2026-27&by=quintile", showsGap: false }, wider: true });
    // Asked for the year itself: nothing longer to offer, only the wider view.
    expect((await page("school0", "period=2026-27&by=quintile")).advice).toEqual({ longer: null, wider: true });
  });

  it("lets a coordinator in, and shows the same figures", async () => {
    const viewer = await page("viewer", `${custom}&by=decile`);
    const coordinator = await page("coordinator", `${custom}&by=decile`);
    expect(coordinator.report).toEqual(viewer.report);
  });

  it("narrows a school to its own pupils and a provider to its own participants", async () => {
    const school = await equityTallies(
      db,
      { areaId: fixture.north.id, schoolId: fixture.north.schools[0]!.id },
      { from: EQUITY_FROM, to: EQUITY_TO, by: "quintile" },
    );
    expect((await page("school0", custom)).report).toMatchObject({ scope: "school", total: { enrolled: protectCount(school.total.enrolled) } });
    expect(school.total.enrolled.count).toBe(13);
    // Its participants in the period (the child whose only credit with it was in August is not one).
    const provider = await equityTallies(
      db,
      { areaId: fixture.north.id, providerId: fixture.north.providers[0]!.id },
      { from: EQUITY_FROM, to: EQUITY_TO, by: "quintile" },
    );
    expect((await page("provider0", custom)).report).toMatchObject({ scope: "provider", total: { enrolled: protectCount(provider.total.enrolled) } });
    expect(provider.total.enrolled.count).toBe(15);
  });

  it("never counts another area's children", async () => {
    const south = await page("southViewer", custom);
    const truth = await equityTallies(db, { areaId: fixture.south.id }, { from: EQUITY_FROM, to: EQUITY_TO, by: "quintile" });
    expect(truth.total.enrolled.count).toBe(2);
    expect(south.report!.total.enrolled).toEqual(protectCount(truth.total.enrolled));
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
    expect(data.report).toMatchObject({ by: "quintile", internalUse: false });
    expect(data.values.period).toMatch(/^\d{4}-(autumn|spring|summer)$/);
    const wrong = await page("coordinator", "period=custom&from=2026-12-31&to=2026-09-01&by=quintile");
    expect([wrong.status, wrong.report, wrong.errors]).toEqual([400, null, { to: "reports.errors.toBeforeFrom" }]);
    const bad = await page("coordinator", "period=custom&from=31/12/2026&to=&by=nonsense");
    expect(bad.status).toBe(400);
    expect(bad.errors).toEqual({ from: "reports.errors.from", to: "reports.errors.to", by: "reports.errors.breakdown" });
  });

  it("offers viewers published periods only, refuses them a custom one (403, with the reason in both languages), and lets a coordinator have one for internal use", async () => {
    const viewer = await page("viewer", "period=2026-autumn");
    expect(viewer.mayAskCustom).toBe(false);
    expect(viewer.periods.map((p) => p.id)).toContain("2026-autumn");
    expect(viewer.periods.map((p) => p.id)).toContain("2025-26");
    const refused = await page("viewer", `period=custom&from=${EQUITY_FROM}&to=2026-11-30&by=quintile`);
    expect([refused.status, refused.report, refused.errors]).toEqual([403, null, { period: "reports.errors.customNotAllowed" }]);
    expect(translator("en")("reports.errors.customNotAllowed")).toMatch(/^Figures are published for whole terms and academic years only/);
    expect(translator("cy")("reports.errors.customNotAllowed")).toMatch(/^Dim ond ar gyfer tymhorau a blynyddoedd academaidd cyfan/);
    const csvRefused = (await csvLoader({
      request: request(`/reports/equity.csv?period=custom&from=${EQUITY_FROM}&to=2026-11-30&lang=cy`),
      context: people.viewer!,
      params: {},
    })) as Response;
    expect(csvRefused.status).toBe(403);
    expect(await csvRefused.text()).toMatch(/^Dim ond ar gyfer tymhorau/);
    // Unknown or not yet started periods, and dates out of range.
    expect((await page("viewer", "period=2027-summer")).errors).toEqual({ period: "reports.errors.periodUnknown" });
    expect((await page("viewer", "period=1999-00")).errors).toEqual({ period: "reports.errors.periodUnknown" });
    expect((await page("coordinator", "period=custom&from=2018-09-01&to=2018-10-01")).errors).toEqual({ from: "reports.errors.fromTooEarly" });
    expect((await page("coordinator", "period=custom&from=2099-09-01&to=2099-10-01")).errors).toEqual({ from: "reports.errors.fromFuture" });
    // A coordinator's custom period: the same protection, labelled for internal use on the page and in the CSV.
    const coordinator = await page("coordinator", `period=custom&from=${EQUITY_FROM}&to=2026-11-30&by=quintile`);
    expect(coordinator.mayAskCustom).toBe(true);
    expect(coordinator.report!.internalUse).toBe(true);
    expect(coordinator.csv).toBe(`/reports/equity.csv?period=custom&by=quintile&from=${EQUITY_FROM}&to=2026-11-30`);
    for (const [lang, words] of [
      ["en", "For internal use only"],
      ["cy", "At ddefnydd mewnol yn unig"],
    ] as const) {
      const csv = (await csvLoader({ request: request(`${coordinator.csv!}&lang=${lang}`), context: people.coordinator!, params: {} })) as Response;
      expect(await csv.text()).toContain(words);
    }
    expect((await page("coordinator", "period=2026-autumn")).report!.internalUse).toBe(false);
  });
});

describe("the equity report CSV", () => {
  it("has the page's figures and the note on their precision, in the reader's language", async () => {
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
    expect(lines).toHaveLength(12);
    const report = (await page("viewer", `${custom}&by=quintile`)).report!;
    const q1 = report.rows.find((r) => r.key === "1")!;
    expect(lines[1]).toBe(
      `Pumed 1 (mwyaf difreintiedig),${q1.enrolled!.shown},${percent(q1.enrolledShare)},${percent(q1.fairShare)},${q1.active.shown},${percent(q1.participationRate)},${hoursText(q1.hours)},${hoursText(q1.hoursPerEnrolled)},${hoursText(q1.medianHoursPerActive)},${q1.awards!.shown}`,
    );
    expect(lines[6]).toMatch(/^Tu allan i Gymru neu ddim yn hysbys,(0|5),/);
    expect(lines[7]).toMatch(/^Cyfanswm,\d*[05],/);
    // Below the table: what the figures count, how precise they are, the edition the groups use (WIMD 2025 unless asked otherwise) and its licence.
    expect(lines[8]).toMatch(/^"?Wedi cofrestru: plant a gofrestrwyd erbyn diwedd diwrnod olaf y cyfnod \(amser y DU\).*,{9}$/);
    expect(lines[9]).toMatch(/^"?Er mwyn diogelu preifatrwydd plant, mae pob cyfrif wedi'i dalgrynnu i luosrif o 5/);
    expect(lines[10]).toMatch(/^"?Amddifadedd: Mynegai Amddifadedd Lluosog Cymru 2025, ar gymdogaethau 2021.*,{9}$/);
    expect(lines[11]).toMatch(/Drwydded Llywodraeth Agored v3\.0/);
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
    expect(body).toMatchObject({ scope: "provider", internalUse: false, rows: [{ key: "sport", active: { value: 15 }, hours: 15 }] });
    // The same release by its name.
    expect(await (await api("period=2026-autumn&by=category")).json()).toEqual(body);
    const quintiles = await (await api(`from=${EQUITY_FROM}&to=${EQUITY_TO}`)).json();
    expect(quintiles.by).toBe("quintile");
    expect([0, 5]).toContain(quintiles.rows.find((r: { key: string }) => r.key === "3").active.value);
  });

  it("refuses a wrong breakdown or period (400), a custom period (403, in both languages), and no token (401)", async () => {
    const missing = await api("by=quintile&period=autumn");
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.code).toBe("BAD_REQUEST");
    for (const [lang, words] of [
      ["en", /^Figures are published for whole terms/],
      ["cy", /^Dim ond ar gyfer tymhorau/],
    ] as const) {
      const custom = await apiLoader({
        request: request(`/api/v1/reports/equity?from=${EQUITY_FROM}&to=2026-11-30`, { Authorization: `Bearer ${apiToken}`, "Accept-Language": lang }),
        context: signedOutContext,
        params: {},
      });
      expect(custom.status).toBe(403);
      expect((await custom.json()).error).toMatchObject({ code: "PERIOD_NOT_PUBLISHED", message: expect.stringMatching(words) });
    }
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
    const long = await page("coordinator", "period=custom&from=2025-09-01&to=2026-12-31&by=quintile");
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
    const data = await page("viewer", "period=2025-autumn&by=quintile");
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
    // The annual impact report (issue 21), counts of the area through the same layer; never a child.
    "reports.impact",
    "reports.impact[.csv]",
    "reports.impact[.pdf]",
    "reports.impact[.xlsx]",
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
