import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultAwardLadder } from "~/modules/awards/default-ladder";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { graduationEligibility } from "~/modules/graduation/eligibility.server";
import { action as pageAction, loader as pageLoader } from "~/routes/coordinator.graduations.$graduationId";
import { loader as certificatesLoader } from "~/routes/coordinator.graduations.$graduationId_.certificates[.pdf]";
import { loader as csvLoader } from "~/routes/coordinator.graduations.$graduationId_.list[.csv]";
import { action as lettersAction, loader as lettersLoader } from "~/routes/coordinator.graduations.$graduationId_.letters[.pdf]";
import { action as indexAction, loader as indexLoader } from "~/routes/coordinator.graduations._index";
import { contextFor, createPerson, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { emailCount, lastEmailTo } from "../support/outbox";
import { cellsOf, FORMULA_ATTACKS } from "../support/csv-attacks";
import { createTestDatabase } from "../support/test-database";

/** The text of a PDF as pdftotext extracts it (so Welsh letters are checked as a reader's software sees them). */
function pdfText(pdf: Buffer) {
  return execFileSync("pdftotext", ["-enc", "UTF-8", "-", "-"], { input: pdf }).toString("utf8");
}

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
const people: Record<string, AppLoadContext> = {};
const kids: Record<string, string> = {};
let bronze = "";
let silver = "";
let schools: string[] = [];

const url = (path: string) => `http://pasbort.test${path}`;
const get = (path: string) => new Request(url(path));
const post = (path: string, fields: Array<[string, string]>) => {
  const body = new FormData();
  for (const [name, value] of fields) body.append(name, value);
  return new Request(url(path), { method: "POST", body });
};

async function addChild(key: string, given: string, family: string, schoolIndex: number, status: "active" | "withdrawn" = "active") {
  const child = await db
    .insertInto("child")
    .values({
      area_id: areas.north.id,
      passport_number: `NA-TEST-${key}`,
      passport_token: randomBytes(16).toString("hex"),
      given_name: given,
      family_name: family,
      birth_year: 2016,
      birth_month: 3,
      school_id: schools[schoolIndex]!,
      status,
      withdrawn_at: status === "withdrawn" ? new Date() : null,
      withdrawn_reason: status === "withdrawn" ? "guardian" : null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  kids[key] = child.id;
  return child.id;
}

async function award(key: string, levelId: string, reachedOn: string, flagged = false) {
  await db
    .insertInto("award")
    .values({
      area_id: areas.north.id,
      child_id: kids[key]!,
      award_level_id: levelId,
      reached_on: reachedOn,
      flagged_at: flagged ? new Date() : null,
      certified_at: flagged ? new Date() : null,
    })
    .execute();
}

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  schools = areas.north.schools.map((school) => school.id);
  for (const area of [areas.north, areas.south]) {
    await db
      .insertInto("award_level")
      .values(
        defaultAwardLadder().map((level) => ({
          area_id: area.id,
          threshold_hours: level.thresholdHours,
          name_en: level.nameEn,
          name_cy: level.nameCy,
          stage: level.stage,
          tier: level.tier,
        })),
      )
      .execute();
  }
  const levels = await db
    .selectFrom("award_level")
    .select(["id", "threshold_hours"])
    .where("area_id", "=", areas.north.id)
    .orderBy("threshold_hours")
    .execute();
  bronze = levels[0]!.id;
  silver = levels[1]!.id;

  // Siân graduates at Bronze in the winter, then reaches Silver in the spring.
  await addChild("sian", "Siân", "O'Neill-Ŵyn", 0);
  await award("sian", bronze, "2026-01-10");
  await award("sian", silver, "2026-03-01");
  // Bryn graduates at Bronze and earns nothing new.
  await addChild("bryn", "Bryn", "Jones", 0);
  await award("bryn", bronze, "2026-01-10");
  // Cai reaches Bronze in time for the winter but does not come.
  await addChild("cai", "Cai", "Hughes", 1);
  await award("cai", bronze, "2026-01-12");
  // Dyfan reaches Bronze after the winter cut-off, and Silver after the summer one.
  await addChild("dyfan", "Dyfan", "Ellis", 1);
  await award("dyfan", bronze, "2026-05-01");
  await award("dyfan", silver, "2026-07-01");
  // Elin's only award is flagged (her hours fell back below it); Ffion has left.
  await addChild("elin", "Elin", "Morgan", 0);
  await award("elin", bronze, "2026-01-05", true);
  await addChild("ffion", "Ffion", "Price", 0, "withdrawn");
  await award("ffion", bronze, "2026-01-05");

  const specs = {
    coordinator: { areaId: areas.north.id, role: "coordinator" },
    southCoordinator: { areaId: areas.south.id, role: "coordinator" },
    school: { areaId: areas.north.id, role: "school", schoolId: schools[0] },
    provider: { areaId: areas.north.id, role: "provider_owner", providerId: areas.north.providers[0]!.id },
    viewer: { areaId: areas.north.id, role: "viewer" },
    guardianSian: { areaId: areas.north.id, role: "guardian", childIds: [kids.sian!] },
    guardianSianEn: { areaId: areas.north.id, role: "guardian", childIds: [kids.sian!] },
    guardianCai: { areaId: areas.north.id, role: "guardian", childIds: [kids.cai!] },
  } as const;
  for (const [name, spec] of Object.entries(specs)) {
    const person = await createPerson(db, { email: `${name.toLowerCase()}@graduation.example`, ...spec });
    people[name] = await contextFor(db, person.userId, person.membershipId);
  }
  await db.updateTable("app_user").set({ preferred_language: "cy" }).where("email", "=", "guardiansian@graduation.example").execute();
});
afterAll(async () => close());

type PageData = Exclude<Awaited<ReturnType<typeof pageLoader>>, Response>;

async function create(fields: Record<string, string>, who = "coordinator") {
  return settle(indexAction({ request: post("/coordinator/graduations", Object.entries(fields)), context: people[who]!, params: {} }));
}

async function createOk(fields: Record<string, string>) {
  const response = (await create(fields)) as Response;
  expect(response.status).toBe(302);
  return response.headers.get("Location")!.split("/").pop()!;
}

async function resultOf(response: unknown) {
  // data() in Remix 2 with single fetch is a DataWithResponseInit: { type, data, init }.
  const value = response as { data?: unknown; init?: { status?: number } | null };
  return {
    status: value.init?.status ?? 200,
    body: value.data as { errors: Record<string, string>; values: Record<string, string>; message: string | null; values2?: Record<string, number> },
  };
}

async function page(graduationId: string, search = "", who = "coordinator") {
  return (await pageLoader({ request: get(`/coordinator/graduations/${graduationId}${search}`), context: people[who]!, params: { graduationId } })) as PageData;
}

async function act(graduationId: string, fields: Array<[string, string]>, who = "coordinator") {
  return resultOf(await pageAction({ request: post(`/coordinator/graduations/${graduationId}`, fields), context: people[who]!, params: { graduationId } }));
}

const namesOf = (rows: Array<{ givenName: string }>) => rows.map((row) => row.givenName).sort();

let winter = "";
let summer = "";

describe("creating a graduation", () => {
  it("refuses missing fields and bad dates, keeping what was typed", async () => {
    const empty = await resultOf(await create({ name: "", heldOn: "", startsAt: "", venue: "", cutoffOn: "" }));
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual({
      name: "graduations.errors.nameRequired",
      heldOn: "graduations.errors.heldOnRequired",
      startsAt: "graduations.errors.timeRequired",
      venue: "graduations.errors.venueRequired",
      cutoffOn: "graduations.errors.cutoffRequired",
    });
    const bad = await resultOf(
      await create({ name: "Siân O'Neill-Ŵyn's day", heldOn: "2026-02-30", startsAt: "18:30", venue: "Tŷ Pawb", cutoffOn: "01/02/2026" }),
    );
    expect(bad.body.errors).toEqual({ heldOn: "graduations.errors.heldOnInvalid", cutoffOn: "graduations.errors.cutoffInvalid" });
    expect(bad.body.values).toMatchObject({ name: "Siân O'Neill-Ŵyn's day", venue: "Tŷ Pawb", heldOn: "2026-02-30" });
  });

  it("requires a start time on the 24-hour clock, keeping what was typed", async () => {
    const fields = { name: "Winter", heldOn: "2026-02-10", venue: "Tŷ Pawb", cutoffOn: "2026-02-01" };
    const missing = await resultOf(await create(fields));
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual({ startsAt: "graduations.errors.timeRequired" });
    for (const startsAt of ["6pm", "24:00", "18:60", "18:3", "1830", "18:30:00", "half six"]) {
      const bad = await resultOf(await create({ ...fields, startsAt }));
      expect({ startsAt, status: bad.status, errors: bad.body.errors }).toEqual({
        startsAt,
        status: 400,
        errors: { startsAt: "graduations.errors.timeInvalid" },
      });
      expect(bad.body.values).toMatchObject({ name: "Winter", startsAt });
    }
    expect(await db.selectFrom("graduation").select("id").where("area_id", "=", areas.north.id).execute()).toEqual([]);
  });

  it("refuses a cut-off after the ceremony", async () => {
    const late = await resultOf(await create({ name: "Winter", heldOn: "2026-02-10", startsAt: "18:00", venue: "Tŷ Pawb", cutoffOn: "2026-02-11" }));
    expect(late.status).toBe(400);
    expect(late.body.errors).toEqual({ cutoffOn: "graduations.errors.cutoffAfterCeremony" });
  });

  it("creates one with its start time, audited, and lists it; a name with an apostrophe and Welsh letters round-trips", async () => {
    // An hour of one digit, or a dot, is taken as the 24-hour clock too: stored as 09:30.
    winter = await createOk({
      name: "Graddio'r Gaeaf – Siân O'Neill-Ŵyn",
      heldOn: "2026-02-10",
      startsAt: " 9.30 ",
      venue: "Tŷ Pawb, Wrecsam",
      cutoffOn: "2026-02-01",
    });
    const list = (await indexLoader({ request: get("/coordinator/graduations"), context: people.coordinator!, params: {} })) as Exclude<
      Awaited<ReturnType<typeof indexLoader>>,
      Response
    >;
    expect(list.graduations).toEqual([
      expect.objectContaining({
        id: winter,
        name: "Graddio'r Gaeaf – Siân O'Neill-Ŵyn",
        heldOn: "2026-02-10",
        startsAt: "09:30",
        cutoffOn: "2026-02-01",
        graduatedAt: null,
      }),
    ]);
    expect(list.previousCutoff).toBe("2026-02-01");
    // Postgres keeps a time; the module hands it on as HH:MM.
    expect((await db.selectFrom("graduation").select("starts_at").where("id", "=", winter).executeTakeFirstOrThrow()).starts_at).toBe("09:30:00");
    expect((await page(winter)).graduation.startsAt).toBe("09:30");
    const audit = await db.selectFrom("audit_event").select(["action", "subject_id", "details"]).where("action", "=", "graduation_created").execute();
    expect(audit).toEqual([{ action: "graduation_created", subject_id: winter, details: expect.objectContaining({ startsAt: "09:30" }) }]);
  });

  it("refuses a graduation with a cut-off before (or on) the previous one's", async () => {
    for (const cutoffOn of ["2026-01-15", "2026-02-01"]) {
      const refused = await resultOf(await create({ name: "Too early", heldOn: "2026-06-20", startsAt: "18:30", venue: "Tŷ Pawb", cutoffOn }));
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual({ cutoffOn: "graduations.errors.cutoffNotAfterPrevious" });
      expect(refused.body.values).toMatchObject({ name: "Too early", cutoffOn });
    }
    // The other area's graduations do not count.
    const south = (await create(
      { name: "South", heldOn: "2026-01-20", startsAt: "10:00", venue: "Neuadd", cutoffOn: "2026-01-10" },
      "southCoordinator",
    )) as Response;
    expect(south.status).toBe(302);
  });
});

describe("the first graduation", () => {
  it("lists the children with an award by the cut-off, leaving out flagged awards, withdrawn children and later awards", async () => {
    const data = await page(winter);
    expect(namesOf(data.rows)).toEqual(["Bryn", "Cai", "Siân"]);
    const sian = data.rows.find((row) => row.givenName === "Siân")!;
    expect(sian).toMatchObject({
      familyName: "O'Neill-Ŵyn",
      awardLevelId: bronze,
      awardNameEn: "Bronze Undergraduate",
      awardNameCy: "Israddedig Efydd",
      thresholdHours: 30,
      hours: 0,
      guardianLinked: true,
      attended: false,
      schoolId: schools[0],
    });
    expect(data.rows.find((row) => row.givenName === "Bryn")!.guardianLinked).toBe(false);
  });

  it("records attendance for the children shown, ignoring anyone not on the list", async () => {
    const saved = await act(winter, [
      ["intent", "attendance"],
      ["shown", kids.sian!],
      ["shown", kids.bryn!],
      ["shown", kids.cai!],
      ["shown", kids.dyfan!],
      ["attended", kids.sian!],
      ["attended", kids.bryn!],
      ["attended", kids.dyfan!],
    ]);
    expect(saved.body.values2).toMatchObject({ attended: 2, absent: 1 });
    const data = await page(winter);
    expect(
      data.rows
        .filter((row) => row.attended)
        .map((row) => row.givenName)
        .sort(),
    ).toEqual(["Bryn", "Siân"]);
    const rows = await db.selectFrom("graduate").select("child_id").where("graduation_id", "=", winter).execute();
    expect(rows.map((row) => row.child_id)).not.toContain(kids.dyfan);
  });

  it("requires a confirmation, then marks it graduated, once; attendance is then frozen", async () => {
    expect((await act(winter, [["intent", "graduate"]])).body.errors).toEqual({ confirm: "graduations.errors.confirmRequired" });
    const marked = await act(winter, [
      ["intent", "graduate"],
      ["confirm", "yes"],
    ]);
    expect(marked.body.values2).toMatchObject({ graduates: 3, attended: 2 });
    const again = await act(winter, [
      ["intent", "graduate"],
      ["confirm", "yes"],
    ]);
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual({ form: "graduations.errors.alreadyGraduated" });
    const late = await act(winter, [
      ["intent", "attendance"],
      ["shown", kids.cai!],
      ["attended", kids.cai!],
    ]);
    expect(late.status).toBe(409);
    const retimed = await act(winter, [
      ["intent", "startTime"],
      ["startsAt", "11:00"],
    ]);
    expect(retimed.status).toBe(409);
    expect(retimed.body.errors).toEqual({ form: "graduations.errors.alreadyGraduated" });
    const graduates = await db
      .selectFrom("graduate")
      .select(["child_id", "award_level_id", "attended"])
      .where("graduation_id", "=", winter)
      .orderBy("child_id")
      .execute();
    expect(graduates).toHaveLength(3);
    expect(graduates.find((row) => row.child_id === kids.cai)).toMatchObject({ attended: false, award_level_id: bronze });
    const actions = await db.selectFrom("audit_event").select("action").where("subject_id", "=", winter).orderBy("id").execute();
    expect(actions.map((row) => row.action)).toEqual(["graduation_created", "graduation_attendance_recorded", "graduation_graduated"]);
  });

  it("reads the list from the frozen cohort afterwards, even when awards change", async () => {
    // An award dated before the cut-off of a graduation already held (Dyfan's, here) does not change its cohort.
    await award(
      "dyfan",
      (await db.selectFrom("award_level").select("id").where("area_id", "=", areas.north.id).where("threshold_hours", "=", 100).executeTakeFirstOrThrow()).id,
      "2026-01-01",
    );
    const data = await page(winter);
    expect(namesOf(data.rows)).toEqual(["Bryn", "Cai", "Siân"]);
    expect(data.certificateSchools).toEqual([{ id: schools[0], name: "north school 1" }]);
    await db.deleteFrom("award").where("child_id", "=", kids.dyfan!).where("reached_on", "=", "2026-01-01").execute();
  });
});

describe("certificates for a school", () => {
  const certificates = (graduationId: string, school: string, who = "coordinator") =>
    settle(
      certificatesLoader({
        request: get(`/coordinator/graduations/${graduationId}/certificates.pdf?school=${school}`),
        context: people[who]!,
        params: { graduationId },
      }),
    );

  it("prints one certificate per child of the school who attended, issued once", async () => {
    const response = (await certificates(winter, schools[0]!)) as Response;
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    const text = pdfText(Buffer.from(await response.arrayBuffer()));
    expect(text).toContain("Siân");
    expect(text).toContain("O'Neill-Ŵyn");
    expect(text).toContain("Bryn");
    expect(text.split("\f").filter((pageText) => pageText.trim()).length).toBe(2);
    const issued = await db
      .selectFrom("certificate")
      .select(["child_id", "award_level_id", "serial", "graduation_id"])
      .where("area_id", "=", areas.north.id)
      .orderBy("serial")
      .execute();
    expect(issued.map((row) => row.child_id).sort()).toEqual([kids.sian!, kids.bryn!].sort());
    expect(issued.every((row) => row.award_level_id === bronze && row.graduation_id === winter)).toBe(true);
    // Again: the same certificates, no new serials.
    await certificates(winter, schools[0]!);
    expect(await db.selectFrom("certificate").select("serial").where("area_id", "=", areas.north.id).execute()).toHaveLength(2);
  });

  it("has nothing for a school with no child who attended, or before the graduation is marked", async () => {
    const empty = (await certificates(winter, schools[1]!)) as Response;
    expect(empty.headers.get("Content-Type")).toBe("application/pdf");
    expect(pdfText(Buffer.from(await empty.arrayBuffer()))).not.toContain("Cai");
    expect(((await certificates(winter, areas.south.schools[0]!.id)) as Response).status).toBe(404);
    expect(((await certificates(winter, "nonsense")) as Response).status).toBe(404);
  });
});

describe("the next graduation", () => {
  it("counts from the last award each child graduated with, if they attended", async () => {
    summer = await createOk({ name: "Gŵyl Raddio'r Haf 2026", heldOn: "2026-06-20", startsAt: "18:00", venue: "Tŷ Pawb, Wrecsam", cutoffOn: "2026-06-01" });
    const rows = await graduationEligibility(db, areas.north.id, summer);
    // In order of school, then family name. Siân moved up to Silver; Bryn has nothing new; Cai did not come last time; Dyfan's Silver came after the cut-off.
    expect(rows.map((row) => [row.givenName, row.awardNameEn])).toEqual([
      ["Siân", "Silver Undergraduate"],
      ["Dyfan", "Bronze Undergraduate"],
      ["Cai", "Bronze Undergraduate"],
    ]);
  });

  it("filters by school, on the page and in the module", async () => {
    expect(namesOf(await graduationEligibility(db, areas.north.id, summer, { schoolId: schools[1] }))).toEqual(["Cai", "Dyfan"]);
    expect(namesOf((await page(summer, `?school=${schools[0]}`)).rows)).toEqual(["Siân"]);
    expect(namesOf((await page(summer)).rows)).toEqual(["Cai", "Dyfan", "Siân"]);
    // Another area's school is not a filter here.
    expect(((await settle(page(summer, `?school=${areas.south.schools[0]!.id}`))) as Response).status).toBe(404);
    // Another area's graduation lists nobody of this area.
    expect(await graduationEligibility(db, areas.south.id, summer)).toEqual([]);
  });

  it("exports the list as CSV in the reader's language, with Welsh names intact and formulas defused", async () => {
    await addChild("formula", '=HYPERLINK("x")', "-1+cmd|' /C calc'!A0", 0);
    await award("formula", bronze, "2026-04-01");
    const response = (await csvLoader({
      request: get(`/coordinator/graduations/${summer}/list.csv?school=${schools[0]}&lang=cy`),
      context: people.coordinator!,
      params: { graduationId: summer },
    })) as Response;
    expect(response.headers.get("Content-Type")).toContain("text/csv");
    expect(response.headers.get("Content-Disposition")).toContain("filename*=UTF-8''");
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8").slice(1);
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe("Enw cyntaf,Cyfenw,Ysgol,Gwobr,Oriau'r wobr,Oriau erbyn y dyddiad terfyn,Cyfrif teulu,E-bost wedi'i anfon");
    expect(lines).toContain("Siân,O'Neill-Ŵyn,north school 1,Israddedig Arian,65,0,ydy,nac ydy");
    expect(lines).toContain(`"'=HYPERLINK(""x"")",'-1+cmd|' /C calc'!A0,north school 1,Israddedig Efydd,30,0,nac ydy,nac ydy`);
    expect(cellsOf(text)).toHaveLength(3);
    expect(lines).toHaveLength(3);
    const english = await (
      (await csvLoader({
        request: get(`/coordinator/graduations/${summer}/list.csv?lang=en`),
        context: people.coordinator!,
        params: { graduationId: summer },
      })) as Response
    ).text();
    expect(english).toContain("Siân,O'Neill-Ŵyn,north school 1,Silver Undergraduate,65,0,yes,no");
    expect(english.trim().split("\r\n")).toHaveLength(5);
    await db.deleteFrom("award").where("child_id", "=", kids.formula!).execute();
    await db
      .updateTable("child")
      .set({ status: "withdrawn", withdrawn_at: new Date(), withdrawn_reason: "guardian" })
      .where("id", "=", kids.formula!)
      .execute();
  });

  it("defuses every kind of formula in the list's names, schools and awards", async () => {
    const school = await db.selectFrom("school").select("name").where("id", "=", schools[1]!).executeTakeFirstOrThrow();
    const level = await db.selectFrom("award_level").select("name_en").where("id", "=", bronze).executeTakeFirstOrThrow();
    await db.updateTable("school").set({ name: "@SUM(A1:A2)" }).where("id", "=", schools[1]!).execute();
    await db.updateTable("award_level").set({ name_en: "-2+3" }).where("id", "=", bronze).execute();
    const added = [];
    for (const [index, attack] of FORMULA_ATTACKS.entries()) {
      added.push(await addChild(`attack${index}`, attack, attack, 1));
      await award(`attack${index}`, bronze, "2026-04-01");
    }
    try {
      const response = (await csvLoader({
        request: get(`/coordinator/graduations/${summer}/list.csv?school=${schools[1]}&lang=en`),
        context: people.coordinator!,
        params: { graduationId: summer },
      })) as Response;
      const rows = cellsOf(await response.text());
      const attacked = rows.filter((row) => row[0]!.startsWith("'"));
      expect(attacked.map((row) => row[0]).sort()).toEqual(FORMULA_ATTACKS.map((attack) => `'${attack}`).sort());
      for (const row of attacked) expect(row.slice(0, 5)).toEqual([row[0], row[0], "'@SUM(A1:A2)", "'-2+3", "30"]);
    } finally {
      await db.deleteFrom("award").where("child_id", "in", added).execute();
      await db.updateTable("child").set({ status: "withdrawn", withdrawn_at: new Date(), withdrawn_reason: "guardian" }).where("id", "in", added).execute();
      await db.updateTable("school").set({ name: school.name }).where("id", "=", schools[1]!).execute();
      await db.updateTable("award_level").set({ name_en: level.name_en }).where("id", "=", bronze).execute();
    }
  });

  it("lets the coordinator change the start time on the graduation page, audited; a bad time is refused", async () => {
    const bad = await act(summer, [
      ["intent", "startTime"],
      ["startsAt", "6.30pm"],
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual({ startsAt: "graduations.errors.timeInvalid" });
    expect(bad.body.values).toMatchObject({ startsAt: "6.30pm" });
    expect(
      (
        await act(summer, [
          ["intent", "startTime"],
          ["startsAt", ""],
        ])
      ).body.errors,
    ).toEqual({ startsAt: "graduations.errors.timeRequired" });
    expect((await page(summer)).graduation.startsAt).toBe("18:00");
    const saved = await act(summer, [
      ["intent", "startTime"],
      ["startsAt", "18:30"],
    ]);
    expect(saved.body.message).toBe("graduations.timeSaved");
    expect(saved.body.values2).toEqual({ startsAt: "18:30" });
    expect((await page(summer)).graduation.startsAt).toBe("18:30");
    // The same time again changes nothing and is not audited twice.
    await act(summer, [
      ["intent", "startTime"],
      ["startsAt", "18:30"],
    ]);
    const audit = await db
      .selectFrom("audit_event")
      .select("details")
      .where("action", "=", "graduation_start_time_set")
      .where("subject_id", "=", summer)
      .execute();
    expect(audit).toEqual([{ details: { from: "18:00", to: "18:30" } }]);
  });

  it("prints invitation letters with the stored start time, Welsh then English, for the school chosen", async () => {
    const response = (await lettersAction({
      // A time still posted by an old page is ignored: the letters give the stored one.
      request: post(`/coordinator/graduations/${summer}/letters.pdf`, [
        ["time", "07:00"],
        ["school", schools[0]!],
      ]),
      context: people.coordinator!,
      params: { graduationId: summer },
    })) as Response;
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    const text = pdfText(Buffer.from(await response.arrayBuffer()));
    expect(text).toContain("Gwahoddiad i seremoni raddio Siân O'Neill-Ŵyn");
    expect(text).toContain("An invitation to Siân O'Neill-Ŵyn's graduation");
    expect(text).toContain("Gŵyl Raddio'r Haf 2026");
    expect(text).toContain("Tŷ Pawb, Wrecsam");
    expect(text).toContain("20 Mehefin 2026, 18:30");
    expect(text).toContain("20 June 2026, 18:30");
    expect(text).not.toContain("07:00");
    expect(text).toContain("Israddedig Arian");
    expect(text).toContain("Silver Undergraduate");
    expect(text.indexOf("Gwahoddiad")).toBeLessThan(text.indexOf("An invitation"));
    expect(text).not.toContain("Cai");
    // One page per child: the other school's two children.
    const other = (await lettersAction({
      request: post(`/coordinator/graduations/${summer}/letters.pdf`, [["school", schools[1]!]]),
      context: people.coordinator!,
      params: { graduationId: summer },
    })) as Response;
    const otherText = pdfText(Buffer.from(await other.arrayBuffer()));
    expect(otherText.split("\f").filter((pageText) => pageText.trim()).length).toBe(2);
    expect(otherText).toContain("Cai Hughes");
    expect(otherText).toContain("Dyfan Ellis");
  });

  it("asks for a start time before letters or emails of a graduation created without one", async () => {
    // A graduation made before start times were stored (the other area's, so this area's lists stay as they are).
    const legacy = (
      await db
        .insertInto("graduation")
        .values({ area_id: areas.south.id, name: "Hen seremoni", held_on: "2026-07-01", venue: "Neuadd", cutoff_on: "2026-06-15" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    const params = { graduationId: legacy };
    const southPage = async (search = "") =>
      (await pageLoader({ request: get(`/coordinator/graduations/${legacy}${search}`), context: people.southCoordinator!, params })) as PageData;
    expect((await southPage()).graduation.startsAt).toBeNull();
    const southSchool = areas.south.schools[0]!.id;
    const letters = (await lettersAction({
      request: post(`/coordinator/graduations/${legacy}/letters.pdf`, [["school", southSchool]]),
      context: people.southCoordinator!,
      params,
    })) as Response;
    expect(letters.status).toBe(302);
    expect(letters.headers.get("Location")).toBe(`/coordinator/graduations/${legacy}?letters=startTimeMissing&school=${southSchool}`);
    expect((await southPage(`?letters=startTimeMissing&school=${southSchool}`)).lettersError).toBe("graduations.errors.startTimeMissing");
    const email = await resultOf(
      await pageAction({
        request: post(`/coordinator/graduations/${legacy}`, [
          ["intent", "email"],
          ["school", ""],
        ]),
        context: people.southCoordinator!,
        params,
      }),
    );
    expect(email.status).toBe(409);
    expect(email.body.errors).toEqual({ form: "graduations.errors.startTimeMissing" });
    expect(await db.selectFrom("audit_event").select("action").where("subject_id", "=", legacy).execute()).toEqual([]);

    const set = await resultOf(
      await pageAction({
        request: post(`/coordinator/graduations/${legacy}`, [
          ["intent", "startTime"],
          ["startsAt", "14:15"],
        ]),
        context: people.southCoordinator!,
        params,
      }),
    );
    expect(set.body.message).toBe("graduations.timeSaved");
    expect((await southPage()).graduation.startsAt).toBe("14:15");
    expect((await db.selectFrom("audit_event").select("details").where("subject_id", "=", legacy).executeTakeFirstOrThrow()).details).toEqual({
      from: null,
      to: "14:15",
    });
    const now = (await lettersAction({
      request: post(`/coordinator/graduations/${legacy}/letters.pdf`, [["school", ""]]),
      context: people.southCoordinator!,
      params,
    })) as Response;
    expect(now.headers.get("Content-Type")).toBe("application/pdf");
  });

  it("emails each guardian with an account once, in their own language", async () => {
    const first = await act(summer, [
      ["intent", "email"],
      ["school", ""],
    ]);
    expect(first.body.message).toBe("graduations.emailed");
    expect(first.body.values2).toMatchObject({ children: 2, emails: 3 });
    const welsh = await lastEmailTo(db, "guardiansian@graduation.example");
    expect(welsh.language).toBe("cy");
    expect(welsh.subject).toBe("Gwahoddiad i seremoni raddio Siân O'Neill-Ŵyn");
    expect(welsh.body_text).toContain("Pryd: 20 Mehefin 2026, 18:30");
    expect(welsh.body_text).toContain("Ble: Tŷ Pawb, Wrecsam");
    expect(welsh.body_text).toContain("Israddedig Arian");
    const english = await lastEmailTo(db, "guardiansianen@graduation.example");
    expect(english.subject).toBe("An invitation to Siân O'Neill-Ŵyn's graduation");
    expect(english.body_text).toContain("When: 20 June 2026, 18:30");
    expect((await lastEmailTo(db, "guardiancai@graduation.example")).body_text).toContain("Cai Hughes");

    const second = await act(summer, [
      ["intent", "email"],
      ["school", ""],
    ]);
    expect(second.body.message).toBe("graduations.emailedNone");
    for (const email of ["guardiansian@graduation.example", "guardiansianen@graduation.example", "guardiancai@graduation.example"])
      expect(await emailCount(db, email)).toBe(1);
    const rows = (await page(summer)).rows;
    expect(
      rows
        .filter((row) => row.invitedAt)
        .map((row) => row.givenName)
        .sort(),
    ).toEqual(["Cai", "Siân"]);
    // Dyfan has no family account: he gets a letter, and stays not invited.
    expect(rows.find((row) => row.givenName === "Dyfan")).toMatchObject({ guardianLinked: false, invitedAt: null });
  });

  it("keeps invitations when attendance is recorded, and the cohort when marked", async () => {
    await act(summer, [
      ["intent", "attendance"],
      ["shown", kids.sian!],
      ["shown", kids.cai!],
      ["shown", kids.dyfan!],
      ["attended", kids.cai!],
    ]);
    await act(summer, [
      ["intent", "graduate"],
      ["confirm", "yes"],
    ]);
    const graduates = await db
      .selectFrom("graduate")
      .select(["child_id", "award_level_id", "attended", "invited_at"])
      .where("graduation_id", "=", summer)
      .execute();
    expect(graduates).toHaveLength(3);
    expect(graduates.find((row) => row.child_id === kids.sian)).toMatchObject({ award_level_id: silver, attended: false, invited_at: expect.any(Date) });
    expect(graduates.find((row) => row.child_id === kids.cai)).toMatchObject({ award_level_id: bronze, attended: true });
    // Siân did not come to the summer ceremony: she is still on the next list, at Silver; Cai is not.
    const autumn = await createOk({ name: "Autumn", heldOn: "2026-11-20", startsAt: "17:00", venue: "Tŷ Pawb", cutoffOn: "2026-11-01" });
    expect((await graduationEligibility(db, areas.north.id, autumn)).map((row) => [row.givenName, row.awardNameEn])).toEqual([
      ["Siân", "Silver Undergraduate"],
      ["Dyfan", "Silver Undergraduate"],
    ]);
  });

  it("refuses to mark a graduation before its cut-off day", async () => {
    const future = await createOk({ name: "Next year", heldOn: "2099-07-01", startsAt: "18:00", venue: "Tŷ Pawb", cutoffOn: "2099-06-01" });
    expect(
      (
        (await settle(
          certificatesLoader({
            request: get(`/coordinator/graduations/${future}/certificates.pdf?school=${schools[0]}`),
            context: people.coordinator!,
            params: { graduationId: future },
          }),
        )) as Response
      ).status,
    ).toBe(404);
    const refused = await act(future, [
      ["intent", "graduate"],
      ["confirm", "yes"],
    ]);
    expect(refused.status).toBe(409);
    expect(refused.body.errors).toEqual({ form: "graduations.errors.beforeCutoff" });
  });

  it("counts a flagged award once the coordinator has kept it", async () => {
    const future = (await db.selectFrom("graduation").select("id").where("name", "=", "Next year").executeTakeFirstOrThrow()).id;
    expect(namesOf(await graduationEligibility(db, areas.north.id, future))).not.toContain("Elin");
    await db.updateTable("award").set({ kept_at: new Date() }).where("child_id", "=", kids.elin!).execute();
    expect(namesOf(await graduationEligibility(db, areas.north.id, future))).toContain("Elin");
  });
});

describe("who may run graduations", () => {
  const others = ["school", "provider", "viewer", "guardianSian"] as const;

  it("refuses every other role on every page, file and action", async () => {
    for (const who of others) {
      const context = people[who]!;
      const params = { graduationId: summer };
      const statuses = [
        await settle(indexLoader({ request: get("/coordinator/graduations"), context, params: {} })),
        await settle(
          indexAction({
            request: post("/coordinator/graduations", [
              ["name", "x"],
              ["heldOn", "2027-01-01"],
              ["startsAt", "18:00"],
              ["venue", "x"],
              ["cutoffOn", "2027-01-01"],
            ]),
            context,
            params: {},
          }),
        ),
        await settle(pageLoader({ request: get(`/coordinator/graduations/${summer}`), context, params })),
        await settle(pageAction({ request: post(`/coordinator/graduations/${summer}`, [["intent", "email"]]), context, params })),
        await settle(
          pageAction({
            request: post(`/coordinator/graduations/${summer}`, [
              ["intent", "startTime"],
              ["startsAt", "07:00"],
            ]),
            context,
            params,
          }),
        ),
        await settle(pageAction({ request: post(`/coordinator/graduations/${summer}`, [["intent", "attendance"]]), context, params })),
        await settle(
          pageAction({
            request: post(`/coordinator/graduations/${summer}`, [
              ["intent", "graduate"],
              ["confirm", "yes"],
            ]),
            context,
            params,
          }),
        ),
        await settle(csvLoader({ request: get(`/coordinator/graduations/${summer}/list.csv`), context, params })),
        await settle(lettersLoader({ request: get(`/coordinator/graduations/${summer}/letters.pdf`), context, params })),
        await settle(lettersAction({ request: post(`/coordinator/graduations/${summer}/letters.pdf`, [["school", ""]]), context, params })),
        await settle(
          certificatesLoader({
            request: get(`/coordinator/graduations/${winter}/certificates.pdf?school=${schools[0]}`),
            context,
            params: { graduationId: winter },
          }),
        ),
        await settle(certificatesLoader({ request: get(`/coordinator/graduations/${winter}/certificates.pdf`), context, params: { graduationId: winter } })),
      ].map((result) => (result as Response).status);
      expect({ who, statuses }).toEqual({ who, statuses: statuses.map(() => 403) });
    }
  });

  it("shows another area's coordinator nothing: the graduation is not there", async () => {
    const context = people.southCoordinator!;
    const params = { graduationId: summer };
    const statuses = [
      await settle(pageLoader({ request: get(`/coordinator/graduations/${summer}`), context, params })),
      await settle(pageAction({ request: post(`/coordinator/graduations/${summer}`, [["intent", "email"]]), context, params })),
      await settle(
        pageAction({
          request: post(`/coordinator/graduations/${summer}`, [
            ["intent", "startTime"],
            ["startsAt", "07:00"],
          ]),
          context,
          params,
        }),
      ),
      await settle(
        pageAction({
          request: post(`/coordinator/graduations/${summer}`, [
            ["intent", "graduate"],
            ["confirm", "yes"],
          ]),
          context,
          params,
        }),
      ),
      await settle(csvLoader({ request: get(`/coordinator/graduations/${summer}/list.csv`), context, params })),
      await settle(lettersAction({ request: post(`/coordinator/graduations/${summer}/letters.pdf`, [["school", ""]]), context, params })),
      await settle(
        certificatesLoader({
          request: get(`/coordinator/graduations/${winter}/certificates.pdf?school=${schools[0]}`),
          context,
          params: { graduationId: winter },
        }),
      ),
      await settle(certificatesLoader({ request: get(`/coordinator/graduations/${winter}/certificates.pdf`), context, params: { graduationId: winter } })),
    ].map((result) => (result as Response).status);
    expect(statuses).toEqual([404, 404, 404, 404, 404, 404, 404, 404]);
    expect((await page(summer)).graduation.startsAt).toBe("18:30");
    const list = (await indexLoader({ request: get("/coordinator/graduations"), context, params: {} })) as Exclude<
      Awaited<ReturnType<typeof indexLoader>>,
      Response
    >;
    expect(list.graduations.map((graduation) => graduation.name)).toEqual(["Hen seremoni", "South"]);
  });

  it("sends a signed-out visitor to sign in", async () => {
    const response = (await settle(
      pageLoader({ request: get(`/coordinator/graduations/${summer}`), context: signedOutContext, params: { graduationId: summer } }),
    )) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toContain("/login");
  });
});

describe("a graduation with more children than one page", () => {
  it("lists 200 at a time for the chosen school, and saves attendance only for the page shown", async () => {
    const added = await db
      .insertInto("child")
      .values(
        Array.from({ length: 230 }, (_, n) => ({
          area_id: areas.north.id,
          passport_number: `NA-BULK-${String(n).padStart(4, "0")}`,
          passport_token: randomBytes(16).toString("hex"),
          given_name: "Plentyn",
          family_name: `Rhif ${n}`,
          birth_year: 2016,
          birth_month: 3,
          school_id: schools[0]!,
        })),
      )
      .returning("id")
      .execute();
    await db
      .insertInto("award")
      .values(added.map((child) => ({ area_id: areas.north.id, child_id: child.id, award_level_id: bronze, reached_on: "2026-01-10" })))
      .execute();
    const big = await createOk({ name: "Graddio mawr", heldOn: "2099-12-10", startsAt: "18:00", venue: "Tŷ Pawb", cutoffOn: "2099-12-01" });

    const first = await page(big, `?school=${schools[0]}`);
    const total = (await graduationEligibility(db, areas.north.id, big, { schoolId: schools[0] })).length;
    expect(total).toBeGreaterThanOrEqual(230);
    expect(first.paging).toEqual({ page: 1, pageCount: 2, total, from: 1, to: 200 });
    expect(first.rows).toHaveLength(200);
    const second = await page(big, `?school=${schools[0]}&page=2`);
    expect(second.paging).toMatchObject({ page: 2, from: 201, to: total });
    expect(new Set([...first.rows, ...second.rows].map((row) => row.childId)).size).toBe(total);
    expect((await page(big, `?school=${schools[0]}&page=9`)).paging.page).toBe(2);

    const saved = await act(big, [
      ["intent", "attendance"],
      ...second.rows.flatMap((row): Array<[string, string]> => [
        ["shown", row.childId],
        ["attended", row.childId],
      ]),
    ]);
    expect(saved.body.values2).toMatchObject({ attended: second.rows.length, absent: 0 });
    const attended = (await graduationEligibility(db, areas.north.id, big, { schoolId: schools[0] })).filter((row) => row.attended).map((row) => row.childId);
    expect(attended.sort()).toEqual(second.rows.map((row) => row.childId).sort());
  });
});

describe("all of a graduation's certificates in one download", () => {
  const download = async (graduationId: string, search = "") =>
    (await settle(
      certificatesLoader({
        request: get(`/coordinator/graduations/${graduationId}/certificates.pdf${search}`),
        context: people.coordinator!,
        params: { graduationId },
      }),
    )) as Response;

  it("prints every school's children who attended in one PDF, school by school, issued once and named with its dash", async () => {
    // The summer's attendance is frozen (Cai, second school, came); Siân (first school) came too.
    await db.updateTable("graduate").set({ attended: true }).where("graduation_id", "=", summer).where("child_id", "=", kids.sian!).execute();
    const response = await download(summer);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="Gwyl Raddio'r Haf 2026 - certificates, all schools.pdf"; filename*=UTF-8''G%C5%B5yl%20Raddio%27r%20Haf%202026%20%E2%80%93%20certificates%2C%20all%20schools.pdf`,
    );
    const pages = pdfText(Buffer.from(await response.arrayBuffer()))
      .split("\f")
      .filter((pageText) => pageText.trim());
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain("Siân");
    expect(pages[1]).toContain("Cai");
    const serials = async () =>
      (await db.selectFrom("certificate").select(["child_id", "serial"]).where("graduation_id", "=", summer).orderBy("serial").execute()).map(
        (row) => row.serial,
      );
    const issued = await serials();
    expect(issued).toHaveLength(2);
    // A school's own download afterwards prints the same certificates.
    expect(pdfText(Buffer.from(await (await download(summer, `?school=${schools[1]}`)).arrayBuffer()))).toContain("Cai");
    expect(await serials()).toEqual(issued);
    const audited = await db
      .selectFrom("audit_event")
      .select("details")
      .where("subject_id", "=", summer)
      .where("action", "=", "graduation_certificates_printed")
      .orderBy("id")
      .execute();
    expect(audited.map((row) => row.details)).toContainEqual(expect.objectContaining({ school: "all", certificates: 2 }));
  });

  it("is not there before the graduation is marked, nor for a school filter of another area or of nonsense", async () => {
    const autumn = (await db.selectFrom("graduation").select("id").where("name", "=", "Autumn").executeTakeFirstOrThrow()).id;
    expect((await download(autumn)).status).toBe(404);
    expect((await download(summer, `?school=${areas.south.schools[0]!.id}`)).status).toBe(404);
    expect((await download(summer, "?school=all")).status).toBe(404);
  });
});
