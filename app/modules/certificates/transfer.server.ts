import { createHash } from "node:crypto";
import type { ChildPrincipal } from "../accounts/access.server";
import { childrenInScope } from "../accounts/access.server";
import { forbidden, isUuid, notFound, type Membership } from "../accounts/actor.server";
import { recordAudit } from "../audit/audit.server";
import { insertChild } from "../children/registration.server";
import type { DB } from "../db/database.server";
import type { Language } from "../db/schema";
import { documentLoaderFor, MULTIKEY_V1, type DidDocument } from "./document-loader.server";
import { ensureIssuer, ownDidDocument } from "./issuer-keys.server";
import { hashedIdentity } from "./open-badges.server";
import { statusListCredential, STATUS_LIST_LENGTH } from "./status-list.server";
import { verifyBadgeWith, type BadgeVerification } from "./verify-badge.server";
import type { TranslationKey } from "../i18n/i18n";
import { sameArea } from "../db/same-area.server";

/**
 * Moving children's records between Children's Universities (issue 17): when one closes, or a
 * family moves, its coordinator exports the area's records (a JSON file) and the other's
 * coordinator imports them, with every badge still verifying there, offline.
 *
 * The file carries what the receiving side needs to check the badges without the network or
 * the sending server: the issuer's DID document (its public keys) and its signed status
 * lists. Anyone could write such a file with keys of their own, so trusting it is an explicit
 * decision: the importing coordinator is shown the issuer's key fingerprint, confirms it with
 * the sending Children's University by another channel (the sender's export page shows the
 * same fingerprint), and the confirmation is bound to exactly that document. An issuer that is
 * one of this deployment's own can never be imported (it would let a file add keys to it), and
 * an issuer trusted before must keep every key it had. Every badge must verify against the
 * file's documents and belong to its child (the salted hash of the child's passport number),
 * or nothing is imported.
 *
 * Each record imported becomes a child of the receiving area (ADR 0036): a new passport
 * there, no guardian until one links, and the other Children's University's hours, awards and
 * badges kept beside it as imported history, never as this area's credits.
 */

export const TRANSFER_TYPE = "PasbortRecordTransfer";
/** Version 2 (ADR 0036) adds each child's birth month and language, which a child of the receiving area needs. */
export const TRANSFER_VERSION = 2;
export const MAX_TRANSFER_BYTES = 20 * 1024 * 1024;

type Json = Record<string, unknown>;

export interface TransferChild {
  givenName: string;
  familyName: string;
  birthYear: number;
  birthMonth: number;
  preferredLanguage: Language;
  passportNumber: string;
  school: string | null;
  hours: number;
  awards: Array<{ en: string; cy: string; hours: number; reachedOn: string }>;
  badges: Json[];
}

export interface TransferFile {
  type: typeof TRANSFER_TYPE;
  version: number;
  exportedAt: string;
  from: { nameEn: string; nameCy: string; issuer: string; didDocument: DidDocument; statusLists: Json[] };
  children: TransferChild[];
}

function requireCoordinator(m: Membership) {
  if (m.role !== "coordinator") forbidden();
}

/** What a coordinator compares by phone or letter: a short hash of the issuer's DID document (its keys). */
export function issuerFingerprint(document: DidDocument) {
  const keys = document.verificationMethod.map((method) => `${method.id} ${method.publicKeyMultibase}`).sort();
  const hex = createHash("sha256")
    .update(`${document.id}\n${keys.join("\n")}`, "utf8")
    .digest("hex")
    .slice(0, 24);
  return hex.match(/.{4}/g)!.join(" ").toUpperCase();
}

/** The coordinator's own issuer and its fingerprint, for the export page (made on first use). */
export async function ownIssuerFingerprint(db: DB, m: Membership, origin: string) {
  requireCoordinator(m);
  const issuer = await ensureIssuer(db, m.areaId, origin);
  const document = (await ownDidDocument(db, issuer.did))!;
  return { did: issuer.did, fingerprint: issuerFingerprint(document) };
}

