import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { db, reportsDb } from "~/modules/db/db.server";
import { parseForm } from "~/modules/forms/parse-form.server";
import { graduationEligibility } from "~/modules/graduation/eligibility.server";
import { invitationForm, recordGraduationDownload } from "~/modules/graduation/graduations.server";
import { invitationLettersPdf } from "~/modules/graduation/letters.server";
import { requireGraduation, schoolFilter } from "~/modules/graduation/route-helpers.server";
import { downloadResponse } from "~/modules/http/download.server";
import { readFormData } from "~/modules/forms/read-form.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { graduation } = await requireGraduation(db(), request, context, params.graduationId);
  return redirect(`/coordinator/graduations/${graduation.id}`);
}

/**
 * Invitation letters, one page per child on the list (optionally one school's), Welsh first
 * then English, giving the graduation's stored start time. Posted from the graduation page;
 * a graduation with no start time yet goes back to the page, which says to set it.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { graduation, membership, who } = await requireGraduation(db(), request, context, params.graduationId);
  const parsed = parseForm(invitationForm, await readFormData(request));
  const schoolId = parsed.ok ? parsed.data.school : null;
  if (!graduation.startsAt) {
    const school = schoolId ? `&school=${encodeURIComponent(schoolId)}` : "";
    return redirect(`/coordinator/graduations/${graduation.id}?letters=startTimeMissing${school}`);
  }
  const { school } = await schoolFilter(db(), who.areaId, schoolId);
  const rows = await graduationEligibility(reportsDb(), who.areaId, graduation.id, { schoolId: school?.id });
  const pdf = await invitationLettersPdf(rows, {
    graduationName: graduation.name,
    heldOn: graduation.heldOn,
    venue: graduation.venue,
    time: graduation.startsAt,
    areaNameEn: membership.areaNameEn,
    areaNameCy: membership.areaNameCy,
  });
  await recordGraduationDownload(db(), who, graduation.id, "letters_pdf", { schoolId: school?.id ?? null, letters: rows.length });
  return downloadResponse(pdf, "application/pdf", `${graduation.name}${school ? ` – ${school.name}` : ""}.pdf`);
}
