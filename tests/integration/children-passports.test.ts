import type { AppLoadContext } from "@remix-run/node";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadActor, loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import { exportChildData, runRetention, withdrawChild } from "~/modules/children/data-rights.server";
import { createLetters, inviteSecondGuardian, redeemChildLink, viewChildLink } from "~/modules/children/guardian-links.server";
import { childDetailsForm, CONSENT_VERSION, registerChild } from "~/modules/children/registration.server";
import { discardRoster, importRoster, previewRoster } from "~/modules/children/roster.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { parseForm } from "~/modules/forms/parse-form.server";
import { hasValidCheckCharacter, parsePassportNumber } from "~/modules/passports/passport-number";
import { passportSummary } from "~/modules/passports/passport-page.server";
import { replacePassportCard, scanPassport } from "~/modules/passports/passport.server";
import { loader as cardLoader } from "~/routes/guardian.children.$childId.card[.pdf]";
import { loader as dataJsonLoader } from "~/routes/guardian.children.$childId.data[.json]";
import { loader as guardianHomeLoader } from "~/routes/guardian._index";
import { loader as passportLoader } from "~/routes/guardian.children.$childId._index";
import { action as registerAction, loader as registerLoader } from "~/routes/guardian.children.new";
import { loader as schoolCardsLoader } from "~/routes/school.cards[.pdf]";
import { action as lettersAction } from "~/routes/school.letters[.pdf]";
import { action as rosterAction } from "~/routes/school.roster";
import { loader as scanLoader } from "~/routes/p.$token";
import { contextFor, createPerson, FIXTURE_VALID_UNTIL, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";
import { lastMailTo, openMailbox } from "../support/outbox";
import { sameArea } from "~/modules/db/same-area.server";

/**
 * Children and passports: registration with consent, postcode → LSOA, passport tokens and
 * cards, roster import, guardian links, data rights and retention — and the refusals.
 */

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
const NOW = new Date("2026-11-20T12:00:00Z");
type Person = { userId: string; membershipId: string; context: AppLoadContext; m: Membership };
const people: Record<string, Person> = {};
let homeLsoa: string;
let otherLsoa: string;

const url = (path: string) => `http://pasbort.test${path}`;
const get = (path: string) => new Request(url(path));
function post(path: string, fields: Record<string, string>) {
  return new Request(url(path), { method: "POST", body: new URLSearchParams(fields) });
}
function upload(path: string, bytes: Uint8Array, name = "roster.csv") {
  const form = new FormData();
  form.set("roster", new Blob([new Uint8Array(bytes)], { type: "text/csv" }), name);
  return new Request(url(path), { method: "POST", body: form });
}
function formData(fields: Record<string, string>) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  return form;
}

const validDetails = (overrides: Record<string, string> = {}) => ({
  givenName: "Gwenllïan",
  familyName: "Ap Siôn",
  birthMonth: "5",
  birthYear: "2017",
  school: areas.north.schools[0]!.id,
  language: "cy",
  home: homeLsoa,
  consent: "yes",
  ...overrides,
});

async function register(person: Person, overrides: Record<string, string> = {}) {
  const parsed = parseForm(childDetailsForm, formData(validDetails(overrides)));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const result = await registerChild(db, person.m, parsed.data, NOW);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.childId;
}

beforeAll(async () => {
  openMailbox();
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  const { north, south } = areas;
  await db.insertInto("area_local_authority").values({ area_id: north.id, la_code: "W06000006" }).execute();
  const lsoas = await db.selectFrom("lsoa").select("code").where("la_code", "=", "W06000006").orderBy("code").limit(2).execute();
  homeLsoa = lsoas[0]!.code;
  otherLsoa = lsoas[1]!.code;
  await db
    .insertInto("postcode_lsoa")
    .values([
      { postcode: "LL11 1AA", lsoa_code: homeLsoa },
      { postcode: "LL12 7AB", lsoa_code: otherLsoa },
      { postcode: "CH1 1AA", lsoa_code: "E01018000" },
    ])
    .execute();
  await db
    .insertInto("award_level")
    .values(
      [30, 65, 100].map((threshold_hours, index) => ({
        area_id: north.id,
        threshold_hours,
        name_en: `Level ${index + 1}`,
        name_cy: `Lefel ${index + 1}`,
        stage: "undergraduate" as const,
        tier: "bronze" as const,
      })),
    )
    .execute();
  const specs = {
    guardian: { areaId: north.id, role: "guardian" },
    otherGuardian: { areaId: north.id, role: "guardian" },
    school0: { areaId: north.id, role: "school", schoolId: north.schools[0]!.id },
    school1: { areaId: north.id, role: "school", schoolId: north.schools[1]!.id },
    provider0: { areaId: north.id, role: "provider_owner", providerId: north.providers[0]!.id },
    southProvider: { areaId: south.id, role: "provider_owner", providerId: south.providers[0]!.id },
    viewer: { areaId: north.id, role: "viewer" },
    coordinator: { areaId: north.id, role: "coordinator" },
  } as const;
  for (const [name, spec] of Object.entries(specs)) {
    const person = await createPerson(db, { email: `${name.toLowerCase()}@kids.example`, ...spec });
    const m = (await loadMemberships(db, person.userId))[0]!;
    people[name] = { ...person, m, context: await contextFor(db, person.userId, person.membershipId) };
  }
});
afterAll(async () => close());

