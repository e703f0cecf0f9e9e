import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships, type Membership } from "~/modules/accounts/actor.server";
import { AUDIT_ACTIONS, AUDIT_PAGE_SIZE, parseAuditFilters, searchAuditEvents } from "~/modules/audit/audit-search.server";
import { recordAudit } from "~/modules/audit/audit.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { resources } from "~/modules/i18n/i18n";
import { loader as auditLoader } from "~/routes/coordinator.audit";
import { contextFor, createPerson, seedTwoAreas, settle, signedOutContext } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";

let db: DB;
let close: () => Promise<void>;
let areas: Awaited<ReturnType<typeof seedTwoAreas>>;
const people: Record<string, { userId: string; membership: Membership; context: AppLoadContext }> = {};

const page = async (query: string, who = "coordinator") =>
  auditLoader({ request: new Request(`http://pasbort.test/coordinator/audit${query}`), context: people[who]!.context, params: {} });

/** An event at a given moment (recordAudit always writes now()). */
async function eventAt(at: string, values: { areaId: string; actor: string; action: string; subjectId?: string }) {
  await db
    .insertInto("audit_event")
    .values({
      area_id: values.areaId,
      at,
      actor_user_id: people[values.actor]!.userId,
      action: values.action,
      subject_type: "child",
      subject_id: values.subjectId ?? null,
      details: "{}",
    })
    .execute();
}

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  areas = await seedTwoAreas(db);
  const { north, south } = areas;
  const specs = {
    coordinator: { email: "ceri.hughes@north.example", areaId: north.id, role: "coordinator" },
    owner: { email: "megan@north.example", areaId: north.id, role: "provider_owner", providerId: north.providers[0]!.id },
    member: { email: "member@north.example", areaId: north.id, role: "provider_member", providerId: north.providers[0]!.id },
    school: { email: "school@north.example", areaId: north.id, role: "school", schoolId: north.schools[0]!.id },
    guardian: { email: "guardian@north.example", areaId: north.id, role: "guardian", childIds: [north.children[0]!.id] },
    viewer: { email: "viewer@north.example", areaId: north.id, role: "viewer" },
    southCoordinator: { email: "south.coordinator@south.example", areaId: south.id, role: "coordinator" },
  } as const;
  for (const [name, spec] of Object.entries(specs)) {
    const person = await createPerson(db, spec);
    const [membership] = await loadMemberships(db, person.userId);
    people[name] = { userId: person.userId, membership: membership!, context: await contextFor(db, person.userId, person.membershipId) };
  }
  // North: the coordinator and the owner at work over a summer; south: its own coordinator.
  await eventAt("2026-06-30T22:30:00Z", { areaId: north.id, actor: "owner", action: "child_record_viewed", subjectId: "june-30-late" }); // 23:30 BST, 30 June
  await eventAt("2026-06-30T23:30:00Z", { areaId: north.id, actor: "owner", action: "child_record_viewed", subjectId: "july-1-early" }); // 00:30 BST, 1 July
  await eventAt("2026-07-15T12:00:00Z", { areaId: north.id, actor: "coordinator", action: "invitation_sent", subjectId: "july-15" });
  await eventAt("2026-07-31T22:59:00Z", { areaId: north.id, actor: "coordinator", action: "sign_in", subjectId: "july-31-late" }); // 23:59 BST
  await eventAt("2026-07-31T23:01:00Z", { areaId: north.id, actor: "owner", action: "sign_in", subjectId: "august-1-early" }); // 00:01 BST
  await eventAt("2026-07-15T12:00:00Z", { areaId: south.id, actor: "southCoordinator", action: "invitation_sent", subjectId: "south-secret" });
  await recordAudit(db, {
    areaId: south.id,
    actorUserId: people.southCoordinator!.userId,
    action: "api_token_created",
    subjectType: "api_token",
    subjectId: "south-token",
    details: { name: "South tablet" },
  });
  await recordAudit(db, {
    areaId: north.id,
    actorUserId: people.owner!.userId,
    action: "api_token_created",
    subjectType: "api_token",
    subjectId: "north-token",
    details: { name: "North tablet" },
  });
  // No area at all (a failed sign-in for an unknown address): nobody's trail.
  await recordAudit(db, { action: "sign_in_failed", details: { email: "stranger@example.org" } });
});
afterAll(async () => close());

const subjects = (events: Array<{ subjectId: string | null }>) => events.map((event) => event.subjectId);

