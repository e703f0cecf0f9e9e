import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicOrigin } from "~/modules/accounts/links.server";
import { requireChild } from "~/modules/accounts/access.server";
import { certificatesPdf } from "~/modules/certificates/certificate-pdf.server";
import { familyCertificate } from "~/modules/certificates/certificates.server";
import { db } from "~/modules/db/db.server";
import { downloadResponse } from "~/modules/http/download.server";

/**
 * The child's own certificate of an award they have reached, as a PDF (the same certificate
 * the guardian downloads). Only the child's own: the scope is their session's child, so an
 * award they have not reached is a 404 and there is no child id in the address to change.
 */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const me = requireChild(context);
  const certificate = await familyCertificate(db(), me, me.childId, params.awardLevelId ?? "", publicOrigin());
  const pdf = await certificatesPdf([certificate], { origin: publicOrigin() });
  return downloadResponse(pdf, "application/pdf", `tystysgrif-certificate-${certificate.childGivenName}-${certificate.serial}.pdf`);
}
