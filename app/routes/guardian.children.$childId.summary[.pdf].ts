import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicOrigin } from "~/modules/accounts/links.server";
import { requireActor } from "~/modules/accounts/actor.server";
import { exportChildData } from "~/modules/children/data-rights.server";
import { recordSummaryPdf } from "~/modules/children/record-summary.server";
import { db } from "~/modules/db/db.server";
import { downloadResponse } from "~/modules/http/download.server";
import { resolveLanguage } from "~/modules/i18n/language.server";

/** The readable summary of a child's whole record, as a PDF in the guardian's language then the other, for their guardian. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  const [data, lang] = await Promise.all([exportChildData(db(), membership, params.childId ?? ""), resolveLanguage(request)]);
  const pdf = await recordSummaryPdf(data, lang, publicOrigin());
  return downloadResponse(pdf, "application/pdf", `pasbort-${data.child.givenName}-${data.exportedAt.slice(0, 10)}.pdf`);
}