/** Every active child of the coordinator's area, with their hours, awards and valid badges (audited). */
export async function exportAreaRecords(db: DB, m: Membership, origin: string, now = new Date()): Promise<TransferFile> {
  requireCoordinator(m);
  const issuer = await ensureIssuer(db, m.areaId, origin);
  const didDocument = (await ownDidDocument(db, issuer.did))!;
  const children = await db
    .selectFrom("child")
    .leftJoin("school", sameArea("school.id", "child.school_id"))
    .leftJoin("ledger_child_total as total", sameArea("total.child_id", "child.id"))
    .select([
      "child.id",
      "child.given_name",
      "child.family_name",
      "child.birth_year",
      "child.birth_month",
      "child.preferred_language",
      "child.passport_number",
      "school.name as school",
      "total.quarter_hours",
    ])
    .where("child.area_id", "=", m.areaId)
    .where("child.status", "=", "active")
    .orderBy("child.family_name")
    .orderBy("child.given_name")
    .execute();
  const awards = await db
    .selectFrom("award")
    .innerJoin("award_level as level", sameArea("level.id", "award.award_level_id"))
    .select(["award.child_id", "level.name_en", "level.name_cy", "level.threshold_hours", "award.reached_on"])
    .where("award.area_id", "=", m.areaId)
    .orderBy("level.threshold_hours")
    .execute();
  const badges = await db
    .selectFrom("badge_credential")
    .innerJoin("certificate", sameArea("certificate.id", "badge_credential.certificate_id"))
    .select(["certificate.child_id", "certificate.serial", "badge_credential.credential"])
    .where("badge_credential.area_id", "=", m.areaId)
    .where("certificate.revoked_at", "is", null)
    .orderBy("certificate.serial")
    .execute();
  const lists = [...new Set(badges.map((badge) => Math.floor(badge.serial / STATUS_LIST_LENGTH) + 1))];
  const statusLists = [];
  for (const list of lists) statusLists.push(await statusListCredential(db, m.areaId, issuer.baseUrl, list));

  const file: TransferFile = {
    type: TRANSFER_TYPE,
    version: TRANSFER_VERSION,
    exportedAt: now.toISOString(),
    from: { nameEn: issuer.nameEn, nameCy: issuer.nameCy, issuer: issuer.did, didDocument, statusLists },
    children: children.map((child) => ({
      givenName: child.given_name!,
      familyName: child.family_name!,
      birthYear: child.birth_year,
      birthMonth: child.birth_month!,
      preferredLanguage: child.preferred_language,
      passportNumber: child.passport_number!,
      school: child.school,
      hours: (child.quarter_hours ?? 0) / 4,
      awards: awards
        .filter((award) => award.child_id === child.id)
        .map((award) => ({ en: award.name_en, cy: award.name_cy, hours: award.threshold_hours, reachedOn: award.reached_on })),
      badges: badges.filter((badge) => badge.child_id === child.id).map((badge) => JSON.parse(badge.credential) as Json),
    })),
  };
  await recordAudit(db, {
    areaId: m.areaId,
    actorUserId: m.userId,
    action: "records_exported",
    subjectType: "area",
    subjectId: m.areaId,
    details: { children: file.children.length, badges: badges.length },
  });
  return file;
}

// ---------------------------------------------------------------------------------------------
// Import

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const isText = (value: unknown, max = 200): value is string => typeof value === "string" && value.trim().length > 0 && value.length <= max;

export type TransferError =
  | "not_json"
  | "not_transfer"
  | "old_version"
  | "too_large"
  | "own_issuer"
  | "issuer_document_invalid"
  | "issuer_keys_changed"
  | "badges_invalid"
  | "trust_not_confirmed";

