import { createHash } from "node:crypto";
import type { ChildPrincipal } from "../accounts/access.server";
import { notFound, type Membership } from "../accounts/actor.server";
import type { DB } from "../db/database.server";
import type { Bilingual } from "../i18n/bilingual";
import { importedHistory, type ImportedHistory } from "./transfer.server";

/**
 * The badges a child brought from another Children's University (ADR 0036), one at a time: each
 * is the other issuer's credential exactly as it signed it (this deployment cannot re-sign it),
 * so a family can give a wallet each one on its own, like the badges of this area's awards.
 */

type Json = Record<string, unknown>;

const KEY = /^[0-9a-f]{32}$/;

/**
 * The key of an imported badge in its download's address: a digest of the credential's id, so
 * it stays the same when the same record is imported again and says nothing of the badge.
 */
export function importedBadgeKey(credential: Json): string {
  const id = typeof credential.id === "string" ? credential.id : JSON.stringify(credential);
  return createHash("sha256").update(id, "utf8").digest("hex").slice(0, 32);
}

export interface ImportedBadge {
  key: string;
  /** The badge's own name; Pasbort's issuers write "Welsh · English". */
  name: Bilingual;
  from: Bilingual;
}

function badgeName(credential: Json): Bilingual {
  const achievement = (credential.credentialSubject as { achievement?: { name?: unknown } } | undefined)?.achievement;
  const name = typeof credential.name === "string" ? credential.name : typeof achievement?.name === "string" ? achievement.name : "";
  const parts = name.split(" · ");
  return parts.length === 2 ? { cy: parts[0]!, en: parts[1]! } : { cy: name, en: name };
}

/** Each imported badge of a child's history, for a page to offer one download each. */
export function importedBadges(history: ImportedHistory[]): ImportedBadge[] {
  return history.flatMap((record) =>
    record.badges.map((badge) => ({ key: importedBadgeKey(badge), name: badgeName(badge), from: { en: record.from.en, cy: record.from.cy } })),
  );
}

/**
 * One imported badge as signed, for the child's guardian or the child signed in on their own
 * passport, with importedHistory's scope: another family's child, another area's, a withdrawn
 * child or a key that is none of the child's badges is a 404.
 */
export async function importedCredential(db: DB, scope: Membership | ChildPrincipal, childId: string, key: string | undefined): Promise<Json> {
  if (!key || !KEY.test(key)) notFound();
  for (const record of await importedHistory(db, scope, childId)) {
    const badge = record.badges.find((credential) => importedBadgeKey(credential) === key);
    if (badge) return badge;
  }
  notFound();
}