describe("the coordinator's audit trail", () => {
  it("lists the area's events, newest first, and never another area's or area-less events", async () => {
    const data = await page("");
    expect(data.errors).toBeNull();
    expect(subjects(data.events)).toEqual(["north-token", "august-1-early", "july-31-late", "july-15", "july-1-early", "june-30-late"]);
    expect(JSON.stringify(data)).not.toContain("south");
    expect(JSON.stringify(data)).not.toContain("stranger@example.org");
    expect(data.events[0]).toMatchObject({
      action: "api_token_created",
      actorEmail: "megan@north.example",
      subjectType: "api_token",
      subjectName: "North tablet",
    });
    expect(data.events[0]!.at).toBeInstanceOf(Date);
    const south = await page("", "southCoordinator");
    expect(subjects(south.events)).toEqual(["south-token", "south-secret"]);
  });

  it("refuses everyone but coordinators (403), the viewer included", async () => {
    for (const name of ["owner", "member", "school", "guardian", "viewer"]) {
      const response = await settle(page("", name));
      expect((response as Response).status, name).toBe(403);
      const direct = await settle(searchAuditEvents(db, people[name]!.membership, {}));
      expect((direct as Response).status, name).toBe(403);
    }
    const signedOut = await settle(auditLoader({ request: new Request("http://pasbort.test/coordinator/audit"), context: signedOutContext, params: {} }));
    expect((signedOut as Response).status).toBe(302);
  });

  it("names every action in both languages, for the filter and the list", () => {
    for (const lang of ["en", "cy"] as const) {
      const labels = (resources[lang].translation as { audit: { actions: Record<string, string> } }).audit.actions;
      for (const action of AUDIT_ACTIONS) expect(labels[action], `${lang}: ${action}`).toBeTruthy();
    }
  });

  it("filters by action", async () => {
    expect(subjects((await page("?action=sign_in")).events)).toEqual(["august-1-early", "july-31-late"]);
    expect(subjects((await page("?action=invitation_sent")).events)).toEqual(["july-15"]);
    expect((await page("?action=password_reset")).events).toEqual([]);
  });

  it("filters by the acting person's email, in part and in any case, and finds no one from another area", async () => {
    expect(subjects((await page("?email=MEGAN@north")).events)).toEqual(["north-token", "august-1-early", "july-1-early", "june-30-late"]);
    expect(subjects((await page("?email=ceri.hughes%40north.example")).events)).toEqual(["july-31-late", "july-15"]);
    expect((await page("?email=south.coordinator")).events).toEqual([]);
    // Wildcards typed in the box are taken literally.
    expect((await page("?email=%25")).events).toEqual([]);
    expect((await page("?email=_")).events).toEqual([]);
  });

  it("filters by days in UK time, both ends included", async () => {
    expect(subjects((await page("?from=2026-07-01&to=2026-07-31")).events)).toEqual(["july-31-late", "july-15", "july-1-early"]);
    expect(subjects((await page("?to=2026-06-30")).events)).toEqual(["june-30-late"]);
    expect(subjects((await page("?from=2026-08-01&to=2026-08-01")).events)).toEqual(["august-1-early"]);
  });

  it("combines filters", async () => {
    const data = await page("?action=sign_in&email=megan&from=2026-07-01&to=2026-08-31");
    expect(subjects(data.events)).toEqual(["august-1-early"]);
    expect(data.values).toEqual({ action: "sign_in", email: "megan", from: "2026-07-01", to: "2026-08-31" });
  });

  it("explains filters that make no sense, and shows no events for them", async () => {
    const bad = await page("?action=drop_table&from=2026-02-30&to=soon");
    expect(bad.errors).toEqual({ action: "audit.actionInvalid", from: "audit.fromInvalid", to: "audit.toInvalid" });
    expect(bad.events).toEqual([]);
    expect(bad.values).toMatchObject({ action: "drop_table", from: "2026-02-30", to: "soon" });
    const backwards = await page("?from=2026-08-01&to=2026-07-01");
    expect(backwards.errors).toEqual({ to: "audit.toBeforeFrom" });
    expect(parseAuditFilters(new URLSearchParams(`email=${"a".repeat(255)}`))).toMatchObject({ ok: false, errors: { email: "audit.emailTooLong" } });
  });
});

describe("paging through a long trail", () => {
  it("shows 50 events a page, with a next page link until the oldest, and no event twice", async () => {
    const fresh = await createTestDatabase();
    try {
      const { north } = await seedTwoAreas(fresh.db);
      const person = await createPerson(fresh.db, { email: "pager@north.example", areaId: north.id, role: "coordinator" });
      const [membership] = await loadMemberships(fresh.db, person.userId);
      const total = AUDIT_PAGE_SIZE * 2 + 7;
      await fresh.db
        .insertInto("audit_event")
        .values(
          Array.from({ length: total }, (_, n) => ({
            area_id: north.id,
            actor_user_id: person.userId,
            action: "sign_in",
            subject_id: String(n),
            details: "{}",
          })),
        )
        .execute();
      const seen: string[] = [];
      let before: number | undefined;
      const sizes: number[] = [];
      for (;;) {
        const result = await searchAuditEvents(fresh.db, membership!, { before });
        sizes.push(result.events.length);
        seen.push(...result.events.map((event) => event.subjectId!));
        if (result.nextBefore === null) break;
        before = result.nextBefore;
      }
      expect(sizes).toEqual([50, 50, 7]);
      expect(seen).toEqual(Array.from({ length: total }, (_, n) => String(total - 1 - n)));

      // The page's next link carries the cursor and the filters.
      setDb(fresh.db);
      const context = await contextFor(fresh.db, person.userId, person.membershipId);
      const first = await auditLoader({ request: new Request("http://pasbort.test/coordinator/audit?action=sign_in"), context, params: {} });
      expect(first.events).toHaveLength(50);
      expect(first.paged).toBe(false);
      const second = await auditLoader({
        request: new Request(`http://pasbort.test/coordinator/audit?action=sign_in&before=${first.nextBefore}`),
        context,
        params: {},
      });
      expect(second.paged).toBe(true);
      expect(second.events[0]!.subjectId).toBe(String(total - 51));
    } finally {
      setDb(db);
      await fresh.close();
    }
  });
});
