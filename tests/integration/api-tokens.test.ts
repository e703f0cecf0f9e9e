import { existsSync } from "node:fs";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import { authenticateApiToken, createApiToken, listApiTokens, revokeApiToken } from "~/modules/accounts/api-tokens.server";
import { hashSecretToken } from "~/modules/accounts/secret-token.server";
import { requireApiClient } from "~/modules/api/api-auth.server";
import { apiHandler } from "~/modules/api/errors.server";
import { openApiDocument } from "~/modules/api/openapi";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { translator } from "~/modules/i18n/i18n";
import { action as unknownApiAction, loader as unknownApiLoader } from "~/routes/api.v1.$";
import { loader as openApiLoader } from "~/routes/api.v1.openapi[.]json";
import { action as providerApiAction, loader as providerApiLoader } from "~/routes/api.v1.provider";
import { action as coordinatorTokensAction, loader as coordinatorTokensLoader } from "~/routes/coordinator.providers.$providerId.tokens";
import { action as providerTokensAction, loader as providerTokensLoader } from "~/routes/provider.tokens";
import { contextFor, createPerson, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
const people: Record<string, { userId: string; membership: Membership; context: AppLoadContext }> = {};

const BASE = "http://pasbort.test";
const get = (path: string, headers: Record<string, string> = {}) => new Request(`${BASE}${path}`, { headers });
const post = (path: string, fields: Record<string, string>) => new Request(`${BASE}${path}`, { method: "POST", body: new URLSearchParams(fields) });
const bearer = (token: string, extra: Record<string, string> = {}) => ({ Authorization: `Bearer ${token}`, ...extra });

/** What a route returned with `data(...)`: its payload and response init. */
function unwrap<T>(result: unknown): { data: T; status: number; headers: Headers } {
  const wrapped = result as { type?: string; data: T; init: ResponseInit | null };
  expect(wrapped.type).toBe("DataWithResponseInit");
  return { data: wrapped.data, status: wrapped.init?.status ?? 200, headers: new Headers(wrapped.init?.headers) };
}

async function callProviderApi(headers: Record<string, string>, path = "/api/v1/provider") {
  return (await providerApiLoader({ request: get(path, headers), context: signedOutContext, params: {} })) as Response;
}

/** Checks the API's error shape, exactly: {"error":{"code","message"}} and nothing else. */
async function expectApiError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(Object.keys(body.error).sort()).toEqual(["code", "message"]);
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(5);
  return body;
}

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  const { north, south } = areas;
  const specs = {
    owner0: { areaId: north.id, role: "provider_owner", providerId: north.providers[0]!.id },
    owner1: { areaId: north.id, role: "provider_owner", providerId: north.providers[1]!.id },
    member0: { areaId: north.id, role: "provider_member", providerId: north.providers[0]!.id },
    coordinator: { areaId: north.id, role: "coordinator" },
    southCoordinator: { areaId: south.id, role: "coordinator" },
    viewer: { areaId: north.id, role: "viewer" },
    school: { areaId: north.id, role: "school", schoolId: north.schools[0]!.id },
  } as const;
  for (const [name, spec] of Object.entries(specs)) {
    const person = await createPerson(db, { email: `${name.toLowerCase()}@tokens.example`, ...spec });
    const [membership] = await loadMemberships(db, person.userId);
    people[name] = { userId: person.userId, membership: membership!, context: await contextFor(db, person.userId, person.membershipId) };
  }
});
afterAll(async () => close());

