import { hash, verify } from "@node-rs/argon2";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

// OWASP's recommended argon2id settings (19 MiB, 2 passes, 1 lane).
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string) {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string) {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A hash to verify against when the account does not exist, so a sign-in for an unknown
 * email takes as long as one for a known email and the timing tells nothing.
 */
let dummyHash: Promise<string> | undefined;
export function timingSafeDummyHash() {
  dummyHash ??= hashPassword("not-a-real-password-for-timing");
  return dummyHash;
}

const strength = new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });

export type PasswordProblem = "tooShort" | "tooLong" | "tooCommon";

/**
 * Why a new password is refused, or null. Common and easily guessed passwords (those on the
 * common-password lists, keyboard runs, words from the person's own email) are refused.
 */
export function passwordProblem(password: string, personal: string[] = []): PasswordProblem | null {
  if (password.length < MIN_PASSWORD_LENGTH) return "tooShort";
  if (password.length > MAX_PASSWORD_LENGTH) return "tooLong";
  const lower = password.toLowerCase();
  const personalWords = personal.flatMap((value) => value.toLowerCase().split(/[@.\s_+-]/)).filter((word) => word.length >= 4);
  if (personalWords.some((word) => lower.includes(word))) return "tooCommon";
  if (strength.check(password).score < 3) return "tooCommon";
  return null;
}
