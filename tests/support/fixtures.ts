import { randomBytes } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { authenticate, startSession } from "~/modules/accounts/auth.server";
import { hashPassword } from "~/modules/accounts/password.server";
import { sql } from "kysely";
import type { DB } from "~/modules/db/database.server";
import { placeOnLsoa21 } from "~/modules/reference/lsoa.server";
import type { Role } from "~/modules/db/schema";
import { formatPassportNumber, passportCheckCharacter } from "~/modules/passports/passport-number";

export const FIXTURE_PASSWORD = "heather-moor-kestrel-42";
let cachedHash: Promise<string> | undefined;

/** Until when the fixture's providers and activities are validated: far ahead, so tests do not age. */
export const FIXTURE_VALID_UNTIL = "2099-12-31";

/** A session of an activity, `minutes` long from `startsAt`, earning `quarterHours`; its id. */
export async function insertSession(db: DB, session: { areaId: string; activityId: string; startsAt: Date; minutes: number; quarterHours: number }) {
  const row = await db
    .insertInto("activity_session")
    .values({
      area_id: session.areaId,
      activity_id: session.activityId,
      starts_at: session.startsAt,
      ends_at: new Date(session.startsAt.getTime() + session.minutes * 60_000),
      quarter_hours: session.quarterHours,
      claim_secret: randomBytes(32).toString("hex"),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Two areas, each with two schools, two providers, an activity and a session per provider, and children. */
export async function seedTwoAreas(db: DB) {
  const areas = [];
  for (const [slug, prefix, la] of [
    ["north", "NA", "W06000006"],
    ["south", "SA", "W06000015"],
  ] as const) {
    const area = await db
      .insertInto("area")
      .values({ slug, name_en: `Area ${slug}`, name_cy: `Ardal ${slug}`, passport_prefix: prefix, settings: "{}" })
      .returning("id")
      .executeTakeFirstOrThrow();
    // The LA's first LSOA: unchanged in 2021 (Wrexham's and Cardiff's), so placeOnLsoa21 below
    // gives it the same code on both geographies (WIMD 2019 and 2025).
    const lsoa = await db.selectFrom("lsoa").select("code").where("la_code", "=", la).orderBy("code").executeTakeFirstOrThrow();
    const schools = await db
      .insertInto("school")
      .values([1, 2].map((n) => ({ area_id: area.id, name: `${slug} school ${n}`, la_code: la, lsoa_code: lsoa.code })))
      .returning("id")
      .execute();
    const providers = await db
      .insertInto("provider")
      .values(
        [1, 2].map((n) => ({
          area_id: area.id,
          name_en: `${slug} provider ${n}`,
          kind: "sport" as const,
          status: "validated" as const,
          validated_until: FIXTURE_VALID_UNTIL,
          safeguarding: "{}",
        })),
      )
      .returning("id")
      .execute();
    const activities = [];
    const sessions = [];
    for (const provider of providers) {
      const activity = await db
        .insertInto("activity")
        .values({
          area_id: area.id,
          provider_id: provider.id,
          title_en: "Football",
          category: "sport",
          credit_quarter_hours: 4,
          cost_band: "free",
          status: "validated",
          validated_until: FIXTURE_VALID_UNTIL,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const session = await db
        .insertInto("activity_session")
        .values({
          area_id: area.id,
          activity_id: activity.id,
          starts_at: new Date("2026-10-01T16:00:00Z"),
          ends_at: new Date("2026-10-01T17:00:00Z"),
          quarter_hours: 4,
          claim_secret: randomBytes(32).toString("hex"),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      activities.push(activity);
      sessions.push(session);
    }
    const children = [];
    for (const [index, school] of schools.entries()) {
      const child = await db
        .insertInto("child")
        .values({
          area_id: area.id,
          passport_number: formatPassportNumber(prefix, `${index + 2}AAAAAA` + passportCheckCharacter(`${index + 2}AAAAAA`)),
          passport_token: randomBytes(16).toString("hex"),
          given_name: `Child${index}`,
          family_name: `${slug}`,
          birth_year: 2016,
          birth_month: 5,
          school_id: school.id,
          home_lsoa_code: lsoa.code,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      children.push(child);
    }
    // Child 0 took part at provider 0's session, child 1 at provider 1's.
    const credits = [];
    for (const index of [0, 1]) {
      const credit = await db
        .insertInto("credit")
        .values({
          area_id: area.id,
          child_id: children[index]!.id,
          provider_id: providers[index]!.id,
          activity_id: activities[index]!.id,
          session_id: sessions[index]!.id,
          quarter_hours: 4,
          earned_on: "2026-10-01",
          method: "passport_scan",
          idempotency_key: `fixture-${slug}-${index}`,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      credits.push(credit);
    }
    areas.push({ id: area.id, slug, schools, providers, activities, sessions, children, credits });
  }
  // On 2021 LSOAs too, as the app places them (not on a database from before migration 0015).
  const migrated = await sql<{ found: string | null }>`select to_regclass('lsoa11_lsoa21')::text as found`.execute(db);
  if (migrated.rows[0]?.found) await placeOnLsoa21(db);
  return { north: areas[0]!, south: areas[1]! };
}

/** A graduation of the area, far ahead and with no start time yet; its id. */
export async function insertGraduation(db: DB, areaId: string, createdBy: string) {
  const graduation = await db
    .insertInto("graduation")
    .values({ area_id: areaId, name: "Summer", held_on: "2099-07-01", starts_at: null, venue: "Hall", cutoff_on: "2099-06-01", created_by: createdBy })
    .returning("id")
    .executeTakeFirstOrThrow();
  return graduation.id;
}

/** A person with one membership, able to sign in with FIXTURE_PASSWORD. */
export async function createPerson(
  db: DB,
  options: { email: string; areaId: string; role: Role; schoolId?: string; providerId?: string; childIds?: readonly string[] },
) {
  cachedHash ??= hashPassword(FIXTURE_PASSWORD);
  const user = await db
    .insertInto("app_user")
    .values({ email: options.email, display_name: options.email.split("@")[0]!, password_hash: await cachedHash, preferred_language: "en" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const membership = await db
    .insertInto("membership")
    .values({ area_id: options.areaId, user_id: user.id, role: options.role, school_id: options.schoolId ?? null, provider_id: options.providerId ?? null })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (options.childIds?.length) {
    await db
      .insertInto("guardian_child")
      .values(options.childIds.map((child_id) => ({ area_id: options.areaId, user_id: user.id, child_id })))
      .execute();
  }
  return { userId: user.id, membershipId: membership.id };
}

/** The load context a signed-in request of this person would get from the server. */
export async function contextFor(db: DB, userId: string, membershipId: string | null = null): Promise<AppLoadContext> {
  const { setCookie } = await startSession(db, userId, membershipId);
  const { signedIn } = await authenticate(db, setCookie.split(";")[0]);
  return { signedIn, cspNonce: "test", clientAddress: "127.0.0.1" };
}

export const signedOutContext: AppLoadContext = { signedIn: null, cspNonce: "test", clientAddress: "127.0.0.1" };

/** Calls a loader or action and returns what it threw or returned, as a Response where it was one. */
export async function settle<T>(promise: Promise<T>): Promise<T | Response> {
  try {
    return await promise;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