describe("creating a token", () => {
  it("shows the plain token once, in the action's answer, and stores only its hash", async () => {
    const result = await providerTokensAction({
      request: post("/provider/tokens", { intent: "create", name: "  Front desk tablet  " }),
      context: people.owner0!.context,
      params: {},
    });
    const { data, status, headers } = unwrap<{ intent: string; ok: boolean; created: { id: string; name: string; token: string } }>(result);
    expect(status).toBe(200);
    expect(headers.get("Cache-Control")).toBe("no-store");
    expect(data.created.name).toBe("Front desk tablet");
    const token = data.created.token;
    expect(token).toMatch(/^pbt_[A-Za-z0-9_-]{43}$/);

    const rows = await db.selectFrom("api_token").selectAll().where("id", "=", data.created.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      provider_id: areas.north.providers[0]!.id,
      area_id: areas.north.id,
      token_hash: hashSecretToken(token),
      token_hint: token.slice(-4),
      created_by: people.owner0!.userId,
      revoked_at: null,
    });
    // Nowhere in the database: not in the token table, not in the audit trail.
    const secret = token.slice(4);
    const everything = JSON.stringify([await db.selectFrom("api_token").selectAll().execute(), await db.selectFrom("audit_event").selectAll().execute()]);
    expect(everything).not.toContain(secret);

    // Never retrievable again: the page lists the token by name and hint only.
    const page = await providerTokensLoader({ request: get("/provider/tokens"), context: people.owner0!.context, params: {} });
    expect(JSON.stringify(page)).not.toContain(secret);
    expect(page.tokens.find((row) => row.id === data.created.id)).toMatchObject({
      name: "Front desk tablet",
      token_hint: token.slice(-4),
      last_used_at: null,
      revoked_at: null,
    });
  });

  it("asks for a name, and keeps what was typed when it is too long", async () => {
    const empty = unwrap<{ ok: boolean; errors: Record<string, string> }>(
      await providerTokensAction({ request: post("/provider/tokens", { intent: "create", name: "   " }), context: people.owner0!.context, params: {} }),
    );
    expect(empty.status).toBe(400);
    expect(empty.data.errors).toEqual({ name: "apiTokens.nameRequired" });
    const long = unwrap<{ ok: boolean; errors: Record<string, string>; values: Record<string, string> }>(
      await providerTokensAction({
        request: post("/provider/tokens", { intent: "create", name: "x".repeat(81) }),
        context: people.owner0!.context,
        params: {},
      }),
    );
    expect(long.data.errors).toEqual({ name: "apiTokens.nameTooLong" });
    expect(long.data.values.name).toBe("x".repeat(81));
  });

  it("records creation and revocation in the audit trail of the area", async () => {
    const created = await createApiToken(db, people.owner0!.membership, areas.north.providers[0]!.id, { name: "Audited" });
    await revokeApiToken(db, people.coordinator!.membership, areas.north.providers[0]!.id, created.id);
    await revokeApiToken(db, people.coordinator!.membership, areas.north.providers[0]!.id, created.id);
    const events = await db.selectFrom("audit_event").selectAll().where("subject_id", "=", created.id).orderBy("id").execute();
    expect(events.map((event) => [event.action, event.actor_user_id, event.area_id, event.subject_type])).toEqual([
      ["api_token_created", people.owner0!.userId, areas.north.id, "api_token"],
      ["api_token_revoked", people.coordinator!.userId, areas.north.id, "api_token"],
    ]);
    expect(JSON.stringify(events)).not.toContain(created.token.slice(4));
  });
});

