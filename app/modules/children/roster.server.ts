import { createHash } from "node:crypto";
import { recordAudit } from "../audit/audit.server";
import { forbidden, isUuid, notFound, type Membership } from "../accounts/actor.server";
import type { DB } from "../db/database.server";
import { lookupPostcode, resolveHome } from "../reference/postcodes.server";
import { birthMonthError, CONSENT_VERSION, EQUITY_CONSENT_VERSION, insertChild } from "./registration.server";
import { decodeRosterBytes, parseRosterText, ROSTER_MAX_BYTES, type RosterEncoding, type RosterRow } from "./roster-file.server";

/**
 * A school coordinator's roster import: upload → preview (nothing about the children is
 * written yet except the checked rows, waiting at most a day) → import the valid rows, or
 * nothing. A second import of the same file updates the same children, matched on the
 * school's own pupil reference. Postcodes are turned into LSOAs during the preview and never
 * kept.
 */

export const PREVIEW_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** What waits in roster_import.pending_rows: a checked row, its postcode already replaced by an LSOA. */
interface PendingRow {
  line: number;
  pupilRef: string;
  givenName: string;
  familyName: string;
  birthYear: number;
  birthMonth: number;
  yearGroup: number;
  className: string | null;
  homeLsoa: string | null;
  /** Absent in previews made before WIMD 2025: then the 2011 LSOA's single 2021 match, if any. */
  homeLsoa21?: string | null;
  fsm: boolean | null;
}

export type RowAction = "create" | "update" | "optedOut" | "invalid";

export interface PreviewRow {
  line: number;
  pupilRef: string;
  name: string;
  action: RowAction;
  problems: string[];
  /** Not problems: the row imports, but the coordinator should know. */
  notes: string[];
}

export type PreviewResult =
  | {
      ok: true;
      importId: string;
      encoding: RosterEncoding;
      rows: PreviewRow[];
      counts: { total: number; valid: number; invalid: number; create: number; update: number; optedOut: number };
      hasFsm: boolean;
    }
  | { ok: false; error: string; missing?: string[] };

function requireSchool(m: Membership) {
  if (m.role !== "school" || !m.schoolId) forbidden();
  return m.schoolId;
}

/** The only trace kept of a withdrawn pupil: a hash of area, school and reference. */
export function pupilRefHash(areaId: string, schoolId: string, pupilRef: string) {
  return createHash("sha256").update(`${areaId}\n${schoolId}\n${pupilRef.trim().toLowerCase()}`).digest("hex");
}

/**
 * Checks an uploaded file and stores its valid rows for import. The school is always the
 * coordinator's own: there is no way to name another.
 */