/** Reads a transfer file's text; anything not in its shape is one error key (never an exception). */
export function parseTransferFile(text: string): { file: TransferFile } | { error: TransferError } {
  if (Buffer.byteLength(text, "utf8") > MAX_TRANSFER_BYTES) return { error: "too_large" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return { error: "not_json" };
  }
  if (!isObject(parsed) || parsed.type !== TRANSFER_TYPE) return { error: "not_transfer" };
  // Version 1 had no birth month or language: the sender's Pasbort must export again.
  if (parsed.version === 1) return { error: "old_version" };
  if (parsed.version !== TRANSFER_VERSION) return { error: "not_transfer" };
  const from = parsed.from;
  if (!isObject(from) || !isText(from.nameEn) || !isText(from.nameCy) || !isText(from.issuer, 500) || !Array.isArray(from.statusLists))
    return { error: "not_transfer" };
  if (!Array.isArray(parsed.children)) return { error: "not_transfer" };
  for (const child of parsed.children as unknown[]) {
    if (!isObject(child) || !isText(child.givenName) || !isText(child.familyName) || !isText(child.passportNumber, 40)) return { error: "not_transfer" };
    if (!Number.isInteger(child.birthYear) || (child.birthYear as number) < 1990 || (child.birthYear as number) > 2100) return { error: "not_transfer" };
    if (!Number.isInteger(child.birthMonth) || (child.birthMonth as number) < 1 || (child.birthMonth as number) > 12) return { error: "not_transfer" };
    if (child.preferredLanguage !== "cy" && child.preferredLanguage !== "en") return { error: "not_transfer" };
    if (typeof child.hours !== "number" || !Number.isFinite(child.hours) || child.hours < 0) return { error: "not_transfer" };
    if (!Array.isArray(child.awards) || !Array.isArray(child.badges) || !(child.badges as unknown[]).every(isObject)) return { error: "not_transfer" };
  }
  if (!wellFormedDidDocument(from.didDocument, from.issuer)) return { error: "issuer_document_invalid" };
  return { file: parsed as unknown as TransferFile };
}

/** A DID document of `did` whose every key is an Ed25519 Multikey of its own. */
function wellFormedDidDocument(document: unknown, did: string): document is DidDocument {
  if (!isObject(document) || document.id !== did || !did.startsWith("did:web:")) return false;
  const methods = document.verificationMethod;
  if (!Array.isArray(methods) || methods.length === 0) return false;
  for (const method of methods as unknown[]) {
    if (!isObject(method) || method.type !== "Multikey" || method.controller !== did) return false;
    if (typeof method.id !== "string" || !method.id.startsWith(`${did}#`)) return false;
    // An Ed25519 public key as Multikey: multibase base58btc of 0xed01 + 32 bytes ("z6Mk…").
    if (typeof method.publicKeyMultibase !== "string" || !/^z6Mk[1-9A-HJ-NP-Za-km-z]{40,50}$/.test(method.publicKeyMultibase)) return false;
  }
  const ids = new Set((methods as Array<{ id: string }>).map((method) => method.id));
  return Array.isArray(document.assertionMethod) && (document.assertionMethod as unknown[]).every((id) => typeof id === "string" && ids.has(id));
}

export interface BadgeProblem {
  child: string;
  badge: string | null;
  reason: TranslationKey;
}

export interface TransferPreview {
  issuer: { did: string; nameEn: string; nameCy: string; fingerprint: string; keys: number; trustedBefore: boolean };
  exportedAt: string;
  children: number;
  badges: number;
  problems: BadgeProblem[];
}

/** Why a badge of the file does not verify against the file's own documents, or belong to its child. */
async function badgeProblems(file: TransferFile): Promise<BadgeProblem[]> {
  const document = { ...file.from.didDocument, "@context": file.from.didDocument["@context"] ?? [MULTIKEY_V1] };
  const lists = new Map(file.from.statusLists.filter((list) => typeof list.id === "string").map((list) => [list.id as string, list]));
  const sources = {
    resolveIssuer: async (did: string) => (did === file.from.issuer ? { document, source: { kind: "transferred" as const, trustedAt: new Date() } } : null),
    documentLoader: documentLoaderFor(async (did) => (did === file.from.issuer ? document : null), lists),
  };
  const problems: BadgeProblem[] = [];
  for (const child of file.children) {
    const name = `${child.givenName} ${child.familyName}`;
    for (const badge of child.badges) {
      const label = typeof badge.name === "string" ? badge.name.slice(0, 200) : null;
      const result: BadgeVerification = await verifyBadgeWith(sources, badge).catch(() => ({ kind: "malformed", reason: "not_credential" }) as const);
      if (result.kind === "malformed") {
        problems.push({ child: name, badge: label, reason: `badges.verify.errors.${result.reason}` });
        continue;
      }
      const failed = Object.values(result.checks).find((check) => check.outcome !== "pass");
      if (failed) {
        problems.push({ child: name, badge: label, reason: `badges.verify.reasons.${failed.reason}` });
        continue;
      }
      if (!belongsTo(badge, child.passportNumber)) problems.push({ child: name, badge: label, reason: "transfer.errors.not_this_child" });
    }
  }
  return problems;
}

