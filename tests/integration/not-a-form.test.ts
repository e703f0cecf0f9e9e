import { readdirSync, readFileSync } from "node:fs";
import type { ActionFunction, AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships } from "~/modules/accounts/actor.server";
import { authenticate } from "~/modules/accounts/auth.server";
import { hashSecretToken } from "~/modules/accounts/secret-token.server";
import { createChildCard, signInChild } from "~/modules/children/child-sign-in.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { projectPath } from "~/modules/project-path.server";
import { contextFor, createPerson, insertGraduation, seedTwoAreas, signedOutContext } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";

/**
 * Every form action of the app, sent what no form of ours sends, by everyone who might send
 * it: never a 500. Whoever gets as far as the form is answered 415 (not a form) or 400 (a
 * multipart body that does not parse), with the language for the error page.
 */

let db: DB;
let close: () => Promise<void>;
let contexts: Record<string, AppLoadContext>;
let params: Record<string, string>;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  const { north } = await seedTwoAreas(db);
  const people = {
    coordinator: await createPerson(db, { email: "form-coordinator@test.example", areaId: north.id, role: "coordinator" }),
    owner: await createPerson(db, { email: "form-owner@test.example", areaId: north.id, role: "provider_owner", providerId: north.providers[0]!.id }),
    school: await createPerson(db, { email: "form-school@test.example", areaId: north.id, role: "school", schoolId: north.schools[0]!.id }),
    guardian: await createPerson(db, { email: "form-guardian@test.example", areaId: north.id, role: "guardian", childIds: [north.children[0]!.id] }),
  };
  contexts = { signedOut: signedOutContext };
  for (const [name, person] of Object.entries(people)) contexts[name] = await contextFor(db, person.userId, person.membershipId);
  // A child signed in with their own card (issue 16), for the child's own forms.
  const [guardianMembership] = await loadMemberships(db, people.guardian.userId);
  const card = await createChildCard(db, guardianMembership!, north.children[0]!.id, ["cat", "dog", "cat", "dog"]);
  const childSignIn = await signInChild(db, { code: card.code, pictures: ["cat", "dog", "cat", "dog"] }, "127.0.0.1");
  if (!childSignIn.ok) throw new Error("The child could not sign in");
  contexts.child = { signedIn: (await authenticate(db, childSignIn.setCookie.split(";")[0])).signedIn, cspNonce: "test", clientAddress: "127.0.0.1" };
  const graduationId = await insertGraduation(db, north.id, people.coordinator.userId);
  // A token that opens something: a Learning Destination's application status page.
  const token = "t".repeat(43);
  await db
    .updateTable("provider")
    .set({ application_token_hash: hashSecretToken(token) })
    .where("id", "=", north.providers[1]!.id)
    .execute();
  params = {
    token,
    providerId: north.providers[0]!.id,
    activityId: north.activities[0]!.id,
    sessionId: north.sessions[0]!.id,
    childId: north.children[0]!.id,
    graduationId,
    "*": "credits",
  };
}, 120_000);
afterAll(async () => close());

const BODIES = [
  { contentType: "text/plain", body: "email=a@b.c&intent=create", status: 415 },
  { contentType: "application/json", body: '{"intent":"create","child":["x"]}', status: 415 },
  { contentType: "multipart/form-data; boundary=zzz", body: '--zzz\r\nContent-Disposition: form-data; name="roster"\r\n\r\nunterminated', status: 400 },
] as const;

/** What `data(...)` makes (thrown or returned), told apart as Remix does. */
function isData(value: unknown): value is { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null } {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "DataWithResponseInit";
}

/** The answer's status (200 for plain returned data) and, when it carries one, the error page's language. */
async function outcome(action: ActionFunction, request: Request, context: AppLoadContext, routeParams: Record<string, string>) {
  const read = (value: unknown) => {
    if (value instanceof Response) return { status: value.status, lang: null };
    if (isData(value)) return { status: value.init?.status ?? 200, lang: (value.data as { lang?: string } | null)?.lang ?? null };
    return { status: 200, lang: null };
  };
  try {
    return read(await action({ request, params: routeParams, context }));
  } catch (thrown) {
    if (thrown instanceof Response || isData(thrown)) return read(thrown);
    return { status: 500, lang: null, error: String(thrown) };
  }
}

const routeFiles = readdirSync(projectPath("app/routes")).filter((name) => /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name));

describe("a POST that is not a form", () => {
  it("is never a 500 on any action, and is refused 415 or 400 by every form action", async () => {
    const failures: string[] = [];
    const refusedBy = new Map<string, Set<number>>();
    const formActions: string[] = [];
    for (const file of routeFiles) {
      const module = (await import(projectPath("app/routes", file))) as { action?: ActionFunction };
      if (!module.action) continue;
      // The others read no form (sign-out, JSON APIs): they must still never fail.
      // A form action reads its form through the one layer (ADR 0037): readFormData, or readForm / readValues on top of it.
      if (/\b(readFormData|readForm|readValues)\(/.test(readFileSync(projectPath("app/routes", file), "utf8"))) formActions.push(file);
      for (const [who, context] of Object.entries(contexts)) {
        for (const { contentType, body, status } of BODIES) {
          const request = new Request("http://pasbort.test/somewhere?lang=cy", { method: "POST", body, headers: { "Content-Type": contentType } });
          const answer = await outcome(module.action, request, context, params);
          if (answer.status >= 500) failures.push(`${file} as ${who}, ${contentType}: ${"error" in answer ? answer.error : answer.status}`);
          if (answer.status === status && answer.lang === "cy") refusedBy.set(file, new Set([...(refusedBy.get(file) ?? []), status]));
        }
      }
    }
    expect(failures).toEqual([]);
    expect(formActions.length).toBeGreaterThan(30);
    // Each form action was reached by someone and refused both kinds, in the language asked for.
    const unrefused = formActions.filter((file) => !(refusedBy.get(file)?.has(415) && refusedBy.get(file)?.has(400)));
    expect(unrefused).toEqual([]);
  });

  it("on the pages named in the review: /login, /provider/tokens, /coordinator/invitations, /school/roster", async () => {
    const cases = [
      ["login.tsx", "signedOut"],
      ["provider.tokens.tsx", "owner"],
      ["coordinator.invitations.tsx", "coordinator"],
      ["school.roster.tsx", "school"],
    ] as const;
    for (const [file, who] of cases) {
      const { action } = (await import(projectPath("app/routes", file))) as { action: ActionFunction };
      for (const { contentType, body, status } of BODIES) {
        for (const lang of ["cy", "en"] as const) {
          const request = new Request(`http://pasbort.test/page?lang=${lang}`, { method: "POST", body, headers: { "Content-Type": contentType } });
          expect(await outcome(action, request, contexts[who]!, params), `${file} ${contentType}`).toEqual({ status, lang });
        }
      }
    }
  });
});
