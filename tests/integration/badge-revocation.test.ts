import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import { issueCertificates } from "~/modules/certificates/certificates.server";
import { storedCredential } from "~/modules/certificates/open-badges.server";
import { findAreaCertificate } from "~/modules/certificates/revocation.server";
import { verifyBadgeCredential } from "~/modules/certificates/verify-badge.server";
import { withdrawChild } from "~/modules/children/data-rights.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { loader as findLoader } from "~/routes/coordinator.certificates._index";
import { action as revokeAction, loader as revokeLoader } from "~/routes/coordinator.certificates.$certificateId";
import { loader as publicCredentialLoader } from "~/routes/credentials.$certificateId";
import { loader as verifyPageLoader } from "~/routes/verify.$certificateId";
import { contextFor, createPerson, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { independentVerifier } from "../support/independent-verifier";
import { createTestDatabase } from "../support/test-database";

/**
 * Revoking a certificate and its Open Badge (issue 17): the coordinator's screen (a reason,
 * an audit event; the published status list and /verify then say revoked), who may not, and
 * what a child's withdrawal does to the badges already issued (nothing: the child keeps them).
 */

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
type Person = { userId: string; context: AppLoadContext; m: Membership };
const people: Record<string, Person> = {};
const levels: Record<string, string> = {};
const ORIGIN = "https://pasbort.test";
const { verify: independentlyVerify, revoked: publishedRevoked } = independentVerifier();

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  const { north, south } = areas;
  for (const [key, areaId, threshold] of [
    ["star", north.id, 30],
    ["silver", north.id, 65],
    ["south", south.id, 30],
  ] as const) {
    const level = await db
      .insertInto("award_level")
      .values({ area_id: areaId, threshold_hours: threshold, name_en: `Award ${key}`, name_cy: `Gwobr ${key}`, stage: "undergraduate", tier: null })
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
    ["guardian", { email: "guardian@revoke.test", areaId: north.id, role: "guardian", childIds: [north.children[0]!.id] }],
    ["otherGuardian", { email: "other@revoke.test", areaId: north.id, role: "guardian", childIds: [north.children[1]!.id] }],
    ["coordinator", { email: "coord@revoke.test", areaId: north.id, role: "coordinator" }],
    ["southCoordinator", { email: "south@revoke.test", areaId: south.id, role: "coordinator" }],
  ] as const) {
    const person = await createPerson(db, spec);
    const [m] = await loadMemberships(db, person.userId);
    people[name] = { userId: person.userId, context: await contextFor(db, person.userId, person.membershipId), m: m! };
  }
});
afterAll(async () => close());

async function issue(childId: string, awardLevelId: string, areaId = areas.north.id) {
  const [certificate] = await issueCertificates(db, { areaId, awards: [{ childId, awardLevelId }], issuedBy: null, origin: ORIGIN });
  return { certificate: certificate!, credential: (await storedCredential(db, certificate!.id))! };
}

const screen = (who: Person, certificateId: string) =>
  settle(
    revokeLoader({ request: new Request(`${ORIGIN}/coordinator/certificates/${certificateId}`), context: who.context, params: { certificateId } } as never),
  );

async function revoke(who: Person, certificateId: string, reason: string) {
  const request = new Request(`${ORIGIN}/coordinator/certificates/${certificateId}`, { method: "POST", body: new URLSearchParams({ reason }) });
  const result = await settle(revokeAction({ request, context: who.context, params: { certificateId } } as never));
  if (result instanceof Response) return { status: result.status, location: result.headers.get("Location"), data: null };
  const { data, init } = result as unknown as { data: { errors: { reason: string }; reason: string }; init: { status: number } };
  return { status: init.status, location: null, data };
}

const verifyPage = async (certificateId: string) =>
  (await settle(
    verifyPageLoader({ request: new Request(`${ORIGIN}/verify/${certificateId}`), params: { certificateId }, context: signedOutContext } as never),
  )) as {
    init: { status?: number } | null;
  };

