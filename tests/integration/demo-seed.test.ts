import { spawnSync } from "node:child_process";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCoordinator } from "~/modules/accounts/create-coordinator.server";
import type { DB } from "~/modules/db/database.server";
import { holdsDemoData } from "~/modules/db/demo-marker.server";
import { dataNotes, prepareDatabase } from "~/modules/db/startup.server";
import { isCreditable } from "~/modules/credits/eligibility.server";
import { formatClock } from "~/modules/i18n/format";
import { projectPath } from "~/modules/project-path.server";
import { DEMO_ACCOUNTS } from "../../db/seed/demo-accounts";
import { DEMO_AREA_SLUG, DemoRefusedError, seedDemo } from "../../db/seed/demo";
import { createPerson, seedTwoAreas } from "../support/fixtures";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { sameArea } from "~/modules/db/same-area.server";

const TODAY = new Date("2026-11-20T12:00:00Z");
const TIMEOUT = { timeout: 120_000 };

async function tableCounts(db: DB) {
  const count = async (table: "area" | "school" | "provider" | "activity" | "activity_session" | "child" | "credit" | "award_level") =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    areas: await count("area"),
    schools: await count("school"),
    providers: await count("provider"),
    activities: await count("activity"),
    sessions: await count("activity_session"),
    children: await count("child"),
    credits: await count("credit"),
    awardLevels: await count("award_level"),
  };
}

async function passportNumbers(db: DB) {
  const rows = await db.selectFrom("child").select("passport_number").orderBy("passport_number").execute();
  return rows.map((row) => row.passport_number);
}

