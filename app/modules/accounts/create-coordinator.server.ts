import { recordAudit } from "../audit/audit.server";
import { defaultLadderRows } from "../awards/default-ladder";
import type { DB } from "../db/database.server";
import type { Language } from "../db/schema";
import { newPasswordError } from "./account-fields.server";
import { hashPassword } from "./password.server";
import { emailField } from "./sign-in.server";

export interface CreateCoordinatorInput {
  email: string;
  areaSlug: string;
  /** Needed only when the area does not exist yet. */
  area?: { nameEn?: string; nameCy?: string; prefix?: string };
  /** Needed only when the person has no account yet; an existing password is never changed here. */
  password?: string;
  displayName?: string;
  language?: Language;
}

export type CreateCoordinatorResult =
  | { ok: true; userId: string; areaId: string; areaCreated: boolean; accountCreated: boolean; membershipAdded: boolean }
  /** Translation keys, each saying what to fix. */
  | { ok: false; problems: string[] };

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The first coordinator of a deployment (or of a new area), made from the command line
 * because nobody can invite them. Creates the area with the default award ladder when it is
 * missing, the account when it is missing (its email counts as confirmed: the operator vouches
 * for it), and the coordinator membership. Running it again changes nothing.
 */
export async function createCoordinator(db: DB, input: CreateCoordinatorInput): Promise<CreateCoordinatorResult> {
  const problems: string[] = [];
  const email = emailField.safeParse(input.email);
  if (!email.success) problems.push(email.error.issues[0]?.message ?? "forms.emailInvalid");
  const slug = input.areaSlug.trim().toLowerCase();
  if (!SLUG.test(slug)) problems.push("createCoordinator.slugInvalid");

  const area = SLUG.test(slug) ? await db.selectFrom("area").select("id").where("slug", "=", slug).executeTakeFirst() : undefined;
  const nameEn = input.area?.nameEn?.trim();
  const nameCy = input.area?.nameCy?.trim();
  const prefix = input.area?.prefix?.trim().toUpperCase();
  if (!area && SLUG.test(slug)) {
    if (!nameEn || !nameCy || !prefix) problems.push("createCoordinator.areaDetailsRequired");
    else if (!/^[A-Z]{2}$/.test(prefix)) problems.push("createCoordinator.prefixInvalid");
    else if (await db.selectFrom("area").select("id").where("passport_prefix", "=", prefix).executeTakeFirst()) {
      problems.push("createCoordinator.prefixTaken");
    }
  }

  const user = email.success ? await db.selectFrom("app_user").select("id").where("email", "=", email.data).executeTakeFirst() : undefined;
  const displayName = input.displayName?.trim() || (email.success ? email.data.split("@")[0]! : "");
  if (!user) {
    if (!input.password) problems.push("createCoordinator.passwordRequired");
    else {
      const passwordError = newPasswordError(input.password, [input.email, displayName]);
      if (passwordError) problems.push(passwordError);
    }
  }
  if (problems.length || !email.success) return { ok: false, problems };

  const passwordHash = user ? null : await hashPassword(input.password!);
  return db.transaction().execute(async (trx) => {
    let areaId = area?.id;
    if (!areaId) {
      const created = await trx
        .insertInto("area")
        .values({ slug, name_en: nameEn!, name_cy: nameCy!, passport_prefix: prefix!, settings: "{}" })
        .returning("id")
        .executeTakeFirstOrThrow();
      areaId = created.id;
      await trx.insertInto("award_level").values(defaultLadderRows(created.id)).execute();
    }
    let userId = user?.id;
    if (!userId) {
      const created = await trx
        .insertInto("app_user")
        .values({
          email: email.data,
          display_name: displayName,
          password_hash: passwordHash,
          preferred_language: input.language ?? "cy",
          email_verified_at: new Date(),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      userId = created.id;
    }
    const membership = await trx
      .insertInto("membership")
      .values({ area_id: areaId, user_id: userId, role: "coordinator" })
      .onConflict((oc) => oc.doNothing())
      .returning("id")
      .executeTakeFirst();
    if (membership) {
      await recordAudit(trx, {
        areaId,
        action: "membership_added",
        subjectType: "membership",
        subjectId: membership.id,
        details: { role: "coordinator", via: "create-coordinator command", email: email.data },
      });
    }
    return { ok: true, userId, areaId, areaCreated: !area, accountCreated: !user, membershipAdded: Boolean(membership) };
  });
}
