import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import type { DB } from "../db/database.server";
import type { Language, Role } from "../db/schema";
import type { SignedIn } from "./auth.server";
import { safeRedirectPath } from "./safe-redirect";
import { sameArea } from "../db/same-area.server";

interface MembershipBase {
  id: string;
  userId: string;
  areaId: string;
  areaNameEn: string;
  areaNameCy: string;
}

/** What ties each role to its place: a school's coordinator to a school, provider staff to a provider. */
type PlaceOf<R extends Role> = R extends "school"
  ? { schoolId: string; schoolName: string; providerId: null; providerName: null }
  : R extends "provider_owner" | "provider_member"
    ? { schoolId: null; schoolName: null; providerId: string; providerName: string }
    : { schoolId: null; schoolName: null; providerId: null; providerName: null };

/**
 * One of a person's roles: where it applies (an area, and a school or provider in it). Narrow
 * on `role` and the school's or provider's id is there, as the database's checks make it.
 */
export type MembershipOf<R extends Role> = R extends Role ? MembershipBase & { role: R } & PlaceOf<R> : never;
export type Membership = MembershipOf<Role>;

interface MembershipRow {
  id: string;
  user_id: string;
  area_id: string;
  area_name_en: string;
  area_name_cy: string;
  role: Role;
  school_id: string | null;
  school_name: string | null;
  provider_id: string | null;
  provider_name: string | null;
}

/** A membership row as its role's type; the database's checks make a mismatch impossible, so one is a fault. */
function toMembership(row: MembershipRow): Membership {
  const base = { id: row.id, userId: row.user_id, areaId: row.area_id, areaNameEn: row.area_name_en, areaNameCy: row.area_name_cy };
  const none = { schoolId: null, schoolName: null, providerId: null, providerName: null };
  switch (row.role) {
    case "school":
      if (!row.school_id || row.school_name === null) throw new Error(`membership ${row.id}: a school role without its school`);
      return { ...base, ...none, role: row.role, schoolId: row.school_id, schoolName: row.school_name };
    case "provider_owner":
    case "provider_member":
      if (!row.provider_id || row.provider_name === null) throw new Error(`membership ${row.id}: a provider role without its provider`);
      return { ...base, ...none, role: row.role, providerId: row.provider_id, providerName: row.provider_name };
    default:
      return { ...base, ...none, role: row.role };
  }
}

/** The person behind a request, with the membership they are acting in. */
export interface Actor {
  userId: string;
  email: string;
  displayName: string;
  language: Language;
  sessionId: string;
  membership: Membership | null;
  memberships: Membership[];
}

export const PROVIDER_ROLES: Role[] = ["provider_owner", "provider_member"];
export const STAFF_ROLES: Role[] = ["coordinator", "school", "provider_owner", "provider_member"];

export async function loadMemberships(db: DB, userId: string): Promise<Membership[]> {
  const rows = await db
    .selectFrom("membership as m")
    .innerJoin("area", "area.id", "m.area_id")
    .leftJoin("school", sameArea("school.id", "m.school_id"))
    .leftJoin("provider", sameArea("provider.id", "m.provider_id"))
    .select([
      "m.id",
      "m.user_id",
      "m.area_id",
      "area.name_en as area_name_en",
      "area.name_cy as area_name_cy",
      "m.role",
      "m.school_id",
      "school.name as school_name",
      "m.provider_id",
      "provider.name_en as provider_name",
    ])
    .where("m.user_id", "=", userId)
    .orderBy("m.created_at")
    .execute();
  return rows.map(toMembership);
}

export async function loadActor(db: DB, signedIn: SignedIn): Promise<Actor> {
  const memberships = await loadMemberships(db, signedIn.user.id);
  const active = memberships.find((m) => m.id === signedIn.session.activeMembershipId) ?? memberships[0] ?? null;
  return {
    userId: signedIn.user.id,
    email: signedIn.user.email,
    displayName: signedIn.user.displayName,
    language: signedIn.user.preferredLanguage,
    sessionId: signedIn.session.id,
    membership: active,
    memberships,
  };
}

/** The child behind a child's own session (issue 16), or null for a person's. */
export function signedInChild(signedIn: SignedIn | null | undefined) {
  return signedIn?.session.childAreaId ? { childId: signedIn.user.id, areaId: signedIn.session.childAreaId, sessionId: signedIn.session.id } : null;
}

/** An id as the database makes them; anything else in a URL can be refused without a query. */
export function isUuid(value: string) {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** A refusal that tells nothing about whether the thing asked for exists. */
export function notFound(): never {
  throw new Response("Not Found", { status: 404 });
}

export function forbidden(): never {
  throw new Response("Forbidden", { status: 403 });
}

/** A request no form or link of the app would make (a tampered field, an unknown intent). */
export function badRequest(): never {
  throw new Response("Bad Request", { status: 400 });
}

/** The thing asked for cannot be done in its present state. */
export function conflict(): never {
  throw new Response("Conflict", { status: 409 });
}

/** Off to sign in, and back to this page after: only ever a path on this site (safeRedirectPath). */
export function redirectToSignIn(request: Request): never {
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(safeRedirectPath(url.pathname + url.search, "/"))}`);
}

/**
 * The grown-up behind a request, whatever their roles (none included). Signed out: off to sign
 * in. A child's own session opens only the child's pages (requireChild), never a grown-up's:
 * back to their passport (a redirect, which no page can mistake for "signed in without a role").
 * Pages use requireActor or requireSignedIn (access.server.ts), which start here.
 */
export async function loadSignedInActor(db: DB, request: Request, context: Pick<AppLoadContext, "signedIn">): Promise<Actor> {
  if (!context.signedIn) redirectToSignIn(request);
  if (signedInChild(context.signedIn)) throw redirect("/me");
  return loadActor(db, context.signedIn);
}

/**
 * The one gate every loader and action passes through. Signed out: off to sign in (and back
 * after). Signed in, but acting in a role the page is not for: 403. Returns the actor and
 * the membership the page may use, which the scoped queries in access.server.ts then
 * narrow to its area, school, provider or children.
 */
export async function requireActor<R extends Role>(
  db: DB,
  request: Request,
  context: Pick<AppLoadContext, "signedIn">,
  roles: readonly R[] | "any",
): Promise<{ actor: Actor; membership: MembershipOf<R> }> {
  const actor = await loadSignedInActor(db, request, context);
  const membership = actor.membership;
  if (!membership) forbidden();
  if (roles !== "any" && !(roles as readonly Role[]).includes(membership.role)) forbidden();
  return { actor, membership: membership as MembershipOf<R> };
}

/** Where each role starts after signing in. */
export function homePathFor(membership: Membership | null) {
  switch (membership?.role) {
    case "coordinator":
      return "/coordinator";
    case "school":
      return "/school";
    case "provider_owner":
    case "provider_member":
      return "/provider";
    case "guardian":
      return "/guardian";
    case "viewer":
      return "/viewer";
    default:
      return "/account";
  }
}
