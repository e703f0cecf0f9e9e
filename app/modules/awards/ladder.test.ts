import { describe, expect, it } from "vitest";
import { checkLadder, stageFor, type LadderForm, type LadderRowInput } from "./ladder";
import { ladderFields, ladderFormOf } from "./ladder-form.server";
import { parseForm } from "../forms/parse-form.server";

const row = (threshold: string, nameEn = `Level ${threshold}`, nameCy = `Lefel ${threshold}`, extra: Partial<LadderRowInput> = {}): LadderRowInput => ({
  id: extra.id ?? null,
  threshold,
  nameEn,
  nameCy,
  remove: false,
  ...extra,
});
const ladder = (rows: LadderRowInput[], added: LadderForm["added"] = null): LadderForm => ({ rows, added });

describe("checkLadder", () => {
  it("accepts whole hours rising strictly, and sorts an added level into place", () => {
    const result = checkLadder(
      ladder([row("30", "Bronze", "Efydd", { id: "a" }), row("65", "Silver", "Arian", { id: "b" })], {
        threshold: "50",
        nameEn: "Extra",
        nameCy: "Ychwanegol",
      }),
    );
    expect(result).toEqual({
      ok: true,
      removedIds: [],
      levels: [
        { id: "a", thresholdHours: 30, nameEn: "Bronze", nameCy: "Efydd", stage: "undergraduate", tier: null },
        { id: null, thresholdHours: 50, nameEn: "Extra", nameCy: "Ychwanegol", stage: "undergraduate", tier: null },
        { id: "b", thresholdHours: 65, nameEn: "Silver", nameCy: "Arian", stage: "undergraduate", tier: null },
      ],
    });
  });

  it("refuses an equal threshold, naming both rows", () => {
    const result = checkLadder(ladder([row("30"), row("30")]));
    expect(result).toEqual({
      ok: false,
      formError: null,
      errors: { "level-1-threshold": { key: "awards.ladder.errors.thresholdEqual", values: { row: 2, hours: 30, other: 1 } } },
    });
  });

  it("refuses a falling threshold, each bad row with its own message", () => {
    const result = checkLadder(ladder([row("30"), row("65"), row("50"), row("40")]));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      "level-2-threshold": { key: "awards.ladder.errors.thresholdFalling", values: { row: 3, hours: 50, other: 2, otherHours: 65 } },
      "level-3-threshold": { key: "awards.ladder.errors.thresholdFalling", values: { row: 4, hours: 40, other: 3, otherHours: 50 } },
    });
  });

  it("refuses hours that are not whole positive numbers", () => {
    for (const bad of ["0", "-5", "12.5", "30h", " ", "1e3"]) {
      const result = checkLadder(ladder([row(bad)]));
      expect(result.ok, bad).toBe(false);
      if (!result.ok) expect(result.errors["level-0-threshold"]?.key, bad).toMatch(/thresholdWhole|thresholdRequired/);
    }
    const tooHigh = checkLadder(ladder([row("10001")]));
    expect(!tooHigh.ok && tooHigh.errors["level-0-threshold"]?.key).toBe("awards.ladder.errors.thresholdTooHigh");
  });

  it("needs both names", () => {
    const result = checkLadder(ladder([row("30", "  ", "")]));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors["level-0-nameEn"]).toEqual({ key: "awards.ladder.errors.nameEnRequired", values: { row: 1 } });
    expect(result.errors["level-0-nameCy"]).toEqual({ key: "awards.ladder.errors.nameCyRequired", values: { row: 1 } });
  });

  it("keeps apostrophes and Welsh letters, normalised to one form", () => {
    const decomposed = "Gwobr W\u0302yn O'Neill";
    const result = checkLadder(ladder([row("30", "O'Neill's Award", decomposed)]));
    expect(result.ok && result.levels[0]).toMatchObject({ nameEn: "O'Neill's Award", nameCy: "Gwobr Ŵyn O'Neill" });
  });

  it("skips removed rows (they are not checked) and reports their ids", () => {
    const result = checkLadder(ladder([row("30", "A", "A", { id: "a" }), row("", "", "", { id: "b", remove: true }), row("65", "C", "C", { id: "c" })]));
    expect(result).toMatchObject({ ok: true, removedIds: ["b"] });
    expect(result.ok && result.levels.map((level) => level.thresholdHours)).toEqual([30, 65]);
  });

  it("refuses an added level with hours already used, and an emptied ladder", () => {
    const taken = checkLadder(ladder([row("30"), row("65")], { threshold: "65", nameEn: "X", nameCy: "Y" }));
    expect(!taken.ok && taken.errors["new-threshold"]).toEqual({ key: "awards.ladder.errors.newThresholdTaken", values: { hours: 65, other: 2 } });
    const empty = checkLadder(ladder([row("30", "A", "A", { id: "a", remove: true })]));
    expect(empty).toEqual({ ok: false, errors: {}, formError: { key: "awards.ladder.errors.empty" } });
  });

  it("gives an added level of the national scheme its tier", () => {
    const result = checkLadder(ladder([row("30", "A", "A", { id: "a" })], { threshold: "65", nameEn: "Silver", nameCy: "Arian" }));
    expect(result.ok && result.levels[1]).toMatchObject({ thresholdHours: 65, tier: "silver" });
  });
});

describe("ladderFields and ladderFormOf", () => {
  const read = (form: FormData) => {
    const parsed = parseForm(ladderFields(form), form);
    if (!parsed.ok) throw new Error("every field of the ladder form has a fallback");
    return ladderFormOf(parsed.data);
  };

  it("reads the rows in order, the remove boxes and a non-blank added row", () => {
    const form = new FormData();
    form.set("level-0-id", "a");
    form.set("level-0-threshold", "30");
    form.set("level-0-nameEn", "Bronze");
    form.set("level-0-nameCy", "Efydd");
    form.set("level-1-id", "b");
    form.set("level-1-threshold", "65");
    form.set("level-1-nameEn", "Silver");
    form.set("level-1-nameCy", "Arian");
    form.set("level-1-remove", "on");
    form.set("new-threshold", "");
    form.set("new-nameEn", "");
    form.set("new-nameCy", "");
    expect(read(form)).toEqual({
      rows: [
        { id: "a", threshold: "30", nameEn: "Bronze", nameCy: "Efydd", remove: false },
        { id: "b", threshold: "65", nameEn: "Silver", nameCy: "Arian", remove: true },
      ],
      added: null,
    });
    form.set("new-nameEn", "New");
    expect(read(form).added).toEqual({ threshold: "", nameEn: "New", nameCy: "" });
  });
});

describe("stageFor", () => {
  it("follows the national scheme's stages", () => {
    expect([30, 400, 430, 800, 830].map(stageFor)).toEqual(["undergraduate", "undergraduate", "postgraduate", "postgraduate", "doctorate"]);
  });
});
