import type { DB } from "../db/database.server";

/**
 * The local authorities an area covers, by code. Names are shown through the locale files
 * (localAuthorities.W06000006 → Wrexham / Wrecsam); the reference data has English names only.
 */
export async function localAuthoritiesOf(db: DB, areaId: string) {
  const rows = await db.selectFrom("area_local_authority").select("la_code").where("area_id", "=", areaId).orderBy("la_code").execute();
  return rows.map((row) => row.la_code);
}

/** Every area's local authorities, for the public application form: picking one picks the area. */
export async function applicationLocalAuthorities(db: DB) {
  return db
    .selectFrom("area_local_authority")
    .innerJoin("area", "area.id", "area_local_authority.area_id")
    .select(["area_local_authority.la_code", "area.id as area_id", "area.name_en", "area.name_cy"])
    .orderBy("area.created_at")
    .orderBy("area_local_authority.la_code")
    .execute();
}

/** The area a local authority belongs to (the first to claim it, should two ever overlap). */
export async function areaForLocalAuthority(db: DB, laCode: string) {
  const row = await db
    .selectFrom("area_local_authority")
    .innerJoin("area", "area.id", "area_local_authority.area_id")
    .select(["area.id", "area.settings"])
    .where("area_local_authority.la_code", "=", laCode)
    .orderBy("area.created_at")
    .executeTakeFirst();
  return row ?? null;
}

/** How many months a validation lasts in an area: its setting, or 12. */
export async function validationMonthsOf(db: DB, areaId: string) {
  const area = await db.selectFrom("area").select("settings").where("id", "=", areaId).executeTakeFirstOrThrow();
  const months = area.settings?.validationMonths;
  return typeof months === "number" && Number.isInteger(months) && months > 0 && months <= 36 ? months : 12;
}
