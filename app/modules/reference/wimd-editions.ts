/**
 * The editions of the Welsh Index of Multiple Deprivation the app holds side by side. An
 * edition belongs to a geography: WIMD 2019 ranks the 1,909 LSOAs of 2011, WIMD 2025 the
 * 1,917 LSOAs of 2021. WIMD 2025 is the default for every report; WIMD 2019 stays
 * selectable so that earlier reports can be reproduced exactly. Shared by server and page.
 */
export const WIMD_EDITIONS = ["wimd2025", "wimd2019"] as const;
export type WimdEdition = (typeof WIMD_EDITIONS)[number];
export const DEFAULT_WIMD_EDITION: WimdEdition = "wimd2025";

export const WIMD_DOMAINS = ["income", "employment", "health", "education", "access", "housing", "community_safety", "physical_environment"] as const;
export type WimdDomain = (typeof WIMD_DOMAINS)[number];

export interface WimdEditionInfo {
  /** "WIMD 2025": the name a report prints. */
  label: string;
  geography: "lsoa2011" | "lsoa2021";
  lsoaCount: number;
  /**
   * The Welsh Government's quintile cut points: the first rank of quintiles 2..5 (quintile
   * 1 starts at rank 1). The bands are not all the same size, so they are not computed.
   * WIMD 2025: the Guidance_sheet of the published file (1–382, 383–766, 767–1149,
   * 1150–1533, 1534–1917). WIMD 2019: pairs of its published deciles (1–382, 383–764,
   * 765–1146, 1147–1528, 1529–1909). The loader checks the published quintiles against them.
   */
  quintileStarts: readonly [number, number, number, number];
}

export const WIMD_EDITION_INFO: Record<WimdEdition, WimdEditionInfo> = {
  wimd2025: { label: "WIMD 2025", geography: "lsoa2021", lsoaCount: 1917, quintileStarts: [383, 767, 1150, 1534] },
  wimd2019: { label: "WIMD 2019", geography: "lsoa2011", lsoaCount: 1909, quintileStarts: [383, 765, 1147, 1529] },
};

/** The quintile (1 = most deprived) of a rank under an edition's cut points. */
export function quintileOfRank(edition: WimdEdition, rank: number): number {
  const starts = WIMD_EDITION_INFO[edition].quintileStarts;
  return 1 + starts.filter((start) => rank >= start).length;
}

export function isWimdDomain(value: unknown): value is WimdDomain {
  return typeof value === "string" && (WIMD_DOMAINS as readonly string[]).includes(value);
}

export function isWimdEdition(value: unknown): value is WimdEdition {
  return typeof value === "string" && (WIMD_EDITIONS as readonly string[]).includes(value);
}

/** The licence line shown wherever WIMD figures are shown or shipped. */
export const WIMD_LICENCE =
  "Contains public sector information licensed under the Open Government Licence v3.0 (© Crown copyright, Welsh Government); LSOA lookup: Office for National Statistics, OGL v3.0 (© Crown copyright, ONS).";
