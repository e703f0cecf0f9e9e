import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicOrigin } from "~/modules/accounts/links.server";
import { requireActor } from "~/modules/accounts/actor.server";
import { certificatesPdf } from "~/modules/certificates/certificate-pdf.server";
import { familyCertificate } from "~/modules/certificates/certificates.server";
import { db } from "~/modules/db/db.server";
import { downloadResponse } from "~/modules/http/download.server";

/**
 * The certificate of one award a guardian's child has reached, as a PDF (Welsh and English on
 * the page), made the first time it is asked for. Another family's child, or an award not
 * reached, is a 404.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  const certificate = await familyCertificate(db(), membership, params.childId ?? "", params.awardLevelId ?? "", publicOrigin());
  const pdf = await certificatesPdf([certificate], { origin: publicOrigin() });
  return downloadResponse(pdf, "application/pdf", `tystysgrif-certificate-${certificate.childGivenName}-${certificate.serial}.pdf`);
}