describe("who may manage tokens", () => {
  it("refuses provider staff (403), on the page and in the module", async () => {
    const page = await settle(providerTokensLoader({ request: get("/provider/tokens"), context: people.member0!.context, params: {} }));
    expect((page as Response).status).toBe(403);
    const create = await settle(
      providerTokensAction({ request: post("/provider/tokens", { intent: "create", name: "Sneaky" }), context: people.member0!.context, params: {} }),
    );
    expect((create as Response).status).toBe(403);
    const direct = await settle(createApiToken(db, people.member0!.membership, areas.north.providers[0]!.id, { name: "Sneaky" }));
    expect((direct as Response).status).toBe(403);
    expect(await db.selectFrom("api_token").select("id").where("name", "=", "Sneaky").execute()).toEqual([]);
  });

  it("refuses other roles: viewer, school coordinator, and signed-out visitors are sent to sign in", async () => {
    for (const name of ["viewer", "school"]) {
      const mine = await settle(providerTokensLoader({ request: get("/provider/tokens"), context: people[name]!.context, params: {} }));
      expect((mine as Response).status, name).toBe(403);
      const theirs = await settle(
        coordinatorTokensLoader({ request: get("/"), context: people[name]!.context, params: { providerId: areas.north.providers[0]!.id } }),
      );
      expect((theirs as Response).status, name).toBe(403);
    }
    const signedOut = await settle(providerTokensLoader({ request: get("/provider/tokens"), context: signedOutContext, params: {} }));
    expect((signedOut as Response).status).toBe(302);
    expect((signedOut as Response).headers.get("Location")).toBe("/login?redirectTo=%2Fprovider%2Ftokens");
  });

  it("lets an owner manage only their own provider's tokens (another provider's: 404)", async () => {
    const owner0 = people.owner0!.membership;
    const otherProvider = areas.north.providers[1]!.id;
    expect(((await settle(createApiToken(db, owner0, otherProvider, { name: "Not mine" }))) as Response).status).toBe(404);
    expect(((await settle(listApiTokens(db, owner0, otherProvider))) as Response).status).toBe(404);

    const theirs = await createApiToken(db, people.owner1!.membership, otherProvider, { name: "Provider 1 tablet" });
    // Through the page: the owner's provider is fixed, so another provider's token id is simply not found.
    const viaPage = await settle(
      providerTokensAction({ request: post("/provider/tokens", { intent: "revoke", tokenId: theirs.id }), context: people.owner0!.context, params: {} }),
    );
    expect((viaPage as Response).status).toBe(404);
    expect(((await settle(revokeApiToken(db, owner0, otherProvider, theirs.id))) as Response).status).toBe(404);
    expect(((await settle(revokeApiToken(db, owner0, owner0.providerId!, theirs.id))) as Response).status).toBe(404);
    expect(((await settle(revokeApiToken(db, owner0, owner0.providerId!, "not-a-uuid"))) as Response).status).toBe(404);
    expect(await authenticateApiToken(db, theirs.token)).not.toBeNull();
  });

  it("lets a coordinator manage any provider of their area, and no other area's (404)", async () => {
    const northProvider = areas.north.providers[1]!.id;
    const southProvider = areas.south.providers[0]!.id;
    const created = unwrap<{ created: { id: string; token: string } }>(
      await coordinatorTokensAction({
        request: post(`/coordinator/providers/${northProvider}/tokens`, { intent: "create", name: "Coordinator-made" }),
        context: people.coordinator!.context,
        params: { providerId: northProvider },
      }),
    );
    expect(await authenticateApiToken(db, created.data.created.token)).toMatchObject({ providerId: northProvider, areaId: areas.north.id });
    const page = await coordinatorTokensLoader({ request: get("/"), context: people.coordinator!.context, params: { providerId: northProvider } });
    expect(page.provider.id).toBe(northProvider);
    expect(page.tokens.map((token) => token.name)).toContain("Coordinator-made");

    const southToken = await createApiToken(db, people.southCoordinator!.membership, southProvider, { name: "South tablet" });
    const ctx = people.coordinator!.context;
    const list = await settle(coordinatorTokensLoader({ request: get("/"), context: ctx, params: { providerId: southProvider } }));
    expect((list as Response).status).toBe(404);
    const create = await settle(
      coordinatorTokensAction({ request: post("/", { intent: "create", name: "Intruder" }), context: ctx, params: { providerId: southProvider } }),
    );
    expect((create as Response).status).toBe(404);
    const revoke = await settle(
      coordinatorTokensAction({ request: post("/", { intent: "revoke", tokenId: southToken.id }), context: ctx, params: { providerId: southProvider } }),
    );
    expect((revoke as Response).status).toBe(404);
    // Nor by pairing a provider of their own area with a token of the other area.
    const crossed = await settle(
      coordinatorTokensAction({ request: post("/", { intent: "revoke", tokenId: southToken.id }), context: ctx, params: { providerId: northProvider } }),
    );
    expect((crossed as Response).status).toBe(404);
    expect(await authenticateApiToken(db, southToken.token)).not.toBeNull();
    const garbage = await settle(coordinatorTokensLoader({ request: get("/"), context: ctx, params: { providerId: "x' or '1'='1" } }));
    expect((garbage as Response).status).toBe(404);
  });
});

