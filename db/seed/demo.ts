import { randomBytes } from "node:crypto";
import type { Insertable } from "kysely";
import type { DB } from "../../app/modules/db/database.server";
import type {
  ActivitySessionTable,
  ActivityTable,
  AreaSettings,
  Category,
  ChildTable,
  CostBand,
  CreditMethod,
  CreditTable,
  Language,
  ProviderKind,
  ProviderTable,
  SchoolTable,
} from "../../app/modules/db/schema";
import { defaultAwardLadder, defaultLadderRows } from "../../app/modules/awards/default-ladder";
import { generatePassportNumber } from "../../app/modules/passports/passport-number";
import { syncAwards } from "../../app/modules/awards/awards.server";
import { DEMO_ACCOUNTS, seedDemoAccounts } from "./demo-accounts";
import { seedDemoCertificate } from "./demo-certificate";
import { addDays, addMonths, isoWeekday, ukDate, ukInstant } from "../../app/modules/activities/uk-time.server";
import { DEMO_SEED_KEY } from "../../app/modules/db/demo-marker.server";

/**
 * The demo: Children's University Wrexham & Flintshire with fictional schools, providers,
 * activities and children (in real LSOAs), and one autumn term of credits in which the most
 * deprived fifth takes part less — so the equity report has a gap to show.
 *
 * Deterministic: every random choice comes from seeded generators, one per concern, and none
 * depends on `today`; `today` only places the term and decides which sessions have happened.
 */

export const DEMO_AREA_SLUG = "wrexham-flintshire";
const DEMO_SEED_VERSION = 1;
const PASSPORT_PREFIX = "WF";
const WREXHAM = "W06000006";
const FLINTSHIRE = "W06000005";
const SETTINGS: AreaSettings = { dailyCapQuarterHours: 32, creditWindowMinutes: 2880 };
const CHILD_COUNT = 600;
/** Share of children who take part at all, by WIMD quintile (1 = most deprived). */
const PARTICIPATION_BY_QUINTILE = [0.35, 0.45, 0.55, 0.65, 0.75] as const;
/** Attendance rolls drawn per enrolment, more than any autumn term has weeks, so the draws never depend on the year. */
const MAX_TERM_WEEKS = 20;
/** Rows per INSERT: well under PGlite's 65,535 bind parameters for the widest table. */
const BATCH_SIZE = 1000;

export interface SeedDemoResult {
  seeded: boolean;
  counts: Record<string, number>;
}

/**
 * Seeds the demo once: nothing when it is already there, and a DemoRefusedError (nothing
 * changed) when the database holds any area, account or child of its own.
 */
export async function seedDemo(db: DB, options: { today?: Date } = {}): Promise<SeedDemoResult> {
  const today = options.today ?? new Date();

  return db.transaction().execute(async (trx) => {
    // Claiming the key first makes a concurrent second run wait here, then find it taken.
    const claimed = await trx
      .insertInto("app_meta")
      .values({ key: DEMO_SEED_KEY, value: JSON.stringify({ version: DEMO_SEED_VERSION, at: today.toISOString() }) })
      .onConflict((oc) => oc.column("key").doNothing())
      .returning("key")
      .executeTakeFirst();
    if (!claimed) return { seeded: false, counts: {} };

    // Made-up people with a published password never join real ones: before the demo's own
    // rows, every area, account and child is someone's real data.
    const real = await realData(trx);
    if (real.areas + real.accounts + real.children > 0) throw new DemoRefusedError(real);

    // Homes are 2021 LSOAs (WIMD 2025), the geography a council uses today; each one's 2011
    // LSOA (WIMD 2019) comes from the ONS lookup.
    const lsoas = await trx
      .selectFrom("lsoa21")
      .select(["code", "name", "la_code", "wimd_quintile"])
      .where("la_code", "in", [WREXHAM, FLINTSHIRE])
      .orderBy("code")
      .execute();
    const lookup = await trx
      .selectFrom("lsoa11_lsoa21")
      .innerJoin("lsoa21", "lsoa21.code", "lsoa11_lsoa21.lsoa21_code")
      .select(["lsoa11_lsoa21.lsoa11_code", "lsoa11_lsoa21.lsoa21_code", "lsoa11_lsoa21.change"])
      .where("lsoa21.la_code", "in", [WREXHAM, FLINTSHIRE])
      .orderBy("lsoa11_lsoa21.lsoa11_code")
      .execute();
    if (lsoas.length === 0 || lookup.length === 0) {
      throw new Error("The demo needs the WIMD reference data: load the LSOAs (loadReferenceData) before seeding.");
    }

    const area = await trx
      .insertInto("area")
      .values({
        slug: DEMO_AREA_SLUG,
        name_en: "Children's University Wrexham & Flintshire",
        name_cy: "Prifysgol y Plant Wrecsam a Sir y Fflint",
        passport_prefix: PASSPORT_PREFIX,
        settings: JSON.stringify(SETTINGS),
      })
      .returning("id")
      .executeTakeFirstOrThrow();

    const plan = planDemo(area.id, lsoas, lookup, today);

    await trx
      .insertInto("area_local_authority")
      .values([WREXHAM, FLINTSHIRE].map((la_code) => ({ area_id: area.id, la_code })))
      .execute();
    await trx.insertInto("award_level").values(defaultLadderRows(area.id)).execute();
    for (const rows of batches(plan.schools)) await trx.insertInto("school").values(rows).execute();
    for (const rows of batches(plan.providers)) await trx.insertInto("provider").values(rows).execute();
    for (const rows of batches(plan.activities)) await trx.insertInto("activity").values(rows).execute();
    for (const rows of batches(plan.sessions)) await trx.insertInto("activity_session").values(rows).execute();
    for (const rows of batches(plan.children)) await trx.insertInto("child").values(rows).execute();
    // Each child's consent record, as the registration form writes it (equity only where agreed).
    const consents = plan.children.flatMap((child) => [
      {
        area_id: area.id,
        child_id: child.id,
        purpose: "passport" as const,
        version: child.consent_version!,
        method: "guardian_form" as const,
        given_at: child.consent_at!,
      },
      ...(child.equity_consent_at
        ? [
            {
              area_id: area.id,
              child_id: child.id,
              purpose: "equity" as const,
              version: child.consent_version!,
              method: "guardian_form" as const,
              given_at: child.equity_consent_at,
            },
          ]
        : []),
    ]);
    for (const rows of batches(consents)) await trx.insertInto("child_consent").values(rows).execute();
    for (const rows of batches(plan.credits)) await trx.insertInto("credit").values(rows).execute();
    // Awards as the ledger would have made them, reached on each child's latest stamp.
    const lastStamp = new Map<string, string>();
    for (const credit of plan.credits) {
      if (credit.revoked_at) continue;
      const day = String(credit.earned_on);
      if ((lastStamp.get(credit.child_id) ?? "") < day) lastStamp.set(credit.child_id, day);
    }
    for (const [childId, day] of lastStamp) await syncAwards(trx, area.id, childId, day);
    await seedDemoAccounts(trx, area.id, plan);
    await seedDemoCertificate(trx, area.id, today);

    const counts = {
      areas: 1,
      localAuthorities: 2,
      awardLevels: defaultAwardLadder().length,
      schools: plan.schools.length,
      providers: plan.providers.length,
      activities: plan.activities.length,
      sessions: plan.sessions.length,
      children: plan.children.length,
      credits: plan.credits.length,
      revokedCredits: plan.credits.filter((credit) => credit.revoked_at).length,
      users: DEMO_ACCOUNTS.length,
    };
    await trx
      .updateTable("app_meta")
      .set({ value: JSON.stringify({ version: DEMO_SEED_VERSION, at: today.toISOString(), counts }) })
      .where("key", "=", DEMO_SEED_KEY)
      .execute();
    return { seeded: true, counts };
  });
}

/** What a database holds that the demo seed did not make; the demo goes only where all are 0. */
export interface RealData {
  areas: number;
  accounts: number;
  children: number;
}

async function realData(db: DB): Promise<RealData> {
  const count = async (table: "area" | "app_user" | "child") =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { areas: await count("area"), accounts: await count("app_user"), children: await count("child") };
}

