import type { ActionFunction, AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadActor, loadMemberships } from "~/modules/accounts/actor.server";
import { createLetters, inviteSecondGuardian } from "~/modules/children/guardian-links.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { receivedKey, translator } from "~/modules/i18n/i18n";
import { action as accountAction } from "~/routes/account";
import { action as cardAction } from "~/routes/children.$childId_.sign-in-card";
import { action as typedCodeAction } from "~/routes/claim._index";
import { action as revokeAction } from "~/routes/coordinator.certificates.$certificateId";
import { action as guardianHomeAction } from "~/routes/guardian._index";
import { action as withdrawAction } from "~/routes/guardian.children.$childId.withdraw";
import { action as inviteAction } from "~/routes/invite.$token";
import { action as linkByTokenAction } from "~/routes/link-child.$token";
import { action as linkByCodeAction } from "~/routes/link-child._index";
import { action as flaggedAction } from "~/routes/coordinator.awards.flagged";
import { action as ladderAction } from "~/routes/coordinator.awards._index";
import { action as graduationAction } from "~/routes/coordinator.graduations.$graduationId";
import { action as newChildAction } from "~/routes/guardian.children.new";
import { action as claimsAction } from "~/routes/provider.claims";
import { action as codeAction } from "~/routes/provider.sessions.$sessionId_.code";
import { action as transferAction } from "~/routes/coordinator.transfer._index";
import { action as impactAction } from "~/routes/reports.impact";
import { action as verifyAction } from "~/routes/verify._index";
import { contextFor, createPerson, insertGraduation, seedTwoAreas, signedOutContext } from "../support/fixtures";
import { lastMailTo, openMailbox } from "../support/outbox";
import { unwrap } from "../support/route-result";
import { createTestDatabase } from "../support/test-database";

/**
 * The forms whose every field has a fallback (a tick, a choice, an id the module checks), read
 * with readValues (ADR 0037): what a person can get wrong is answered with a 400 and a message
 * the page shows in Welsh and English, what was typed kept; what no form of ours sends (a file
 * where text belongs) is a 400 in the person's language, never a 500.
 */

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
const contexts: Record<string, AppLoadContext> = {};
let graduationId: string;

const url = (path: string) => `http://pasbort.test${path}`;
function post(path: string, fields: Record<string, string>, file?: { name: string; blob: Blob }) {
  let body: FormData | URLSearchParams = new URLSearchParams(fields);
  if (file) {
    body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.set(name, value);
    body.set(file.name, file.blob);
  }
  return new Request(url(path), { method: "POST", body });
}

/** What the action returned or threw, as a test reads it. */
async function answer(action: ActionFunction, request: Request, context: AppLoadContext, params: Record<string, string> = {}) {
  try {
    return unwrap(await action({ request, context, params }));
  } catch (thrown) {
    return unwrap(thrown);
  }
}

/** A message the page shows: a key both languages have, worded in each. */
function inBothLanguages(key: string) {
  const [cy, en] = [translator("cy")(receivedKey(key)), translator("en")(receivedKey(key))];
  expect(cy).not.toBe(key);
  expect(en).not.toBe(key);
  expect(cy).not.toBe(en);
}

beforeAll(async () => {
  openMailbox();
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  const { north } = areas;
  const people = {
    guardian: await createPerson(db, { email: "fallback-guardian@test.example", areaId: north.id, role: "guardian", childIds: [north.children[1]!.id] }),
    linker: await createPerson(db, { email: "fallback-linker@test.example", areaId: north.id, role: "guardian" }),
    second: await createPerson(db, { email: "fallback-second@test.example", areaId: north.id, role: "viewer" }),
    school: await createPerson(db, { email: "fallback-school@test.example", areaId: north.id, role: "school", schoolId: north.schools[0]!.id }),
    coordinator: await createPerson(db, { email: "fallback-coordinator@test.example", areaId: north.id, role: "coordinator" }),
    owner: await createPerson(db, { email: "fallback-owner@test.example", areaId: north.id, role: "provider_owner", providerId: north.providers[0]!.id }),
  };
  for (const [name, person] of Object.entries(people)) contexts[name] = await contextFor(db, person.userId, person.membershipId);
  graduationId = await insertGraduation(db, north.id, people.coordinator.userId);
});

afterAll(async () => {
  await close();
});

describe("withdrawing a child", () => {
  it("asks for the confirmation box (400, in both languages), then withdraws", async () => {
    const childId = areas.north.children[1]!.id;
    const unticked = await answer(withdrawAction, post(`/guardian/children/${childId}/withdraw`, {}), contexts.guardian!, { childId });
    expect(unticked.status).toBe(400);
    expect(unticked.data).toEqual({ errors: { confirm: "dataRights.errors.confirmRequired" } });
    inBothLanguages("dataRights.errors.confirmRequired");
    // Anything but "yes" is not a confirmation.
    const other = await answer(withdrawAction, post(`/guardian/children/${childId}/withdraw`, { confirm: "on" }), contexts.guardian!, { childId });
    expect(other.status).toBe(400);
    const done = await answer(withdrawAction, post(`/guardian/children/${childId}/withdraw`, { confirm: "yes" }), contexts.guardian!, { childId });
    expect(done).toMatchObject({ status: 302, location: "/guardian?withdrawn=1" });
  });
});