export async function previewRoster(db: DB, m: Membership, bytes: Uint8Array, now = new Date()): Promise<PreviewResult> {
  const schoolId = requireSchool(m);
  if (bytes.byteLength === 0) return { ok: false, error: "roster.errors.empty" };
  if (bytes.byteLength > ROSTER_MAX_BYTES) return { ok: false, error: "roster.errors.tooLarge" };
  const { text, encoding } = decodeRosterBytes(bytes);
  const parsed = parseRosterText(text, (year, month) => {
    const problem = birthMonthError(year, month, now);
    return problem && `roster.problems.${problem.split(".").pop()}`;
  });
  if (!parsed.ok) return parsed;

  const existing = await db
    .selectFrom("child")
    .select(["school_pupil_ref"])
    .where("area_id", "=", m.areaId)
    .where("school_id", "=", schoolId)
    .where("status", "=", "active")
    .where("school_pupil_ref", "is not", null)
    .execute();
  const existingRefs = new Set(existing.map((row) => row.school_pupil_ref!.toLowerCase()));
  const optOuts = new Set(
    (await db.selectFrom("roster_opt_out").select("pupil_ref_hash").where("area_id", "=", m.areaId).where("school_id", "=", schoolId).execute()).map(
      (row) => row.pupil_ref_hash,
    ),
  );

  const pending: PendingRow[] = [];
  const rows: PreviewRow[] = [];
  const lsoaByPostcode = new Map<string, Awaited<ReturnType<typeof lookupPostcode>>>();
  for (const row of parsed.rows) {
    const notes: string[] = [];
    let action: RowAction;
    let home: { code: string | null; code21: string | null } = { code: null, code21: null };
    if (row.problems.length) action = "invalid";
    else if (optOuts.has(pupilRefHash(m.areaId, schoolId, row.pupilRef))) action = "optedOut";
    else action = existingRefs.has(row.pupilRef.toLowerCase()) ? "update" : "create";
    if (action === "create" || action === "update") {
      if (row.postcode) {
        const lookup = lsoaByPostcode.get(row.postcode) ?? (await lookupPostcode(db, row.postcode));
        lsoaByPostcode.set(row.postcode, lookup);
        if (lookup.status === "found") home = lookup.lsoa;
        else notes.push(lookup.status === "outsideWales" ? "roster.notes.outsideWales" : "roster.notes.postcodeUnknown");
      } else notes.push("roster.notes.postcodeMissing");
      pending.push(toPending(row, home));
    }
    rows.push({ line: row.line, pupilRef: row.pupilRef, name: `${row.givenName} ${row.familyName}`.trim(), action, problems: row.problems, notes });
  }

  const counts = {
    total: rows.length,
    valid: pending.length,
    invalid: rows.filter((row) => row.action === "invalid").length,
    create: rows.filter((row) => row.action === "create").length,
    update: rows.filter((row) => row.action === "update").length,
    optedOut: rows.filter((row) => row.action === "optedOut").length,
  };
  const stored = await db
    .insertInto("roster_import")
    .values({
      area_id: m.areaId,
      school_id: schoolId,
      uploaded_by: m.userId,
      uploaded_at: now,
      file_sha256: createHash("sha256").update(bytes).digest("hex"),
      encoding,
      rows_total: counts.total,
      rows_valid: counts.valid,
      pending_rows: JSON.stringify(pending),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(db, {
    areaId: m.areaId,
    actorUserId: m.userId,
    action: "roster_previewed",
    subjectType: "roster_import",
    subjectId: stored.id,
    details: { schoolId, encoding, ...counts },
  });
  return { ok: true, importId: stored.id, encoding, rows, counts, hasFsm: parsed.hasFsm };
}

function toPending(row: RosterRow, home: { code: string | null; code21: string | null }): PendingRow {
  return {
    line: row.line,
    pupilRef: row.pupilRef,
    givenName: row.givenName,
    familyName: row.familyName,
    birthYear: row.birthYear!,
    birthMonth: row.birthMonth!,
    yearGroup: row.yearGroup!,
    className: row.className,
    homeLsoa: home.code,
    homeLsoa21: home.code21,
    fsm: row.fsm,
  };
}

export interface ImportOptions {
  /** The school confirms families have been given the privacy notice (required). */
  familiesInformed: boolean;
  /** The school's data-sharing agreement covers free-school-meals eligibility: only then is the column imported. */
  shareFsm: boolean;
}

export type ImportResult =
  | { ok: true; created: number; updated: number; childIds: string[] }
  | { ok: false; error: "roster.errors.previewGone" | "roster.errors.familiesInformedRequired" };

async function openPreview(db: DB, m: Membership, importId: string, now: Date) {
  const schoolId = requireSchool(m);
  if (!isUuid(importId)) notFound();
  const row = await db
    .selectFrom("roster_import")
    .select(["id", "status", "uploaded_at", "pending_rows", "rows_total"])
    .where("area_id", "=", m.areaId)
    .where("school_id", "=", schoolId)
    .where("id", "=", importId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) notFound();
  const usable = row.status === "previewed" && now.getTime() - row.uploaded_at.getTime() < PREVIEW_LIFETIME_MS;
  return { schoolId, row, usable };
}

/**
 * Imports the previewed valid rows in one transaction: every row or none. New pupils get a
 * passport; known ones (same pupil reference at this school) are updated, never duplicated.
 */
export async function importRoster(db: DB, m: Membership, importId: string, options: ImportOptions, now = new Date()): Promise<ImportResult> {
  if (!options.familiesInformed) return { ok: false, error: "roster.errors.familiesInformedRequired" };
  return db.transaction().execute(async (trx): Promise<ImportResult> => {
    const { schoolId, row, usable } = await openPreview(trx, m, importId, now);
    if (!usable) return { ok: false, error: "roster.errors.previewGone" };
    const pending = (row.pending_rows ?? []) as PendingRow[];
    let created = 0;
    let updated = 0;
    const childIds: string[] = [];
    for (const pupil of pending) {
      const homeLsoa21 =
        pupil.homeLsoa21 !== undefined ? pupil.homeLsoa21 : pupil.homeLsoa ? ((await resolveHome(trx, pupil.homeLsoa, null))?.code21 ?? null) : null;
      const fsm = options.shareFsm ? pupil.fsm : null;
      const existing = await trx
        .selectFrom("child")
        .select(["id", "equity_consent_at"])
        .where("area_id", "=", m.areaId)
        .where("school_id", "=", schoolId)
        .where("status", "=", "active")
        .where((eb) => eb(eb.fn("lower", ["school_pupil_ref"]), "=", pupil.pupilRef.toLowerCase()))
        .executeTakeFirst();
      if (existing) {
        await trx
          .updateTable("child")
          .set({
            given_name: pupil.givenName,
            family_name: pupil.familyName,
            birth_year: pupil.birthYear,
            birth_month: pupil.birthMonth,
            year_group: pupil.yearGroup,
            class_name: pupil.className,
            // A postcode the directory did not know does not wipe a home area found before; one
            // it knows sets both geographies (and so places a child who waited on a split LSOA).
            ...(pupil.homeLsoa || homeLsoa21 ? { home_lsoa_code: pupil.homeLsoa, home_lsoa21_code: homeLsoa21 } : {}),
            ...(options.shareFsm && fsm !== null ? { efsm: fsm, equity_consent_at: existing.equity_consent_at ?? now } : {}),
          })
          .where("area_id", "=", m.areaId)
          .where("id", "=", existing.id)
          .execute();
        updated++;
        childIds.push(existing.id);
        continue;
      }
      const childId = await insertChild(
        trx,
        m,
        {
          given_name: pupil.givenName,
          family_name: pupil.familyName,
          birth_year: pupil.birthYear,
          birth_month: pupil.birthMonth,
          school_id: schoolId,
          school_pupil_ref: pupil.pupilRef,
          year_group: pupil.yearGroup,
          class_name: pupil.className,
          home_lsoa_code: pupil.homeLsoa,
          home_lsoa21_code: homeLsoa21,
          consent_version: CONSENT_VERSION,
          consent_at: now,
          equity_consent_at: fsm !== null ? now : null,
          efsm: fsm,
          registered_via: "school_roster",
        },
        now,
      );
      await trx
        .insertInto("child_consent")
        .values({
          area_id: m.areaId,
          child_id: childId,
          purpose: "passport",
          version: CONSENT_VERSION,
          method: "school_roster",
          given_by: m.userId,
          given_at: now,
        })
        .execute();
      if (fsm !== null) {
        await trx
          .insertInto("child_consent")
          .values({
            area_id: m.areaId,
            child_id: childId,
            purpose: "equity",
            version: EQUITY_CONSENT_VERSION,
            method: "school_roster",
            given_by: m.userId,
            given_at: now,
          })
          .execute();
      }
      created++;
      childIds.push(childId);
    }
    await trx
      .updateTable("roster_import")
      .set({ status: "imported", pending_rows: null, imported_at: now, rows_created: created, rows_updated: updated })
      .where("area_id", "=", m.areaId)
      .where("id", "=", row.id)
      .execute();
    await recordAudit(trx, {
      areaId: m.areaId,
      actorUserId: m.userId,
      action: "roster_imported",
      subjectType: "roster_import",
      subjectId: row.id,
      details: { schoolId, created, updated, skipped: row.rows_total - pending.length, fsmShared: options.shareFsm },
    });
    return { ok: true, created, updated, childIds };
  });
}

/** "Import nothing": the previewed rows are dropped at once. */
export async function discardRoster(db: DB, m: Membership, importId: string, now = new Date()) {
  return db.transaction().execute(async (trx) => {
    const { row } = await openPreview(trx, m, importId, now);
    if (row.status !== "previewed") return;
    await trx.updateTable("roster_import").set({ status: "discarded", pending_rows: null }).where("area_id", "=", m.areaId).where("id", "=", row.id).execute();
    await recordAudit(trx, { areaId: m.areaId, actorUserId: m.userId, action: "roster_discarded", subjectType: "roster_import", subjectId: row.id });
  });
}

/** The school's recent imports, for the roster page. */
export function recentImports(db: DB, m: Membership, limit = 10) {
  const schoolId = requireSchool(m);
  return db
    .selectFrom("roster_import")
    .select(["id", "uploaded_at", "status", "rows_total", "rows_valid", "rows_created", "rows_updated", "encoding"])
    .where("area_id", "=", m.areaId)
    .where("school_id", "=", schoolId)
    .orderBy("uploaded_at", "desc")
    .limit(limit)
    .execute();
}

/** The school's year groups and classes, for choosing which cards or letters to print. */
export async function schoolGroups(db: DB, m: Membership) {
  const schoolId = requireSchool(m);
  const rows = await db
    .selectFrom("child")
    .select(["year_group", "class_name"])
    .distinct()
    .where("area_id", "=", m.areaId)
    .where("school_id", "=", schoolId)
    .where("status", "=", "active")
    .execute();
  const yearGroups = [...new Set(rows.map((row) => row.year_group).filter((value): value is number => value !== null))].sort((a, b) => a - b);
  const classes = [...new Set(rows.map((row) => row.class_name).filter((value): value is string => Boolean(value)))].sort();
  return { yearGroups, classes };
}