/** The seed refused a database that holds real data; it changed nothing. */
export class DemoRefusedError extends Error {
  override name = "DemoRefusedError";
  constructor(readonly real: RealData) {
    super(
      `Demo data not seeded: this database already holds ${real.areas} area(s), ${real.accounts} account(s) and ${real.children} child(ren) that are not demo data, and demo accounts have a published password. Nothing was changed. The demo goes only into a new, empty database: use its own PGLITE_DIR ("npm run demo" uses .data/demo) or an empty PostgreSQL database.`,
    );
  }
}

function* batches<T>(rows: T[]) {
  for (let start = 0; start < rows.length; start += BATCH_SIZE) yield rows.slice(start, start + BATCH_SIZE);
}

// ---------------------------------------------------------------------------------------
// The plan: every row, built in memory before anything is written.

interface LsoaRow {
  code: string;
  name: string;
  la_code: string;
  wimd_quintile: number;
}

interface LookupRow {
  lsoa11_code: string;
  lsoa21_code: string;
  change: "U" | "S" | "M" | "X";
}

/** The guardian's family (demo-accounts.ts): children 0 and 1 of the plan, siblings at one home. */
export const DEMO_FAMILY_SIZE = 2;

interface PlannedSession {
  row: Insertable<ActivitySessionTable> & { id: string; starts_at: Date; ends_at: Date };
  activityIndex: number;
  /** Index into the term's teaching weeks; null for a session outside the term. */
  week: number | null;
  date: string;
}

interface WeekPlan {
  attends: boolean;
  method: CreditMethod;
  minutesAfterEnd: number;
  /** Staff first scanned this other child's card by mistake, then revoked that credit. */
  mistakenChildIndex: number | null;
}

interface Enrolment {
  childIndex: number;
  activityIndex: number;
  weeks: WeekPlan[];
}

