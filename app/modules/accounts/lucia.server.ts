import { sql } from "kysely";
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import type { DB } from "../db/database.server";
import type { Language } from "../db/schema";

/**
 * Lucia's storage, written over Kysely so it runs the same on PostgreSQL and PGlite.
 * Sessions carry which of the person's memberships is in use.
 */
export class KyselyLuciaAdapter implements Adapter {
  constructor(private readonly db: DB) {}

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = await this.db
      .selectFrom("auth_session")
      .leftJoin("app_user", "app_user.id", "auth_session.user_id")
      // A child's session (issue 16) holds the child; it lapses when the child is withdrawn.
      .leftJoin("child", (join) =>
        join.onRef("child.area_id", "=", "auth_session.child_area_id").onRef("child.id", "=", "auth_session.child_id").on("child.status", "=", "active"),
      )
      .select([
        "auth_session.id as session_id",
        "auth_session.expires_at",
        "auth_session.active_membership_id",
        "auth_session.child_area_id",
        "auth_session.created_at",
        // Every role but guardian is staff, with the shorter session (session-lifetime.ts).
        sql<boolean>`exists (select 1 from membership where membership.user_id = auth_session.user_id and membership.role <> 'guardian')`.as("staff"),
        "app_user.id as user_id",
        "app_user.email",
        "app_user.display_name",
        "app_user.preferred_language",
        "app_user.email_verified_at",
        "child.id as child_id",
        "child.given_name as child_given_name",
        "child.preferred_language as child_language",
      ])
      .where("auth_session.id", "=", sessionId)
      .executeTakeFirst();
    if (!row) return [null, null];
    const session = (userId: string): DatabaseSession => ({
      id: row.session_id,
      userId,
      expiresAt: row.expires_at,
      attributes: { activeMembershipId: row.active_membership_id, childAreaId: row.child_area_id, createdAt: row.created_at, staff: row.staff },
    });
    if (row.child_area_id) {
      if (!row.child_id) return [null, null];
      const user = { email: "", displayName: row.child_given_name ?? "", preferredLanguage: row.child_language ?? "cy", emailVerified: false };
      return [session(row.child_id), { id: row.child_id, attributes: user }];
    }
    if (!row.user_id) return [null, null];
    return [
      session(row.user_id),
      {
        id: row.user_id,
        attributes: {
          email: row.email!,
          displayName: row.display_name!,
          preferredLanguage: row.preferred_language!,
          emailVerified: row.email_verified_at !== null,
        },
      },
    ];
  }

  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const rows = await this.db.selectFrom("auth_session").selectAll().where("user_id", "=", userId).execute();
    return rows.map((row) => ({
      id: row.id,
      userId,
      expiresAt: row.expires_at,
      attributes: { activeMembershipId: row.active_membership_id, childAreaId: null },
    }));
  }

  async setSession(session: DatabaseSession) {
    await this.db
      .insertInto("auth_session")
      .values(
        session.attributes.childAreaId
          ? { id: session.id, child_area_id: session.attributes.childAreaId, child_id: session.userId, expires_at: session.expiresAt }
          : {
              id: session.id,
              user_id: session.userId,
              expires_at: session.expiresAt,
              active_membership_id: session.attributes.activeMembershipId ?? null,
            },
      )
      .execute();
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date) {
    await this.db.updateTable("auth_session").set({ expires_at: expiresAt }).where("id", "=", sessionId).execute();
  }

  async deleteSession(sessionId: string) {
    await this.db.deleteFrom("auth_session").where("id", "=", sessionId).execute();
  }

  async deleteUserSessions(userId: string) {
    await this.db.deleteFrom("auth_session").where("user_id", "=", userId).execute();
  }

  async deleteExpiredSessions() {
    await this.db.deleteFrom("auth_session").where("expires_at", "<=", new Date()).execute();
  }
}

/**
 * Lucia's own expiry and cookie lifetime: the longest session (a guardian's). Each person's
 * actual lifetime is applied by auth.server.ts (session-lifetime.ts), not by Lucia.
 */
export const SESSION_LIFETIME = new TimeSpan(7, "d");

export function createLucia(db: DB) {
  return new Lucia(new KyselyLuciaAdapter(db), {
    sessionExpiresIn: SESSION_LIFETIME,
    sessionCookie: {
      name: "pasbort_session",
      attributes: { secure: process.env.NODE_ENV === "production", sameSite: "lax" },
    },
    getUserAttributes: (attributes) => attributes,
    getSessionAttributes: (attributes) => attributes,
  });
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: { email: string; displayName: string; preferredLanguage: Language; emailVerified: boolean };
    /** `childAreaId` marks a child's own session (issue 16): its user is the child. */
    /** `createdAt` and `staff` are read with the session, for its lifetime; never written through Lucia. */
    DatabaseSessionAttributes: { activeMembershipId: string | null; childAreaId?: string | null; createdAt?: Date; staff?: boolean };
  }
}
