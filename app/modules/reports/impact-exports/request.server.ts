import type { AppLoadContext } from "@remix-run/node";
import { requireActor } from "../../accounts/actor.server";
import { localAuthoritiesOf } from "../../activities/places.server";
import { ukDate } from "../../activities/uk-time.server";
import type { Language } from "../../db/schema";
import { db, reportsDb } from "../../db/db.server";
import { translator } from "../../i18n/i18n";
import { resolveLanguage } from "../../i18n/language.server";
import { DEFAULT_WIMD_EDITION, WIMD_EDITIONS, type WimdEdition } from "../../reference/wimd-editions";
import { IMPACT_ROLES, impactAreaFor, impactReport, yearBefore, type ImpactReport } from "../impact.server";
import { academicYearOf, type PublishedPeriod } from "../published-periods";

/** The academic years a report may be asked for, newest first: this one back to 2019–20. */
function impactYears(today: string): PublishedPeriod[] {
  const years: PublishedPeriod[] = [];
  for (let year: PublishedPeriod | null = academicYearOf(today); year; year = yearBefore(year)) years.push(year);
  return years;
}

/**
 * What a download of the impact report asks for, from its address (the page's form fields:
 * `year`, `la` or `school`, `edition`), checked against the asker's area; errors are
 * translation keys (the page's `impact.errors.*`).
 */
export function parseImpactExportQuery(
  params: URLSearchParams,
  options: { today: string; localAuthorities: readonly string[]; schoolIds: readonly string[] },
): { ok: true; year: PublishedPeriod; laCode: string | null; schoolId: string | null; edition: WimdEdition } | { ok: false; errors: string[] } {
  const value = (name: string) => (params.get(name) ?? "").trim();
  const [yearId, la, school, editionValue] = [value("year"), value("la"), value("school"), value("edition")];
  const errors: string[] = [];
  const years = impactYears(options.today);
  const year = yearId ? years.find((y) => y.id === yearId) : years[0];
  if (!year) errors.push("impact.errors.year");
  if (la && !options.localAuthorities.includes(la)) errors.push("impact.errors.la");
  if (school && !options.schoolIds.includes(school)) errors.push("impact.errors.school");
  if (la && school && !errors.length) errors.push("impact.errors.both");
  const edition = (editionValue || DEFAULT_WIMD_EDITION) as WimdEdition;
  if (!WIMD_EDITIONS.includes(edition)) errors.push("impact.errors.edition");
  if (errors.length || !year) return { ok: false, errors };
  return { ok: true, year, laCode: la || null, schoolId: school || null, edition };
}

/**
 * The one gate of the impact report's downloads (PDF, CSV, spreadsheet): the page's access
 * rule (the area's coordinators and viewers; anyone else 403, signed out to sign in, a
 * child's session to /me), then the query. A query the page would refuse is a 400 with the
 * reasons as plain text in the reader's language (a download has no page to show them on).
 */
export async function impactExportRequest(
  request: Request,
  context: AppLoadContext,
): Promise<{ ok: true; report: ImpactReport; lang: Language; now: Date } | { ok: false; response: Response }> {
  const { membership } = await requireActor(db(), request, context, IMPACT_ROLES);
  const areaId = impactAreaFor(membership);
  const lang = await resolveLanguage(request);
  const now = new Date();
  const today = ukDate(now);
  const [localAuthorities, schools] = await Promise.all([
    localAuthoritiesOf(reportsDb(), areaId),
    reportsDb().selectFrom("school").select("id").where("area_id", "=", areaId).execute(),
  ]);
  const parsed = parseImpactExportQuery(new URL(request.url).searchParams, { today, localAuthorities, schoolIds: schools.map((s) => s.id) });
  if (!parsed.ok) {
    const t = translator(lang);
    return {
      ok: false,
      response: new Response(`${parsed.errors.map((key) => t(key)).join("\n")}\n`, {
        status: 400,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "Content-Language": lang },
      }),
    };
  }
  const { year, laCode, schoolId, edition } = parsed;
  const report = await impactReport(reportsDb(), { areaId, laCode, schoolId }, { year, today, edition, now });
  return { ok: true, report, lang, now };
}

/** The download's file name: impact-2026-27-wimd2025[-la-W06000006|-school-…].ext */
export function impactFileName(report: ImpactReport, extension: string) {
  const scope = report.scope.laCode ? `-la-${report.scope.laCode}` : report.scope.schoolId ? `-school-${report.scope.schoolId.slice(0, 8)}` : "";
  return `impact-${report.year}-${report.edition}${scope}.${extension}`;
}