function planDemo(areaId: string, lsoas: LsoaRow[], lookup: LookupRow[], today: Date) {
  const ids = new Random("ids");
  const todayDate = ukDate(today);
  const termStart = autumnTermStart(todayDate);
  const weeks = termWeeks(termStart);

  // A 2021 LSOA's 2011 one: the same (U), the one it was split from (S: exact in this
  // direction), or, made by a merger (M), one of the merged ones, picked by a stream of its
  // own: a home there lies in one of them, and each maps back to this 2021 LSOA.
  const parents = new Map<string, LookupRow[]>();
  for (const row of lookup) parents.set(row.lsoa21_code, [...(parents.get(row.lsoa21_code) ?? []), row]);
  const mergedRandom = new Random("lsoa11-of-merged");
  const lsoa11Of = (code21: string) => {
    const rows = parents.get(code21);
    if (!rows?.length) throw new Error(`Demo data: the LSOA lookup has no 2011 LSOA for ${code21}.`);
    return (rows.length === 1 ? rows[0]! : mergedRandom.pick(rows)).lsoa11_code;
  };
  /** 2021 LSOAs made by splitting a 2011 one: a child registered there before the move waits for a postcode. */
  const fromSplit = new Set(lookup.filter((row) => row.change === "S").map((row) => row.lsoa21_code));
  const splitLsoas = lsoas.filter((lsoa) => fromSplit.has(lsoa.code));
  if (splitLsoas.length === 0) throw new Error("Demo data: no 2021 LSOA of the area was made by a split.");

  const lsoaByWard = (ward: string, la: string, random: Random) => {
    const matches = lsoas.filter((lsoa) => lsoa.la_code === la && lsoa.name.replace(/ \d+$/, "") === ward);
    if (matches.length === 0) throw new Error(`Demo data: no LSOA in ward "${ward}" (${la}).`);
    const code = random.pick(matches).code;
    return { lsoa_code: lsoa11Of(code), lsoa21_code: code };
  };

  // Schools.
  const schoolRandom = new Random("schools");
  const schools = SCHOOLS.map((school) => ({
    area_id: areaId,
    id: ids.uuid(),
    name: school.name,
    la_code: school.la,
    ...lsoaByWard(school.ward, school.la, schoolRandom),
    welsh_medium: school.welshMedium,
    created_at: dateTime(addDays(termStart, -120), 9 * 60),
  })) satisfies Array<Insertable<SchoolTable>>;

  // Providers and their activities. Validated a few months before the term; most stay valid
  // for nine months from today, one runs out soon so the renewal reminder has something to show.
  const providerRandom = new Random("providers");
  const validUntilDefault = addMonths(todayDate, 9);
  const validUntilSoon = addDays(todayDate, 45);
  const providers: Array<Insertable<ProviderTable> & { id: string }> = [];
  const activities: Array<Insertable<ActivityTable> & { id: string }> = [];
  const activitySpecs: ActivitySpec[] = [];
  for (const provider of [...PROVIDERS, PENDING_PROVIDER]) {
    const pending = provider === PENDING_PROVIDER;
    const validatedOn = addDays(termStart, -providerRandom.int(30, 120));
    const validatedUntil = pending ? null : provider.expiresSoon ? validUntilSoon : validUntilDefault;
    const providerId = ids.uuid();
    providers.push({
      area_id: areaId,
      id: providerId,
      name_en: provider.nameEn,
      name_cy: provider.nameCy,
      kind: provider.kind,
      town: provider.town,
      la_code: provider.la,
      ...lsoaByWard(provider.ward, provider.la, providerRandom),
      contact_name: provider.contact,
      contact_email: provider.email,
      contact_phone: provider.phone,
      status: pending ? "pending" : "validated",
      status_reason: null,
      validated_at: pending ? null : dateTime(validatedOn, 11 * 60),
      validated_until: validatedUntil,
      safeguarding: JSON.stringify(pending ? { dbs: true, policy: true, insurance: false } : { dbs: true, policy: true, insurance: true }),
      activities_summary: provider.activities.map((activity) => activity.titleEn ?? activity.titleCy).join("; "),
      application_language: provider.nameCy ? "cy" : "en",
      submitted_at: pending ? dateTime(addDays(todayDate, -6), 19 * 60) : dateTime(addDays(validatedOn, -7), 10 * 60),
      decided_at: pending ? null : dateTime(validatedOn, 11 * 60),
      created_at: pending ? dateTime(addDays(todayDate, -6), 19 * 60) : dateTime(addDays(validatedOn, -providerRandom.int(10, 40)), 10 * 60),
    });
    for (const activity of provider.activities) {
      activities.push({
        area_id: areaId,
        id: ids.uuid(),
        provider_id: providerId,
        title_en: activity.titleEn,
        title_cy: activity.titleCy,
        description_en: activity.descriptionEn,
        description_cy: activity.descriptionCy,
        category: activity.category,
        credit_quarter_hours: activity.quarterHours,
        term_cap_quarter_hours: activity.termCapQuarterHours ?? null,
        cost_band: activity.cost,
        price_pence: activity.pricePence ?? (activity.cost === "free" ? 0 : null),
        min_age: activity.ages[0],
        max_age: activity.ages[1],
        welsh_language: activity.welshLanguage ?? false,
        accessibility_notes: activity.accessibility ?? null,
        // An activity of a validated provider may itself still wait for the coordinator.
        status: pending ? "pending" : (activity.status ?? "validated"),
        status_reason: activity.statusReason ?? null,
        validated_until: activity.status ? null : validatedUntil,
        validated_at: pending || activity.status ? null : dateTime(validatedOn, 11 * 60),
        venue: activity.venue ?? null,
        town: provider.town,
        la_code: provider.la,
        submitted_at: pending || activity.status ? dateTime(addDays(todayDate, -6), 19 * 60) : dateTime(validatedOn, 10 * 60),
        created_at: pending ? dateTime(addDays(todayDate, -6), 19 * 60) : dateTime(validatedOn, 10 * 60),
      });
      activitySpecs.push({ ...activity, la: provider.la, validatedUntil, pending: pending || activity.status !== undefined });
    }
  }

  // Sessions: weekly through the autumn term, plus the next two weeks when they fall outside it.
  // Claim secrets sign session codes: truly random even in the demo, so no code can be forged.
  const sessions: PlannedSession[] = [];
  activitySpecs.forEach((activity, activityIndex) => {
    if (activity.pending) return;
    const dates = new Map<string, number | null>();
    weeks.forEach((monday, week) => dates.set(addDays(monday, activity.day), week));
    for (let date = addDays(todayDate, 1); date <= addDays(todayDate, 14); date = addDays(date, 1)) {
      if (isoWeekday(date) === activity.day + 1 && !dates.has(date)) dates.set(date, null);
    }
    for (const [date, week] of dates) {
      if (activity.validatedUntil && date > activity.validatedUntil) continue;
      const startsAt = dateTime(date, activity.startMinutes);
      const endsAt = new Date(startsAt.getTime() + activity.quarterHours * 15 * 60_000);
      const cancelled = activity.cancelledWeek !== undefined && week === activity.cancelledWeek;
      sessions.push({
        row: {
          area_id: areaId,
          id: ids.uuid(),
          activity_id: activities[activityIndex]!.id,
          starts_at: startsAt,
          ends_at: endsAt,
          quarter_hours: activity.quarterHours,
          capacity: activity.capacity,
          cancelled_at: cancelled ? new Date(startsAt.getTime() - 26 * 3_600_000) : null,
          claim_secret: randomBytes(32).toString("hex"),
          created_at: dateTime(addDays(termStart, -14), 9 * 60),
        },
        activityIndex,
        week,
        date,
      });
    }
  });
  // One session of the demo provider's first activity open all of today (00:00 to 23:59 in
  // Wales), so the scanner, the register and the browser tests always have a session that
  // can earn credits now. Its own random stream keeps every other id as it was.
  const openToday = new Random("open-today");
  const openActivity = activitySpecs[0]!;
  if (!openActivity.pending) {
    sessions.push({
      row: {
        area_id: areaId,
        id: openToday.uuid(),
        activity_id: activities[0]!.id,
        starts_at: dateTime(todayDate, 0),
        ends_at: dateTime(todayDate, 23 * 60 + 59),
        quarter_hours: openActivity.quarterHours,
        capacity: openActivity.capacity,
        cancelled_at: null,
        claim_secret: randomBytes(32).toString("hex"),
        created_at: dateTime(addDays(todayDate, -1), 9 * 60),
      },
      activityIndex: 0,
      week: null,
      date: todayDate,
    });
  }
  sessions.sort((a, b) => a.row.starts_at.getTime() - b.row.starts_at.getTime() || a.activityIndex - b.activityIndex);

  // Children: spread over the area's 2021 LSOAs uniformly, so each WIMD 2025 quintile gets
  // its fair share. A child living where a 2011 LSOA was split was registered on the 2011
  // geography and waits for a postcode (2011 code only), as real ones do after the move: so
  // does the guardian's family, siblings at one home and one school, so that their home page
  // asks for it (when a postcode directory is loaded) and the coordinator's count has them.
  const childRandom = new Random("children");
  const passportRandom = new Random("passports");
  // Cell keys from a stream of their own: the demo publishes the same figures on every machine,
  // so the browser tests that read its reports do not depend on the database's random keys
  // (real children's keys stay the database's, migration 0025).
  const cellKeyRandom = new Random("cell-keys");
  const passportNumbers = new Set<string>();
  /** Each child's 2021 LSOA, where they live (waiting or not). */
  const childHomes: string[] = [];
  const childQuintiles: number[] = [];
  const childAgesAtTermStart: number[] = [];
  const childCounties: string[] = [];
  const childLanguages: Language[] = [];
  const children: Array<Insertable<ChildTable> & { id: string }> = [];
  for (let index = 0; index < CHILD_COUNT; index++) {
    const drawn = childRandom.pick(index < DEMO_FAMILY_SIZE ? splitLsoas : lsoas);
    const drawnSchool = childRandom.pick(schools.filter((candidate) => candidate.la_code === drawn.la_code));
    const family = index > 0 && index < DEMO_FAMILY_SIZE ? children[0]! : null;
    const lsoa = family ? lsoas.find((candidate) => candidate.code === childHomes[0])! : drawn;
    const school = family ? schools.find((candidate) => candidate.id === family.school_id)! : drawnSchool;
    const language: Language = childRandom.chance(school.welsh_medium ? 0.7 : 0.08) ? "cy" : "en";
    const ageMonths = childRandom.int(5 * 12, 14 * 12 - 1);
    const bornMonthIndex = Number(termStart.slice(0, 4)) * 12 + 8 - ageMonths; // September is month index 8
    const givenName = childRandom.pick(language === "cy" || childRandom.chance(0.3) ? WELSH_GIVEN_NAMES : OTHER_GIVEN_NAMES);
    const drawnFamilyName = childRandom.pick(FAMILY_NAMES);
    const familyName = family?.family_name ?? drawnFamilyName;
    const consentAt = dateTime(addDays(termStart, -childRandom.int(3, 150)), childRandom.int(7 * 60, 22 * 60));
    // Equity flags are held only for the few families who agreed to share them.
    const equityConsent = childRandom.chance(0.12);
    const efsmChance = [0.6, 0.45, 0.25, 0.12, 0.06][lsoa.wimd_quintile - 1] ?? 0;
    const efsm = childRandom.chance(efsmChance);
    const aln = childRandom.chance(0.15);
    const careExperienced = childRandom.chance(0.03);
    const youngCarer = childRandom.chance(0.04);

    let passportNumber: string;
    do passportNumber = generatePassportNumber(PASSPORT_PREFIX, () => passportRandom.next());
    while (passportNumbers.has(passportNumber));
    passportNumbers.add(passportNumber);

    children.push({
      area_id: areaId,
      id: ids.uuid(),
      passport_number: passportNumber,
      passport_token: passportRandom.hex(32), // demo only: real tokens come from crypto.randomBytes
      cell_key: cellKeyRandom.int(0, 255),
      given_name: givenName,
      family_name: familyName,
      birth_year: Math.floor(bornMonthIndex / 12),
      birth_month: (bornMonthIndex % 12) + 1,
      school_id: school.id,
      school_pupil_ref: null,
      home_lsoa_code: lsoa11Of(lsoa.code),
      home_lsoa21_code: fromSplit.has(lsoa.code) ? null : lsoa.code,
      preferred_language: language,
      consent_version: "2026-09",
      consent_at: consentAt,
      equity_consent_at: equityConsent ? consentAt : null,
      efsm: equityConsent ? efsm : null,
      aln: equityConsent ? aln : null,
      care_experienced: equityConsent ? careExperienced : null,
      young_carer: equityConsent ? youngCarer : null,
      retention_until: null,
      created_at: consentAt,
    });
    childHomes.push(lsoa.code);
    childQuintiles.push(lsoa.wimd_quintile);
    childAgesAtTermStart.push(Math.floor(ageMonths / 12));
    childCounties.push(lsoa.la_code);
    childLanguages.push(language);
  }

  // Who goes where, and which weeks they turn up. Children from more deprived areas take
  // part less often, in fewer activities, and miss more weeks.
  const takePart = new Random("participation");
  const enrolments: Enrolment[] = [];
  children.forEach((_, childIndex) => {
    const quintile = childQuintiles[childIndex]!;
    // The guardian's family always takes part, so their passports have stamps to show.
    if (!takePart.chance(PARTICIPATION_BY_QUINTILE[quintile - 1] ?? 0.5) && childIndex >= DEMO_FAMILY_SIZE) return;
    const activityCount = 1 + (takePart.chance(0.15 + 0.1 * (quintile - 1)) ? 1 : 0) + (takePart.chance(0.05 * (quintile - 1)) ? 1 : 0);
    const attendanceRate = 0.45 + 0.08 * quintile + takePart.between(-0.1, 0.1);
    const joinWeek = takePart.chance(0.3) ? takePart.int(1, 6) : 0;
    const age = childAgesAtTermStart[childIndex]!;
    const county = childCounties[childIndex]!;
    const welsh = childLanguages[childIndex] === "cy";
    const candidates = activitySpecs
      .map((activity, activityIndex) => ({ activity, activityIndex }))
      .filter(({ activity }) => !activity.pending && age >= activity.ages[0] && age <= activity.ages[1])
      .map(({ activity, activityIndex }) => ({
        item: activityIndex,
        // Mostly close to home; Welsh-speaking children lean towards activities in Welsh.
        weight: (activity.la === county ? 4 : 1) * (activity.welshLanguage ? (welsh ? 3 : 0.5) : 1),
      }));
    for (const activityIndex of takePart.sample(candidates, activityCount)) {
      const weekPlans = Array.from({ length: MAX_TERM_WEEKS }, (_, week): WeekPlan => {
        const attends = week >= joinWeek && takePart.chance(attendanceRate);
        const method: CreditMethod = takePart.chance(0.8) ? "passport_scan" : "session_code";
        const minutesAfterEnd = takePart.int(0, 45);
        const mistaken = takePart.chance(0.004);
        const mistakenChildIndex = takePart.int(0, CHILD_COUNT - 1);
        return { attends, method, minutesAfterEnd, mistakenChildIndex: mistaken && method === "passport_scan" ? mistakenChildIndex : null };
      });
      enrolments.push({ childIndex, activityIndex, weeks: weekPlans });
    }
  });

  // Credits, session by session in time order, under the rules a live scan would meet.
  const enrolmentsByActivity = new Map<number, Enrolment[]>();
  for (const enrolment of enrolments) {
    const list = enrolmentsByActivity.get(enrolment.activityIndex) ?? [];
    list.push(enrolment);
    enrolmentsByActivity.set(enrolment.activityIndex, list);
  }
  const dailyCap = SETTINGS.dailyCapQuarterHours ?? 32;
  const dayTotals = new Map<string, number>();
  const termTotals = new Map<string, number>();
  const credits: Array<Insertable<CreditTable>> = [];
  const addCredit = (session: PlannedSession, childIndex: number, plan: WeekPlan, mistake = false) => {
    const scannedAt = Math.min(session.row.ends_at.getTime() + plan.minutesAfterEnd * 60_000, today.getTime());
    const activity = activities[session.activityIndex]!;
    credits.push({
      area_id: areaId,
      id: ids.uuid(),
      child_id: children[childIndex]!.id,
      provider_id: activity.provider_id,
      activity_id: activity.id,
      session_id: session.row.id,
      quarter_hours: session.row.quarter_hours,
      earned_on: session.date,
      method: plan.method,
      issued_by: null,
      idempotency_key: `seed-${credits.length + 1}`,
      // A mistaken scan comes a minute before the right one and is revoked straight after it.
      created_at: new Date(mistake ? scannedAt - 60_000 : scannedAt),
      revoked_at: mistake ? new Date(scannedAt) : null,
      revoked_by: null,
      revoke_reason: mistake ? "Scanned the wrong passport card; the credit went to the right child." : null,
    });
  };
  for (const session of sessions) {
    if (session.week === null || session.row.cancelled_at || session.row.starts_at.getTime() > today.getTime()) continue;
    // Nothing credited today: today's open session (above) spans the whole day, so any credit of
    // today would stop that child being credited there ("another session at the same time").
    if (session.date === todayDate) continue;
    const activity = activitySpecs[session.activityIndex]!;
    const attendees = new Set<number>();
    for (const enrolment of enrolmentsByActivity.get(session.activityIndex) ?? []) {
      const plan = enrolment.weeks[session.week]!;
      if (!plan.attends || attendees.size >= activity.capacity) continue;
      const dayKey = `${enrolment.childIndex}:${session.date}`;
      const termKey = `${enrolment.childIndex}:${session.activityIndex}`;
      const dayTotal = (dayTotals.get(dayKey) ?? 0) + activity.quarterHours;
      const termTotal = (termTotals.get(termKey) ?? 0) + activity.quarterHours;
      if (dayTotal > dailyCap || (activity.termCapQuarterHours && termTotal > activity.termCapQuarterHours)) continue;
      dayTotals.set(dayKey, dayTotal);
      termTotals.set(termKey, termTotal);
      attendees.add(enrolment.childIndex);
      if (plan.mistakenChildIndex !== null && plan.mistakenChildIndex !== enrolment.childIndex) {
        addCredit(session, plan.mistakenChildIndex, plan, true);
      }
      addCredit(session, enrolment.childIndex, plan);
    }
  }

  return { schools, providers, activities, sessions: sessions.map((session) => session.row), children, credits };
}

