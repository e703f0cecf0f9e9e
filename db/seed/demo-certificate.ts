import { ukDate } from "../../app/modules/activities/uk-time.server";
import type { DB } from "../../app/modules/db/database.server";

/** The demo's one printed certificate, at a fixed address: /verify/<DEMO_CERTIFICATE_ID>. */
export const DEMO_CERTIFICATE_ID = "5e2a1c7d-3b4f-4a8e-9c61-0d2f7b8a9e13";

/**
 * One certificate the demo can show whatever the date (the autumn term's credits reach the
 * first award only in November): the guardian's first child graduated at the first level
 * last July, before their passport moved to Pasbort. The award is recorded as certified and
 * kept by the coordinator, as for history brought over from paper, so the ledger (which
 * starts this term) does not flag it.
 */
export async function seedDemoCertificate(db: DB, areaId: string, today: Date) {
  const todayDate = ukDate(today);
  const year = Number(todayDate.slice(0, 4)) - (todayDate.slice(5) < "07-18" ? 1 : 0);
  const reachedOn = `${year}-07-18`;
  const at = new Date(`${reachedOn}T10:00:00Z`);
  const child = await db
    .selectFrom("guardian_child")
    .innerJoin("app_user", "app_user.id", "guardian_child.user_id")
    .innerJoin("child", (join) => join.onRef("child.area_id", "=", "guardian_child.area_id").onRef("child.id", "=", "guardian_child.child_id"))
    .select("child.id")
    .where("guardian_child.area_id", "=", areaId)
    .where("app_user.email", "=", "guardian@demo.test")
    .orderBy("child.passport_number")
    .executeTakeFirstOrThrow();
  const level = await db
    .selectFrom("award_level")
    .select(["id", "name_en", "name_cy", "threshold_hours"])
    .where("area_id", "=", areaId)
    .orderBy("threshold_hours")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("award")
    .values({ area_id: areaId, child_id: child.id, award_level_id: level.id, reached_on: reachedOn, certified_at: at, kept_at: at })
    .onConflict((oc) =>
      oc.columns(["area_id", "child_id", "award_level_id"]).doUpdateSet({ reached_on: reachedOn, certified_at: at, kept_at: at, flagged_at: null }),
    )
    .execute();
  const { last } = await db
    .selectFrom("certificate")
    .select((eb) => eb.fn.max("serial").as("last"))
    .where("area_id", "=", areaId)
    .executeTakeFirstOrThrow();
  await db
    .insertInto("certificate")
    .values({
      id: DEMO_CERTIFICATE_ID,
      area_id: areaId,
      serial: Number(last ?? 0) + 1,
      child_id: child.id,
      award_level_id: level.id,
      award_name_en: level.name_en,
      award_name_cy: level.name_cy,
      threshold_hours: level.threshold_hours,
      reached_on: reachedOn,
      issued_at: at,
    })
    .execute();
}
