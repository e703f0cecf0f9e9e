import { randomUUID } from "node:crypto";
import { childrenVisibleTo } from "../accounts/access.server";
import { isUuid, type Membership } from "../accounts/actor.server";
import type { DB } from "../db/database.server";
import { issueCredit, type CreditRefusal } from "./ledger.server";
import type { ScanTarget } from "./session-scan.server";
import { sameAreaRef } from "../db/same-area.server";

/**
 * The register for a club: staff tick, from a list of the children who have come to their
 * Learning Destination before, who came today, and each ticked child gets the session's
 * credit through the ledger's one door. Ticking the same child twice (a second submit, a
 * double tap, a colleague on another phone) never counts twice.
 */

/** A register longer than this is not a club: scan passports instead. */
export const ROSTER_LIMIT = 500;

export interface RosterChild {
  id: string;
  givenName: string;
  familyName: string;
  /** Already has this session's credit (by any method), not revoked. */
  credited: boolean;
}

/**
 * Children who have a credit (not revoked) from the session's Learning Destination, as far as
 * the membership may see them (for provider staff that is exactly childrenVisibleTo; a
 * coordinator sees the same list), by family name.
 */
export async function rosterFor(db: DB, m: Membership, session: ScanTarget): Promise<RosterChild[]> {
  const rows = await childrenVisibleTo(db, m)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("credit")
          .select("credit.id")
          .where(sameAreaRef("credit.child_id", "child.id"))
          .where("credit.provider_id", "=", session.provider_id)
          .where("credit.revoked_at", "is", null),
      ),
    )
    .select((eb) => [
      "child.id",
      "child.given_name",
      "child.family_name",
      eb
        .exists(
          eb
            .selectFrom("credit as here")
            .select("here.id")
            .where(sameAreaRef("here.child_id", "child.id"))
            .where("here.session_id", "=", session.id)
            .where("here.revoked_at", "is", null),
        )
        .as("credited"),
    ])
    .orderBy("child.family_name")
    .orderBy("child.given_name")
    .limit(ROSTER_LIMIT)
    .execute();
  return rows.map((row) => ({ id: row.id, givenName: row.given_name ?? "", familyName: row.family_name ?? "", credited: Boolean(row.credited) }));
}

export type RosterResult = {
  childId: string;
  givenName: string;
  familyName: string;
} & ({ status: "issued" } | { status: "already" } | { status: "refused"; code: CreditRefusal });

/**
 * A key of the register's own for one tick: random, so nobody can send it first and block the
 * credit (a key that named the session and the child could be). A repeat of the same tick is
 * not a replay but ALREADY_CREDITED, shown as "already"; after a revocation the child can be
 * ticked again.
 */
function rosterKey() {
  return `roster:${randomUUID()}`;
}

/** Gives the session's credit to each ticked child on the register; anyone not on it is ignored. */
export async function creditRoster(db: DB, m: Membership, session: ScanTarget, ticked: string[]): Promise<RosterResult[]> {
  const wanted = new Set(ticked.filter(isUuid));
  const children = (await rosterFor(db, m, session)).filter((child) => wanted.has(child.id));
  if (children.length === 0) return [];

  const results: RosterResult[] = [];
  for (const child of children) {
    const outcome = await issueCredit(db, {
      areaId: m.areaId,
      childId: child.id,
      sessionId: session.id,
      providerId: m.providerId ?? session.provider_id,
      method: "roster",
      issuedBy: m.userId,
      idempotencyKey: rosterKey(),
    });
    const who = { childId: child.id, givenName: child.givenName, familyName: child.familyName };
    if (outcome.ok) results.push({ ...who, status: outcome.replayed ? "already" : "issued" });
    else if (outcome.code === "ALREADY_CREDITED") results.push({ ...who, status: "already" });
    else results.push({ ...who, status: "refused", code: outcome.code });
  }
  return results;
}
