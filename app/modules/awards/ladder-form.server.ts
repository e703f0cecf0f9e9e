import type { z } from "zod";
import { anyText, checkbox } from "../forms/fields.server";
import { addedField, MAX_LEVELS, rowField, type LadderForm } from "./ladder";

/**
 * The ladder form's fields, named by their row as the page names them: level-0-…, level-1-…
 * for the rows sent (in order, up to MAX_LEVELS), then the new-… row; read with parseValues.
 * Every field has a fallback (text, or a tick): what the rows must be stays checkLadder's,
 * which reports each problem with its row number.
 */
export function ladderFields(formData: FormData) {
  const fields: Record<string, z.ZodType<string> | z.ZodType<boolean>> = {};
  for (let index = 0; index < MAX_LEVELS && formData.has(rowField(index, "threshold")); index++) {
    for (const name of ["id", "threshold", "nameEn", "nameCy"] as const) fields[rowField(index, name)] = anyText;
    fields[rowField(index, "remove")] = checkbox;
  }
  for (const name of ["threshold", "nameEn", "nameCy"] as const) fields[addedField(name)] = anyText;
  return fields;
}

/** The ladder as the form sent it, from what ladderFields read: its rows, and the new row unless left blank. */
export function ladderFormOf(values: Record<string, string | boolean>): LadderForm {
  const text = (name: string) => {
    const value = values[name];
    return typeof value === "string" ? value : "";
  };
  const rows: LadderForm["rows"] = [];
  for (let index = 0; rowField(index, "threshold") in values; index++) {
    rows.push({
      id: text(rowField(index, "id")).trim() || null,
      threshold: text(rowField(index, "threshold")),
      nameEn: text(rowField(index, "nameEn")),
      nameCy: text(rowField(index, "nameCy")),
      remove: values[rowField(index, "remove")] === true,
    });
  }
  const added = { threshold: text(addedField("threshold")), nameEn: text(addedField("nameEn")), nameCy: text(addedField("nameCy")) };
  const blank = !added.threshold.trim() && !added.nameEn.trim() && !added.nameCy.trim();
  return { rows, added: blank ? null : added };
}
