import { hashPassword } from "../../app/modules/accounts/password.server";
import type { DB } from "../../app/modules/db/database.server";
import type { Language, Role } from "../../app/modules/db/schema";

/** The one password of every demo sign-in. Demo only: never seeded into a real deployment. */
export const DEMO_PASSWORD = "pasbort-demo";

export const DEMO_ACCOUNTS = [
  { email: "coordinator@demo.test", name: "Ceri Hughes", role: "coordinator", language: "cy", description: "area coordinator" },
  { email: "school@demo.test", name: "Dafydd Roberts", role: "school", language: "en", description: "school coordinator (one school)" },
  { email: "provider@demo.test", name: "Megan Parry", role: "provider_owner", language: "en", description: "Learning Destination owner" },
  { email: "guardian@demo.test", name: "Siân Edwards", role: "guardian", language: "cy", description: "parent of two children" },
  { email: "viewer@demo.test", name: "Gareth Lloyd", role: "viewer", language: "en", description: "viewer (reports only)" },
] as const satisfies ReadonlyArray<{ email: string; name: string; role: Role; language: Language; description: string }>;

interface DemoPlanParts {
  schools: Array<{ id: string }>;
  providers: Array<{ id: string; status?: string | null }>;
  children: Array<{ id: string; family_name: string; school_id?: string | null }>;
  credits: Array<{ child_id: string; revoked_at?: unknown }>;
}

/**
 * The demo sign-ins: one person for each role. The school coordinator's school is the one
 * the guardian's two children attend, so the demo tells one story.
 */
export async function seedDemoAccounts(db: DB, areaId: string, plan: DemoPlanParts) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const siblings = findSiblings(plan.children, plan.credits);
  const schoolId = siblings[0].school_id ?? plan.schools[0]!.id;
  const providerId = (plan.providers.find((provider) => provider.status === "validated") ?? plan.providers[0]!).id;

  for (const account of DEMO_ACCOUNTS) {
    const user = await db
      .insertInto("app_user")
      .values({
        email: account.email,
        display_name: account.name,
        password_hash: passwordHash,
        preferred_language: account.language,
        email_verified_at: new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("membership")
      .values({
        area_id: areaId,
        user_id: user.id,
        role: account.role,
        school_id: account.role === "school" ? schoolId : null,
        provider_id: account.role === "provider_owner" ? providerId : null,
      })
      .execute();
    if (account.role === "guardian") {
      await db
        .insertInto("guardian_child")
        .values(siblings.map((child) => ({ area_id: areaId, user_id: user.id, child_id: child.id })))
        .execute();
    }
  }
}

/**
 * Two children of one family at one school who both have stamps, so the demo passport has
 * something to show; failing that, any two of one family, or simply the first two.
 */
function findSiblings(children: DemoPlanParts["children"], credits: DemoPlanParts["credits"]) {
  const stamped = new Set(credits.filter((credit) => !credit.revoked_at).map((credit) => credit.child_id));
  for (const needStamps of [true, false]) {
    for (const [index, child] of children.entries()) {
      if (needStamps && !stamped.has(child.id)) continue;
      const sibling = children
        .slice(index + 1)
        .find((other) => other.family_name === child.family_name && other.school_id === child.school_id && (!needStamps || stamped.has(other.id)));
      if (sibling) return [child, sibling] as const;
    }
  }
  return [children[0]!, children[1]!] as const;
}
