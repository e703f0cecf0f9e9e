import type { AppLoadContext } from "@remix-run/node";
import { requireActor } from "../../accounts/actor.server";
import { localAuthoritiesOf } from "../../activities/places.server";
import { ukDate } from "../../activities/uk-time.server";
import type { Language } from "../../db/schema";
import { db, reportsDb } from "../../db/db.server";
import { receivedKey, translator } from "../../i18n/i18n";
import { resolveLanguage } from "../../i18n/language.server";
import { IMPACT_ROLES, impactAreaFor, impactReportOrRelease, parseImpactQuery, type ImpactReport } from "../impact.server";

/**
 * The one gate of the impact report's downloads (PDF, CSV, spreadsheet): the page's access
 * rule (the area's coordinators and viewers; anyone else 403, signed out to sign in, a
 * child's session to /me), then the query. A query the page would refuse is a 400 with the
 * reasons as plain text in the reader's language (a download has no page to show them on).
 * A published year downloads its kept release, as the page shows it (`figures=current` for
 * the figures as they are now, marked as not the published report).
 */
export async function impactExportRequest(
  request: Request,
  context: AppLoadContext,
): Promise<{ ok: true; report: ImpactReport; lang: Language; now: Date; publishedAt: Date | null } | { ok: false; response: Response }> {
  const { membership } = await requireActor(db(), request, context, IMPACT_ROLES);
  const areaId = impactAreaFor(membership);
  const lang = await resolveLanguage(request);
  const now = new Date();
  const today = ukDate(now);
  const [localAuthorities, schools] = await Promise.all([
    localAuthoritiesOf(reportsDb(), areaId),
    reportsDb().selectFrom("school").select("id").where("area_id", "=", areaId).execute(),
  ]);
  const params = new URL(request.url).searchParams;
  const parsed = parseImpactQuery(params, { today, localAuthorities, schoolIds: schools.map((s) => s.id) });
  if (!parsed.ok) {
    const t = translator(lang);
    return {
      ok: false,
      response: new Response(
        `${Object.values(parsed.errors)
          .map((key) => t(receivedKey(key)))
          .join("\n")}\n`,
        {
          status: 400,
          headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "Content-Language": lang },
        },
      ),
    };
  }
  const { year, laCode, schoolId, edition } = parsed.query;
  const { current } = parsed;
  const { report, release } = await impactReportOrRelease(reportsDb(), { areaId, laCode, schoolId }, { year, today, edition, now, current }, db());
  return { ok: true, report, lang, now, publishedAt: release?.publishedAt ?? null };
}

/** The download's file name: impact-2026-27-wimd2025[-la-W06000006|-school-…].ext */
export function impactFileName(report: ImpactReport, extension: string) {
  const scope = report.scope.laCode ? `-la-${report.scope.laCode}` : report.scope.schoolId ? `-school-${report.scope.schoolId.slice(0, 8)}` : "";
  return `impact-${report.year}-${report.edition}${scope}.${extension}`;
}
