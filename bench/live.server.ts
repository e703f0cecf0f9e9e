/**
 * The live part of the benchmark's dataset, made at run time (it depends on now): sessions
 * of the last 8 hours at 16 validated providers, an API token for each, and a
 * signed-in guardian of the child with 500 credits.
 */
import { createHash } from "node:crypto";
import { API_TOKEN_PREFIX } from "~/modules/accounts/api-tokens.server";
import { startSession } from "~/modules/accounts/auth.server";
import { hashSecretToken, newSecretToken } from "~/modules/accounts/secret-token.server";
import type { DB } from "~/modules/db/database.server";
import { benchUuid, type BenchScale, type GeneratedBench } from "./generate.server";

/** Live sessions: 16 providers with a token each, 32 back-to-back sessions of a quarter hour each; the daily cap (8 h) fits all 32. */
export const LIVE_PROVIDERS = 16;
export const LIVE_SLOTS = 32;
/** Slots 0–15 are the API's, 16–31 the SQL floor's: every credit a new child × session pair. */
export const API_SLOTS = 16;

export interface Live {
  tokens: string[];
  /** sessions[provider][slot] */
  sessions: string[][];
  liveProviderIds: string[];
  cookie: string;
  /** A child with about 50 credits (the average), also the guardian's: the passport page's cost per stamp. */
  typicalChildId: string | null;
  passportTokens: string[];
  coordinatorId: string;
}

export function passportToken(seed: number, n: number) {
  const md5 = (text: string) => createHash("md5").update(text).digest("hex");
  return md5(`${seed}:token:${n}`) + md5(`${seed}:token2:${n}`).slice(0, 11);
}

export async function setUpLive(db: DB, bench: GeneratedBench, s: BenchScale): Promise<Live> {
  const areaId = bench.areaId;
  const now = Date.now();
  const coordinator = await db
    .insertInto("app_user")
    .values({
      email: `bench-coordinator-${s.seed}@example.invalid`,
      display_name: "Bench coordinator",
      preferred_language: "en",
      email_verified_at: new Date(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("membership").values({ area_id: areaId, user_id: coordinator.id, role: "coordinator" }).execute();
  const guardian = await db
    .insertInto("app_user")
    .values({ email: `bench-guardian-${s.seed}@example.invalid`, display_name: "Bench guardian", preferred_language: "cy", email_verified_at: new Date() })
    .returning("id")
    .executeTakeFirstOrThrow();
  const membership = await db
    .insertInto("membership")
    .values({ area_id: areaId, user_id: guardian.id, role: "guardian" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("guardian_child").values({ area_id: areaId, user_id: guardian.id, child_id: bench.heavyChildId }).execute();
  const typical = await db
    .selectFrom("credit")
    .select("child_id")
    .where("area_id", "=", areaId)
    .where("revoked_at", "is", null)
    .groupBy("child_id")
    .having((eb) => eb.fn.countAll(), "=", 50)
    .orderBy("child_id")
    .limit(1)
    .executeTakeFirst();
  if (typical) await db.insertInto("guardian_child").values({ area_id: areaId, user_id: guardian.id, child_id: typical.child_id }).execute();
  const { setCookie } = await startSession(db, guardian.id, membership.id);
  const cookie = setCookie.split(";")[0]!;

  const tokens: string[] = [];
  const sessions: string[][] = [];
  const liveProviderIds: string[] = [];
  for (let p = 0; p < LIVE_PROVIDERS; p++) {
    const providerId = benchUuid(s.seed, "provider", p);
    const activityId = benchUuid(s.seed, "activity", p); // activity p belongs to provider p
    liveProviderIds.push(providerId);
    const token = `${API_TOKEN_PREFIX}${newSecretToken()}`;
    await db
      .insertInto("api_token")
      .values({
        area_id: areaId,
        provider_id: providerId,
        name: `bench device ${p}`,
        token_hash: hashSecretToken(token),
        token_hint: token.slice(-4),
        created_by: coordinator.id,
      })
      .execute();
    tokens.push(token);
    const rows = await db
      .insertInto("activity_session")
      .values(
        Array.from({ length: LIVE_SLOTS }, (_, slot) => ({
          area_id: areaId,
          activity_id: activityId,
          // Back to back over the last 8 hours, a quarter hour each, all ended: creditable, inside
          // the 48-hour window, and none overlapping another (a child is at one session at a time).
          starts_at: new Date(now - (LIVE_SLOTS - slot) * 15 * 60_000),
          ends_at: new Date(now - (LIVE_SLOTS - slot - 1) * 15 * 60_000),
          quarter_hours: 1,
          claim_secret: newSecretToken(),
        })),
      )
      .returning("id")
      .execute();
    sessions.push(rows.map((row) => row.id));
  }
  const passportTokens = Array.from({ length: s.children }, (_, n) => passportToken(s.seed, n));
  return { tokens, sessions, liveProviderIds, cookie, typicalChildId: typical?.child_id ?? null, passportTokens, coordinatorId: coordinator.id };
}
