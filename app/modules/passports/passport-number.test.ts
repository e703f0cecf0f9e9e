import { describe, it, expect } from "vitest";
import { PASSPORT_ALPHABET, generatePassportNumber, hasValidCheckCharacter, parsePassportNumber, passportCheckCharacter } from "./passport-number";

/** A small deterministic source of [0, 1) values, so failures can be reproduced. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const characters = (passportNumber: string) => passportNumber.slice(3).replace("-", "");

describe("passport numbers", () => {
  const random = mulberry32(42);
  const samples = Array.from({ length: 300 }, () => generatePassportNumber("WF", random));

  it("look like WF-XXXX-XXXX, drawn from the unambiguous alphabet", () => {
    expect(PASSPORT_ALPHABET).toHaveLength(32);
    expect(new Set(PASSPORT_ALPHABET).size).toBe(32);
    for (const number of samples) {
      expect(number).toMatch(/^WF-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
      expect(hasValidCheckCharacter(characters(number))).toBe(true);
    }
  });

  it("are deterministic for a given source of randomness", () => {
    const again = mulberry32(42);
    expect(Array.from({ length: 300 }, () => generatePassportNumber("WF", again))).toEqual(samples);
  });

  it("end with the check character of the first seven characters", () => {
    const body = "7KQ2M9X";
    const check = passportCheckCharacter(body);
    expect(PASSPORT_ALPHABET).toContain(check);
    expect(hasValidCheckCharacter(body + check)).toBe(true);
    expect(passportCheckCharacter(body)).toBe(check);
  });

  it("catch every single mistyped character", () => {
    for (const number of samples.slice(0, 100)) {
      const original = characters(number);
      for (let position = 0; position < original.length; position++) {
        for (const replacement of PASSPORT_ALPHABET) {
          if (replacement === original[position]) continue;
          const typo = original.slice(0, position) + replacement + original.slice(position + 1);
          expect(hasValidCheckCharacter(typo), `${original} → ${typo}`).toBe(false);
        }
      }
    }
  });

  it("catch every swap of two different adjacent characters, including 2 and Z", () => {
    const swapsChecked = new Set<string>();
    const bodies = [...samples.map((number) => characters(number).slice(0, 7)), "2Z2Z2Z2", "ZZ22ZZ2"];
    for (const body of bodies) {
      const original = body + passportCheckCharacter(body);
      for (let position = 0; position + 1 < original.length; position++) {
        const [a, b] = [original[position]!, original[position + 1]!];
        if (a === b) continue;
        const swapped = original.slice(0, position) + b + a + original.slice(position + 2);
        swapsChecked.add(swapped);
        expect(hasValidCheckCharacter(swapped), `${original} → ${swapped}`).toBe(false);
      }
    }
    expect(swapsChecked.size).toBeGreaterThan(1000);
  });

  it("catch a swap of any two different characters, wherever they stand", () => {
    // Exhaustive over every pair of positions and every pair of characters placed there.
    let swaps = 0;
    for (let p = 0; p < 7; p++) {
      for (let q = p + 1; q < 7; q++) {
        for (const a of PASSPORT_ALPHABET) {
          for (const b of PASSPORT_ALPHABET) {
            if (a === b) continue;
            const body = [..."ABCDEFG"];
            body[p] = a;
            body[q] = b;
            const valid = body.join("") + passportCheckCharacter(body.join(""));
            const swapped = [...valid];
            [swapped[p], swapped[q]] = [b, a];
            expect(hasValidCheckCharacter(swapped.join(""))).toBe(false);
            swaps++;
          }
        }
      }
    }
    expect(swaps).toBe(21 * 32 * 31);
  });

  it("reads typed numbers in any case, with or without hyphens", () => {
    const number = samples[0]!;
    expect(parsePassportNumber(number)).toBe(number);
    expect(parsePassportNumber(number.toLowerCase().replace(/-/g, " "))).toBe(number);
    expect(parsePassportNumber(number.replace(/-/g, ""))).toBe(number);
    const original = characters(number);
    const replacement = original[2] === "A" ? "B" : "A";
    const typo = `WF-${original.slice(0, 2)}${replacement}${original.slice(3, 4)}-${original.slice(4)}`;
    expect(parsePassportNumber(typo)).toBeNull();
    expect(parsePassportNumber("WF-0OI1-2345")).toBeNull();
    expect(parsePassportNumber("WF-1234")).toBeNull();
  });

  it("refuse a prefix that is not two capital letters", () => {
    expect(() => generatePassportNumber("wf", Math.random)).toThrow(RangeError);
    expect(() => passportCheckCharacter("ABC0")).toThrow(RangeError);
  });
});
