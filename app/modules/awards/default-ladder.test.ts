import { describe, it, expect } from "vitest";
import { defaultAwardLadder } from "./default-ladder";

describe("defaultAwardLadder", () => {
  const ladder = defaultAwardLadder();
  const at = (hours: number) => ladder.find((level) => level.thresholdHours === hours);

  it("has certificates at 30, 65 and 100 hours in every hundred up to 1,000", () => {
    const expected = Array.from({ length: 10 }, (_, hundred) => [30, 65, 100].map((step) => hundred * 100 + step)).flat();
    expect(ladder.map((level) => level.thresholdHours)).toEqual(expected);
    expect(expected.slice(0, 9)).toEqual([30, 65, 100, 130, 165, 200, 230, 265, 300]);
    expect(ladder).toHaveLength(30);
  });

  it("rises strictly and ends at 1,000 hours", () => {
    for (let i = 1; i < ladder.length; i++) {
      expect(ladder[i]!.thresholdHours).toBeGreaterThan(ladder[i - 1]!.thresholdHours);
    }
    expect(ladder.at(-1)?.thresholdHours).toBe(1000);
  });

  it("moves from Undergraduate to Postgraduate after 400 and to Doctorate after 800", () => {
    expect(at(30)?.stage).toBe("undergraduate");
    expect(at(400)?.stage).toBe("undergraduate");
    expect(at(430)?.stage).toBe("postgraduate");
    expect(at(800)?.stage).toBe("postgraduate");
    expect(at(830)?.stage).toBe("doctorate");
    expect(at(1000)?.stage).toBe("doctorate");
  });

  it("names each level by tier and stage in English and Welsh", () => {
    expect(at(30)).toEqual({ thresholdHours: 30, nameEn: "Bronze Undergraduate", nameCy: "Israddedig Efydd", stage: "undergraduate", tier: "bronze" });
    expect(at(65)).toMatchObject({ nameEn: "Silver Undergraduate", nameCy: "Israddedig Arian", tier: "silver" });
    expect(at(400)).toMatchObject({ nameEn: "Gold Undergraduate", nameCy: "Israddedig Aur", tier: "gold" });
    expect(at(430)).toMatchObject({ nameEn: "Bronze Postgraduate", nameCy: "Ôl-raddedig Efydd", tier: "bronze" });
    expect(at(765)).toMatchObject({ nameEn: "Silver Postgraduate", nameCy: "Ôl-raddedig Arian", tier: "silver" });
    expect(at(830)).toMatchObject({ nameEn: "Bronze Doctorate", nameCy: "Doethuriaeth Efydd", tier: "bronze" });
    expect(at(1000)).toMatchObject({ nameEn: "Gold Doctorate", nameCy: "Doethuriaeth Aur", tier: "gold" });
  });

  it("returns a fresh copy each time, so a caller cannot change the default", () => {
    const first = defaultAwardLadder();
    first[0]!.nameEn = "changed";
    expect(defaultAwardLadder()[0]!.nameEn).toBe("Bronze Undergraduate");
  });
});