/** Whether the badge's hashed identifier is this child's passport number with its salt (OB 3.0 IdentityObject). */
function belongsTo(badge: Json, passportNumber: string) {
  const subject = isObject(badge.credentialSubject) ? badge.credentialSubject : {};
  const identifiers = Array.isArray(subject.identifier) ? subject.identifier.filter(isObject) : [];
  return identifiers.some(
    (item) =>
      item.identityType === "identifier" &&
      item.hashed === true &&
      typeof item.salt === "string" &&
      item.identityHash === hashedIdentity(passportNumber, item.salt),
  );
}

/** Refuses an issuer that is one of ours, or one trusted before whose keys the file drops or changes. */
async function issuerRefusal(db: DB, file: TransferFile): Promise<TransferError | null> {
  if (await ownDidDocument(db, file.from.issuer)) return "own_issuer";
  const before = await db.selectFrom("trusted_issuer").select("did_document").where("did", "=", file.from.issuer).executeTakeFirst();
  if (before) {
    const known = JSON.parse(before.did_document) as DidDocument;
    const now = new Map(file.from.didDocument.verificationMethod.map((method) => [method.id, method.publicKeyMultibase]));
    if (known.verificationMethod.some((method) => now.get(method.id) !== method.publicKeyMultibase)) return "issuer_keys_changed";
  }
  return null;
}

/** Step one: what the file holds and whether every badge in it verifies; nothing is kept. */
export async function previewTransfer(
  db: DB,
  m: Membership,
  text: string,
): Promise<{ ok: true; preview: TransferPreview } | { ok: false; error: TransferError }> {
  requireCoordinator(m);
  const parsed = parseTransferFile(text);
  if ("error" in parsed) return { ok: false, error: parsed.error };
  const { file } = parsed;
  const refusal = await issuerRefusal(db, file);
  if (refusal) return { ok: false, error: refusal };
  const trustedBefore = await db.selectFrom("trusted_issuer").select("did").where("did", "=", file.from.issuer).executeTakeFirst();
  return {
    ok: true,
    preview: {
      issuer: {
        did: file.from.issuer,
        nameEn: file.from.nameEn,
        nameCy: file.from.nameCy,
        fingerprint: issuerFingerprint(file.from.didDocument),
        keys: file.from.didDocument.verificationMethod.length,
        trustedBefore: Boolean(trustedBefore),
      },
      exportedAt: file.exportedAt,
      children: file.children.length,
      badges: file.children.reduce((sum, child) => sum + child.badges.length, 0),
      problems: await badgeProblems(file),
    },
  };
}

/** How a later file finds a child's record again: not the passport number itself, which the record drops on withdrawal. */
export function passportKey(issuer: string, passportNumber: string) {
  return createHash("sha256").update(`${issuer} ${passportNumber}`, "utf8").digest("hex");
}

/**
 * The receiving area's child made from a transferred record: a passport of this area, the
 * names, birth month and language the sender held, no school (the sender's school is not one
 * of ours; it stays in the imported history) and no home neighbourhood (not transferred:
 * "not known" in the equity reports). No guardian and no consent here yet: the guardian gives
 * the area's consent when they link with a letter (guardian-links.server.ts).
 */
async function newTransferredChild(trx: DB, m: Membership, child: TransferChild, now: Date) {
  return insertChild(
    trx,
    m,
    {
      given_name: child.givenName.trim(),
      family_name: child.familyName.trim(),
      birth_year: child.birthYear,
      birth_month: child.birthMonth,
      preferred_language: child.preferredLanguage,
      registered_via: "transfer",
    },
    now,
  );
}