describe("the coordinator's revoke screen", () => {
  it("revokes a certificate with a reason: audited, the status list says revoked, /verify says so, and the award can be printed again", async () => {
    const { certificate, credential } = await issue(areas.north.children[1]!.id, levels.star!);
    const { credential: other } = await issue(areas.north.children[0]!.id, levels.star!);
    expect(await publishedRevoked(credential)).toBe(false);
    expect(await screen(people.coordinator!, certificate.id)).toMatchObject({
      certificate: { id: certificate.id, serial: certificate.serial, revokedAt: null },
    });

    const done = await revoke(people.coordinator!, certificate.id, "  Printed for the wrong child  ");
    expect(done).toMatchObject({ status: 302, location: `/coordinator/certificates/${certificate.id}?done=revoked` });
    const row = await db.selectFrom("certificate").select(["revoked_at", "revoke_reason"]).where("id", "=", certificate.id).executeTakeFirstOrThrow();
    expect(row.revoke_reason).toBe("Printed for the wrong child");
    expect(row.revoked_at).not.toBeNull();
    const audit = await db.selectFrom("audit_event").selectAll().where("action", "=", "certificate_revoked").where("subject_id", "=", certificate.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ area_id: areas.north.id, actor_user_id: people.coordinator!.userId });
    expect(audit[0]!.details).toMatchObject({ serial: certificate.serial, reason: "Printed for the wrong child" });

    // Everywhere it is checked: the published (signed) status list, an independent verifier, our /verify, the QR code's page.
    expect(await publishedRevoked(credential)).toBe(true);
    expect(await publishedRevoked(other)).toBe(false);
    expect((await independentlyVerify(credential)).verified).toBe(false);
    expect(await verifyBadgeCredential(db, credential)).toMatchObject({
      valid: false,
      checks: { status: { reason: "revoked" }, signature: { outcome: "pass" } },
    });
    expect((await verifyPage(certificate.id)).init?.status).toBe(410);
    expect(await screen(people.coordinator!, certificate.id)).toMatchObject({ certificate: { revokeReason: "Printed for the wrong child" } });

    // The award stays: printing it again makes a new certificate with a new serial, valid.
    const again = await issue(areas.north.children[1]!.id, levels.star!);
    expect(again.certificate.id).not.toBe(certificate.id);
    expect(again.certificate.serial).toBeGreaterThan(certificate.serial);
    expect(await verifyBadgeCredential(db, again.credential)).toMatchObject({ valid: true });
  });

  it("needs a reason, and keeps what was typed; a revoked certificate cannot be revoked twice", async () => {
    const { certificate } = await issue(areas.north.children[0]!.id, levels.silver!);
    expect(await revoke(people.coordinator!, certificate.id, "   ")).toEqual({
      status: 400,
      location: null,
      data: { errors: { reason: "certificates.revoke.errors.reasonRequired" }, reason: "   " },
    });
    const long = "x".repeat(501);
    expect(await revoke(people.coordinator!, certificate.id, long)).toMatchObject({
      status: 400,
      data: { errors: { reason: "certificates.revoke.errors.reasonTooLong" }, reason: long },
    });
    const row = await db.selectFrom("certificate").select("revoked_at").where("id", "=", certificate.id).executeTakeFirstOrThrow();
    expect(row.revoked_at).toBeNull();
    expect((await revoke(people.coordinator!, certificate.id, "Duplicate")).status).toBe(302);
    expect(await revoke(people.coordinator!, certificate.id, "Again")).toMatchObject({
      status: 409,
      data: { errors: { reason: "certificates.revoke.errors.alreadyRevoked" } },
    });
    const reasons = await db.selectFrom("certificate").select("revoke_reason").where("id", "=", certificate.id).executeTakeFirstOrThrow();
    expect(reasons.revoke_reason).toBe("Duplicate");
  });

  it("finds a certificate of the area by its number or its verification address, and no other area's", async () => {
    const { certificate } = await issue(areas.north.children[0]!.id, levels.star!);
    const { certificate: south } = await issue(areas.south.children[0]!.id, levels.south!, areas.south.id);
    const find = (who: Person, typed: string) =>
      settle(
        findLoader({
          request: new Request(`${ORIGIN}/coordinator/certificates?certificate=${encodeURIComponent(typed)}`),
          context: who.context,
          params: {},
        } as never),
      );
    for (const typed of [String(certificate.serial).padStart(6, "0"), `${ORIGIN}/verify/${certificate.id.toUpperCase()}`]) {
      const found = (await find(people.coordinator!, typed)) as Response;
      expect(found.headers.get("Location")).toBe(`/coordinator/certificates/${certificate.id}`);
    }
    const elsewhere = (await find(people.coordinator!, south.id)) as unknown as { data: { error: string }; init: { status: number } };
    expect(elsewhere).toMatchObject({ data: { error: "certificates.revoke.errors.notFound", typed: south.id }, init: { status: 404 } });
    const nonsense = (await find(people.coordinator!, "gold star")) as unknown as { data: { error: string }; init: { status: number } };
    expect(nonsense).toMatchObject({ data: { error: "certificates.revoke.errors.searchInvalid", typed: "gold star" }, init: { status: 400 } });
    expect(await findAreaCertificate(db, people.coordinator!.m, "")).toEqual({ ok: false, error: "certificates.revoke.errors.searchRequired" });
  });

  it("refuses a coordinator of another area, a guardian, and the signed-out: nothing is revoked", async () => {
    const { certificate, credential } = await issue(areas.north.children[0]!.id, levels.star!);
    expect(((await screen(people.southCoordinator!, certificate.id)) as Response).status).toBe(404);
    expect((await revoke(people.southCoordinator!, certificate.id, "Not mine")).status).toBe(404);
    expect(((await screen(people.guardian!, certificate.id)) as Response).status).toBe(403);
    expect((await revoke(people.guardian!, certificate.id, "I want it gone")).status).toBe(403);
    expect((await revoke({ ...people.guardian!, context: signedOutContext }, certificate.id, "Anyone")).status).toBe(302);
    expect((await revoke(people.coordinator!, "not-a-uuid", "Typo")).status).toBe(404);
    const row = await db.selectFrom("certificate").select("revoked_at").where("id", "=", certificate.id).executeTakeFirstOrThrow();
    expect(row.revoked_at).toBeNull();
    expect(await publishedRevoked(credential)).toBe(false);
  });
});

