import { execFileSync, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import jsQR from "jsqr";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import { certificatesPdf } from "~/modules/certificates/certificate-pdf.server";
import { CertificateRefusal, issueCertificates, verifyCertificate } from "~/modules/certificates/certificates.server";
import { withdrawChild } from "~/modules/children/data-rights.server";
import { qrDataUrl } from "~/modules/claims/qr.server";
import { requireChild } from "~/modules/accounts/access.server";
import { guardianCredential } from "~/modules/certificates/badge-files.server";
import { verifyBadgeCredential } from "~/modules/certificates/verify-badge.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { loader as downloadLoader } from "~/routes/guardian.children.$childId.certificates.$awardLevelId[.pdf]";
import { loader as listLoader } from "~/routes/guardian.children.$childId.certificates._index";
import { loader as verifyLoader } from "~/routes/verify.$certificateId";
import { loader as verifyFormLoader } from "~/routes/verify._index";
import { loader as childDownloadLoader } from "~/routes/me.certificates.$awardLevelId[.pdf]";
import { loader as childBadgeLoader } from "~/routes/me.certificates.$awardLevelId[.json]";
import { loader as summaryLoader } from "~/routes/guardian.children.$childId.summary[.pdf]";
import { loader as dataJsonLoader } from "~/routes/guardian.children.$childId.data[.json]";
import { loader as childPassportLoader } from "~/routes/me._index";
import { authenticate } from "~/modules/accounts/auth.server";
import { createChildCard, signInChild } from "~/modules/children/child-sign-in.server";
import { contextFor, createPerson, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";

/**
 * Certificates: issuing (idempotent, serials without gaps), the bilingual PDF (read back with
 * pdftotext, so the Welsh letters are checked as a reader's software sees them), the public
 * verification page and the guardian's download — and the refusals.
 */

if (spawnSync("pdftotext", ["-v"]).error) {
  throw new Error("pdftotext is missing: the certificate tests read PDFs with it. Install poppler-utils (apt-get install poppler-utils).");
}

/** The QR code printed on a PDF's first page, read back from the page as pdftoppm draws it (in grey, 100 dpi). */
function pdfQrCode(pdf: Buffer) {
  const dir = mkdtempSync(path.join(tmpdir(), "pasbort-qr-"));
  try {
    writeFileSync(path.join(dir, "page.pdf"), pdf);
    const pgm = execFileSync("pdftoppm", ["-gray", "-r", "100", "-f", "1", "-l", "1", "-singlefile", path.join(dir, "page.pdf")]);
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString("latin1"))!;
    const [width, height] = [Number(header[1]), Number(header[2])];
    const grey = pgm.subarray(header[0].length);
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let pixel = 0; pixel < width * height; pixel++) {
      rgba.fill(grey[pixel]!, pixel * 4, pixel * 4 + 3);
      rgba[pixel * 4 + 3] = 255;
    }
    return jsQR(rgba, width, height)?.data ?? null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of a PDF as pdftotext extracts it. */
function pdfText(pdf: Buffer) {
  return execFileSync("pdftotext", ["-enc", "UTF-8", "-", "-"], { input: pdf }).toString("utf8");
}

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
type Person = { userId: string; membershipId: string; context: AppLoadContext; m: Membership };
const people: Record<string, Person> = {};
const levels: Record<string, string> = {};
const ORIGIN = "http://pasbort.test";
const get = (path: string) => new Request(`${ORIGIN}${path}`);

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  const { north, south } = areas;
  await db.updateTable("child").set({ given_name: "Siân", family_name: "O'Neill-Ŵyn" }).where("id", "=", north.children[0]!.id).execute();
  await db.updateTable("child").set({ given_name: "Dafydd", family_name: "Llwyd" }).where("id", "=", north.children[1]!.id).execute();
  for (const [key, areaId, threshold, nameEn, nameCy] of [
    ["star", north.id, 30, "Our House Star", "Seren ein Tŷ Ni"],
    ["silver", north.id, 65, "Silver Undergraduate", "Israddedig Arian"],
    ["gold", north.id, 100, "Gold Undergraduate", "Israddedig Aur"],
    ["south", south.id, 30, "Bronze Undergraduate", "Israddedig Efydd"],
  ] as const) {
    const level = await db
      .insertInto("award_level")
      .values({ area_id: areaId, threshold_hours: threshold, name_en: nameEn, name_cy: nameCy, stage: "undergraduate", tier: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    levels[key] = level.id;
  }
  // Awards are written directly: how they are reached is the awards tests' business.
  await db
    .insertInto("award")
    .values([
      { area_id: north.id, child_id: north.children[0]!.id, award_level_id: levels.star!, reached_on: "2026-10-01" },
      { area_id: north.id, child_id: north.children[0]!.id, award_level_id: levels.silver!, reached_on: "2026-10-20" },
      { area_id: north.id, child_id: north.children[1]!.id, award_level_id: levels.star!, reached_on: "2026-10-05" },
      { area_id: north.id, child_id: north.children[1]!.id, award_level_id: levels.silver!, reached_on: "2026-10-25", flagged_at: new Date() },
      { area_id: south.id, child_id: south.children[0]!.id, award_level_id: levels.south!, reached_on: "2026-10-02" },
    ])
    .execute();

  const specs: Array<[string, Parameters<typeof createPerson>[1]]> = [
    ["guardian", { email: "guardian@cert.test", areaId: north.id, role: "guardian", childIds: [north.children[0]!.id] }],
    ["otherGuardian", { email: "other@cert.test", areaId: north.id, role: "guardian", childIds: [north.children[1]!.id] }],
    ["southGuardian", { email: "south@cert.test", areaId: south.id, role: "guardian", childIds: [south.children[0]!.id] }],
    ["coordinator", { email: "coord@cert.test", areaId: north.id, role: "coordinator" }],
    ["provider", { email: "provider@cert.test", areaId: north.id, role: "provider_owner", providerId: north.providers[0]!.id }],
    ["school", { email: "school@cert.test", areaId: north.id, role: "school", schoolId: north.schools[0]!.id }],
    ["viewer", { email: "viewer@cert.test", areaId: north.id, role: "viewer" }],
  ];
  for (const [name, spec] of specs) {
    const person = await createPerson(db, spec);
    const [m] = await loadMemberships(db, person.userId);
    people[name] = { ...person, context: await contextFor(db, person.userId, person.membershipId), m: m! };
  }
});
afterAll(async () => close());

const north = () => areas.north;
const siân = () => areas.north.children[0]!.id;
const dafydd = () => areas.north.children[1]!.id;

async function verify(id: string) {
  return (await verifyLoader({ request: get(`/verify/${id}`), context: signedOutContext, params: { certificateId: id } } as never)) as unknown as {
    data: Record<string, unknown>;
    init: { status?: number } | null;
  };
}

describe("issuing certificates", () => {
  it("issues once per award: asking again gives the same certificate, serial and audit entry", async () => {
    const first = await issueCertificates(db, {
      areaId: north().id,
      awards: [{ childId: siân(), awardLevelId: levels.star! }],
      origin: ORIGIN,
      issuedBy: people.coordinator!.userId,
    });
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      serial: 1,
      childGivenName: "Siân",
      childFamilyName: "O'Neill-Ŵyn",
      awardNameCy: "Seren ein Tŷ Ni",
      awardNameEn: "Our House Star",
      thresholdHours: 30,
      reachedOn: "2026-10-01",
      schoolName: "north school 1",
      areaNameEn: "Area north",
      areaNameCy: "Ardal north",
      graduationId: null,
    });
    const again = await issueCertificates(db, {
      areaId: north().id,
      awards: [{ childId: siân(), awardLevelId: levels.star! }],
      origin: ORIGIN,
      issuedBy: null,
    });
    expect(again.map((c) => [c.id, c.serial])).toEqual([[first[0]!.id, 1]]);
    const award = await db
      .selectFrom("award")
      .select("certified_at")
      .where("child_id", "=", siân())
      .where("award_level_id", "=", levels.star!)
      .executeTakeFirstOrThrow();
    expect(award.certified_at).toBeInstanceOf(Date);
    const audit = await db
      .selectFrom("audit_event")
      .select(["actor_user_id", "area_id"])
      .where("action", "=", "certificate_issued")
      .where("subject_id", "=", first[0]!.id)
      .execute();
    expect(audit).toEqual([{ actor_user_id: people.coordinator!.userId, area_id: north().id }]);
  });

  it("gives distinct serials without gaps, even when asked at the same time, and one certificate per award", async () => {
    const asks = [
      { childId: siân(), awardLevelId: levels.silver! },
      { childId: dafydd(), awardLevelId: levels.star! },
      { childId: siân(), awardLevelId: levels.silver! },
    ];
    const results = await Promise.all(asks.map((award) => issueCertificates(db, { areaId: north().id, awards: [award], origin: ORIGIN, issuedBy: null })));
    const certificates = results.flat();
    expect(certificates[0]!.id).toBe(certificates[2]!.id);
    const serials = await db.selectFrom("certificate").select("serial").where("area_id", "=", north().id).orderBy("serial").execute();
    expect(serials.map((row) => row.serial)).toEqual([1, 2, 3]);
    // The other area counts on its own.
    const south = await issueCertificates(db, {
      areaId: areas.south.id,
      awards: [{ childId: areas.south.children[0]!.id, awardLevelId: levels.south! }],
      origin: ORIGIN,
      issuedBy: null,
    });
    expect(south[0]!.serial).toBe(1);
  });

  it("refuses an award not reached, a flagged award, or another area's award — and then issues nothing", async () => {
    const before = await db.selectFrom("certificate").select("id").execute();
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (error: unknown) => (error instanceof CertificateRefusal ? error.reason : error),
      );
    // The first award is fine; the second is not reached, so the whole call issues nothing.
    expect(
      await refusal(
        issueCertificates(db, {
          areaId: north().id,
          awards: [
            { childId: dafydd(), awardLevelId: levels.star! },
            { childId: siân(), awardLevelId: levels.gold! },
          ],
          issuedBy: null,
          origin: ORIGIN,
        }),
      ),
    ).toBe("award_not_found");
    expect(
      await refusal(
        issueCertificates(db, { areaId: north().id, awards: [{ childId: dafydd(), awardLevelId: levels.silver! }], origin: ORIGIN, issuedBy: null }),
      ),
    ).toBe("award_flagged");
    expect(
      await refusal(
        issueCertificates(db, { areaId: areas.south.id, awards: [{ childId: siân(), awardLevelId: levels.star! }], origin: ORIGIN, issuedBy: null }),
      ),
    ).toBe("award_not_found");
    expect(
      await refusal(
        issueCertificates(db, { areaId: north().id, awards: [{ childId: "x' or 1=1 --", awardLevelId: levels.star! }], origin: ORIGIN, issuedBy: null }),
      ),
    ).toBe("award_not_found");
    expect(await db.selectFrom("certificate").select("id").execute()).toHaveLength(before.length);
  });
});

