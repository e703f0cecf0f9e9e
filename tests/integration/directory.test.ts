import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directoryActivity, directoryPlaces, parseDirectoryFilters, searchDirectory } from "~/modules/activities/directory.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import type { Category, CostBand } from "~/modules/db/schema";
import { loader as directoryLoader } from "~/routes/activities._index";
import { loader as activityLoader } from "~/routes/activities.$activityId";
import { settle, signedOutContext } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";

/**
 * The public directory on a fixed fixture: which activities each filter returns, exactly.
 * "Now" is Wednesday 10 June 2026, midday (BST).
 */
const NOW = new Date("2026-06-10T11:00:00Z");
// Far ahead, so the page tests (which run at the real time) see the same listing.
const VALID = "2099-12-31";

let db: DB;
let close: () => Promise<void>;
const ids: Record<string, string> = {};
let areaId: string;
let bulkAreaId: string;

async function area(slug: string, prefix: string, las: string[]) {
  const row = await db
    .insertInto("area")
    .values({ slug, name_en: `Area ${slug}`, name_cy: `Ardal ${slug}`, passport_prefix: prefix, settings: "{}" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("area_local_authority")
    .values(las.map((la_code) => ({ area_id: row.id, la_code })))
    .execute();
  return row.id;
}

async function provider(
  areaIdOf: string,
  name: string,
  values: { status?: "validated" | "pending"; until?: string | null; la: string; town: string; nameCy?: string },
) {
  const row = await db
    .insertInto("provider")
    .values({
      area_id: areaIdOf,
      name_en: name,
      name_cy: values.nameCy ?? null,
      kind: "other",
      town: values.town,
      la_code: values.la,
      contact_email: "club@example.org",
      contact_phone: "01978 000000",
      status: values.status ?? "validated",
      validated_until: values.until === undefined ? VALID : values.until,
      safeguarding: "{}",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

async function activity(
  areaIdOf: string,
  providerId: string,
  values: {
    titleEn?: string;
    titleCy?: string;
    descriptionCy?: string;
    category: Category;
    cost: CostBand;
    price?: number;
    ages: [number, number];
    welsh?: boolean;
    status?: "validated" | "pending";
    until?: string;
    town?: string;
    la?: string;
  },
) {
  const row = await db
    .insertInto("activity")
    .values({
      area_id: areaIdOf,
      provider_id: providerId,
      title_en: values.titleEn ?? null,
      title_cy: values.titleCy ?? null,
      description_cy: values.descriptionCy ?? null,
      category: values.category,
      credit_quarter_hours: 6,
      cost_band: values.cost,
      price_pence: values.price ?? 0,
      min_age: values.ages[0],
      max_age: values.ages[1],
      welsh_language: values.welsh ?? false,
      status: values.status ?? "validated",
      validated_until: values.until ?? VALID,
      town: values.town ?? null,
      la_code: values.la ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

async function session(areaIdOf: string, activityId: string, startsAt: string, cancelled = false) {
  const start = new Date(startsAt);
  await db
    .insertInto("activity_session")
    .values({
      area_id: areaIdOf,
      activity_id: activityId,
      starts_at: start,
      ends_at: new Date(start.getTime() + 90 * 60_000),
      quarter_hours: 6,
      claim_secret: randomBytes(32).toString("hex"),
      cancelled_at: cancelled ? new Date("2026-06-01T09:00:00Z") : null,
    })
    .execute();
}

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areaId = await area("dir", "DR", ["W06000005", "W06000006"]);
  const otherArea = await area("elsewhere", "EL", ["W06000015"]);

  const riverside = await provider(areaId, "Riverside Club", { la: "W06000006", town: "Wrexham" });
  const mold = await provider(areaId, "Mold Nature Group", { la: "W06000005", town: "Mold", nameCy: "Grŵp Natur yr Wyddgrug" });
  const expiredProvider = await provider(areaId, "Chirk Castle Friends", { la: "W06000006", town: "Chirk", until: "2026-06-09" });
  const pendingProvider = await provider(areaId, "New Gardeners", { la: "W06000006", town: "Wrexham", status: "pending", until: null });
  const otherProvider = await provider(otherArea, "Cardiff Juniors", { la: "W06000015", town: "Cardiff" });

  ids.football = await activity(areaId, riverside, { titleEn: "Junior Football", category: "sport", cost: "free", ages: [6, 12] });
  ids.pottery = await activity(areaId, riverside, {
    titleEn: "Pottery Club",
    category: "arts",
    cost: "paid",
    price: 600,
    ages: [8, 14],
    town: "Rhos",
    la: "W06000006",
  });
  ids.natur = await activity(areaId, mold, {
    titleCy: "Clwb Natur",
    descriptionCy: "Hela trychfilod a throchi mewn pyllau",
    category: "nature",
    cost: "free",
    ages: [5, 10],
    welsh: true,
  });
  ids.birds = await activity(areaId, mold, { titleEn: "Bird Watching: 100% fun", category: "nature", cost: "low", price: 150, ages: [8, 14] });
  ids.coding = await activity(areaId, riverside, { titleEn: "Coding Club", category: "stem", cost: "free", ages: [8, 12] });
  // Never listed: waiting for validation, validation run out, provider run out, provider pending, another area.
  ids.forest = await activity(areaId, mold, { titleEn: "Forest School", category: "nature", cost: "free", ages: [5, 8], status: "pending" });
  ids.netball = await activity(areaId, riverside, { titleEn: "Netball", category: "sport", cost: "free", ages: [8, 14], until: "2026-06-09" });
  ids.castle = await activity(areaId, expiredProvider, { titleEn: "Castle Tours", category: "community", cost: "free", ages: [7, 14] });
  ids.allotment = await activity(areaId, pendingProvider, { titleEn: "Allotment Club", category: "nature", cost: "free", ages: [6, 12] });
  ids.cardiff = await activity(otherArea, otherProvider, { titleEn: "Junior Football", category: "sport", cost: "free", ages: [6, 12] });

  await session(areaId, ids.football, "2026-06-13T09:00:00Z"); // Saturday 10:00 BST
  await session(areaId, ids.football, "2026-06-20T09:00:00Z");
  await session(areaId, ids.pottery, "2026-06-16T16:00:00Z"); // Tuesday 17:00
  // 23:30 UTC on Saturday is half past midnight on Sunday in Wales: a Sunday session.
  await session(areaId, ids.natur, "2026-06-13T23:30:00Z");
  await session(areaId, ids.coding, "2026-06-08T15:00:00Z"); // Monday, already past
  await session(areaId, ids.coding, "2026-06-15T15:00:00Z", true); // Monday, cancelled
  await session(areaId, ids.netball, "2026-06-11T16:00:00Z");
  await session(areaId, ids.castle, "2026-06-13T10:00:00Z");

  // Enough activities in another area to need a second page.
  bulkAreaId = await area("bulk", "BK", ["W06000004"]);
  const bulkProvider = await provider(bulkAreaId, "Denbigh Clubs", { la: "W06000004", town: "Denbigh" });
  for (let n = 1; n <= 25; n++) {
    await activity(bulkAreaId, bulkProvider, { titleEn: `Club ${String(n).padStart(2, "0")}`, category: "sport", cost: "free", ages: [5, 14] });
  }
});
afterAll(async () => close());

async function found(query: string) {
  const { filters } = parseDirectoryFilters(new URLSearchParams(query));
  const result = await searchDirectory(db, areaId, filters, NOW);
  return result.items.map((item) => Object.entries(ids).find(([, id]) => id === item.id)?.[0] ?? item.id).sort();
}

describe("the public directory", () => {
  it("lists only validated, current activities of validated, current providers in the area", async () => {
    expect(await found("")).toEqual(["birds", "coding", "football", "natur", "pottery"]);
  });

  it("filters by cost: free only, or free and low cost", async () => {
    expect(await found("cost=free")).toEqual(["coding", "football", "natur"]);
    expect(await found("cost=low")).toEqual(["birds", "coding", "football", "natur"]);
  });

  it("filters by Welsh-language delivery and by category", async () => {
    expect(await found("welsh=1")).toEqual(["natur"]);
    expect(await found("category=nature")).toEqual(["birds", "natur"]);
    expect(await found("category=arts")).toEqual(["pottery"]);
  });

  it("filters by a child's age, inside each activity's range", async () => {
    expect(await found("age=13")).toEqual(["birds", "pottery"]);
    expect(await found("age=5")).toEqual(["natur"]);
    expect(await found("age=12")).toEqual(["birds", "coding", "football", "pottery"]);
  });

  it("filters by the day of the week of upcoming sessions, in Welsh time, ignoring cancelled and past ones", async () => {
    expect(await found("day=6")).toEqual(["football"]);
    expect(await found("day=7")).toEqual(["natur"]);
    expect(await found("day=2")).toEqual(["pottery"]);
    expect(await found("day=1")).toEqual([]);
  });

  it("filters by local authority and by town, the activity's own or else its provider's", async () => {
    expect(await found("la=W06000005")).toEqual(["birds", "natur"]);
    expect(await found("la=W06000006")).toEqual(["coding", "football", "pottery"]);
    expect(await found("town=Rhos")).toEqual(["pottery"]);
    expect(await found("town=wrexham")).toEqual(["coding", "football"]);
  });

  it("searches text in both languages and in provider names, every word having to match", async () => {
    expect(await found("q=football")).toEqual(["football"]);
    expect(await found("q=TRYCHFILOD")).toEqual(["natur"]);
    expect(await found("q=natur")).toEqual(["birds", "natur"]);
    expect(await found("q=mold+nature+bird")).toEqual(["birds"]);
    expect(await found("q=Grŵp")).toEqual(["birds", "natur"]);
    // Pattern characters are taken literally.
    expect(await found("q=100%25")).toEqual(["birds"]);
    expect(await found("q=%25")).toEqual(["birds"]);
    expect(await found("q=_")).toEqual([]);
  });

  it("combines filters", async () => {
    expect(await found("category=nature&cost=free&welsh=1&age=7&la=W06000005&day=7&q=clwb")).toEqual(["natur"]);
    expect(await found("category=nature&cost=free&age=12")).toEqual([]);
  });

  it("ignores values nobody could pick, and explains a wrong age", async () => {
    expect(await found("category=astrology&cost=expensive&day=9&la=nowhere")).toEqual(["birds", "coding", "football", "natur", "pottery"]);
    const parsed = parseDirectoryFilters(new URLSearchParams("age=nine"));
    expect(parsed.errors).toEqual({ age: "directory.errors.age" });
    expect(parsed.filters.age).toBeUndefined();
    expect(parsed.values.age).toBe("nine");
  });

  it("puts the soonest next session first and activities with none planned last", async () => {
    const { items } = await searchDirectory(db, areaId, { page: 1 }, NOW);
    expect(items.slice(0, 3).map((item) => item.id)).toEqual([ids.football, ids.natur, ids.pottery]);
    expect(
      items
        .slice(3)
        .map((item) => item.id)
        .sort(),
    ).toEqual([ids.birds, ids.coding].sort());
    expect(items.slice(3).every((item) => item.next_session_at === null)).toBe(true);
    expect(new Date(items[0]!.next_session_at!).toISOString()).toBe("2026-06-13T09:00:00.000Z");
  });

  it("pages 20 at a time", async () => {
    const first = await searchDirectory(db, bulkAreaId, { page: 1 }, NOW);
    const second = await searchDirectory(db, bulkAreaId, { page: 2 }, NOW);
    const beyond = await searchDirectory(db, bulkAreaId, { page: 99 }, NOW);
    expect([first.total, first.pageCount, first.items.length, second.items.length]).toEqual([25, 2, 20, 5]);
    expect(new Set([...first.items, ...second.items].map((item) => item.id)).size).toBe(25);
    expect(beyond.page).toBe(2);
  });

  it("offers the area's local authorities and the towns where listed activities happen", async () => {
    expect(await directoryPlaces(db, areaId, NOW)).toEqual({ localAuthorities: ["W06000005", "W06000006"], towns: ["Mold", "Rhos", "Wrexham"] });
  });

  it("shows a listed activity's page with its sessions, and nothing for one that is not listed", async () => {
    const page = await directoryActivity(db, areaId, ids.football!, NOW);
    expect(page?.activity.provider_name_en).toBe("Riverside Club");
    expect(page?.sessions.map((s) => new Date(s.starts_at).toISOString())).toEqual(["2026-06-13T09:00:00.000Z", "2026-06-20T09:00:00.000Z"]);
    const coding = await directoryActivity(db, areaId, ids.coding!, NOW);
    expect(coding?.sessions.map((s) => Boolean(s.cancelled_at))).toEqual([true]);
    for (const name of ["forest", "netball", "castle", "allotment", "cardiff"]) {
      expect(await directoryActivity(db, areaId, ids[name]!, NOW), name).toBeNull();
    }
    expect(await directoryActivity(db, areaId, "not-a-uuid", NOW)).toBeNull();
  });
});

describe("the directory pages", () => {
  it("answers a shareable GET address without signing in", async () => {
    const result = await directoryLoader({
      request: new Request("http://pasbort.test/activities?area=dir&cost=free&welsh=1"),
      context: signedOutContext,
      params: {},
    });
    expect(result.items.map((item) => item.id)).toEqual([ids.natur]);
    expect(result.values).toEqual({ cost: "free", welsh: "1" });
    expect(result.area?.slug).toBe("dir");
  });

  it("gives 404 for an activity that is not listed, or is another area's", async () => {
    const listed = await settle(
      activityLoader({
        request: new Request(`http://pasbort.test/activities/${ids.football}?area=dir`),
        context: signedOutContext,
        params: { activityId: ids.football },
      }),
    );
    expect(listed).not.toBeInstanceOf(Response);
    for (const name of ["forest", "cardiff"]) {
      const response = await settle(
        activityLoader({
          request: new Request(`http://pasbort.test/activities/${ids[name]}?area=dir`),
          context: signedOutContext,
          params: { activityId: ids[name] },
        }),
      );
      expect((response as Response).status, name).toBe(404);
    }
  });
});
