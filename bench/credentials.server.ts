import { generateKeyPairSync, sign, verify } from "node:crypto";
import { issueCertificates } from "~/modules/certificates/certificates.server";
import { signingKey } from "~/modules/certificates/issuer-keys.server";
import { buildOpenBadgeCredential, signCredential, storedCredential } from "~/modules/certificates/open-badges.server";
import { verifyBadgeCredential } from "~/modules/certificates/verify-badge.server";
import type { DB } from "~/modules/db/database.server";

/**
 * Open Badges (issue 17): what signing and verifying a credential costs, next to its floor in
 * the same run: JSON.stringify of the same credential and a plain Ed25519 signature (node:crypto)
 * of those bytes, with no JSON-LD and no canonicalisation. Then the time to issue a graduation's
 * certificates for 500 children (issueCertificates: one transaction, 500 certificates, each
 * signed as an OpenBadgeCredential and stored).
 */

const ORIGIN = "https://bench.pasbort.example";
const FLOOR_OPERATIONS = 2000;
const SIGNINGS = 200;
const VERIFICATIONS = 100;
const GRADUATION_CHILDREN = 500;
const GRADUATION_RUNS = 3;

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

async function perOperation(count: number, work: (index: number) => Promise<unknown> | unknown) {
  await work(0); // warm-up, not counted
  const samples: number[] = [];
  const started = performance.now();
  for (let index = 0; index < count; index++) {
    const one = performance.now();
    await work(index);
    samples.push(performance.now() - one);
  }
  const seconds = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  return {
    n: count,
    perSecond: round(count / seconds, 1),
    p50: round(samples[Math.floor(count * 0.5)]!, 3),
    p95: round(samples[Math.floor(count * 0.95)]!, 3),
  };
}

export async function benchCredentials(db: DB, areaId: string, log: (line: string) => void) {
  const children = await db
    .selectFrom("child")
    .select(["id", "passport_number"])
    .where("area_id", "=", areaId)
    .where("status", "=", "active")
    .where("passport_number", "is not", null)
    .orderBy("id")
    .limit(GRADUATION_CHILDREN)
    .execute();
  if (children.length < GRADUATION_CHILDREN) throw new Error(`The credentials bench needs ${GRADUATION_CHILDREN} children; the area has ${children.length}.`);

  const key = await signingKey(db, areaId, ORIGIN);
  const unsigned = (index: number) =>
    buildOpenBadgeCredential({
      issuer: key.issuer,
      certificate: {
        id: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
        serial: index + 1,
        awardLevelId: "00000000-0000-4000-8000-000000000000",
        awardNameEn: "Gold Undergraduate",
        awardNameCy: "Israddedig Aur",
        thresholdHours: 100,
        reachedOn: "2026-07-01",
        issuedAt: new Date(),
        graduationId: null,
      },
      passportNumber: children[index % children.length]!.passport_number!,
    });

  log(`Open Badges: floor (JSON.stringify + Ed25519, ${FLOOR_OPERATIONS} each)…`);
  const plain = generateKeyPairSync("ed25519");
  const sample = unsigned(0);
  const floorSign = await perOperation(FLOOR_OPERATIONS, (index) => sign(null, Buffer.from(JSON.stringify({ ...sample, serial: index })), plain.privateKey));
  const bytes = Buffer.from(JSON.stringify(sample));
  const signature = sign(null, bytes, plain.privateKey);
  const floorVerify = await perOperation(FLOOR_OPERATIONS, () => {
    if (!verify(null, bytes, plain.publicKey, signature)) throw new Error("The floor's signature did not verify.");
  });

  log(`Open Badges: eddsa-rdfc-2022 signing (${SIGNINGS}) and the full /verify check (${VERIFICATIONS})…`);
  const signed: Array<Record<string, unknown>> = [];
  const signing = await perOperation(SIGNINGS, async (index) => signed.push(await signCredential(db, key, unsigned(index))));

  // A real stored credential (with its status list entry): what someone pastes into /verify.
  const [first] = await issueCertificates(db, {
    areaId,
    awards: [{ childId: children[0]!.id, awardLevelId: await benchLevel(db, areaId, 0) }],
    issuedBy: null,
    origin: ORIGIN,
  });
  const pasted = (await storedCredential(db, first!.id))!;
  const verification = await perOperation(VERIFICATIONS, async () => {
    const result = await verifyBadgeCredential(db, pasted);
    if (result.kind !== "checked" || !result.valid) throw new Error(`A bench credential did not verify: ${JSON.stringify(result)}`);
  });

  log(`Open Badges: a graduation's certificates for ${GRADUATION_CHILDREN} children (${GRADUATION_RUNS} runs)…`);
  const graduationMs: number[] = [];
  for (let run = 1; run <= GRADUATION_RUNS; run++) {
    const levelId = await benchLevel(db, areaId, run);
    const started = performance.now();
    const issued = await issueCertificates(db, {
      areaId,
      awards: children.map((child) => ({ childId: child.id, awardLevelId: levelId })),
      issuedBy: null,
      origin: ORIGIN,
    });
    graduationMs.push(performance.now() - started);
    if (issued.length !== GRADUATION_CHILDREN) throw new Error(`Issued ${issued.length} certificates, not ${GRADUATION_CHILDREN}.`);
  }
  graduationMs.sort((a, b) => a - b);
  const result = {
    floorSign,
    floorVerify,
    sign: signing,
    verify: verification,
    signOverFloor: round(floorSign.perSecond / signing.perSecond, 1),
    verifyOverFloor: round(floorVerify.perSecond / verification.perSecond, 1),
    credentialBytes: Buffer.byteLength(JSON.stringify(pasted)),
    graduation500: {
      children: GRADUATION_CHILDREN,
      runs: GRADUATION_RUNS,
      p50Ms: round(graduationMs[Math.floor(GRADUATION_RUNS / 2)]!, 0),
      maxMs: round(graduationMs.at(-1)!, 0),
    },
  };
  log(
    `  sign ${signing.perSecond}/s (floor ${floorSign.perSecond}/s); verify ${verification.perSecond}/s (floor ${floorVerify.perSecond}/s); 500 certificates ${result.graduation500.p50Ms} ms`,
  );
  return result;
}

/** A fresh award level of the area, reached by the bench's children (so each run signs new certificates). */
async function benchLevel(db: DB, areaId: string, run: number) {
  const level = await db
    .insertInto("award_level")
    .values({
      area_id: areaId,
      threshold_hours: 90_000 + run,
      name_en: `Bench award ${run}`,
      name_cy: `Gwobr meincnod ${run}`,
      stage: "undergraduate",
      tier: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const children = await db
    .selectFrom("child")
    .select("id")
    .where("area_id", "=", areaId)
    .where("status", "=", "active")
    .where("passport_number", "is not", null)
    .orderBy("id")
    .limit(GRADUATION_CHILDREN)
    .execute();
  await db
    .insertInto("award")
    .values(children.map((child) => ({ area_id: areaId, child_id: child.id, award_level_id: level.id, reached_on: "2026-07-01" })))
    .execute();
  return level.id;
}