/**
 * Step two: imports the file's records into the coordinator's area and trusts its issuer, if
 * `confirmedFingerprint` is the fingerprint of the file's issuer (the coordinator's explicit
 * decision, made against the preview) and every badge verifies. All or nothing; audited.
 */
export async function importTransfer(
  db: DB,
  m: Membership,
  text: string,
  confirmedFingerprint: string,
): Promise<
  { ok: true; imported: number; updated: number; withdrawn: number; badges: number } | { ok: false; error: TransferError; problems?: BadgeProblem[] }
> {
  const previewed = await previewTransfer(db, m, text);
  if (!previewed.ok) return previewed;
  const { preview } = previewed;
  if (confirmedFingerprint !== preview.issuer.fingerprint) return { ok: false, error: "trust_not_confirmed" };
  if (preview.problems.length > 0) return { ok: false, error: "badges_invalid", problems: preview.problems };
  const { file } = parseTransferFile(text) as { file: TransferFile };
  const counts = { imported: 0, updated: 0, withdrawn: 0 };
  await db.transaction().execute(async (trx) => {
    const name = `${file.from.nameCy} · ${file.from.nameEn}`;
    await trx
      .insertInto("trusted_issuer")
      .values({
        did: file.from.issuer,
        name,
        did_document: JSON.stringify(file.from.didDocument),
        status_lists: JSON.stringify(file.from.statusLists),
        area_id: m.areaId,
        trusted_by: m.userId,
      })
      .onConflict((oc) =>
        oc.column("did").doUpdateSet({
          name,
          did_document: JSON.stringify(file.from.didDocument),
          status_lists: JSON.stringify(file.from.statusLists),
          updated_at: new Date(),
        }),
      )
      .execute();
    // The upsert above locks the issuer's row, so two imports of its files run one after the other.
    // A child received before from this issuer (found by passport key) keeps their child here and
    // has their imported history replaced by the newer file's; importing twice adds nothing. A
    // record imported before children were made from records (migration 0031) gets its child now.
    // One whose child was withdrawn here stays withdrawn: an old file does not bring them back.
    const existing = await trx
      .selectFrom("transferred_record as record")
      .leftJoin("child", sameArea("child.id", "record.child_id"))
      .select(["record.id", "record.passport_key", "record.child_id", "child.status"])
      .where("record.area_id", "=", m.areaId)
      .where("record.from_issuer", "=", file.from.issuer)
      .execute();
    const existingByKey = new Map(existing.map((row) => [row.passport_key, row]));
    const now = new Date();
    for (const child of file.children) {
      const key = passportKey(file.from.issuer, child.passportNumber);
      const before = existingByKey.get(key);
      if (before?.status === "withdrawn") {
        counts.withdrawn++;
        continue;
      }
      const history = {
        given_name: child.givenName.trim(),
        family_name: child.familyName.trim(),
        birth_year: child.birthYear,
        record: JSON.stringify({
          passportNumber: child.passportNumber,
          school: child.school,
          hours: child.hours,
          awards: child.awards,
          from: { en: file.from.nameEn, cy: file.from.nameCy },
        }),
        badges: JSON.stringify(child.badges),
        imported_by: m.userId,
      };
      const childId = before?.child_id ?? (await newTransferredChild(trx, m, child, now));
      if (before) {
        await trx
          .updateTable("transferred_record")
          .set({ ...history, child_id: childId })
          .where("area_id", "=", m.areaId)
          .where("id", "=", before.id)
          .execute();
        if (before.child_id) counts.updated++;
        else counts.imported++;
      } else {
        await trx
          .insertInto("transferred_record")
          .values({ area_id: m.areaId, from_issuer: file.from.issuer, passport_key: key, child_id: childId, ...history })
          .execute();
        counts.imported++;
      }
      existingByKey.set(key, { id: "", passport_key: key, child_id: childId, status: "active" });
    }
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "records_imported",
      subjectType: "trusted_issuer",
      subjectId: file.from.issuer,
      details: { children: preview.children, ...counts, badges: preview.badges, fingerprint: preview.issuer.fingerprint, exportedAt: file.exportedAt },
    });
  });
  return { ok: true, ...counts, badges: preview.badges };
}

