import { sql } from "kysely";
import { Migrator } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/modules/db/database.server";
import { migrateToLatest } from "~/modules/db/migrate.server";
import { loadLsoas, loadReferenceData, placeOnLsoa21 } from "~/modules/reference/lsoa.server";
import { migrations } from "../../db/migrations";
import { seedDemo } from "../../db/seed/demo";
import { seedTwoAreas } from "../support/fixtures";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";

// Wrexham's three kinds of change (db/reference/README.md): W01000352 and W01000353 merged into
// W01001969; W01000383 split into W01001971 and W01001972; W01000384 unchanged.
const MERGED = ["W01000352", "W01000353"] as const;
const MERGED_INTO = "W01001969";
const SPLIT = "W01000383";
const UNCHANGED = "W01000384";

const count = async (db: DB, query: ReturnType<typeof sql<{ n: number }>>) => (await query.execute(db)).rows[0]!.n;

describe(`the reference tables on ${testDatabaseKind()}`, () => {
  let db: DB;
  let close: () => Promise<void>;
  beforeAll(async () => ({ db, close } = await createTestDatabase()));
  afterAll(() => close());

  it("hold WIMD 2025 on the 1,917 LSOAs of 2021 with the Welsh Government's counts per quintile for Wrexham and Flintshire", async () => {
    expect(await count(db, sql`select count(*)::int as n from lsoa21`)).toBe(1917);
    const rows = await sql<{ la_code: string; q: number; n: number }>`
      select la_code, wimd_quintile as q, count(*)::int as n from lsoa21
      where la_code in ('W06000006', 'W06000005') group by 1, 2 order by 1, 2`.execute(db);
    const of = (la: string) => rows.rows.filter((row) => row.la_code === la).map((row) => row.n);
    expect(of("W06000006")).toEqual([15, 12, 19, 20, 18]);
    expect(of("W06000005")).toEqual([11, 10, 16, 22, 33]);
    // WIMD 2019 stays, on the 1,909 LSOAs of 2011.
    expect(await count(db, sql`select count(*)::int as n from lsoa`)).toBe(1909);
  });

  it("hold the ONS lookup: 1,837 unchanged, 27 split into 58, 45 merged into 22", async () => {
    const rows = await sql<{ change: string; rows: number; lsoa11: number; lsoa21: number }>`
      select change, count(*)::int as rows, count(distinct lsoa11_code)::int as lsoa11, count(distinct lsoa21_code)::int as lsoa21
      from lsoa11_lsoa21 group by 1 order by 1`.execute(db);
    expect(rows.rows).toEqual([
      { change: "M", rows: 45, lsoa11: 45, lsoa21: 22 },
      { change: "S", rows: 58, lsoa11: 27, lsoa21: 58 },
      { change: "U", rows: 1837, lsoa11: 1837, lsoa21: 1837 },
    ]);
  });
});

