import type { LoaderFunctionArgs } from "@remix-run/node";
import { conflict, isUuid, notFound } from "~/modules/accounts/actor.server";
import { publicOrigin } from "~/modules/accounts/links.server";
import { CertificateRefusal } from "~/modules/certificates/certificates.server";
import { db } from "~/modules/db/db.server";
import { graduationCertificatesPdf } from "~/modules/graduation/certificates.server";
import { requireGraduation, schoolFilter } from "~/modules/graduation/route-helpers.server";
import { downloadResponse } from "~/modules/http/download.server";

/**
 * ?school=<id> (or "none"): one PDF with a certificate for each child of that school who
 * attended the graduation. Only once the graduation is marked graduated.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { graduation, who } = await requireGraduation(db(), request, context, params.graduationId);
  if (!graduation.graduatedAt) notFound();
  const value = new URL(request.url).searchParams.get("school") ?? "";
  if (value !== "none" && !isUuid(value)) notFound();
  const school = value === "none" ? null : (await schoolFilter(db(), who.areaId, value)).school;
  try {
    const { pdf } = await graduationCertificatesPdf(db(), who, graduation.id, value, publicOrigin());
    return downloadResponse(pdf, "application/pdf", `${graduation.name} – ${school?.name ?? "certificates"}.pdf`);
  } catch (error) {
    // A child withdrawn or an award withdrawn between the two queries: try again.
    if (error instanceof CertificateRefusal) conflict();
    throw error;
  }
}
