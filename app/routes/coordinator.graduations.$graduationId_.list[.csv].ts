import type { LoaderFunctionArgs } from "@remix-run/node";
import { db, reportsDb } from "~/modules/db/db.server";
import { eligibilityCsv } from "~/modules/graduation/csv.server";
import { graduationEligibility } from "~/modules/graduation/eligibility.server";
import { recordGraduationDownload } from "~/modules/graduation/graduations.server";
import { requireGraduation, schoolFilter } from "~/modules/graduation/route-helpers.server";
import { downloadResponse } from "~/modules/http/download.server";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { queryValues } from "~/modules/forms/read-form.server";
import { anyText } from "~/modules/forms/fields.server";

/** A graduation's list (optionally one school's) as CSV, headed in the reader's language. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { graduation, who } = await requireGraduation(db(), request, context, params.graduationId);
  const { school } = await schoolFilter(db(), who.areaId, queryValues({ school: anyText }, new URL(request.url).searchParams).school);
  const rows = await graduationEligibility(reportsDb(), who.areaId, graduation.id, { schoolId: school?.id });
  await recordGraduationDownload(db(), who, graduation.id, "list_csv", { schoolId: school?.id ?? null, children: rows.length });
  const lang = await resolveLanguage(request);
  const name = `${graduation.name}${school ? ` – ${school.name}` : ""}.csv`;
  return downloadResponse(eligibilityCsv(rows, lang, Boolean(graduation.graduatedAt)), "text/csv; charset=utf-8", name);
}