/** How many records the coordinator's area holds, for the page to say when it lists only the newest. */
export async function transferredRecordCount(db: DB, m: Membership) {
  requireCoordinator(m);
  const row = await db
    .selectFrom("transferred_record as record")
    .leftJoin("child", sameArea("child.id", "record.child_id"))
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("record.area_id", "=", m.areaId)
    .where((eb) => eb.or([eb("record.child_id", "is", null), eb("child.status", "=", "active")]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The records imported into the coordinator's area, newest first (a withdrawn child's are gone). */
export async function transferredRecords(db: DB, m: Membership, limit = 500) {
  requireCoordinator(m);
  const rows = await db
    .selectFrom("transferred_record as record")
    .innerJoin("trusted_issuer as issuer", "issuer.did", "record.from_issuer")
    .leftJoin("child", sameArea("child.id", "record.child_id"))
    .select([
      "record.id",
      "record.child_id",
      "record.given_name",
      "record.family_name",
      "record.birth_year",
      "record.record",
      "record.badges",
      "record.imported_at",
      "issuer.name as from_name",
    ])
    .where("record.area_id", "=", m.areaId)
    .where((eb) => eb.or([eb("record.child_id", "is", null), eb("child.status", "=", "active")]))
    .orderBy("record.imported_at", "desc")
    .orderBy("record.family_name")
    .orderBy("record.given_name")
    .limit(limit)
    .execute();
  return rows.map((row) => {
    const record = JSON.parse(row.record) as { hours: number; awards: TransferChild["awards"] };
    return {
      id: row.id,
      childId: row.child_id,
      givenName: row.given_name,
      familyName: row.family_name,
      birthYear: row.birth_year,
      fromName: row.from_name,
      hours: record.hours,
      awards: record.awards,
      badges: (JSON.parse(row.badges) as unknown[]).length,
      importedAt: row.imported_at,
    };
  });
}

export interface ImportedHistory {
  /** The other Children's University, as its file named it (Welsh and English). */
  from: { en: string; cy: string; issuer: string };
  importedAt: string;
  /** Its passport number there, so the family can match old cards and letters. */
  passportNumber: string;
  school: string | null;
  hours: number;
  awards: TransferChild["awards"];
  /** The badges exactly as signed by the other Children's University: they verify against it, not us. */
  badges: Json[];
}

/**
 * A child's history from other Children's Universities, for whoever may see the child (their
 * guardian, the child on their own passport, the area's staff through childrenInScope):
 * kept beside this area's record, never counted as its credits or awards (ADR 0036).
 */
export async function importedHistory(db: DB, scope: Membership | ChildPrincipal, childId: string): Promise<ImportedHistory[]> {
  if (!isUuid(childId)) notFound();
  const child = await childrenInScope(db, scope).select("child.id").where("child.id", "=", childId).executeTakeFirst();
  if (!child) notFound();
  const rows = await db
    .selectFrom("transferred_record as record")
    .innerJoin("trusted_issuer as issuer", "issuer.did", "record.from_issuer")
    .select(["record.record", "record.badges", "record.imported_at", "record.from_issuer", "issuer.name"])
    .where("record.area_id", "=", scope.areaId)
    .where("record.child_id", "=", child.id)
    .orderBy("record.imported_at")
    .execute();
  return rows.map((row) => {
    const record = JSON.parse(row.record) as {
      passportNumber: string;
      school: string | null;
      hours: number;
      awards: TransferChild["awards"];
      from?: { en: string; cy: string };
    };
    // Records imported before 0031 have only the issuer's joined "cy · en" name.
    const [cy, en] = row.name.split(" · ");
    return {
      from: { ...(record.from ?? { en: en ?? row.name, cy: cy ?? row.name }), issuer: row.from_issuer },
      importedAt: row.imported_at.toISOString(),
      passportNumber: record.passportNumber,
      school: record.school,
      hours: record.hours,
      awards: record.awards,
      badges: JSON.parse(row.badges) as Json[],
    };
  });
}