describe(`migration 0015 on a database with children, schools and providers on ${testDatabaseKind()}`, () => {
  it("places unchanged and merged 2011 LSOAs on 2021 ones, keeps split ones waiting, and loses nothing", async () => {
    const { db, close } = await createTestDatabase({ migrate: false });
    try {
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      expect((await migrator.migrateTo("0013_credit_in_one_call")).error).toBeUndefined();
      await loadLsoas(db);
      const { north } = await seedTwoAreas(db);
      // Five north children: unchanged, merged (both halves), split, and no LSOA; one withdrawn.
      const children = await sql<{ id: string }>`select id from child where area_id = ${north.id} order by id`.execute(db);
      const homes = [UNCHANGED, MERGED[0], MERGED[1], SPLIT, null];
      const ids: string[] = children.rows.map((row) => row.id);
      for (let i = ids.length; i < homes.length; i++) {
        const row = await sql<{ id: string }>`insert into child (area_id, birth_year, school_id, home_lsoa_code, status, withdrawn_at, withdrawn_reason)
          values (${north.id}, 2016, ${north.schools[0]!.id}, null, 'withdrawn', now(), 'guardian') returning id`.execute(db);
        ids.push(row.rows[0]!.id);
      }
      for (const [i, home] of homes.entries()) await sql`update child set home_lsoa_code = ${home} where id = ${ids[i]!}`.execute(db);
      await sql`update school set lsoa_code = ${SPLIT} where id = ${north.schools[0]!.id}`.execute(db);
      await sql`update school set lsoa_code = ${MERGED[1]} where id = ${north.schools[1]!.id}`.execute(db);
      await sql`update provider set lsoa_code = ${UNCHANGED} where area_id = ${north.id}`.execute(db);
      const before = await sql<{ id: string; home_lsoa_code: string | null }>`select id, home_lsoa_code from child order by id`.execute(db);

      // 0015, and any migration after it (which must leave what 0015 did alone).
      expect(await migrateToLatest(db)).toEqual(Object.keys(migrations).filter((name) => name > "0013_credit_in_one_call"));
      const reference = await loadReferenceData(db);

      const after = await sql<{ id: string; home_lsoa_code: string | null; home_lsoa21_code: string | null }>`
        select id, home_lsoa_code, home_lsoa21_code from child order by id`.execute(db);
      // Same children, each keeping its 2011 LSOA (so WIMD 2019 reports do not change).
      expect(after.rows.map(({ id, home_lsoa_code }) => ({ id, home_lsoa_code }))).toEqual(before.rows);
      const placedAt = (id: string) => after.rows.find((row) => row.id === id)!.home_lsoa21_code;
      expect(ids.map(placedAt)).toEqual([UNCHANGED, MERGED_INTO, MERGED_INTO, null, null]);
      const schools = await sql<{
        lsoa_code: string;
        lsoa21_code: string | null;
      }>`select lsoa_code, lsoa21_code from school where area_id = ${north.id} order by lsoa_code`.execute(db);
      expect(schools.rows).toEqual([
        { lsoa_code: MERGED[1], lsoa21_code: MERGED_INTO },
        { lsoa_code: SPLIT, lsoa21_code: null },
      ]);
      const providers = await sql<{ lsoa21_code: string | null }>`select distinct lsoa21_code from provider where area_id = ${north.id}`.execute(db);
      expect(providers.rows).toEqual([{ lsoa21_code: UNCHANGED }]);
      // Every child with a 2011 LSOA is placed or listed as waiting; nothing is unmatched.
      const withLsoa = before.rows.filter((row) => row.home_lsoa_code).length;
      expect(reference.moved.placed.child + reference.moved.waiting.child).toBe(withLsoa);
      expect(reference.moved.waiting).toEqual({ child: 1, school: 1, provider: 0 });
      expect(reference.moved.unmatched).toEqual([]);

      // Run again (every start does): nothing more moves, the split child still waits.
      const again = await loadReferenceData(db);
      expect(again.moved.placed).toEqual({ child: 0, school: 0, provider: 0 });
      expect(again.moved.waiting.child).toBe(1);
    } finally {
      await close();
    }
    // Migrates from nothing and loads both editions' reference data twice: over a minute on a busy machine.
  }, 180_000);
});

describe(`the move on a copy of the demo on ${testDatabaseKind()}`, () => {
  it("gives every demo child a 2021 LSOA or lists it as waiting, with the same counts before and after", { timeout: 120_000 }, async () => {
    const { db, close } = await createTestDatabase();
    try {
      await seedDemo(db, { today: new Date("2026-11-20T12:00:00Z") });
      const seeded = await sql<{ id: string; home_lsoa_code: string | null; home_lsoa21_code: string | null }>`
        select id, home_lsoa_code, home_lsoa21_code from child order by id`.execute(db);
      // As the demo was before migration 0015: 2011 LSOAs only.
      await sql`update child set home_lsoa21_code = null`.execute(db);
      await sql`update school set lsoa21_code = null`.execute(db);
      await sql`update provider set lsoa21_code = null`.execute(db);
      const tables = async () => ({
        child: await count(db, sql`select count(*)::int as n from child`),
        credit: await count(db, sql`select count(*)::int as n from credit`),
        school: await count(db, sql`select count(*)::int as n from school`),
        provider: await count(db, sql`select count(*)::int as n from provider`),
      });
      const before = await tables();

      const moved = await db.transaction().execute((trx) => placeOnLsoa21(trx));

      expect(await tables()).toEqual(before);
      const after = await sql<{ id: string; home_lsoa_code: string | null; home_lsoa21_code: string | null }>`
        select id, home_lsoa_code, home_lsoa21_code from child order by id`.execute(db);
      expect(after.rows).toEqual(seeded.rows);
      const waiting = after.rows.filter((row) => row.home_lsoa_code && !row.home_lsoa21_code);
      const placed = after.rows.filter((row) => row.home_lsoa21_code);
      expect(placed.length + waiting.length).toBe(after.rows.filter((row) => row.home_lsoa_code).length);
      expect(moved.placed.child).toBe(placed.length);
      expect(moved.waiting.child).toBe(waiting.length);
      // Those waiting are exactly the children of split 2011 LSOAs.
      const split = new Set(
        (await sql<{ code: string }>`select distinct lsoa11_code as code from lsoa11_lsoa21 where change = 'S'`.execute(db)).rows.map((row) => row.code),
      );
      expect(waiting.every((row) => split.has(row.home_lsoa_code!))).toBe(true);
      expect(placed.some((row) => row.home_lsoa_code !== row.home_lsoa21_code)).toBe(true);
      expect(moved.placed.school + moved.waiting.school).toBe(before.school);
    } finally {
      await close();
    }
  });
});
