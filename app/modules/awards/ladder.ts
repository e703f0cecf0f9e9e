/**
 * The rules of an area's award ladder as a coordinator edits it, without the database: the
 * form's rows (read by ladder-form.server.ts) are checked and turned into the ladder to save. Thresholds are whole
 * hours above zero and rise strictly from one row to the next; both names are needed. The
 * one "add a level" row may hold any threshold not already used: it is sorted into place.
 */

import { defaultAwardLadder, type AwardStage, type AwardTier } from "./default-ladder";
import type { TranslationKey } from "../i18n/i18n";

export const MAX_THRESHOLD_HOURS = 10_000;
export const MAX_NAME_LENGTH = 100;
/** More rows than this in one form is not a ladder anyone typed. */
export const MAX_LEVELS = 200;

export interface LadderRowInput {
  /** The level's id, or null for a level not saved yet (a fresh area's default ladder). */
  id: string | null;
  threshold: string;
  nameEn: string;
  nameCy: string;
  remove: boolean;
}

export interface LadderForm {
  rows: LadderRowInput[];
  /** The "add a level" row; null when left blank. */
  added: Omit<LadderRowInput, "id" | "remove"> | null;
}

/** What is wrong with one field: a translation key and what it needs. */
export interface LadderError {
  key: TranslationKey;
  values?: Record<string, string | number>;
}

/** Field name → problem. Field names are those of the form (level-3-threshold, new-nameCy …). */
export type LadderErrors = Record<string, LadderError>;

export interface LadderLevelToSave {
  id: string | null;
  thresholdHours: number;
  nameEn: string;
  nameCy: string;
  stage: AwardStage;
  tier: AwardTier | null;
}

export const rowField = (index: number, field: "id" | "threshold" | "nameEn" | "nameCy" | "remove") => `level-${index}-${field}`;
export const addedField = (field: "threshold" | "nameEn" | "nameCy") => `new-${field}`;

/** The stage a threshold falls in, as in the national scheme. */
export function stageFor(thresholdHours: number): AwardStage {
  if (thresholdHours <= 400) return "undergraduate";
  if (thresholdHours <= 800) return "postgraduate";
  return "doctorate";
}

/** A threshold's problems: each has a sentence of its own for the new row (`…New`). */
type ThresholdError = LadderError & { key: `awards.ladder.errors.${"thresholdRequired" | "thresholdWhole" | "thresholdTooHigh"}` };

function checkThreshold(raw: string): { hours: number } | { error: ThresholdError } {
  const value = raw.trim();
  if (!value) return { error: { key: "awards.ladder.errors.thresholdRequired" } };
  if (!/^\d+$/.test(value) || Number(value) < 1) return { error: { key: "awards.ladder.errors.thresholdWhole" } };
  if (Number(value) > MAX_THRESHOLD_HOURS) return { error: { key: "awards.ladder.errors.thresholdTooHigh", values: { max: MAX_THRESHOLD_HOURS } } };
  return { hours: Number(value) };
}

function checkName(raw: string, requiredKey: TranslationKey): { name: string } | { error: LadderError } {
  // Unicode-normalised so "Ŵ" typed as W + circumflex is stored like the precomposed letter.
  const name = raw.normalize("NFC").trim().replace(/\s+/g, " ");
  if (!name) return { error: { key: requiredKey } };
  if (name.length > MAX_NAME_LENGTH) return { error: { key: "awards.ladder.errors.nameTooLong", values: { max: MAX_NAME_LENGTH } } };
  return { name };
}

export type LadderCheck = { ok: true; levels: LadderLevelToSave[]; removedIds: string[] } | { ok: false; errors: LadderErrors; formError: LadderError | null };

/**
 * Checks a submitted ladder. Every problem is reported at once, against its row ("Level 4:
 * …"), so the coordinator can fix them all in one go. Removed rows are not checked.
 */
export function checkLadder(form: LadderForm): LadderCheck {
  const errors: LadderErrors = {};
  const kept: LadderLevelToSave[] = [];
  const removedIds: string[] = [];
  const tiers = new Map(defaultAwardLadder().map((level) => [level.thresholdHours, level.tier]));
  /** The last row with a good threshold, to compare the next one with. */
  let previous: { row: number; hours: number } | null = null;
  const thresholdRow = new Map<number, number>();

  form.rows.forEach((input, index) => {
    const row = index + 1;
    if (input.remove) {
      if (input.id) removedIds.push(input.id);
      return;
    }
    const threshold = checkThreshold(input.threshold);
    const nameEn = checkName(input.nameEn, "awards.ladder.errors.nameEnRequired");
    const nameCy = checkName(input.nameCy, "awards.ladder.errors.nameCyRequired");
    if ("error" in threshold) errors[rowField(index, "threshold")] = { key: threshold.error.key, values: { ...threshold.error.values, row } };
    else {
      if (previous && threshold.hours === previous.hours)
        errors[rowField(index, "threshold")] = { key: "awards.ladder.errors.thresholdEqual", values: { row, hours: threshold.hours, other: previous.row } };
      else if (previous && threshold.hours < previous.hours)
        errors[rowField(index, "threshold")] = {
          key: "awards.ladder.errors.thresholdFalling",
          values: { row, hours: threshold.hours, other: previous.row, otherHours: previous.hours },
        };
      previous = { row, hours: threshold.hours };
      if (!thresholdRow.has(threshold.hours)) thresholdRow.set(threshold.hours, row);
    }
    if ("error" in nameEn) errors[rowField(index, "nameEn")] = { key: nameEn.error.key, values: { ...nameEn.error.values, row } };
    if ("error" in nameCy) errors[rowField(index, "nameCy")] = { key: nameCy.error.key, values: { ...nameCy.error.values, row } };
    if ("hours" in threshold && "name" in nameEn && "name" in nameCy) {
      kept.push({ id: input.id, thresholdHours: threshold.hours, nameEn: nameEn.name, nameCy: nameCy.name, stage: stageFor(threshold.hours), tier: null });
    }
  });

  if (form.added) {
    const threshold = checkThreshold(form.added.threshold);
    const nameEn = checkName(form.added.nameEn, "awards.ladder.errors.newNameEnRequired");
    const nameCy = checkName(form.added.nameCy, "awards.ladder.errors.newNameCyRequired");
    if ("error" in threshold) errors[addedField("threshold")] = { key: `${threshold.error.key}New`, values: threshold.error.values };
    else if (thresholdRow.has(threshold.hours))
      errors[addedField("threshold")] = {
        key: "awards.ladder.errors.newThresholdTaken",
        values: { hours: threshold.hours, other: thresholdRow.get(threshold.hours)! },
      };
    if ("error" in nameEn) errors[addedField("nameEn")] = nameEn.error;
    if ("error" in nameCy) errors[addedField("nameCy")] = nameCy.error;
    if ("hours" in threshold && "name" in nameEn && "name" in nameCy) {
      kept.push({ id: null, thresholdHours: threshold.hours, nameEn: nameEn.name, nameCy: nameCy.name, stage: stageFor(threshold.hours), tier: null });
    }
  }

  if (Object.keys(errors).length) return { ok: false, errors, formError: null };
  if (!kept.length) return { ok: false, errors, formError: { key: "awards.ladder.errors.empty" } };
  const levels = kept
    .sort((a, b) => a.thresholdHours - b.thresholdHours)
    .map((level) => ({ ...level, tier: level.id ? null : (tiers.get(level.thresholdHours) ?? null) }));
  return { ok: true, levels, removedIds };
}
