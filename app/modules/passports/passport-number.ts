/**
 * Passport numbers: the area's two-letter prefix and eight characters, `WF-7KQ2-M9XC`.
 * The alphabet leaves out 0/O and 1/I, which people misread on a printed card. The last
 * character is a check character, so a mistyped number is refused rather than crediting
 * another child.
 */

export const PASSPORT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/** Characters before the check character. */
export const PASSPORT_BODY_LENGTH = 7;

/** x⁵ + x² + 1, a primitive polynomial: its root x generates all 31 non-zero elements of GF(32). */
const GF32_MODULUS = 0b100101;
const X = 2;

/** Multiplication in GF(32), the field with one element per alphabet character. */
function gf32Multiply(a: number, b: number): number {
  let product = 0;
  for (let bit = 0; bit < 5; bit++) {
    if (b & 1) product ^= a;
    b >>= 1;
    a <<= 1;
    if (a & 0b100000) a ^= GF32_MODULUS;
  }
  return product;
}

function valueOf(character: string): number {
  const value = PASSPORT_ALPHABET.indexOf(character);
  if (value < 0 || character.length !== 1) throw new RangeError(`"${character}" is not a passport number character.`);
  return value;
}

/** Σ value·xⁿ⁻ⁱ over GF(32), by Horner's rule. */
function weightedSum(characters: string): number {
  let sum = 0;
  for (const character of characters) sum = gf32Multiply(sum, X) ^ valueOf(character);
  return sum;
}

/**
 * The check character for a body of alphabet characters (no prefix, no hyphens). Each
 * position is weighted by a different power of x in GF(32); because the weights are
 * non-zero and all different, the check catches every single mistyped character and
 * every swap of two different characters (adjacent or not) — a plain Luhn mod 32 misses
 * the swap of "2" and "Z".
 */
export function passportCheckCharacter(body: string): string {
  return PASSPORT_ALPHABET[gf32Multiply(weightedSum(body), X)]!;
}

/** True when the characters of a passport number, check character last, are consistent. */
export function hasValidCheckCharacter(characters: string): boolean {
  try {
    return characters.length > 1 && weightedSum(characters) === 0;
  } catch {
    return false;
  }
}

/** Formats prefix and eight characters as `WF-XXXX-XXXX`. */
export function formatPassportNumber(prefix: string, characters: string): string {
  return `${prefix}-${characters.slice(0, 4)}-${characters.slice(4)}`;
}

/**
 * Reads a typed passport number — any case, with or without hyphens or spaces — and
 * returns it formatted, or null when it is not a well-formed number with a valid check.
 */
export function parsePassportNumber(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, "");
  const match = /^([A-Z]{2})([2-9A-Z]{8})$/.exec(compact);
  if (!match || !hasValidCheckCharacter(match[2]!)) return null;
  return formatPassportNumber(match[1]!, match[2]!);
}

/** A new passport number from `random` (values in [0, 1), as Math.random gives). */
export function generatePassportNumber(prefix: string, random: () => number): string {
  if (!/^[A-Z]{2}$/.test(prefix)) throw new RangeError(`"${prefix}" is not a two-letter passport prefix.`);
  let body = "";
  for (let i = 0; i < PASSPORT_BODY_LENGTH; i++) {
    body += PASSPORT_ALPHABET[Math.floor(random() * PASSPORT_ALPHABET.length)]!;
  }
  return formatPassportNumber(prefix, body + passportCheckCharacter(body));
}