describe("the API with a bearer token", () => {
  it("answers GET /api/v1/provider with the token's provider and its activities", async () => {
    const { north } = areas;
    const token = await createApiToken(db, people.owner0!.membership, north.providers[0]!.id, { name: "Reader" });
    const response = await callProviderApi(bearer(token.token));
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const stored = await db.selectFrom("provider").selectAll().where("id", "=", north.providers[0]!.id).executeTakeFirstOrThrow();
    expect(await response.json()).toEqual({
      id: north.providers[0]!.id,
      name: "north provider 1",
      name_cy: null,
      status: "validated",
      validatedUntil: stored.validated_until,
      activities: [{ id: north.activities[0]!.id, title_en: "Football", title_cy: null }],
    });
  });

  it("records when a token was last used, at most once a minute", async () => {
    const token = await createApiToken(db, people.owner0!.membership, areas.north.providers[0]!.id, { name: "Clock" });
    const lastUsed = async () => (await db.selectFrom("api_token").select("last_used_at").where("id", "=", token.id).executeTakeFirstOrThrow()).last_used_at;
    const start = new Date("2026-11-01T10:00:00Z");
    await authenticateApiToken(db, token.token, start);
    expect(await lastUsed()).toEqual(start);
    await authenticateApiToken(db, token.token, new Date(start.getTime() + 30_000));
    expect(await lastUsed()).toEqual(start);
    const later = new Date(start.getTime() + 90_000);
    await authenticateApiToken(db, token.token, later);
    expect(await lastUsed()).toEqual(later);
  });

  it("never shows one provider another's data: each token sees only its own provider, whatever the request says", async () => {
    const { north, south } = areas;
    const a = await createApiToken(db, people.owner0!.membership, north.providers[0]!.id, { name: "A" });
    const b = await createApiToken(db, people.owner1!.membership, north.providers[1]!.id, { name: "B" });
    const s = await createApiToken(db, people.southCoordinator!.membership, south.providers[0]!.id, { name: "S" });
    for (const [token, provider, activity] of [
      [a, north.providers[0]!, north.activities[0]!],
      [b, north.providers[1]!, north.activities[1]!],
      [s, south.providers[0]!, south.activities[0]!],
    ] as const) {
      const response = await callProviderApi(bearer(token.token), `/api/v1/provider?providerId=${north.providers[1]!.id}&area_id=${south.id}`);
      const body = (await response.json()) as { id: string; activities: Array<{ id: string }> };
      expect(body.id).toBe(provider.id);
      expect(body.activities.map((row) => row.id)).toEqual([activity.id]);
    }
  });

  it("refuses a request with no token: 401, WWW-Authenticate: Bearer, the error shape", async () => {
    const response = await callProviderApi({});
    expect(response.headers.get("WWW-Authenticate")).toBe('Bearer realm="pasbort"');
    const body = await expectApiError(response, 401, "UNAUTHORIZED");
    expect(body.error.message).toBe(translator("en")("api.errors.missingToken"));
    // Another scheme is no bearer token either.
    const basic = await callProviderApi({ Authorization: "Basic dXNlcjpwYXNz" });
    await expectApiError(basic, 401, "UNAUTHORIZED");
    expect(basic.headers.get("WWW-Authenticate")).toBe('Bearer realm="pasbort"');
  });

  it("refuses garbage and unknown tokens alike: 401 invalid_token", async () => {
    const unknown = `pbt_${"A".repeat(43)}`;
    for (const presented of ["garbage", unknown, "pbt_", `pbt_${"x".repeat(500)}`, "' or 1=1 --"]) {
      const response = await callProviderApi(bearer(presented));
      const body = await expectApiError(response, 401, "UNAUTHORIZED");
      expect(response.headers.get("WWW-Authenticate")).toBe('Bearer realm="pasbort", error="invalid_token"');
      expect(body.error.message).toBe(translator("en")("api.errors.invalidToken"));
    }
    await expectApiError(await callProviderApi({ Authorization: "Bearer " }), 401, "UNAUTHORIZED");
  });

  it("stops a revoked token at once", async () => {
    const providerId = areas.north.providers[0]!.id;
    const token = await createApiToken(db, people.owner0!.membership, providerId, { name: "Lost phone" });
    expect((await callProviderApi(bearer(token.token))).status).toBe(200);
    const revoked = unwrap<{ revoked: { name: string } }>(
      await providerTokensAction({ request: post("/provider/tokens", { intent: "revoke", tokenId: token.id }), context: people.owner0!.context, params: {} }),
    );
    expect(revoked.data.revoked.name).toBe("Lost phone");
    await expectApiError(await callProviderApi(bearer(token.token)), 401, "UNAUTHORIZED");
    const row = await db.selectFrom("api_token").select(["revoked_at", "revoked_by"]).where("id", "=", token.id).executeTakeFirstOrThrow();
    expect(row.revoked_at).toBeInstanceOf(Date);
    expect(row.revoked_by).toBe(people.owner0!.userId);
    const page = await providerTokensLoader({ request: get("/provider/tokens"), context: people.owner0!.context, params: {} });
    expect(page.tokens.find((row) => row.id === token.id)?.revoked_at).toBeInstanceOf(Date);
  });

  it("ignores a signed-in session: the API takes bearer tokens only", async () => {
    const response = await settle(requireApiClient(db, get("/api/v1/provider", { Cookie: "pasbort_session=whatever" })));
    expect((response as Response).status).toBe(401);
  });

  it("answers in Welsh when the client asks for Welsh", async () => {
    const response = await callProviderApi({ "Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5" });
    const body = await expectApiError(response, 401, "UNAUTHORIZED");
    expect(body.error.message).toBe(translator("cy")("api.errors.missingToken"));
    expect(body.error.message).not.toBe(translator("en")("api.errors.missingToken"));
    expect(response.headers.get("Content-Language")).toBe("cy");
  });
});