describe("registration by a guardian", () => {
  it("requires the consent, and says so in words the form shows", () => {
    const parsed = parseForm(childDetailsForm, formData(validDetails({ consent: "" })));
    expect(parsed).toMatchObject({ ok: false, errors: { consent: "consent.errors.required" } });
  });

  it("creates a child with a checked passport number, a 160-bit token, the LSOA and a dated, versioned consent", async () => {
    const childId = await register(people.guardian!);
    const child = await db.selectFrom("child").selectAll().where("id", "=", childId).executeTakeFirstOrThrow();
    expect(child).toMatchObject({
      given_name: "Gwenllïan",
      family_name: "Ap Siôn",
      birth_year: 2017,
      birth_month: 5,
      home_lsoa_code: homeLsoa,
      consent_version: CONSENT_VERSION,
      registered_via: "guardian",
    });
    expect(child.consent_at).toEqual(NOW);
    expect(parsePassportNumber(child.passport_number)).toBe(child.passport_number);
    expect(child.passport_number.startsWith("NA-")).toBe(true);
    expect(hasValidCheckCharacter(child.passport_number.slice(3).replace("-", ""))).toBe(true);
    expect(Buffer.from(child.passport_token, "base64url").length).toBeGreaterThanOrEqual(16);
    // No equity consent: no equity answers kept, whatever was sent.
    expect([child.efsm, child.aln, child.care_experienced, child.young_carer, child.equity_consent_at]).toEqual([null, null, null, null, null]);
    const consents = await db.selectFrom("child_consent").selectAll().where("child_id", "=", childId).execute();
    expect(consents).toMatchObject([{ purpose: "passport", version: CONSENT_VERSION, method: "guardian_form", given_by: people.guardian!.userId }]);
    expect(consents[0]!.given_at).toEqual(NOW);
    const audit = await db.selectFrom("audit_event").select(["action", "details"]).where("subject_id", "=", childId).execute();
    expect(audit.map((event) => event.action).sort()).toEqual(["child_consent_given", "child_registered"]);
    expect(JSON.stringify(audit)).not.toContain("Gwenllïan");
  });

  it("keeps equity details only with the separate consent", async () => {
    const childId = await register(people.guardian!, { givenName: "Osian", equityConsent: "yes", efsm: "yes", aln: "no", careExperienced: "", youngCarer: "" });
    const child = await db.selectFrom("child").selectAll().where("id", "=", childId).executeTakeFirstOrThrow();
    expect(child).toMatchObject({ efsm: true, aln: false, care_experienced: null, young_carer: null });
    expect(child.equity_consent_at).toEqual(NOW);
    const purposes = await db.selectFrom("child_consent").select("purpose").where("child_id", "=", childId).orderBy("purpose").execute();
    expect(purposes.map((row) => row.purpose)).toEqual(["equity", "passport"]);
    const ignored = await register(people.guardian!, { givenName: "Mali", efsm: "yes" });
    expect(await db.selectFrom("child").select("efsm").where("id", "=", ignored).executeTakeFirstOrThrow()).toEqual({ efsm: null });
  });

  it("refuses impossible birth months, unknown schools and the same child twice", async () => {
    const tooYoung = parseForm(childDetailsForm, formData(validDetails({ birthYear: "2025" })));
    expect(tooYoung.ok && (await registerChild(db, people.guardian!.m, tooYoung.data, NOW))).toMatchObject({
      ok: false,
      errors: { birthYear: "children.errors.tooYoung" },
    });
    const otherAreaSchool = parseForm(childDetailsForm, formData(validDetails({ givenName: "Cai", school: areas.south.schools[0]!.id })));
    expect(otherAreaSchool.ok && (await registerChild(db, people.guardian!.m, otherAreaSchool.data, NOW))).toMatchObject({
      ok: false,
      errors: { school: "children.errors.schoolRequired" },
    });
    const twice = parseForm(childDetailsForm, formData(validDetails({ givenName: "gwenllïan" })));
    expect(twice.ok && (await registerChild(db, people.guardian!.m, twice.data, NOW))).toMatchObject({
      ok: false,
      errors: { givenName: "children.errors.alreadyRegistered" },
    });
  });

  it("looks the postcode up, passes on only the LSOA, and never stores the postcode", async () => {
    const found = await registerAction({
      request: post("/guardian/children/new", { intent: "postcode", postcode: " ll12  7ab" }),
      context: people.guardian!.context,
      params: {},
    } as never);
    expect(found).toMatchObject({ step: "details", home: { code: otherLsoa } });
    const english = await registerAction({
      request: post("/guardian/children/new", { intent: "postcode", postcode: "CH1 1AA" }),
      context: people.guardian!.context,
      params: {},
    } as never);
    expect(english).toMatchObject({ step: "details", home: { code: "outside" } });
    const unknown = (await settle(
      registerAction({
        request: post("/guardian/children/new", { intent: "postcode", postcode: "SY23 3BU" }),
        context: people.guardian!.context,
        params: {},
      } as never),
    )) as { data: unknown };
    expect(unknown.data).toMatchObject({ step: "home", errors: { postcode: "children.errors.postcodeUnknown" }, choose: true });
    const done = await settle(
      registerAction({
        request: post("/guardian/children/new", { intent: "register", ...validDetails({ givenName: "Elis", home: otherLsoa, postcode: "LL12 7AB" }) }),
        context: people.guardian!.context,
        params: {},
      } as never),
    );
    expect(done).toBeInstanceOf(Response);
    const childId = (done as Response).headers.get("Location")!.match(/children\/([0-9a-f-]{36})/)![1]!;
    const row = await db.selectFrom("child").selectAll().where("id", "=", childId).executeTakeFirstOrThrow();
    expect(row.home_lsoa_code).toBe(otherLsoa);
    expect(JSON.stringify(row)).not.toMatch(/LL12\s?7AB/i);
    const audit = await db.selectFrom("audit_event").select("details").where("subject_id", "=", childId).execute();
    expect(JSON.stringify(audit)).not.toMatch(/LL12/i);
  });

  it("keeps the child's LSOA on both geographies; a split one chosen from the list waits for a postcode; a mismatched pair is refused", async () => {
    // Holt 1 (W01000383, Wrexham) was split in 2021 into W01001971 and W01001972.
    await db.insertInto("postcode_lsoa").values({ postcode: "LL13 9SA", lsoa_code: "W01000383", lsoa21_code: "W01001972" }).execute();
    const found = await registerAction({
      request: post("/guardian/children/new", { intent: "postcode", postcode: "LL13 9SA" }),
      context: people.guardian!.context,
      params: {},
    } as never);
    expect(found).toMatchObject({ step: "details", home: { code: "W01000383", code21: "W01001972" } });
    const both = await register(people.guardian!, { givenName: "Tegwen", home: "W01000383", home21: "W01001972" });
    const codes = (id: string) => db.selectFrom("child").select(["home_lsoa_code", "home_lsoa21_code"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(await codes(both)).toEqual({ home_lsoa_code: "W01000383", home_lsoa21_code: "W01001972" });
    // From the list (2011 neighbourhoods): an unchanged one is placed on 2021 too, a split one is not guessed.
    expect(await codes(await register(people.guardian!, { givenName: "Heledd" }))).toEqual({ home_lsoa_code: homeLsoa, home_lsoa21_code: homeLsoa });
    expect(await codes(await register(people.guardian!, { givenName: "Gwydion", home: "W01000383" }))).toEqual({
      home_lsoa_code: "W01000383",
      home_lsoa21_code: null,
    });
    // A 2021 LSOA that is no part of the 2011 one (an edited form) is refused, nothing written.
    const parsed = parseForm(childDetailsForm, formData(validDetails({ givenName: "Pedr", home: "W01000383", home21: homeLsoa })));
    expect(parsed.ok && (await registerChild(db, people.guardian!.m, parsed.data, NOW))).toEqual({
      ok: false,
      errors: { home: "children.errors.homeRequired" },
    });
    expect(await db.selectFrom("child").select("id").where("given_name", "=", "Pedr").execute()).toEqual([]);
  });

  it("lets someone with no known postcode choose a neighbourhood from a searchable list, or outside Wales", async () => {
    const { north } = areas;
    const name = (await db.selectFrom("lsoa").select("name").where("code", "=", homeLsoa).executeTakeFirstOrThrow()).name;
    const page = await registerLoader({
      request: get(`/guardian/children/new?q=${encodeURIComponent(name.split(" ")[0]!)}`),
      context: people.guardian!.context,
      params: {},
    } as never);
    expect(page.choosing).toBe(true);
    expect(page.results.map((lsoa) => lsoa.code)).toContain(homeLsoa);
    const chosen = await registerAction({
      request: post("/guardian/children/new", { intent: "chooseHome", home: homeLsoa }),
      context: people.guardian!.context,
      params: {},
    } as never);
    expect(chosen).toMatchObject({ step: "details", home: { code: homeLsoa } });
    const outside = await registerAction({
      request: post("/guardian/children/new", { intent: "chooseHome", home: "outside" }),
      context: people.guardian!.context,
      params: {},
    } as never);
    expect(outside).toMatchObject({ step: "details", home: { code: "outside" } });
    const childId = await register(people.guardian!, { givenName: "Iolo", home: "outside" });
    expect(await db.selectFrom("child").select("home_lsoa_code").where("id", "=", childId).executeTakeFirstOrThrow()).toEqual({ home_lsoa_code: null });
    // Only the area's own local authorities are offered.
    const outsideArea = await db.selectFrom("lsoa").select("code").where("la_code", "=", "W06000015").executeTakeFirstOrThrow();
    const refused = (await settle(
      registerAction({
        request: post("/guardian/children/new", { intent: "chooseHome", home: outsideArea.code }),
        context: people.guardian!.context,
        params: {},
      } as never),
    )) as { data: unknown };
    expect(refused.data).toMatchObject({ step: "choose", errors: { home: "children.errors.homeRequired" } });
    expect(north).toBeDefined();
  });

  it("is for guardians only: a viewer, a provider and a school get 403", async () => {
    for (const who of ["viewer", "provider0", "school0"]) {
      const result = await settle(registerLoader({ request: get("/guardian/children/new"), context: people[who]!.context, params: {} } as never));
      expect((result as Response).status, who).toBe(403);
    }
  });
});

describe("the passport page", () => {
  it("shows hours, progress to the next award from the ladder, stamps and categories tried — revoked credits left out", async () => {
    const { north } = areas;
    const childId = north.children[0]!.id;
    await db.insertInto("guardian_child").values({ area_id: north.id, user_id: people.guardian!.userId, child_id: childId }).execute();
    await db
      .insertInto("credit")
      .values({
        area_id: north.id,
        child_id: childId,
        provider_id: north.providers[1]!.id,
        activity_id: north.activities[1]!.id,
        session_id: north.sessions[1]!.id,
        quarter_hours: 40,
        earned_on: "2026-10-01",
        method: "passport_scan",
        idempotency_key: "revoked-one",
        revoked_at: NOW,
        revoke_reason: "scanned by mistake",
      })
      .execute();
    const summary = await passportSummary(db, people.guardian!.m, childId);
    expect(summary.progress).toMatchObject({ hours: 1, next: { thresholdHours: 30, hoursToGo: 29 }, reached: null, percent: 3 });
    expect(summary.stamps).toHaveLength(1);
    expect(summary.categories.filter((category) => category.tried).map((category) => category.category)).toEqual(["sport"]);
    // The guardian's list of children shows the same hours, revoked credits left out.
    const home = (await guardianHomeLoader({ request: new Request("http://pasbort.test/guardian"), context: people.guardian!.context, params: {} })) as {
      children: Array<{ id: string; quarter_hours: number }>;
    };
    expect(home.children.find((child) => child.id === childId)).toMatchObject({ quarter_hours: 4 });
  });

  it("shows the latest 30 stamps, or all of them on request, with hours and kinds tried counted over the whole ledger", async () => {
    const { north } = areas;
    const childId = await register(people.guardian!, { givenName: "Tudur", familyName: "Llwyd" });
    const often = await db.selectFrom("activity").select(["id", "provider_id", "category"]).where("id", "=", north.activities[0]!.id).executeTakeFirstOrThrow();
    const once = await db
      .insertInto("activity")
      .values({
        area_id: north.id,
        provider_id: often.provider_id,
        title_en: "Pond dipping",
        category: "nature",
        credit_quarter_hours: 4,
        cost_band: "free",
        status: "validated",
        validated_until: FIXTURE_VALID_UNTIL,
      })
      .returning(["id", "provider_id", "category"])
      .executeTakeFirstOrThrow();
    expect(often.category).not.toBe(once.category);
    // 35 stamps of an hour each: the oldest one, in another kind of activity, falls outside the latest 30.
    for (let day = 1; day <= 35; day++) {
      const activity = day === 1 ? once : often;
      const earnedOn = `2026-0${day <= 28 ? 8 : 9}-${String(day <= 28 ? day : day - 28).padStart(2, "0")}`;
      const session = await db
        .insertInto("activity_session")
        .values({
          area_id: north.id,
          activity_id: activity.id,
          starts_at: new Date(`${earnedOn}T09:00:00Z`),
          ends_at: new Date(`${earnedOn}T10:00:00Z`),
          quarter_hours: 4,
          claim_secret: `stamps-${day}`,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db
        .insertInto("credit")
        .values({
          area_id: north.id,
          child_id: childId,
          provider_id: activity.provider_id,
          activity_id: activity.id,
          session_id: session.id,
          quarter_hours: 4,
          earned_on: earnedOn,
          method: "passport_scan",
          idempotency_key: `stamps-${day}`,
        })
        .execute();
    }
    const recent = await passportSummary(db, people.guardian!.m, childId);
    expect(recent.stamps).toHaveLength(30);
    expect(recent.stamps[0]!.earned_on).toBe("2026-09-07");
    expect(recent.stampCount).toBe(35);
    expect(recent.progress).toMatchObject({ hours: 35, reached: { thresholdHours: 30 } });
    expect(
      recent.categories
        .filter((category) => category.tried)
        .map((category) => category.category)
        .sort(),
    ).toEqual([often.category, once.category].sort());
    const all = await passportSummary(db, people.guardian!.m, childId, { allStamps: true });
    expect(all.stamps).toHaveLength(35);
    expect(all.stamps.at(-1)!.earned_on).toBe("2026-08-01");
  });

  it("is a 404 for another guardian's child, a malformed id, or a child of another area", async () => {
    const mine = (await db.selectFrom("guardian_child").select("child_id").where("user_id", "=", people.guardian!.userId).executeTakeFirstOrThrow()).child_id;
    for (const childId of [mine, "not-a-uuid", areas.south.children[0]!.id]) {
      const result = await settle(
        passportLoader({ request: get(`/guardian/children/${childId}`), context: people.otherGuardian!.context, params: { childId } } as never),
      );
      expect((result as Response).status).toBe(404);
    }
    const own = await settle(
      passportLoader({ request: get(`/guardian/children/${mine}`), context: people.guardian!.context, params: { childId: mine } } as never),
    );
    expect(own).toHaveProperty("child.id", mine);
    const viewer = await settle(
      passportLoader({ request: get(`/guardian/children/${mine}`), context: people.viewer!.context, params: { childId: mine } } as never),
    );
    expect((viewer as Response).status).toBe(403);
  });

  it("prints a card as a PDF with a font that has every Welsh letter, for the child's guardian only", async () => {
    const childId = await register(people.guardian!, { givenName: "Llŷr", familyName: "Ŵyn" });
    const response = (await cardLoader({
      request: get(`/guardian/children/${childId}/card.pdf`),
      context: people.guardian!.context,
      params: { childId },
    } as never)) as Response;
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.toString("latin1")).toContain("DejaVuSans");
    expect(pdf.toString("latin1")).not.toContain("Helvetica");
    const refused = await settle(
      cardLoader({ request: get(`/guardian/children/${childId}/card.pdf`), context: people.otherGuardian!.context, params: { childId } } as never),
    );
    expect((refused as Response).status).toBe(404);
  });
});

describe("passport tokens", () => {
  let childId: string;
  let token: string;
  beforeAll(async () => {
    childId = await register(people.guardian!, { givenName: "Tomos" });
    token = (await db.selectFrom("child").select("passport_token").where("id", "=", childId).executeTakeFirstOrThrow()).passport_token;
  });
  const actorOf = (name: string) => loadActor(db, people[name]!.context.signedIn!);

  it("signed out: nothing about the child, not even whether the token is real", async () => {
    const real = await scanLoader({ request: get(`/p/${token}`), context: signedOutContext, params: { token } } as never);
    const fake = await scanLoader({
      request: get("/p/AAAAAAAAAAAAAAAAAAAAAAAAAAA"),
      context: signedOutContext,
      params: { token: "AAAAAAAAAAAAAAAAAAAAAAAAAAA" },
    } as never);
    expect((real as { data: unknown }).data).toEqual({ kind: "signedOut" });
    expect((fake as { data: unknown }).data).toEqual({ kind: "signedOut" });
  });

  it("takes the child's guardian to the passport, and shows staff only the given name and family initial", async () => {
    const guardianScan = await settle(scanLoader({ request: get(`/p/${token}`), context: people.guardian!.context, params: { token } } as never));
    expect((guardianScan as Response).headers.get("Location")).toBe(`/guardian/children/${childId}`);
    expect(await scanPassport(db, token, await actorOf("provider0"))).toMatchObject({ kind: "staff", givenName: "Tomos", familyInitial: "A" });
    expect(await scanPassport(db, token, await actorOf("otherGuardian"))).toEqual({ kind: "notForYou" });
    expect(await scanPassport(db, token, await actorOf("viewer"))).toEqual({ kind: "notForYou" });
    // Another Children's University's staff: not a passport of theirs.
    expect(await scanPassport(db, token, await actorOf("southProvider"))).toEqual({ kind: "invalid" });
  });

  it("refuses a tampered token with the same answer as an unknown one", async () => {
    const provider = await actorOf("provider0");
    const tampered = (token[0] === "A" ? "B" : "A") + token.slice(1);
    expect(await scanPassport(db, tampered, provider)).toEqual({ kind: "invalid" });
    expect(await scanPassport(db, "../../etc/passwd", provider)).toEqual({ kind: "invalid" });
    const response = (await scanLoader({ request: get(`/p/${tampered}`), context: people.provider0!.context, params: { token: tampered } } as never)) as {
      data: unknown;
      init: { status: number };
    };
    expect(response.data).toEqual({ kind: "invalid" });
    expect(response.init.status).toBe(404);
  });

  it("replaces a lost card: a new token works, the old one is refused from then on, the number stays", async () => {
    const before = await db.selectFrom("child").select(["passport_number"]).where("id", "=", childId).executeTakeFirstOrThrow();
    const { token: fresh } = await replacePassportCard(db, people.guardian!.m, childId);
    expect(fresh).not.toBe(token);
    const provider = await actorOf("provider0");
    expect(await scanPassport(db, token, provider)).toEqual({ kind: "invalid" });
    expect(await scanPassport(db, fresh, provider)).toMatchObject({ kind: "staff", passportNumber: before.passport_number });
    const refusedEvent = await db
      .selectFrom("audit_event")
      .select("action")
      .where("subject_id", "=", childId)
      .where("action", "=", "passport_token_refused")
      .executeTakeFirst();
    expect(refusedEvent).toBeDefined();
    await expect(settle(replacePassportCard(db, people.otherGuardian!.m, childId))).resolves.toHaveProperty("status", 404);
  });
});

/** A roster as a school information system exports it. */
function rosterCsv(rows: string[], header = "Adno,Legal Forename,Legal Surname,DOB,NC Year,Post Code,FSM,Reg Group") {
  return [header, ...rows].join("\r\n") + "\r\n";
}

describe("roster import", () => {
  const rows = [
    "1001,Siôn,Hughes,04/05/2016,Y4,ll11 1aa,Y,4H",
    "1002,Gwenllïan,Parry,29/02/2016,4,LL12  7AB,N,4H",
    "1003,Nia,Ellis,31/02/2016,4,LL11 1AA,,4H", // impossible date
    "1004,Cai,Jones,01/09/2015,5,XX,,5W", // bad postcode
    "1001,Siôn,Hughes,04/05/2016,4,LL11 1AA,Y,4H", // duplicate row
    "1005,Ffion,Wright,01/09/2017,R,SY23 3BU,,RJ", // postcode not in the directory
  ];

  it("previews without writing any child, reporting each row's problems (Windows-1252 names read right)", async () => {
    const before = await db
      .selectFrom("child")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const preview = await previewRoster(db, people.school0!.m, iconv.encode(rosterCsv(rows), "windows-1252"), NOW);
    expect(preview.ok).toBe(true);
    if (!preview.ok) return;
    expect(preview.encoding).toBe("windows-1252");
    expect(preview.counts).toEqual({ total: 6, valid: 3, invalid: 3, create: 3, update: 0, optedOut: 0 });
    expect(preview.rows.map((row) => [row.line, row.action, row.problems])).toEqual([
      [2, "create", []],
      [3, "create", []],
      [4, "invalid", ["roster.problems.birthInvalid"]],
      [5, "invalid", ["roster.problems.postcodeInvalid"]],
      [6, "invalid", ["roster.problems.duplicateRef"]],
      [7, "create", []],
    ]);
    expect(preview.rows[0]!.name).toBe("Siôn Hughes");
    expect(preview.rows[1]!.name).toBe("Gwenllïan Parry");
    expect(preview.rows[5]!.notes).toEqual(["roster.notes.postcodeUnknown"]);
    const after = await db
      .selectFrom("child")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    // The waiting rows hold LSOAs, never postcodes.
    const stored = await db.selectFrom("roster_import").select("pending_rows").where("id", "=", preview.importId).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored.pending_rows)).not.toMatch(/LL11|LL12|SY23/i);
    expect(JSON.stringify(stored.pending_rows)).toContain(homeLsoa);
  });

  it("imports nothing when asked, and needs the families-informed confirmation", async () => {
    const preview = await previewRoster(db, people.school0!.m, new TextEncoder().encode(rosterCsv(rows)), NOW);
    if (!preview.ok) throw new Error("preview failed");
    expect(await importRoster(db, people.school0!.m, preview.importId, { familiesInformed: false, shareFsm: false }, NOW)).toEqual({
      ok: false,
      error: "roster.errors.familiesInformedRequired",
    });
    await discardRoster(db, people.school0!.m, preview.importId, NOW);
    expect(await importRoster(db, people.school0!.m, preview.importId, { familiesInformed: true, shareFsm: false }, NOW)).toEqual({
      ok: false,
      error: "roster.errors.previewGone",
    });
    expect(await db.selectFrom("child").select("id").where("school_pupil_ref", "=", "1001").executeTakeFirst()).toBeUndefined();
  });

  it("imports only the valid rows; importing the same file again updates them instead of duplicating", async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(rosterCsv(rows))]);
    const first = await previewRoster(db, people.school0!.m, bytes, NOW);
    if (!first.ok) throw new Error("preview failed");
    expect(first.encoding).toBe("utf-8-bom");
    const imported = await importRoster(db, people.school0!.m, first.importId, { familiesInformed: true, shareFsm: true }, NOW);
    expect(imported).toMatchObject({ ok: true, created: 3, updated: 0 });
    const sion = await db.selectFrom("child").selectAll().where("school_pupil_ref", "=", "1001").executeTakeFirstOrThrow();
    expect(sion).toMatchObject({
      given_name: "Siôn",
      birth_year: 2016,
      birth_month: 5,
      year_group: 4,
      class_name: "4H",
      home_lsoa_code: homeLsoa,
      efsm: true,
      registered_via: "school_roster",
      school_id: areas.north.schools[0]!.id,
    });
    expect(parsePassportNumber(sion.passport_number)).toBe(sion.passport_number);
    const consents = await db.selectFrom("child_consent").select(["purpose", "method"]).where("child_id", "=", sion.id).orderBy("purpose").execute();
    expect(consents).toEqual([
      { purpose: "equity", method: "school_roster" },
      { purpose: "passport", method: "school_roster" },
    ]);

    // Next term: a name corrected, a new year group; nobody duplicated.
    const again = await previewRoster(
      db,
      people.school0!.m,
      new TextEncoder().encode(rosterCsv([rows[0]!.replace("Y4", "Y5"), rows[1]!.replace("Parry", "Parry-Jones")])),
      NOW,
    );
    if (!again.ok) throw new Error("preview failed");
    expect(again.counts).toMatchObject({ create: 0, update: 2 });
    expect(await importRoster(db, people.school0!.m, again.importId, { familiesInformed: true, shareFsm: false }, NOW)).toMatchObject({
      ok: true,
      created: 0,
      updated: 2,
    });
    const children = await db
      .selectFrom("child")
      .select(["school_pupil_ref", "family_name", "year_group", "passport_number"])
      .where("school_id", "=", areas.north.schools[0]!.id)
      .where("school_pupil_ref", "is not", null)
      .orderBy("school_pupil_ref")
      .execute();
    expect(children.map((child) => [child.school_pupil_ref, child.family_name, child.year_group])).toEqual([
      ["1001", "Hughes", 5],
      ["1002", "Parry-Jones", 4],
      ["1005", "Wright", 0],
    ]);
    expect(children[0]!.passport_number).toBe(sion.passport_number);
  });

  it("refuses a file with missing columns, an empty file or one over 2 MB, as a whole", async () => {
    expect(await previewRoster(db, people.school0!.m, new TextEncoder().encode("Forename,Surname\nA,B\n"), NOW)).toMatchObject({
      ok: false,
      error: "roster.errors.missingColumns",
      missing: ["roster.columns.birth", "roster.columns.yearGroup", "roster.columns.postcode", "roster.columns.pupilRef"],
    });
    expect(await previewRoster(db, people.school0!.m, new Uint8Array(), NOW)).toMatchObject({ ok: false, error: "roster.errors.empty" });
    expect(await previewRoster(db, people.school0!.m, new Uint8Array(2 * 1024 * 1024 + 1), NOW)).toMatchObject({ ok: false, error: "roster.errors.tooLarge" });
  });

  it("through the page: an upload over the limit is refused with 413 and a clear message", async () => {
    const big = new TextEncoder().encode(rosterCsv(Array.from({ length: 50_000 }, (_, n) => `${n},Aled,Jones,01/01/2016,4,LL11 1AA,,4H`)));
    expect(big.byteLength).toBeGreaterThan(2 * 1024 * 1024);
    const result = (await rosterAction({ request: upload("/school/roster", big), context: people.school0!.context, params: {} } as never)) as {
      data: unknown;
      init: { status: number };
    };
    expect(result.init.status).toBe(413);
    expect(result.data).toEqual({ status: "error", errors: { roster: "roster.errors.tooLarge" }, formError: null, values: {} });
    const ok = (await rosterAction({
      request: upload("/school/roster", new TextEncoder().encode(rosterCsv([rows[5]!]))),
      context: people.school0!.context,
      params: {},
    } as never)) as { kind: string };
    expect(ok.kind).toBe("preview");
  });

  it("never imports into another school: the school is the coordinator's own, and another school's preview is a 404", async () => {
    const preview = await previewRoster(db, people.school1!.m, new TextEncoder().encode(rosterCsv(["2001,Alaw,Morris,01/01/2016,4,LL11 1AA,,4M"])), NOW);
    if (!preview.ok) throw new Error("preview failed");
    const stolen = await settle(importRoster(db, people.school0!.m, preview.importId, { familiesInformed: true, shareFsm: false }, NOW));
    expect((stolen as Response).status).toBe(404);
    expect(await importRoster(db, people.school1!.m, preview.importId, { familiesInformed: true, shareFsm: false }, NOW)).toMatchObject({
      ok: true,
      created: 1,
    });
    const alaw = await db.selectFrom("child").select("school_id").where("school_pupil_ref", "=", "2001").executeTakeFirstOrThrow();
    expect(alaw.school_id).toBe(areas.north.schools[1]!.id);
    for (const who of ["guardian", "provider0", "viewer", "coordinator"]) {
      await expect(settle(previewRoster(db, people[who]!.m, new TextEncoder().encode(rosterCsv(rows)), NOW))).resolves.toHaveProperty("status", 403);
      const viaPage = await settle(
        rosterAction({ request: upload("/school/roster", new TextEncoder().encode(rosterCsv(rows))), context: people[who]!.context, params: {} } as never),
      );
      expect((viaPage as Response).status, who).toBe(403);
    }
  });
});

