import type { LoaderFunctionArgs } from "@remix-run/node";
import { conflict, isUuid, notFound } from "~/modules/accounts/actor.server";
import { publicOrigin } from "~/modules/accounts/links.server";
import { CertificateRefusal } from "~/modules/certificates/certificates.server";
import { db } from "~/modules/db/db.server";
import { graduationCertificatesPdf } from "~/modules/graduation/certificates.server";
import { requireGraduation, schoolFilter } from "~/modules/graduation/route-helpers.server";
import { downloadResponse } from "~/modules/http/download.server";
import { queryValues } from "~/modules/forms/read-form.server";
import { sentText } from "~/modules/forms/fields.server";

/**
 * The graduation's certificates as one PDF: every school's (no ?school=, the list's order), or
 * one school's (?school=<id>, or "none" for children with no school). Only once the graduation
 * is marked graduated; the area's coordinator only (requireGraduation).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { graduation, who } = await requireGraduation(db(), request, context, params.graduationId);
  if (!graduation.graduatedAt) notFound();
  // No ?school= at all is every school; an empty one is no school of ours.
  const { school: value } = queryValues({ school: sentText }, new URL(request.url).searchParams);
  if (value !== null && value !== "none" && !isUuid(value)) notFound();
  const school = value && value !== "none" ? (await schoolFilter(db(), who.areaId, value)).school : null;
  const name = value === null ? "certificates, all schools" : (school?.name ?? "certificates");
  try {
    const { pdf } = await graduationCertificatesPdf(db(), who, graduation.id, value, publicOrigin());
    return downloadResponse(pdf, "application/pdf", `${graduation.name} – ${name}.pdf`);
  } catch (error) {
    // A child withdrawn or an award withdrawn between the two queries: try again.
    if (error instanceof CertificateRefusal) conflict();
    throw error;
  }
}
