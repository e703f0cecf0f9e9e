import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import type { AddressInfo } from "node:net";
import type { AppLoadContext } from "@remix-run/node";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import { credentialAtVerifyAddress, credentialMediaType } from "~/modules/certificates/badge-files.server";
import { issueCertificates } from "~/modules/certificates/certificates.server";
import { answerBeforePages } from "~/modules/http/direct-route.server";
import { exportChildData } from "~/modules/children/data-rights.server";
import {
  credentialSealingKey,
  CredentialKeyError,
  openSecretKey,
  rotateIssuerKey,
  rotateIssuerKeysOf,
  signingKey,
} from "~/modules/certificates/issuer-keys.server";
import { signCredential, storedCredential, type OpenBadgeCredential } from "~/modules/certificates/open-badges.server";
import { parseCredentialText, verifyBadgeCredential } from "~/modules/certificates/verify-badge.server";
import { DEMO_CREDENTIAL_KEY_SECRET } from "~/modules/db/config";
import { translator } from "~/modules/i18n/i18n";
import type { DB } from "~/modules/db/database.server";
import { projectPath } from "~/modules/project-path.server";
import { setDb } from "~/modules/db/db.server";
import { loader as publicCredentialLoader } from "~/routes/credentials.$certificateId";
import { loader as guardianJsonLoader } from "~/routes/guardian.children.$childId.certificates.$awardLevelId[.json]";
import { loader as verifyPageLoader } from "~/routes/verify.$certificateId";
import { action as verifyAction } from "~/routes/verify._index";
import { contextFor, createPerson, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { independentVerifier, publishedByRoutes } from "../support/independent-verifier";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";

/**
 * Open Badges 3.0 credentials (issue 17): what is issued for an award, checked by an
 * independent verifier (the Digital Credentials Consortium's fork of the stack, with its own
 * JSON-LD processor) using only what the app publishes (did:web document, status list); every
 * tamper case refused by the app's /verify check; revocation; key rotation; sealed keys; the
 * guardian's download and its refusals.
 */

let db: DB;
let close: () => Promise<void>;
let databaseUrlOf: string | null;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
type Person = { userId: string; context: AppLoadContext; m: Membership };
const people: Record<string, Person> = {};
const levels: Record<string, string> = {};
const ORIGIN = "https://pasbort.test";
/** A credential's JSON as the tamper cases edit it, any field at any depth. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tamper cases reach into arbitrary JSON
type EditableJson = Record<string, any>;

beforeAll(async () => {
  let url: string | null;
  ({ db, close, url } = await createTestDatabase());
  databaseUrlOf = url;
  setDb(db);
  areas = await seedTwoAreas(db);
  const { north, south } = areas;
  await db.updateTable("child").set({ given_name: "Siân", family_name: "Ŵyn" }).where("id", "=", north.children[0]!.id).execute();
  for (const [key, areaId, threshold, nameEn, nameCy] of [
    ["star", north.id, 30, "Our House Star", "Seren ein Tŷ Ni"],
    ["silver", north.id, 65, "Silver Undergraduate", "Israddedig Arian"],
    ["south", south.id, 30, "Bronze Undergraduate", "Israddedig Efydd"],
  ] as const) {
    const level = await db
      .insertInto("award_level")
      .values({ area_id: areaId, threshold_hours: threshold, name_en: nameEn, name_cy: nameCy, stage: "undergraduate", tier: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    levels[key] = level.id;
  }
  await db
    .insertInto("award")
    .values([
      { area_id: north.id, child_id: north.children[0]!.id, award_level_id: levels.star!, reached_on: "2026-10-01" },
      { area_id: north.id, child_id: north.children[0]!.id, award_level_id: levels.silver!, reached_on: "2026-10-20" },
      { area_id: north.id, child_id: north.children[1]!.id, award_level_id: levels.star!, reached_on: "2026-10-05" },
      { area_id: south.id, child_id: south.children[0]!.id, award_level_id: levels.south!, reached_on: "2026-10-02" },
    ])
    .execute();
  for (const [name, spec] of [
    ["guardian", { email: "guardian@badge.test", areaId: north.id, role: "guardian", childIds: [north.children[0]!.id] }],
    ["otherGuardian", { email: "other@badge.test", areaId: north.id, role: "guardian", childIds: [north.children[1]!.id] }],
    ["southGuardian", { email: "south@badge.test", areaId: south.id, role: "guardian", childIds: [south.children[0]!.id] }],
    ["coordinator", { email: "coord@badge.test", areaId: north.id, role: "coordinator" }],
  ] as const) {
    const person = await createPerson(db, spec);
    const [m] = await loadMemberships(db, person.userId);
    people[name] = { userId: person.userId, context: await contextFor(db, person.userId, person.membershipId), m: m! };
  }
});
afterAll(async () => close());

const north = () => areas.north;
const siân = () => areas.north.children[0]!.id;
const dafydd = () => areas.north.children[1]!.id;

async function issue(childId: string, awardLevelId: string, areaId = north().id) {
  const [certificate] = await issueCertificates(db, { areaId, awards: [{ childId, awardLevelId }], issuedBy: null, origin: ORIGIN });
  const credential = await storedCredential(db, certificate!.id);
  return { certificate: certificate!, credential: credential! };
}

// An independent verifier: its own libraries, and only what the app publishes over HTTP.
const { verify: independentlyVerify, revoked: publishedStatus } = independentVerifier();

/** A new award level of the north area, reached by the child now (so its certificate is signed now). */
async function freshAward(childId: string) {
  const level = await db
    .insertInto("award_level")
    .values({ area_id: north().id, threshold_hours: 100 + Object.keys(levels).length, name_en: "Gold", name_cy: "Aur", stage: "undergraduate", tier: null })
    .returning("id")
    .executeTakeFirstOrThrow();
  levels[`fresh-${level.id}`] = level.id;
  await db.insertInto("award").values({ area_id: north().id, child_id: childId, award_level_id: level.id, reached_on: "2026-11-01" }).execute();
  return level.id;
}

const methodOf = (credential: OpenBadgeCredential) => (credential.proof as { verificationMethod: string }).verificationMethod;

async function resign(credential: OpenBadgeCredential, change: (copy: OpenBadgeCredential) => void, key?: Awaited<ReturnType<typeof signingKey>>) {
  const { proof: _proof, ...copy } = structuredClone(credential);
  change(copy as OpenBadgeCredential);
  return signCredential(db, key ?? (await signingKey(db, north().id, ORIGIN)), copy as OpenBadgeCredential);
}

describe("an award's Open Badge", () => {
  it("is an OpenBadgeCredential of the award, in Welsh and English, naming the child only by a salted hash", async () => {
    const { certificate, credential } = await issue(siân(), levels.star!);
    const child = await db.selectFrom("child").select("passport_number").where("id", "=", siân()).executeTakeFirstOrThrow();
    expect(credential["@context"]).toEqual(["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]);
    expect(credential.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(credential.id).toBe(`${ORIGIN}/credentials/${certificate.id}`);
    expect(credential.issuer).toEqual({
      id: "did:web:pasbort.test:issuers:north",
      type: ["Profile"],
      name: "Ardal north · Area north",
      url: `${ORIGIN}/issuers/north`,
    });
    expect(credential.validFrom).toBe(certificate.issuedAt.toISOString().replace(/\.\d{3}Z$/, "Z"));
    expect(credential.awardedDate).toBe("2026-10-01T00:00:00Z");
    const subject = credential.credentialSubject as { type: string[]; identifier: Array<Record<string, unknown>>; achievement: Record<string, unknown> };
    expect(subject.type).toEqual(["AchievementSubject"]);
    expect(subject.achievement).toMatchObject({
      type: ["Achievement"],
      achievementType: "Award",
      name: "Seren ein Tŷ Ni · Our House Star",
      description: "30 awr o ddysgu · 30 hours of learning",
    });
    expect((subject.achievement.criteria as { narrative: string }).narrative).toContain("Record 30 hours of learning");
    expect((subject.achievement.criteria as { narrative: string }).narrative).toContain("Cofnodi 30 awr o ddysgu");
    // One IdentityObject: sha256$ + hex(SHA-256(passport number + salt)), as Open Badges 3.0 defines it.
    expect(subject.identifier).toHaveLength(1);
    const [identity] = subject.identifier as [{ identityHash: string; salt: string; hashed: boolean; identityType: string }];
    expect(identity).toMatchObject({ type: "IdentityObject", identityType: "identifier", hashed: true });
    expect(identity.identityHash).toBe(
      `sha256$${createHash("sha256")
        .update(child.passport_number + identity.salt)
        .digest("hex")}`,
    );
    const text = JSON.stringify(credential);
    for (const personal of ["Siân", "Ŵyn", child.passport_number, "badge.test"]) expect(text).not.toContain(personal);
    expect(credential.proof).toMatchObject({
      type: "DataIntegrityProof",
      cryptosuite: "eddsa-rdfc-2022",
      proofPurpose: "assertionMethod",
      verificationMethod: "did:web:pasbort.test:issuers:north#key-1",
    });
  });

  it("verifies with an independent verifier library, from the published issuer document alone", async () => {
    const { credential } = await issue(siân(), levels.star!);
    const result = await independentlyVerify(credential);
    expect(result.error ?? null).toBeNull();
    expect(result.verified).toBe(true);
    expect(await publishedStatus(credential)).toBe(false);
  });

  it("round-trips through the app's own check: signature, issuer, status and dates all pass", async () => {
    const { credential } = await issue(siân(), levels.star!);
    const parsed = parseCredentialText(JSON.stringify(credential));
    expect("credential" in parsed).toBe(true);
    const result = await verifyBadgeCredential(db, (parsed as { credential: Record<string, unknown> }).credential);
    expect(result).toMatchObject({
      kind: "checked",
      valid: true,
      checks: {
        signature: { outcome: "pass", reason: "signature_ok" },
        issuer: { outcome: "pass", reason: "issuer_known" },
        status: { outcome: "pass", reason: "not_revoked" },
        dates: { outcome: "pass", reason: "dates_ok" },
      },
      summary: { name: "Seren ein Tŷ Ni · Our House Star", issuerName: "Ardal north · Area north", childName: null },
    });
  });
});

describe("a tampered credential", () => {
  const failedChecks = async (credential: unknown) => {
    const result = await verifyBadgeCredential(db, credential as Record<string, unknown>);
    if (result.kind !== "checked") return result;
    expect(result.valid).toBe(false);
    return Object.fromEntries(
      Object.entries(result.checks)
        .filter(([, check]) => check.outcome !== "pass")
        .map(([name, check]) => [name, check.reason]),
    );
  };

  it("is refused with any field changed, by the app and by the independent verifier", async () => {
    const { credential } = await issue(siân(), levels.star!);
    const changes: Array<[string, (copy: EditableJson) => void]> = [
      ["the award's name", (copy) => (copy.credentialSubject.achievement.name = "Gold Doctorate")],
      ["the hours in the criteria", (copy) => (copy.credentialSubject.achievement.criteria.narrative = "Record 300 hours")],
      ["whose it is", (copy) => (copy.credentialSubject.identifier[0].identityHash = `sha256$${"0".repeat(64)}`)],
      [
        "the child's name added",
        (copy) => copy.credentialSubject.identifier.push({ type: "IdentityObject", identityType: "name", hashed: false, identityHash: "Someone Else" }),
      ],
      ["the date", (copy) => (copy.validFrom = "2020-01-01T00:00:00Z")],
      ["the issuer's name", (copy) => (copy.issuer.name = "Another University")],
      ["the status entry", (copy) => (copy.credentialStatus.statusListIndex = "99")],
      ["the proof's date", (copy) => (copy.proof.created = "2020-01-01T00:00:00Z")],
    ];
    for (const [what, change] of changes) {
      const copy = structuredClone(credential) as EditableJson;
      change(copy);
      expect({ what, failed: await failedChecks(copy) }).toEqual({ what, failed: { signature: "signature_invalid" } });
      expect({ what, verified: (await independentlyVerify(copy)).verified }).toEqual({ what, verified: false });
    }
  });

  it("is refused when signed by another key, or claims another issuer", async () => {
    const { credential } = await issue(siân(), levels.star!);
    // A key of the attacker's, claiming to be the area's key.
    const stranger = await Ed25519Multikey.generate({ controller: "did:web:pasbort.test:issuers:north", id: "did:web:pasbort.test:issuers:north#key-1" });
    const forged = await resign(credential, () => {}, { ...(await signingKey(db, north().id, ORIGIN)), keyPair: stranger });
    expect(await failedChecks(forged)).toEqual({ signature: "signature_invalid" });
    expect((await independentlyVerify(forged)).verified).toBe(false);

    // Signed by the real key of another area's issuer, but saying it is north's.
    await issue(areas.south.children[0]!.id, levels.south!, areas.south.id);
    const southKey = await signingKey(db, areas.south.id, ORIGIN);
    const otherIssuer = await resign(credential, () => {}, southKey);
    expect(await failedChecks(otherIssuer)).toEqual({ issuer: "issuer_mismatch", signature: "signature_invalid" });
    expect((await independentlyVerify(otherIssuer)).verified).toBe(false);

    // North's proof on a credential whose issuer was changed to south.
    const swapped = structuredClone(credential) as EditableJson;
    swapped.issuer.id = southKey.issuer.did;
    // (and its status list, being north's, no longer matches its issuer)
    expect(await failedChecks(swapped)).toEqual({ issuer: "issuer_mismatch", signature: "signature_invalid", status: "status_unavailable" });

    // An issuer this deployment does not know: nothing can be said for it.
    const unknown = structuredClone(credential) as EditableJson;
    unknown.issuer.id = "did:web:elsewhere.example";
    unknown.proof.verificationMethod = "did:web:elsewhere.example#key-1";
    expect(await failedChecks(unknown)).toEqual({ issuer: "issuer_unknown", signature: "signature_unchecked", status: "status_unavailable" });
  });

  it("is reported expired or not yet valid by its dates, even when properly signed", async () => {
    const { credential } = await issue(siân(), levels.star!);
    const expired = await resign(credential, (copy) => Object.assign(copy, { validFrom: "2025-01-01T00:00:00Z", validUntil: "2026-01-01T00:00:00Z" }));
    expect(await failedChecks(expired)).toEqual({ dates: "expired" });
    const early = await resign(credential, (copy) => (copy.validFrom = "2999-01-01T00:00:00Z"));
    expect(await failedChecks(early)).toEqual({ dates: "not_yet_valid" });
    const backwards = await resign(credential, (copy) => Object.assign(copy, { validFrom: "2026-01-01T00:00:00Z", validUntil: "2025-01-01T00:00:00Z" }));
    expect(await failedChecks(backwards)).toMatchObject({ dates: "dates_invalid" });
  });

  it("that is not a credential at all gets a plain reason, never an exception", async () => {
    expect(parseCredentialText("{not json")).toEqual({ error: "not_json" });
    expect(parseCredentialText("[]")).toEqual({ error: "not_credential" });
    expect(parseCredentialText(JSON.stringify({ type: ["VerifiableCredential"] }))).toEqual({ error: "not_credential" });
    expect(parseCredentialText("x".repeat(300 * 1024))).toEqual({ error: "too_large" });
    const { credential } = await issue(siân(), levels.star!);
    const foreignContext = { ...credential, "@context": [...(credential["@context"] as string[]), "https://attacker.example/context.json"] };
    expect(await verifyBadgeCredential(db, foreignContext)).toEqual({ kind: "malformed", reason: "unknown_context" });
    const weird = structuredClone(credential) as EditableJson;
    weird.proof = { type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", proofValue: 42, verificationMethod: { evil: true } };
    const result = await verifyBadgeCredential(db, weird);
    expect(result.kind === "checked" && result.valid).toBe(false);
  });
});

describe("revocation", () => {
  it("shows a revoked certificate's badge as revoked in the published status list, and only that one", async () => {
    const { certificate, credential } = await issue(dafydd(), levels.star!);
    const { credential: other } = await issue(siân(), levels.silver!);
    expect(await publishedStatus(credential)).toBe(false);
    await db.updateTable("certificate").set({ revoked_at: new Date(), revoke_reason: "Credits were a mistake" }).where("id", "=", certificate.id).execute();
    expect(await publishedStatus(credential)).toBe(true);
    expect(await publishedStatus(other)).toBe(false);
    const checked = await verifyBadgeCredential(db, credential);
    expect(checked).toMatchObject({
      kind: "checked",
      valid: false,
      checks: { status: { outcome: "fail", reason: "revoked" }, signature: { outcome: "pass" } },
    });
    // The independent verifier agrees.
    const independent = await independentlyVerify(credential);
    expect(independent.verified).toBe(false);
  });
});

describe("the issuer's keys", () => {
  it("are sealed in the database: the secret is not in plain text, and another CREDENTIAL_KEY_SECRET cannot open it", async () => {
    await issue(siân(), levels.star!);
    const key = await signingKey(db, north().id, ORIGIN);
    const exported = await key.keyPair.export({ publicKey: true, secretKey: true });
    const row = await db
      .selectFrom("credential_issuer_key")
      .selectAll()
      .where("area_id", "=", north().id)
      .where("key_number", "=", key.keyNumber)
      .executeTakeFirstOrThrow();
    expect(row.sealed_secret_key).not.toContain(exported.secretKeyMultibase!);
    expect(openSecretKey(row.sealed_secret_key!, north().id, key.keyNumber)).toBe(exported.secretKeyMultibase);
    const otherSecret = credentialSealingKey({ CREDENTIAL_KEY_SECRET: "a-different-secret-of-at-least-32-characters" });
    expect(() => openSecretKey(row.sealed_secret_key!, north().id, key.keyNumber, otherSecret)).toThrow(CredentialKeyError);
    // Bound to its area and key number: copied onto another area's row, it does not open.
    expect(() => openSecretKey(row.sealed_secret_key!, areas.south.id, key.keyNumber)).toThrow(CredentialKeyError);
    expect(() => credentialSealingKey({ DATABASE_URL: "postgres://db/pasbort" })).toThrow(/CREDENTIAL_KEY_SECRET: required with DATABASE_URL/);
    expect(() => credentialSealingKey({ CREDENTIAL_KEY_SECRET: "short" })).toThrow(/at least 32 characters/);
  });

  it("rotate without invalidating what was already issued", async () => {
    const { credential: before } = await issue(siân(), levels.star!);
    const keyBefore = (before.proof as { verificationMethod: string }).verificationMethod;
    const next = await rotateIssuerKey(db, north().id, ORIGIN);
    // What is signed after the rotation is signed by the new key.
    const fresh = await resign(before, () => {});
    expect((fresh.proof as { verificationMethod: string }).verificationMethod).toBe(`did:web:pasbort.test:issuers:north#key-${next}`);
    expect(keyBefore).not.toBe((fresh.proof as { verificationMethod: string }).verificationMethod);
    for (const credential of [before, fresh]) {
      expect((await independentlyVerify(credential)).verified).toBe(true);
      expect(await verifyBadgeCredential(db, credential)).toMatchObject({ valid: true });
    }
    const retired = await db.selectFrom("credential_issuer_key").selectAll().where("area_id", "=", north().id).where("retired_at", "is not", null).execute();
    expect(retired.length).toBeGreaterThan(0);
    expect(retired.every((row) => row.sealed_secret_key === null)).toBe(true);
    const document = (await publishedByRoutes(`${ORIGIN}/issuers/north/did.json`)) as { verificationMethod: unknown[]; assertionMethod: string[] };
    expect(document.assertionMethod).toContain(keyBefore);
    expect(document.assertionMethod).toContain(`did:web:pasbort.test:issuers:north#key-${next}`);
  });
});

describe("the key rotation command", () => {
  it("rotates the areas named: badges signed before and after both verify, the DID document keeps every key", async () => {
    const { credential: before } = await issue(siân(), levels.star!);
    const [rotated] = await rotateIssuerKeysOf(db, ["north"]);
    expect(rotated).toMatchObject({ slug: "north", did: "did:web:pasbort.test:issuers:north" });
    const { credential: after } = await issue(dafydd(), await freshAward(dafydd()));
    expect(methodOf(after)).toBe(`did:web:pasbort.test:issuers:north#key-${rotated!.keyNumber}`);
    expect(methodOf(before)).not.toBe(methodOf(after));
    for (const credential of [before, after]) {
      expect((await independentlyVerify(credential)).verified).toBe(true);
      expect(await verifyBadgeCredential(db, credential)).toMatchObject({ valid: true });
    }
    // The status list is signed again with the new key, and still says "not revoked" for both.
    expect(await publishedStatus(before)).toBe(false);
    const document = (await publishedByRoutes(`${ORIGIN}/issuers/north/did.json`)) as { assertionMethod: string[] };
    expect(document.assertionMethod).toEqual(expect.arrayContaining([methodOf(before), methodOf(after)]));
  });

  it("refuses, rotating nothing, an unknown area or one that has no issuer yet", async () => {
    const keys = () => db.selectFrom("credential_issuer_key").select(["area_id", "key_number"]).orderBy("area_id").orderBy("key_number").execute();
    const third = await db
      .insertInto("area")
      .values({ slug: "east", name_en: "Area east", name_cy: "Ardal east", passport_prefix: "EA", settings: "{}" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const before = await keys();
    await expect(rotateIssuerKeysOf(db, ["north", "atlantis"])).rejects.toMatchObject({ reason: "credentials.rotate.unknownArea", slug: "atlantis" });
    await expect(rotateIssuerKeysOf(db, ["north", "east"])).rejects.toMatchObject({ reason: "credentials.rotate.noIssuer", slug: "east" });
    expect(await keys()).toEqual(before);
    const all = await rotateIssuerKeysOf(db, "all");
    expect(all.map((row) => row.slug)).not.toContain("east");
    expect(all.map((row) => row.slug)).toContain("north");
    await db.deleteFrom("area").where("id", "=", third.id).execute();
  });

  it.runIf(testDatabaseKind() === "postgres")("runs as npm run credentials:rotate-key, in the language of LANG", async () => {
    const { credential: before } = await issue(siân(), levels.star!);
    const run = (args: string[], lang = "en_GB.UTF-8") =>
      spawnSync(process.execPath, ["--import", "tsx", projectPath("scripts/rotate-credential-key.ts"), ...args], {
        cwd: projectPath("."),
        encoding: "utf8",
        env: { PATH: process.env.PATH, NODE_ENV: "test", LANG: lang, DATABASE_URL: databaseUrlOf!, CREDENTIAL_KEY_SECRET: DEMO_CREDENTIAL_KEY_SECRET },
      });
    const done = run(["--area", "north"]);
    expect(done.stderr).toBe("");
    expect(done.status).toBe(0);
    const key = /issuers:north#key-(\d+)/.exec(done.stdout)?.[1];
    expect(done.stdout).toContain("north: new badges are signed with did:web:pasbort.test:issuers:north#key-");
    const { credential: after } = await issue(dafydd(), await freshAward(dafydd()));
    expect(methodOf(after)).toBe(`did:web:pasbort.test:issuers:north#key-${key}`);
    for (const credential of [before, after]) expect((await independentlyVerify(credential)).verified).toBe(true);
    const refused = run(["--area", "atlantis"], "cy_GB.UTF-8");
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('Does dim ardal o\'r enw "atlantis"');
    expect(run([]).status).toBe(1);
  });
});

describe("downloads", () => {
  const download = (who: Person, childId: string, awardLevelId: string, query = "") =>
    settle(
      guardianJsonLoader({
        request: new Request(`${ORIGIN}/guardian/children/${childId}/certificates/${awardLevelId}.json${query}`),
        context: who.context,
        params: { childId, awardLevelId },
      } as never),
    );

  it("gives the guardian the badge as a JSON file, naming the child only if asked", async () => {
    const response = (await download(people.guardian!, siân(), levels.star!)) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="open-badge-Sian-\d+\.json"/);
    const plain = (await response.json()) as OpenBadgeCredential;
    expect(JSON.stringify(plain)).not.toContain("Siân");
    expect(await verifyBadgeCredential(db, plain)).toMatchObject({ valid: true, summary: { childName: null } });

    const named = (await ((await download(people.guardian!, siân(), levels.star!, "?name=1")) as Response).json()) as OpenBadgeCredential;
    expect(named.id).toBe(plain.id);
    expect(await verifyBadgeCredential(db, named)).toMatchObject({ valid: true, summary: { childName: "Siân Ŵyn" } });
    expect((await independentlyVerify(named)).verified).toBe(true);
    // The named copy is not kept: the stored one still names no one.
    expect(JSON.stringify(await storedCredential(db, plain.id.split("/").pop()!))).not.toContain("Siân");
  });

  it("refuses another family's guardian, another area's guardian, staff, the signed-out, and awards not reached", async () => {
    for (const [who, childId, awardLevelId] of [
      [people.otherGuardian!, siân(), levels.star!],
      [people.southGuardian!, siân(), levels.star!],
      [people.guardian!, dafydd(), levels.star!],
      [people.guardian!, siân(), levels.south!],
      [people.guardian!, "not-a-uuid", levels.star!],
    ] as const) {
      const response = (await download(who, childId, awardLevelId)) as Response;
      expect(response.status).toBe(404);
    }
    const staff = (await download(people.coordinator!, siân(), levels.star!)) as Response;
    expect([403, 404]).toContain(staff.status);
    const signedOut = (await download({ ...people.guardian!, context: signedOutContext }, siân(), levels.star!)) as Response;
    expect(signedOut.status).toBe(302);
  });

  it("puts every badge, as signed, in the guardian's export of the child's whole record, still verifying there", async () => {
    const { certificate, credential } = await issue(siân(), levels.star!);
    const exported = JSON.parse(JSON.stringify(await exportChildData(db, people.guardian!.m, siân()))) as {
      certificates: Array<{ verificationId: string; openBadge: OpenBadgeCredential | null }>;
    };
    const entry = exported.certificates.find((row) => row.verificationId === certificate.id)!;
    expect(entry.openBadge).toEqual(credential);
    expect((await independentlyVerify(entry.openBadge)).verified).toBe(true);
    await expect(exportChildData(db, people.otherGuardian!.m, siân())).rejects.toMatchObject({ status: 404 });
  });

  it("publishes the badge at its own address for wallets, but not a withdrawn child's or an unknown one", async () => {
    const { certificate, credential } = await issue(siân(), levels.star!);
    const get = (id: string) =>
      settle(
        publicCredentialLoader({ request: new Request(`${ORIGIN}/credentials/${id}`), params: { certificateId: id }, context: signedOutContext } as never),
      );
    const response = (await get(certificate.id)) as Response;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(credential);
    expect(((await get("00000000-0000-4000-8000-000000000000")) as Response).status).toBe(404);
    expect(((await get("x' or 1=1 --")) as Response).status).toBe(404);
  });
});

describe("the certificate's QR code address, /verify/<id>", () => {
  // As server.ts serves it: the credential for a client asking for JSON, else on to the page
  // (here a stand-in, so the test tells which answered; the page itself is checked below).
  let base: string;
  let server: { close: () => void };
  beforeAll(async () => {
    const app = express();
    app.get("/verify/:certificateId", answerBeforePages(credentialAtVerifyAddress(db)));
    app.use((_req, res) => void res.status(299).send("the page"));
    server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => (server as ReturnType<typeof app.listen>).once("listening", resolve));
    base = `http://127.0.0.1:${((server as ReturnType<typeof app.listen>).address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());
  const scan = (id: string, headers: Record<string, string> = {}) => fetch(`${base}/verify/${id}`, { headers });
  const storedText = async (id: string) =>
    (await db.selectFrom("badge_credential").select("credential").where("certificate_id", "=", id).executeTakeFirstOrThrow()).credential;
  const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

  it("answers a wallet asking for JSON with the credential exactly as signed, which verifies independently", async () => {
    const { certificate } = await issue(siân(), levels.star!);
    for (const [accept, type] of [
      ["application/vc", "application/vc"],
      ["application/vc+ld+json", "application/vc+ld+json"],
      ["application/ld+json", "application/ld+json"],
      // What axios sends, and so many phone apps.
      ["application/json, text/plain, */*", "application/json"],
      ["text/html;q=0.5, application/json", "application/json"],
    ]) {
      const response = await scan(certificate.id, { Accept: accept! });
      expect({ accept, status: response.status, type: response.headers.get("content-type") }).toEqual({ accept, status: 200, type });
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("vary")).toBe("Accept");
      expect(response.headers.get("cache-control")).toBe("no-store");
      const text = await response.text();
      expect(text).toBe(await storedText(certificate.id));
      expect((await independentlyVerify(JSON.parse(text))).verified).toBe(true);
    }
  });

  it("gives a browser, or a client that takes anything, the page for people", async () => {
    const { certificate } = await issue(siân(), levels.star!);
    for (const accept of [BROWSER, "*/*", "", "application/json;q=0, text/html", "application/json, text/html", "application/xml"]) {
      const response = await scan(certificate.id, accept ? { Accept: accept } : {});
      expect({ accept, status: response.status, body: await response.text() }).toEqual({ accept, status: 299, body: "the page" });
    }
    // The page itself, which also says its answer depends on Accept.
    const page = (await verifyPageLoader({
      request: new Request(`${ORIGIN}/verify/${certificate.id}`, { headers: { Accept: BROWSER } }),
      params: { certificateId: certificate.id },
      context: signedOutContext,
    } as never)) as unknown as { init: { status?: number; headers: Record<string, string> }; data: { kind: string; hasBadge: boolean } };
    expect(page.data).toMatchObject({ kind: "valid", hasBadge: true });
    expect(page.init.headers.Vary).toBe("Accept");
  });

  it("still answers for a revoked one, which the status list shows revoked", async () => {
    const { certificate } = await issue(dafydd(), levels.star!);
    await db.updateTable("certificate").set({ revoked_at: new Date(), revoke_reason: "Printed in error" }).where("id", "=", certificate.id).execute();
    const response = await scan(certificate.id, { Accept: "application/vc" });
    expect(response.status).toBe(200);
    const credential = (await response.json()) as OpenBadgeCredential;
    expect(await publishedStatus(credential)).toBe(true);
    expect((await independentlyVerify(credential)).verified).toBe(false);
  });

  it("is a 404 in the client's language for an unknown id, a malformed one, or a withdrawn child's", async () => {
    const like = await db.selectFrom("child").select(["school_id", "home_lsoa_code"]).where("id", "=", siân()).executeTakeFirstOrThrow();
    const leaver = await db
      .insertInto("child")
      .values({
        ...like,
        area_id: north().id,
        passport_number: "LEAVER-1",
        passport_token: "leaver-token-0123456789",
        given_name: "Gwen",
        family_name: "Hopkin",
        birth_year: 2016,
        birth_month: 5,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("award").values({ area_id: north().id, child_id: leaver.id, award_level_id: levels.star!, reached_on: "2026-10-03" }).execute();
    const { certificate } = await issue(leaver.id, levels.star!);
    await db.updateTable("child").set({ status: "withdrawn", withdrawn_at: new Date() }).where("id", "=", leaver.id).execute();
    for (const [id, lang] of [
      ["00000000-0000-4000-8000-000000000000", "cy"],
      ["x' or 1=1 --", "en"],
      [certificate.id, "cy"],
    ] as const) {
      const response = await scan(encodeURIComponent(id), { Accept: "application/vc", "Accept-Language": lang });
      expect(response.status).toBe(404);
      expect(response.headers.get("content-language")).toBe(lang);
      expect(await response.json()).toEqual({ error: { code: "NOT_FOUND", message: translator(lang)("certificates.verify.unknown") } });
    }
  });

  it("prefers the page on a tie and ignores what is refused (q=0)", () => {
    expect(credentialMediaType("application/vc;q=0.9, text/html;q=0.9")).toBeNull();
    expect(credentialMediaType("application/vc+ld+json;q=0.4, application/json;q=0.8")).toBe("application/json");
    expect(credentialMediaType("application/vc;q=0")).toBeNull();
    expect(credentialMediaType("application/vc;q=oops")).toBeNull();
    expect(credentialMediaType(null)).toBeNull();
  });
});

describe("the /verify page's badge check", () => {
  async function post(form: FormData | string, contentType?: string) {
    const request = new Request(`${ORIGIN}/verify`, { method: "POST", body: form, headers: contentType ? { "Content-Type": contentType } : undefined });
    const result = await settle(verifyAction({ request, params: {}, context: signedOutContext } as never));
    const { data, init } = result as unknown as { data: Record<string, unknown>; init: { status?: number } | null };
    return data === undefined ? { data: result as unknown as Record<string, unknown>, status: 200 } : { data, status: init?.status ?? 200 };
  }
  const formWith = (fields: Record<string, string | Blob>) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return form;
  };

  it("checks a pasted badge, and an uploaded one, in plain reasons, keeping nothing", async () => {
    const { credential } = await issue(siân(), levels.star!);
    const before = await db
      .selectFrom("badge_credential")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    const pasted = await post(formWith({ credential: JSON.stringify(credential) }));
    expect(pasted.status).toBe(200);
    expect(pasted.data).toMatchObject({
      kind: "checked",
      valid: true,
      checks: { signature: { reason: "signature_ok" } },
      summary: { name: "Seren ein Tŷ Ni · Our House Star" },
    });
    expect(pasted.data.validFromText).toMatch(/^\d{1,2} \w+ 20\d\d$/);
    const uploaded = await post(formWith({ credential: "", file: new Blob([JSON.stringify(credential)], { type: "application/json" }) }));
    expect(uploaded.data).toMatchObject({ kind: "checked", valid: true });
    const tampered = structuredClone(credential) as EditableJson;
    tampered.credentialSubject.achievement.name = "Gold Doctorate";
    expect((await post(formWith({ credential: JSON.stringify(tampered) }))).data).toMatchObject({
      kind: "checked",
      valid: false,
      checks: { signature: { reason: "signature_invalid" } },
    });
    const after = await db
      .selectFrom("badge_credential")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it("refuses every tamper case with its reason, each said in Welsh and in English", async () => {
    const { credential } = await issue(siân(), levels.star!);
    const stranger = await Ed25519Multikey.generate({ controller: "did:web:pasbort.test:issuers:north", id: methodOf(credential) });
    const changed = structuredClone(credential) as EditableJson;
    changed.credentialSubject.achievement.name = "Gold Doctorate";
    const otherIssuer = structuredClone(credential) as EditableJson;
    otherIssuer.issuer.id = "did:web:pasbort.test:issuers:south";
    const unknown = structuredClone(credential) as EditableJson;
    unknown.issuer.id = "did:web:elsewhere.example";
    unknown.proof.verificationMethod = "did:web:elsewhere.example#key-1";
    const revokedLevel = await freshAward(dafydd());
    const { certificate: revokedCertificate, credential: revoked } = await issue(dafydd(), revokedLevel);
    await db.updateTable("certificate").set({ revoked_at: new Date(), revoke_reason: "Printed in error" }).where("id", "=", revokedCertificate.id).execute();
    const cases: Array<[string, unknown, Record<string, string>]> = [
      ["a field changed", changed, { signature: "signature_invalid" }],
      [
        "another key",
        await resign(credential, () => {}, { ...(await signingKey(db, north().id, ORIGIN)), keyPair: stranger }),
        { signature: "signature_invalid" },
      ],
      ["another issuer claimed", otherIssuer, { issuer: "issuer_mismatch", signature: "signature_invalid" }],
      ["an issuer unknown here", unknown, { issuer: "issuer_unknown", signature: "signature_unchecked" }],
      ["revoked", revoked, { status: "revoked" }],
      [
        "expired",
        await resign(credential, (copy) => Object.assign(copy, { validFrom: "2025-01-01T00:00:00Z", validUntil: "2026-01-01T00:00:00Z" })),
        { dates: "expired" },
      ],
      ["not yet valid", await resign(credential, (copy) => (copy.validFrom = "2999-01-01T00:00:00Z")), { dates: "not_yet_valid" }],
    ];
    const [cy, en] = [translator("cy"), translator("en")] as unknown as [(key: string) => string, (key: string) => string];
    for (const [what, tampered, reasons] of cases) {
      const { status, data } = await post(formWith({ credential: JSON.stringify(tampered) }));
      expect({ what, status, valid: data.valid }).toEqual({ what, status: 200, valid: false });
      const checks = data.checks as Record<string, { outcome: string; reason: string }>;
      expect({ what, reasons: Object.fromEntries(Object.entries(reasons).map(([name]) => [name, checks[name]!.reason])) }).toEqual({ what, reasons });
      // The page shows each reason as a sentence in the reader's language (verify._index.tsx).
      for (const reason of Object.values(reasons)) {
        const key = `badges.verify.reasons.${reason}`;
        expect(
          [cy(key), en(key)].every((sentence) => sentence !== key && /\.$/.test(sentence)),
          `${what}: ${reason}`,
        ).toBe(true);
        expect(cy(key)).not.toBe(en(key));
      }
      expect([cy(data.valid ? "badges.verify.validTitle" : "badges.verify.invalidTitle"), en("badges.verify.invalidTitle")]).toEqual([
        "Nid yw'r bathodyn hwn yn ddilys",
        "This badge is not valid",
      ]);
    }
  });

  it("answers bad input with a 4xx and a message key, giving the pasted text back", async () => {
    expect(await post(formWith({ credential: "  " }))).toEqual({ status: 400, data: { kind: "error", error: "badges.verify.errors.missing", pasted: "" } });
    expect(await post(formWith({ credential: "{oops" }))).toEqual({
      status: 400,
      data: { kind: "error", error: "badges.verify.errors.not_json", pasted: "{oops" },
    });
    expect((await post(formWith({ credential: JSON.stringify({ hello: "world" }) }))).data).toMatchObject({ error: "badges.verify.errors.not_credential" });
    const { credential } = await issue(siân(), levels.star!);
    const inline = { ...credential, "@context": [...(credential["@context"] as string[]), { evil: "https://attacker.example/#" }] };
    expect((await post(formWith({ credential: JSON.stringify(inline) }))).data).toMatchObject({ error: "badges.verify.errors.unknown_context" });
    const weird = { ...credential, credentialStatus: "revoked?", proof: { type: "DataIntegrityProof", verificationMethod: 7 } };
    expect((await post(formWith({ credential: JSON.stringify(weird) }))).data).toMatchObject({ kind: "checked", valid: false });
    const big = await post(formWith({ file: new Blob(["x".repeat(300 * 1024)], { type: "application/json" }) }));
    expect(big).toMatchObject({ status: 413, data: { error: "badges.verify.errors.too_large" } });
    await expect(post(JSON.stringify(credential), "application/json")).rejects.toMatchObject({ init: { status: 415 } });
  });
});