describe("linking families", () => {
  it("prints letters with one-time codes; a parent links with the code after agreeing to the consent", async () => {
    const letters = await createLetters(db, people.school0!.m, { className: "4H", onlyWithoutGuardian: true }, NOW);
    expect(letters.map((letter) => letter.givenName).sort()).toEqual(["Gwenllïan", "Siôn"]);
    const sion = letters.find((letter) => letter.givenName === "Siôn")!;
    expect(sion.code).toMatch(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
    const parent = await loadActor(db, people.otherGuardian!.context.signedIn!);
    expect(await viewChildLink(db, parent, { code: sion.code.toLowerCase().replace("-", " ") }, NOW)).toEqual({
      state: "valid",
      givenName: "Siôn",
      kind: "letter",
    });
    expect(await redeemChildLink(db, parent, { code: sion.code, consent: false }, NOW)).toEqual({ ok: false, state: "consentRequired" });
    const linked = await redeemChildLink(db, parent, { code: sion.code, consent: true }, NOW);
    expect(linked).toMatchObject({ ok: true, childId: sion.childId });
    expect(await redeemChildLink(db, parent, { code: sion.code, consent: true }, NOW)).toEqual({ ok: false, state: "used" });
    const consent = await db
      .selectFrom("child_consent")
      .select(["method", "given_by"])
      .where("child_id", "=", sion.childId)
      .where("method", "=", "guardian_link")
      .executeTakeFirstOrThrow();
    expect(consent.given_by).toBe(people.otherGuardian!.userId);
    // A newer letter cancels the older code.
    const [first] = await createLetters(db, people.school0!.m, { className: "RJ" }, NOW);
    await createLetters(db, people.school0!.m, { className: "RJ" }, NOW);
    expect(await viewChildLink(db, parent, { code: first!.code }, NOW)).toEqual({ state: "used" });
    // Only schools print letters.
    await expect(settle(createLetters(db, people.guardian!.m, {}, NOW))).resolves.toHaveProperty("status", 403);
  });

  it("lets a guardian invite a second guardian by email; only that account can use the link", async () => {
    const childId = await register(people.guardian!, { givenName: "Macsen" });
    const second = await createPerson(db, { email: "second@kids.example", areaId: areas.south.id, role: "viewer" });
    expect(await inviteSecondGuardian(db, people.guardian!.m, childId, { email: "second@kids.example", language: "cy" }, "https://pasbort.test", NOW)).toEqual({
      ok: true,
    });
    const email = await db.selectFrom("outbox_email").select(["body_text", "language"]).where("to_email", "=", "second@kids.example").executeTakeFirstOrThrow();
    expect(email.language).toBe("cy");
    expect(email.body_text).not.toMatch(/link-child\//);
    const token = lastMailTo("second@kids.example").text.match(/link-child\/([A-Za-z0-9_-]+)/)![1]!;
    const stranger = await loadActor(db, people.otherGuardian!.context.signedIn!);
    expect(await viewChildLink(db, stranger, { token }, NOW)).toEqual({ state: "wrongAccount" });
    const secondActor = await loadActor(db, (await contextFor(db, second.userId, second.membershipId)).signedIn!);
    const result = await redeemChildLink(db, secondActor, { token, consent: true }, NOW);
    expect(result).toMatchObject({ ok: true, childId });
    // They now hold a guardian membership in the child's area, and see the child.
    const memberships = await loadMemberships(db, second.userId);
    const guardianMembership = memberships.find((membership) => membership.role === "guardian" && membership.areaId === areas.north.id)!;
    expect((await passportSummary(db, guardianMembership, childId)).child.given_name).toBe("Macsen");
    // Another guardian's child cannot be shared by someone who is not its guardian.
    await expect(
      settle(inviteSecondGuardian(db, people.otherGuardian!.m, childId, { email: "x@kids.example", language: "en" }, "https://pasbort.test", NOW)),
    ).resolves.toHaveProperty("status", 404);
  });
});

describe("printing for a school", () => {
  it("gives a school A4 sheets of its own pupils' cards, by class, and letters as PDF; nobody else", async () => {
    const cards = (await schoolCardsLoader({
      request: get("/school/cards.pdf?className=4H"),
      context: people.school0!.context,
      params: {},
    } as never)) as Response;
    expect(cards.headers.get("Content-Type")).toBe("application/pdf");
    expect(
      Buffer.from(await cards.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    const printed = await db
      .selectFrom("audit_event")
      .select("details")
      .where("action", "=", "passport_card_printed")
      .where("actor_user_id", "=", people.school0!.userId)
      .executeTakeFirstOrThrow();
    expect(printed.details).toMatchObject({ cards: 2, className: "4H" });
    const letters = (await lettersAction({
      request: post("/school/letters.pdf", { className: "RJ" }),
      context: people.school0!.context,
      params: {},
    } as never)) as Response;
    expect(letters.headers.get("Content-Type")).toBe("application/pdf");
    for (const who of ["guardian", "provider0", "viewer"]) {
      expect(
        ((await settle(schoolCardsLoader({ request: get("/school/cards.pdf"), context: people[who]!.context, params: {} } as never))) as Response).status,
        who,
      ).toBe(403);
      expect(
        ((await settle(lettersAction({ request: post("/school/letters.pdf", {}), context: people[who]!.context, params: {} } as never))) as Response).status,
        who,
      ).toBe(403);
    }
  });
});

describe("data rights", () => {
  it("gives a guardian everything held about their child, as JSON, and records it", async () => {
    const childId = await register(people.guardian!, { givenName: "Erin", equityConsent: "yes", youngCarer: "yes" });
    const exported = await exportChildData(db, people.guardian!.m, childId, NOW);
    expect(exported.child).toMatchObject({
      givenName: "Erin",
      birthMonth: 5,
      birthYear: 2017,
      homeNeighbourhood: { lsoaCode: homeLsoa },
      equityDetails: { youngCarer: true },
    });
    expect(exported.consents.map((consent) => consent.purpose).sort()).toEqual(["equity", "passport"]);
    expect(exported.guardians).toMatchObject([{ you: true }]);
    expect(exported.retention.keptUntilWithoutActivity).toBe("2029-11-20");
    const response = (await dataJsonLoader({
      request: get(`/guardian/children/${childId}/data.json`),
      context: people.guardian!.context,
      params: { childId },
    } as never)) as Response;
    expect(response.headers.get("Content-Disposition")).toMatch(/attachment/);
    expect(JSON.parse(await response.text())).toHaveProperty("child.givenName", "Erin");
    const refused = await settle(
      dataJsonLoader({ request: get(`/guardian/children/${childId}/data.json`), context: people.otherGuardian!.context, params: { childId } } as never),
    );
    expect((refused as Response).status).toBe(404);
    const events = await db.selectFrom("audit_event").select("action").where("subject_id", "=", childId).where("action", "=", "child_data_exported").execute();
    expect(events.length).toBeGreaterThanOrEqual(2);
    await expect(settle(exportChildData(db, people.school0!.m, childId, NOW))).resolves.toHaveProperty("status", 403);
  });

  it("includes the child's session-code claims, awards, certificates and graduations in the export", async () => {
    const { north } = areas;
    const childId = north.children[0]!.id;
    const level = await db.selectFrom("award_level").select("id").where("area_id", "=", north.id).where("threshold_hours", "=", 30).executeTakeFirstOrThrow();
    await db
      .insertInto("award")
      .values({ area_id: north.id, child_id: childId, award_level_id: level.id, reached_on: "2026-10-01", certified_at: NOW })
      .execute();
    await db
      .insertInto("certificate")
      .values({
        area_id: north.id,
        serial: 1,
        child_id: childId,
        award_level_id: level.id,
        award_name_en: "Bronze Undergraduate",
        award_name_cy: "Israddedig Efydd",
        threshold_hours: 30,
        reached_on: "2026-10-01",
      })
      .execute();
    const graduation = await db
      .insertInto("graduation")
      .values({ area_id: north.id, name: "Seremoni'r Haf", held_on: "2027-07-10", starts_at: "18:30", venue: "Neuadd William Aston", cutoff_on: "2027-06-01" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("graduate")
      .values({ area_id: north.id, graduation_id: graduation.id, child_id: childId, award_level_id: level.id, attended: true })
      .execute();
    const session = await db
      .selectFrom("activity_session")
      .innerJoin("activity", sameArea("activity.id", "activity_session.activity_id"))
      .select(["activity_session.id", "activity_session.activity_id", "activity.provider_id"])
      .where("activity_session.id", "=", north.sessions[0]!.id)
      .executeTakeFirstOrThrow();
    await db
      .insertInto("credit_claim")
      .values({
        area_id: north.id,
        child_id: childId,
        session_id: session.id,
        activity_id: session.activity_id,
        provider_id: session.provider_id,
        claimed_by: people.guardian!.userId,
        code_kind: "screen",
        idempotency_key: "export-test-claim",
      })
      .execute();

    const exported = await exportChildData(db, people.guardian!.m, childId, NOW);
    expect(exported.awards).toEqual([{ award: { en: "Level 1", cy: "Lefel 1" }, hours: 30, reachedOn: "2026-10-01", certified: true }]);
    expect(exported.certificates).toMatchObject([{ serial: 1, hours: 30, revoked: null }]);
    expect(exported.graduations).toEqual([
      { name: "Seremoni'r Haf", heldOn: "2027-07-10", startsAt: "18:30", venue: "Neuadd William Aston", invitedAt: null, attended: true },
    ]);
    expect(exported.sessionCodeClaims).toMatchObject([{ status: "pending", decidedAt: null }]);
    // Another family's export does not carry them.
    await expect(settle(exportChildData(db, people.otherGuardian!.m, childId, NOW))).resolves.toHaveProperty("status", 404);
  });

  it("withdraws a child after confirmation: identity erased, credits kept as anonymous counts, old card refused", async () => {
    const { north } = areas;
    const childId = north.children[0]!.id; // linked to the guardian above, with a credit
    const token = (await db.selectFrom("child").select("passport_token").where("id", "=", childId).executeTakeFirstOrThrow()).passport_token;
    expect(await withdrawChild(db, people.guardian!.m, childId, false, NOW)).toEqual({ ok: false, error: "dataRights.errors.confirmRequired" });
    await expect(settle(withdrawChild(db, people.otherGuardian!.m, childId, true, NOW))).resolves.toHaveProperty("status", 404);
    expect(await withdrawChild(db, people.guardian!.m, childId, true, NOW)).toEqual({ ok: true });
    const row = await db.selectFrom("child").selectAll().where("id", "=", childId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: "withdrawn",
      withdrawn_reason: "guardian",
      given_name: null,
      family_name: null,
      birth_month: null,
      passport_number: null,
      passport_token: null,
      efsm: null,
      birth_year: 2016,
      school_id: north.schools[0]!.id,
      home_lsoa_code: expect.any(String),
    });
    expect(await db.selectFrom("guardian_child").select("user_id").where("child_id", "=", childId).execute()).toEqual([]);
    expect(await db.selectFrom("child_consent").select("id").where("child_id", "=", childId).execute()).toEqual([]);
    const credits = await db.selectFrom("credit").select("quarter_hours").where("child_id", "=", childId).execute();
    expect(credits.length).toBe(2);
    expect(await scanPassport(db, token, await loadActor(db, people.provider0!.context.signedIn!))).toEqual({ kind: "invalid" });
    const page = await settle(
      passportLoader({ request: get(`/guardian/children/${childId}`), context: people.guardian!.context, params: { childId } } as never),
    );
    expect((page as Response).status).toBe(404);
    expect(
      await db.selectFrom("audit_event").select("action").where("subject_id", "=", childId).where("action", "=", "child_withdrawn").executeTakeFirst(),
    ).toBeDefined();
  });

  it("a pupil withdrawn by the family is not brought back by the school's next roster", async () => {
    const sion = await db.selectFrom("child").select("id").where("school_pupil_ref", "=", "1001").executeTakeFirstOrThrow();
    expect(await withdrawChild(db, people.otherGuardian!.m, sion.id, true, NOW)).toEqual({ ok: true });
    const preview = await previewRoster(db, people.school0!.m, new TextEncoder().encode(rosterCsv(["1001,Siôn,Hughes,04/05/2016,Y5,LL11 1AA,Y,4H"])), NOW);
    expect(preview.ok && preview.counts).toMatchObject({ create: 0, update: 0, optedOut: 1, valid: 0 });
    const optOut = await db.selectFrom("roster_opt_out").selectAll().execute();
    expect(JSON.stringify(optOut)).not.toContain("1001");
  });
});

describe("retention", () => {
  it("anonymises children with no activity for three years, and is idempotent", async () => {
    const { north } = areas;
    const old = new Date("2023-06-01T10:00:00Z");
    const stale = await register(people.guardian!, { givenName: "Hen", familyName: "Plentyn" });
    const activeOld = await register(people.guardian!, { givenName: "Prysur", familyName: "Plentyn" });
    // created_at is never updated by the app; the test ages the rows by hand.
    await db
      .updateTable("child")
      .set({ created_at: old } as never)
      .where("id", "in", [stale, activeOld])
      .execute();
    await db.updateTable("child_consent").set({ given_at: old }).where("child_id", "in", [stale, activeOld]).execute();
    await db
      .insertInto("credit")
      .values({
        area_id: north.id,
        child_id: activeOld,
        provider_id: north.providers[0]!.id,
        activity_id: north.activities[0]!.id,
        session_id: north.sessions[0]!.id,
        quarter_hours: 4,
        earned_on: "2026-10-01",
        method: "passport_scan",
        idempotency_key: "recent-activity",
      })
      .execute();
    const later = new Date("2026-07-01T03:00:00Z");
    const first = await runRetention(db, later);
    expect(first.anonymised).toBeGreaterThanOrEqual(1);
    const statuses = await db.selectFrom("child").select(["id", "status", "withdrawn_reason", "given_name"]).where("id", "in", [stale, activeOld]).execute();
    expect(statuses.find((row) => row.id === stale)).toMatchObject({ status: "withdrawn", withdrawn_reason: "retention", given_name: null });
    expect(statuses.find((row) => row.id === activeOld)).toMatchObject({ status: "active" });
    const second = await runRetention(db, later);
    expect(second.anonymised).toBe(0);
    expect(
      (await db.selectFrom("audit_event").select("id").where("subject_id", "=", stale).where("action", "=", "child_anonymised_retention").execute()).length,
    ).toBe(1);
  });

  it("expires roster previews left for more than a day", async () => {
    const preview = await previewRoster(db, people.school1!.m, new TextEncoder().encode(rosterCsv(["3001,Begw,Owen,01/01/2016,4,LL11 1AA,,4M"])), NOW);
    if (!preview.ok) throw new Error("preview failed");
    await runRetention(db, new Date(NOW.getTime() + 25 * 60 * 60 * 1000));
    const row = await db.selectFrom("roster_import").select(["status", "pending_rows"]).where("id", "=", preview.importId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "expired", pending_rows: null });
  });
});

describe("a pupil waiting for a 2021 LSOA", () => {
  it("places a pupil who waits on a split 2011 LSOA when the school's next roster gives the postcode, which it forgets again", async () => {
    await db
      .insertInto("postcode_lsoa")
      .values({ postcode: "LL13 9SB", lsoa_code: "W01000383", lsoa21_code: "W01001971" })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const first = await previewRoster(db, people.school0!.m, new TextEncoder().encode(rosterCsv(["7301,Tirion,Roberts,04/05/2016,4,,N,4H"])), NOW);
    if (!first.ok) throw new Error("preview failed");
    await importRoster(db, people.school0!.m, first.importId, { familiesInformed: true, shareFsm: false }, NOW);
    const pupil = await db.selectFrom("child").select("id").where("school_pupil_ref", "=", "7301").executeTakeFirstOrThrow();
    // As the move to 2021 LSOAs left a child of Holt 1: the 2011 code only.
    await db.updateTable("child").set({ home_lsoa_code: "W01000383", home_lsoa21_code: null }).where("id", "=", pupil.id).execute();
    const next = await previewRoster(db, people.school0!.m, new TextEncoder().encode(rosterCsv(["7301,Tirion,Roberts,04/05/2016,4,LL13 9SB,N,4H"])), NOW);
    if (!next.ok) throw new Error("preview failed");
    expect(await importRoster(db, people.school0!.m, next.importId, { familiesInformed: true, shareFsm: false }, NOW)).toMatchObject({ ok: true, updated: 1 });
    const row = await db.selectFrom("child").selectAll().where("id", "=", pupil.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ home_lsoa_code: "W01000383", home_lsoa21_code: "W01001971" });
    expect(JSON.stringify(row)).not.toMatch(/LL13/i);
    // A row with no postcode leaves the place found alone.
    const blank = await previewRoster(db, people.school0!.m, new TextEncoder().encode(rosterCsv(["7301,Tirion,Roberts,04/05/2016,4,,N,4H"])), NOW);
    if (!blank.ok) throw new Error("preview failed");
    await importRoster(db, people.school0!.m, blank.importId, { familiesInformed: true, shareFsm: false }, NOW);
    expect(await db.selectFrom("child").select(["home_lsoa_code", "home_lsoa21_code"]).where("id", "=", pupil.id).executeTakeFirstOrThrow()).toEqual({
      home_lsoa_code: "W01000383",
      home_lsoa21_code: "W01001971",
    });
  });
});
