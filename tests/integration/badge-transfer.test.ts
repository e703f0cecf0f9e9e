import { execFileSync } from "node:child_process";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import { issueCertificates } from "~/modules/certificates/certificates.server";
import type { SigningKey } from "~/modules/certificates/issuer-keys.server";
import { signCredential, type OpenBadgeCredential } from "~/modules/certificates/open-badges.server";
import {
  exportAreaRecords,
  importTransfer,
  issuerFingerprint,
  ownIssuerFingerprint,
  importedHistory,
  previewTransfer,
  transferredRecordCount,
  transferredRecords,
  type TransferFile,
} from "~/modules/certificates/transfer.server";
import { verifyBadgeCredential } from "~/modules/certificates/verify-badge.server";
import { childrenVisibleTo } from "~/modules/accounts/access.server";
import { createLetters, redeemChildLink } from "~/modules/children/guardian-links.server";
import { exportChildData, withdrawChild } from "~/modules/children/data-rights.server";
import { loadActor } from "~/modules/accounts/actor.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { action as transferAction } from "~/routes/coordinator.transfer._index";
import { loader as exportLoader } from "~/routes/coordinator.transfer.export[.json]";
import { action as lettersAction } from "~/routes/coordinator.transfer.letters[.pdf]";
import { loader as passportLoader } from "~/routes/guardian.children.$childId._index";
import { loader as importedBadgeLoader } from "~/routes/guardian.children.$childId.imported.$badgeKey[.json]";
import { loader as summaryLoader } from "~/routes/guardian.children.$childId.summary[.pdf]";
import { loader as childPassportLoader } from "~/routes/me._index";
import { loader as childImportedBadgeLoader } from "~/routes/me.imported.$badgeKey[.json]";
import { authenticate } from "~/modules/accounts/auth.server";
import { createChildCard, signInChild } from "~/modules/children/child-sign-in.server";
import { importedBadgeKey } from "~/modules/certificates/imported-badges.server";
import { contextFor, createPerson, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { independentVerifier } from "../support/independent-verifier";
import { createTestDatabase } from "../support/test-database";

/**
 * Records moved between two Children's Universities on two deployments (two databases, two
 * addresses), issue 17: the sender's export, the receiver's check and explicit trust, the
 * badges still verifying at the receiver with no network (and at the sender by an independent
 * verifier), and every refusal: a tampered or swapped badge, a forged key, an unconfirmed
 * fingerprint, the receiver's own issuer, and people who are not the area's coordinator.
 */

const A = "https://cu-a.example";
const B = "https://cu-b.example";
type Person = { userId: string; context: AppLoadContext; m: Membership };
type Side = { db: DB; close: () => Promise<void>; areas: Awaited<ReturnType<typeof seedTwoAreas>>; coordinator: Person; guardian: Person };
let sender: Side;
let receiver: Side;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tamper cases reach into arbitrary JSON
type EditableJson = Record<string, any>;

async function side(): Promise<Side> {
  const { db, close } = await createTestDatabase();
  const areas = await seedTwoAreas(db);
  const person = async (spec: Parameters<typeof createPerson>[1]) => {
    const created = await createPerson(db, spec);
    const [m] = await loadMemberships(db, created.userId);
    return { userId: created.userId, context: await contextFor(db, created.userId, created.membershipId), m: m! };
  };
  return {
    db,
    close,
    areas,
    coordinator: await person({ email: "coord@transfer.test", areaId: areas.north.id, role: "coordinator" }),
    guardian: await person({ email: "guardian@transfer.test", areaId: areas.north.id, role: "guardian", childIds: [areas.north.children[0]!.id] }),
  };
}

beforeAll(async () => {
  sender = await side();
  receiver = await side();
  const { db, areas } = sender;
  await db.updateTable("child").set({ given_name: "Siân", family_name: "Ŵyn" }).where("id", "=", areas.north.children[0]!.id).execute();
  for (const [threshold, childIndexes] of [
    [30, [0, 1]],
    [65, [0]],
  ] as const) {
    const level = await db
      .insertInto("award_level")
      .values({
        area_id: areas.north.id,
        threshold_hours: threshold,
        name_en: `Award ${threshold}`,
        name_cy: `Gwobr ${threshold}`,
        stage: "undergraduate",
        tier: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const index of childIndexes) {
      const childId = areas.north.children[index]!.id;
      await db.insertInto("award").values({ area_id: areas.north.id, child_id: childId, award_level_id: level.id, reached_on: "2026-10-01" }).execute();
      await issueCertificates(db, { areaId: areas.north.id, awards: [{ childId, awardLevelId: level.id }], issuedBy: null, origin: A });
    }
  }
});
afterAll(async () => {
  await sender?.close();
  await receiver?.close();
});

const exported = async () => JSON.parse(JSON.stringify(await exportAreaRecords(sender.db, sender.coordinator.m, A))) as TransferFile;
const siânOf = (file: TransferFile) => file.children.find((child) => child.givenName === "Siân")!;

describe("a coordinator's export of the area's records", () => {
  it("carries every active child's record and badges, the issuer's DID document and signed status lists, and is audited", async () => {
    const file = await exported();
    expect(file).toMatchObject({ type: "PasbortRecordTransfer", version: 2, from: { issuer: "did:web:cu-a.example:issuers:north", nameEn: "Area north" } });
    expect(file.children.length).toBe(sender.areas.north.children.length);
    expect(siânOf(file)).toMatchObject({ familyName: "Ŵyn", birthMonth: expect.any(Number), preferredLanguage: "cy", awards: [{ hours: 30 }, { hours: 65 }] });
    expect(siânOf(file).badges).toHaveLength(2);
    expect(file.from.didDocument.verificationMethod).toHaveLength(1);
    expect(file.from.statusLists[0]).toMatchObject({ type: ["VerifiableCredential", "BitstringStatusListCredential"], issuer: file.from.issuer });
    // Nothing the receiver does not need: no guardians, no equity details, no contact details.
    const text = JSON.stringify(file);
    for (const absent of ["guardian@transfer.test", "efsm", "equity", "home_lsoa"]) expect(text).not.toContain(absent);
    const audit = await sender.db.selectFrom("audit_event").select(["actor_user_id", "details"]).where("action", "=", "records_exported").execute();
    expect(audit.at(-1)).toMatchObject({ actor_user_id: sender.coordinator.userId, details: { children: file.children.length, badges: 3 } });
  });

  it("is for the area's coordinator only", async () => {
    setDb(sender.db);
    const response = (await settle(
      exportLoader({ request: new Request(`${A}/coordinator/transfer/export.json`), context: sender.guardian.context, params: {} } as never),
    )) as Response;
    expect(response.status).toBe(403);
    await expect(exportAreaRecords(sender.db, sender.guardian.m, A)).rejects.toMatchObject({ status: 403 });
  });
});

describe("importing at another Children's University", () => {
  it("shows the sender's fingerprint, imports only once it is confirmed, and the badges then verify there offline", async () => {
    const file = await exported();
    const text = JSON.stringify(file);
    const { fingerprint } = await ownIssuerFingerprint(sender.db, sender.coordinator.m, A);
    const previewed = await previewTransfer(receiver.db, receiver.coordinator.m, text);
    expect(previewed).toMatchObject({ ok: true, preview: { issuer: { did: file.from.issuer, fingerprint, trustedBefore: false }, badges: 3, problems: [] } });

    // Before the trust decision, the receiver knows nothing of this issuer.
    const badge = siânOf(file).badges[0]!;
    expect(await verifyBadgeCredential(receiver.db, badge)).toMatchObject({ valid: false, checks: { issuer: { reason: "issuer_unknown" } } });
    expect(await importTransfer(receiver.db, receiver.coordinator.m, text, "")).toEqual({ ok: false, error: "trust_not_confirmed" });
    expect(await receiver.db.selectFrom("transferred_record").select("id").execute()).toEqual([]);

    const first = await importTransfer(receiver.db, receiver.coordinator.m, text, fingerprint);
    expect(first).toMatchObject({ ok: true, badges: 3 });
    // Importing the same children again replaces their records rather than adding them twice.
    expect(await importTransfer(receiver.db, receiver.coordinator.m, text, fingerprint)).toEqual({
      ok: true,
      imported: 0,
      updated: file.children.length,
      withdrawn: 0,
      badges: 3,
    });
    expect(await receiver.db.selectFrom("transferred_record").select("id").execute()).toHaveLength(file.children.length);
    // The page lists the newest only (its limit), and says how many there are in all.
    expect(await transferredRecords(receiver.db, receiver.coordinator.m, 1)).toHaveLength(1);
    expect(await transferredRecordCount(receiver.db, receiver.coordinator.m)).toBe(file.children.length);
    await expect(transferredRecordCount(receiver.db, receiver.guardian.m)).rejects.toMatchObject({ status: 403 });
    const records = await transferredRecords(receiver.db, receiver.coordinator.m);
    expect(records.find((record) => record.givenName === "Siân")).toMatchObject({ familyName: "Ŵyn", badges: 2, fromName: "Ardal north · Area north" });
    const trusted = await receiver.db.selectFrom("trusted_issuer").selectAll().executeTakeFirstOrThrow();
    expect(trusted).toMatchObject({ did: file.from.issuer, area_id: receiver.areas.north.id, trusted_by: receiver.coordinator.userId });
    const audit = await receiver.db.selectFrom("audit_event").select("details").where("action", "=", "records_imported").executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ fingerprint, children: file.children.length, imported: file.children.length, updated: 0 });

    // Every badge verifies at the receiver from what it holds (no network), as transferred.
    for (const child of file.children) {
      for (const credential of child.badges) {
        expect(await verifyBadgeCredential(receiver.db, credential)).toMatchObject({
          valid: true,
          checks: { signature: { reason: "signature_ok" }, issuer: { reason: "issuer_transferred" }, status: { reason: "not_revoked_at_transfer" } },
        });
      }
    }
    // A tampered copy of a transferred badge is still refused there.
    const tampered = structuredClone(badge) as EditableJson;
    tampered.credentialSubject.achievement.name = "Gold Doctorate";
    expect(await verifyBadgeCredential(receiver.db, tampered)).toMatchObject({ valid: false, checks: { signature: { reason: "signature_invalid" } } });
    // And at the sender, still running, an independent verifier agrees from its published documents.
    setDb(sender.db);
    expect((await independentVerifier().verify(badge)).verified).toBe(true);
  });

  it("refuses a file whose badges were changed, swapped to another child, or signed with a forger's key, importing nothing", async () => {
    const before = await receiver.db.selectFrom("transferred_record").select("id").execute();
    const file = await exported();
    const { fingerprint } = await ownIssuerFingerprint(sender.db, sender.coordinator.m, A);

    const changed = structuredClone(file) as EditableJson;
    changed.children.find((child: EditableJson) => child.givenName === "Siân").badges[0].credentialSubject.achievement.name = "Gold Doctorate";
    const swapped = structuredClone(file) as EditableJson;
    const others = swapped.children.filter((child: EditableJson) => child.givenName !== "Siân");
    others[0].badges.push(siânOf(file).badges[1]);
    for (const [what, bad, reason] of [
      ["changed", changed, "badges.verify.reasons.signature_invalid"],
      ["swapped", swapped, "transfer.errors.not_this_child"],
    ] as const) {
      const result = await importTransfer(receiver.db, receiver.coordinator.m, JSON.stringify(bad), fingerprint);
      expect({ what, result }).toMatchObject({ what, result: { ok: false, error: "badges_invalid", problems: [{ reason }] } });
    }

    // A forger's file: the same issuer name, their own key in its DID document, badges re-signed with it.
    const forged = structuredClone(file) as EditableJson;
    const method = forged.from.didDocument.verificationMethod[0];
    const keyPair = await Ed25519Multikey.generate({ controller: forged.from.issuer, id: method.id });
    method.publicKeyMultibase = (await keyPair.export({ publicKey: true })).publicKeyMultibase;
    for (const child of forged.children) {
      child.badges = await Promise.all(
        child.badges.map(async ({ proof: _proof, ...unsigned }: OpenBadgeCredential) =>
          signCredential(receiver.db, { keyPair } as SigningKey, unsigned as OpenBadgeCredential),
        ),
      );
    }
    // Its fingerprint is not the sender's: confirming the sender's fingerprint does not import it.
    expect(issuerFingerprint(forged.from.didDocument)).not.toBe(fingerprint);
    const forgedImport = await importTransfer(receiver.db, receiver.coordinator.m, JSON.stringify(forged), fingerprint);
    expect(forgedImport.ok).toBe(false);
    expect(await receiver.db.selectFrom("transferred_record").select("id").execute()).toHaveLength(before.length);
    // Once the genuine issuer is trusted, a file giving it other keys is refused outright.
    expect(await importTransfer(receiver.db, receiver.coordinator.m, JSON.stringify(file), fingerprint)).toMatchObject({ ok: true });
    expect(await previewTransfer(receiver.db, receiver.coordinator.m, JSON.stringify(forged))).toEqual({ ok: false, error: "issuer_keys_changed" });
    expect(await importTransfer(receiver.db, receiver.coordinator.m, JSON.stringify(forged), issuerFingerprint(forged.from.didDocument))).toMatchObject({
      ok: false,
      error: "issuer_keys_changed",
    });
    expect(await receiver.db.selectFrom("transferred_record").select("id").execute()).toHaveLength(file.children.length);
  });

  it("refuses a file naming one of the receiver's own issuers, and files that are not transfer files, with a message key", async () => {
    const own = await issueCertificates(receiver.db, {
      areaId: receiver.areas.north.id,
      awards: [],
      issuedBy: null,
      origin: B,
    });
    expect(own).toEqual([]);
    const { did } = await ownIssuerFingerprint(receiver.db, receiver.coordinator.m, B);
    const file = (await exported()) as EditableJson;
    file.from.issuer = did;
    file.from.didDocument.id = did;
    for (const method of file.from.didDocument.verificationMethod) {
      method.controller = did;
      method.id = `${did}#key-1`;
    }
    file.from.didDocument.assertionMethod = [`${did}#key-1`];
    expect(await previewTransfer(receiver.db, receiver.coordinator.m, JSON.stringify(file))).toEqual({ ok: false, error: "own_issuer" });
    for (const [text, error] of [
      ["{not json", "not_json"],
      [JSON.stringify({ type: "Something" }), "not_transfer"],
      [JSON.stringify({ ...(await exported()), children: [{ givenName: "x" }] }), "not_transfer"],
      // A child without a birth month cannot be a child here (version 1 files had none).
      [JSON.stringify({ ...(await exported()), children: [{ ...siânOf(await exported()), birthMonth: 13 }] }), "not_transfer"],
      [JSON.stringify({ ...(await exported()), version: 1 }), "old_version"],
    ] as const) {
      expect(await previewTransfer(receiver.db, receiver.coordinator.m, text)).toEqual({ ok: false, error });
    }
  });

  it("answers the page's bad input with a 4xx and a message, and refuses anyone but a coordinator", async () => {
    setDb(receiver.db);
    const post = async (who: Person, fields: Record<string, string | Blob>) => {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      const result = await settle(
        transferAction({ request: new Request(`${B}/coordinator/transfer`, { method: "POST", body: form }), context: who.context, params: {} } as never),
      );
      if (result instanceof Response) return { status: result.status, data: null };
      const { data, init } = result as unknown as { data: { error: string | null }; init: { status?: number } | null };
      return data === undefined ? { status: 200, data: result as unknown as { error: string | null } } : { status: init?.status ?? 200, data };
    };
    expect(await post(receiver.coordinator, { intent: "check", file: new Blob([""]) })).toMatchObject({
      status: 400,
      data: { error: "transfer.errors.missing" },
    });
    expect(await post(receiver.coordinator, { intent: "check", file: new Blob(["{oops"], { type: "application/json" }) })).toMatchObject({
      status: 400,
      data: { error: "transfer.errors.not_json" },
    });
    const text = JSON.stringify(await exported());
    const checked = await post(receiver.coordinator, { intent: "check", file: new Blob([text], { type: "application/json" }) });
    expect(checked).toMatchObject({ status: 200, data: { error: null, preview: { problems: [] } } });
    expect(await post(receiver.coordinator, { intent: "import", transfer: text })).toMatchObject({
      status: 400,
      data: { error: "transfer.errors.trust_not_confirmed", preview: { children: sender.areas.north.children.length } },
    });
    expect((await post(receiver.guardian, { intent: "check", file: new Blob([text]) })).status).toBe(403);
    await expect(previewTransfer(receiver.db, receiver.guardian.m, text)).rejects.toMatchObject({ status: 403 });
  });
});