describe("the certificate PDF", () => {
  it("prints the child's name, the award in Welsh and English, the hours, date, area, serial and verification address", async () => {
    const [certificate] = await issueCertificates(db, {
      areaId: north().id,
      awards: [{ childId: siân(), awardLevelId: levels.star! }],
      origin: ORIGIN,
      issuedBy: null,
    });
    const pdf = await certificatesPdf([certificate!], { origin: `${ORIGIN}/` });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.toString("latin1")).toContain("DejaVuSans");
    const text = pdfText(pdf);
    for (const expected of [
      "Siân O'Neill-Ŵyn",
      "Seren ein Tŷ Ni",
      "Our House Star",
      "30 awr o ddysgu",
      "30 hours of learning",
      "Cyrhaeddwyd 1 Hydref 2026",
      "Reached 1 October 2026",
      "Ardal north",
      "Area north",
      "Tystysgrif",
      "Certificate",
      "000001",
      `${ORIGIN}/verify/${certificate!.id}`,
    ]) {
      expect(text).toContain(expected);
    }
    // Its QR code, scanned from the printed page, leads to this certificate's verification page (which links to its badge).
    expect(pdfQrCode(pdf)).toBe(`${ORIGIN}/verify/${certificate!.id}`);
    // One landscape A4 page per certificate.
    const two = await certificatesPdf([certificate!, certificate!], { origin: ORIGIN });
    const info = execFileSync("pdfinfo", ["-"], { input: two }).toString();
    expect(info).toMatch(/Pages:\s+2/);
    expect(info).toMatch(/Page size:\s+841\.89 x 595\.28 pts \(A4\)/);
  });
});