describe("linking a child to a guardian", () => {
  it("by a letter's code: a blank or unknown code and a missing consent are each explained, the code kept", async () => {
    const [schoolMembership] = await loadMemberships(db, contexts.school!.signedIn!.user.id);
    const [letter] = await createLetters(db, schoolMembership!, {});
    const blank = await answer(linkByCodeAction, post("/link-child", { code: "  " }), contexts.linker!);
    expect(blank).toMatchObject({ status: 400, data: { errors: { code: "linkChild.errors.codeRequired" } } });
    inBothLanguages("linkChild.errors.codeRequired");
    const unknown = await answer(linkByCodeAction, post("/link-child", { code: "ZZZZ-ZZZZ" }), contexts.linker!);
    expect(unknown.status).toBe(400);
    expect(unknown.data.code).toBe("ZZZZ-ZZZZ");
    inBothLanguages(unknown.data.errors.code);
    const found = await answer(linkByCodeAction, post("/link-child", { code: letter!.code }), contexts.linker!);
    expect(found).toMatchObject({ status: 200, data: { code: letter!.code, givenName: letter!.givenName, errors: {} } });
    const noConsent = await answer(linkByCodeAction, post("/link-child", { code: letter!.code, intent: "link" }), contexts.linker!);
    expect(noConsent).toMatchObject({
      status: 400,
      data: { code: letter!.code, givenName: letter!.givenName, errors: { consent: "consent.errors.required" } },
    });
    inBothLanguages("consent.errors.required");
    const linked = await answer(linkByCodeAction, post("/link-child", { code: letter!.code, intent: "link", consent: "yes" }), contexts.linker!);
    expect(linked).toMatchObject({ status: 302, location: `/guardian/children/${letter!.childId}?welcome=1` });
  });

  it("by a second guardian's emailed link: consent is asked for (400, in both languages), then the child is shared", async () => {
    const guardian = await loadActor(db, contexts.guardian!.signedIn!);
    const childId = areas.north.children[0]!.id;
    await db.insertInto("guardian_child").values({ area_id: areas.north.id, user_id: guardian.userId, child_id: childId }).execute();
    const membership = guardian.membership;
    await inviteSecondGuardian(db, membership!, childId, { email: "fallback-second@test.example", language: "en" }, "https://pasbort.test");
    const token = lastMailTo("fallback-second@test.example").text.match(/link-child\/([A-Za-z0-9_-]+)/)![1]!;
    const noConsent = await answer(linkByTokenAction, post(`/link-child/${token}`, {}), contexts.second!, { token });
    expect(noConsent).toMatchObject({ status: 400, data: { errors: { consent: "consent.errors.required" } } });
    const linked = await answer(linkByTokenAction, post(`/link-child/${token}`, { consent: "yes" }), contexts.second!, { token });
    expect(linked).toMatchObject({ status: 302, location: `/guardian/children/${childId}?welcome=1` });
  });
});

describe("claiming with a typed code", () => {
  it("explains a code of the wrong shape (400, in both languages) and keeps what was typed", async () => {
    const wrong = await answer(typedCodeAction, post("/claim", { code: " 12ab " }), contexts.guardian!);
    expect(wrong).toMatchObject({ status: 400, data: { errors: { code: "claims.errors.codeFormat" }, value: "12ab" } });
    inBothLanguages("claims.errors.codeFormat");
  });
});

describe("what no form of ours sends", () => {
  it("a file where a text, tick or choice belongs is a 400 in the person's language, never a 500", async () => {
    const { north } = areas;
    const file = new Blob(["not text"], { type: "text/plain" });
    const cases: [string, ActionFunction, string, string, Record<string, string>][] = [
      ["account", accountAction, "guardian", "membershipId", {}],
      ["withdraw", withdrawAction, "guardian", "confirm", { childId: north.children[1]!.id }],
      ["link by code", linkByCodeAction, "linker", "code", {}],
      ["link by token", linkByTokenAction, "linker", "consent", { token: "t".repeat(43) }],
      ["guardian home", guardianHomeAction, "guardian", "childId", {}],
      ["sign-in card", cardAction, "guardian", "intent", { childId: north.children[1]!.id }],
      ["certificate revoke", revokeAction, "coordinator", "reason", { certificateId: "00000000-0000-4000-8000-000000000000" }],
      ["claims", claimsAction, "owner", "intent", {}],
      ["session code", codeAction, "owner", "intent", { sessionId: north.sessions[0]!.id }],
      ["typed claim code", typedCodeAction, "guardian", "code", {}],
      ["flagged awards", flaggedAction, "coordinator", "childId", {}],
      ["award ladder", ladderAction, "coordinator", "new-nameEn", {}],
      ["graduation", graduationAction, "coordinator", "intent", { graduationId }],
      ["new child", newChildAction, "guardian", "postcode", {}],
      ["records transfer", transferAction, "coordinator", "trust", {}],
      ["impact report publish", impactAction, "coordinator", "year", {}],
    ];
    for (const [what, action, who, field, params] of cases) {
      for (const lang of ["cy", "en"] as const) {
        const refused = await answer(action, post(`/form?lang=${lang}`, {}, { name: field, blob: file }), contexts[who]!, params);
        expect([what, lang, refused.status, refused.data?.lang]).toEqual([what, lang, 400, lang]);
      }
    }
    const invite = await answer(inviteAction, post("/invite/x?lang=cy", {}, { name: "intent", blob: file }), signedOutContext, { token: "x".repeat(43) });
    expect([invite.status, invite.data?.lang]).toEqual([400, "cy"]);
    const pasted = await answer(verifyAction, post("/verify?lang=cy", {}, { name: "credential", blob: file }), signedOutContext);
    expect([pasted.status, pasted.data?.lang]).toEqual([400, "cy"]);
  });
});