// ---------------------------------------------------------------------------------------
// Deterministic randomness.

/** mulberry32: a tiny 32-bit generator, plenty for demo data (never for secrets). */
function mulberry32(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to turn a stream's name into its seed. */
function hash32(text: string) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * One named stream of random numbers. Separate streams keep concerns apart: adding a
 * provider does not reshuffle every child's passport number.
 */
class Random {
  readonly next: () => number;

  constructor(stream: string) {
    this.next = mulberry32(hash32(`pasbort-demo-v${DEMO_SEED_VERSION}:${stream}`));
  }

  /** A whole number from min to max, both included. */
  int(min: number, max: number) {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  between(min: number, max: number) {
    return min + this.next() * (max - min);
  }

  chance(probability: number) {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("Demo data: nothing to pick from.");
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Up to `count` different items, each draw weighted. */
  sample<T>(candidates: ReadonlyArray<{ item: T; weight: number }>, count: number): T[] {
    const pool = [...candidates];
    const chosen: T[] = [];
    while (chosen.length < count && pool.length > 0) {
      let target = this.next() * pool.reduce((sum, candidate) => sum + candidate.weight, 0);
      let index = pool.findIndex((candidate) => (target -= candidate.weight) < 0);
      if (index < 0) index = pool.length - 1;
      chosen.push(pool[index]!.item);
      pool.splice(index, 1);
    }
    return chosen;
  }

  hex(length: number) {
    let text = "";
    while (text.length < length)
      text += Math.floor(this.next() * 4294967296)
        .toString(16)
        .padStart(8, "0");
    return text.slice(0, length);
  }

  /** A version-4-shaped UUID, so rows have stable ids from one seed to the next. */
  uuid() {
    const h = this.hex(32);
    const variant = "89ab"[parseInt(h[16]!, 16) & 3]!;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
  }
}

// ---------------------------------------------------------------------------------------
// Calendar. Dates are 'YYYY-MM-DD' strings; times are wall-clock times in Wales.

/** The instant when Welsh clocks show `minutes` past midnight on `date` (GMT or BST). */
function dateTime(date: string, minutes: number) {
  const clock = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  const instant = ukInstant(date, clock);
  if (!instant) throw new Error(`The demo plans nothing in the hour the clocks skip: ${date} ${clock}.`);
  return instant;
}

function firstMondayOfSeptember(year: number) {
  const first = `${year}-09-01`;
  return addDays(first, (8 - isoWeekday(first)) % 7);
}

/** The autumn term that contains `date`, or the last one before it. */
function autumnTermStart(date: string) {
  const year = Number(date.slice(0, 4));
  const thisYear = firstMondayOfSeptember(year);
  return thisYear <= date ? thisYear : firstMondayOfSeptember(year - 1);
}

/** Mondays of the term's teaching weeks: to mid-December, skipping half term (the last week of October). */
function termWeeks(termStart: string) {
  const year = termStart.slice(0, 4);
  const october31 = `${year}-10-31`;
  const halfTerm = addDays(october31, 1 - isoWeekday(october31));
  const mondays: string[] = [];
  for (let monday = termStart; monday <= `${year}-12-15`; monday = addDays(monday, 7)) {
    if (monday !== halfTerm) mondays.push(monday);
  }
  return mondays;
}

// ---------------------------------------------------------------------------------------
// The demo's fictional people and places. Wards name real 2021 LSOAs (from the WIMD 2025 file);
// email addresses use the reserved .example domain and phone numbers Ofcom's drama range.

interface SchoolSpec {
  name: string;
  la: string;
  ward: string;
  welshMedium: boolean;
}

const SCHOOLS: SchoolSpec[] = [
  { name: "Ysgol Gymraeg Nant Alyn", la: WREXHAM, ward: "Gwersyllt North", welshMedium: true },
  { name: "Ysgol Gymraeg Cae'r Felin", la: WREXHAM, ward: "Rhosnesni", welshMedium: true },
  { name: "Offa Meadows Primary School", la: WREXHAM, ward: "Offa", welshMedium: false },
  { name: "Rhosddu Park Community Primary School", la: WREXHAM, ward: "Grosvenor", welshMedium: false },
  { name: "Ysgol Llwyn Derw", la: WREXHAM, ward: "Queensway", welshMedium: false },
  { name: "Borras Lane Primary School", la: WREXHAM, ward: "Borras Park", welshMedium: false },
  { name: "Plas Madoc Valley Primary School", la: WREXHAM, ward: "Plas Madoc", welshMedium: false },
  { name: "Ceiriog Valley Community Primary School", la: WREXHAM, ward: "Ceiriog Valley", welshMedium: false },
  { name: "Ysgol Bryn Derwen", la: WREXHAM, ward: "Coedpoeth", welshMedium: false },
  { name: "Gresford Hillside Primary School", la: WREXHAM, ward: "Gresford East and West", welshMedium: false },
  { name: "Ysgol Gymraeg Glannau Dyfrdwy", la: FLINTSHIRE, ward: "Connah's Quay: Wepre", welshMedium: true },
  { name: "Ysgol Gymraeg Bryn Garmon", la: FLINTSHIRE, ward: "Mold South", welshMedium: true },
  { name: "Ysgol Gymraeg Croes Wen", la: FLINTSHIRE, ward: "Holywell West", welshMedium: true },
  { name: "Wepre Woodland Primary School", la: FLINTSHIRE, ward: "Connah's Quay: Golftyn", welshMedium: false },
  { name: "Alun Fields Primary School", la: FLINTSHIRE, ward: "Mold East", welshMedium: false },
  { name: "Well Street Primary School, Holywell", la: FLINTSHIRE, ward: "Holywell Central", welshMedium: false },
  { name: "Mountain View Primary School, Buckley", la: FLINTSHIRE, ward: "Buckley: Mountain", welshMedium: false },
  { name: "Shotton Riverside Primary School", la: FLINTSHIRE, ward: "Shotton Higher", welshMedium: false },
  { name: "Castle Gate Primary School, Flint", la: FLINTSHIRE, ward: "Flint: Castle", welshMedium: false },
  { name: "Ferry Lane Primary School, Saltney", la: FLINTSHIRE, ward: "Saltney Stonebridge", welshMedium: false },
];

/** 0 = Monday … 6 = Sunday. */
type Day = 0 | 1 | 2 | 3 | 4 | 5 | 6;
const [MON, TUE, WED, THU, FRI, SAT, SUN] = [0, 1, 2, 3, 4, 5, 6] as const;
const at = (hours: number, minutes = 0) => hours * 60 + minutes;

interface ActivityInput {
  titleEn: string | null;
  titleCy: string | null;
  descriptionEn: string | null;
  descriptionCy: string | null;
  category: Category;
  quarterHours: number;
  cost: CostBand;
  pricePence?: number;
  ages: [number, number];
  welshLanguage?: boolean;
  accessibility?: string;
  termCapQuarterHours?: number;
  capacity: number;
  day: Day;
  startMinutes: number;
  /** A teaching week whose session was called off (weather, illness). */
  cancelledWeek?: number;
  /** Where, when it is not simply the provider's town. */
  venue?: string;
  /** Not yet validated (waiting, or sent back with a reason): no sessions, no credits. */
  status?: "pending" | "changes_requested";
  statusReason?: string;
}

interface ActivitySpec extends ActivityInput {
  la: string;
  validatedUntil: string | null;
  pending: boolean;
}

interface ProviderSpec {
  nameEn: string;
  nameCy: string | null;
  kind: ProviderKind;
  town: string;
  la: string;
  ward: string;
  contact: string;
  email: string;
  phone: string;
  expiresSoon?: boolean;
  activities: ActivityInput[];
}

const PROVIDERS: ProviderSpec[] = [
  {
    nameEn: "Wrexham Riverside Junior Football Club",
    nameCy: "Clwb Pêl-droed Iau Glan yr Afon Wrecsam",
    kind: "sport",
    town: "Wrexham",
    la: WREXHAM,
    ward: "Acton",
    contact: "Gareth Pryce",
    email: "gareth@riverside-jfc.example",
    phone: "07700 900101",
    activities: [
      {
        titleEn: "Saturday Junior Football",
        titleCy: "Pêl-droed Iau Dydd Sadwrn",
        descriptionEn: "Friendly coached football for boys and girls of all abilities.",
        descriptionCy: "Pêl-droed cyfeillgar gyda hyfforddwyr i fechgyn a merched o bob gallu.",
        category: "sport",
        quarterHours: 8,
        cost: "free",
        ages: [6, 12],
        capacity: 30,
        day: SAT,
        startMinutes: at(10),
      },
      {
        titleEn: "Girls' Football Skills",
        titleCy: "Sgiliau Pêl-droed i Ferched",
        descriptionEn: "Skills, small-sided games and confidence for girls new to football.",
        descriptionCy: "Sgiliau, gemau bach a hyder i ferched sy'n newydd i bêl-droed.",
        category: "sport",
        quarterHours: 6,
        cost: "free",
        ages: [8, 14],
        capacity: 20,
        day: WED,
        startMinutes: at(17),
      },
      {
        titleEn: "Goalkeeping Club",
        titleCy: "Clwb Gôl-geidwaid",
        descriptionEn: "Diving, catching and positioning with a qualified goalkeeping coach.",
        descriptionCy: "Plymio, dal a dewis safle gyda hyfforddwr gôl-geidwaid cymwys.",
        category: "sport",
        quarterHours: 4,
        cost: "low",
        pricePence: 200,
        ages: [9, 14],
        capacity: 12,
        day: THU,
        startMinutes: at(17, 30),
      },
      {
        titleEn: "Holiday Football Camp",
        titleCy: "Gwersyll Pêl-droed y Gwyliau",
        descriptionEn: "A day of coaching and matches in the school holidays.",
        descriptionCy: "Diwrnod o hyfforddi a gemau yng ngwyliau'r ysgol.",
        category: "sport",
        quarterHours: 16,
        cost: "low",
        pricePence: 300,
        ages: [7, 12],
        capacity: 30,
        day: MON,
        startMinutes: at(10),
        status: "changes_requested",
        statusReason: "Please say what the children will learn at the camp (for example a skills award), and confirm that it only runs in the school holidays.",
      },
    ],
  },
  {
    nameEn: "Deeside Dolphins Swimming Club",
    nameCy: "Clwb Nofio Dolffiniaid Glannau Dyfrdwy",
    kind: "sport",
    town: "Queensferry",
    la: FLINTSHIRE,
    ward: "Queensferry",
    contact: "Helen Parry",
    email: "swim@deeside-dolphins.example",
    phone: "07700 900102",
    activities: [
      {
        titleEn: "Learn to Swim",
        titleCy: "Dysgu Nofio",
        descriptionEn: "Small groups building water confidence and first strokes.",
        descriptionCy: "Grwpiau bach yn magu hyder yn y dŵr ac yn dysgu'r strociau cyntaf.",
        category: "sport",
        quarterHours: 4,
        cost: "low",
        pricePence: 350,
        ages: [5, 9],
        capacity: 16,
        day: MON,
        startMinutes: at(16, 30),
        accessibility: "Pool hoist and an accessible changing room.",
      },
      {
        titleEn: "Junior Squad Training",
        titleCy: "Hyfforddiant y Garfan Iau",
        descriptionEn: "Stroke technique, turns and fitness for confident swimmers.",
        descriptionCy: "Techneg strôc, troadau a ffitrwydd i nofwyr hyderus.",
        category: "sport",
        quarterHours: 6,
        cost: "low",
        pricePence: 400,
        ages: [9, 14],
        capacity: 20,
        day: TUE,
        startMinutes: at(17, 30),
      },
    ],
  },
  {
    nameEn: "Alun Netball and Multi-sport Club",
    nameCy: "Clwb Pêl-rwyd ac Aml-chwaraeon Alun",
    kind: "sport",
    town: "Mold",
    la: FLINTSHIRE,
    ward: "Mold East",
    contact: "Sian Lloyd",
    email: "alun.netball@example.org",
    phone: "07700 900103",
    activities: [
      {
        titleEn: "Junior Netball",
        titleCy: "Pêl-rwyd Iau",
        descriptionEn: "Footwork, passing and friendly matches.",
        descriptionCy: "Gwaith traed, pasio a gemau cyfeillgar.",
        category: "sport",
        quarterHours: 6,
        cost: "free",
        ages: [8, 14],
        capacity: 24,
        day: THU,
        startMinutes: at(16),
      },
      {
        titleEn: "Multi-sport Fun Club",
        titleCy: "Clwb Hwyl Aml-chwaraeon",
        descriptionEn: "A different sport every week, from tag rugby to dodgeball.",
        descriptionCy: "Camp wahanol bob wythnos, o rygbi tag i bêl osgoi.",
        category: "sport",
        quarterHours: 4,
        cost: "free",
        ages: [5, 8],
        capacity: 20,
        day: FRI,
        startMinutes: at(15, 45),
        termCapQuarterHours: 40,
      },
    ],
  },
  {
    nameEn: "Dee Estuary Young Volunteers",
    nameCy: "Gwirfoddolwyr Ifanc Aber Dyfrdwy",
    kind: "volunteering",
    town: "Flint",
    la: FLINTSHIRE,
    ward: "Flint: Castle",
    contact: "Mark Ellis",
    email: "volunteer@dee-estuary.example",
    phone: "07700 900104",
    activities: [
      {
        titleEn: "Beach and Shore Clean-up",
        titleCy: "Glanhau'r Traeth a'r Glannau",
        descriptionEn: "Litter picking and recording what we find along the Dee estuary shore.",
        descriptionCy: "Casglu sbwriel a chofnodi'r hyn a welwn ar lannau aber afon Dyfrdwy.",
        category: "volunteering",
        quarterHours: 8,
        cost: "free",
        ages: [7, 14],
        capacity: 25,
        day: SUN,
        startMinutes: at(10),
        cancelledWeek: 6,
      },
      {
        titleEn: "Young Volunteers' Club",
        titleCy: "Clwb Gwirfoddolwyr Ifanc",
        descriptionEn: "Plan and run small projects that help the community.",
        descriptionCy: "Cynllunio a chynnal prosiectau bach sy'n helpu'r gymuned.",
        category: "volunteering",
        quarterHours: 6,
        cost: "free",
        ages: [10, 14],
        capacity: 15,
        day: TUE,
        startMinutes: at(16, 30),
      },
    ],
  },
  {
    nameEn: "Wrexham Young Helpers",
    nameCy: "Helpwyr Ifanc Wrecsam",
    kind: "volunteering",
    town: "Wrexham",
    la: WREXHAM,
    ward: "Grosvenor",
    contact: "Joanne Hughes",
    email: "helpers@wrexham-young-helpers.example",
    phone: "07700 900105",
    activities: [
      {
        titleEn: "Food Bank Helpers",
        titleCy: "Helpwyr y Banc Bwyd",
        descriptionEn: "Sort donations and pack parcels alongside adult volunteers.",
        descriptionCy: "Didoli rhoddion a phacio parseli ochr yn ochr â gwirfoddolwyr sy'n oedolion.",
        category: "volunteering",
        quarterHours: 6,
        cost: "free",
        ages: [10, 14],
        capacity: 10,
        day: SAT,
        startMinutes: at(10, 30),
      },
      {
        titleEn: "Care Home Visits: Songs and Stories",
        titleCy: "Ymweld â'r Cartref Gofal: Caneuon a Straeon",
        descriptionEn: "Share songs, stories and games with the residents of a local care home.",
        descriptionCy: "Rhannu caneuon, straeon a gemau gyda thrigolion cartref gofal lleol.",
        category: "volunteering",
        quarterHours: 4,
        cost: "free",
        ages: [7, 14],
        capacity: 12,
        day: WED,
        startMinutes: at(16),
      },
    ],
  },
  {
    nameEn: "Clwydian Range Young Rangers",
    nameCy: "Ceidwaid Ifanc Bryniau Clwyd",
    kind: "nature",
    town: "Cilcain",
    la: FLINTSHIRE,
    ward: "Cilcain",
    contact: "Dafydd Roberts",
    email: "rangers@clwydian-young-rangers.example",
    phone: "07700 900106",
    activities: [
      {
        titleEn: "Young Rangers",
        titleCy: "Ceidwaid Ifanc",
        descriptionEn: "Path work, tree planting and wildlife surveys on the Clwydian Range.",
        descriptionCy: "Gwaith ar lwybrau, plannu coed ac arolygon bywyd gwyllt ym Mryniau Clwyd.",
        category: "nature",
        quarterHours: 12,
        cost: "free",
        ages: [8, 14],
        capacity: 20,
        day: SAT,
        startMinutes: at(10),
        welshLanguage: true,
        accessibility: "Rough, steep paths: ask about the accessible route on the valley floor.",
        venue: "Loggerheads Country Park",
      },
      {
        titleEn: "Bug Hunters",
        titleCy: "Helwyr Trychfilod",
        descriptionEn: "Minibeast hunts, pond dipping and nature crafts for younger children.",
        descriptionCy: "Hela trychfilod, trochi mewn pyllau a chrefftau natur i blant iau.",
        category: "nature",
        quarterHours: 4,
        cost: "free",
        ages: [5, 8],
        capacity: 15,
        day: SUN,
        startMinutes: at(14),
      },
    ],
  },
  {
    nameEn: "Alyn Valley Wildlife Watch",
    nameCy: "Gwylio Bywyd Gwyllt Dyffryn Alun",
    kind: "nature",
    town: "Gresford",
    la: WREXHAM,
    ward: "Gresford East and West",
    contact: "Ruth Vaughan",
    email: "watch@alyn-wildlife.example",
    phone: "07700 900107",
    activities: [
      {
        titleEn: "Wildlife Watch Club",
        titleCy: "Clwb Gwylio Bywyd Gwyllt",
        descriptionEn: "Bird feeders, bat detectors and nature diaries along the River Alyn.",
        descriptionCy: "Bwydwyr adar, synwyryddion ystlumod a dyddiaduron natur ar hyd afon Alun.",
        category: "nature",
        quarterHours: 6,
        cost: "low",
        pricePence: 150,
        ages: [6, 12],
        capacity: 18,
        day: THU,
        startMinutes: at(16, 30),
      },
      {
        titleEn: "Forest School",
        titleCy: "Ysgol Goedwig",
        descriptionEn: "Shelter building, fire safety and woodland play.",
        descriptionCy: "Adeiladu lloches, diogelwch tân a chwarae yn y goedwig.",
        category: "nature",
        quarterHours: 8,
        cost: "low",
        pricePence: 250,
        ages: [5, 10],
        capacity: 16,
        day: SAT,
        startMinutes: at(13),
      },
      {
        titleEn: "Birdwatching at the Wetlands",
        titleCy: "Gwylio Adar yn y Gwlyptir",
        descriptionEn: "Early-morning bird counts; binoculars provided.",
        descriptionCy: "Cyfrif adar yn gynnar yn y bore; mae ysbienddrych ar gael.",
        category: "nature",
        quarterHours: 8,
        cost: "free",
        ages: [8, 14],
        capacity: 12,
        day: SUN,
        startMinutes: at(9, 30),
        venue: "Gresford Flash",
      },
      {
        titleEn: "Moth Night",
        titleCy: "Noson Gwyfynod",
        descriptionEn: "Set a moth trap at dusk and learn to name what it catches.",
        descriptionCy: "Gosod trap gwyfynod gyda'r hwyr a dysgu enwi'r hyn mae'n ei ddal.",
        category: "nature",
        quarterHours: 6,
        cost: "free",
        ages: [8, 14],
        capacity: 12,
        day: FRI,
        startMinutes: at(18),
        status: "pending",
      },
    ],
  },
  {
    nameEn: "Wrexham Art House",
    nameCy: "Tŷ Celf Wrecsam",
    kind: "arts",
    town: "Wrexham",
    la: WREXHAM,
    ward: "Brynyffynnon",
    contact: "Carys Edwards",
    email: "studio@wrexham-art-house.example",
    phone: "07700 900108",
    activities: [
      {
        titleEn: "Saturday Art Studio",
        titleCy: "Stiwdio Gelf Dydd Sadwrn",
        descriptionEn: "Painting, printmaking and collage with local artists.",
        descriptionCy: "Peintio, gwneud printiau a collage gydag artistiaid lleol.",
        category: "arts",
        quarterHours: 8,
        cost: "low",
        pricePence: 300,
        ages: [7, 14],
        capacity: 16,
        day: SAT,
        startMinutes: at(10),
        accessibility: "Step-free ground-floor studio; a quiet room is available.",
      },
      {
        titleEn: "Comic and Zine Club",
        titleCy: null,
        descriptionEn: "Write and draw your own comics, then print and swap them.",
        descriptionCy: null,
        category: "arts",
        quarterHours: 6,
        cost: "free",
        ages: [10, 14],
        capacity: 14,
        day: THU,
        startMinutes: at(16),
      },
      {
        titleEn: "Clay and Pottery",
        titleCy: "Clai a Chrochenwaith",
        descriptionEn: "Hand-building and glazing; pieces are fired in the studio kiln.",
        descriptionCy: "Gwaith llaw a gwydro; caiff y darnau eu tanio yn odyn y stiwdio.",
        category: "arts",
        quarterHours: 6,
        cost: "paid",
        pricePence: 600,
        ages: [8, 14],
        capacity: 10,
        day: TUE,
        startMinutes: at(17),
      },
    ],
  },
  {
    nameEn: "Flintshire Youth Theatre",
    nameCy: "Theatr Ieuenctid Sir y Fflint",
    kind: "arts",
    town: "Mold",
    la: FLINTSHIRE,
    ward: "Mold West",
    contact: "Owain Griffiths",
    email: "hello@flintshire-youth-theatre.example",
    phone: "07700 900109",
    activities: [
      {
        titleEn: "Youth Theatre",
        titleCy: "Theatr Ieuenctid",
        descriptionEn: "Devising, rehearsing and performing a show each term.",
        descriptionCy: "Dyfeisio, ymarfer a pherfformio sioe bob tymor.",
        category: "arts",
        quarterHours: 8,
        cost: "low",
        pricePence: 250,
        ages: [11, 14],
        capacity: 25,
        day: MON,
        startMinutes: at(17, 30),
      },
      {
        titleEn: "Drama Explorers",
        titleCy: "Fforwyr Drama",
        descriptionEn: "Games, storytelling and role play to build confidence.",
        descriptionCy: "Gemau, adrodd straeon a chwarae rôl i fagu hyder.",
        category: "arts",
        quarterHours: 6,
        cost: "low",
        pricePence: 200,
        ages: [6, 10],
        capacity: 20,
        day: WED,
        startMinutes: at(16),
      },
      {
        titleEn: "Street Dance",
        titleCy: "Dawns Stryd",
        descriptionEn: "High-energy routines for every ability.",
        descriptionCy: "Dawnsfeydd llawn egni i bob gallu.",
        category: "arts",
        quarterHours: 4,
        cost: "low",
        pricePence: 200,
        ages: [7, 14],
        capacity: 24,
        day: FRI,
        startMinutes: at(17),
        termCapQuarterHours: 40,
      },
    ],
  },
  {
    nameEn: "Deeside Makers Lab",
    nameCy: "Labordy Gwneuthurwyr Glannau Dyfrdwy",
    kind: "stem",
    town: "Shotton",
    la: FLINTSHIRE,
    ward: "Shotton East",
    contact: "Priya Shah",
    email: "lab@deeside-makers.example",
    phone: "07700 900110",
    activities: [
      {
        titleEn: "Robot Builders",
        titleCy: "Adeiladwyr Robotiaid",
        descriptionEn: "Build and program robots to complete challenges.",
        descriptionCy: "Adeiladu a rhaglennu robotiaid i gwblhau heriau.",
        category: "stem",
        quarterHours: 8,
        cost: "low",
        pricePence: 200,
        ages: [9, 14],
        capacity: 12,
        day: SAT,
        startMinutes: at(10),
      },
      {
        titleEn: "Junior Engineers",
        titleCy: "Peirianwyr Iau",
        descriptionEn: "Bridges, marble runs and rockets from everyday materials.",
        descriptionCy: "Pontydd, rhediadau marblis a rocedi o ddeunyddiau bob dydd.",
        category: "stem",
        quarterHours: 6,
        cost: "free",
        ages: [7, 11],
        capacity: 16,
        day: TUE,
        startMinutes: at(16),
      },
      {
        titleEn: "3D Printing Workshop",
        titleCy: null,
        descriptionEn: "Design a model on the computer, then print it.",
        descriptionCy: null,
        category: "stem",
        quarterHours: 8,
        cost: "paid",
        pricePence: 500,
        ages: [11, 14],
        capacity: 8,
        day: SUN,
        startMinutes: at(13),
      },
    ],
  },
  {
    nameEn: "Bytes and Bots Wrexham",
    nameCy: "Beitiau a Bots Wrecsam",
    kind: "stem",
    town: "Wrexham",
    la: WREXHAM,
    ward: "Offa",
    contact: "Tom Walker",
    email: "hello@bytes-and-bots.example",
    phone: "07700 900111",
    activities: [
      {
        titleEn: "Coding Club",
        titleCy: "Clwb Codio",
        descriptionEn: "Make games and animations with Scratch and Python.",
        descriptionCy: "Creu gemau ac animeiddiadau gyda Scratch a Python.",
        category: "stem",
        quarterHours: 6,
        cost: "free",
        ages: [8, 12],
        capacity: 20,
        day: MON,
        startMinutes: at(16),
      },
      {
        titleEn: "Space Explorers",
        titleCy: "Fforwyr y Gofod",
        descriptionEn: "Planets, rockets and stargazing; telescopes provided.",
        descriptionCy: "Planedau, rocedi a syllu ar y sêr; mae telesgopau ar gael.",
        category: "stem",
        quarterHours: 6,
        cost: "free",
        ages: [6, 10],
        capacity: 20,
        day: THU,
        startMinutes: at(16),
      },
    ],
  },
  {
    nameEn: "Holywell Story Den",
    nameCy: "Ffau Straeon Treffynnon",
    kind: "reading",
    town: "Holywell",
    la: FLINTSHIRE,
    ward: "Holywell Central",
    contact: "Bethan Morris",
    email: "storyden@holywell-library.example",
    phone: "07700 900112",
    activities: [
      {
        titleEn: "Story Den",
        titleCy: "Ffau Straeon",
        descriptionEn: "Stories, rhymes and crafts at the library, in Welsh and English.",
        descriptionCy: "Straeon, rhigymau a chrefftau yn y llyfrgell, yn Gymraeg ac yn Saesneg.",
        category: "reading",
        quarterHours: 4,
        cost: "free",
        ages: [5, 8],
        capacity: 20,
        day: SAT,
        startMinutes: at(11),
        welshLanguage: true,
      },
      {
        titleEn: "Young Writers' Circle",
        titleCy: "Cylch Awduron Ifanc",
        descriptionEn: "Write stories and poems, share them and get friendly feedback.",
        descriptionCy: "Ysgrifennu straeon a cherddi, eu rhannu a chael adborth cyfeillgar.",
        category: "reading",
        quarterHours: 6,
        cost: "free",
        ages: [10, 14],
        capacity: 12,
        day: WED,
        startMinutes: at(16, 30),
      },
    ],
  },
  {
    nameEn: "Rhos Book Club",
    nameCy: "Clwb Llyfrau'r Rhos",
    kind: "reading",
    town: "Rhosllanerchrugog",
    la: WREXHAM,
    ward: "Ponciau",
    contact: "Eleri Jenkins",
    email: "books@rhos-book-club.example",
    phone: "07700 900113",
    expiresSoon: true,
    activities: [
      {
        titleEn: "Reading Buddies",
        titleCy: "Ffrindiau Darllen",
        descriptionEn: "Read together with older volunteers and choose your next book.",
        descriptionCy: "Darllen gyda gwirfoddolwyr hŷn a dewis eich llyfr nesaf.",
        category: "reading",
        quarterHours: 4,
        cost: "free",
        ages: [6, 10],
        capacity: 16,
        day: TUE,
        startMinutes: at(15, 45),
      },
      {
        titleEn: "Book Club",
        titleCy: "Clwb Llyfrau",
        descriptionEn: "Read a book each month and talk about it over squash and biscuits.",
        descriptionCy: "Darllen llyfr bob mis a sgwrsio amdano dros sudd a bisgedi.",
        category: "reading",
        quarterHours: 4,
        cost: "free",
        ages: [9, 14],
        capacity: 15,
        day: THU,
        startMinutes: at(16),
      },
    ],
  },
  {
    nameEn: "Queensway Community Kitchen",
    nameCy: "Cegin Gymunedol Queensway",
    kind: "community",
    town: "Wrexham",
    la: WREXHAM,
    ward: "Queensway",
    contact: "Lisa Kelly",
    email: "kitchen@queensway-community.example",
    phone: "07700 900114",
    activities: [
      {
        titleEn: "Young Chefs",
        titleCy: "Cogyddion Ifanc",
        descriptionEn: "Cook simple, healthy meals and take them home to share.",
        descriptionCy: "Coginio prydau syml ac iach a mynd â nhw adref i'w rhannu.",
        category: "community",
        quarterHours: 8,
        cost: "free",
        ages: [8, 14],
        capacity: 12,
        day: WED,
        startMinutes: at(16),
      },
      {
        titleEn: "Family Games Night",
        titleCy: "Noson Gemau i'r Teulu",
        descriptionEn: "Board games and team games for children and their grown-ups.",
        descriptionCy: "Gemau bwrdd a gemau tîm i blant a'u hoedolion.",
        category: "community",
        quarterHours: 6,
        cost: "free",
        ages: [5, 14],
        capacity: 30,
        day: FRI,
        startMinutes: at(17),
      },
    ],
  },
  {
    nameEn: "Buckley Heritage Group",
    nameCy: "Grŵp Treftadaeth Bwcle",
    kind: "community",
    town: "Buckley",
    la: FLINTSHIRE,
    ward: "Buckley: Bistre East",
    contact: "Alan Humphreys",
    email: "heritage@buckley-heritage.example",
    phone: "07700 900115",
    activities: [
      {
        titleEn: "Heritage Detectives",
        titleCy: "Ditectifs Treftadaeth",
        descriptionEn: "Explore old maps, photos and objects to uncover Buckley's past.",
        descriptionCy: "Archwilio hen fapiau, lluniau a gwrthrychau i ddarganfod hanes Bwcle.",
        category: "community",
        quarterHours: 6,
        cost: "free",
        ages: [8, 14],
        capacity: 15,
        day: SAT,
        startMinutes: at(14),
      },
      {
        titleEn: "Pottery Heritage Trail",
        titleCy: "Llwybr Treftadaeth y Crochendai",
        descriptionEn: "Walk the trail of Buckley's old potteries and make a clay tile.",
        descriptionCy: "Cerdded llwybr hen grochendai Bwcle a gwneud teilsen glai.",
        category: "community",
        quarterHours: 8,
        cost: "low",
        pricePence: 100,
        ages: [7, 14],
        capacity: 20,
        day: SUN,
        startMinutes: at(11),
      },
    ],
  },
  {
    nameEn: "Deeside Welsh Fun Club",
    nameCy: "Clwb Hwyl Cymraeg Glannau Dyfrdwy",
    kind: "welsh",
    town: "Connah's Quay",
    la: FLINTSHIRE,
    ward: "Connah's Quay Central",
    contact: "Nia Thomas",
    email: "hwyl@clwb-hwyl-cymraeg.example",
    phone: "07700 900116",
    activities: [
      {
        titleEn: null,
        titleCy: "Clwb Clonc",
        descriptionEn: null,
        descriptionCy: "Sgwrsio, gemau a hwyl yn Gymraeg i siaradwyr a dysgwyr.",
        category: "welsh",
        quarterHours: 4,
        cost: "free",
        ages: [8, 14],
        capacity: 15,
        day: MON,
        startMinutes: at(16),
        welshLanguage: true,
      },
      {
        titleEn: null,
        titleCy: "Canu a Chwarae",
        descriptionEn: null,
        descriptionCy: "Caneuon, rhigymau a gemau Cymraeg i blant bach.",
        category: "welsh",
        quarterHours: 4,
        cost: "free",
        ages: [5, 8],
        capacity: 20,
        day: THU,
        startMinutes: at(15, 45),
        welshLanguage: true,
      },
      {
        titleEn: "Welsh for Families",
        titleCy: "Cymraeg i'r Teulu",
        descriptionEn: "Learn everyday Welsh together through games and songs.",
        descriptionCy: "Dysgu Cymraeg bob dydd gyda'ch gilydd trwy gemau a chaneuon.",
        category: "welsh",
        quarterHours: 6,
        cost: "free",
        ages: [5, 14],
        capacity: 20,
        day: SAT,
        startMinutes: at(10),
        welshLanguage: true,
      },
    ],
  },
  {
    nameEn: "Coedpoeth Welsh Arts Club",
    nameCy: "Clwb Celfyddydau Cymraeg Coedpoeth",
    kind: "welsh",
    town: "Coedpoeth",
    la: WREXHAM,
    ward: "Coedpoeth",
    contact: "Geraint Owen",
    email: "clwb@celfyddydau-coedpoeth.example",
    phone: "07700 900117",
    activities: [
      {
        titleEn: "Eisteddfod Club",
        titleCy: "Clwb Eisteddfod",
        descriptionEn: "Get ready to recite, sing and make art for the Urdd Eisteddfod.",
        descriptionCy: "Paratoi i lefaru, canu a chreu celf ar gyfer Eisteddfod yr Urdd.",
        category: "welsh",
        quarterHours: 6,
        cost: "free",
        ages: [7, 14],
        capacity: 20,
        day: TUE,
        startMinutes: at(17),
        welshLanguage: true,
      },
      {
        titleEn: "Folk Dancing",
        titleCy: "Dawnsio Gwerin",
        descriptionEn: "Traditional Welsh folk dances, taught in Welsh with plenty of help for learners.",
        descriptionCy: "Dawnsiau gwerin Cymreig traddodiadol, yn Gymraeg gyda digon o help i ddysgwyr.",
        category: "arts",
        quarterHours: 4,
        cost: "low",
        pricePence: 150,
        ages: [6, 14],
        capacity: 20,
        day: FRI,
        startMinutes: at(16),
        welshLanguage: true,
      },
    ],
  },
];

/** An application waiting for the coordinator: insurance not yet confirmed. */
const PENDING_PROVIDER: ProviderSpec = {
  nameEn: "Chirk Young Gardeners",
  nameCy: "Garddwyr Ifanc y Waun",
  kind: "nature",
  town: "Chirk",
  la: WREXHAM,
  ward: "Chirk North",
  contact: "Margaret Wynne",
  email: "grow@chirk-young-gardeners.example",
  phone: "07700 900118",
  activities: [
    {
      titleEn: "Allotment Club",
      titleCy: "Clwb Rhandir",
      descriptionEn: "Grow vegetables and flowers on the community allotment.",
      descriptionCy: "Tyfu llysiau a blodau ar y rhandir cymunedol.",
      category: "nature",
      quarterHours: 6,
      cost: "free",
      ages: [6, 12],
      capacity: 12,
      day: SAT,
      startMinutes: at(10),
    },
  ],
};

const WELSH_GIVEN_NAMES = [
  "Osian",
  "Cerys",
  "Mali",
  "Gruffydd",
  "Ffion",
  "Elis",
  "Nia",
  "Tomos",
  "Alaw",
  "Dylan",
  "Lowri",
  "Iolo",
  "Seren",
  "Gethin",
  "Megan",
  "Rhys",
  "Efa",
  "Cai",
  "Erin",
  "Llŷr",
  "Begw",
  "Guto",
  "Elin",
  "Macsen",
  "Heledd",
  "Ianto",
  "Mabli",
  "Deio",
  "Catrin",
  "Ifan",
  "Gwenllian",
  "Siôn",
];

const OTHER_GIVEN_NAMES = [
  "Olivia",
  "Jack",
  "Oliver",
  "Amelia",
  "Noah",
  "Isla",
  "Leo",
  "Freya",
  "Alfie",
  "Evie",
  "Harry",
  "Poppy",
  "Charlie",
  "Ava",
  "George",
  "Lily",
  "Theo",
  "Grace",
  "Archie",
  "Sophie",
  "Oscar",
  "Ruby",
  "Jacob",
  "Millie",
  "Lucas",
  "Maisie",
  "Kacper",
  "Zuzanna",
  "Jakub",
  "Lena",
  "Tiago",
  "Beatriz",
  "Aisha",
  "Yusuf",
  "Mia",
  "Finley",
];

const FAMILY_NAMES = [
  "Jones",
  "Williams",
  "Davies",
  "Evans",
  "Roberts",
  "Hughes",
  "Edwards",
  "Lewis",
  "Thomas",
  "Griffiths",
  "Parry",
  "Pritchard",
  "Owen",
  "Morris",
  "Price",
  "Lloyd",
  "Ellis",
  "Vaughan",
  "Humphreys",
  "Jenkins",
  "Smith",
  "Wright",
  "Taylor",
  "Walker",
  "Wilson",
  "Clarke",
  "Hall",
  "Wood",
  "Kelly",
  "Murphy",
  "Nowak",
  "Silva",
  "Ferreira",
  "Khan",
  "Wynne",
  "Bellis",
];