describe("the public verification page", () => {
  it("shows only the given name, family initial, award, date and area of a valid certificate", async () => {
    const [certificate] = await issueCertificates(db, {
      areaId: north().id,
      awards: [{ childId: siân(), awardLevelId: levels.star! }],
      origin: ORIGIN,
      issuedBy: null,
    });
    const response = await verify(certificate!.id);
    expect(response.init?.status ?? 200).toBe(200);
    expect(response.data).toEqual({
      kind: "valid",
      certificateId: certificate!.id,
      hasBadge: true,
      givenName: "Siân",
      familyInitial: "O",
      awardNameEn: "Our House Star",
      awardNameCy: "Seren ein Tŷ Ni",
      thresholdHours: 30,
      reachedOn: "2026-10-01",
      reachedOnText: "1 October 2026",
      areaNameEn: "Area north",
      areaNameCy: "Ardal north",
    });
    const body = JSON.stringify(response.data);
    expect(body).not.toContain("Neill");
    expect(body).not.toContain("Ŵyn");
    expect(body).not.toContain("school");
  });

  it("says an unknown or malformed code cannot be verified (404), without a database error", async () => {
    for (const id of [randomUUID(), "not-a-uuid", "'; drop table certificate; --", ""]) {
      const response = await verify(id);
      expect(response.data, id).toEqual({ kind: "unknown" });
      expect(response.init?.status, id).toBe(404);
    }
  });

  it("says a revoked certificate has been withdrawn (410)", async () => {
    const [certificate] = await issueCertificates(db, {
      areaId: north().id,
      awards: [{ childId: dafydd(), awardLevelId: levels.star! }],
      origin: ORIGIN,
      issuedBy: null,
    });
    await db.updateTable("certificate").set({ revoked_at: new Date(), revoke_reason: "Credits were a mistake" }).where("id", "=", certificate!.id).execute();
    const response = await verify(certificate!.id);
    expect(response.data).toEqual({ kind: "revoked" });
    expect(response.init?.status).toBe(410);
    // The award can be certified again, with a new serial.
    const [reissued] = await issueCertificates(db, {
      areaId: north().id,
      awards: [{ childId: dafydd(), awardLevelId: levels.star! }],
      origin: ORIGIN,
      issuedBy: null,
    });
    expect(reissued!.id).not.toBe(certificate!.id);
    expect(reissued!.serial).toBe(4);
  });

  it("the check form sends a typed code or pasted address to its page, and explains a wrong one", async () => {
    const id = randomUUID();
    const redirect = await settle(
      verifyFormLoader({
        request: get(`/verify?id=${encodeURIComponent(` https://x.test/verify/${id.toUpperCase()} `)}`),
        context: signedOutContext,
        params: {},
      } as never),
    );
    expect((redirect as Response).headers.get("Location")).toBe(`/verify/${id}`);
    const wrong = await verifyFormLoader({ request: get("/verify?id=12345"), context: signedOutContext, params: {} } as never);
    expect(wrong).toEqual({ typed: "12345", error: "certificates.verify.idInvalid" });
  });
});

describe("a guardian's certificates", () => {
  const download = (who: string, childId: string, awardLevelId: string) =>
    settle(
      downloadLoader({
        request: get(`/guardian/children/${childId}/certificates/${awardLevelId}.pdf`),
        context: people[who]!.context,
        params: { childId, awardLevelId },
      } as never),
    );

  it("lists the child's awards and downloads a certificate as a PDF", async () => {
    const list = (await listLoader({
      request: get(`/guardian/children/${siân()}/certificates`),
      context: people.guardian!.context,
      params: { childId: siân() },
    } as never)) as {
      awards: Array<{ nameEn: string; certificate: { serial: number } | null; flagged: boolean }>;
    };
    expect(list.awards.map((award) => [award.nameEn, award.certificate?.serial, award.flagged])).toEqual([
      ["Our House Star", 1, false],
      ["Silver Undergraduate", 2, false],
    ]);
    // Each printed certificate's badge: its link for a wallet app, and a QR code of that link.
    const [star] = list.awards as unknown as Array<{ certificate: { id: string }; wallet: { url: string; qr: string } | null }>;
    expect(star!.wallet?.url).toBe(`${ORIGIN}/credentials/${star!.certificate.id}`);
    const svg = Buffer.from(star!.wallet!.qr.replace(/^data:image\/svg\+xml;base64,/, ""), "base64").toString("utf8");
    expect(svg).toMatch(/^<svg [^>]*viewBox/);
    expect(star!.wallet!.qr).toBe(await qrDataUrl(star!.wallet!.url));
    const response = (await download("guardian", siân(), levels.silver!)) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    const text = pdfText(Buffer.from(await response.arrayBuffer()));
    expect(text).toContain("Siân O'Neill-Ŵyn");
    expect(text).toContain("Israddedig Arian");
    expect(text).toContain("000002");
  });

  it("refuses another family's child, a child in another area, other roles and an award not reached", async () => {
    expect(((await download("otherGuardian", siân(), levels.star!)) as Response).status).toBe(404);
    expect(((await download("southGuardian", siân(), levels.star!)) as Response).status).toBe(404);
    expect(((await download("guardian", areas.south.children[0]!.id, levels.south!)) as Response).status).toBe(404);
    for (const who of ["provider", "school", "viewer", "coordinator"]) {
      expect(((await download(who, siân(), levels.star!)) as Response).status, who).toBe(403);
    }
    expect(((await download("guardian", siân(), levels.gold!)) as Response).status).toBe(404);
    expect(((await download("otherGuardian", dafydd(), levels.silver!)) as Response).status).toBe(404); // flagged
    expect(((await download("guardian", siân(), "not-a-uuid")) as Response).status).toBe(404);
    const otherList = await settle(
      listLoader({ request: get(`/guardian/children/${siân()}/certificates`), context: people.otherGuardian!.context, params: { childId: siân() } } as never),
    );
    expect((otherList as Response).status).toBe(404);
    // None of the refusals printed a certificate.
    const gold = await db.selectFrom("certificate").select("id").where("award_level_id", "=", levels.gold!).execute();
    expect(gold).toEqual([]);
  });
});

describe("a child's own certificates (issue 16)", () => {
  let dafyddSession: AppLoadContext;
  let platinum: string;
  beforeAll(async () => {
    // Dafydd reaches gold too (no certificate yet); nobody reaches platinum.
    await db.insertInto("award").values({ area_id: north().id, child_id: dafydd(), award_level_id: levels.gold!, reached_on: "2026-11-01" }).execute();
    const level = await db
      .insertInto("award_level")
      .values({
        area_id: north().id,
        threshold_hours: 130,
        name_en: "Bronze Undergraduate 2",
        name_cy: "Israddedig Efydd 2",
        stage: "undergraduate",
        tier: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    platinum = level.id;
    const pictures = ["cat", "dog", "cat", "dog"] as const;
    const { code } = await createChildCard(db, people.otherGuardian!.m, dafydd(), [...pictures]);
    const result = await signInChild(db, { code, pictures: [...pictures] }, "10.9.0.1");
    if (!result.ok) throw new Error("sign-in failed");
    const { signedIn } = await authenticate(db, result.setCookie.split(";")[0]);
    dafyddSession = { signedIn, cspNonce: "t", clientAddress: "10.9.0.1" };
  });
  const download = (context: AppLoadContext, awardLevelId: string) =>
    settle(childDownloadLoader({ request: get(`/me/certificates/${awardLevelId}.pdf`), context, params: { awardLevelId } } as never));
  const valid = (awardLevelId: string) =>
    db
      .selectFrom("certificate")
      .select(["serial", "issued_by"])
      .where("child_id", "=", dafydd())
      .where("award_level_id", "=", awardLevelId)
      .where("revoked_at", "is", null)
      .execute();

  it("are listed on the child's passport, highest first, and download as the guardian's PDF, printed by no grown-up the first time", async () => {
    const page = (await childPassportLoader({ request: get("/me"), context: dafyddSession, params: {} } as never)) as {
      awards: Array<{ id: string; en: string; certificate: boolean }>;
    };
    // The silver award waits for the coordinator (flagged): no certificate to download yet.
    expect(page.awards.map((award) => [award.en, award.certificate])).toEqual([
      ["Gold Undergraduate", true],
      ["Silver Undergraduate", false],
      ["Our House Star", true],
    ]);
    expect(await valid(levels.gold!)).toEqual([]);
    const response = (await download(dafyddSession, levels.gold!)) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    const text = pdfText(Buffer.from(await response.arrayBuffer()));
    expect(text).toContain("Dafydd Llwyd");
    expect(text).toContain("Israddedig Aur");
    const issued = await valid(levels.gold!);
    expect(issued).toEqual([{ serial: expect.any(Number), issued_by: null }]);
    // Asking again gives the same certificate: no second serial; one printed before is the one given.
    await download(dafyddSession, levels.gold!);
    expect(await valid(levels.gold!)).toEqual(issued);
    const star = await valid(levels.star!);
    expect(star).toHaveLength(1);
    expect(pdfText(Buffer.from(await ((await download(dafyddSession, levels.star!)) as Response).arrayBuffer()))).toContain(
      String(star[0]!.serial).padStart(6, "0"),
    );
    expect(await valid(levels.star!)).toEqual(star);
  });

  it("are only the child's own: an award waiting, not reached or another area's is a 404; a grown-up's session goes to the child's sign-in", async () => {
    const before = await db.selectFrom("certificate").select("id").execute();
    expect(((await download(dafyddSession, levels.silver!)) as Response).status).toBe(404); // flagged
    expect(((await download(dafyddSession, platinum)) as Response).status).toBe(404); // not reached
    expect(((await download(dafyddSession, levels.south!)) as Response).status).toBe(404); // another area's child has it
    expect(((await download(dafyddSession, "not-a-uuid")) as Response).status).toBe(404);
    for (const context of [people.otherGuardian!.context, people.coordinator!.context, signedOutContext]) {
      const refused = (await download(context, levels.gold!)) as Response;
      expect(refused.status).toBe(302);
      expect(refused.headers.get("Location")).toBe("/child-sign-in");
    }
    expect(await db.selectFrom("certificate").select("id").execute()).toEqual(before);
  });

  it("give the child their own award's digital badge through the same module as the guardian's, and no other child's", async () => {
    const me = requireChild(dafyddSession);
    const { certificate, credential } = await guardianCredential(db, me, me.childId, levels.star!, ORIGIN, { withName: false });
    expect(credential.id).toBe(`${ORIGIN}/credentials/${certificate.id}`);
    expect(await verifyBadgeCredential(db, credential)).toMatchObject({ valid: true });
    await expect(guardianCredential(db, me, siân(), levels.star!, ORIGIN, { withName: false })).rejects.toMatchObject({ status: 404 });
  });

  it("download as the child's own badge file at /me, naming no one, with the PDF's refusals", async () => {
    const badge = (context: AppLoadContext, awardLevelId: string) =>
      settle(childBadgeLoader({ request: get(`/me/certificates/${awardLevelId}.json`), context, params: { awardLevelId } } as never));
    const response = (await badge(dafyddSession, levels.gold!)) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; /);
    const text = await response.text();
    const credential = JSON.parse(text) as { id: string; credentialSubject: { identifier: Array<{ identityType: string }> } };
    const [gold] = await valid(levels.gold!);
    const certificate = await db.selectFrom("certificate").select("id").where("serial", "=", gold!.serial).executeTakeFirstOrThrow();
    expect(credential.id).toBe(`${ORIGIN}/credentials/${certificate.id}`);
    expect(await verifyBadgeCredential(db, credential as never)).toMatchObject({ valid: true });
    // The guardian chooses whether to add the name; the child's own copy carries only the private code.
    expect(credential.credentialSubject.identifier.map((item) => item.identityType)).toEqual(["identifier"]);
    expect(text).not.toContain("Dafydd");
    const before = await db.selectFrom("certificate").select("id").execute();
    expect(((await badge(dafyddSession, levels.silver!)) as Response).status).toBe(404); // waiting for the coordinator
    expect(((await badge(dafyddSession, platinum)) as Response).status).toBe(404); // not reached
    expect(((await badge(dafyddSession, levels.south!)) as Response).status).toBe(404); // another area's
    expect(((await badge(dafyddSession, "not-a-uuid")) as Response).status).toBe(404);
    for (const context of [people.otherGuardian!.context, people.coordinator!.context, signedOutContext]) {
      const refused = (await badge(context, levels.gold!)) as Response;
      expect(refused.status).toBe(302);
      expect(refused.headers.get("Location")).toBe("/child-sign-in");
    }
    expect(await db.selectFrom("certificate").select("id").execute()).toEqual(before);
  });

  it("show each printed badge's address and its QR code on the child's own page, for a wallet app, as the guardian's page does", async () => {
    const page = (await childPassportLoader({ request: get("/me"), context: dafyddSession, params: {} } as never)) as {
      awards: Array<{ id: string; wallet: { url: string; qr: string } | null }>;
    };
    const gold = await db
      .selectFrom("certificate")
      .select("id")
      .where("child_id", "=", dafydd())
      .where("award_level_id", "=", levels.gold!)
      .where("revoked_at", "is", null)
      .executeTakeFirstOrThrow();
    const wallet = page.awards.find((award) => award.id === levels.gold!)!.wallet;
    expect(wallet?.url).toBe(`${ORIGIN}/credentials/${gold.id}`);
    expect(wallet?.qr).toBe(await qrDataUrl(wallet!.url));
    // The award waiting for the coordinator has no certificate, so no badge to add.
    expect(page.awards.find((award) => award.id === levels.silver!)!.wallet).toBeNull();
  });
});

describe("the guardian's whole-record download (issue 17)", () => {
  const summary = async (lang: "cy" | "en", context = people.guardian!.context) =>
    settle(summaryLoader({ request: get(`/guardian/children/${siân()}/summary.pdf?lang=${lang}`), context, params: { childId: siân() } } as never));

  it("has a readable PDF summary, in the guardian's language then the other: hours by kind of activity, awards and each credential", async () => {
    const serial = await db
      .selectFrom("certificate")
      .select(["id", "serial"])
      .where("child_id", "=", siân())
      .where("award_level_id", "=", levels.star!)
      .executeTakeFirstOrThrow();
    for (const lang of ["cy", "en"] as const) {
      const response = (await summary(lang)) as Response;
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toBe("application/pdf");
      expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; /);
      // pdftotext breaks long lines: the checks read the text with its line breaks as spaces.
      const text = pdfText(Buffer.from(await response.arrayBuffer())).replace(/\s+/g, " ");
      const welsh = text.indexOf("Cofnod Prifysgol y Plant Siân O'Neill-Ŵyn");
      const english = text.indexOf("Siân O'Neill-Ŵyn's Children's University record");
      expect(welsh).toBeGreaterThanOrEqual(0);
      expect(english).toBeGreaterThanOrEqual(0);
      expect(lang === "cy" ? welsh < english : english < welsh).toBe(true);
      const [cy, en] = welsh < english ? [text.slice(welsh, english), text.slice(english)] : [text.slice(welsh), text.slice(english, welsh)];
      // Hours by kind of activity (the fixture's one credit: an hour of football).
      expect(cy).toContain("Oriau yn ôl math o weithgaredd: 1 awr i gyd");
      expect(cy).toContain("Chwaraeon: 1 awr (Football 1 awr)");
      expect(en).toContain("Hours by kind of activity: 1 hour in all");
      expect(en).toContain("Sport: 1 hour (Football 1 hour)");
      // Awards, with ŷ and ŵ as a reader's software sees them.
      expect(cy).toContain("Seren ein Tŷ Ni (30 awr), a gyrhaeddwyd ar 1 Hydref 2026");
      expect(cy).toContain("Israddedig Arian (65 awr)");
      expect(en).toContain("Our House Star (30 hours), reached on 1 October 2026");
      // Each credential, with where to check it.
      const number = String(serial.serial).padStart(6, "0");
      expect(cy).toContain(`Seren ein Tŷ Ni: tystysgrif ${number}`);
      // The address may wrap across lines in the PDF.
      expect(cy.replace(/ /g, "")).toContain(`/verify/${serial.id}`);
      expect(en).toContain(`Our House Star: certificate ${number}`);
      expect(en).toContain("Its digital badge is in the JSON file");
    }
  });

  it("carries the same summary as text at the top of the JSON", async () => {
    const response = (await dataJsonLoader({
      request: get(`/guardian/children/${siân()}/data.json?lang=en`),
      context: people.guardian!.context,
      params: { childId: siân() },
    } as never)) as Response;
    const body = JSON.parse(await response.text()) as { readableSummary: string; certificates: Array<{ openBadge: unknown }> };
    expect(Object.keys(body)[0]).toBe("readableSummary");
    expect(body.readableSummary.indexOf("Siân O'Neill-Ŵyn's Children's University record")).toBe(0);
    expect(body.readableSummary).toContain("- Sport: 1 hour (Football 1 hour)");
    expect(body.readableSummary).toContain("Cofnod Prifysgol y Plant Siân O'Neill-Ŵyn");
    expect(body.readableSummary).toContain("- Seren ein Tŷ Ni (30 awr), a gyrhaeddwyd ar 1 Hydref 2026");
    expect(body.certificates.some((certificate) => certificate.openBadge !== null)).toBe(true);
  });

  it("are refused to anyone but the child's guardian: another family's guardian, a coordinator, the child's own session, someone signed out", async () => {
    const pictures = ["dog", "cat", "dog", "cat"] as const;
    const { code } = await createChildCard(db, people.guardian!.m, siân(), [...pictures]);
    const result = await signInChild(db, { code, pictures: [...pictures] }, "10.9.0.2");
    if (!result.ok) throw new Error("sign-in failed");
    const { signedIn } = await authenticate(db, result.setCookie.split(";")[0]);
    const siânSession: AppLoadContext = { signedIn, cspNonce: "t", clientAddress: "10.9.0.2" };
    const json = (context: AppLoadContext) =>
      settle(dataJsonLoader({ request: get(`/guardian/children/${siân()}/data.json`), context, params: { childId: siân() } } as never));
    for (const download of [(context: AppLoadContext) => summary("en", context), json]) {
      expect(((await download(people.otherGuardian!.context)) as Response).status).toBe(404);
      for (const who of ["coordinator", "school", "provider", "viewer"]) expect(((await download(people[who]!.context)) as Response).status, who).toBe(403);
      // The child signed in on their own passport is sent back to it, not given the guardian's file.
      const child = (await download(siânSession)) as Response;
      expect(child.status).toBe(302);
      expect(child.headers.get("Location")).toBe("/me");
      const signedOut = (await download(signedOutContext)) as Response;
      expect(signedOut.status).toBe(302);
      expect(signedOut.headers.get("Location")).toMatch(/^\/login/);
    }
    // A child id that is not a child's, or not an id at all, is a 404 like another family's.
    for (const childId of [randomUUID(), "not-a-uuid"]) {
      const response = (await settle(
        summaryLoader({ request: get(`/guardian/children/${childId}/summary.pdf`), context: people.guardian!.context, params: { childId } } as never),
      )) as Response;
      expect(response.status, childId).toBe(404);
    }
  });
});

describe("a withdrawn child", () => {
  it("makes their certificates unverifiable, like an unknown code", async () => {
    const [certificate] = await issueCertificates(db, {
      areaId: north().id,
      awards: [{ childId: dafydd(), awardLevelId: levels.star! }],
      origin: ORIGIN,
      issuedBy: null,
    });
    expect((await verify(certificate!.id)).data).toMatchObject({ kind: "valid", givenName: "Dafydd", familyInitial: "L" });
    expect(await withdrawChild(db, people.otherGuardian!.m, dafydd(), true, new Date("2026-11-20T12:00:00Z"))).toEqual({ ok: true });
    const response = await verify(certificate!.id);
    expect(response.data).toEqual({ kind: "unknown" });
    expect(response.init?.status).toBe(404);
    expect(await verifyCertificate(db, certificate!.id)).toEqual({ kind: "unknown" });
  });
});
