import { createHash, randomBytes } from "node:crypto";

/** A random secret for a link or an API token: 256 bits, URL-safe. */
export function newSecretToken() {
  return randomBytes(32).toString("base64url");
}

/** What is stored instead of the secret: its SHA-256, so a database leak reveals no usable token. */
export function hashSecretToken(token: string) {
  return createHash("sha256").update(token).digest("hex");
}