describe("a child's withdrawal", () => {
  it("leaves the badges already issued valid (the child keeps them), and deletes the server's copies", async () => {
    const child = areas.north.children[1]!.id;
    const { certificate, credential } = await issue(child, levels.star!);
    expect(await withdrawChild(db, people.otherGuardian!.m, child, true)).toEqual({ ok: true });

    // Not revoked: the family's file still verifies, by an independent verifier and by ours.
    expect(await publishedRevoked(credential)).toBe(false);
    expect((await independentlyVerify(credential)).verified).toBe(true);
    expect(await verifyBadgeCredential(db, credential)).toMatchObject({ valid: true });
    const row = await db.selectFrom("certificate").select("revoked_at").where("id", "=", certificate.id).executeTakeFirstOrThrow();
    expect(row.revoked_at).toBeNull();

    // Our stored copy (it holds the hashed passport number) is gone, and no page answers for it.
    expect(await storedCredential(db, certificate.id)).toBeNull();
    const served = (await settle(
      publicCredentialLoader({
        request: new Request(`${ORIGIN}/credentials/${certificate.id}`),
        params: { certificateId: certificate.id },
        context: signedOutContext,
      } as never),
    )) as Response;
    expect(served.status).toBe(404);
    expect((await verifyPage(certificate.id)).init?.status).toBe(404);
    // The coordinator still sees the certificate by its number, without a name.
    expect(await screen(people.coordinator!, certificate.id)).toMatchObject({ certificate: { childName: null, hasBadge: false } });
  });
});