describe("the rest of /api/v1", () => {
  it("answers unknown addresses with a JSON 404 NOT_FOUND, for any method", async () => {
    const missing = (await unknownApiLoader({
      request: get("/api/v1/passports/123"),
      context: signedOutContext,
      params: { "*": "passports/123" },
    })) as Response;
    await expectApiError(missing, 404, "NOT_FOUND");
    const posted = (await unknownApiAction({ request: post("/api/v1/nothing", {}), context: signedOutContext, params: { "*": "nothing" } })) as Response;
    await expectApiError(posted, 404, "NOT_FOUND");
    const welsh = (await unknownApiLoader({
      request: get("/api/v1/x", { "Accept-Language": "cy" }),
      context: signedOutContext,
      params: { "*": "x" },
    })) as Response;
    expect((await welsh.json()).error.message).toBe(translator("cy")("api.errors.notFound"));
  });

  it("refuses methods an address does not take with 405 and Allow", async () => {
    const response = (await providerApiAction({ request: post("/api/v1/provider", {}), context: signedOutContext, params: {} })) as Response;
    await expectApiError(response, 405, "METHOD_NOT_ALLOWED");
    expect(response.headers.get("Allow")).toBe("GET");
  });

  it("turns an unexpected failure into a JSON 500, not an HTML page", async () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (error: unknown) => errors.push(error);
    try {
      const response = await apiHandler(get("/api/v1/provider"), async () => {
        throw new Error("database fell over");
      });
      await expectApiError(response, 500, "INTERNAL_ERROR");
      expect(errors).toHaveLength(1);
    } finally {
      console.error = original;
    }
  });

  it("serves an OpenAPI 3.1 document that describes bearer auth, the error shape and only endpoints that exist", async () => {
    const response = openApiLoader();
    expect(response.status).toBe(200);
    const doc = (await response.json()) as typeof openApiDocument;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.schemas.Error.required).toEqual(["error"]);
    expect(doc.paths["/provider"].get.responses["401"]).toEqual({ $ref: "#/components/responses/Unauthorized" });
    // Every described path has its route file: no placeholders for endpoints still to come.
    for (const path of Object.keys(doc.paths)) {
      const file = `app/routes/api.v1.${path
        .slice(1)
        .replaceAll("/", ".")
        .replace(/\{(\w+)\}/g, "$$$1")
        .replace(/\.json$/, "[.]json")}.ts`;
      expect(existsSync(file), file).toBe(true);
    }
    // Every $ref points at something that is there.
    const refs = JSON.stringify(doc).match(/"#\/components\/[^"]+"/g) ?? [];
    for (const ref of refs) {
      const target = ref
        .slice(3, -1)
        .split("/")
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      expect(target, ref).toBeDefined();
    }
  });
});