describe("a transferred record in the receiving area (ADR 0036)", () => {
  const transferred = () =>
    receiver.db
      .selectFrom("child")
      .select(["id", "area_id", "given_name", "family_name", "birth_year", "birth_month", "preferred_language", "passport_number", "status", "school_id"])
      .where("registered_via", "=", "transfer")
      .orderBy("given_name")
      .execute();

  it("is a child of the receiving area with its own passport and no guardian yet, made once however often the file comes", async () => {
    const file = await exported();
    const { fingerprint } = await ownIssuerFingerprint(sender.db, sender.coordinator.m, A);
    // The earlier tests imported this file three times: one child each, all in the importing area.
    expect(await importTransfer(receiver.db, receiver.coordinator.m, JSON.stringify(file), fingerprint)).toMatchObject({ ok: true, imported: 0 });
    const children = await transferred();
    expect(children).toHaveLength(file.children.length);
    const siân = children.find((child) => child.given_name === "Siân")!;
    const sent = siânOf(file);
    expect(siân).toMatchObject({
      area_id: receiver.areas.north.id,
      family_name: "Ŵyn",
      birth_year: sent.birthYear,
      birth_month: sent.birthMonth,
      preferred_language: sent.preferredLanguage,
      status: "active",
      school_id: null,
    });
    // A passport of this area, not the other's number (which stays in the imported history).
    expect(siân.passport_number).not.toBe(sent.passportNumber);
    expect(await receiver.db.selectFrom("guardian_child").select("user_id").where("child_id", "=", siân.id).execute()).toEqual([]);
    expect((await transferredRecords(receiver.db, receiver.coordinator.m)).find((record) => record.givenName === "Siân")!.childId).toBe(siân.id);
    // The area's coordinator sees the child like any other of the area's.
    expect(await childrenVisibleTo(receiver.db, receiver.coordinator.m).select("child.id").where("child.id", "=", siân.id).executeTakeFirst()).toEqual({
      id: siân.id,
    });
  });

  it("keeps the other Children's University's hours, awards and badges as imported history, not as this area's credits or awards", async () => {
    const siân = (await transferred()).find((child) => child.given_name === "Siân")!;
    const [history, ...more] = await importedHistory(receiver.db, receiver.coordinator.m, siân.id);
    expect(more).toEqual([]);
    const sent = siânOf(await exported());
    expect(history).toMatchObject({
      from: { en: "Area north", cy: "Ardal north", issuer: "did:web:cu-a.example:issuers:north" },
      passportNumber: sent.passportNumber,
      hours: sent.hours,
      awards: [
        { en: "Award 30", cy: "Gwobr 30", hours: 30 },
        { en: "Award 65", cy: "Gwobr 65", hours: 65 },
      ],
    });
    // The badges still verify against the original issuer, trusted at the transfer.
    expect(history!.badges).toHaveLength(2);
    for (const badge of history!.badges) {
      expect(await verifyBadgeCredential(receiver.db, badge)).toMatchObject({ valid: true, checks: { issuer: { reason: "issuer_transferred" } } });
    }
    // Nothing of it is in this area's ledger or awards: the equity reports count this area's activity only.
    const ids = (await transferred()).map((child) => child.id);
    expect(await receiver.db.selectFrom("credit").select("id").where("child_id", "in", ids).execute()).toEqual([]);
    expect(await receiver.db.selectFrom("award").select("child_id").where("child_id", "in", ids).execute()).toEqual([]);
    expect(await receiver.db.selectFrom("certificate").select("id").where("child_id", "in", ids).execute()).toEqual([]);
  });

  it("is not seen by another area of the receiving deployment", async () => {
    const south = await createPerson(receiver.db, { email: "south-coord@transfer.test", areaId: receiver.areas.south.id, role: "coordinator" });
    const [m] = await loadMemberships(receiver.db, south.userId);
    const ids = (await transferred()).map((child) => child.id);
    expect(await childrenVisibleTo(receiver.db, m!).select("child.id").where("child.id", "in", ids).execute()).toEqual([]);
    expect(await transferredRecords(receiver.db, m!)).toEqual([]);
    await expect(importedHistory(receiver.db, m!, ids[0]!)).rejects.toMatchObject({ status: 404 });
    // Nor by the receiving area's guardians who are not linked to the child.
    await expect(importedHistory(receiver.db, receiver.guardian.m, ids[0]!)).rejects.toMatchObject({ status: 404 });
    // The coordinator's letters are for transferred children only: south has none.
    expect(await createLetters(receiver.db, m!, {})).toEqual([]);
  });

  it("gets a letter for its family from the coordinator's page, a PDF; no one else can print them", async () => {
    setDb(receiver.db);
    const print = (context: AppLoadContext) =>
      settle(lettersAction({ request: new Request(`${B}/coordinator/transfer/letters.pdf`, { method: "POST" }), context, params: {} } as never));
    const response = (await print(receiver.coordinator.context)) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(
      Buffer.from(await response.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    expect(((await print(receiver.guardian.context)) as Response).status).toBe(403);
  });

  it("is linked to a guardian with the coordinator's letter; the guardian's copy of the record carries the history", async () => {
    const siân = (await transferred()).find((child) => child.given_name === "Siân")!;
    const letters = await createLetters(receiver.db, receiver.coordinator.m, {});
    // Every transferred child without a guardian, and none of the area's other children.
    expect(letters.map((letter) => letter.childId).sort()).toEqual((await transferred()).map((child) => child.id).sort());
    const parent = await createPerson(receiver.db, { email: "siân-parent@transfer.test", areaId: receiver.areas.south.id, role: "guardian" });
    const context = await contextFor(receiver.db, parent.userId, parent.membershipId);
    const actor = await loadActor(receiver.db, context.signedIn!);
    const code = letters.find((letter) => letter.childId === siân.id)!.code;
    expect(await redeemChildLink(receiver.db, actor, { code, consent: true })).toMatchObject({ ok: true, childId: siân.id });
    const [guardian] = (await loadMemberships(receiver.db, parent.userId)).filter((m) => m.areaId === receiver.areas.north.id);
    const history = await importedHistory(receiver.db, guardian!, siân.id);
    expect(history.map((item) => item.badges.length)).toEqual([2]);
    // The passport page shows it beside this area's (empty) record, in the guardian's language.
    setDb(receiver.db);
    const page = (await passportLoader({
      request: new Request(`${B}/guardian/children/${siân.id}?lang=cy`),
      context: await contextFor(receiver.db, parent.userId, guardian!.id),
      params: { childId: siân.id },
    } as never)) as unknown as { progress: { hours: number }; imported: Array<{ from: { cy: string }; hours: number; badges?: unknown }> };
    expect(page.progress.hours).toBe(0);
    expect(page.imported).toMatchObject([{ from: { cy: "Ardal north" }, hours: siânOf(await exported()).hours }]);
    expect(page.imported[0]!.badges).toBeUndefined();
    const data = await exportChildData(receiver.db, guardian!, siân.id);
    expect(data.importedHistory).toMatchObject([{ from: { en: "Area north" }, hours: siânOf(await exported()).hours, badges: [{}, {}] }]);
    // The readable summary says where the history came from, in both languages.
    const summary = (await summaryLoader({
      request: new Request(`${B}/guardian/children/${siân.id}/summary.pdf?lang=cy`),
      context: await contextFor(receiver.db, parent.userId, guardian!.id),
      params: { childId: siân.id },
    } as never)) as Response;
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", "-", "-"], { input: Buffer.from(await summary.arrayBuffer()) })
      .toString("utf8")
      .replace(/\s+/g, " ");
    expect(text).toContain("Wedi dod o Ardal north");
    expect(text).toContain("Gwobr 30 (30 awr)");
    expect(text).toContain("2 o fathodynnau digidol wedi'u llofnodi gan Ardal north");
    expect(text).toContain("Brought from Area north");
    expect(text).toContain("2 digital badges signed by Area north");
    // Once linked, the next letters leave the child out.
    expect((await createLetters(receiver.db, receiver.coordinator.m, {})).map((letter) => letter.childId)).not.toContain(siân.id);
  });

  it("offers each imported badge as its own download, as signed, to the child's guardian and the child, and to no one else", async () => {
    setDb(receiver.db);
    const siân = (await transferred()).find((child) => child.given_name === "Siân")!;
    const [history] = await importedHistory(receiver.db, receiver.coordinator.m, siân.id);
    // The guardian who linked the child with the coordinator's letter (the test before).
    const [guardian, guardianContext] = await linkedGuardian();
    const pictures = ["cat", "dog", "dog", "cat"] as const;
    const signIn = async (m: Membership, childId: string, address: string) => {
      const { code: card } = await createChildCard(receiver.db, m, childId, [...pictures]);
      const result = await signInChild(receiver.db, { code: card, pictures: [...pictures] }, address);
      if (!result.ok) throw new Error("sign-in failed");
      return { signedIn: (await authenticate(receiver.db, result.setCookie.split(";")[0])).signedIn, cspNonce: "t", clientAddress: address } as AppLoadContext;
    };
    const siânSession = await signIn(guardian, siân.id, "10.8.0.1");
    // Another child of the area, signed in with a card of their own guardian's.
    const otherSession = await signIn(receiver.guardian.m, receiver.areas.north.children[0]!.id, "10.8.0.2");

    const forGuardian = (context: AppLoadContext, badgeKey: string, childId = siân.id) =>
      settle(
        importedBadgeLoader({
          request: new Request(`${B}/guardian/children/${childId}/imported/${badgeKey}.json`),
          context,
          params: { childId, badgeKey },
        } as never),
      );
    const forChild = (context: AppLoadContext, badgeKey: string) =>
      settle(childImportedBadgeLoader({ request: new Request(`${B}/me/imported/${badgeKey}.json`), context, params: { badgeKey } } as never));

    // The passport page and the child's own page link each badge by its key.
    const keys = history!.badges.map((badge) => importedBadgeKey(badge));
    expect(new Set(keys).size).toBe(2);
    const page = (await passportLoader({
      request: new Request(`${B}/guardian/children/${siân.id}?lang=en`),
      context: guardianContext,
      params: { childId: siân.id },
    } as never)) as unknown as { imported: Array<{ badgeFiles: Array<{ key: string; name: { en: string; cy: string } }> }> };
    expect(page.imported[0]!.badgeFiles).toEqual([
      { key: keys[0], name: { cy: "Gwobr 30", en: "Award 30" }, from: { en: "Area north", cy: "Ardal north" } },
      { key: keys[1], name: { cy: "Gwobr 65", en: "Award 65" }, from: { en: "Area north", cy: "Ardal north" } },
    ]);
    const own = (await childPassportLoader({ request: new Request(`${B}/me`), context: siânSession, params: {} } as never)) as unknown as {
      importedBadges: Array<{ key: string }>;
    };
    expect(own.importedBadges.map((badge) => badge.key)).toEqual(keys);
    const other = (await childPassportLoader({ request: new Request(`${B}/me`), context: otherSession, params: {} } as never)) as unknown as {
      importedBadges: unknown[];
    };
    expect(other.importedBadges).toEqual([]);

    for (const [index, key] of keys.entries()) {
      for (const response of [(await forGuardian(guardianContext, key)) as Response, (await forChild(siânSession, key)) as Response]) {
        expect(response.status).toBe(200);
        expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
        expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="open-badge-imported-[0-9a-f]{8}\.json"/);
        const credential = JSON.parse(await response.text()) as EditableJson;
        // Exactly as the other Children's University signed it, and still verifying here.
        expect(credential).toEqual(history!.badges[index]);
        expect(await verifyBadgeCredential(receiver.db, credential as OpenBadgeCredential)).toMatchObject({
          valid: true,
          checks: { issuer: { reason: "issuer_transferred" } },
        });
      }
    }

    // The refusals of the area's own badge downloads: another family's guardian or child, a key
    // that is none of the child's badges or not a key, staff, and the wrong kind of session.
    const key = keys[0]!;
    expect(((await forGuardian(receiver.guardian.context, key)) as Response).status).toBe(404);
    expect(((await forGuardian(guardianContext, key, receiver.areas.north.children[0]!.id)) as Response).status).toBe(404);
    expect(((await forGuardian(receiver.coordinator.context, key)) as Response).status).toBe(403);
    expect(((await forChild(otherSession, key)) as Response).status).toBe(404);
    for (const bad of ["0".repeat(32), key.toUpperCase(), `${key}0`, "not-a-key"]) {
      expect(((await forGuardian(guardianContext, bad)) as Response).status, bad).toBe(404);
      expect(((await forChild(siânSession, bad)) as Response).status, bad).toBe(404);
    }
    const childAtGuardian = (await forGuardian(siânSession, key)) as Response;
    expect([childAtGuardian.status, childAtGuardian.headers.get("Location")]).toEqual([302, "/me"]);
    for (const context of [guardianContext, receiver.coordinator.context, signedOutContext]) {
      const refused = (await forChild(context, key)) as Response;
      expect([refused.status, refused.headers.get("Location")]).toEqual([302, "/child-sign-in"]);
    }
    const signedOut = (await forGuardian(signedOutContext, key)) as Response;
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get("Location")).toMatch(/^\/login/);
    // Another area of the receiving deployment cannot reach it either.
    const south = await createPerson(receiver.db, { email: "south-badges@transfer.test", areaId: receiver.areas.south.id, role: "guardian" });
    expect(((await forGuardian(await contextFor(receiver.db, south.userId, south.membershipId), key)) as Response).status).toBe(404);
  });

  it("is withdrawn with its history, its badges then downloadable by no one, and the same file does not bring the child back", async () => {
    const siân = (await transferred()).find((child) => child.given_name === "Siân")!;
    const [guardian, guardianContext] = await linkedGuardian();
    const [badge] = (await importedHistory(receiver.db, guardian, siân.id))[0]!.badges;
    const badgeKey = importedBadgeKey(badge!);
    expect(await withdrawChild(receiver.db, guardian, siân.id, true)).toEqual({ ok: true });
    const record = await receiver.db.selectFrom("transferred_record").selectAll().where("child_id", "=", siân.id).executeTakeFirstOrThrow();
    expect(record).toMatchObject({ given_name: "", family_name: "", birth_year: null, record: "{}", badges: "[]" });
    const { fingerprint } = await ownIssuerFingerprint(sender.db, sender.coordinator.m, A);
    const again = await importTransfer(receiver.db, receiver.coordinator.m, JSON.stringify(await exported()), fingerprint);
    expect(again).toMatchObject({ ok: true, imported: 0, withdrawn: 1 });
    expect((await transferred()).filter((child) => child.status === "active").map((child) => child.given_name)).not.toContain("Siân");
    expect((await transferredRecords(receiver.db, receiver.coordinator.m)).map((item) => item.givenName)).not.toContain("Siân");
    setDb(receiver.db);
    const gone = await settle(
      importedBadgeLoader({
        request: new Request(`${B}/guardian/children/${siân.id}/imported/${badgeKey}.json`),
        context: guardianContext,
        params: { childId: siân.id, badgeKey },
      } as never),
    );
    expect((gone as Response).status).toBe(404);
  });
});

/** Siân's guardian at the receiver (linked with the coordinator's letter), with a session. */
async function linkedGuardian(): Promise<[Membership, AppLoadContext]> {
  const user = await receiver.db.selectFrom("app_user").select("id").where("email", "=", "siân-parent@transfer.test").executeTakeFirstOrThrow();
  const [guardian] = (await loadMemberships(receiver.db, user.id)).filter((m) => m.areaId === receiver.areas.north.id && m.role === "guardian");
  return [guardian!, await contextFor(receiver.db, user.id, guardian!.id)];
}