describe(`demo seed on ${testDatabaseKind()}`, () => {
  let db: DB;
  let close: () => Promise<void>;
  let firstRun: Awaited<ReturnType<typeof seedDemo>>;

  beforeAll(async () => {
    ({ db, close } = await createTestDatabase());
    const started = performance.now();
    firstRun = await seedDemo(db, { today: TODAY });
    // Kept in the log so a slow-down is noticed; the seed takes about a second on PGlite.
    console.info(`demo seed: ${Math.round(performance.now() - started)} ms`, firstRun.counts);
  }, 120_000);
  afterAll(async () => close());

  it("creates the Wrexham & Flintshire area with both local authorities and the default ladder", TIMEOUT, async () => {
    expect(firstRun.seeded).toBe(true);
    const area = await db.selectFrom("area").selectAll().where("slug", "=", DEMO_AREA_SLUG).executeTakeFirstOrThrow();
    expect(area).toMatchObject({ name_cy: "Prifysgol y Plant Wrecsam a Sir y Fflint", passport_prefix: "WF" });
    expect(area.settings).toEqual({ dailyCapQuarterHours: 32, creditWindowMinutes: 2880 });
    const las = await db.selectFrom("area_local_authority").select("la_code").orderBy("la_code").execute();
    expect(las.map((row) => row.la_code)).toEqual(["W06000005", "W06000006"]);
    const ladder = await db.selectFrom("award_level").select("threshold_hours").orderBy("threshold_hours").execute();
    expect(ladder.map((level) => level.threshold_hours).slice(0, 4)).toEqual([30, 65, 100, 130]);
    expect(ladder.at(-1)?.threshold_hours).toBe(1000);
  });

  it("has roughly the planned numbers of schools, providers, activities and children", TIMEOUT, async () => {
    const counts = await tableCounts(db);
    expect(counts.schools).toBeGreaterThanOrEqual(18);
    expect(counts.schools).toBeLessThanOrEqual(22);
    expect(counts.providers).toBeGreaterThanOrEqual(15);
    expect(counts.activities).toBeGreaterThanOrEqual(35);
    expect(counts.activities).toBeLessThanOrEqual(45);
    expect(counts.children).toBeGreaterThanOrEqual(550);
    expect(counts.children).toBeLessThanOrEqual(650);
    expect(counts.credits).toBeGreaterThan(1000);
    expect(firstRun.counts).toMatchObject({
      schools: counts.schools,
      providers: counts.providers,
      activities: counts.activities,
      sessions: counts.sessions,
      children: counts.children,
      credits: counts.credits,
    });
  });

  it("covers every activity category, one pending application and one validation running out", TIMEOUT, async () => {
    const categories = await db.selectFrom("activity").select("category").distinct().execute();
    expect(categories.map((row) => row.category).sort()).toEqual(["arts", "community", "nature", "reading", "sport", "stem", "volunteering", "welsh"]);
    const pending = await db.selectFrom("provider").select("name_en").where("status", "=", "pending").execute();
    expect(pending).toHaveLength(1);
    const soon = await db.selectFrom("provider").select("name_en").where("status", "=", "validated").where("validated_until", "<=", "2027-01-19").execute();
    expect(soon).toHaveLength(1);
    const titles = await db.selectFrom("activity").select(["title_en", "title_cy"]).execute();
    expect(titles.filter((title) => title.title_cy === null).length).toBeGreaterThanOrEqual(2);
    expect(titles.filter((title) => title.title_en === null).length).toBeGreaterThanOrEqual(2);
  });

  it("places children in every WIMD quintile, at schools in their own county", TIMEOUT, async () => {
    const quintiles = await db
      .selectFrom("child")
      .innerJoin("lsoa", "lsoa.code", "child.home_lsoa_code")
      .select("lsoa.wimd_quintile")
      .distinct()
      .orderBy("lsoa.wimd_quintile")
      .execute();
    expect(quintiles.map((row) => row.wimd_quintile)).toEqual([1, 2, 3, 4, 5]);
    const elsewhere = await db
      .selectFrom("child")
      .innerJoin("lsoa", "lsoa.code", "child.home_lsoa_code")
      .innerJoin("school", sameArea("school.id", "child.school_id"))
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .whereRef("school.la_code", "<>", "lsoa.la_code")
      .executeTakeFirstOrThrow();
    expect(Number(elsewhere.n)).toBe(0);
    const numbers = await passportNumbers(db);
    for (const number of numbers) expect(number).toMatch(/^WF-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    const tokens = await db.selectFrom("child").select("passport_token").execute();
    for (const { passport_token } of tokens) expect(passport_token).toMatch(/^[0-9a-f]{32}$/);
    const equity = await db
      .selectFrom("child")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("efsm", "=", true)
      .where("equity_consent_at", "is not", null)
      .executeTakeFirstOrThrow();
    expect(Number(equity.n)).toBeGreaterThan(0);
  });

  it("homes children, schools and providers on 2021 LSOAs, each 2011 LSOA the lookup's, and in each WIMD 2025 quintile its share", TIMEOUT, async () => {
    // Each row's pair of codes is one row of the ONS lookup; a missing 2021 code only where the
    // 2011 LSOA was split (the children who wait for a postcode), and never for a school or provider.
    const { rows: faults } = await sql<{ what: string; n: number }>`
      select 'child' as what, count(*)::int as n from child c
       where c.home_lsoa_code is null
          or (c.home_lsoa21_code is not null and not exists (select 1 from lsoa11_lsoa21 m where m.lsoa11_code = c.home_lsoa_code and m.lsoa21_code = c.home_lsoa21_code))
          or (c.home_lsoa21_code is null and not exists (select 1 from lsoa11_lsoa21 m where m.lsoa11_code = c.home_lsoa_code and m.change = 'S'))
      union all
      select 'school', count(*)::int from school s
       where not exists (select 1 from lsoa11_lsoa21 m where m.lsoa11_code = s.lsoa_code and m.lsoa21_code = s.lsoa21_code)
      union all
      select 'provider', count(*)::int from provider p
       where not exists (select 1 from lsoa11_lsoa21 m where m.lsoa11_code = p.lsoa_code and m.lsoa21_code = p.lsoa21_code)`.execute(db);
    expect(Object.fromEntries(faults.map((row) => [row.what, Number(row.n)]))).toEqual({ child: 0, school: 0, provider: 0 });

    // Children are drawn uniformly over the area's 176 LSOAs of 2021, so each quintile holds
    // about its share of them (Wrexham 15, 12, 19, 20, 18; Flintshire 11, 10, 16, 22, 33):
    // within four standard deviations of the binomial count. The waiting children live in
    // Holt, split in 2021 (its halves are in quintiles 3 and 5), so they count there.
    const { rows } = await sql<{ quintile: number; lsoas: number; children: number }>`
      with homes as (
        select coalesce(c.home_lsoa21_code, m.lsoa21_code) as code, count(*) over (partition by c.id) as halves
        from child c left join lsoa11_lsoa21 m on c.home_lsoa21_code is null and m.lsoa11_code = c.home_lsoa_code
      )
      select l.wimd_quintile as quintile, count(distinct l.code)::int as lsoas,
             coalesce(sum(1.0 / h.halves), 0)::float8 as children
      from lsoa21 l left join homes h on h.code = l.code
      where l.la_code in ('W06000006', 'W06000005')
      group by l.wimd_quintile order by l.wimd_quintile`.execute(db);
    expect(rows.map((row) => Number(row.lsoas))).toEqual([26, 22, 35, 42, 51]);
    const children = rows.reduce((sum, row) => sum + Number(row.children), 0);
    expect(children).toBe(600);
    for (const row of rows) {
      const share = Number(row.lsoas) / 176;
      const expected = children * share;
      expect(Math.abs(Number(row.children) - expected), `quintile ${row.quintile}`).toBeLessThan(4 * Math.sqrt(expected * (1 - share)));
    }

    // WIMD 2025 knows every child's quintile but those few who wait for a postcode.
    const waiting = await db
      .selectFrom("child")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("home_lsoa21_code", "is", null)
      .executeTakeFirstOrThrow();
    expect(Number(waiting.n)).toBeGreaterThanOrEqual(3);
    expect(Number(waiting.n)).toBeLessThanOrEqual(20);
  });

  it("makes the guardian's two children siblings at one home and school, with stamps, waiting for a postcode", TIMEOUT, async () => {
    const family = await db
      .selectFrom("guardian_child")
      .innerJoin("app_user", "app_user.id", "guardian_child.user_id")
      .innerJoin("child", sameArea("child.id", "guardian_child.child_id"))
      .select([
        "child.family_name",
        "child.school_id",
        "child.home_lsoa_code",
        "child.home_lsoa21_code",
        (eb) =>
          eb
            .selectFrom("credit")
            .select((inner) => inner.fn.countAll<number>().as("n"))
            .whereRef("credit.child_id", "=", "child.id")
            .where("credit.revoked_at", "is", null)
            .as("stamps"),
      ])
      .where("app_user.email", "=", "guardian@demo.test")
      .execute();
    expect(family).toHaveLength(2);
    expect(new Set(family.map((child) => `${child.family_name}|${child.school_id}|${child.home_lsoa_code}`)).size).toBe(1);
    for (const child of family) {
      expect(child.home_lsoa21_code).toBeNull();
      expect(Number(child.stamps)).toBeGreaterThan(0);
    }
    // …so the coordinator's count of children waiting, by school, has that school.
    const school = await db
      .selectFrom("child")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("school_id", "=", family[0]!.school_id)
      .where("home_lsoa21_code", "is", null)
      .executeTakeFirstOrThrow();
    expect(Number(school.n)).toBeGreaterThanOrEqual(2);
  });

  it("reaches fewer children in the most deprived fifth than in the least deprived", TIMEOUT, async () => {
    const { rows } = await sql<{ quintile: number; enrolled: number; active: number }>`
      select l.wimd_quintile as quintile,
             count(*) as enrolled,
             count(*) filter (where exists (
               select 1 from credit cr
               where cr.area_id = c.area_id and cr.child_id = c.id and cr.revoked_at is null
             )) as active
      from child c
      join lsoa21 l on l.code = c.home_lsoa21_code
      group by l.wimd_quintile
      order by l.wimd_quintile`.execute(db);
    const rate = (quintile: number) => {
      const row = rows.find((r) => Number(r.quintile) === quintile)!;
      return Number(row.active) / Number(row.enrolled);
    };
    expect(rate(1)).toBeLessThan(rate(5));
    expect(rate(5) - rate(1)).toBeGreaterThan(0.2);
  });

  it("keeps the credit rules: one per child and session, none before a session starts, within the daily cap", TIMEOUT, async () => {
    const duplicates = await sql<{ n: number }>`
      select count(*) as n from (
        select child_id, session_id from credit where revoked_at is null
        group by child_id, session_id having count(*) > 1
      ) d`.execute(db);
    expect(Number(duplicates.rows[0]!.n)).toBe(0);

    const early = await sql<{ n: number }>`
      select count(*) as n from credit cr
      join activity_session s on s.area_id = cr.area_id and s.id = cr.session_id
      where s.starts_at > ${TODAY} or s.cancelled_at is not null`.execute(db);
    expect(Number(early.rows[0]!.n)).toBe(0);

    const inconsistent = await sql<{ n: number }>`
      select count(*) as n from credit cr
      join activity_session s on s.area_id = cr.area_id and s.id = cr.session_id
      join activity a on a.area_id = cr.area_id and a.id = s.activity_id
      where cr.activity_id <> a.id or cr.provider_id <> a.provider_id or cr.quarter_hours <> s.quarter_hours
         or cr.earned_on <> (s.starts_at at time zone 'Europe/London')::date
         or a.status <> 'validated'`.execute(db);
    expect(Number(inconsistent.rows[0]!.n)).toBe(0);

    const overCap = await sql<{ n: number }>`
      select count(*) as n from (
        select child_id, earned_on from credit where revoked_at is null
        group by child_id, earned_on having sum(quarter_hours) > 32
      ) d`.execute(db);
    expect(Number(overCap.rows[0]!.n)).toBe(0);

    const upcoming = await sql<{ n: number }>`
      select count(*) as n from activity_session
      where starts_at > ${TODAY} and starts_at <= ${new Date(TODAY.getTime() + 14 * 86_400_000)}`.execute(db);
    expect(Number(upcoming.rows[0]!.n)).toBeGreaterThan(0);
  });

  it("has one session of the demo provider open all of today, for the scanner and its browser tests", TIMEOUT, async () => {
    const open = await db
      .selectFrom("activity_session as s")
      .innerJoin("activity as a", sameArea("a.id", "s.activity_id"))
      .innerJoin("membership as m", sameArea("m.provider_id", "a.provider_id"))
      .innerJoin("app_user as u", "u.id", "m.user_id")
      .select(["s.id", "s.area_id", "s.starts_at", "s.ends_at"])
      .where("u.email", "=", "provider@demo.test")
      .where("s.starts_at", "<=", TODAY)
      .where("s.ends_at", ">=", TODAY)
      .execute();
    expect(open).toHaveLength(1);
    expect([formatClock(open[0]!.starts_at), formatClock(open[0]!.ends_at)]).toEqual(["00:00", "23:59"]);
    expect(await isCreditable(db, open[0]!.area_id, open[0]!.id, TODAY)).toMatchObject({ ok: true });
  });

  it("marks the database as a demo one, which start-up reports with the demo sign-ins", TIMEOUT, async () => {
    expect(await holdsDemoData(db)).toBe(true);
    const emails = await db.selectFrom("app_user").select("email").orderBy("email").execute();
    expect(emails.map((row) => row.email)).toEqual(DEMO_ACCOUNTS.map((account) => account.email).sort());
    const seededNotes = dataNotes({ demoSeeded: true, demoPresent: true, hasCoordinator: true }, true);
    expect(seededNotes[0]).toMatch(/^Demo data seeded: made-up people and children; every page shows a demo banner\./);
    expect(seededNotes).toContain('Demo sign-ins (password "pasbort-demo"):');
    // Started again, with or without the switch: still a demo database, and the log says so.
    for (const seedDemo of [true, false]) {
      const again = await prepareDatabase(db, { seedDemo });
      expect(again).toMatchObject({ demoSeeded: false, demoPresent: true, hasCoordinator: true });
      expect(dataNotes(again, true)[0]).toMatch(/^Demo data: this database holds the made-up demo; every page shows a demo banner\./);
    }
  });

  it("does nothing when run again", TIMEOUT, async () => {
    const before = await tableCounts(db);
    const again = await seedDemo(db, { today: TODAY });
    expect(again).toEqual({ seeded: false, counts: {} });
    expect(await tableCounts(db)).toEqual(before);
    const meta = await db.selectFrom("app_meta").select("value").where("key", "=", "demo_seed").executeTakeFirstOrThrow();
    expect(meta.value).toMatchObject({ version: 1 });
  });

  it("starts again with the switch on a demo database that people have added to (invited accounts), without refusing", TIMEOUT, async () => {
    await db.insertInto("app_user").values({ email: "invited@demo-visitor.example", display_name: "Invited", preferred_language: "en" }).execute();
    await expect(prepareDatabase(db, { seedDemo: true })).resolves.toMatchObject({ demoSeeded: false, demoPresent: true });
  });

  it("gives the same passport numbers and cell keys on a fresh database, whatever the date", TIMEOUT, async () => {
    const other = await createTestDatabase();
    // The demo's published figures (and so the browser tests reading them) are the same on every machine.
    const cellKeys = (of: typeof db) => of.selectFrom("child").select(["passport_number", "cell_key"]).orderBy("passport_number").execute();
    try {
      const result = await seedDemo(other.db, { today: new Date("2027-03-10T09:00:00Z") });
      expect(result.seeded).toBe(true);
      expect(await passportNumbers(other.db)).toEqual(await passportNumbers(db));
      const keys = await cellKeys(db);
      expect(await cellKeys(other.db)).toEqual(keys);
      expect(new Set(keys.map((row) => row.cell_key)).size).toBeGreaterThan(100);
    } finally {
      await other.close();
    }
  });
});

describe(`demo seed failures on ${testDatabaseKind()}`, () => {
  it("leaves nothing behind when it cannot finish", TIMEOUT, async () => {
    // No reference data: the seed must refuse, and roll back its claim on app_meta too.
    const { db, close } = await createTestDatabase({ reference: false });
    try {
      await expect(seedDemo(db, { today: TODAY })).rejects.toThrow(/reference data/);
      expect(await db.selectFrom("app_meta").select("key").where("key", "=", "demo_seed").execute()).toEqual([]);
      expect(await db.selectFrom("area").select("id").execute()).toEqual([]);
    } finally {
      await close();
    }
  });
});

/** Every row of the tables a person, area or child lives in: what a refused seed must leave as it was. */
async function everything(db: DB) {
  const tables = [
    "app_meta",
    "area",
    "app_user",
    "membership",
    "school",
    "provider",
    "activity",
    "activity_session",
    "child",
    "credit",
    "award_level",
  ] as const;
  const rows: Record<string, unknown[]> = {};
  for (const table of tables) rows[table] = await db.selectFrom(table).selectAll().execute();
  return rows;
}

describe(`demo data only when asked for, on ${testDatabaseKind()}`, () => {
  it("seeds nothing on a fresh start without the switch, and says how to make the first coordinator", TIMEOUT, async () => {
    const { db, close } = await createTestDatabase({ reference: false });
    try {
      const prepared = await prepareDatabase(db, { seedDemo: false });
      expect(prepared).toMatchObject({ demoSeeded: false, demoPresent: false, hasCoordinator: false });
      expect(await db.selectFrom("app_user").select("email").execute()).toEqual([]);
      expect(await db.selectFrom("area").select("slug").execute()).toEqual([]);
      expect(await holdsDemoData(db)).toBe(false);
      const notes = dataNotes(prepared, true).join("\n");
      expect(notes).toMatch(/^No coordinator yet: nobody can sign in\. Stop Pasbort, then make the first one with$/m);
      expect(notes).toContain("npm run create-coordinator -- --email");
      expect(notes).not.toMatch(/pasbort-demo|demo\.test/);
    } finally {
      await close();
    }
  });

  const realInstalls = {
    "a first coordinator made with create-coordinator": async (db: DB) => {
      const made = await createCoordinator(db, {
        email: "ceri@cu-example.org",
        areaSlug: "north-wales",
        area: { nameEn: "Children's University North Wales", nameCy: "Prifysgol y Plant Gogledd Cymru", prefix: "NW" },
        password: "heather-moor-kestrel-42",
      });
      expect(made.ok).toBe(true);
    },
    "areas, schools, children and a guardian": async (db: DB) => {
      const { north } = await seedTwoAreas(db);
      await createPerson(db, { email: "parent@cu-example.org", areaId: north.id, role: "guardian", childIds: [north.children[0]!.id] });
    },
    "one account and nothing else": async (db: DB) => {
      await db.insertInto("app_user").values({ email: "someone@cu-example.org", display_name: "Someone", preferred_language: "cy" }).execute();
    },
  };
  for (const [what, makeRealData] of Object.entries(realInstalls)) {
    it(`refuses to seed into a database holding ${what}, and changes nothing`, TIMEOUT, async () => {
      const { db, close } = await createTestDatabase();
      try {
        await makeRealData(db);
        const before = await everything(db);
        const refused = await seedDemo(db, { today: TODAY }).catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(DemoRefusedError);
        expect((refused as Error).message).toMatch(
          /^Demo data not seeded: this database already holds \d+ area\(s\), \d+ account\(s\) and \d+ child\(ren\) that are not demo data/,
        );
        expect((refused as Error).message).toContain("Nothing was changed.");
        // Start-up with the switch refuses the same way.
        await expect(prepareDatabase(db, { seedDemo: true })).rejects.toThrow(DemoRefusedError);
        expect(await everything(db)).toEqual(before);
        expect(await holdsDemoData(db)).toBe(false);
      } finally {
        await close();
      }
    });
  }

  // The command itself, on a PostgreSQL database (the embedded one: tests/integration/demo-switch.test.ts).
  it.runIf(testDatabaseKind() === "postgres")("npm run seed:demo on a database with real data exits 1, says why and loses nothing", TIMEOUT, async () => {
    const { db, url, close } = await createTestDatabase();
    try {
      await realInstalls["a first coordinator made with create-coordinator"](db);
      const before = await everything(db);
      const env = { ...process.env, DATABASE_URL: url! };
      const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/seed-demo.ts"], { cwd: projectPath(), env, encoding: "utf8" });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^Demo data not seeded: this database already holds 1 area\(s\), 1 account\(s\) and 0 child\(ren\)/m);
      expect(await everything(db)).toEqual(before);
    } finally {
      await close();
    }
  });
});
