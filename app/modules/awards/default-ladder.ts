/**
 * The Children's University national award ladder, which every new area starts from (an
 * area can edit its own copy). Certificates come at +30, +65 and +100 hours within each
 * hundred — Bronze, Silver, Gold — up to 1,000 hours; 30–400 is Undergraduate, 430–800
 * Postgraduate and 830–1,000 Doctorate. Hours carry forward, so the thresholds are totals.
 */

export type AwardStage = "undergraduate" | "postgraduate" | "doctorate";
export type AwardTier = "bronze" | "silver" | "gold";

export interface DefaultAwardLevel {
  thresholdHours: number;
  nameEn: string;
  nameCy: string;
  stage: AwardStage;
  tier: AwardTier;
}

const TIERS: ReadonlyArray<{ tier: AwardTier; offsetHours: number; en: string; cy: string }> = [
  { tier: "bronze", offsetHours: 30, en: "Bronze", cy: "Efydd" },
  { tier: "silver", offsetHours: 65, en: "Silver", cy: "Arian" },
  { tier: "gold", offsetHours: 100, en: "Gold", cy: "Aur" },
];

const STAGES: Record<AwardStage, { en: string; cy: string }> = {
  undergraduate: { en: "Undergraduate", cy: "Israddedig" },
  postgraduate: { en: "Postgraduate", cy: "Ôl-raddedig" },
  doctorate: { en: "Doctorate", cy: "Doethuriaeth" },
};

const TOP_HOURS = 1000;

function stageFor(thresholdHours: number): AwardStage {
  if (thresholdHours <= 400) return "undergraduate";
  if (thresholdHours <= 800) return "postgraduate";
  return "doctorate";
}

/**
 * The 30 levels in rising order. Names repeat from one hundred to the next ("Bronze
 * Undergraduate" at 30 and at 130): the threshold is what tells them apart, and pages
 * show it beside the name. Welsh puts the adjective after the noun: "Israddedig Efydd".
 */
export function defaultAwardLadder(): DefaultAwardLevel[] {
  const levels: DefaultAwardLevel[] = [];
  for (let hundred = 0; hundred < TOP_HOURS; hundred += 100) {
    for (const { tier, offsetHours, en, cy } of TIERS) {
      const thresholdHours = hundred + offsetHours;
      const stage = stageFor(thresholdHours);
      levels.push({
        thresholdHours,
        nameEn: `${en} ${STAGES[stage].en}`,
        nameCy: `${STAGES[stage].cy} ${cy}`,
        stage,
        tier,
      });
    }
  }
  return levels;
}

/** The default ladder as rows of an area's award_level table. */
export function defaultLadderRows(areaId: string) {
  return defaultAwardLadder().map((level) => ({
    area_id: areaId,
    threshold_hours: level.thresholdHours,
    name_en: level.nameEn,
    name_cy: level.nameCy,
    stage: level.stage,
    tier: level.tier,
  }));
}
